"""``tf.nn.local_response_normalization`` (``tf.nn.lrn``): TF's ``LRN`` op.

``out = x / (bias + alpha * sqr_sum) ** beta`` where ``sqr_sum`` sums ``x**2`` over the
channels ``d - depth_radius .. d + depth_radius`` (the last axis, clipped at the edges) of a
4-D input. TF's CPU kernel special-cases ``beta == 1`` (a reciprocal) and ``beta == 0.5`` (a
reciprocal square root); the kernel does the same. The gradient comes from autograd (TF's
``LRNGrad`` math).

Differences from TensorFlow: an imported graph's ``LRNGrad`` node has no kernel.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from scopeflow._core import dtypes
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Tensor
from scopeflow.ops._math_common import _check_allowed, _scope, dt_enum
from scopeflow.ops._op_builder import make_op

_ALLOWED = (dtypes.float16, dtypes.bfloat16, dtypes.float32)


def _f32(v: float) -> float:
    """A float attr as TF stores it (``AttrValue.f`` is a float32)."""
    return float(np.float32(v))


def local_response_normalization(input: Any, depth_radius: int = 5, bias: float = 1.0,
                                 alpha: float = 1.0, beta: float = 0.5,
                                 name: str | None = None) -> Tensor:  # fmt: skip
    """Local response normalization over the last axis (``tf.nn.lrn``).

    Raises:
        TypeError: a dtype other than float16, bfloat16 or float32 (TF's message).
        ValueError: an input whose static rank is not 4 (TF's message).

    >>> import scopeflow.compat.v1 as tf
    >>> y = tf.nn.lrn(tf.ones([1, 2, 2, 3]))
    >>> print(y.name, y.shape)
    LRN:0 (1, 2, 2, 3)
    """
    scope = _scope(name, "LRN")
    x = convert_to_tensor(input, name=scope + "input/")
    _check_allowed(x, _ALLOWED, "input")
    attrs = {
        "depth_radius": int(depth_radius),
        "bias": _f32(bias),
        "alpha": _f32(alpha),
        "beta": _f32(beta),
        "T": x._dtype.base_dtype,
    }
    if x._shape.ndims is not None and x._shape.ndims != 4:
        dims = ",".join("?" if d is None else str(d) for d in x._shape.as_list())
        raise ValueError(
            f"Shape must be rank 4 but is rank {x._shape.ndims} for '{{{{node "
            f"{scope[:-1]}}}}} = LRN[T={dt_enum(x._dtype.base_dtype)}, alpha={alpha:g}, "
            f"beta={beta:g}, bias={bias:g}, depth_radius={depth_radius}]({x._op._name})' with "
            f"input shapes: [{dims}]."
        )
    return make_op("LRN", (x,), attrs, scope, x._dtype.base_dtype, x._shape.with_rank(4))


lrn = local_response_normalization


@register_kernel("LRN")
def _lrn_kernel(op: Any, session: Any) -> Any:
    a = op._attrs
    r, bias, alpha, beta = a["depth_radius"], a["bias"], a["alpha"], a["beta"]

    def kernel(x: Any) -> Any:
        sq = torch.nn.functional.pad(x * x, (r, r))
        sqr_sum = sq.unfold(-1, 2 * r + 1, 1).sum(-1)
        norm = bias + alpha * sqr_sum
        if beta == 1.0:
            return x * torch.reciprocal(norm)
        if beta == 0.5:
            return x * torch.rsqrt(norm)
        return x * torch.exp(torch.log(norm) * -beta)

    return kernel


__all__ = ["local_response_normalization", "lrn"]
