"""Convolutions of ``tf.nn`` with TF's layouts and padding.

Convolutions: ``conv1d``, ``conv2d``, ``conv3d``, ``conv2d_transpose``, ``depthwise_conv2d``,
``separable_conv2d`` and ``atrous_conv2d``, with TF's layouts and padding.

Layouts are TF's: channels-last activations (``NWC``/``NHWC``/``NDHWC``; channels-first also, as
TF's CPU kernels accept it) and ``[spatial..., in, out]`` filters. ``SAME`` padding is TF's
asymmetric one (the odd extra row/column goes at the end). Kernels hand PyTorch channels-last
*views* (``permute``), which its convolutions consume without copying the activations; the
filter is converted to torch's channels-last ``[out, in, spatial...]`` once and cached while the
variable or constant holding it is unchanged (``_filter_cache``). In inference (no gradient)
2-D float32 convolutions run on oneDNN's prepacked filter layout, and a plan fuses a
convolution with the inference ``FusedBatchNormV3`` reading it and that op's ``Relu``
(``register_fusion``): the statistics are folded into the cached filter and a bias, and the
ReLU runs inside the convolution, as TF's remapper does for ``_FusedConv2D``.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F  # noqa: N812

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.errors import InvalidArgumentError
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.op_registry import (
    declare_fresh_output,
    declare_thread_invariant,
    register_fusion,
    register_kernel,
)
from scopeflow.graph.tensor import Tensor
from scopeflow.ops._filter_cache import FilterCache
from scopeflow.ops._op_builder import UNKNOWN, make_op, shape_from_tensor
from scopeflow.ops._shape_inference import node_error
from scopeflow.ops.array_ops import shape
from scopeflow.ops.math_ops import _check_allowed, _convert_pair, _scope, name_scope
from scopeflow.ops.with_space_to_batch import with_space_to_batch

_CONV_TYPES = (dtypes.float16, dtypes.bfloat16, dtypes.float32, dtypes.float64)
_CHANNELS_LAST = ("NWC", "NHWC", "NDHWC")
_CHANNELS_FIRST = ("NCW", "NCHW", "NCDHW")


def _spatial_out(size: int | None, k: int | None, stride: int, dilation: int, padding: str,
                 pads: tuple[int, int] | None) -> int | None:  # fmt: skip
    """TF's output size of one spatial dimension of a convolution or pooling window."""
    if size is None or k is None:
        return None
    eff = (k - 1) * dilation + 1
    if padding == "SAME":
        return math.ceil(size / stride)
    if padding == "VALID":
        return max(0, math.ceil((size - eff + 1) / stride))
    assert pads is not None
    return (size + pads[0] + pads[1] - eff) // stride + 1


def _check_window(size: int | None, k: int | None, dilation: int, padding: str,
                  pads: tuple[int, int] | None, scope: str, op_type: str, attrs: dict[str, Any],
                  inputs: tuple[Tensor, ...]) -> None:  # fmt: skip
    """TF's build-time ``ValueError`` for a ``VALID``/explicit window larger than its input.

    TF's shape function subtracts the effective window ``(k - 1) * dilation + 1`` from the
    (explicitly padded) input size and fails when that is negative, whatever the stride.
    """
    if size is None or k is None or padding == "SAME":
        return
    eff = (k - 1) * dilation + 1
    if pads is not None:
        size += pads[0] + pads[1]
    if size < eff:
        raise node_error(
            f"Negative dimension size caused by subtracting {eff} from {size}",
            scope, op_type, attrs, inputs,
        )  # fmt: skip


def _same_pads(size: int, k: int, stride: int, dilation: int) -> tuple[int, int]:
    """TF's ``SAME`` padding (before, after): the odd extra element goes after."""
    out = -(-size // stride)
    eff = (k - 1) * dilation + 1
    total = max((out - 1) * stride + eff - size, 0)
    return total // 2, total - total // 2


def _normalize_list(v: Any, n: int, name: str, data_format: str) -> list[int]:
    """TF's ``_get_sequence``: an int or a list of 1, ``n - 2`` or ``n`` ints -> ``n`` ints."""
    nsp = n - 2
    if v is None:
        return [1] * n
    if isinstance(v, (int, np.integer)):
        v = [int(v)]
    v = [int(x) for x in v]
    if len(v) == 1:
        v = v * nsp
    if len(v) == nsp:
        if data_format in _CHANNELS_LAST:
            return [1, *v, 1]
        return [1, 1, *v]
    if len(v) != n:
        raise ValueError(f"{name} should be of length 1, {nsp} or {n}. Received: {name}={v} of "
                         f"length {len(v)}")  # fmt: skip
    return v


def _spatial_axes(data_format: str, nsp: int) -> tuple[list[int], int]:
    """(spatial axes, channel axis) of a rank ``nsp + 2`` tensor in ``data_format``."""
    if data_format in _CHANNELS_LAST:
        return list(range(1, nsp + 1)), nsp + 1
    return list(range(2, nsp + 2)), 1


def _check_padding(padding: Any, nsp: int, explicit_ok: bool) -> tuple[str, list[list[int]] | None]:
    if isinstance(padding, str):
        p = padding.upper()
        if p not in ("SAME", "VALID"):
            raise ValueError(f"Unknown padding: {padding}")
        return p, None
    if not explicit_ok:
        raise ValueError(f"padding must be 'SAME' or 'VALID', got {padding!r}")
    explicit = [[int(a) for a in p] for p in padding]
    if len(explicit) != nsp + 2 or any(len(p) != 2 for p in explicit):
        raise ValueError(f"padding should be a list of length {nsp + 2} of pairs, got {padding}")
    return "EXPLICIT", explicit


def _tf_type(dt: dtypes.DType) -> str:
    return "DT_" + {"float32": "FLOAT", "float64": "DOUBLE", "float16": "HALF"}.get(
        dt.name, dt.name.upper()
    )


def _conv_nd(op_type: str, nsp: int, x: Tensor, w: Tensor, strides: Any, padding: Any,
             data_format: str, dilations: Any, scope: str, extra: dict[str, Any],
             depthwise: bool = False) -> Tensor:  # fmt: skip
    """Builds a ``Conv2D``/``Conv3D``/``DepthwiseConv2dNative`` node with TF's static shape."""
    _check_allowed(x, _CONV_TYPES, "input")
    n = nsp + 2
    strides_l = _normalize_list(strides, n, "strides", data_format)
    dil = _normalize_list(dilations, n, "dilations", data_format)
    pad, explicit = _check_padding(padding, nsp, explicit_ok=op_type == "Conv2D")
    sp_axes, c_ax = _spatial_axes(data_format, nsp)
    attrs = {
        "T": x._dtype.base_dtype,
        "strides": strides_l,
        "padding": pad,
        "data_format": data_format,
        "dilations": dil,
        **extra,
    }
    if op_type in ("Conv2D", "DepthwiseConv2dNative"):
        attrs["explicit_paddings"] = [v for p in explicit for v in p] if explicit else []
    out = UNKNOWN
    xs, ws = x._shape, w._shape
    if xs.ndims is None and ws.ndims is not None:
        cout = ws.as_list()[nsp + 1]
        if depthwise:
            cin, mult = ws.as_list()[nsp:]
            cout = None if cin is None or mult is None else cin * mult
        out = TensorShape([None] * (nsp + 1) + [cout] if data_format in _CHANNELS_LAST
                          else [None, cout] + [None] * nsp)  # fmt: skip
    if ws.ndims is not None and ws.ndims != n:
        raise ValueError(f"Shape must be rank {n} but is rank {ws.ndims} for '{scope[:-1]}' "
                         f"(op: '{op_type}') with input shapes: {xs}, {ws}.")  # fmt: skip
    if xs.ndims is not None and xs.ndims != n:
        raise ValueError(f"Shape must be rank {n} but is rank {xs.ndims} for '{scope[:-1]}' "
                         f"(op: '{op_type}') with input shapes: {xs}, {ws}.")  # fmt: skip
    if xs.ndims is not None:
        d = xs.as_list()
        kd = ws.as_list() if ws.ndims is not None else [None] * n
        cin, kin = d[c_ax], kd[nsp]
        desc = (f"'{{{{node {scope[:-1]}}}}} = {op_type}[T={_tf_type(x._dtype.base_dtype)}, "
                f"data_format=\"{data_format}\", padding=\"{pad}\"]'")  # fmt: skip
        if depthwise:
            if cin is not None and kin is not None and cin != kin:
                raise ValueError(f"Dimensions must be equal, but are {cin} and {kin} for {desc} "
                                 f"with input shapes: {xs}, {ws}.")  # fmt: skip
            c = cin if cin is not None else kin
            mult = kd[nsp + 1]
            cout = None if c is None or mult is None else c * mult
        else:
            if cin is not None and kin is not None and cin % kin != 0:
                raise ValueError(f"Depth of input ({cin}) is not a multiple of input depth of "
                                 f"filter ({kin}) for {desc}")  # fmt: skip
            cout = kd[nsp + 1]
        sp = []
        for i, ax in enumerate(sp_axes):
            pads = tuple(explicit[ax]) if explicit else None
            _check_window(d[ax], kd[i], dil[ax], pad, pads, scope, op_type, attrs, (x, w))  # type: ignore[arg-type]
            sp.append(_spatial_out(d[ax], kd[i], strides_l[ax], dil[ax], pad, pads))  # type: ignore[arg-type]
        dims = [d[0], *sp, cout] if data_format in _CHANNELS_LAST else [d[0], cout, *sp]
        out = TensorShape(dims)
    return make_op(op_type, (x, w), attrs, scope, x._dtype.base_dtype, out)


def conv2d(input: Any, filter: Any = None, strides: Any = None, padding: Any = None,
           use_cudnn_on_gpu: bool = True, data_format: str = "NHWC",
           dilations: Any = (1, 1, 1, 1), name: str | None = None,
           filters: Any = None) -> Tensor:  # fmt: skip
    """2-D convolution (TF1 ``tf.nn.conv2d``) of NHWC (or NCHW) input with an HWIO filter.

    ``padding`` is ``"SAME"`` (TF's asymmetric padding: the extra row/column goes at the end),
    ``"VALID"`` or an explicit ``[[0, 0], [top, bottom], [left, right], [0, 0]]`` list.

    >>> import scopeflow.compat.v1 as tf
    >>> y = tf.nn.conv2d(tf.zeros([1, 5, 5, 3]), tf.zeros([3, 3, 3, 8]), [1, 2, 2, 1], "SAME")
    >>> print(y.name, y.shape)
    Conv2D:0 (1, 3, 3, 8)
    """
    if filters is not None:
        if filter is not None:
            raise ValueError("Cannot specify both 'filter' and 'filters'")
        filter = filters
    if padding is None:
        raise TypeError("conv2d() missing required argument: 'padding'")
    if data_format not in ("NHWC", "NCHW"):
        raise ValueError(f"Invalid data_format: {data_format}")
    scope = _scope(name, "Conv2D")
    x, w = _convert_pair(input, filter, "Conv2D", scope)
    return _conv_nd("Conv2D", 2, x, w, strides, padding, data_format, dilations, scope,
                    {"use_cudnn_on_gpu": use_cudnn_on_gpu})  # fmt: skip


def conv3d(input: Any, filter: Any = None, strides: Any = None, padding: Any = None,
           data_format: str = "NDHWC", dilations: Any = (1, 1, 1, 1, 1),
           name: str | None = None, filters: Any = None) -> Tensor:  # fmt: skip
    """3-D convolution (``tf.nn.conv3d``) of NDHWC (or NCDHW) input with a DHWIO filter."""
    if filters is not None:
        filter = filters
    if data_format not in ("NDHWC", "NCDHW"):
        raise ValueError(f"Invalid data_format: {data_format}")
    if strides is None or padding is None:
        raise TypeError("conv3d() missing required arguments: 'strides' and 'padding'")
    scope = _scope(name, "Conv3D")
    x, w = _convert_pair(input, filter, "Conv3D", scope)
    return _conv_nd("Conv3D", 3, x, w, strides, padding, data_format, dilations, scope, {})


def conv1d(value: Any = None, filters: Any = None, stride: Any = None, padding: Any = None,
           use_cudnn_on_gpu: Any = None, data_format: str | None = None,
           name: str | None = None, input: Any = None,
           dilations: Any = None) -> Tensor:  # fmt: skip
    """1-D convolution (TF1 ``tf.nn.conv1d``) of NWC (or NCW) input with a ``[w, in, out]`` filter.

    As TF: ``ExpandDims`` of input and filter, a ``Conv2D`` named ``conv1d`` and a ``Squeeze``;
    the result is ``conv1d/Squeeze``.
    """
    if input is not None:
        if value is not None:
            raise ValueError("Cannot specify both 'value' and 'input'")
        value = input
    if data_format in (None, "NHWC", "NWC"):
        df, start, c_idx = "NHWC", -3, 2
    elif data_format in ("NCHW", "NCW"):
        df, start, c_idx = "NCHW", -2, 1
    else:
        raise ValueError(f'data_format must be "NWC" or "NCW". Received: {data_format}')

    def seq(v: Any, what: str) -> list[int]:
        if v is None:
            return [1, 1, 1]
        v = [int(v)] if isinstance(v, (int, np.integer)) else [int(e) for e in v]
        if len(v) == 1:
            return [1, v[0], 1] if c_idx == 2 else [1, 1, v[0]]
        if len(v) != 3:
            raise ValueError(f"{what} should be of length 1 or 3. Received: {what}={v} of length "
                             f"{len(v)}")  # fmt: skip
        return v

    strides = [1, *seq(stride, "stride")]
    dil = [1, *seq(dilations, "dilations")]
    from scopeflow.ops.shape_ops import expand_dims, squeeze  # noqa: PLC0415

    g = get_default_graph()
    scope = _scope(name, "conv1d")
    with g.name_scope(scope):
        x = expand_dims(value, start)
        w = expand_dims(filters, 0)
        if w._dtype.base_dtype != x._dtype.base_dtype:
            raise TypeError(f"Input 'filter' of 'Conv2D' Op has type {w._dtype.base_dtype.name} "
                            f"that does not match type {x._dtype.base_dtype.name} of argument "
                            f"'input'.")  # fmt: skip
        cudnn = {"use_cudnn_on_gpu": True if use_cudnn_on_gpu is None else use_cudnn_on_gpu}
        y = _conv_nd("Conv2D", 2, x, w, strides, padding, df, dil, scope, cudnn)
        return squeeze(y, [start])


def _conv_kernel(op: Any, session: Any, nsp: int, bn: Any = None, relu: bool = False,
                 relu6: bool = False) -> Any:  # fmt: skip
    """The kernel of a convolution; with ``bn``, of it followed by that inference batch norm.

    The fused form takes ``(x, w, scale, offset, mean, variance)`` and returns the batch norm's
    outputs (with ``relu``/``relu6``, only ``relu(y)``/``relu6(y)``); on the prepacked path the
    normalization is folded into the filter (times ``scale * rsqrt(variance + epsilon)`` per
    output channel) and a bias (``offset - mean * that``), converted once per version of the
    five tensors, and the ReLU (ReLU6: oneDNN's clip to [0, 6]) runs inside oneDNN's convolution.
    """
    a = op._attrs
    last = a["data_format"] in _CHANNELS_LAST
    sp_axes, _ = _spatial_axes(a["data_format"], nsp)
    strides = tuple(a["strides"][ax] for ax in sp_axes)
    dil = tuple(a["dilations"][ax] for ax in sp_axes)
    padding = a["padding"]
    ep = a.get("explicit_paddings") or []
    fn = F.conv2d if nsp == 2 else F.conv3d
    in_perm = (0, nsp + 1, *range(1, nsp + 1))
    out_perm = (0, *range(2, nsp + 2), 1)
    w_perm = (nsp + 1, nsp, *range(nsp))
    depthwise = op.type == "DepthwiseConv2dNative"
    c_ax = _spatial_axes(a["data_format"], nsp)[1]
    bad_strides = a["strides"][0] != 1 or a["strides"][c_ax] != 1
    fmt = torch.channels_last if nsp == 2 else torch.channels_last_3d
    cache = FilterCache()

    def torch_filter(w: Any) -> Any:
        # Channels-last: the layout torch's oneDNN convolution takes without another copy.
        if depthwise:
            # [kh, kw, in, mult] -> [in * mult, 1, kh, kw]: output channel i * mult + m, as TF.
            w = w.reshape(*w.shape[:nsp], 1, -1)
        return w.permute(w_perm).contiguous(memory_format=fmt)

    if bn is not None:
        from scopeflow.ops.normalization_ops import _fused_batch_norm_kernel  # noqa: PLC0415

        bn_kernel = _fused_batch_norm_kernel(bn, session)
        eps = bn._attrs["epsilon"]
    attr = "relu" if relu else "hardtanh" if relu6 else "none"
    scalars = [0.0, 6.0] if relu6 else []
    act = relu or relu6

    def fold(w: Any, scale: Any, offset: Any, mean: Any, var: Any) -> Any:
        inv = torch.rsqrt(var + eps) * scale
        wf = (torch_filter(w) * inv.reshape(-1, *[1] * (nsp + 1))).contiguous(memory_format=fmt)
        return wf, offset - mean * inv

    # (groups, (before, after) pads, symmetric pads for the convolution, whether ``x`` needs an
    # explicit pad first) by (input, filter) shape: computed once, not on every run.
    geometries: dict[Any, tuple[int, list[tuple[int, int]], tuple[int, ...], bool]] = {}

    def _geometry(xs: Any, ws: Any) -> tuple[int, list[tuple[int, int]], tuple[int, ...], bool]:
        groups = ws[nsp] if depthwise else xs[1] // ws[nsp]
        if padding == "SAME":
            pads = [_same_pads(xs[2 + i], ws[i], strides[i], dil[i]) for i in range(nsp)]
        elif padding == "VALID":
            pads = [(0, 0)] * nsp
        else:
            pads = [(ep[2 * ax], ep[2 * ax + 1]) for ax in sp_axes]
        if all(p[0] == p[1] for p in pads):
            return groups, pads, tuple(p[0] for p in pads), False
        return groups, pads, (0,) * nsp, True

    def kernel(x: Any, w: Any, *stats: Any) -> Any:
        if bad_strides:
            raise InvalidArgumentError(None, op, "Current implementation does not yet support "
                                       "strides in the batch and depth dimensions.")  # fmt: skip
        xc = x.permute(in_perm) if last else x
        shapes = (xc.shape, w.shape)
        geo = geometries.get(shapes)
        if geo is None:
            geo = _geometry(xc.shape, w.shape)
            if len(geometries) >= 16:
                geometries.clear()
            geometries[shapes] = geo
        groups, pads, sym, asymmetric = geo
        if asymmetric:
            xc = _zero_pad(xc, pads, fmt)
        if nsp == 2 and _packable(xc, w, *stats):
            # oneDNN's own layout of the filter for this input shape, made once: the plain
            # convolution reorders the filter into it on every call.
            def pack(w: Any) -> Any:
                wf, bias = fold(w, *stats) if stats else (torch_filter(w), None)
                # ``stats`` rides along so that the ids in the key stay theirs.
                return _reorder_filter(wf, sym, strides, dil, groups, xc.shape), bias, stats

            key = (xc.shape, sym, *[(id(t), t._version) for t in stats])
            wp, bias, _ = cache.get(w, pack, key)
            y = _conv_pointwise(xc, wp, bias, sym, strides, dil, groups, attr, scalars, "")
            y = y.permute(out_perm) if last else y
            if stats and not act:
                mean, var = stats[2], stats[3]
                return y, mean, var, mean.detach(), var.detach(), torch.empty(0)
            return y
        y = fn(xc, cache.get(w, torch_filter), stride=strides, padding=sym, dilation=dil,
               groups=groups)  # fmt: skip
        y = y.permute(out_perm) if last else y
        if not stats:
            return y
        outs = bn_kernel(y, *stats)
        if relu6:
            return outs[0].clamp_(0, 6)  # (``Relu6``'s in-place kernel)
        return torch.relu_(outs[0]) if relu else outs

    if bn is not None and not act:
        # For the ``FusedBatchNormV3`` -> ``Relu``/``Relu6`` fusions below.
        kernel.with_relu = lambda: _conv_kernel(op, session, nsp, bn, relu=True)  # type: ignore[attr-defined]
        kernel.with_relu6 = lambda: _conv_kernel(op, session, nsp, bn, relu6=True)  # type: ignore[attr-defined]
    return kernel


# --- asymmetric SAME padding (stride-2 layers of MobileNet/ResNet) -----------------------------


def _zero_pad(x: Any, pads: list[tuple[int, int]], fmt: Any) -> Any:
    """``F.pad(x, pads)`` with zeros for a batch-channel-spatial ``x``, written once.

    ``F.pad`` fills the whole padded tensor with zeros and then copies ``x`` in; here only the
    border strips are zeroed (same values, one pass over the memory fewer). Keeps ``x``'s
    channels-last layout; any other layout goes through ``F.pad``.
    """
    if not x.is_contiguous(memory_format=fmt) or x.requires_grad:
        return F.pad(x, [v for p in reversed(pads) for v in p])
    sizes = x.shape[2:]
    shape = (*x.shape[:2], *(n + a + b for n, (a, b) in zip(sizes, pads, strict=True)))
    out = torch.empty(shape, dtype=x.dtype, device=x.device, memory_format=fmt)
    inner = out
    for i, (n, (a, b)) in enumerate(zip(sizes, pads, strict=True)):
        if a:
            out.narrow(2 + i, 0, a).zero_()
        if b:
            out.narrow(2 + i, a + n, b).zero_()
        inner = inner.narrow(2 + i, a, n)
    inner.copy_(x)
    return out


# --- oneDNN convolution with a prepacked filter (inference) -------------------------------------
# ``mkldnn::_convolution_pointwise`` (what torch's inductor and ``torch.jit.freeze`` call) takes a
# filter already in oneDNN's blocked layout, made by ``_reorder_convolution_weight``; it has no
# autograd formula, so it only runs on tensors that need no gradient.
_conv_pointwise: Any
_reorder_filter: Any
try:
    _conv_pointwise = torch.ops.mkldnn._convolution_pointwise
    _reorder_filter = torch.ops.mkldnn._reorder_convolution_weight
except (AttributeError, RuntimeError):  # a torch build without oneDNN
    _conv_pointwise = _reorder_filter = None


def _packable(x: Any, *params: Any) -> bool:
    """Whether ``conv(x, w)`` may run on a prepacked filter: float32 CPU, no gradient."""
    if _conv_pointwise is None or not x.is_cpu:
        return False
    f32 = torch.float32
    for t in (x, *params):  # (a loop: this runs for every convolution of every run)
        if t.dtype is not f32 or t.requires_grad:
            return False
    return not torch.compiler.is_compiling()


def _fuse_batch_norm(conv: Any, bn: Any, session: Any, conv_kernel: Any) -> Any:
    """A convolution and the inference batch norm reading it, as one kernel (or None)."""
    if bn._attrs["is_training"] or conv._attrs["data_format"] != bn._attrs["data_format"]:
        return None
    if conv._attrs["data_format"] != "NHWC":
        return None
    return _conv_kernel(conv, session, 2, bn)


register_fusion("Conv2D", "FusedBatchNormV3")(_fuse_batch_norm)
register_fusion("DepthwiseConv2dNative", "FusedBatchNormV3")(_fuse_batch_norm)


@register_fusion("FusedBatchNormV3", "Relu")
def _fuse_relu(bn: Any, relu: Any, session: Any, bn_kernel: Any) -> Any:
    """A fused convolution + inference batch norm, and the ``Relu`` of its ``y``."""
    with_relu = getattr(bn_kernel, "with_relu", None)
    return None if with_relu is None else with_relu()


@register_fusion("FusedBatchNormV3", "Relu6")
def _fuse_relu6(bn: Any, relu6: Any, session: Any, bn_kernel: Any) -> Any:
    """A fused ``Conv2D`` + inference batch norm, and the ``Relu6`` of its ``y``.

    As TF's grappler remapper (``_FusedConv2D`` with ``FusedBatchNorm`` and ``Relu6``): the
    clip runs inside the convolution, where a NaN becomes 0 as in TF's fused kernel. TF does not
    fuse a ``DepthwiseConv2dNative``'s ``Relu6`` (a NaN stays NaN), so neither does this.
    """
    if bn._inputs[0]._op._type != "Conv2D":
        return None
    with_relu6 = getattr(bn_kernel, "with_relu6", None)
    return None if with_relu6 is None else with_relu6()


register_kernel("Conv2D")(lambda op, s: _conv_kernel(op, s, 2))
register_kernel("Conv3D")(lambda op, s: _conv_kernel(op, s, 3))
register_kernel("DepthwiseConv2dNative")(lambda op, s: _conv_kernel(op, s, 2))
declare_fresh_output("Conv2D", "Conv3D", "DepthwiseConv2dNative")
# Float32 2-D convolutions run on oneDNN's direct kernels, whose threads split the output
# (each sums its window alone): the same bits at any thread count (``interop``).
declare_thread_invariant("Conv2D", "DepthwiseConv2dNative",
                         when=lambda op: op._attrs.get("T") == dtypes.float32)  # fmt: skip


def depthwise_conv2d_native(input: Any, filter: Any, strides: Any, padding: Any,
                            data_format: str = "NHWC", dilations: Any = (1, 1, 1, 1),
                            name: str | None = None) -> Tensor:  # fmt: skip
    """Depthwise 2-D convolution (``tf.nn.depthwise_conv2d_native``).

    Depthwise 2-D convolution (``DepthwiseConv2dNative``) with a ``[h, w, in, multiplier]``
    filter: output channel ``i * multiplier + m`` convolves input channel ``i`` with filter ``m``.
    """
    if data_format not in ("NHWC", "NCHW"):
        raise ValueError(f"Invalid data_format: {data_format}")
    scope = _scope(name, "DepthwiseConv2dNative")
    x, w = _convert_pair(input, filter, "DepthwiseConv2dNative", scope)
    return _conv_nd("DepthwiseConv2dNative", 2, x, w, strides, padding, data_format, dilations,
                    scope, {}, depthwise=True)  # fmt: skip


def _rate_pair(rate: Any, dilations: Any) -> list[int]:
    r = dilations if rate is None else rate
    if r is None:
        return [1, 1]
    if isinstance(r, (int, np.integer)):
        return [int(r), int(r)]
    r = [int(v) for v in r]
    if len(r) == 1:
        return r * 2
    if len(r) != 2:
        raise ValueError(f"rate must be of length 2, got {r}")
    return r


def _filter_shape(w: Tensor) -> Any:
    """The filter's static shape as a list, else its ``Shape`` (for ``with_space_to_batch``)."""
    return w._shape.as_list() if w._shape.is_fully_defined() else shape(w)


def _space_to_batch_conv(scope: str, x: Tensor, rate: list[int], padding: Any, filter_shape: Any,
                         build: Any, data_format: str | None = None,
                         spatial_dims: list[int] | None = None) -> Tensor:  # fmt: skip
    """A dilated conv as TF builds it: ``with_space_to_batch`` in the op's name scope.

    The undilated op (``build(input, padding)``) is named after the scope.
    """
    with name_scope(scope):
        return with_space_to_batch(
            x, rate, padding, lambda inp, _n, pad: build(inp, pad), filter_shape=filter_shape,
            spatial_dims=spatial_dims, data_format=data_format,
        )  # fmt: skip


def depthwise_conv2d(input: Any, filter: Any, strides: Any, padding: Any,
                     rate: Any = None, name: str | None = None, data_format: str | None = None,
                     dilations: Any = None) -> Tensor:  # fmt: skip
    """Depthwise 2-D convolution (TF1 ``tf.nn.depthwise_conv2d``), named ``depthwise``.

    With ``rate`` > 1 it runs through ``with_space_to_batch`` as in TF (the result is
    ``depthwise/BatchToSpaceND``).
    """
    df = data_format or "NHWC"
    r = _rate_pair(rate, dilations)
    g = get_default_graph()
    scope = _scope(name, "depthwise")
    x, w = _convert_pair(input, filter, "DepthwiseConv2dNative", scope)
    if r != [1, 1] and any(s != 1 for s in _normalize_list(strides, 4, "strides", df)):
        raise ValueError("strides > 1 not supported in conjunction with dilation_rate > 1")
    if r == [1, 1]:
        g._names.mark_used(scope + "Shape")
        g._names.mark_used(scope + "dilation_rate")
        return _conv_nd("DepthwiseConv2dNative", 2, x, w, strides, padding, df, None, scope, {},
                        depthwise=True)  # fmt: skip
    with name_scope(scope):
        filter_shape = shape(w)
    # TF passes neither data_format nor spatial_dims here: the space-to-batch dims are 1 and 2
    return _space_to_batch_conv(
        scope,
        x,
        r,
        padding,
        filter_shape,
        lambda inp, pad: _conv_nd(
            "DepthwiseConv2dNative", 2, inp, w, strides, pad, df, None, scope, {}, depthwise=True
        ),
    )


def separable_conv2d(input: Any, depthwise_filter: Any, pointwise_filter: Any,
                     strides: Any, padding: Any, rate: Any = None, name: str | None = None,
                     data_format: str | None = None, dilations: Any = None) -> Tensor:  # fmt: skip
    """Depthwise then 1x1 pointwise convolution (``tf.nn.separable_conv2d``).

    Depthwise then 1x1 pointwise convolution (``tf.nn.separable_conv2d``): a
    ``DepthwiseConv2dNative`` named ``separable_conv2d/depthwise`` and a ``Conv2D`` named
    ``separable_conv2d``.
    """
    df = data_format or "NHWC"
    r = _rate_pair(rate, dilations)
    g = get_default_graph()
    scope = _scope(name, "separable_conv2d")
    x = convert_to_tensor(input, name=scope + "input/")
    dw = convert_to_tensor(depthwise_filter, name=scope + "depthwise_filter/")
    pw = convert_to_tensor(pointwise_filter, name=scope + "pointwise_filter/")
    if pw._shape.ndims is not None:
        pd = pw._shape.as_list()
        if (pd[0] is not None and pd[0] != 1) or (pd[1] is not None and pd[1] != 1):
            raise ValueError(f"Shapes must be equal rank, but are {pd[0]} and 1")
    inner = scope + "depthwise/"
    if r == [1, 1]:
        g._names.mark_used(scope + "Shape")
        g._names.mark_used(scope + "dilation_rate")
        y = _conv_nd("DepthwiseConv2dNative", 2, x, dw, strides, padding, df, None, inner, {},
                     depthwise=True)  # fmt: skip
    else:
        if any(s != 1 for s in _normalize_list(strides, 4, "strides", df)):
            raise ValueError("strides > 1 not supported in conjunction with dilation_rate > 1")
        with name_scope(scope):
            filter_shape = shape(dw)
        y = _space_to_batch_conv(scope, x, r, padding, filter_shape, lambda inp, pad: _conv_nd(
            "DepthwiseConv2dNative", 2, inp, dw, strides, pad, df, None, inner, {},
            depthwise=True))  # fmt: skip
    return _conv_nd("Conv2D", 2, y, pw, [1, 1, 1, 1], "VALID", df, None, scope,
                    {"use_cudnn_on_gpu": True})  # fmt: skip


def atrous_conv2d(value: Any, filters: Any, rate: int, padding: Any, name: str | None = None
                  ) -> Tensor:  # fmt: skip
    """Dilated 2-D convolution (``tf.nn.atrous_conv2d``), NHWC, stride 1.

    ``convolution`` with ``dilation_rate=[rate, rate]``: ``SpaceToBatchND``/``Conv2D``/
    ``BatchToSpaceND``, the result ``convolution/BatchToSpaceND``, as in TF.
    """
    r = int(rate)
    if r < 1:
        raise ValueError(f"rate {rate} cannot be less than one")
    return convolution(value, filters, padding, dilation_rate=[r, r], name=name)


def convolution(input: Any, filter: Any = None, padding: Any = None, strides: Any = None,
                dilation_rate: Any = None, name: str | None = None, data_format: str | None = None,
                filters: Any = None, dilations: Any = None) -> Tensor:  # fmt: skip
    """N-D convolution (TF1 ``tf.nn.convolution``), N = 1, 2 or 3 from the filter's rank.

    As TF: 1-D runs through ``conv1d`` (named after the scope), 2-D/3-D is a
    ``Conv2D``/``Conv3D`` named after the scope itself; a dilated 2-D/3-D convolution runs
    through ``with_space_to_batch`` (the result is ``<scope>/BatchToSpaceND``).

    >>> import scopeflow.compat.v1 as tf
    >>> y = tf.nn.convolution(tf.zeros([1, 5, 5, 3]), tf.zeros([3, 3, 3, 8]), "SAME")
    >>> print(y.name, y.shape)
    convolution:0 (1, 5, 5, 8)
    """
    if filters is not None:
        filter = filters
    if dilations is not None:
        dilation_rate = dilations
    scope = _scope(name, "convolution")
    w = convert_to_tensor(filter, name=scope + "filter/")
    x = convert_to_tensor(input, name=scope + "input/")
    rank = w._shape.ndims if w._shape.ndims is not None else x._shape.ndims
    if rank is None or rank not in (3, 4, 5):
        raise ValueError(f"`num_spatial_dims` must be 1, 2, or 3. Received: {rank and rank - 2}")
    nsp = rank - 2
    rate = [1] * nsp if dilation_rate is None else list(np.broadcast_to(dilation_rate, [nsp]))
    stride = [1] * nsp if strides is None else list(np.broadcast_to(strides, [nsp]))
    channels_first = data_format is not None and data_format.startswith("NC")
    if nsp == 1:
        return conv1d(x, w, stride=stride[0], padding=padding,
                      data_format="NCW" if channels_first else "NWC", dilations=rate[0],
                      name=scope)  # fmt: skip
    df = {2: ("NCHW" if channels_first else "NHWC"),
          3: ("NCDHW" if channels_first else "NDHWC")}[nsp]  # fmt: skip
    full_strides = [1, 1, *stride] if channels_first else [1, *stride, 1]
    full_rate = [1, 1, *rate] if channels_first else [1, *rate, 1]
    if any(r != 1 for r in rate):
        if any(s != 1 for s in stride):
            raise ValueError("strides > 1 not supported in conjunction with dilation_rate > 1")
        op_type = "Conv2D" if nsp == 2 else "Conv3D"
        extra = {"use_cudnn_on_gpu": True} if nsp == 2 else {}
        result = _space_to_batch_conv(
            scope, x, [int(r) for r in rate], padding, _filter_shape(w),
            lambda inp, pad: _conv_nd(op_type, nsp, inp, w, full_strides, pad, df, None, scope,
                                      extra),
            data_format=df,
        )  # fmt: skip
        if (
            channels_first
            and result._shape.ndims is not None
            and result._shape.as_list()[1] is None
        ):
            dims = result._shape.as_list()
            dims[1] = w._shape.as_list()[-1] if w._shape.ndims is not None else None
            result.set_shape(TensorShape(dims))
        return result
    if nsp == 2:
        return _conv_nd("Conv2D", 2, x, w, full_strides, padding, df, full_rate, scope,
                        {"use_cudnn_on_gpu": True})  # fmt: skip
    return _conv_nd("Conv3D", 3, x, w, full_strides, padding, df, full_rate, scope, {})


def conv2d_transpose(value: Any = None, filter: Any = None, output_shape: Any = None,
                     strides: Any = None, padding: str = "SAME", data_format: str = "NHWC",
                     name: str | None = None, input: Any = None,
                     filters: Any = None, dilations: Any = None) -> Tensor:  # fmt: skip
    """Transposed 2-D convolution (TF1 ``tf.nn.conv2d_transpose``).

    Transposed 2-D convolution (TF1 ``tf.nn.conv2d_transpose``): the gradient of ``conv2d``
    with respect to its input, a ``Conv2DBackpropInput`` op named ``conv2d_transpose``.

    ``filter`` is ``[h, w, out_channels, in_channels]``; ``output_shape`` the NHWC (or NCHW)
    shape of the result, the input of the forward convolution.
    """
    if input is not None:
        value = input
    if filters is not None:
        filter = filters
    if data_format not in ("NHWC", "NCHW"):
        raise ValueError(f"data_format has to be either NCHW or NHWC. Received: {data_format}")
    scope = _scope(name, "conv2d_transpose")
    x = convert_to_tensor(value, name=scope + "value/")
    w = convert_to_tensor(filter, name=scope + "filter/")
    if w._dtype.base_dtype != x._dtype.base_dtype:
        raise TypeError(f"Input 'out_backprop' of 'Conv2DBackpropInput' Op has type "
                        f"{x._dtype.base_dtype.name} that does not match type "
                        f"{w._dtype.base_dtype.name} of argument 'filter'.")  # fmt: skip
    _check_allowed(x, _CONV_TYPES, "filter")
    sizes = convert_to_tensor(output_shape, dtype=dtypes.int32, name=scope + "input_sizes/")
    if sizes._shape.ndims is not None and sizes._shape.as_list() not in ([4], [None], [2]):
        raise ValueError(f"output_shape must have shape (4,), got {sizes._shape}")
    strides_l = _normalize_list(strides, 4, "strides", data_format)
    dil = _normalize_list(dilations, 4, "dilations", data_format)
    pad, _ = _check_padding(padding, 2, explicit_ok=False)
    _, c_ax = _spatial_axes(data_format, 2)
    xs, ws = x._shape, w._shape
    desc = (f"'{{{{node {scope[:-1]}}}}} = Conv2DBackpropInput[T={_tf_type(x._dtype)}, "
            f"data_format=\"{data_format}\", dilations={dil}, explicit_paddings=[], "
            f"padding=\"{pad}\", strides={strides_l}, use_cudnn_on_gpu=true]"
            f"({scope}input_sizes, {w._op.name}, {x._op.name})'")  # fmt: skip
    if xs.ndims is not None and ws.ndims is not None:
        xc, wc = xs.as_list()[c_ax], ws.as_list()[3]
        if xc is not None and wc is not None and xc != wc:
            raise ValueError(f"Dimensions must be equal, but are {xc} and {wc} for {desc} with "
                             f"input shapes: [4], {_sl(ws)}, {_sl(xs)}.")  # fmt: skip
    # TF 1.15's shape function is the ``output_shape`` tensor's (partially) known value alone
    # (``MakeShapeFromShapeTensor``); TF 2.x later took the batch from ``value``, which breaks
    # TF1 code that reshapes to the static shape (DCGAN's ``deconv2d`` with a ``None`` batch).
    out = shape_from_tensor(sizes)
    if out.ndims is None:
        out = TensorShape([None] * 4)
    dims = out.as_list()
    attrs = {"T": x._dtype.base_dtype, "strides": strides_l, "padding": pad,
             "data_format": data_format, "dilations": dil, "explicit_paddings": [],
             "use_cudnn_on_gpu": True}  # fmt: skip
    return make_op("Conv2DBackpropInput", (sizes, w, x), attrs, scope, x._dtype.base_dtype,
                   TensorShape(dims))  # fmt: skip


def _sl(s: TensorShape) -> str:
    return "[" + ",".join("?" if d is None else str(d) for d in s.as_list()) + "]"


@register_kernel("Conv2DBackpropInput")
def _conv2d_backprop_input_kernel(op: Any, session: Any) -> Any:
    a = op._attrs
    last = a["data_format"] == "NHWC"
    sp_axes, c_ax = _spatial_axes(a["data_format"], 2)
    strides = tuple(a["strides"][ax] for ax in sp_axes)
    dil = tuple(a["dilations"][ax] for ax in sp_axes)
    padding = a["padding"]

    def kernel(sizes: Any, w: Any, x: Any) -> Any:
        size = [int(v) for v in sizes.tolist()]
        xc = x.permute(0, 3, 1, 2) if last else x
        crop: list[int] = []
        for i, ax in enumerate(sp_axes):
            k, s, d = w.shape[i], strides[i], dil[i]
            before = _same_pads(size[ax], k, s, d)[0] if padding == "SAME" else 0
            expected = _spatial_out(size[ax], k, s, d, padding, None)
            if expected != xc.shape[2 + i]:
                raise InvalidArgumentError(
                    None, op,
                    f"Conv2DCustomBackpropInputOp: Size of out_backprop doesn't match computed: "
                    f"actual = {xc.shape[2 + i]}, computed = {expected} spatial_dim: {ax} "
                    f"input: {size[ax]} filter: {k} output: {xc.shape[2 + i]} stride: {s} "
                    f"dilation: {d}",
                )  # fmt: skip
            full = (xc.shape[2 + i] - 1) * s + (k - 1) * d + 1
            crop[:0] = [-before, size[ax] - (full - before)]
        if size[c_ax] != w.shape[2]:
            raise InvalidArgumentError(
                None, op,
                f"Conv2DCustomBackpropInputOp: input and filter must have the same depth: "
                f"{size[c_ax]} vs {w.shape[2]}",
            )  # fmt: skip
        y = F.conv_transpose2d(xc, w.permute(3, 2, 0, 1), stride=strides, dilation=dil)
        if any(crop):
            y = F.pad(y, crop)
        return y.permute(0, 2, 3, 1) if last else y

    return kernel


def conv3d_transpose(value: Any = None, filter: Any = None, output_shape: Any = None,
                     strides: Any = None, padding: str = "SAME", data_format: str = "NDHWC",
                     name: str | None = None, input: Any = None, filters: Any = None,
                     dilations: Any = None) -> Tensor:  # fmt: skip
    """Transposed 3-D convolution (``tf.nn.conv3d_transpose``), op ``Conv3DBackpropInputV2``.

    ``filter`` is ``[d, h, w, out_channels, in_channels]``; ``output_shape`` the NDHWC (or
    NCDHW) shape of the result.

    >>> import scopeflow.compat.v1 as tf
    >>> y = tf.nn.conv3d_transpose(tf.zeros([1, 2, 2, 2, 3]), tf.zeros([2, 2, 2, 4, 3]),
    ...                            [1, 4, 4, 4, 4], [1, 2, 2, 2, 1])
    >>> print(y.name, y.shape)
    conv3d_transpose:0 (1, 4, 4, 4, 4)
    """
    if input is not None:
        value = input
    if filters is not None:
        filter = filters
    if data_format not in ("NDHWC", "NCDHW"):
        raise ValueError(f"data_format has to be either NCDHW or NDHWC. Received: {data_format}")
    scope = _scope(name, "conv3d_transpose")
    x = convert_to_tensor(value, name=scope + "value/")
    w = convert_to_tensor(filter, name=scope + "filter/")
    if w._dtype.base_dtype != x._dtype.base_dtype:
        raise TypeError(f"Input 'out_backprop' of 'Conv3DBackpropInputV2' Op has type "
                        f"{x._dtype.base_dtype.name} that does not match type "
                        f"{w._dtype.base_dtype.name} of argument 'filter'.")  # fmt: skip
    _check_allowed(x, _CONV_TYPES, "filter")
    sizes = convert_to_tensor(output_shape, dtype=dtypes.int32, name=scope + "input_sizes/")
    strides_l = _normalize_list(strides, 5, "strides", data_format)
    dil = _normalize_list(dilations, 5, "dilations", data_format)
    pad, _ = _check_padding(padding, 3, explicit_ok=False)
    out = shape_from_tensor(sizes)
    dims: list[int | None] = out.as_list() if out.ndims is not None else [None] * 5
    if len(dims) == 5 and x._shape.ndims is not None:
        dims[0] = x._shape.as_list()[0] if dims[0] is None else dims[0]
    attrs = {"T": x._dtype.base_dtype, "Tshape": dtypes.int32, "strides": strides_l,
             "padding": pad, "data_format": data_format, "dilations": dil}  # fmt: skip
    return make_op("Conv3DBackpropInputV2", (sizes, w, x), attrs, scope, x._dtype.base_dtype,
                   TensorShape(dims))  # fmt: skip


@register_kernel("Conv3DBackpropInputV2")
def _conv3d_backprop_input_kernel(op: Any, session: Any) -> Any:
    a = op._attrs
    last = a["data_format"] == "NDHWC"
    sp_axes, c_ax = _spatial_axes(a["data_format"], 3)
    strides = tuple(a["strides"][ax] for ax in sp_axes)
    dil = tuple(a["dilations"][ax] for ax in sp_axes)
    padding = a["padding"]

    def kernel(sizes: Any, w: Any, x: Any) -> Any:
        size = [int(v) for v in sizes.tolist()]
        xc = x.permute(0, 4, 1, 2, 3) if last else x
        crop: list[int] = []
        for i, ax in enumerate(sp_axes):
            k, s, d = w.shape[i], strides[i], dil[i]
            before = _same_pads(size[ax], k, s, d)[0] if padding == "SAME" else 0
            expected = _spatial_out(size[ax], k, s, d, padding, None)
            if expected != xc.shape[2 + i]:
                raise InvalidArgumentError(
                    None, op,
                    f"Conv3DBackpropInputOpV2: Size of out_backprop doesn't match computed: "
                    f"actual = {xc.shape[2 + i]}, computed = {expected} spatial_dim: {ax} "
                    f"input: {size[ax]} filter: {k} output: {xc.shape[2 + i]} stride: {s} "
                    f"dilation: {d}",
                )  # fmt: skip
            full = (xc.shape[2 + i] - 1) * s + (k - 1) * d + 1
            crop[:0] = [-before, size[ax] - (full - before)]
        if size[c_ax] != w.shape[3]:
            raise InvalidArgumentError(
                None, op,
                f"Conv3DBackpropInputOpV2: input and filter must have the same depth: "
                f"{size[c_ax]} vs {w.shape[3]}",
            )  # fmt: skip
        y = F.conv_transpose3d(xc, w.permute(4, 3, 0, 1, 2), stride=strides, dilation=dil)
        if any(crop):
            y = F.pad(y, crop)
        return y.permute(0, 2, 3, 4, 1) if last else y

    return kernel


__all__ = [
    "atrous_conv2d",
    "conv1d",
    "conv2d",
    "conv2d_transpose",
    "conv3d",
    "conv3d_transpose",
    "convolution",
    "depthwise_conv2d",
    "depthwise_conv2d_native",
    "separable_conv2d",
]
