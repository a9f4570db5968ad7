"""``tf.nn`` convolution gradients as ops, ``max_pool_with_argmax`` and 1-D pooling.

``conv2d_backprop_input``/``_filter`` and ``depthwise_conv2d_native_backprop_input``/``_filter``:
as TF 1.15: the ops are ``Conv2DBackpropInput``, ``Conv2DBackpropFilter``,
``DepthwiseConv2dNativeBackpropInput`` and ``DepthwiseConv2dNativeBackpropFilter`` (named after
their type by default), the sizes argument is an int32 tensor (``<op>/input_sizes`` or
``<op>/filter_sizes`` when given as a list) whose known value is the static shape of the result,
and ``SAME`` padding is TF's asymmetric one. The results are the gradients of the forward
convolution; their own gradients come from torch autograd through the kernels.

Differences from TensorFlow: ``EXPLICIT`` padding (a list of pads) is not supported.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

import math
from typing import Any

import torch
import torch.nn.functional as F  # noqa: N812

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.errors import InvalidArgumentError, UnsupportedError
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Tensor
from scopeflow.ops._math_common import name_scope
from scopeflow.ops._op_builder import UNKNOWN, make_multi_op, make_op, shape_from_tensor
from scopeflow.ops.conv_ops import (
    _CONV_TYPES,
    _check_padding,
    _check_window,
    _normalize_list,
    _same_pads,
    _spatial_axes,
    _spatial_out,
)
from scopeflow.ops.math_ops import _check_allowed, _scope
from scopeflow.ops.pooling_ops import _POOL_TYPES, _pool
from scopeflow.ops.shape_ops import expand_dims, squeeze
from scopeflow.ops.tf_gradient_ops import (
    _conv2d_backprop_filter_kernel as _conv2d_backprop_filter_vjp,
)


def _build(op_type: str, sizes_name: str, a: Any, sizes: Any, b: Any, strides: Any,
           padding: Any, data_format: str, dilations: Any, name: str | None,
           extra: dict[str, Any], a_name: str) -> Tensor:  # fmt: skip
    if data_format not in ("NHWC", "NCHW"):
        raise ValueError(f"Attr 'data_format' of '{op_type}' Op passed string '{data_format}' "
                         f'not in: "NHWC", "NCHW".')  # fmt: skip
    scope = _scope(name, op_type)
    a_first = sizes_name == "filter_sizes"
    x = convert_to_tensor(a, name=scope + a_name + "/")
    dy = convert_to_tensor(b, name=scope + "out_backprop/")
    if x._dtype.base_dtype != dy._dtype.base_dtype:
        raise TypeError(f"Input 'out_backprop' of '{op_type}' Op has type "
                        f"{dy._dtype.base_dtype.name} that does not match type "
                        f"{x._dtype.base_dtype.name} of argument '{a_name}'.")  # fmt: skip
    _check_allowed(x, _CONV_TYPES, a_name)
    s = convert_to_tensor(sizes, dtype=dtypes.int32, name=scope + sizes_name + "/")
    strides_l = _normalize_list(strides, 4, "strides", data_format)
    dil = _normalize_list(dilations, 4, "dilations", data_format)
    pad, _ = _check_padding(padding, 2, explicit_ok=False)
    attrs = {"T": x._dtype.base_dtype, "strides": strides_l, "padding": pad,
             "data_format": data_format, "dilations": dil, "explicit_paddings": [],
             **extra}  # fmt: skip
    out = shape_from_tensor(s)
    if out.ndims is None:
        out = TensorShape([None] * 4)
    inputs = (x, s, dy) if a_first else (s, x, dy)
    return make_op(op_type, inputs, attrs, scope, x._dtype.base_dtype, out)


def conv2d_backprop_input(input_sizes: Any, filter: Any = None, out_backprop: Any = None,
                          strides: Any = None, padding: Any = None, use_cudnn_on_gpu: bool = True,
                          data_format: str = "NHWC", dilations: Any = (1, 1, 1, 1),
                          name: str | None = None, filters: Any = None) -> Tensor:  # fmt: skip
    """The gradient of ``conv2d`` with respect to its input (``tf.nn.conv2d_backprop_input``).

    >>> import scopeflow.compat.v1 as tf
    >>> y = tf.nn.conv2d_backprop_input([1, 4, 4, 2], tf.ones([3, 3, 2, 5]),
    ...                                 tf.ones([1, 2, 2, 5]), [1, 2, 2, 1], "SAME")
    >>> print(y.name, y.shape)
    Conv2DBackpropInput:0 (1, 4, 4, 2)
    """
    if filters is not None:
        filter = filters
    return _build("Conv2DBackpropInput", "input_sizes", filter, input_sizes, out_backprop,
                  strides, padding, data_format, dilations, name,
                  {"use_cudnn_on_gpu": use_cudnn_on_gpu}, "filter")  # fmt: skip


def conv2d_backprop_filter(input: Any, filter_sizes: Any, out_backprop: Any, strides: Any,
                           padding: Any, use_cudnn_on_gpu: bool = True,
                           data_format: str = "NHWC", dilations: Any = (1, 1, 1, 1),
                           name: str | None = None) -> Tensor:  # fmt: skip
    """The gradient of ``conv2d`` with respect to its filter (``tf.nn.conv2d_backprop_filter``).

    >>> import scopeflow.compat.v1 as tf
    >>> dw = tf.nn.conv2d_backprop_filter(tf.ones([1, 4, 4, 2]), [3, 3, 2, 5],
    ...                                   tf.ones([1, 2, 2, 5]), [1, 2, 2, 1], "SAME")
    >>> print(dw.name, dw.shape)
    Conv2DBackpropFilter:0 (3, 3, 2, 5)
    """
    return _build("Conv2DBackpropFilter", "filter_sizes", input, filter_sizes, out_backprop,
                  strides, padding, data_format, dilations, name,
                  {"use_cudnn_on_gpu": use_cudnn_on_gpu}, "input")  # fmt: skip


def depthwise_conv2d_native_backprop_input(input_sizes: Any, filter: Any, out_backprop: Any,
                                           strides: Any, padding: Any, data_format: str = "NHWC",
                                           dilations: Any = (1, 1, 1, 1),
                                           name: str | None = None) -> Tensor:  # fmt: skip
    """The gradient of ``depthwise_conv2d_native`` with respect to its input."""
    return _build("DepthwiseConv2dNativeBackpropInput", "input_sizes", filter, input_sizes,
                  out_backprop, strides, padding, data_format, dilations, name, {},
                  "filter")  # fmt: skip


def depthwise_conv2d_native_backprop_filter(input: Any, filter_sizes: Any, out_backprop: Any,
                                            strides: Any, padding: Any, data_format: str = "NHWC",
                                            dilations: Any = (1, 1, 1, 1),
                                            name: str | None = None) -> Tensor:  # fmt: skip
    """The gradient of ``depthwise_conv2d_native`` with respect to its filter."""
    return _build("DepthwiseConv2dNativeBackpropFilter", "filter_sizes", input, filter_sizes,
                  out_backprop, strides, padding, data_format, dilations, name, {},
                  "input")  # fmt: skip


def _geometry(op: Any, size: list[int], ksize: tuple[int, int], dy: Any) -> list[tuple[int, int]]:
    """TF's (before, after) pads per spatial dim; checks ``out_backprop``'s spatial size."""
    a = op._attrs
    sp_axes, _ = _spatial_axes(a["data_format"], 2)
    pads = []
    for i, ax in enumerate(sp_axes):
        k, s, d = ksize[i], a["strides"][ax], a["dilations"][ax]
        expected = _spatial_out(size[ax], k, s, d, a["padding"], None)
        if expected != dy.shape[2 + i]:
            raise InvalidArgumentError(
                None, op,
                f"{op.type}: Size of out_backprop doesn't match computed: actual = "
                f"{dy.shape[2 + i]}, computed = {expected} spatial_dim: {ax} input: {size[ax]} "
                f"filter: {k} output: {dy.shape[2 + i]} stride: {s} dilation: {d}",
            )  # fmt: skip
        pads.append(_same_pads(size[ax], k, s, d) if a["padding"] == "SAME" else (0, 0))
    return pads


def _torch_weight(w: Any, depthwise: bool) -> Any:
    if depthwise:  # [h, w, c, m] -> [c*m, 1, h, w] (output channel c*m + j)
        kh, kw, c, m = w.shape
        return w.permute(2, 3, 0, 1).reshape(c * m, 1, kh, kw)
    return w.permute(3, 2, 0, 1)


def _backprop_input_kernel(op: Any, session: Any, depthwise: bool) -> Any:
    a = op._attrs
    last = a["data_format"] == "NHWC"
    sp_axes, c_ax = _spatial_axes(a["data_format"], 2)
    strides = tuple(a["strides"][ax] for ax in sp_axes)
    dil = tuple(a["dilations"][ax] for ax in sp_axes)

    def kernel(sizes: Any, w: Any, dy: Any) -> Any:
        size = [int(v) for v in sizes.tolist()]
        dyc = dy.permute(0, 3, 1, 2) if last else dy
        if size[c_ax] != w.shape[2]:
            raise InvalidArgumentError(
                None, op, f"{op.type}: input and filter must have the same depth: "
                f"{size[c_ax]} vs {w.shape[2]}"
            )  # fmt: skip
        pads = _geometry(op, size, (w.shape[0], w.shape[1]), dyc)
        groups = size[c_ax] if depthwise else 1
        y = F.conv_transpose2d(dyc, _torch_weight(w, depthwise), stride=strides, dilation=dil,
                               groups=groups)  # fmt: skip
        crop: list[int] = []
        for i, ax in enumerate(sp_axes):
            crop[:0] = [-pads[i][0], size[ax] - (y.shape[2 + i] - pads[i][0])]
        if any(crop):
            y = F.pad(y, crop)
        return y.permute(0, 2, 3, 1) if last else y

    return kernel


def _backprop_filter_kernel(op: Any, session: Any, depthwise: bool) -> Any:
    a = op._attrs
    last = a["data_format"] == "NHWC"
    sp_axes, _ = _spatial_axes(a["data_format"], 2)
    strides = tuple(a["strides"][ax] for ax in sp_axes)
    dil = tuple(a["dilations"][ax] for ax in sp_axes)

    def kernel(x: Any, sizes: Any, dy: Any) -> Any:
        fs = [int(v) for v in sizes.tolist()]
        xc = x.permute(0, 3, 1, 2) if last else x
        dyc = dy.permute(0, 3, 1, 2) if last else dy
        cin = xc.shape[1]
        if fs[2] != cin:
            raise InvalidArgumentError(
                None, op, f"{op.type}: input and filter must have the same depth: {cin} vs "
                f"{fs[2]}"
            )  # fmt: skip
        size = list(x.shape)
        pads = _geometry(op, size, (fs[0], fs[1]), dyc)
        xp = F.pad(xc, [pads[1][0], pads[1][1], pads[0][0], pads[0][1]])
        if depthwise:
            wshape = [cin * fs[3], 1, fs[0], fs[1]]
            groups = cin
        else:
            wshape = [fs[3], fs[2], fs[0], fs[1]]
            groups = 1
        wt = torch.nn.grad.conv2d_weight(  # type: ignore[attr-defined]
            xp, wshape, dyc, stride=strides, dilation=dil, groups=groups
        )
        if depthwise:
            return wt.reshape(cin, fs[3], fs[0], fs[1]).permute(2, 3, 0, 1)
        return wt.permute(2, 3, 1, 0)

    return kernel


@register_kernel("Conv2DBackpropFilter")
def _conv2d_backprop_filter(op: Any, session: Any) -> Any:
    if op._attrs["padding"] == "EXPLICIT":  # imported TF graphs: the forward kernel's VJP
        return _conv2d_backprop_filter_vjp(op, session)
    return _backprop_filter_kernel(op, session, False)


register_kernel("DepthwiseConv2dNativeBackpropInput")(
    lambda op, s: _backprop_input_kernel(op, s, True)
)
register_kernel("DepthwiseConv2dNativeBackpropFilter")(
    lambda op, s: _backprop_filter_kernel(op, s, True)
)

# --- pooling ------------------------------------------------------------------------------------


def max_pool_with_argmax(input: Any, ksize: Any, strides: Any, padding: Any,
                         data_format: str = "NHWC", Targmax: Any = None, name: str | None = None,
                         output_dtype: Any = None, include_batch_in_index: bool = False
                         ) -> tuple[Tensor, Tensor]:  # fmt: skip
    """Max pooling and the flattened index of each maximum (``tf.nn.max_pool_with_argmax``).

    As TF: the index of input ``[b, y, x, c]`` is ``((b * height + y) * width + x) * channels
    + c`` with ``include_batch_in_index``, else without the ``b`` term; padded positions never
    win, and the first maximum of a window (row-major) is taken.

    >>> import scopeflow.compat.v1 as tf
    >>> out, argmax = tf.nn.max_pool_with_argmax(tf.zeros([1, 4, 4, 2]), [1, 2, 2, 1], [1, 2, 2, 1],
    ...                                          "SAME")
    >>> print(out.name, argmax.name, argmax.dtype, argmax.shape)
    MaxPoolWithArgmax:0 MaxPoolWithArgmax:1 <dtype: 'int64'> (1, 2, 2, 2)
    """
    if data_format != "NHWC":
        raise ValueError("Data formats other than 'NHWC' are not yet supported")
    if output_dtype is not None:
        if Targmax is not None and dtypes.as_dtype(Targmax) != dtypes.as_dtype(output_dtype):
            raise ValueError("Cannot specify both 'Targmax' and 'output_dtype'.")
        Targmax = output_dtype
    targ = dtypes.int64 if Targmax is None else dtypes.as_dtype(Targmax)
    if targ not in (dtypes.int32, dtypes.int64):
        raise TypeError(f"Value passed to parameter 'Targmax' has DataType {targ.name} not in "
                        f"list of allowed values: int32, int64")  # fmt: skip
    for arg, v in (("ksize", ksize), ("strides", strides)):
        if not isinstance(v, (list, tuple)):
            raise TypeError(f"Expected list for '{arg}' argument to 'max_pool_with_argmax' Op, "
                            f"not {v}.")  # fmt: skip
    scope = _scope(name, "MaxPoolWithArgmax")
    x = convert_to_tensor(input, name=scope + "input/")
    _check_allowed(x, _POOL_TYPES, "input")
    k = _normalize_list(ksize, 4, "ksize", "NHWC")
    st = _normalize_list(strides, 4, "strides", "NHWC")
    pad, _ = _check_padding(padding, 2, explicit_ok=False)
    attrs = {"ksize": k, "strides": st, "Targmax": targ, "padding": pad,
             "include_batch_in_index": bool(include_batch_in_index),
             "T": x._dtype.base_dtype}  # fmt: skip
    out = UNKNOWN
    if x._shape.ndims is not None:
        if x._shape.ndims != 4:
            raise ValueError(f"Shape must be rank 4 but is rank {x._shape.ndims} for "
                             f"'{scope[:-1]}' (op: 'MaxPoolWithArgmax') with input shapes: "
                             f"{x._shape}.")  # fmt: skip
        d = x._shape.as_list()
        for ax in (1, 2):
            _check_window(d[ax], k[ax], 1, pad, None, scope, "MaxPoolWithArgmax", attrs, (x,))
            d[ax] = _spatial_out(d[ax], k[ax], st[ax], 1, pad, None)
        out = TensorShape(d)
    op = make_multi_op("MaxPoolWithArgmax", (x,), attrs, scope,
                       (x._dtype.base_dtype, targ), (out, out))  # fmt: skip
    return op.outputs[0], op.outputs[1]


@register_kernel("MaxPoolWithArgmax")
def _max_pool_with_argmax_kernel(op: Any, session: Any) -> Any:
    a = op._attrs
    k, st = a["ksize"], a["strides"]
    with_batch = a["include_batch_in_index"]
    tdt = torch.int64 if a["Targmax"] == dtypes.int64 else torch.int32
    if k[0] != 1 or k[3] != 1 or st[0] != 1 or st[3] != 1:
        raise UnsupportedError(f"MaxPoolWithArgmax over the batch or depth dimension (ksize={k})")

    def kernel(x: Any) -> Any:
        n, h, w, c = x.shape
        pads = [_same_pads(h, k[1], st[1], 1), _same_pads(w, k[2], st[2], 1)]
        if a["padding"] != "SAME":
            pads = [(0, 0), (0, 0)]
        xc = x.permute(0, 3, 1, 2)
        if any(p for pp in pads for p in pp):
            xc = F.pad(xc, [pads[1][0], pads[1][1], pads[0][0], pads[0][1]], value=-math.inf)
        y, idx = F.max_pool2d(xc, (k[1], k[2]), (st[1], st[2]), return_indices=True)
        wp = xc.shape[3]
        row = idx // wp - pads[0][0]
        col = idx % wp - pads[1][0]
        chan = torch.arange(c, device=x.device).view(1, c, 1, 1)
        flat = (row * w + col) * c + chan
        if with_batch:
            flat = flat + torch.arange(n, device=x.device).view(n, 1, 1, 1) * (h * w * c)
        return y.permute(0, 2, 3, 1), flat.permute(0, 2, 3, 1).to(tdt)

    return kernel


def _pool1d(op_type: str, default: str, value: Any, ksize: Any, strides: Any, padding: Any,
            data_format: str, name: str | None) -> Tensor:  # fmt: skip
    scope = _scope(name, default)
    if data_format in (None, "NHWC", "NWC"):
        fmt, dim = "NHWC", 1
    else:
        fmt, dim = "NCHW", 2
    ch = 2 if fmt == "NHWC" else 1
    k = _normalize_list(ksize, 3, "ksize", "NWC" if ch == 2 else "NCW")
    s = _normalize_list(strides, 3, "strides", "NWC" if ch == 2 else "NCW")
    with name_scope(scope):
        x = expand_dims(value, dim)
    y = _pool(op_type, 2, x, [1, *k], [1, *s], padding, fmt, scope, default)
    with name_scope(scope):
        return squeeze(y, [dim])  # type: ignore[no-any-return]


def avg_pool1d(input: Any, ksize: Any, strides: Any, padding: Any, data_format: str = "NWC",
               name: str | None = None) -> Tensor:  # fmt: skip
    """1-D average pooling (``tf.nn.avg_pool1d``): ``AvgPool`` between ``ExpandDims``/``Squeeze``.

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.nn.avg_pool1d(tf.ones([2, 6, 3]), 2, 2, "SAME").name)
    AvgPool1D/Squeeze:0
    """
    return _pool1d("AvgPool", "AvgPool1D", input, ksize, strides, padding, data_format, name)


def max_pool1d(input: Any, ksize: Any, strides: Any, padding: Any, data_format: str = "NWC",
               name: str | None = None) -> Tensor:  # fmt: skip
    """1-D max pooling (``tf.nn.max_pool1d``): ``MaxPool`` between ``ExpandDims``/``Squeeze``."""
    return _pool1d("MaxPool", "MaxPool1d", input, ksize, strides, padding, data_format, name)


# --- transposed convolutions ---------------------------------------------------------------------


def conv1d_transpose(input: Any, filters: Any, output_shape: Any, strides: Any,
                     padding: str = "SAME", data_format: str = "NWC", dilations: Any = None,
                     name: str | None = None) -> Tensor:  # fmt: skip
    """Transposed 1-D convolution (``tf.nn.conv1d_transpose``).

    As TF: inside a ``conv1d_transpose`` scope the input and filter get a unit spatial
    dimension (``ExpandDims``), ``output_shape`` one more (``concat``), a
    ``Conv2DBackpropInput`` named after the scope runs and ``Squeeze`` removes the dimension.

    >>> import scopeflow.compat.v1 as tf
    >>> y = tf.nn.conv1d_transpose(tf.ones([2, 4, 3]), tf.ones([3, 5, 3]), [2, 8, 5], 2)
    >>> print(y.name, y.shape)
    conv1d_transpose/Squeeze:0 (2, 8, 5)
    """
    from scopeflow.ops.array_ops import concat  # noqa: PLC0415

    scope = _scope(name, "conv1d_transpose")
    if data_format is None or data_format in ("NHWC", "NWC"):
        fmt2, dim = "NHWC", 1
    elif data_format in ("NCHW", "NCW"):
        fmt2, dim = "NCHW", 2
    else:
        raise ValueError(f"`data_format` must be 'NWC' or 'NCW'. Received: "
                         f"data_format={data_format}")  # fmt: skip
    fmt1 = "NWC" if fmt2 == "NHWC" else "NCW"
    st = [1, *_normalize_list(strides, 3, "stride", fmt1)]
    dil = [1, *_normalize_list(dilations, 3, "dilations", fmt1)]
    with name_scope(scope):
        x = expand_dims(input, dim)
        w = expand_dims(filters, 0)
        sizes = concat([output_shape[:dim], [1], output_shape[dim:]], axis=0)
    y = conv2d_backprop_input(sizes, w, x, st, padding, data_format=fmt2, dilations=dil,
                              name=scope)  # fmt: skip
    with name_scope(scope):
        return squeeze(y, [dim])  # type: ignore[no-any-return]


def conv_transpose(input: Any, filters: Any, output_shape: Any, strides: Any,
                   padding: str = "SAME", data_format: str | None = None, dilations: Any = None,
                   name: str | None = None) -> Tensor:  # fmt: skip
    """Transposed N-D convolution (``tf.nn.conv_transpose``), N from ``output_shape``'s length."""
    from scopeflow.ops.conv_ops import conv2d_transpose, conv3d_transpose  # noqa: PLC0415

    scope = _scope(name, "conv_transpose")
    if isinstance(output_shape, Tensor):
        n0 = output_shape._shape.dims[0].value if output_shape._shape.ndims == 1 else None  # type: ignore[index]
        if n0 is None:
            raise ValueError("`output_shape` must be a tensor or sized collection")
        n = n0 - 2
    elif hasattr(output_shape, "__len__"):
        n = len(output_shape) - 2
    else:
        raise ValueError("`output_shape` must be a tensor or sized collection")
    if not 1 <= n <= 3:
        raise ValueError(f"`output_shape` must be of length 3, 4 or 5. Received: "
                         f"output_shape={output_shape} of length {n + 2}.")  # fmt: skip
    if n == 1:
        return conv1d_transpose(input, filters, output_shape, strides, padding=padding,
                                data_format=data_format or "NWC", dilations=dilations,
                                name=scope)  # fmt: skip
    if n == 2:
        return conv2d_transpose(input=input, filters=filters, output_shape=output_shape,
                                strides=strides, padding=padding,
                                data_format=data_format or "NHWC", dilations=dilations,
                                name=scope)  # fmt: skip
    return conv3d_transpose(input=input, filters=filters, output_shape=output_shape,  # type: ignore[no-any-return]
                            strides=strides, padding=padding, data_format=data_format or "NDHWC",
                            dilations=dilations, name=scope)  # fmt: skip


depthwise_conv2d_backprop_input = depthwise_conv2d_native_backprop_input
depthwise_conv2d_backprop_filter = depthwise_conv2d_native_backprop_filter

__all__ = [
    "avg_pool1d",
    "conv1d_transpose",
    "conv2d_backprop_filter",
    "conv2d_backprop_input",
    "conv_transpose",
    "depthwise_conv2d_backprop_filter",
    "depthwise_conv2d_backprop_input",
    "depthwise_conv2d_native_backprop_filter",
    "depthwise_conv2d_native_backprop_input",
    "max_pool1d",
    "max_pool_with_argmax",
]
