"""``tf.math.div_no_nan`` (op ``DivNoNan``): ``x / y``, and 0 wherever ``y`` is 0.

TF's metrics divide totals by counts with it. The gradient comes from torch autograd through
``torch.where`` (zero where ``y == 0``, as TF's registered gradient).

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

import torch

from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Tensor
from scopeflow.ops._math_common import _scope, allowed, binary_op

_ALLOWED = allowed("Float")


def div_no_nan(x: Any, y: Any, name: str | None = None) -> Tensor:
    """``x / y`` elementwise with broadcasting, 0 where ``y == 0`` (op ``DivNoNan``).

    >>> import scopeflow.compat.v1 as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.math.div_no_nan([1.0, 2.0], [0.0, 4.0])))
    [0.  0.5]
    """
    return binary_op("DivNoNan", _scope(name, "div_no_nan"), x, y, _ALLOWED, None)


@register_kernel("DivNoNan")
def _div_no_nan_kernel(op: Any, session: Any) -> Any:
    def kernel(x: Any, y: Any) -> Any:
        zero = y == 0
        safe = torch.where(zero, torch.ones_like(y), y)
        return torch.where(zero, torch.zeros_like(x / safe), x / safe)

    return kernel


__all__ = ["div_no_nan"]
