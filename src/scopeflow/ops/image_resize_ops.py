"""Image resizing with TF1's sampling.

Image resizing with TF1's sampling: ``resize_images`` (``ResizeMethod`` BILINEAR=0,
NEAREST_NEIGHBOR=1, BICUBIC=2, AREA=3), ``resize_bilinear``, ``resize_nearest_neighbor``,
``resize_bicubic`` and ``resize_area``.

TF1's kernels without ``half_pixel_centers`` sample output pixel ``x`` at input coordinate
``x * scale`` with ``scale = in / out`` (``(in - 1) / (out - 1)`` with ``align_corners``), not at
PyTorch ``interpolate``'s half-pixel centres; so the kernels here do TF's index math themselves
(float32 coordinates, gathers and TF's lerp order; bicubic with TF's 1024-entry coefficient
table), separably along width then height. Bilinear, bicubic and area results are float32 like
TF's; nearest keeps the input dtype.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import torch

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.errors import InvalidArgumentError, UnsupportedError
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Tensor
from scopeflow.ops._op_builder import make_op
from scopeflow.ops.math_ops import _check_allowed, _scope

_IMAGE_TYPES = (dtypes.int8, dtypes.uint8, dtypes.int16, dtypes.uint16, dtypes.int32,
                dtypes.int64, dtypes.bfloat16, dtypes.float16, dtypes.float32,
                dtypes.float64)  # fmt: skip


class ResizeMethod:
    """TF1's ``tf.image.ResizeMethod`` (``ResizeMethodV1``) enum values."""

    BILINEAR = 0
    NEAREST_NEIGHBOR = 1
    BICUBIC = 2
    AREA = 3


_OPS = {0: "ResizeBilinear", 1: "ResizeNearestNeighbor", 2: "ResizeBicubic", 3: "ResizeArea"}


# --- sampling tables (numpy, float32 like TF's kernels) ------------------------------------------


def _scale(in_size: int, out_size: int, align_corners: bool) -> np.float32:
    if align_corners and out_size > 1:
        return np.float32(in_size - 1) / np.float32(out_size - 1)
    return np.float32(in_size) / np.float32(out_size)


def _coords(in_size: int, out_size: int, align: bool, half: bool) -> np.ndarray:
    s = _scale(in_size, out_size, align)
    x = np.arange(out_size, dtype=np.float32)
    return ((x + np.float32(0.5)) * s - np.float32(0.5)) if half else x * s


@functools.lru_cache(maxsize=256)
def _linear_table(in_size: int, out_size: int, align: bool, half: bool) -> tuple[Any, Any, Any]:
    c = _coords(in_size, out_size, align, half)
    lo_f = np.floor(c)
    lo = np.maximum(lo_f, 0).astype(np.int64)
    hi = np.minimum(np.ceil(c), in_size - 1).astype(np.int64)
    lerp = (c - lo_f).astype(np.float32)
    return torch.from_numpy(lo), torch.from_numpy(hi), torch.from_numpy(lerp)


@functools.lru_cache(maxsize=256)
def _nearest_table(in_size: int, out_size: int, align: bool, half: bool) -> Any:
    s = _scale(in_size, out_size, align)
    x = np.arange(out_size, dtype=np.float32)
    c = (x + np.float32(0.5)) * s if half else x * s
    idx = np.floor(c + np.float32(0.5)) if align else np.floor(c)  # C roundf: half away from 0
    return torch.from_numpy(np.clip(idx, 0, in_size - 1).astype(np.int64))


_TABLE = 1024


@functools.lru_cache(maxsize=4)
def _cubic_coeffs(a: float) -> np.ndarray:
    t = np.zeros(((_TABLE + 1) * 2,), np.float32)
    for i in range(_TABLE + 1):
        x = np.float32(i * 1.0 / _TABLE)
        t[i * 2] = ((a + 2) * x - (a + 3)) * x * x + 1
        x = np.float32(x + 1.0)
        t[i * 2 + 1] = ((a * x - 5 * a) * x + 8 * a) * x - 4 * a
    return t


@functools.lru_cache(maxsize=256)
def _cubic_table(in_size: int, out_size: int, align: bool, half: bool) -> tuple[Any, Any]:
    keys = half  # TF uses Keys' a = -0.5 with half-pixel centres, a = -0.75 (legacy) otherwise.
    table = _cubic_coeffs(-0.5 if keys else -0.75)
    c = _coords(in_size, out_size, align, half)
    loc = np.floor(c).astype(np.int64)
    delta = (c - loc).astype(np.float32)
    off = np.rint(delta * _TABLE).astype(np.int64)
    w = np.stack([table[off * 2 + 1], table[off * 2], table[(_TABLE - off) * 2],
                  table[(_TABLE - off) * 2 + 1]], axis=1)  # fmt: skip
    raw = np.stack([loc - 1, loc, loc + 1, loc + 2], axis=1)
    idx = np.clip(raw, 0, in_size - 1)
    if keys:
        w = np.where(idx == raw, w, np.float32(0))
        tot = w.sum(axis=1, keepdims=True)
        w = np.where(np.abs(tot) >= 1000 * np.finfo(np.float32).tiny, w / tot, w)
    return torch.from_numpy(idx), torch.from_numpy(w.astype(np.float32))


@functools.lru_cache(maxsize=256)
def _area_matrix(in_size: int, out_size: int, align: bool) -> Any:
    s = float(_scale(in_size, out_size, align))
    m = np.zeros((out_size, in_size), np.float64)
    for y in range(out_size):
        a, b = np.float32(y * s), np.float32((y + 1) * s)
        for i in range(int(np.floor(a)), int(np.ceil(b))):
            if i < a:  # noqa: SIM108
                cov = s if i + 1 > b else i + 1 - a
            else:
                cov = b - i if i + 1 > b else 1.0
            m[y, min(max(i, 0), in_size - 1)] += cov
    return torch.from_numpy((m / s).astype(np.float32))


# --- separable resampling along one axis of an NHWC tensor ---------------------------------------


def _resample(x: Any, axis: int, method: int, in_size: int, out_size: int, align: bool,
              half: bool) -> Any:  # fmt: skip
    if method == 1:
        return x.index_select(axis, _nearest_table(in_size, out_size, align, half))
    if method == 0:
        lo, hi, lerp = _linear_table(in_size, out_size, align, half)
        a, b = x.index_select(axis, lo), x.index_select(axis, hi)
        shape = [1] * x.dim()
        shape[axis] = out_size
        return a + (b - a) * lerp.to(x.dtype).reshape(shape)
    if method == 2:
        idx, w = _cubic_table(in_size, out_size, align, half)
        shape = [1] * x.dim()
        shape[axis] = out_size
        out = None
        for t in range(4):
            term = x.index_select(axis, idx[:, t]) * w[:, t].to(x.dtype).reshape(shape)
            out = term if out is None else out + term
        return out
    m = _area_matrix(in_size, out_size, align).to(x.dtype)
    return torch.movedim(torch.tensordot(x, m, dims=([axis], [1])), -1, axis)


def resize_nhwc(x: Any, size: tuple[int, int], method: int, align: bool, half: bool) -> Any:
    """Resizes a 4-D NHWC torch tensor with TF's sampling.

    Resizes a 4-D NHWC torch tensor with TF's sampling: the width pass first, then the height
    pass, the order in which TF's kernels combine the taps.
    """
    oh, ow = size
    h, w = x.shape[1], x.shape[2]
    if method != 1 and x.dtype not in (torch.float32, torch.float64):
        x = x.float()
    y = _resample(x, 2, method, w, ow, align, half)
    return _resample(y, 1, method, h, oh, align, half)


# --- op wrappers -----------------------------------------------------------------------------


def _size_tensor(size: Any, scope: str, name: str = "size/") -> Tensor:
    s = convert_to_tensor(size, dtype=dtypes.int32, name=scope + name)
    if not s._shape.is_compatible_with(TensorShape([2])):
        raise ValueError("'size' must be a 1-D Tensor of 2 elements: new_height, new_width")
    return s


def _resize_op(method: int, x: Tensor, size: Tensor, align: bool, half: bool, name: str,
               ) -> Tensor:  # fmt: skip
    op_type = _OPS[method]
    _check_allowed(x, _IMAGE_TYPES, "images")
    xs = x._shape
    nd = 4
    if xs.ndims is not None and xs.ndims != nd:
        raise ValueError(f"Shape must be rank 4 but is rank {xs.ndims} for '{name[:-1]}' "
                         f"(op: '{op_type}')")  # fmt: skip
    sv = size._const
    oh, ow = (None, None) if sv is None else (int(sv[0]), int(sv[1]))
    dims = xs.as_list() if xs.ndims is not None else [None] * nd
    out = TensorShape([*dims[:-3], oh, ow, dims[-1]])
    out_dt = x._dtype.base_dtype if method == 1 else dtypes.float32
    attrs = {"T": x._dtype.base_dtype, "align_corners": bool(align),
             "half_pixel_centers": bool(half)}  # fmt: skip
    return make_op(op_type, (x, size), attrs, name, out_dt, out)


def _resize_kernel(op: Any, session: Any) -> Any:
    a = op._attrs
    method = {v: k for k, v in _OPS.items()}[op.type]
    align, half = a["align_corners"], a["half_pixel_centers"]
    msg = "If half_pixel_centers is True, align_corners must be False." if half and align else ""

    def kernel(x: Any, size: Any) -> Any:
        if msg:
            raise InvalidArgumentError(None, op, msg)
        oh, ow = (int(v) for v in size.tolist())
        if oh <= 0 or ow <= 0:
            raise InvalidArgumentError(None, op, f"output dimensions must be positive, got "
                                       f"[{oh},{ow}]")  # fmt: skip
        y = resize_nhwc(x, (oh, ow), method, align, half)
        if method != 1:
            y = y.float()
        return y

    return kernel


for _op_type in _OPS.values():
    register_kernel(_op_type)(_resize_kernel)


def _legacy(op_type: str, images: Any, size: Any, align_corners: bool, name: str | None,
            half_pixel_centers: bool) -> Tensor:  # fmt: skip
    scope = _scope(name, op_type)
    x = convert_to_tensor(images, name=scope + "images/")
    s = _size_tensor(size, scope)
    method = {v: k for k, v in _OPS.items()}[op_type]
    return _resize_op(method, x, s, align_corners, half_pixel_centers, scope)


def resize_bilinear(images: Any, size: Any, align_corners: bool = False, name: str | None = None,
                    half_pixel_centers: bool = False) -> Tensor:  # fmt: skip
    """Bilinear resize of NHWC ``images`` (TF1 ``tf.image.resize_bilinear``), float32 result.

    >>> import scopeflow.compat.v1 as tf
    >>> y = tf.image.resize_bilinear(tf.zeros([1, 4, 4, 3]), [8, 8])
    >>> print(y.name, y.shape)
    ResizeBilinear:0 (1, 8, 8, 3)
    """
    return _legacy("ResizeBilinear", images, size, align_corners, name, half_pixel_centers)


def resize_nearest_neighbor(images: Any, size: Any, align_corners: bool = False,
                            name: str | None = None,
                            half_pixel_centers: bool = False) -> Tensor:  # fmt: skip
    """Nearest-neighbour resize (TF1 ``tf.image.resize_nearest_neighbor``), input dtype kept."""
    return _legacy("ResizeNearestNeighbor", images, size, align_corners, name,
                   half_pixel_centers)  # fmt: skip


def resize_bicubic(images: Any, size: Any, align_corners: bool = False, name: str | None = None,
                   half_pixel_centers: bool = False) -> Tensor:  # fmt: skip
    """Bicubic resize (TF1 ``tf.image.resize_bicubic``, TF's cubic table), float32 result."""
    return _legacy("ResizeBicubic", images, size, align_corners, name, half_pixel_centers)


def resize_area(images: Any, size: Any, align_corners: bool = False, name: str | None = None
                ) -> Tensor:  # fmt: skip
    """Area (box-average) resize (``tf.image.resize_area``), float32 result."""
    return _legacy("ResizeArea", images, size, align_corners, name, False)


def resize_images(images: Any, size: Any, method: int = ResizeMethod.BILINEAR,
                  align_corners: bool = False, preserve_aspect_ratio: bool = False,
                  name: str | None = None) -> Tensor:  # fmt: skip
    """Resizes 3-D or 4-D NHWC ``images`` (TF1 ``tf.image.resize_images``) by ``method``.

    The result is ``resize/<Op>`` (``resize/Squeeze`` for a 3-D image, which TF expands and
    squeezes). When ``size`` equals the static input size the input is returned unchanged, as in
    TF. With ``preserve_aspect_ratio``
    the largest size within ``size`` keeping the aspect ratio is used (TF's float32 rounding).
    Bilinear, bicubic and area results are float32.

    Differences from TensorFlow: ``preserve_aspect_ratio`` needs the input's height and width
    statically (TF computes the size in the graph).
    """
    if method not in _OPS:
        raise ValueError(f"Resize method is not implemented: {method}")
    g = get_default_graph()
    with g.name_scope(name or "resize") as scope:
        x = convert_to_tensor(images, name="images")
        if x._shape.ndims is None:
            raise ValueError("'images' contains no shape.")
        if x._shape.ndims not in (3, 4):
            raise ValueError("'images' must have either 3 or 4 dimensions.")
        from scopeflow.ops.shape_ops import expand_dims, squeeze  # noqa: PLC0415

        batched = x._shape.ndims == 4
        if not batched:
            x = expand_dims(x, 0)
        s = _size_tensor(size, scope)
        h, w = x._shape.as_list()[-3:-1]
        sv = s._const
        if preserve_aspect_ratio:
            if sv is None or h is None or w is None:
                raise UnsupportedError("resize_images(preserve_aspect_ratio=True) without static "
                                       "image and target sizes")  # fmt: skip
            f32 = np.float32
            factor = min(f32(sv[0]) / f32(h), f32(sv[1]) / f32(w))
            nh, nw = int(np.round(factor * f32(h))), int(np.round(factor * f32(w)))
            for nm in ("Shape", "unstack", "strided_slice", "Cast", "truediv", "Minimum", "mul",
                       "Round"):  # fmt: skip
                g._names.mark_used(scope + nm)
            s = convert_to_tensor(np.array([nh, nw], np.int32), name="size_1")
            sv = s._const
        if (
            sv is not None
            and h is not None
            and w is not None
            and (h, w) == tuple(int(v) for v in sv)
        ):
            return x if batched else squeeze(x, [0])
        if sv is not None and (int(sv[0]) <= 0 or int(sv[1]) <= 0):
            raise ValueError("'size' must contain positive values")
        y = _resize_op(method, x, s, align_corners, False, scope + _OPS[method] + "/")
        return y if batched else squeeze(y, [0])


__all__ = [
    "ResizeMethod",
    "resize_area",
    "resize_bicubic",
    "resize_bilinear",
    "resize_images",
    "resize_nearest_neighbor",
]
