"""Losses of ``tf.nn``.

Losses of ``tf.nn``: ``l2_loss``, the softmax cross-entropies (sparse, TF1 with a stopped
gradient into ``labels``, and ``_v2``), ``sigmoid_cross_entropy_with_logits`` and
``weighted_cross_entropy_with_logits``.

Differences from TensorFlow: TF builds the softmax/sigmoid losses from several ops; here each is
one node named as TF names the result (``softmax_cross_entropy_with_logits_sg/Reshape_2``,
``logistic_loss``...), computed with TF's numerically stable formulas so values and gradients
match.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

import torch

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.errors import InvalidArgumentError
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Tensor
from scopeflow.ops import _math_grad
from scopeflow.ops._op_builder import SCALAR, UNKNOWN, make_multi_op, make_op
from scopeflow.ops.math_ops import _check_allowed, _scope

_FLOAT = (dtypes.float16, dtypes.bfloat16, dtypes.float32, dtypes.float64)


def l2_loss(t: Any, name: str | None = None) -> Tensor:
    """``sum(t ** 2) / 2`` (``tf.nn.l2_loss``), a scalar ``L2Loss`` op.

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.nn.l2_loss(tf.ones([2, 3])).name)
    L2Loss:0
    """
    scope = _scope(name, "L2Loss")
    x = convert_to_tensor(t, name=scope + "t/")
    _check_allowed(x, _FLOAT, "t")
    return make_op("L2Loss", (x,), {"T": x._dtype.base_dtype}, scope, x._dtype.base_dtype, SCALAR)


@register_kernel("L2Loss")
def _l2_loss_kernel(op: Any, session: Any) -> Any:
    return lambda x: (x * x).sum() / 2


def _xent_shape(logits: TensorShape, axis: int) -> TensorShape:
    if logits.ndims is None:
        return UNKNOWN
    dims = logits.as_list()
    del dims[axis % len(dims)]
    return TensorShape(dims)


def _softmax_xent(labels: Any, logits: Any, axis: int, name: str | None, default: str,
                  stop_labels: bool) -> Tensor:  # fmt: skip
    scope = _scope(name, default)
    g = get_default_graph()
    if stop_labels:
        g._names.mark_used(scope + "labels_stop_gradient")
    x = convert_to_tensor(logits, name=scope + "logits/")
    z = convert_to_tensor(labels, name=scope + "labels/")
    _check_allowed(x, _FLOAT, "features")
    xs, zs = x._shape, z._shape
    if xs.ndims == 0:
        raise ValueError("Shape must be at least rank 1 but is rank 0")
    if not xs.is_compatible_with(zs):
        raise ValueError(
            f"Dimensions must be equal, but are {zs.as_list()[-1]} and {xs.as_list()[-1]} for "
            f"'{{{{node {scope[:-1]}}}}} = SoftmaxCrossEntropyWithLogits[T=DT_FLOAT]' with input "
            f"shapes: {_sl(xs)}, {_sl(zs)}."
            if xs.ndims == zs.ndims
            else f"Shapes {xs} and {zs} are incompatible"
        )
    if xs.ndims is not None and not -xs.ndims <= axis < xs.ndims:
        raise InvalidArgumentError(None, None, f"axis {axis} out of range for rank {xs.ndims}")
    for nm in ("Rank", "Shape", "Rank_1", "Shape_1", "Sub", "Slice", "concat", "Reshape",
               "Rank_2", "Shape_2", "Sub_1", "Slice_1", "concat_1", "Reshape_1", "Sub_2",
               "Slice_2"):  # fmt: skip
        g._names.mark_used(scope + nm)
    attrs: dict[str, Any] = {"T": x._dtype.base_dtype, "axis": axis, "stop_labels": stop_labels}
    if stop_labels:
        attrs["_diff_inputs"] = (0,)  # TF1 wraps labels in stop_gradient: no gradient, None
    return make_op("SfSoftmaxCrossEntropy", (x, z), attrs, scope + "Reshape_2/",
                   x._dtype.base_dtype, _xent_shape(xs, axis))  # fmt: skip


def _sl(s: TensorShape) -> str:
    if s.ndims is None:
        return "?"
    return "[" + ",".join("?" if d is None else str(d) for d in s.as_list()) + "]"


@register_kernel("SfSoftmaxCrossEntropy")
def _softmax_xent_kernel(op: Any, session: Any) -> Any:
    axis, stop = op._attrs["axis"], op._attrs["stop_labels"]

    def kernel(x: Any, z: Any) -> Any:
        if z.dtype != x.dtype:
            z = z.to(x.dtype)
        if stop:
            z = z.detach()
        return _math_grad.softmax_xent(x, z, axis)

    return kernel


def softmax_cross_entropy_with_logits(labels: Any = None, logits: Any = None, dim: int = -1,
                                      name: str | None = None,
                                      axis: int | None = None) -> Tensor:  # fmt: skip
    """TF1 softmax cross-entropy (``tf.nn.softmax_cross_entropy_with_logits``).

    TF1 softmax cross-entropy: per-example ``-sum(labels * log_softmax(logits))``; like TF1, no
    gradient flows into ``labels`` (TF's ``labels_stop_gradient``). The result is named
    ``softmax_cross_entropy_with_logits_sg/Reshape_2``.
    """
    if axis is not None:
        dim = axis
    return _softmax_xent(labels, logits, dim, name, "softmax_cross_entropy_with_logits_sg", True)


def softmax_cross_entropy_with_logits_v2(labels: Any, logits: Any, axis: int | None = None,
                                         name: str | None = None,
                                         dim: int | None = None) -> Tensor:  # fmt: skip
    """Softmax cross-entropy with gradients into labels and logits (``_v2``).

    Softmax cross-entropy with gradients into both ``labels`` and ``logits``
    (``tf.nn.softmax_cross_entropy_with_logits_v2``), named
    ``softmax_cross_entropy_with_logits/Reshape_2``.
    """
    if axis is None:
        axis = -1 if dim is None else dim
    return _softmax_xent(labels, logits, axis, name, "softmax_cross_entropy_with_logits", False)


def sparse_softmax_cross_entropy_with_logits(labels: Any = None, logits: Any = None,
                                             name: str | None = None) -> Tensor:  # fmt: skip
    """Softmax cross-entropy with integer class labels.

    Softmax cross-entropy with integer class ``labels`` (``tf.nn.sparse_softmax_cross_entropy_
    with_logits``): a ``SparseSoftmaxCrossEntropyWithLogits`` op; labels outside ``[0, classes)``
    raise ``InvalidArgumentError`` at run time, as on TF's CPU.
    """
    scope = _scope(name, "SparseSoftmaxCrossEntropyWithLogits")
    z = convert_to_tensor(labels, name=scope + "labels/")
    x = convert_to_tensor(logits, name=scope + "logits/")
    if z._dtype.base_dtype not in (dtypes.int32, dtypes.int64):
        raise TypeError(f"Value passed to parameter 'labels' has DataType "
                        f"{z._dtype.base_dtype.name} not in list of allowed values: int32, "
                        f"int64")  # fmt: skip
    _check_allowed(x, _FLOAT, "features")
    xs, zs = x._shape, z._shape
    if xs.ndims == 0:
        raise ValueError(f"Logits cannot be scalars - received shape {xs}.")
    if xs.ndims is not None and zs.ndims is not None:
        if zs.ndims != xs.ndims - 1:
            raise ValueError(f"`labels.shape.rank` must equal `logits.shape.rank - 1`. Received: "
                             f"labels.shape={zs} of rank {zs.ndims} and logits.shape={xs} of "
                             f"rank {xs.ndims}")  # fmt: skip
        if not zs.is_compatible_with(TensorShape(xs.as_list()[:-1])):
            raise ValueError(
                f"`labels.shape` must equal `logits.shape` except for the last dimension. "
                f"Received: labels.shape={zs} and logits.shape={xs}"
            )
    g = get_default_graph()
    g._names.mark_used(scope + "Shape")
    out_shape = UNKNOWN if xs.ndims is None else TensorShape(xs.as_list()[:-1])
    if zs.ndims is not None and out_shape.ndims is not None:
        out_shape = out_shape.merge_with(zs)
    elif zs.ndims is not None:
        out_shape = zs
    if xs.ndims == 2 or xs.ndims is None:
        op_name = scope + (name or "SparseSoftmaxCrossEntropyWithLogits") + "/"
    else:
        for nm in ("strided_slice", "Reshape", "Reshape_1", "SparseSoftmaxCrossEntropyWithLogits"):
            g._names.mark_used(scope + nm)
        op_name = scope + "Reshape_2/"
    attrs = {"T": x._dtype.base_dtype, "Tlabels": z._dtype.base_dtype}
    dt = x._dtype.base_dtype
    op = make_multi_op("SparseSoftmaxCrossEntropyWithLogits", (x, z), attrs, op_name, (dt, dt),
                       (out_shape, xs))  # fmt: skip
    return op._outputs[0]


@register_kernel("SparseSoftmaxCrossEntropyWithLogits")
def _sparse_xent_kernel(op: Any, session: Any) -> Any:
    def kernel(x: Any, z: Any) -> Any:
        c = x.shape[-1]
        zl = z.long()
        if zl.numel() and (int(zl.min()) < 0 or int(zl.max()) >= c):
            bad = zl[(zl < 0) | (zl >= c)].reshape(-1)[0].item()
            raise InvalidArgumentError(
                None, op,
                f"Received a label value of {bad} which is outside the valid range of [0, {c}).  "
                f"Label values: {' '.join(str(v) for v in z.reshape(-1).tolist())}",
            )  # fmt: skip
        xf = x.float() if x.dtype in (torch.float16, torch.bfloat16) else x
        logp = torch.log_softmax(xf, -1)
        loss = -logp.gather(-1, zl.unsqueeze(-1)).squeeze(-1)
        back = torch.softmax(xf, -1) - torch.nn.functional.one_hot(zl, c).to(xf.dtype)
        return loss.to(x.dtype), back.detach().to(x.dtype)

    return kernel


def _logistic_pair(labels: Any, logits: Any, scope: str) -> tuple[Tensor, Tensor]:
    x = convert_to_tensor(logits, name=scope + "logits/")
    z = convert_to_tensor(labels, dtype=x._dtype.base_dtype, name=scope + "labels/")
    if not x._shape.is_compatible_with(z._shape):
        raise ValueError(f"`logits` and `labels` must have the same shape, received "
                         f"({x._shape} vs {z._shape}).")  # fmt: skip
    return x, z


def sigmoid_cross_entropy_with_logits(labels: Any = None, logits: Any = None,
                                      name: str | None = None) -> Tensor:  # fmt: skip
    """Elementwise logistic loss (``tf.nn.sigmoid_cross_entropy_with_logits``).

    Elementwise logistic loss ``max(x, 0) - x * z + log(1 + exp(-|x|))``
    (``tf.nn.sigmoid_cross_entropy_with_logits``), named ``logistic_loss``.
    """
    scope = _scope(name, "logistic_loss")
    x, z = _logistic_pair(labels, logits, scope)
    shape = x._shape.merge_with(z._shape)
    return make_op("SfSigmoidCrossEntropy", (x, z), {"T": x._dtype.base_dtype}, scope,
                   x._dtype.base_dtype, shape)  # fmt: skip


@register_kernel("SfSigmoidCrossEntropy")
def _sigmoid_xent_kernel(op: Any, session: Any) -> Any:
    def kernel(x: Any, z: Any) -> Any:
        # TF's selects: the gradient at x == 0 takes the x >= 0 branch, as in TF.
        cond = x >= 0
        zeros = torch.zeros_like(x)
        relu_logits = torch.where(cond, x, zeros)
        neg_abs = torch.where(cond, -x, x)
        return relu_logits - x * z + torch.log1p(torch.exp(neg_abs))

    return kernel


def weighted_cross_entropy_with_logits(labels: Any = None, logits: Any = None,
                                       pos_weight: Any = None, name: str | None = None,
                                       targets: Any = None) -> Tensor:  # fmt: skip
    """Logistic loss with weighted positives (``weighted_cross_entropy_with_logits``).

    Logistic loss with positives weighted by ``pos_weight``
    (``tf.nn.weighted_cross_entropy_with_logits``; ``targets`` is TF1's deprecated name for
    ``labels``), named ``logistic_loss``.
    """
    if targets is not None:
        if labels is not None:
            raise ValueError("Cannot specify both 'labels' and 'targets'")
        labels = targets
    scope = _scope(name, "logistic_loss")
    x, z = _logistic_pair(labels, logits, scope)
    w = convert_to_tensor(pos_weight, dtype=x._dtype.base_dtype, name=scope + "pos_weight/")
    from scopeflow.ops._op_builder import broadcast_static_shape  # noqa: PLC0415

    shape = broadcast_static_shape(x._shape.merge_with(z._shape), w._shape)
    return make_op("SfWeightedCrossEntropy", (x, z, w), {"T": x._dtype.base_dtype}, scope,
                   x._dtype.base_dtype, shape)  # fmt: skip


@register_kernel("SfWeightedCrossEntropy")
def _weighted_xent_kernel(op: Any, session: Any) -> Any:
    def kernel(x: Any, z: Any, w: Any) -> Any:
        log_weight = 1 + (w - 1) * z
        return (1 - z) * x + log_weight * (torch.log1p(torch.exp(-torch.abs(x))) + torch.relu(-x))

    return kernel


__all__ = [
    "l2_loss",
    "sigmoid_cross_entropy_with_logits",
    "softmax_cross_entropy_with_logits",
    "softmax_cross_entropy_with_logits_v2",
    "sparse_softmax_cross_entropy_with_logits",
    "weighted_cross_entropy_with_logits",
]
