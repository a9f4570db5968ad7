"""Fusions of a convolution with its bias, and of ``Relu`` with the ``MaxPool`` reading it.

Registered with ``grad=True`` (``register_fusion``): training plans use them too, as TF's
grappler remapper turns ``Conv2D`` + ``BiasAdd``/``Add`` (+ ``Relu``) into one ``_FusedConv2D``
in training graphs as well. Both give the values and the gradients of the two ops they replace:

* ``Conv2D`` then ``AddV2``/``BiasAdd`` of a per-output-channel vector: the bias goes into the
  convolution call itself (``F.conv2d(x, w, b)``; oneDNN adds it in its output loop), whose
  backward computes the bias gradient as the sum of the output gradient over batch and space.
  This saves the separate add (a read and a write of the whole activation). Under autograd the
  bias gradient is still the add's own reduction (``_ConvBias``), for the same last bits. In a
  no-grad plan the convolution runs on the prepacked filter with the bias
  (``conv_ops._conv_pointwise``).
* ``Relu`` then ``MaxPool``: ``max_pool(relu(z)) == relu(max_pool(z))`` element for element (both
  are monotonic and ``relu`` keeps the order of positive values), so the ReLU runs on the pooled
  tensor (a quarter of the elements for a 2x2/2 pool), and so does its backward. The gradients
  agree as well: where a window's maximum is positive, both route the gradient to the same
  first maximal element; where it is not, ReLU's gradient is zero for every element of the
  window either way. NaN propagates in both orders. Where the compiled NHWC pooling applies
  (``ops/_max_pool_nhwc``), the ReLU runs inside the pooling pass (its gradient too: the
  window's recorded position is cleared where the maximum is ``<= 0``): no separate pass.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F  # noqa: N812

from scopeflow.errors import InvalidArgumentError
from scopeflow.graph.op_registry import get_kernel, register_fusion
from scopeflow.ops._filter_cache import FilterCache
from scopeflow.ops.conv_ops import (
    _CHANNELS_LAST,
    _conv_pointwise,
    _packable,
    _reorder_filter,
    _same_pads,
    _spatial_axes,
)


def _is_channel_bias(conv: Any, consumer: Any, bias: Any) -> bool:
    """Whether ``consumer`` adds ``bias`` once per output channel of the 2-D ``conv``."""
    fmt = conv._attrs["data_format"]
    if consumer.type == "BiasAdd":
        bfmt = consumer._attrs["data_format"]
        if not (fmt == "NHWC" and bfmt in ("NHWC", "N..C")) and not (fmt == bfmt == "NCHW"):
            return False
    elif fmt != "NHWC":  # a broadcast add of a vector runs along the last axis only
        return False
    if bias._dtype.base_dtype != conv._outputs[0]._dtype.base_dtype:
        return False
    dims = bias._shape._dims
    wdims = conv._inputs[1]._shape._dims
    if dims is None or len(dims) != 1 or wdims is None or len(wdims) != 4:
        return False
    n, c_out = dims[0].value, wdims[3].value
    return n is not None and n == c_out


class _ConvBias(torch.autograd.Function):
    """``conv2d(x, w, b)`` whose bias gradient is the separate add's (same last bits).

    The bias gradient is the sum of the output gradient over batch and space by ``Tensor.sum``,
    as autograd reduces a broadcast add's gradient (TF too reduces it apart from the
    convolution, in ``BiasAddGrad``). oneDNN's own bias gradient sums in another order; its
    last-bit differences, through an optimizer such as Adam (whose first step divides a
    gradient by its magnitude), grew to 4e-4 relative in a DCGAN step. The input and filter
    gradients are the convolution's own.
    """

    @staticmethod
    def forward(ctx: Any, x: Any, w: Any, b: Any, stride: Any, padding: Any, dilation: Any,
                groups: int) -> Any:  # fmt: skip
        ctx.save_for_backward(x, w)
        ctx.args = (stride, padding, dilation, groups)
        return F.conv2d(x, w, b, stride=stride, padding=padding, dilation=dilation, groups=groups)

    @staticmethod
    def backward(ctx: Any, g: Any) -> Any:
        x, w = ctx.saved_tensors
        stride, padding, dilation, groups = ctx.args
        need_x, need_w, need_b = ctx.needs_input_grad[:3]
        gx = gw = gb = None
        if need_x or need_w:
            gx, gw, _ = torch.ops.aten.convolution_backward(
                g, x, w, None, stride, padding, dilation, False, [0, 0], groups,
                [need_x, need_w, False],
            )  # fmt: skip
        if need_b:
            gb = g.sum((0, 2, 3))
        return gx, gw, gb, None, None, None, None


def _conv_bias_kernel(conv: Any) -> Any:
    """``conv(x, w) + b`` for a 2-D ``Conv2D`` op, with the bias inside the convolution."""
    a = conv._attrs
    last = a["data_format"] in _CHANNELS_LAST
    sp_axes, c_ax = _spatial_axes(a["data_format"], 2)
    strides = tuple(a["strides"][ax] for ax in sp_axes)
    dil = tuple(a["dilations"][ax] for ax in sp_axes)
    padding = a["padding"]
    ep = a.get("explicit_paddings") or []
    bad_strides = a["strides"][0] != 1 or a["strides"][c_ax] != 1
    cache = FilterCache()

    def torch_filter(w: Any) -> Any:
        return w.permute(3, 2, 0, 1).contiguous(memory_format=torch.channels_last)

    def kernel(x: Any, w: Any, b: Any) -> Any:
        if bad_strides:
            raise InvalidArgumentError(None, conv, "Current implementation does not yet support "
                                       "strides in the batch and depth dimensions.")  # fmt: skip
        xc = x.permute(0, 3, 1, 2) if last else x
        groups = xc.shape[1] // w.shape[2]
        if padding == "SAME":
            pads = [_same_pads(xc.shape[2 + i], w.shape[i], strides[i], dil[i]) for i in range(2)]
        elif padding == "VALID":
            pads = [(0, 0)] * 2
        else:
            pads = [(ep[2 * ax], ep[2 * ax + 1]) for ax in sp_axes]
        sym = tuple(p[0] for p in pads)
        if not all(p[0] == p[1] for p in pads):
            xc = F.pad(xc, [v for p in reversed(pads) for v in p])
            sym = (0, 0)
        if _packable(xc, w, b):
            # As the plain kernel: oneDNN's layout of the filter for this input shape, made once.
            def pack(w: Any) -> Any:
                return _reorder_filter(torch_filter(w), sym, strides, dil, groups, xc.shape)

            wp = cache.get(w, pack, (tuple(xc.shape), sym))
            y = _conv_pointwise(xc, wp, b, sym, strides, dil, groups, "none", [], "")
        elif torch.is_grad_enabled() and b.requires_grad:
            args = (strides, sym, dil, groups)
            y = _ConvBias.apply(xc, cache.get(w, torch_filter), b, *args)
        else:
            wt = cache.get(w, torch_filter)
            y = F.conv2d(xc, wt, b, stride=strides, padding=sym, dilation=dil, groups=groups)
        return y.permute(0, 2, 3, 1) if last else y

    return kernel


def _fuse_conv_bias(index: int) -> Any:
    def factory(conv: Any, add: Any, session: Any, conv_kernel: Any) -> Any:
        bias = add._inputs[1 - index]
        if not _is_channel_bias(conv, add, bias):
            return None
        return _conv_bias_kernel(conv)

    return factory


register_fusion("Conv2D", "AddV2", 0, grad=True)(_fuse_conv_bias(0))
register_fusion("Conv2D", "AddV2", 1, grad=True)(_fuse_conv_bias(1))
register_fusion("Conv2D", "BiasAdd", 0, grad=True)(_fuse_conv_bias(0))


@register_fusion("Relu", "MaxPool", 0, grad=True)
def _fuse_relu_max_pool(relu: Any, pool: Any, session: Any, relu_kernel: Any) -> Any:
    """``max_pool(relu(z))`` as ``relu(max_pool(z))`` (the ReLU on the smaller tensor)."""
    if relu_kernel is not torch.relu:  # a fused producer (convolution + batch norm + ReLU)
        return None
    if relu._inputs[0]._dtype.base_dtype.is_integer:
        return None
    pool_kernel = get_kernel("MaxPool").factory(pool, session)
    with_relu = getattr(pool_kernel, "with_relu", None)

    def kernel(z: Any) -> Any:
        if with_relu is not None:
            y = with_relu(z)  # the compiled pool with the ReLU in the same pass, or None
            if y is not None:
                return y
        y = pool_kernel(z)
        # The pool's output is fresh: without autograd the ReLU overwrites it. With autograd
        # it does not, as the output is a permuted view, and an in-place op on a view makes
        # the backward pass copy the gradient through the view's base (3 copies per step).
        return torch.relu(y) if y.requires_grad else torch.relu_(y)

    return kernel


__all__: list[str] = []
