"""Normalization ops of ``tf.nn``.

Normalization: ``moments``, ``l2_normalize``, ``batch_normalization`` and
``fused_batch_norm`` (TF1 ``tf.nn`` signatures, names and formulas).

Differences from TensorFlow: TF builds ``moments``, ``l2_normalize`` and
``batch_normalization`` from several ops; here each result is one node named as TF names it
(``moments/Squeeze``, ``l2_normalize``, ``batchnorm/add_1``), computed with TF's formula (the
variance uses a stopped-gradient mean, like TF's ``moments``). ``FusedBatchNormV3`` in
inference computes ``x * inv + (offset - mean * inv)`` with ``inv = scale * rsqrt(variance +
epsilon)``: one pass over ``x`` (rounding differs from TF's in the last bits).

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.errors import InvalidArgumentError, UnsupportedError
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.op_registry import (
    declare_fresh_output,
    declare_thread_invariant,
    register_kernel,
)
from scopeflow.graph.tensor import Tensor
from scopeflow.ops import _bert_fusions  # noqa: F401  (registers layer-norm/GELU patterns)
from scopeflow.ops._op_builder import UNKNOWN, broadcast_static_shape, make_multi_op, make_op
from scopeflow.ops.math_ops import _check_allowed, _scope

_FLOAT = (dtypes.float16, dtypes.bfloat16, dtypes.float32, dtypes.float64)


def _axes_list(axes: Any, rank: int | None, what: str) -> list[int] | None:
    """Static reduction axes (None = all), normalized to non-negative where the rank is known."""
    if axes is None:
        return None
    if isinstance(axes, Tensor):
        if axes._const is None:
            raise UnsupportedError(f"{what} with axes computed at run time")
        axes = axes._const
    ax = [int(a) for a in np.asarray(axes).reshape(-1)]
    if rank is not None:
        for a in ax:
            if not -rank <= a < rank:
                raise ValueError(f"Invalid reduction dimension {a} for input with {rank} "
                                 f"dimensions.")  # fmt: skip
        ax = [a % rank for a in ax]
    return ax


def _reduced_shape(shape: TensorShape, axes: list[int] | None, keep: bool) -> TensorShape:
    if shape.ndims is None:
        return UNKNOWN
    dims = shape.as_list()
    red = set(range(len(dims))) if axes is None else set(axes)
    if keep:
        return TensorShape([1 if i in red else d for i, d in enumerate(dims)])
    return TensorShape([d for i, d in enumerate(dims) if i not in red])


def moments(x: Any, axes: Any, shift: Any = None, name: str | None = None,
            keep_dims: bool | None = None, keepdims: bool | None = None
            ) -> tuple[Tensor, Tensor]:  # fmt: skip
    """Mean and variance of ``x`` over ``axes`` (``tf.nn.moments``).

    As TF: ``variance = mean((x - stop_gradient(mean)) ** 2)``; without ``keep_dims`` the results
    are named ``moments/Squeeze`` and ``moments/Squeeze_1``, with it ``moments/mean`` and
    ``moments/variance``. ``shift`` is unused, as in TF.
    """
    if keep_dims is not None and keepdims is not None:
        raise ValueError("Cannot specify both 'keep_dims' and 'keepdims'")
    keep = bool(keepdims if keepdims is not None else keep_dims)
    g = get_default_graph()
    scope = _scope(name, "moments")
    t = convert_to_tensor(x, name=scope + "x/")
    _check_allowed(t, _FLOAT, "x")
    ax = _axes_list(axes, t._shape.ndims, "tf.nn.moments")
    if ax is None:
        raise ValueError("axes must be a list of ints")
    shape = _reduced_shape(t._shape, ax, keep)
    attrs = {"T": t._dtype.base_dtype, "axes": ax}
    if keep:
        names = (scope + "mean/", scope + "variance/")
    else:
        for nm in ("mean", "StopGradient", "SquaredDifference", "variance"):
            g._names.mark_used(scope + nm)
        names = (scope + "Squeeze/", scope + "Squeeze_1/")
    dt = t._dtype.base_dtype
    mean = make_op("SfMomentsMean", (t,), {**attrs, "keep_dims": keep}, names[0], dt, shape)
    var = make_op("SfMomentsVariance", (t,), {**attrs, "keep_dims": keep}, names[1], dt, shape)
    return mean, var


def _upcast(x: Any) -> Any:
    return x.float() if x.dtype in (torch.float16, torch.bfloat16) else x


@register_kernel("SfMomentsMean")
def _moments_mean_kernel(op: Any, session: Any) -> Any:
    ax, keep = op._attrs["axes"], op._attrs["keep_dims"]
    return lambda x: _upcast(x).mean(dim=ax, keepdim=keep).to(x.dtype)


@register_kernel("SfMomentsVariance")
def _moments_variance_kernel(op: Any, session: Any) -> Any:
    ax, keep = op._attrs["axes"], op._attrs["keep_dims"]

    def kernel(x: Any) -> Any:
        y = _upcast(x)
        mean = y.mean(dim=ax, keepdim=True).detach()
        d = y - mean
        return (d * d).mean(dim=ax, keepdim=keep).to(x.dtype)

    return kernel


def l2_normalize(x: Any, axis: Any = None, epsilon: float = 1e-12, name: str | None = None,
                 dim: Any = None) -> Tensor:  # fmt: skip
    """Divides ``x`` by its L2 norm along ``axis`` (``tf.nn.l2_normalize``).

    ``x / sqrt(max(sum(x ** 2, axis), epsilon))`` (``tf.nn.l2_normalize``; ``dim`` is TF1's
    deprecated alias of ``axis``), named ``l2_normalize``.
    """
    if dim is not None:
        if axis is not None:
            raise ValueError("Cannot specify both 'axis' and 'dim'")
        axis = dim
    scope = _scope(name, "l2_normalize")
    t = convert_to_tensor(x, name=scope + "x/")
    _check_allowed(t, _FLOAT, "x")
    ax = _axes_list(axis, t._shape.ndims, "tf.nn.l2_normalize")
    g = get_default_graph()
    for nm in ("Square", "Sum", "Maximum", "Rsqrt"):
        g._names.mark_used(scope + nm)
    attrs = {"T": t._dtype.base_dtype, "axes": ax, "epsilon": float(epsilon)}
    return make_op("SfL2Normalize", (t,), attrs, scope, t._dtype.base_dtype, t._shape)


@register_kernel("SfL2Normalize")
def _l2_normalize_kernel(op: Any, session: Any) -> Any:
    ax, eps = op._attrs["axes"], op._attrs["epsilon"]

    def kernel(x: Any) -> Any:
        sq = (
            (x * x).sum(dim=ax, keepdim=True)
            if ax is not None
            else (x * x).sum().reshape([1] * x.dim())
        )
        return x * torch.rsqrt(torch.clamp_min(sq, eps))

    return kernel


def batch_normalization(x: Any, mean: Any, variance: Any, offset: Any, scale: Any,
                        variance_epsilon: float, name: str | None = None) -> Tensor:  # fmt: skip
    """Normalizes ``x`` by given statistics (``tf.nn.batch_normalization``).

    ``(x - mean) * scale / sqrt(variance + eps) + offset`` (``tf.nn.batch_normalization``),
    computed as TF does (``x * inv + (offset - mean * inv)``) and named ``batchnorm/add_1``.
    ``offset`` and ``scale`` may be None.
    """
    scope = _scope(name, "batchnorm")
    t = convert_to_tensor(x, name=scope + "x/")
    _check_allowed(t, _FLOAT, "x")
    dt = t._dtype.base_dtype
    ins = [t]
    for nm, v in (("mean", mean), ("variance", variance), ("offset", offset), ("scale", scale)):
        if v is not None:
            ins.append(convert_to_tensor(v, dtype=dt, name=scope + nm + "/"))
    shape = t._shape
    for v in ins[1:]:
        shape = broadcast_static_shape(shape, v._shape)
    g = get_default_graph()
    for nm in ("add", "Rsqrt", "mul", "mul_1", "mul_2", "sub"):
        g._names.mark_used(scope + nm)
    attrs = {"T": dt, "variance_epsilon": float(variance_epsilon),
             "has_offset": offset is not None, "has_scale": scale is not None}  # fmt: skip
    return make_op("SfBatchNormalization", ins, attrs, scope + "add_1/", dt, shape)


@register_kernel("SfBatchNormalization")
def _batch_norm_kernel(op: Any, session: Any) -> Any:
    eps = op._attrs["variance_epsilon"]
    has_offset, has_scale = op._attrs["has_offset"], op._attrs["has_scale"]

    def kernel(x: Any, mean: Any, var: Any, *rest: Any) -> Any:
        offset = rest[0] if has_offset else None
        scale = rest[-1] if has_scale else None
        inv = torch.rsqrt(var + eps)
        if scale is not None:
            inv = inv * scale
        shift = offset - mean * inv if offset is not None else -mean * inv
        return x * inv + shift

    return kernel


def fused_batch_norm(x: Any, scale: Any, offset: Any, mean: Any = None, variance: Any = None,
                     epsilon: float = 0.001, data_format: str = "NHWC", is_training: bool = True,
                     name: str | None = None, exponential_avg_factor: float = 1.0
                     ) -> tuple[Tensor, Tensor, Tensor]:  # fmt: skip
    """Fused batch normalization (``tf.nn.fused_batch_norm``).

    Batch normalization of a 4-D (or, with ``NDHWC``/``NCDHW``, 5-D) tensor over all axes but
    channels (``tf.nn.fused_batch_norm``, op ``FusedBatchNormV3``): returns
    ``(y, mean, variance)``.

    Training uses the batch's (biased) variance to normalize and returns the unbiased one (times
    ``n / (n - 1)``), blended with the given ``mean``/``variance`` when
    ``exponential_avg_factor != 1``, as TF does; inference uses the given statistics.
    """
    if data_format not in ("NHWC", "NCHW", "NDHWC", "NCDHW"):
        raise ValueError(f"Invalid data_format: {data_format}")
    epsilon = max(float(epsilon), 1.001e-5)
    scope = _scope(name, "FusedBatchNormV3")
    t = convert_to_tensor(x, name=scope + "x/")
    _check_allowed(t, _FLOAT, "x")
    f32 = dtypes.float32 if t._dtype.base_dtype != dtypes.float64 else dtypes.float64
    sc = convert_to_tensor(scale, dtype=f32, name=scope + "scale/")
    of = convert_to_tensor(offset, dtype=f32, name=scope + "offset/")
    if not is_training and (mean is None or variance is None):
        raise ValueError("Both 'mean' and 'variance' must be a 1D tensor when is_training is "
                         "False.")  # fmt: skip
    mn = convert_to_tensor(mean if mean is not None else np.zeros([0], f32.as_numpy_dtype),
                           dtype=f32, name=scope + "mean/")  # fmt: skip
    vr = convert_to_tensor(variance if variance is not None else np.zeros([0], f32.as_numpy_dtype),
                           dtype=f32, name=scope + "variance/")  # fmt: skip
    rank = 5 if "D" in data_format else 4
    if t._shape.ndims is not None and t._shape.ndims != rank:
        raise ValueError(f"Shape must be rank {rank} but is rank {t._shape.ndims}")
    c = None
    if t._shape.ndims == rank:
        c = t._shape.as_list()[-1 if data_format[-1] == "C" else 1]
    vec = TensorShape([c])
    attrs = {"T": t._dtype.base_dtype, "U": f32, "epsilon": epsilon, "data_format": data_format,
             "is_training": bool(is_training),
             "exponential_avg_factor": float(exponential_avg_factor)}  # fmt: skip
    op = make_multi_op("FusedBatchNormV3", (t, sc, of, mn, vr), attrs, scope,
                       (t._dtype.base_dtype, f32, f32, f32, f32, f32),
                       (t._shape, vec, vec, vec, vec, UNKNOWN))  # fmt: skip
    return op._outputs[0], op._outputs[1], op._outputs[2]


@register_kernel("FusedBatchNormV3")
def _fused_batch_norm_kernel(op: Any, session: Any) -> Any:
    a = op._attrs
    eps, training, factor = a["epsilon"], a["is_training"], a["exponential_avg_factor"]
    nhwc = a["data_format"][-1] == "C"

    def kernel(x: Any, scale: Any, offset: Any, mean: Any, var: Any) -> Any:
        xc = x.movedim(1, -1) if not nhwc else x
        y32 = _upcast(xc)
        red = tuple(range(y32.dim() - 1))
        if training:
            bm = y32.mean(dim=red)
            bv = ((y32 - bm) ** 2).mean(dim=red)
            n = y32.numel() // y32.shape[-1]
            unbiased = bv * (n / max(n - 1, 1))
            if factor != 1.0:
                if mean.numel() != bm.numel() or var.numel() != bv.numel():
                    raise InvalidArgumentError(None, op, "mean and variance must be given when "
                                               "exponential_avg_factor != 1")  # fmt: skip
                out_m = (1 - factor) * mean + factor * bm
                out_v = (1 - factor) * var + factor * unbiased
            else:
                out_m, out_v = bm, unbiased
            norm_m, norm_v = bm, bv
            y = (y32 - norm_m) * (torch.rsqrt(norm_v + eps) * scale) + offset
        else:
            norm_m, norm_v, out_m, out_v = mean, var, mean, var
            # Inference: one pass over ``x`` (``x * inv + shift``) instead of three; ``inv`` and
            # ``shift`` are per-channel vectors.
            inv = torch.rsqrt(var + eps) * scale
            y = torch.addcmul(offset - mean * inv, y32, inv)
        y = y.to(x.dtype)
        if not nhwc:
            y = y.movedim(-1, 1)
        return y, out_m, out_v, norm_m.detach(), norm_v.detach(), torch.empty(0)

    return kernel


# Inference batch norm is elementwise (training mode reduces over the batch).
declare_thread_invariant("FusedBatchNormV3", when=lambda op: not op._attrs.get("is_training", True))


def weighted_moments(x: Any, axes: Any, frequency_weights: Any, name: str | None = None,
                     keep_dims: bool | None = None, keepdims: bool | None = None
                     ) -> tuple[Tensor, Tensor]:  # fmt: skip
    """Frequency-weighted mean and variance of ``x`` over ``axes`` (``tf.nn.weighted_moments``).

    TF's two-pass method under name scope ``weighted_moments``: ``weighted_input_sum``,
    ``sum_of_weights`` of the weights broadcast to ``x``, ``inv_weight_sum``, the mean, then
    ``weighted_distsq`` of the squared differences from it; float16 is computed in float32.
    This is TF 1.15's form (``reciprocal`` then ``multiply``); TF 2.x divides with
    ``div_no_nan``, which gives 0 instead of inf/nan when the weights sum to 0.

    >>> import scopeflow.compat.v1 as tf
    >>> m, v = tf.nn.weighted_moments(tf.constant([[1.0, 3.0]]), [1], tf.constant([[1.0, 3.0]]))
    >>> with tf.Session() as sess:
    ...     print(sess.run([m, v]))
    [array([2.5], dtype=float32), array([0.75], dtype=float32)]
    """
    from scopeflow.ops.array_ops import zeros_like  # noqa: PLC0415
    from scopeflow.ops.math_ops import cast, multiply, squared_difference  # noqa: PLC0415
    from scopeflow.ops.reduction_ops import reduce_sum  # noqa: PLC0415
    from scopeflow.ops.shape_ops import squeeze  # noqa: PLC0415
    from scopeflow.ops.unary_ops import reciprocal  # noqa: PLC0415

    if keep_dims is not None and keepdims is not None:
        raise ValueError("Cannot specify both 'keep_dims' and 'keepdims'")
    keep = bool(keepdims if keepdims is not None else keep_dims)
    g = get_default_graph()
    with g.name_scope(name or "weighted_moments"):
        xt = convert_to_tensor(x, name="x")
        w = convert_to_tensor(frequency_weights, name="frequency_weights")
        needs_cast = xt.dtype.base_dtype == dtypes.float16
        if needs_cast:
            xt = cast(xt, dtypes.float32)
        if w.dtype.base_dtype != xt.dtype.base_dtype:
            w = cast(w, xt.dtype.base_dtype)
        weighted_input_sum = reduce_sum(w * xt, axes, name="weighted_input_sum", keepdims=True)
        broadcasted_weights = w + zeros_like(xt)
        sum_of_weights = reduce_sum(broadcasted_weights, axes, name="sum_of_weights",
                                    keepdims=True)  # fmt: skip
        divisor = reciprocal(sum_of_weights, name="inv_weight_sum")
        mean = multiply(weighted_input_sum, divisor)
        distsq = reduce_sum(w * squared_difference(xt, mean), axes, name="weighted_distsq",
                            keepdims=True)  # fmt: skip
        variance = multiply(distsq, divisor)
        if not keep:
            mean = squeeze(mean, axis=axes)
            variance = squeeze(variance, axis=axes)
        if needs_cast:
            mean = cast(mean, dtypes.float16)
            variance = cast(variance, dtypes.float16)
        return mean, variance


# ``y`` is always a new tensor (a following ``Relu`` may run in place on it); in inference the
# mean and variance outputs are the inputs themselves.
declare_fresh_output("FusedBatchNormV3", output=0)


__all__ = ["batch_normalization", "fused_batch_norm", "l2_normalize", "moments", "weighted_moments"]
