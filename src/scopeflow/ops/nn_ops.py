"""Neural-network ops: ``conv2d`` (TF's asymmetric ``SAME`` padding, strides, dilations, NHWC and
NCHW), ``relu``, ``bias_add``.

Layouts are TF's: NHWC activations and HWIO kernels. Kernels hand PyTorch a channels-last *view*
(``permute``), which its convolution consumes without a copy.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

import math
from typing import Any

import torch
import torch.nn.functional as F  # noqa: N812

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Tensor
from scopeflow.ops._op_builder import UNKNOWN, make_op
from scopeflow.ops.math_ops import _check_allowed, _convert_pair, _scope

_CONV_TYPES = (dtypes.float16, dtypes.bfloat16, dtypes.float32, dtypes.float64)


def _spatial_out(size: int | None, k: int | None, stride: int, dilation: int, padding: Any,
                 pads: tuple[int, int] | None) -> int | None:  # fmt: skip
    if size is None or k is None:
        return None
    eff = (k - 1) * dilation + 1
    if padding == "SAME":
        return math.ceil(size / stride)
    if padding == "VALID":
        return max(0, math.ceil((size - eff + 1) / stride))
    assert pads is not None
    return (size + pads[0] + pads[1] - eff) // stride + 1


def _normalize_list(v: Any, n: int, name: str, data_format: str) -> list[int]:
    if v is None:
        return [1] * n
    if isinstance(v, int):
        v = [v]
    v = list(v)
    if len(v) == 1:
        v = v * 2
    if len(v) == 2:
        return [1, v[0], v[1], 1] if data_format == "NHWC" else [1, 1, v[0], v[1]]
    if len(v) != n:
        raise ValueError(f"{name} should be of length 1, 2 or {n}. Received: {name}={v}")
    return [int(x) for x in v]


def conv2d(input: Any, filter: Any = None, strides: Any = None, padding: Any = None,  # noqa: A002
           use_cudnn_on_gpu: bool = True, data_format: str = "NHWC",
           dilations: Any = (1, 1, 1, 1), name: str | None = None,
           filters: Any = None) -> Tensor:  # fmt: skip
    """2-D convolution (TF1 ``tf.nn.conv2d``) of NHWC (or NCHW) input with an HWIO filter.

    ``padding`` is ``"SAME"`` (TF's asymmetric padding: the extra row/column goes at the end),
    ``"VALID"`` or an explicit ``[[0, 0], [top, bottom], [left, right], [0, 0]]`` list.
    """
    if filters is not None:
        if filter is not None:
            raise ValueError("Cannot specify both 'filter' and 'filters'")
        filter = filters  # noqa: A001
    if padding is None:
        raise TypeError("conv2d() missing required argument: 'padding'")
    if data_format not in ("NHWC", "NCHW"):
        raise ValueError(f"Invalid data_format: {data_format}")
    scope = _scope(name, "Conv2D")
    x, w = _convert_pair(input, filter, "Conv2D", scope)
    _check_allowed(x, _CONV_TYPES, "input")
    strides_l = _normalize_list(strides, 4, "strides", data_format)
    dil = _normalize_list(dilations, 4, "dilations", data_format)
    explicit = None
    if isinstance(padding, str):
        padding = padding.upper()
        if padding not in ("SAME", "VALID"):
            raise ValueError(f"Unknown padding: {padding}")
    else:
        explicit = [list(map(int, p)) for p in padding]
        if len(explicit) != 4:
            raise ValueError(f"padding should be a list of length 4, got {padding}")
    h_ax, w_ax, c_ax = (1, 2, 3) if data_format == "NHWC" else (2, 3, 1)
    if strides_l[0] != 1 or strides_l[c_ax] != 1:
        raise ValueError("Current implementation does not yet support strides in the batch and "
                         "depth dimensions.")  # fmt: skip
    out = UNKNOWN
    xs, ws = x._shape, w._shape
    if ws.ndims is not None and ws.ndims != 4:
        raise ValueError(f"Shape must be rank 4 but is rank {ws.ndims} for filter")
    if xs.ndims is not None:
        if xs.ndims != 4:
            raise ValueError(f"Shape must be rank 4 but is rank {xs.ndims} for input")
        d = xs.as_list()
        kd = ws.as_list() if ws.ndims is not None else [None] * 4
        if d[c_ax] is not None and kd[2] is not None and d[c_ax] % kd[2] != 0:
            raise ValueError(
                f"Depth of input ({d[c_ax]}) is not a multiple of input depth of filter "
                f"({kd[2]}) for '{{{{node {scope[:-1]}}}}} = Conv2D[T=DT_FLOAT, "
                f"data_format=\"{data_format}\", padding=\"{padding}\"]'"
            )
        pads_h = tuple(explicit[h_ax]) if explicit else None
        pads_w = tuple(explicit[w_ax]) if explicit else None
        oh = _spatial_out(d[h_ax], kd[0], strides_l[h_ax], dil[h_ax], padding, pads_h)  # type: ignore[arg-type]
        ow = _spatial_out(d[w_ax], kd[1], strides_l[w_ax], dil[w_ax], padding, pads_w)  # type: ignore[arg-type]
        dims = [d[0], oh, ow, kd[3]] if data_format == "NHWC" else [d[0], kd[3], oh, ow]
        out = TensorShape(dims)
    attrs = {
        "T": x._dtype.base_dtype,
        "strides": strides_l,
        "padding": padding if explicit is None else "EXPLICIT",
        "explicit_paddings": [v for p in explicit for v in p] if explicit else [],
        "data_format": data_format,
        "dilations": dil,
        "use_cudnn_on_gpu": use_cudnn_on_gpu,
    }
    return make_op("Conv2D", (x, w), attrs, scope, x._dtype.base_dtype, out)


def _same_pads(size: int, k: int, stride: int, dilation: int) -> tuple[int, int]:
    out = -(-size // stride)
    eff = (k - 1) * dilation + 1
    total = max((out - 1) * stride + eff - size, 0)
    return total // 2, total - total // 2


@register_kernel("Conv2D")
def _conv2d_kernel(op: Any, session: Any) -> Any:
    a = op._attrs
    nhwc = a["data_format"] == "NHWC"
    h_ax, w_ax = (1, 2) if nhwc else (2, 3)
    sh, sw = a["strides"][h_ax], a["strides"][w_ax]
    dh, dw = a["dilations"][h_ax], a["dilations"][w_ax]
    padding = a["padding"]
    ep = a["explicit_paddings"]

    def kernel(x: Any, w: Any) -> Any:
        xc = x.permute(0, 3, 1, 2) if nhwc else x
        wt = w.permute(3, 2, 0, 1)
        kh, kw = w.shape[0], w.shape[1]
        if padding == "SAME":
            ph = _same_pads(xc.shape[2], kh, sh, dh)
            pw = _same_pads(xc.shape[3], kw, sw, dw)
        elif padding == "VALID":
            ph = pw = (0, 0)
        else:
            ph = (ep[2 * h_ax], ep[2 * h_ax + 1])
            pw = (ep[2 * w_ax], ep[2 * w_ax + 1])
        groups = xc.shape[1] // w.shape[2]
        if ph[0] == ph[1] and pw[0] == pw[1]:
            y = F.conv2d(xc, wt, stride=(sh, sw), padding=(ph[0], pw[0]), dilation=(dh, dw),
                         groups=groups)  # fmt: skip
        else:
            xp = F.pad(xc, (pw[0], pw[1], ph[0], ph[1]))
            y = F.conv2d(xp, wt, stride=(sh, sw), dilation=(dh, dw), groups=groups)
        return y.permute(0, 2, 3, 1) if nhwc else y

    return kernel


def relu(features: Any, name: str | None = None) -> Tensor:
    """max(features, 0) (``tf.nn.relu``)."""
    scope = _scope(name, "Relu")
    x = convert_to_tensor(features, name=scope + "features/")
    _check_allowed(x, (*_CONV_TYPES, dtypes.int8, dtypes.int16, dtypes.int32, dtypes.int64,
                       dtypes.uint8, dtypes.uint16, dtypes.uint32, dtypes.uint64), "features")  # fmt: skip
    return make_op("Relu", (x,), {"T": x._dtype.base_dtype}, scope, x._dtype.base_dtype, x._shape)


register_kernel("Relu")(lambda op, s: torch.relu)


def bias_add(value: Any, bias: Any, data_format: str | None = None, name: str | None = None
             ) -> Tensor:  # fmt: skip
    """Adds a 1-D ``bias`` along the channel dimension (``tf.nn.bias_add``)."""
    scope = _scope(name, "BiasAdd")
    x, b = _convert_pair(value, bias, "BiasAdd", scope)
    df = data_format or "NHWC"
    if df not in ("NHWC", "NCHW", "N..C", "NC.."):
        raise ValueError(f"Invalid data_format: {data_format}")
    if b._shape.ndims is not None and b._shape.ndims != 1:
        raise ValueError(f"Shape must be rank 1 but is rank {b._shape.ndims}")
    if x._shape.ndims is not None and x._shape.ndims < 2:
        raise ValueError(f"Shape must be at least rank 2 but is rank {x._shape.ndims}")
    out = x._shape
    if x._shape.ndims is not None and b._shape.ndims == 1:
        c_ax = -1 if df in ("NHWC", "N..C") else 1
        dims = x._shape.as_list()
        bc = b._shape.as_list()[0]
        if dims[c_ax] is not None and bc is not None and dims[c_ax] != bc:
            raise ValueError(
                f"Dimensions must be equal, but are {dims[c_ax]} and {bc} for "
                f"'{{{{node {scope[:-1]}}}}} = BiasAdd[T=DT_FLOAT, data_format=\"{df}\"]' "
                f"with input shapes: {x._shape.as_list()}, [{bc}]."
            )
        if dims[c_ax] is None:
            dims[c_ax] = bc
        out = TensorShape(dims)
    return make_op("BiasAdd", (x, b), {"T": x._dtype.base_dtype, "data_format": df}, scope,
                   x._dtype.base_dtype, out)  # fmt: skip


@register_kernel("BiasAdd")
def _bias_add_kernel(op: Any, session: Any) -> Any:
    if op._attrs["data_format"] in ("NHWC", "N..C"):
        return torch.add

    def kernel(x: Any, b: Any) -> Any:
        return x + b.reshape(-1, *([1] * (x.dim() - 2)))

    return kernel


__all__ = ["bias_add", "conv2d", "relu"]
