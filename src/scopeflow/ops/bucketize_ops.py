"""``Bucketize``: the index of each value's bucket among sorted ``boundaries``.

A value ``x`` lands in bucket ``i`` where ``boundaries[i-1] <= x < boundaries[i]`` (TF's
``std::upper_bound``); output int32, same shape. Boundaries are TF's float attr.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

import torch

from scopeflow._core import dtypes
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.ops._math_common import _check_allowed, _scope
from scopeflow.ops._op_builder import make_op

_ALLOWED = (dtypes.int32, dtypes.int64, dtypes.float32, dtypes.float64)


def bucketize(input: Any, boundaries: Any, name: str | None = None) -> Tensor:
    """Bucket indices of ``input`` for sorted ``boundaries`` (TF's ``math_ops._bucketize``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(bucketize([-1.0, 0.0, 2.5, 10.0], boundaries=[0.0, 2.5])))
    [0 1 2 2]
    """
    bounds = [float(b) for b in boundaries]
    if bounds != sorted(bounds):
        raise ValueError("Expected sorted boundaries")  # TF's kernel check, at build time here
    scope = _scope(name, "Bucketize")
    x = convert_to_tensor(input, name=scope + "input/")
    _check_allowed(x, _ALLOWED, "input")
    attrs = {"T": x._dtype.base_dtype, "boundaries": bounds}
    return make_op("Bucketize", (x,), attrs, scope, dtypes.int32, x._shape)


@register_kernel("Bucketize")
def _bucketize_kernel(op: Operation, session: Any) -> Any:
    bounds = torch.tensor(op._attrs["boundaries"], dtype=torch.float32)

    def kernel(x: torch.Tensor) -> torch.Tensor:
        b = bounds.to(x.dtype if x.is_floating_point() else torch.float64)
        v = x if x.is_floating_point() else x.to(torch.float64)
        return torch.bucketize(v, b, right=True).to(torch.int32)

    return kernel


__all__ = ["bucketize"]
