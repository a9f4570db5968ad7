"""``CountUpTo``: increments an integer variable until a limit (``Variable.count_up_to``).

The op outputs the variable's value before the increment and raises ``OutOfRangeError``
("Reached limit of N") once the value has reached ``limit``; ``tf.train.limit_epochs`` and
the input producers end their epochs with it.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

import threading
from typing import Any

import torch

from scopeflow import errors
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Operation

_lock = threading.Lock()  # several queue-runner threads count the same epochs variable


@register_kernel("CountUpTo", stateful=True, ref_inputs=(0,))
def _count_up_to_kernel(op: Operation, session: Any) -> Any:
    name = op._inputs[0]._op._name
    limit = int(op._attrs["limit"])

    def kernel(ref: Any) -> Any:
        with _lock:
            cur = session._read_variable(name, op)
            before = int(cur)
            if before >= limit:
                raise errors.OutOfRangeError(None, op, f"Reached limit of {limit}")
            with torch.no_grad():
                cur.add_(1)
            return torch.tensor(before, dtype=cur.dtype)

    return kernel


def count_up_to(ref: Any, limit: int, name: str | None = None) -> Any:
    """``tf.count_up_to(ref, limit)``: see the module docstring."""
    if name is None:
        return ref.count_up_to(limit)
    var = ref._variable
    base = var._dtype.base_dtype
    op = var.graph._create_op(
        "CountUpTo", (var,), {"T": base, "limit": int(limit)}, name, (base,), (TensorShape([]),)
    )
    return op._outputs[0]


__all__ = ["count_up_to"]
