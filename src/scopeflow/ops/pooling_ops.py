"""Pooling ops of ``tf.nn`` with TF's layouts and ``SAME`` padding.

Pooling: ``max_pool``/``avg_pool`` (and the ``max_pool2d``/``avg_pool2d``/3-D spellings) and
``pool``, with TF's layouts and ``SAME`` padding.

TF's ``SAME`` pooling pads asymmetrically (the extra element at the end); ``max_pool`` ignores
padded positions (pads with -inf) and ``avg_pool`` divides each window by the number of *valid*
(non-padded) elements it covers.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F  # noqa: N812

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.errors import InvalidArgumentError, UnsupportedError
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.op_registry import declare_thread_invariant, register_kernel
from scopeflow.graph.tensor import Tensor
from scopeflow.ops._max_pool_nhwc import max_pool_nhwc
from scopeflow.ops._op_builder import UNKNOWN, make_op
from scopeflow.ops.conv_ops import (
    _CHANNELS_LAST,
    _check_padding,
    _check_window,
    _normalize_list,
    _same_pads,
    _spatial_axes,
    _spatial_out,
)
from scopeflow.ops.math_ops import _check_allowed, _scope, name_scope
from scopeflow.ops.shape_ops import expand_dims, squeeze
from scopeflow.ops.with_space_to_batch import with_space_to_batch

_POOL_TYPES = (dtypes.float16, dtypes.bfloat16, dtypes.float32, dtypes.float64)


def _pool(op_type: str, nsp: int, value: Any, ksize: Any, strides: Any, padding: Any,
          data_format: str, name: str | None, default: str) -> Tensor:  # fmt: skip
    formats = {2: ("NHWC", "NCHW"), 3: ("NDHWC", "NCDHW")}[nsp]
    if data_format not in formats:
        raise ValueError(f"Invalid data_format: {data_format}")
    scope = _scope(name, default)
    x = convert_to_tensor(value, name=scope + "input/")
    _check_allowed(x, _POOL_TYPES, "input")
    n = nsp + 2
    k = _normalize_list(ksize, n, "ksize", data_format)
    s = _normalize_list(strides, n, "strides", data_format)
    pad, _ = _check_padding(padding, nsp, explicit_ok=False)
    sp_axes, c_ax = _spatial_axes(data_format, nsp)
    if k[c_ax] != 1 or s[c_ax] != 1:
        raise UnsupportedError(f"{op_type} over the depth dimension (ksize={k}, strides={s})")
    attrs: dict[str, Any] = {"T": x._dtype.base_dtype, "ksize": k, "strides": s,
                             "padding": pad, "data_format": data_format}  # fmt: skip
    if op_type == "MaxPool":
        attrs["explicit_paddings"] = []  # TF's MaxPool has the attr (always empty here)
    out = UNKNOWN
    xs = x._shape
    if xs.ndims is not None:
        if xs.ndims != n:
            raise ValueError(f"Shape must be rank {n} but is rank {xs.ndims} for '{scope[:-1]}' "
                             f"(op: '{op_type}') with input shapes: {xs}.")  # fmt: skip
        d = xs.as_list()
        for ax in sp_axes:
            _check_window(d[ax], k[ax], 1, pad, None, scope, op_type, attrs, (x,))
            d[ax] = _spatial_out(d[ax], k[ax], s[ax], 1, pad, None)
        out = TensorShape(d)
    return make_op(op_type, (x,), attrs, scope, x._dtype.base_dtype, out)


def max_pool(value: Any, ksize: Any, strides: Any, padding: Any, data_format: str = "NHWC",
             name: str | None = None, input: Any = None) -> Tensor:  # fmt: skip
    """2-D max pooling (TF1 ``tf.nn.max_pool``); ``SAME`` ignores padded positions.

    >>> import scopeflow.compat.v1 as tf
    >>> y = tf.nn.max_pool(tf.zeros([1, 5, 5, 2]), 2, 2, "SAME")
    >>> print(y.name, y.shape)
    MaxPool:0 (1, 3, 3, 2)
    """
    return _pool("MaxPool", 2, value if input is None else input, ksize, strides, padding,
                 data_format, name, "MaxPool")  # fmt: skip


def max_pool2d(input: Any, ksize: Any, strides: Any, padding: Any,
               data_format: str = "NHWC", name: str | None = None) -> Tensor:  # fmt: skip
    """``tf.nn.max_pool2d``: ``max_pool`` whose default name is ``MaxPool2d``."""
    return _pool("MaxPool", 2, input, ksize, strides, padding, data_format, name, "MaxPool2d")


def avg_pool(value: Any, ksize: Any, strides: Any, padding: Any, data_format: str = "NHWC",
             name: str | None = None, input: Any = None) -> Tensor:  # fmt: skip
    """2-D average pooling (TF1 ``tf.nn.avg_pool``); ``SAME`` windows average valid elements."""
    return _pool("AvgPool", 2, value if input is None else input, ksize, strides, padding,
                 data_format, name, "AvgPool")  # fmt: skip


def avg_pool2d(value: Any, ksize: Any, strides: Any, padding: Any, data_format: str = "NHWC",
               name: str | None = None, input: Any = None) -> Tensor:  # fmt: skip
    """``tf.nn.avg_pool2d``: the same op as ``avg_pool`` (default name ``AvgPool``)."""
    return avg_pool(value, ksize, strides, padding, data_format, name, input)


def max_pool3d(input: Any, ksize: Any, strides: Any, padding: Any,
               data_format: str = "NDHWC", name: str | None = None) -> Tensor:  # fmt: skip
    """3-D max pooling (``tf.nn.max_pool3d``, op ``MaxPool3D``)."""
    return _pool("MaxPool3D", 3, input, ksize, strides, padding, data_format, name, "MaxPool3D")


def avg_pool3d(input: Any, ksize: Any, strides: Any, padding: Any,
               data_format: str = "NDHWC", name: str | None = None) -> Tensor:  # fmt: skip
    """3-D average pooling (``tf.nn.avg_pool3d``, op ``AvgPool3D``)."""
    return _pool("AvgPool3D", 3, input, ksize, strides, padding, data_format, name, "AvgPool3D")


def _strides_and_rate(nsp: int, strides: Any, rate: Any) -> tuple[list[int], list[int]]:
    """TF's checks of ``pool``/``convolution``'s per-dimension ``strides`` and ``dilation_rate``."""
    if rate is None:
        rate = [1] * nsp
    elif len(rate) != nsp:
        raise ValueError(f"len(dilation_rate)={len(rate)} but should be {nsp}")
    rate = [int(r) for r in rate]
    if any(r < 1 for r in rate):
        raise ValueError("all values of dilation_rate must be positive")
    if strides is None:
        strides = [1] * nsp
    elif len(strides) != nsp:
        raise ValueError(f"len(strides)={len(strides)} but should be {nsp}")
    strides = [int(s) for s in strides]
    if any(s < 1 for s in strides):
        raise ValueError("all values of strides must be positive")
    if any(s > 1 for s in strides) and any(r > 1 for r in rate):
        raise ValueError("strides > 1 not supported in conjunction with dilation_rate > 1")
    return strides, rate


def pool(input: Any, window_shape: Any, pooling_type: str, padding: str,
         dilation_rate: Any = None, strides: Any = None, name: str | None = None,
         data_format: str | None = None, dilations: Any = None) -> Tensor:  # fmt: skip
    """N-D pooling (``tf.nn.pool``), N = 1, 2 or 3; named ``max_pool``/``avg_pool``.

    A ``dilation_rate`` above 1 runs the undilated pool through ``with_space_to_batch`` (the
    result is ``<scope>/BatchToSpaceND``), as TF does; 1-D pooling is a 2-D pool between
    ``ExpandDims`` and ``Squeeze``.

    >>> import scopeflow.compat.v1 as tf
    >>> y = tf.nn.pool(tf.zeros([1, 5, 8, 3]), [2, 3], "AVG", "VALID", dilation_rate=[1, 2])
    >>> print(y.name, y.shape)
    avg_pool/BatchToSpaceND:0 (1, 4, 4, 3)
    """
    if dilations is not None:
        if dilation_rate is not None:
            raise ValueError("Cannot specify both 'dilations' and 'dilation_rate'")
        dilation_rate = dilations
    scope = _scope(name, f"{pooling_type.lower()}_pool")
    with name_scope(scope):
        x = convert_to_tensor(input, name="input")
        window = [int(v) for v in window_shape]
        nsp = len(window)
        if not 1 <= nsp <= 3:
            raise ValueError("It is required that 1 <= num_spatial_dims <= 3.")
        x.get_shape().with_rank(nsp + 2)
        st, rate = _strides_and_rate(nsp, strides, dilation_rate)
        if padding == "SAME" and any(r > 1 for r in rate):
            raise ValueError("pooling with SAME padding is not implemented for dilation_rate > 1")
        if any(s > w for s, w in zip(st, window, strict=True)):
            raise ValueError(
                "strides > window_shape not supported due to inconsistency between CPU and GPU "
                "implementations"
            )
        if pooling_type not in ("MAX", "AVG"):
            raise ValueError(f"{nsp}-D {pooling_type} pooling is not supported.")
        channels_first = data_format is not None and data_format.startswith("NC")
        if channels_first:
            full_window, full_strides = [1, 1, *window], [1, 1, *st]
            spatial_dims = list(range(2, nsp + 2))
        else:
            full_window, full_strides = [1, *window, 1], [1, *st, 1]
            spatial_dims = list(range(1, nsp + 1))
        if nsp == 1:
            if data_format in (None, "NWC"):
                df = "NHWC"
            elif data_format == "NCW":
                df = "NCHW"
            else:
                raise ValueError('data_format must be either "NWC" or "NCW".')
            full_window, full_strides = [1, *full_window], [1, *full_strides]
        else:
            df = data_format or ("NHWC" if nsp == 2 else "NDHWC")
        op_type = ("Max" if pooling_type == "MAX" else "Avg") + ("Pool3D" if nsp == 3 else "Pool")
        default = "MaxPool" if pooling_type == "MAX" else "AvgPool"

        def op(converted: Tensor, _num_spatial_dims: int, converted_padding: str) -> Tensor:
            if nsp == 1:
                converted = expand_dims(converted, spatial_dims[0])
            result = _pool(op_type, 3 if nsp == 3 else 2, converted, full_window, full_strides,
                           converted_padding, df, scope, default)  # fmt: skip
            if nsp == 1:
                result = squeeze(result, [spatial_dims[0]])
            return result

        return with_space_to_batch(
            x, rate, padding, op, filter_shape=window, spatial_dims=spatial_dims
        )


def _pool_kernel(op: Any, session: Any, nsp: int) -> Any:
    a = op._attrs
    last = a["data_format"] in _CHANNELS_LAST
    sp_axes, _ = _spatial_axes(a["data_format"], nsp)
    k = tuple(a["ksize"][ax] for ax in sp_axes)
    s = tuple(a["strides"][ax] for ax in sp_axes)
    same = a["padding"] == "SAME"
    is_max = op.type.startswith("Max")
    in_perm = (0, nsp + 1, *range(1, nsp + 1))
    out_perm = (0, *range(2, nsp + 2), 1)
    maxf = F.max_pool2d if nsp == 2 else F.max_pool3d
    avgf = F.avg_pool2d if nsp == 2 else F.avg_pool3d

    batch = a["ksize"][0] != 1 or a["strides"][0] != 1

    def compiled(x: Any, relu: bool) -> Any:
        """The compiled NHWC loops' result (``relu`` of it with ``relu``), or None."""
        if batch or not (is_max and last and nsp == 2):
            return None
        if same and any(_same_pads(x.shape[1 + i], k[i], s[i], 1) != (0, 0) for i in range(2)):
            return None
        return max_pool_nhwc(x, k, s, relu)  # one-byte argmax, one-pass backward (same bits)

    def kernel(x: Any) -> Any:
        if batch:
            raise InvalidArgumentError(None, op, "Pooling is not yet supported on the batch "
                                       "dimension.")  # fmt: skip
        y = compiled(x, False)
        if y is not None:
            return y
        xc = x.permute(in_perm) if last else x
        pads = ([_same_pads(xc.shape[2 + i], k[i], s[i], 1) for i in range(nsp)] if same
                else [(0, 0)] * nsp)  # fmt: skip
        sym = all(p[0] == p[1] for p in pads)
        if is_max:
            if sym:
                y = maxf(xc, k, s, padding=tuple(p[0] for p in pads))
            else:
                flat = [v for p in reversed(pads) for v in p]
                y = maxf(F.pad(xc, flat, value=float("-inf")), k, s)
        elif sym:
            y = avgf(xc, k, s, padding=tuple(p[0] for p in pads), count_include_pad=False)
        else:
            # Window sums over a zero-padded input, divided by each window's count of valid
            # elements (computed once per shape on a single-channel ones tensor).
            flat = [v for p in reversed(pads) for v in p]
            sums = avgf(F.pad(xc, flat), k, s, divisor_override=1)
            ones = torch.ones((1, 1, *xc.shape[2:]), dtype=xc.dtype, device=xc.device)
            counts = avgf(F.pad(ones, flat), k, s, divisor_override=1)
            y = sums / counts
        return y.permute(out_perm) if last else y

    # ``max_pool(relu(z))`` fused (``conv_fusions``): ``relu`` in the compiled pass, or None.
    kernel.with_relu = lambda x: compiled(x, True)  # type: ignore[attr-defined]
    return kernel


register_kernel("MaxPool")(lambda op, s: _pool_kernel(op, s, 2))
register_kernel("AvgPool")(lambda op, s: _pool_kernel(op, s, 2))
# Each output element is its own window's max or mean: the same at any thread count.
declare_thread_invariant("MaxPool", "AvgPool")
register_kernel("MaxPool3D")(lambda op, s: _pool_kernel(op, s, 3))
register_kernel("AvgPool3D")(lambda op, s: _pool_kernel(op, s, 3))

__all__ = [
    "avg_pool",
    "avg_pool2d",
    "avg_pool3d",
    "max_pool",
    "max_pool2d",
    "max_pool3d",
    "pool",
]
