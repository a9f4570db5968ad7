"""TF's element-wise assertions: ``tf.assert_equal``, ``tf.assert_less_equal``, ... .

Each builds, under a name scope named after the function, ``x`` and ``y`` (``<scope>/x``,
``<scope>/y``), the comparison, ``All`` over every axis and a ``tf.Assert`` whose data are TF's:
``[message,] 'Condition x <= y did not hold element-wise:', 'x (<name>) = ', x, 'y (<name>) = ',
y``. When both values are known at graph construction and the condition fails, TF raises
``InvalidArgumentError`` right away with those lines; so does this module.

Differences from TensorFlow: the returned op is always the ``Assert`` op; when a data tensor is
neither string nor int32 TF wraps it in a ``cond`` (``<scope>/Assert/AssertGuard``) and returns
its ``Merge``. Running either one checks the condition and fails with TF's message.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from scopeflow.errors import InvalidArgumentError
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.ops import math_ops
from scopeflow.ops.logging_ops import Assert
from scopeflow.ops.reduction_ops import reduce_all


def _static(t: Tensor) -> Any:
    return t._const


def _binary_assert(sym: str, opname: str, test: Callable[..., Tensor], static: Callable[..., Any],
                   x: Any, y: Any, data: Any, summarize: int | None, message: str | None,
                   name: str | None) -> Operation:  # fmt: skip
    g = get_default_graph()
    with g.name_scope(name or opname):
        xt = convert_to_tensor(x, name="x")
        yt = convert_to_tensor(y, name="y")
        if data is None:
            data = [
                f"Condition x {sym} y did not hold element-wise:",
                f"x ({xt.name}) = ",
                xt,
                f"y ({yt.name}) = ",
                yt,
            ]
        if message is not None:
            data = [message, *list(data)]
        condition = reduce_all(test(xt, yt))
        xs, ys = _static(xt), _static(yt)
        if xs is not None and ys is not None and not np.all(static(xs, ys)):
            lines = [str(_static(d)) if isinstance(d, Tensor) else str(d) for d in data]
            raise InvalidArgumentError(None, None, "\n".join(lines))
        return Assert(condition, data, summarize=summarize)


def _binary(sym: str, opname: str, test: Callable[..., Tensor], static: Callable[..., Any]) -> Any:
    def assertion(x: Any, y: Any, data: Any = None, summarize: int | None = None,
                  message: str | None = None, name: str | None = None) -> Operation:  # fmt: skip
        return _binary_assert(sym, opname, test, static, x, y, data, summarize, message, name)

    assertion.__name__ = assertion.__qualname__ = opname
    assertion.__doc__ = (
        f"An op that fails when ``x {sym} y`` does not hold element-wise (``tf.{opname}``).\n\n"
        "Raises ``InvalidArgumentError`` at construction when both values are constant and "
        "the condition fails."
    )
    return assertion


assert_equal = _binary("==", "assert_equal", math_ops.equal, np.equal)
assert_none_equal = _binary("!=", "assert_none_equal", math_ops.not_equal, np.not_equal)
assert_less = _binary("<", "assert_less", math_ops.less, np.less)
assert_less_equal = _binary("<=", "assert_less_equal", math_ops.less_equal, np.less_equal)
assert_greater = _binary(">", "assert_greater", math_ops.greater, np.greater)
assert_greater_equal = _binary(
    ">=", "assert_greater_equal", math_ops.greater_equal, np.greater_equal
)


def _sign(sym: str, opname: str, check: Any, zero_first: bool) -> Any:
    def assertion(x: Any, data: Any = None, summarize: int | None = None,
                  message: str | None = None, name: str | None = None) -> Operation:  # fmt: skip
        g = get_default_graph()
        with g.name_scope(name or opname):
            xt = convert_to_tensor(x, name="x")
            if data is None:
                data = [
                    message or "",
                    f"Condition x {sym} 0 did not hold element-wise:",
                    f"x ({xt.name}) = ",
                    xt,
                ]
            zero = convert_to_tensor(0, dtype=xt._dtype.base_dtype)
            a, b = (zero, xt) if zero_first else (xt, zero)
            return check(a, b, data=data, summarize=summarize)

    assertion.__name__ = assertion.__qualname__ = opname
    assertion.__doc__ = f"An op that fails unless ``x {sym} 0`` element-wise (``tf.{opname}``)."
    return assertion


assert_positive = _sign(">", "assert_positive", assert_less, zero_first=True)
assert_negative = _sign("<", "assert_negative", assert_less, zero_first=False)
assert_non_negative = _sign(">=", "assert_non_negative", assert_less_equal, zero_first=True)
assert_non_positive = _sign("<=", "assert_non_positive", assert_less_equal, zero_first=False)


__all__ = [
    "assert_equal",
    "assert_greater",
    "assert_greater_equal",
    "assert_less",
    "assert_less_equal",
    "assert_negative",
    "assert_non_negative",
    "assert_non_positive",
    "assert_none_equal",
    "assert_positive",
]
