"""TF's ``Assert`` op: fails the run with ``InvalidArgumentError`` when its condition is false.

``Assert(condition, data, summarize=3)`` builds the op (no outputs; run it or make other ops
depend on it); the message is TF's ``assertion failed: [<data 0>] [<data 1>] ...`` with each
tensor summarized as ``tf.Print`` summarizes it (first ``summarize`` elements).

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from scopeflow._core import dtypes
from scopeflow._core.name_scope import name_scope
from scopeflow.errors import InvalidArgumentError
from scopeflow.graph._torch_dtypes import to_numpy
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Operation
from scopeflow.ops.logging_ops import summarize_v1


def Assert(condition: Any, data: Any, summarize: int | None = None,
           name: str | None = None) -> Operation:  # fmt: skip
    """An op that raises ``InvalidArgumentError`` with ``data`` when ``condition`` is false.

    Differences from TensorFlow: TF wraps asserts on data other than strings and int32 in a
    ``cond`` (``AssertGuard``) so the data is only computed on failure; here the ``Assert`` op
    always takes the data as inputs.

    >>> from scopeflow.ops.assert_ops import Assert
    >>> import scopeflow.compat.v1 as tf
    >>> Assert(tf.constant(True), ["ok"]).type
    'Assert'
    """
    with name_scope(name, "Assert", [condition, data]) as scope:
        cond_t = convert_to_tensor(condition, name="Condition")
        if cond_t._dtype.base_dtype != dtypes.bool:
            raise TypeError(
                f"Input 'condition' of 'Assert' Op has type {cond_t._dtype.base_dtype.name} that "
                "does not match expected type of bool."
            )
        xs = [convert_to_tensor(d, name=f"data_{i}") for i, d in enumerate(data)]
        attrs = {
            "T": tuple(x._dtype.base_dtype for x in xs),
            "summarize": 3 if summarize is None else int(summarize),
        }
        return get_default_graph()._create_op("Assert", (cond_t, *xs), attrs, scope, (), ())


@register_kernel("Assert", stateful=True)
def _assert_kernel(op: Operation, session: Any) -> Any:
    summarize = op._attrs["summarize"]

    def kernel(condition: Any, *data: Any) -> None:
        if bool(np.asarray(to_numpy(condition))):
            return
        parts = []
        for d in data:
            value = np.asarray(d, dtype=object) if isinstance(d, np.ndarray) else to_numpy(d)
            parts.append(f"[{summarize_v1(value, summarize)}]")
        raise InvalidArgumentError(None, op, "assertion failed: " + " ".join(parts))

    return kernel


__all__ = ["Assert"]
