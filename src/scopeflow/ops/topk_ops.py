"""``tf.nn.in_top_k`` (``InTopKV2``); ``top_k`` (``TopKV2``) lives in ``reduction_ops``.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

import torch

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Tensor
from scopeflow.ops._op_builder import make_op
from scopeflow.ops.math_ops import _scope


def in_top_k(predictions: Any, targets: Any, k: Any, name: str | None = None) -> Tensor:
    """Whether each target is in its row's top ``k`` (``tf.nn.in_top_k``).

    Whether each target's prediction is among the ``k`` largest of its row
    (``tf.nn.in_top_k``): ties count as in, non-finite predictions and out-of-range targets as
    out. The result is named ``in_top_k/InTopKV2``.
    """
    g = get_default_graph()
    scope = _scope(name, "in_top_k")
    p = convert_to_tensor(predictions, name=scope + "predictions/")
    t = convert_to_tensor(targets, name=scope + "targets/")
    if p._dtype.base_dtype != dtypes.float32:
        raise TypeError(
            f"Value passed to parameter 'predictions' has DataType {p._dtype.base_dtype.name} "
            f"not in list of allowed values: float32"
        )
    if t._dtype.base_dtype not in (dtypes.int32, dtypes.int64):
        raise TypeError(
            f"Value passed to parameter 'targets' has DataType {t._dtype.base_dtype.name} not in "
            f"list of allowed values: int32, int64"
        )
    inner = scope + "InTopKV2/"
    k_t = convert_to_tensor(k, dtype=t._dtype.base_dtype, name=inner + "k/")
    if p._shape.ndims not in (None, 2):
        raise ValueError(f"Shape must be rank 2 but is rank {p._shape.ndims}")
    if t._shape.ndims not in (None, 1):
        raise ValueError(f"Shape must be rank 1 but is rank {t._shape.ndims}")
    shape = TensorShape([None])
    if p._shape.ndims == 2:
        shape = TensorShape(p._shape.as_list()[:1])
    if t._shape.ndims == 1:
        shape = shape.merge_with(t._shape)
    g._names.mark_used(scope[:-1])
    return make_op("InTopKV2", (p, t, k_t), {"T": t._dtype.base_dtype}, inner, dtypes.bool, shape)


@register_kernel("InTopKV2")
def _in_top_k_kernel(op: Any, session: Any) -> Any:
    def kernel(p: Any, t: Any, k: Any) -> Any:
        kk = int(k)
        n = p.shape[1]
        tl = t.long()
        valid = (tl >= 0) & (tl < n)
        target = p.gather(1, tl.clamp(0, max(n - 1, 0)).unsqueeze(1))
        finite = torch.isfinite(p).all(dim=1)
        greater = (p > target).sum(dim=1)
        return valid & finite & (greater < kk)

    return kernel


__all__ = ["in_top_k"]
