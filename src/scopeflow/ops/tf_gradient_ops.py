"""TF's own gradient ops, as TF-written training graphs contain them.

scopeflow's ``tf.gradients`` differentiates with torch autograd (one ``SymbolicGradient`` op), so
these ops are built only when a TF-written GraphDef is imported (``graph_import``): the
elementwise activation gradients (``ReluGrad``, ``Relu6Grad``, ``SigmoidGrad``, ``TanhGrad``...),
``BiasAddGrad``, ``BroadcastGradientArgs``, ``Conv2DBackpropFilter``, ``MaxPoolGrad``,
``AvgPoolGrad``, ``FusedBatchNormGrad{,V2,V3}``, ``SoftmaxCrossEntropyWithLogits`` (both outputs),
``InvertPermutation``, ``ConcatOffset``, ``ControlTrigger`` and ``DynamicStitch``.

The convolution and pooling gradients are the vector-Jacobian products of scopeflow's own
forward kernels (same padding rules, first-maximum routing of ``MaxPool`` as TF's CPU kernel);
the others are TF's formulas.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import torch

from scopeflow._core.tensor_shape import TensorShape
from scopeflow.errors import InvalidArgumentError
from scopeflow.graph.op_registry import get_kernel, register_kernel
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.ops._op_builder import UNKNOWN, make_multi_op, make_op, shape_from_tensor

# --- elementwise activation gradients: (gradients/dy, features/y) -> same shape ------------------

_ELEMENTWISE: dict[str, Callable[[Any, Any], Any]] = {
    # ``(a, b)`` in TF's input order.
    "ReluGrad": lambda g, x: g * (x > 0).to(g.dtype),
    "Relu6Grad": lambda g, x: g * ((x > 0) & (x < 6)).to(g.dtype),
    "EluGrad": lambda g, y: torch.where(y > 0, g, g * (y + 1)),
    "SoftplusGrad": lambda g, x: g * torch.sigmoid(x),
    "SigmoidGrad": lambda y, dy: dy * (y * (1 - y)),
    "TanhGrad": lambda y, dy: dy * (1 - y * y),
    "RsqrtGrad": lambda y, dy: dy * (y * y * y) * -0.5,
    "SqrtGrad": lambda y, dy: dy * 0.5 / y,
    "ReciprocalGrad": lambda y, dy: -dy * y * y,
}


def elementwise_grad(op_type: str, a: Tensor, b: Tensor, name: str) -> Tensor:
    """One of TF's elementwise activation-gradient ops (``ReluGrad(gradients, features)``...)."""
    dt = a._dtype.base_dtype
    shape = a._shape.merge_with(b._shape) if a._shape.is_compatible_with(b._shape) else a._shape
    return make_op(op_type, (a, b), {"T": dt}, name, dt, shape)


def _elementwise_kernel(op_type: str) -> Callable[[Any, Any], Any]:
    fn = _ELEMENTWISE[op_type]
    return lambda op, session: fn


for _t in _ELEMENTWISE:
    register_kernel(_t)(_elementwise_kernel(_t))


def leaky_relu_grad(g: Tensor, x: Tensor, alpha: float, name: str) -> Tensor:
    """``LeakyReluGrad(gradients, features)``."""
    dt = g._dtype.base_dtype
    return make_op("LeakyReluGrad", (g, x), {"T": dt, "alpha": alpha}, name, dt, g._shape)


@register_kernel("LeakyReluGrad")
def _leaky_relu_grad_kernel(op: Any, session: Any) -> Any:
    alpha = float(op._attrs["alpha"])
    return lambda g, x: torch.where(x > 0, g, g * alpha)


# --- BiasAddGrad ---------------------------------------------------------------------------------


def bias_add_grad(out_backprop: Tensor, data_format: str, name: str) -> Tensor:
    """Sum of ``out_backprop`` over every dimension but the channels (``BiasAddGrad``)."""
    dt = out_backprop._dtype.base_dtype
    s = out_backprop._shape
    shape = UNKNOWN
    if s.ndims is not None:
        shape = TensorShape([s.as_list()[1 if data_format == "NCHW" else -1]])
    attrs = {"T": dt, "data_format": data_format}
    return make_op("BiasAddGrad", (out_backprop,), attrs, name, dt, shape)


@register_kernel("BiasAddGrad")
def _bias_add_grad_kernel(op: Any, session: Any) -> Any:
    first = op._attrs["data_format"] == "NCHW"

    def kernel(g: Any) -> Any:
        c = 1 if first and g.dim() > 2 else g.dim() - 1
        return g.sum(dim=[d for d in range(g.dim()) if d != c])

    return kernel


# --- BroadcastGradientArgs -----------------------------------------------------------------------


def broadcast_gradient_args(s0: Tensor, s1: Tensor, name: str) -> Operation:
    """The reduction axes of each operand's gradient under broadcasting (two int vectors)."""
    dt = s0._dtype.base_dtype
    vec = TensorShape([None])
    return make_multi_op("BroadcastGradientArgs", (s0, s1), {"T": dt}, name, (dt, dt), (vec, vec))


def _reduction_axes(a: list[int], b: list[int]) -> tuple[list[int], list[int]]:
    """TF's ``BCast`` gradient reduction indices (no dimension merging)."""
    n = max(len(a), len(b))
    pa, pb = [1] * (n - len(a)) + a, [1] * (n - len(b)) + b
    ra: list[int] = []
    rb: list[int] = []
    for i in range(n):
        x, y = pa[i], pb[i]
        if x not in (y, 1) and y != 1:
            raise ValueError(f"Incompatible shapes: [{','.join(map(str, a))}] vs. "
                             f"[{','.join(map(str, b))}]")  # fmt: skip
        if x == 1 and y == 1:
            ra.append(i)
            rb.append(i)
        elif x == 1:
            ra.append(i)
        elif y == 1:
            rb.append(i)
    return ra, rb


@register_kernel("BroadcastGradientArgs")
def _broadcast_gradient_args_kernel(op: Any, session: Any) -> Any:
    def kernel(s0: Any, s1: Any) -> Any:
        try:
            ra, rb = _reduction_axes(s0.tolist(), s1.tolist())
        except ValueError as e:
            raise InvalidArgumentError(None, op, str(e)) from None
        return torch.tensor(ra, dtype=s0.dtype), torch.tensor(rb, dtype=s0.dtype)

    return kernel


# --- gradients through scopeflow's forward kernels -----------------------------------------------


class _Forward:
    """The attributes a forward kernel factory reads (``type`` and ``_attrs``)."""

    def __init__(self, op: Any, op_type: str, attrs: dict[str, Any]) -> None:
        self.type = op_type
        self._attrs = attrs
        self.name = op.name
        self._name = op._name

    def _error_context(self) -> Any:
        return None


def _vjp(fwd: Callable[..., Any], primals: Sequence[Any], wrt: Sequence[int], cot: Any) -> Any:
    with torch.enable_grad():
        ps = [p.detach().requires_grad_(k in wrt) for k, p in enumerate(primals)]
        out = fwd(*ps)
        if isinstance(out, (tuple, list)):
            out = out[0]
        grads = torch.autograd.grad(out, [ps[k] for k in wrt], cot)
    # Autograd hands back the strides of the forward's permuted views; optimizer kernels (torch's
    # fused Adam) need dense row-major tensors as any other op output.
    return [g.contiguous() for g in grads]


def conv2d_backprop_filter(x: Tensor, sizes: Tensor, g: Tensor, attrs: dict[str, Any],
                           name: str) -> Tensor:  # fmt: skip
    """``Conv2DBackpropFilter(input, filter_sizes, out_backprop)``: the filter's gradient."""
    dt = x._dtype.base_dtype
    keep = ("data_format", "dilations", "explicit_paddings", "padding", "strides",
            "use_cudnn_on_gpu")  # fmt: skip
    a = {"T": dt, **{k: attrs[k] for k in keep if k in attrs}}
    a.setdefault("data_format", "NHWC")
    a.setdefault("dilations", [1, 1, 1, 1])
    a.setdefault("explicit_paddings", [])
    return make_op("Conv2DBackpropFilter", (x, sizes, g), a, name, dt, shape_from_tensor(sizes))


# Registered by ``api_c_nn_ops`` (differentiable, for ``tf.nn.conv2d_backprop_filter``), which
# uses this vector-Jacobian product for ``EXPLICIT`` padding.
def _conv2d_backprop_filter_kernel(op: Any, session: Any) -> Any:
    fwd = get_kernel("Conv2D").factory(_Forward(op, "Conv2D", op._attrs), session)

    def kernel(x: Any, sizes: Any, g: Any) -> Any:
        w = torch.zeros([int(v) for v in sizes.tolist()], dtype=x.dtype)
        return _vjp(fwd, (x, w), (1,), g)[0]

    return kernel


def pool_grad(op_type: str, inputs: Sequence[Tensor], attrs: dict[str, Any], name: str) -> Tensor:
    """``MaxPoolGrad(orig_input, orig_output, grad)`` / ``AvgPoolGrad(orig_input_shape, grad)``."""
    dt = inputs[-1]._dtype.base_dtype
    a = {"T": dt, "ksize": attrs["ksize"], "strides": attrs["strides"],
         "padding": attrs["padding"], "data_format": attrs.get("data_format", "NHWC")}  # fmt: skip
    shape = inputs[0]._shape if op_type == "MaxPoolGrad" else shape_from_tensor(inputs[0])
    return make_op(op_type, inputs, a, name, dt, shape)


@register_kernel("MaxPoolGrad")
def _max_pool_grad_kernel(op: Any, session: Any) -> Any:
    fwd = get_kernel("MaxPool").factory(_Forward(op, "MaxPool", op._attrs), session)
    return lambda x, y, g: _vjp(fwd, (x,), (0,), g)[0]


@register_kernel("AvgPoolGrad")
def _avg_pool_grad_kernel(op: Any, session: Any) -> Any:
    fwd = get_kernel("AvgPool").factory(_Forward(op, "AvgPool", op._attrs), session)

    def kernel(sizes: Any, g: Any) -> Any:
        x = torch.zeros([int(v) for v in sizes.tolist()], dtype=g.dtype)
        return _vjp(fwd, (x,), (0,), g)[0]

    return kernel


# --- FusedBatchNormGrad --------------------------------------------------------------------------


def fused_batch_norm_grad(op_type: str, inputs: Sequence[Tensor], attrs: dict[str, Any],
                          name: str) -> Operation:  # fmt: skip
    """``FusedBatchNormGrad{,V2,V3}``: ``x``, ``scale`` and ``offset`` gradients (+ reserves)."""
    dt = inputs[0]._dtype.base_dtype
    u = inputs[2]._dtype.base_dtype
    a: dict[str, Any] = {"T": dt, "epsilon": float(attrs.get("epsilon", 1e-4)),
                         "data_format": attrs.get("data_format", "NHWC"),
                         "is_training": bool(attrs.get("is_training", True))}  # fmt: skip
    if op_type != "FusedBatchNormGrad":
        a["U"] = u
    n_out = 5
    c = inputs[2]._shape
    empty = TensorShape([0])
    shapes = (inputs[1]._shape, c, c, empty, empty)
    return make_multi_op(op_type, inputs, a, name, (dt, u, u, u, u)[:n_out], shapes)


def _fused_bn_grad_kernel(op: Any, session: Any) -> Any:
    a = op._attrs
    eps, training = a["epsilon"], a["is_training"]
    nhwc = a["data_format"][-1] == "C"

    def kernel(dy: Any, x: Any, scale: Any, mean: Any, var: Any, *reserve: Any) -> Any:
        dyc = dy if nhwc else dy.movedim(1, -1)
        xc = x if nhwc else x.movedim(1, -1)
        up = torch.float32 if xc.dtype in (torch.float16, torch.bfloat16) else xc.dtype
        dyc, xc = dyc.to(up), xc.to(up)
        red = tuple(range(xc.dim() - 1))
        inv = torch.rsqrt(var.to(up) + eps)
        xhat = (xc - mean.to(up)) * inv
        d_offset = dyc.sum(red)
        d_scale = (dyc * xhat).sum(red)
        if training:
            n = xc.numel() // xc.shape[-1]
            dx = scale.to(up) * inv * (dyc - d_offset / n - xhat * (d_scale / n))
        else:
            dx = dyc * (scale.to(up) * inv)
        dx = dx.to(x.dtype)
        dx = dx if nhwc else dx.movedim(-1, 1)
        empty = torch.empty(0, dtype=scale.dtype)
        return dx, d_scale.to(scale.dtype), d_offset.to(scale.dtype), empty, empty

    return kernel


for _t in ("FusedBatchNormGrad", "FusedBatchNormGradV2", "FusedBatchNormGradV3"):
    register_kernel(_t)(_fused_bn_grad_kernel)


# --- SoftmaxCrossEntropyWithLogits ---------------------------------------------------------------


def softmax_xent_with_logits(features: Tensor, labels: Tensor, name: str) -> Operation:
    """The raw ``SoftmaxCrossEntropyWithLogits`` op: per-row loss and ``softmax - labels``."""
    dt = features._dtype.base_dtype
    s = features._shape
    loss = UNKNOWN if s.ndims is None else TensorShape(s.as_list()[:-1])
    return make_multi_op("SoftmaxCrossEntropyWithLogits", (features, labels), {"T": dt}, name,
                         (dt, dt), (loss, s))  # fmt: skip


@register_kernel("SoftmaxCrossEntropyWithLogits")
def _softmax_xent_kernel(op: Any, session: Any) -> Any:
    def kernel(x: Any, z: Any) -> Any:
        xf = x.float() if x.dtype in (torch.float16, torch.bfloat16) else x
        xb, zb = torch.broadcast_tensors(xf, z.to(xf.dtype))
        loss = -(zb * torch.log_softmax(xb, -1)).sum(-1)
        back = torch.softmax(xb, -1) - zb
        return loss.to(x.dtype), back.to(x.dtype)

    return kernel


# --- small shape ops of TF's gradient code -------------------------------------------------------


def invert_permutation(x: Tensor, name: str) -> Tensor:
    """``InvertPermutation``: ``y[x[i]] = i``."""
    dt = x._dtype.base_dtype
    return make_op("InvertPermutation", (x,), {"T": dt}, name, dt, x._shape)


@register_kernel("InvertPermutation")
def _invert_permutation_kernel(op: Any, session: Any) -> Any:
    def kernel(x: Any) -> Any:
        p = x.tolist()
        seen: set[int] = set()
        for d in p:  # TF's messages, first offending element
            if not 0 <= d < len(p):
                raise InvalidArgumentError(None, op, f"{d} is not between 0 and {len(p)}")
            if d in seen:
                raise InvalidArgumentError(None, op, f"{d} is duplicated in the input.")
            seen.add(d)
        return torch.argsort(x).to(x.dtype)

    return kernel


def concat_offset(concat_dim: Tensor, shapes: Sequence[Tensor], name: str) -> Operation:
    """``ConcatOffset``: where each input of a concat starts along ``concat_dim``."""
    dt = shapes[0]._dtype.base_dtype
    attrs = {"N": len(shapes), "shape_type": dt}
    return make_multi_op("ConcatOffset", (concat_dim, *shapes), attrs, name,
                         (dt,) * len(shapes), tuple(s._shape for s in shapes))  # fmt: skip


@register_kernel("ConcatOffset")
def _concat_offset_kernel(op: Any, session: Any) -> Any:
    def kernel(dim: Any, *shapes: Any) -> Any:
        rank = len(shapes[0])
        axis = int(dim) % rank if rank else 0
        outs = []
        offset = 0
        for s in shapes:
            o = np.zeros(rank, np.int64)
            o[axis] = offset
            offset += int(s[axis])
            outs.append(torch.tensor(o, dtype=s.dtype))
        return tuple(outs)

    return kernel


def control_trigger(name: str) -> Operation:
    """``ControlTrigger``: a no-op that control flow v1 gradients use as an anchor."""
    return make_multi_op("ControlTrigger", (), {}, name, (), ())


@register_kernel("ControlTrigger")
def _control_trigger_kernel(op: Any, session: Any) -> Any:
    return lambda: None


__all__ = [
    "bias_add_grad",
    "broadcast_gradient_args",
    "concat_offset",
    "control_trigger",
    "conv2d_backprop_filter",
    "dynamic_stitch",
    "elementwise_grad",
    "fused_batch_norm_grad",
    "invert_permutation",
    "leaky_relu_grad",
    "pool_grad",
    "softmax_xent_with_logits",
]


# --- DynamicStitch (TF's gradients of reductions over non-constant axes) -------------------------


def dynamic_stitch(indices: Sequence[Tensor], data: Sequence[Tensor], name: str,
                   op_type: str = "DynamicStitch") -> Tensor:  # fmt: skip
    """``merged[indices[m][i, ...]] = data[m][i, ...]`` (``DynamicStitch``, ``Parallel...``).

    Later ``(m, i)`` win where indices repeat (TF's CPU order). The static shape is ``[?]`` plus
    the element shape of ``data[0]``.
    """
    if len(indices) != len(data) or not indices:
        raise ValueError(f"{op_type} needs as many indices as data tensors (and at least one)")
    dt = data[0]._dtype.base_dtype
    shape = UNKNOWN
    i0, d0 = indices[0]._shape, data[0]._shape
    if i0.ndims is not None and d0.ndims is not None:
        shape = TensorShape([None, *d0.as_list()[i0.ndims :]])
    attrs = {"N": len(data), "T": dt}
    return make_op(op_type, (*indices, *data), attrs, name, dt, shape)


def _stitch_kernel(op: Any, session: Any) -> Any:
    n = op._attrs["N"]

    def kernel(*vals: Any) -> Any:
        idx, data = vals[:n], vals[n:]
        size = max((int(i.max()) + 1 for i in idx if i.numel()), default=0)
        elem = data[0].shape[idx[0].dim() :]
        out = torch.zeros((size, *elem), dtype=data[0].dtype)
        for i, d in zip(idx, data, strict=True):
            if tuple(d.shape[: i.dim()]) != tuple(i.shape):
                raise InvalidArgumentError(
                    None, op, f"data.shape {list(d.shape)} does not start with indices.shape "
                    f"{list(i.shape)}"
                )  # fmt: skip
            flat = i.reshape(-1).long()
            vals_flat = d.reshape(flat.numel(), *elem)
            for k in range(flat.numel()):  # in order: the last write of an index wins
                out[flat[k]] = vals_flat[k]
        return out

    return kernel


register_kernel("DynamicStitch")(_stitch_kernel)
register_kernel("ParallelDynamicStitch")(_stitch_kernel)
