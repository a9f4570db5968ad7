"""``tf.image`` colour ops: brightness, contrast, saturation, hue, gamma, colour spaces.

Built as TF 1.15's ``image_ops_impl`` builds them (same name scopes, the same
``convert_image_dtype`` round trips, TF's kernel ops ``AdjustContrastv2``, ``AdjustSaturation``,
``AdjustHue``, ``RGBToHSV`` and ``HSVToRGB``). The kernels follow TF's CPU kernels'
formulas (``adjust_saturation_op.cc``/``adjust_hue_op.cc``: the per-pixel HSV and hue/v-range
conversions; ``colorspace_op.h``), vectorised in torch.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

import torch

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.errors import InvalidArgumentError
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Tensor
from scopeflow.ops import math_ops
from scopeflow.ops._math_common import _scope, name_scope
from scopeflow.ops._op_builder import make_op
from scopeflow.ops.image_ops import convert_image_dtype

_HALF_OR_FLOAT = (dtypes.float16, dtypes.float32)


def _to_float(image: Tensor) -> Tensor:
    if image._dtype.base_dtype in _HALF_OR_FLOAT:
        return image
    return convert_image_dtype(image, dtypes.float32)


def adjust_brightness(image: Any, delta: Any) -> Tensor:
    """Adds ``delta`` to every pixel (``tf.image.adjust_brightness``), via float and back."""
    scope = _scope(None, "adjust_brightness")
    with name_scope(scope):
        x = convert_to_tensor(image, name="image")
        orig = x._dtype.base_dtype
        flt = _to_float(x)
        adjusted = math_ops.add(flt, math_ops.cast(delta, flt._dtype.base_dtype), name=scope)
        return convert_image_dtype(adjusted, orig, saturate=True)


def _kernel_op(op_type: str, image: Tensor, arg: Any, arg_name: str, name: str) -> Tensor:
    a = convert_to_tensor(arg, dtype=dtypes.float32, name=name + arg_name)
    return make_op(op_type, (image, a), {"T": image._dtype.base_dtype}, name,
                   image._dtype.base_dtype, image._shape)  # fmt: skip


def adjust_contrast(images: Any, contrast_factor: Any) -> Tensor:
    """``(x - mean) * contrast_factor + mean`` per image and channel (``AdjustContrastv2``)."""
    scope = _scope(None, "adjust_contrast")
    with name_scope(scope):
        x = convert_to_tensor(images, name="images")
        orig = x._dtype.base_dtype
        flt = _to_float(x)
        if flt._shape.ndims is not None and flt._shape.ndims < 3:
            raise ValueError(f"Shape must be at least rank 3 but is rank {flt._shape.ndims}")
    adjusted = _kernel_op("AdjustContrastv2", flt, contrast_factor, "contrast_factor", scope)
    with name_scope(scope):
        return convert_image_dtype(adjusted, orig, saturate=True)


def _check_rgb(x: Tensor) -> None:
    if x._shape.ndims is not None:
        if x._shape.ndims < 3:
            raise ValueError(f"Shape must be at least rank 3 but is rank {x._shape.ndims}")
        c = x._shape.as_list()[-1]
        if c is not None and c != 3:
            raise ValueError(f"Dimension must be 3 but is {c}")


def adjust_saturation(image: Any, saturation_factor: Any, name: str | None = None) -> Tensor:
    """Scales HSV saturation by ``saturation_factor``, clipped to [0, 1] (``AdjustSaturation``)."""
    scope = _scope(name, "adjust_saturation")
    with name_scope(scope):
        x = convert_to_tensor(image, name="image")
        orig = x._dtype.base_dtype
        flt = _to_float(x)
        _check_rgb(flt)
        g = flt.graph
        op_name = g.unique_name("AdjustSaturation") + "/"
        adjusted = _kernel_op("AdjustSaturation", flt, saturation_factor, "scale", op_name)
        return convert_image_dtype(adjusted, orig)


def adjust_hue(image: Any, delta: Any, name: str | None = None) -> Tensor:
    """Rotates hue by ``delta`` (a fraction of the colour circle) (``AdjustHue``)."""
    scope = _scope(name, "adjust_hue")
    with name_scope(scope):
        x = convert_to_tensor(image, name="image")
        orig = x._dtype.base_dtype
        flt = _to_float(x)
        _check_rgb(flt)
        op_name = flt.graph.unique_name("AdjustHue") + "/"
        adjusted = _kernel_op("AdjustHue", flt, delta, "delta", op_name)
        return convert_image_dtype(adjusted, orig)


def adjust_gamma(image: Any, gamma: Any = 1, gain: Any = 1) -> Tensor:
    """``gain * image ** gamma`` in float (``tf.image.adjust_gamma``).

    Differences from TensorFlow: a tensor ``gamma`` gets no run-time non-negativity ``Assert``.
    """
    scope = _scope(None, "adjust_gamma")
    with name_scope(scope):
        x = convert_to_tensor(image, name="image")
        orig = x._dtype.base_dtype
        flt = _to_float(x)
        if not isinstance(gamma, Tensor) and gamma < 0:
            raise ValueError("Gamma should be a non-negative real number.")
        adjusted = math_ops.multiply(gain, math_ops.pow(flt, gamma))
        return convert_image_dtype(adjusted, orig, saturate=True)


def rgb_to_grayscale(images: Any, name: str | None = None) -> Tensor:
    """Weighted sum ``0.2989 R + 0.5870 G + 0.1140 B``, keeping a size-1 channel axis."""
    from scopeflow.ops.matmul_ops import tensordot  # noqa: PLC0415
    from scopeflow.ops.shape_ops import expand_dims  # noqa: PLC0415

    scope = _scope(name, "rgb_to_grayscale")
    with name_scope(scope):
        x = convert_to_tensor(images, name="images")
        orig = x._dtype.base_dtype
        flt = convert_image_dtype(x, dtypes.float32)
        gray = tensordot(flt, [0.2989, 0.5870, 0.1140], [-1, -1])
        gray = expand_dims(gray, -1)
        return convert_image_dtype(gray, orig, name=scope)


def grayscale_to_rgb(images: Any, name: str | None = None) -> Tensor:
    """Repeats the single channel three times (``tf.image.grayscale_to_rgb``)."""
    from scopeflow.ops.shape_ops import tile  # noqa: PLC0415

    scope = _scope(name, "grayscale_to_rgb")
    with name_scope(scope):
        x = convert_to_tensor(images, name="images")
        s = x._shape
        if s.ndims is not None:
            if s.ndims < 2:
                raise ValueError(f"A grayscale image (shape {s}) must be at least two-dimensional.")
            if s.is_fully_defined() and s.as_list()[-1] != 1:
                raise ValueError("Last dimension of a grayscale image should be size 1.")
        if s.ndims is None:
            from scopeflow.errors import UnsupportedError  # noqa: PLC0415

            raise UnsupportedError("tf.image.grayscale_to_rgb of an image of unknown rank")
        out = tile(x, [1] * (s.ndims - 1) + [3], name=scope)
        out.set_shape(TensorShape([*s.as_list()[:-1], 3]))
        return out


def _colorspace(op_type: str, images: Any, name: str | None) -> Tensor:
    scope = _scope(name, op_type)
    x = convert_to_tensor(images, name=scope + "images/")
    if not x._dtype.base_dtype.is_floating:
        raise TypeError(
            f"Value passed to parameter 'images' has DataType {x._dtype.base_dtype.name} not in "
            "list of allowed values: float16, bfloat16, float32, float64"
        )
    if x._shape.ndims is not None:
        if x._shape.ndims < 1:
            raise ValueError(f"Shape must be at least rank 1 but is rank {x._shape.ndims}")
        c = x._shape.as_list()[-1]
        if c is not None and c != 3:
            raise ValueError(f"Dimension must be 3 but is {c}")
    return make_op(op_type, (x,), {"T": x._dtype.base_dtype}, scope, x._dtype.base_dtype,
                   x._shape)  # fmt: skip


def rgb_to_hsv(images: Any, name: str | None = None) -> Tensor:
    """RGB in [0, 1] to HSV in [0, 1] (TF's ``RGBToHSV`` kernel)."""
    return _colorspace("RGBToHSV", images, name)


def hsv_to_rgb(images: Any, name: str | None = None) -> Tensor:
    """HSV in [0, 1] to RGB (TF's ``HSVToRGB`` kernel)."""
    return _colorspace("HSVToRGB", images, name)


_RGB_TO_YUV: list[list[float]] = [
    [0.299, -0.14714119, 0.61497538],
    [0.587, -0.28886916, -0.51496512],
    [0.114, 0.43601035, -0.10001026],
]
_YUV_TO_RGB: list[list[float]] = [
    [1, 1, 1],
    [0, -0.394642334, 2.03206185],
    [1.13988303, -0.58062185, 0],
]


_RGB_TO_YIQ: list[list[float]] = [
    [0.299, 0.59590059, 0.2115],
    [0.587, -0.27455667, -0.52273617],
    [0.114, -0.32134392, 0.31119955],
]
_YIQ_TO_RGB: list[list[float]] = [
    [1, 1, 1],
    [0.95598634, -0.27201283, -1.10674021],
    [0.6208248, -0.64720424, 1.70423049],
]


def _yuv(images: Any, kernel: list[list[float]]) -> Tensor:
    from scopeflow.ops.matmul_ops import tensordot  # noqa: PLC0415

    x = convert_to_tensor(images, name="images")
    k = convert_to_tensor(kernel, dtype=x._dtype.base_dtype, name="kernel")
    if x._shape.ndims is None:
        from scopeflow.errors import UnsupportedError  # noqa: PLC0415

        raise UnsupportedError("tf.image YUV/YIQ conversion of an image of unknown rank")
    return tensordot(x, k, axes=[[x._shape.ndims - 1], [0]])


def rgb_to_yuv(images: Any) -> Tensor:
    """RGB to YUV by TF's 3x3 matrix (a ``Tensordot``)."""
    return _yuv(images, _RGB_TO_YUV)


def yuv_to_rgb(images: Any) -> Tensor:
    """YUV to RGB by TF's 3x3 matrix (a ``Tensordot``)."""
    return _yuv(images, _YUV_TO_RGB)


def rgb_to_yiq(images: Any) -> Tensor:
    """RGB to YIQ by TF's 3x3 matrix (a ``Tensordot``)."""
    return _yuv(images, _RGB_TO_YIQ)


def yiq_to_rgb(images: Any) -> Tensor:
    """YIQ to RGB by TF's 3x3 matrix (a ``Tensordot``)."""
    return _yuv(images, _YIQ_TO_RGB)


# --- kernels -------------------------------------------------------------------------------------


def _rgb_channels(x: torch.Tensor, op: str) -> torch.Tensor:
    if x.dim() < 3:
        raise InvalidArgumentError(
            None, None, f"input must be at least 3-D, got shape{list(x.shape)}"
        )
    if x.shape[-1] != 3:
        raise InvalidArgumentError(
            None, None, f"input must have 3 channels but instead has {x.shape[-1]} channels."
        )
    return x.reshape(-1, 3)


@register_kernel("AdjustContrastv2")
def _adjust_contrast_kernel(op: Any, session: Any) -> Any:
    def kernel(x: Any, factor: Any) -> Any:
        if x.dim() < 3:
            raise InvalidArgumentError(
                None, None, f"input must be at least 3-D, got shape{list(x.shape)}"
            )
        y = x.float()
        mean = y.mean(dim=(-3, -2), keepdim=True)
        return ((y - mean) * factor.float() + mean).to(x.dtype)

    return kernel


# Index tables for TF's per-category switches (torch.gather instead of one where per case).
# hsv_to_rgb: (r, g, b) as indices into (c, x, 0); category 6 stands for TF's default (0, 0, 0).
_HSV_PICK = torch.tensor([[0, 1, 2], [1, 0, 2], [2, 0, 1], [2, 1, 0], [1, 2, 0], [0, 2, 1],
                          [2, 2, 2]])  # fmt: skip
# rgb_to_hv_range: (v_max, v_mid, v_min) as indices into (r, g, b), by hue category 0..5.
_HV_ORDER = torch.tensor([[0, 1, 2], [1, 0, 2], [1, 2, 0], [2, 1, 0], [2, 0, 1], [0, 2, 1]])
# hv_range_to_rgb: (r, g, b) as indices into (v_max, v_mid, v_min); 5 is also TF's default.
_HV_PICK = torch.tensor([[0, 1, 2], [1, 0, 2], [2, 0, 1], [2, 1, 0], [1, 2, 0], [0, 2, 1]])


def _rgb_to_hsv(r: torch.Tensor, g: torch.Tensor, b: torch.Tensor
                ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:  # fmt: skip
    """``adjust_saturation_op.cc``'s ``rgb_to_hsv`` (float math, double constants)."""
    v = torch.maximum(r, torch.maximum(g, b))
    rng = v - torch.minimum(r, torch.minimum(g, b))
    s = torch.where(v > 0, rng / torch.where(v > 0, v, torch.ones_like(v)), torch.zeros_like(v))
    norm = 1.0 / (6.0 * rng)
    h = torch.where(
        r == v,
        norm * (g - b),
        torch.where(
            g == v,
            ((norm * (b - r)).double() + 2.0 / 6.0).float(),
            ((norm * (r - g)).double() + 4.0 / 6.0).float(),
        ),
    )
    h = torch.where(rng <= 0, torch.zeros_like(h), h)
    h = torch.where(h < 0, h + 1, h)
    return h, s, v


def _hsv_to_rgb(h: torch.Tensor, s: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """``adjust_saturation_op.cc``'s ``hsv_to_rgb``."""
    c = s * v
    m = v - c
    dh = h * 6
    cat = dh.to(torch.int32)  # C's truncating float -> int conversion
    fmodu = dh.clone()
    fmodu = torch.where(fmodu <= 0, fmodu + 2.0 * torch.ceil((-fmodu + 1e-30) / 2.0), fmodu)
    fmodu = torch.where(fmodu <= 0, fmodu + 2.0, fmodu)
    fmodu = torch.where(fmodu >= 2.0, fmodu - 2.0 * torch.floor(fmodu / 2.0), fmodu)
    xx = c * (1 - torch.abs(fmodu - 1))
    # TF's switch on the category: (r, g, b) picked from (c, x, 0); other categories give 0.
    choices = torch.stack([c, xx, torch.zeros_like(c)], dim=-1)
    cat = torch.where((cat >= 0) & (cat <= 5), cat, torch.full_like(cat, 6)).long()
    rgb = torch.gather(choices, -1, _HSV_PICK[cat])
    return rgb + m.unsqueeze(-1)


@register_kernel("AdjustSaturation")
def _adjust_saturation_kernel(op: Any, session: Any) -> Any:
    def kernel(x: Any, scale: Any) -> Any:
        p = _rgb_channels(x, "AdjustSaturation").float()
        h, s, v = _rgb_to_hsv(p[:, 0], p[:, 1], p[:, 2])
        s = torch.clamp(s * scale.float(), 0.0, 1.0)
        return _hsv_to_rgb(h, s, v).reshape(x.shape).to(x.dtype)

    return kernel


def _rgb_to_hv_range(r: torch.Tensor, g: torch.Tensor, b: torch.Tensor
                     ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:  # fmt: skip
    """``adjust_hue_op.cc``'s ``rgb_to_hv_range``: hue in [0, 6), v_min, v_max."""
    r_lt_g = r < g
    one, two, three = (torch.full_like(r, v, dtype=torch.int64) for v in (1, 2, 3))
    four, five, zero = (torch.full_like(r, v, dtype=torch.int64) for v in (4, 5, 0))
    cat_i = torch.where(
        r_lt_g,
        torch.where(b < r, one, torch.where(b > g, three, two)),
        torch.where(b < g, zero, torch.where(b > r, four, five)),
    )
    vals = torch.gather(torch.stack([r, g, b], dim=-1), -1, _HV_ORDER[cat_i])
    vmax, vmid, vmin = vals[..., 0], vals[..., 1], vals[..., 2]
    cat = cat_i.to(r.dtype)
    same = vmax == vmin
    ratio = (vmid - vmin) / torch.where(same, torch.ones_like(r), vmax - vmin)
    increase = (cat.to(torch.int32) & 1) == 0
    h = cat + torch.where(increase, ratio, 1 - ratio)
    return torch.where(same, torch.zeros_like(h), h), vmin, vmax


def _hv_range_to_rgb(h: torch.Tensor, vmin: torch.Tensor, vmax: torch.Tensor) -> torch.Tensor:
    cat = h.to(torch.int32)
    ratio = h - cat.to(h.dtype)
    ratio = torch.where((cat & 1) == 0, ratio, 1 - ratio)
    vmid = vmin + ratio * (vmax - vmin)
    choices = torch.stack([vmax, vmid, vmin], dim=-1)
    cat = torch.where((cat >= 0) & (cat <= 4), cat, torch.full_like(cat, 5)).long()
    return torch.gather(choices, -1, _HV_PICK[cat])


@register_kernel("AdjustHue")
def _adjust_hue_kernel(op: Any, session: Any) -> Any:
    def kernel(x: Any, delta: Any) -> Any:
        p = _rgb_channels(x, "AdjustHue").float()
        h, vmin, vmax = _rgb_to_hv_range(p[:, 0], p[:, 1], p[:, 2])
        h = h + delta.float() * 6
        # TF adds/subtracts 6 in a loop; |delta| <= 1 keeps h within two turns of [0, 6).
        for _ in range(3):
            h = torch.where(h < 0, h + 6, h)
            h = torch.where(h >= 6, h - 6, h)
        return _hv_range_to_rgb(h, vmin, vmax).reshape(x.shape).to(x.dtype)

    return kernel


@register_kernel("RGBToHSV")
def _rgb_to_hsv_kernel(op: Any, session: Any) -> Any:
    def kernel(x: Any) -> Any:
        if x.shape[-1] != 3:
            raise InvalidArgumentError(
                None, None, f"input must have 3 channels but input only has {x.shape[-1]} channels."
            )
        r, g, b = x[..., 0], x[..., 1], x[..., 2]
        v = torch.maximum(r, torch.maximum(g, b))
        rng = v - torch.minimum(r, torch.minimum(g, b))
        s = torch.where(v > 0, rng / v, torch.zeros_like(v))
        norm = (1.0 / rng) * (1.0 / 6.0)
        h = torch.where(
            r == v,
            norm * (g - b),
            torch.where(g == v, norm * (b - r) + 2.0 / 6.0, norm * (r - g) + 4.0 / 6.0),
        )
        h = torch.where(rng > 0, h, torch.zeros_like(h))
        h = torch.where(h < 0, h + 1, h)
        return torch.stack([h, s, v], dim=-1)

    return kernel


@register_kernel("HSVToRGB")
def _hsv_to_rgb_kernel(op: Any, session: Any) -> Any:
    def kernel(x: Any) -> Any:
        if x.shape[-1] != 3:
            raise InvalidArgumentError(
                None, None, f"input must have 3 channels but input only has {x.shape[-1]} channels."
            )
        h, s, v = x[..., 0], x[..., 1], x[..., 2]
        dh = h * 6
        dr = torch.clamp(torch.abs(dh - 3) - 1, 0, 1)
        dg = torch.clamp(-torch.abs(dh - 2) + 2, 0, 1)
        db = torch.clamp(-torch.abs(dh - 4) + 2, 0, 1)
        one_s = -s + 1
        return torch.stack([(one_s + s * dr) * v, (one_s + s * dg) * v, (one_s + s * db) * v],
                           dim=-1)  # fmt: skip

    return kernel


__all__ = [
    "adjust_brightness",
    "adjust_contrast",
    "adjust_gamma",
    "adjust_hue",
    "adjust_saturation",
    "grayscale_to_rgb",
    "hsv_to_rgb",
    "rgb_to_grayscale",
    "rgb_to_hsv",
    "rgb_to_yiq",
    "rgb_to_yuv",
    "yiq_to_rgb",
    "yuv_to_rgb",
]
