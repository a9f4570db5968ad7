"""``tf.image`` colour ops: brightness, contrast, saturation, hue, gamma, colour spaces.

Built as TF 1.15's ``image_ops_impl`` builds them (same name scopes, the same
``convert_image_dtype`` round trips, TF's kernel ops ``AdjustContrastv2``, ``AdjustSaturation``,
``AdjustHue``, ``RGBToHSV`` and ``HSVToRGB``). The kernels follow TF's CPU kernels'
formulas (``adjust_saturation_op.cc``/``adjust_hue_op.cc``: the per-pixel HSV and hue/v-range
conversions; ``colorspace_op.h``), vectorised in torch.

Differences from TensorFlow: a pixel with a NaN or infinite channel may come out of
``AdjustSaturation``, ``AdjustHue``, ``RGBToHSV`` and ``HSVToRGB`` with other NaN channels than
TF's (TF's per-pixel comparisons treat NaN as false; these kernels select arithmetically).

Must not import any layer above ``ops``.
"""

from __future__ import annotations

import math
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
        # Rows of width * channels and the means tiled along a row: broadcasting a [..., 1, 1, C]
        # mean over the innermost axis of size C is several times slower in torch.
        w, c = y.shape[-2], y.shape[-1]
        rows = y.reshape(*y.shape[:-2], w * c)
        mean_row = mean.expand(*mean.shape[:-2], w, c).reshape(*mean.shape[:-2], w * c)
        out = (rows - mean_row).mul_(factor.float()).add_(mean_row)
        return out.reshape(x.shape).to(x.dtype)

    return kernel


# The kernels below use only float arithmetic, ``minimum``/``maximum``, ``sign``, ``clamp``,
# ``trunc`` and ``floor``: on CPU, torch's boolean comparisons, ``where``, ``gather`` and
# last-axis ``stack`` each cost 5-40x a float add on a 224x224 image, and TF's per-pixel loops
# are one pass. TF's branches become 0/1 float masks: ``a * m + b * (1 - m)`` is exactly ``a``
# or ``b`` for finite values, and the selected branch's operands are made finite (a zero range
# divides by 1 instead) so that the other branch never yields a NaN; ``addcmul`` with a 0/1
# mask is exact too (its product is). Inputs are read as strided
# channel views and outputs written into the channel columns of one result, so the image is
# never transposed.


def _gt0(t: torch.Tensor) -> torch.Tensor:
    """1.0 where ``t > 0``, else 0.0."""
    return torch.sign(t).clamp_(min=0.0)


def _is_zero(t: torch.Tensor) -> torch.Tensor:
    """1.0 where ``t == 0``, else 0.0, for ``t >= 0``."""
    return torch.sign(t).neg_().add_(1.0)


# torch's intra-op grain: an elementwise op on fewer elements runs on the calling thread. The
# per-pixel kernels run on blocks of this many pixels, one after another: their dozens of small
# passes would otherwise each fork and join the thread pool, which on a loaded machine costs
# more than the work.
_BLOCK = 32768


def _by_blocks(fn: Any, x: torch.Tensor, *args: Any) -> torch.Tensor:
    """``fn(r, g, b, out, *args)`` over blocks of the pixels of ``x`` ([..., 3]).

    Returns a new tensor shaped as ``x``: ``r``, ``g``, ``b`` are a block's channels (copied
    out) and ``fn`` writes the three result channels into the block's columns of ``out``.
    """
    p = x.reshape(-1, 3)
    out = torch.empty_like(p)
    for lo in range(0, p.shape[0], _BLOCK):
        q = p[lo : lo + _BLOCK]
        planes = [q[:, k].contiguous() for k in range(3)]  # one pass each; strided reads cost more
        fn(*planes, out[lo : lo + _BLOCK], *args)
    return out.reshape(x.shape)


_TWO_SIXTHS = 2.0 / 6.0
_FOUR_SIXTHS = 4.0 / 6.0
_SIXTHS_STEP = _FOUR_SIXTHS - _TWO_SIXTHS  # exact (Sterbenz), and 2/6 + it is exactly 4/6


def _saturation_block(r: torch.Tensor, g: torch.Tensor, b: torch.Tensor, out: torch.Tensor,
                      scale: torch.Tensor) -> None:  # fmt: skip
    """``adjust_saturation_op.cc``: ``rgb_to_hsv``, ``s * scale`` clipped, ``hsv_to_rgb``."""
    # rgb_to_hsv (float math; two constants added in double, as the C++ does)
    v = torch.maximum(r, torch.maximum(g, b))
    rng = torch.minimum(r, torch.minimum(g, b))
    rng = torch.sub(v, rng, out=rng)
    vpos = _gt0(v)
    not_vpos = 1.0 - vpos
    s = rng / torch.addcmul(not_vpos, v, vpos)  # v > 0 ? range / v : 0 (divides by 1 if not)
    s = s.mul_(vpos).mul_(scale).clamp_(0.0, 1.0)
    rpos = torch.sign(rng)  # range >= 0
    norm = torch.reciprocal(rng.add_(1.0 - rpos).mul_(6.0))  # 1.0f / (6.0f * range)
    r_not_max = torch.sign(v - r)  # 0 where r == v
    g_not_max = torch.sign(v - g)
    g_max = 1.0 - g_not_max
    other = torch.addcmul((r - g).mul_(g_not_max), b - r, g_max).mul_(norm)
    offset = g_not_max.double().mul_(_SIXTHS_STEP).add_(_TWO_SIXTHS)
    other = offset.add_(other).float()  # float product + double constant, rounded to float
    h = (g - b).mul_(norm).mul_(1.0 - r_not_max)
    h = torch.addcmul(h, other, r_not_max).mul_(rpos)  # range <= 0 gives 0
    h = h.sub_(torch.sign(h).clamp_(max=0.0))  # h < 0 gets + 1
    # A NaN hue (a subnormal or infinite range) converts to an int outside 0..5 in C, so the
    # switch's default (0, 0, 0) applies: category 6 does the same here.
    h = torch.nan_to_num_(h, nan=1.0, posinf=1.0, neginf=1.0)
    # hsv_to_rgb
    c = s.mul_(v)
    m = v.sub_(c)
    dh = h.mul_(6.0)
    cat = torch.floor(dh)  # C's float -> int (dh >= 0); 6 (h == 1) is the default: (0, 0, 0)
    valid = torch.sub(6.0, cat).clamp_(max=1.0)
    # fmodu: TF's loops subtract 2 (exactly) until below 2; dh = 0 gives 0 as well
    xx = dh.sub_(torch.floor(dh * 0.5).mul_(2.0)).sub_(1.0).abs_().neg_().add_(1.0).mul_(c)
    c = c.mul_(valid)  # x is 0 already at dh = 6 (fmodu 0)
    # (r, g, b) take c, x or 0 by category 0..5: r: c at 0, 5, x at 1, 4; g: c at 1, 2, x at
    # 0, 3; b: c at 3, 4, x at 2, 5. x lies between 0 and c: the channel's code (1, 0, -1)
    # pushes x past c or 0 and clamping to [min(c, 0), max(c, 0)] picks the value, exactly.
    lo, hi = torch.clamp(c, max=0.0), torch.clamp(c, min=0.0)
    push = torch.sign(c).mul_(_FLOAT_MAX)
    for k, code in enumerate(_channel_codes(cat)):
        pushed = torch.addcmul(xx, code, push)
        torch.add(torch.clamp(pushed, lo, hi, out=pushed), m, out=out[:, k])


@register_kernel("AdjustSaturation")
def _adjust_saturation_kernel(op: Any, session: Any) -> Any:
    def kernel(x: Any, scale: Any) -> Any:
        _rgb_channels(x, "AdjustSaturation")
        out = _by_blocks(_saturation_block, x.float(), scale.float())
        return out.to(x.dtype)

    return kernel


def _hue_block(r: torch.Tensor, g: torch.Tensor, b: torch.Tensor, out: torch.Tensor,
               delta: torch.Tensor, turns: int) -> None:  # fmt: skip
    """``adjust_hue_op.cc``: ``rgb_to_hv_range``, ``h += delta * 6`` wrapped, back to RGB."""
    hi_rg, lo_rg = torch.maximum(r, g), torch.minimum(r, g)
    vmax, vmin = torch.maximum(hi_rg, b), torch.minimum(lo_rg, b)
    vmid = torch.maximum(lo_rg, torch.minimum(hi_rg, b, out=hi_rg), out=lo_rg)
    # TF's hue category: r < g: 2 + [b > g] - [b < r]; else 5 - 5 [b < g] - [b > r]. With
    # s_g = sign(b - g), s_r = sign(b - r), p = relu(s_g), q = relu(s_r), that is
    # down = 5 - 5 p + 5 s_g - q, and up - down = 6 p - 5 s_g + s_r - 3 (small integers: exact).
    s_g = torch.sign(b - g)
    s_r = torch.sign(b - r)
    p = s_g.clamp(min=0.0)
    down = torch.sub(s_g, p).mul_(5.0).add_(5.0).sub_(s_r.clamp(min=0.0))
    up_minus_down = torch.add(s_r, s_g, alpha=-5.0).add_(p, alpha=6.0).sub_(3.0)
    cat = torch.addcmul(down, up_minus_down, _gt0(g - r))
    span = vmax - vmin
    same = _is_zero(span)  # v_max == v_min: h = 0
    ratio = (vmid - vmin).div_(span + same)
    odd = cat - torch.floor(cat * 0.5).mul_(2.0)
    ratio = torch.addcmul(ratio * (1.0 - odd), 1.0 - ratio, odd)  # odd categories: 1 - ratio
    h = cat.add_(ratio).mul_(1.0 - same).add_(delta * 6)
    # TF: while (h < 0) h += 6; while (h >= 6) h -= 6. Each round adds 6 where h < 0, then
    # subtracts 6 where h >= 6 (which only happens once no more adds are due).
    for _ in range(turns):
        h = h.sub_(torch.sign(h).clamp_(max=0.0), alpha=6.0)
        h = h.sub_(torch.sub(h, 6.0).sign_().add_(1.0).clamp_(max=1.0), alpha=6.0)
    # hv_range_to_rgb
    cat = torch.floor(h)  # C's float -> int (h >= 0)
    ratio = h.sub_(cat)
    odd = cat - torch.floor(cat * 0.5).mul_(2.0)
    ratio = torch.addcmul(ratio * (1.0 - odd), 1.0 - ratio, odd)
    vmid = ratio.mul_(span).add_(vmin)
    # (r, g, b) from (v_max, v_mid, v_min) by category 0..5: r: v_max at 0, 5, v_mid at 1, 4;
    # g: v_max at 1, 2, v_mid at 0, 3; b: v_max at 3, 4, v_mid at 2, 5; v_min otherwise. The
    # channel's code (1, 0, -1) pushes v_mid past v_max or v_min, and clamping picks the value:
    # exact, as v_min <= v_mid <= v_max.
    for k, code in enumerate(_channel_codes(cat)):
        pushed = torch.addcmul(vmid, code, _FLOAT_MAX)
        torch.maximum(vmin, torch.minimum(vmax, pushed, out=pushed), out=out[:, k])


def _channel_codes(cat: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """For r, g, b: 1 where the category takes the largest value, 0 the middle, -1 the least.

    r: 0, 5 | 1, 4 | 2, 3 (around 2.5); g: 1, 2 | 0, 3 | 4, 5 (around 1.5); b: 3, 4 | 2, 5 |
    0, 1 (around 3.5). One pass a channel: [3, n] blocks would exceed torch's grain.
    """
    return (
        (cat - 2.5).abs_().sub_(1.5).clamp_(-1.0, 1.0),
        torch.sub(1.5, (cat - 1.5).abs_()).clamp_(-1.0, 1.0),
        torch.sub(1.5, (cat - 3.5).abs_()).clamp_(-1.0, 1.0),
    )


_FLOAT_MAX = torch.tensor(torch.finfo(torch.float32).max)


@register_kernel("AdjustHue")
def _adjust_hue_kernel(op: Any, session: Any) -> Any:
    def kernel(x: Any, delta: Any) -> Any:
        _rgb_channels(x, "AdjustHue")
        d = delta.float()
        turns = math.ceil(abs(float(d)))  # |delta| <= 1: one add and one subtract suffice
        return _by_blocks(_hue_block, x.float(), d, turns).to(x.dtype)

    return kernel


def _rgb_to_hsv_block(r: torch.Tensor, g: torch.Tensor, b: torch.Tensor,
                      out: torch.Tensor) -> None:  # fmt: skip
    """``colorspace_op.h``'s ``RGBToHSV`` (Eigen selects, in the input's dtype)."""
    v = torch.maximum(r, torch.maximum(g, b))
    rng = torch.minimum(r, torch.minimum(g, b))
    rng = torch.sub(v, rng, out=rng)
    vpos = _gt0(v)
    s = (rng / torch.addcmul(1.0 - vpos, v, vpos)).mul_(vpos)  # V > 0 ? range / V : 0
    rpos = torch.sign(rng)  # range >= 0
    norm = torch.reciprocal(rng.add_(1.0 - rpos)).mul_(1.0 / 6.0)  # range.inverse() * (1 / 6)
    r_not_max = torch.sign(v - r)  # 0 where R == V
    g_not_max = torch.sign(v - g)
    other = (r - g).mul_(norm).add_(_FOUR_SIXTHS).mul_(g_not_max)
    other = torch.addcmul(other, (b - r).mul_(norm).add_(_TWO_SIXTHS), 1.0 - g_not_max)
    h = (g - b).mul_(norm).mul_(1.0 - r_not_max)
    h = torch.addcmul(h, other, r_not_max).mul_(rpos)  # range > 0 ? H : 0
    out[:, 0] = h.sub_(torch.sign(h).clamp_(max=0.0))  # H < 0 ? H + 1 : H
    out[:, 1] = s
    out[:, 2] = v


def _hsv_to_rgb_block(h: torch.Tensor, s: torch.Tensor, v: torch.Tensor,
                      out: torch.Tensor) -> None:  # fmt: skip
    """``colorspace_op.h``'s ``HSVToRGB``: ``(1 - S + S * d) * V`` with TF's clamped ramps.

    Not ``addcmul``: its fused multiply-add rounds once where TF rounds twice.
    """
    dh = h * 6
    one_s = 1.0 - s
    # dr = clamp(|dh - 3| - 1, 0, 1); dg, db = clamp(2 - |dh - 2|, 0, 1), (dh - 4)
    dr = (dh - 3).abs_().sub_(1).clamp_(0, 1)
    torch.mul(dr.mul_(s).add_(one_s), v, out=out[:, 0])
    dg = (dh - 2).abs_().neg_().add_(2).clamp_(0, 1)
    torch.mul(dg.mul_(s).add_(one_s), v, out=out[:, 1])
    db = dh.sub_(4).abs_().neg_().add_(2).clamp_(0, 1)
    torch.mul(db.mul_(s).add_(one_s), v, out=out[:, 2])


def _check_three(x: torch.Tensor) -> None:
    if x.shape[-1] != 3:
        raise InvalidArgumentError(
            None, None, f"input must have 3 channels but input only has {x.shape[-1]} channels."
        )


@register_kernel("RGBToHSV")
def _rgb_to_hsv_kernel(op: Any, session: Any) -> Any:
    def kernel(x: Any) -> Any:
        _check_three(x)
        return _by_blocks(_rgb_to_hsv_block, x)

    return kernel


@register_kernel("HSVToRGB")
def _hsv_to_rgb_kernel(op: Any, session: Any) -> Any:
    def kernel(x: Any) -> Any:
        _check_three(x)
        return _by_blocks(_hsv_to_rgb_block, x)

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
