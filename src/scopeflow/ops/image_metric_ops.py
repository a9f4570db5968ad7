"""``tf.image.psnr`` and ``tf.image.ssim``, built as TF builds them.

``ssim`` is TF 1.15's: a softmax Gaussian window (``filter_size``, ``filter_sigma``) applied by
``depthwise_conv2d`` ``VALID``, luminance times contrast-structure averaged over height and
width, then over channels; TF's ``Assert`` that images are at least the window's size.

``20 * log(max_val) / log(10) - 10 / ln(10) * log(mse)`` over each image's last three axes,
in float32 after ``convert_image_dtype``; TF's static compatibility check of the two shapes
(``Two images are not compatible``) and its run-time ``Assert`` ops on the dynamic shapes.

Differences from TensorFlow: when dynamic shapes do not broadcast, the ``SquaredDifference``
kernel's error can come before the ``Assert``'s (TF's executor happened to run the asserts
first); shapes that broadcast but differ get TF's assertion error.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from scopeflow._core import dtypes
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.tensor import Tensor
from scopeflow.ops import math_ops
from scopeflow.ops._math_common import _scope, name_scope
from scopeflow.ops.image_ops import convert_image_dtype


def _static_checks(img1: Tensor, img2: Tensor) -> None:
    """The static part of TF's ``_verify_compatible_image_shapes``."""
    s1, s2 = img1._shape, img2._shape
    for s in (s1, s2):
        if s.ndims is not None and s.ndims < 3:
            raise ValueError(f"Shape {s} must have rank at least 3")
    if s1.ndims is not None and s2.ndims is not None:
        if not s1[-3:].is_compatible_with(s2[-3:]):
            raise ValueError(f"Shapes {s1[-3:]} and {s2[-3:]} are incompatible")
        for d1, d2 in zip(reversed(s1.as_list()[:-3]), reversed(s2.as_list()[:-3]), strict=False):
            if not (d1 == 1 or d2 == 1 or d1 is None or d2 is None or d1 == d2):
                raise ValueError(f"Two images are not compatible: {s1} and {s2}")


def _assert_ops(img1: Tensor, img2: Tensor) -> list[Any]:
    """The two run-time ``Assert`` ops of TF's ``_verify_compatible_image_shapes``."""
    from scopeflow.ops.array_ops import size  # noqa: PLC0415
    from scopeflow.ops.logging_ops import Assert  # noqa: PLC0415
    from scopeflow.ops.reduction_ops import reduce_all  # noqa: PLC0415
    from scopeflow.ops.shape_ops import shape_n  # noqa: PLC0415

    sh1, sh2 = shape_n([img1, img2])
    return [
        Assert(math_ops.greater_equal(size(sh1), 3), [sh1, sh2], summarize=10),
        Assert(reduce_all(math_ops.equal(sh1[-3:], sh2[-3:])), [sh1, sh2], summarize=10),
    ]


def psnr(a: Any, b: Any, max_val: Any, name: str | None = None) -> Tensor:
    """PSNR of each image pair in dB, float32 (``tf.image.psnr``)."""
    from scopeflow.ops.array_ops import identity  # noqa: PLC0415
    from scopeflow.ops.reduction_ops import reduce_mean  # noqa: PLC0415
    from scopeflow.ops.unary_ops import log  # noqa: PLC0415

    scope = _scope(name, "PSNR")
    with name_scope(scope):
        a = convert_to_tensor(a)
        b = convert_to_tensor(b)
        mv = math_ops.cast(max_val, a._dtype.base_dtype)
        mv = convert_image_dtype(mv, dtypes.float32)
        a = convert_image_dtype(a, dtypes.float32)
        b = convert_image_dtype(b, dtypes.float32)
        mse = reduce_mean(math_ops.squared_difference(a, b), [-3, -2, -1])
        value = math_ops.subtract(
            20 * log(mv) / log(10.0), np.float32(10 / np.log(10)) * log(mse), name="psnr"
        )
        _static_checks(a, b)
        checks = _assert_ops(a, b)
        with a.graph.control_dependencies(checks):
            return identity(value)


def _fspecial_gauss(size: Tensor, sigma: Tensor) -> Tensor:
    """TF's Gaussian window: a softmax of ``-(x^2 + y^2) / (2 sigma^2)``, ``[size, size, 1, 1]``."""
    from scopeflow.ops.activation_ops import softmax  # noqa: PLC0415
    from scopeflow.ops.array_ops import reshape  # noqa: PLC0415
    from scopeflow.ops.creation_ops import range as range_  # noqa: PLC0415
    from scopeflow.ops.unary_ops import square  # noqa: PLC0415

    coords = math_ops.cast(range_(size), sigma._dtype.base_dtype)
    coords -= math_ops.cast(size - 1, sigma._dtype.base_dtype) / 2.0
    g = square(coords)
    g *= -0.5 / square(sigma)
    g = reshape(g, shape=[1, -1]) + reshape(g, shape=[-1, 1])
    g = reshape(g, shape=[1, -1])
    g = softmax(g)
    return reshape(g, shape=[size, size, 1, 1])  # type: ignore[no-any-return]


def _ssim_per_channel(img1: Tensor, img2: Tensor, max_val: Tensor, filter_size: int,
                      filter_sigma: float, k1: float, k2: float) -> Tensor:  # fmt: skip
    from scopeflow.ops.array_ops import concat, identity, reshape, shape  # noqa: PLC0415
    from scopeflow.ops.constant_op import constant  # noqa: PLC0415
    from scopeflow.ops.conv_ops import depthwise_conv2d  # noqa: PLC0415
    from scopeflow.ops.logging_ops import Assert  # noqa: PLC0415
    from scopeflow.ops.reduction_ops import reduce_all, reduce_mean  # noqa: PLC0415
    from scopeflow.ops.shape_ops import shape_n, tile  # noqa: PLC0415
    from scopeflow.ops.unary_ops import square  # noqa: PLC0415

    size = constant(filter_size, dtype=dtypes.int32)
    sigma = constant(filter_sigma, dtype=img1._dtype.base_dtype)
    shape1, shape2 = shape_n([img1, img2])
    checks = [
        Assert(reduce_all(math_ops.greater_equal(shape1[-3:-1], size)), [shape1, size],
               summarize=8),
        Assert(reduce_all(math_ops.greater_equal(shape2[-3:-1], size)), [shape2, size],
               summarize=8),
    ]  # fmt: skip
    with img1.graph.control_dependencies(checks):
        img1 = identity(img1)
    kernel = _fspecial_gauss(size, sigma)
    kernel = tile(kernel, multiples=[1, 1, shape1[-1], 1])

    def reducer(x: Tensor) -> Tensor:
        sh = shape(x)
        x = reshape(x, shape=concat([[-1], sh[-3:]], 0))
        y = depthwise_conv2d(x, kernel, strides=[1, 1, 1, 1], padding="VALID")
        return reshape(y, concat([sh[:-3], shape(y)[1:]], 0))  # type: ignore[no-any-return]

    c1 = (k1 * max_val) ** 2
    c2 = (k2 * max_val) ** 2
    mean0 = reducer(img1)
    mean1 = reducer(img2)
    num0 = mean0 * mean1 * 2.0
    den0 = square(mean0) + square(mean1)
    luminance = (num0 + c1) / (den0 + c1)
    num1 = reducer(img1 * img2) * 2.0
    den1 = reducer(square(img1) + square(img2))
    c2 *= 1.0
    cs = (num1 - num0 + c2) / (den1 - den0 + c2)
    axes = constant([-3, -2], dtype=dtypes.int32)
    ssim_val = reduce_mean(luminance * cs, axes)
    reduce_mean(cs, axes)  # TF also builds the mean contrast-structure term (unused by ssim)
    return ssim_val  # type: ignore[no-any-return]


def ssim(img1: Any, img2: Any, max_val: Any, filter_size: int = 11, filter_sigma: float = 1.5,
         k1: float = 0.01, k2: float = 0.03) -> Tensor:  # fmt: skip
    """Structural similarity of each image pair with TF's 11x11 Gaussian window (float32)."""
    from scopeflow.ops.array_ops import identity  # noqa: PLC0415
    from scopeflow.ops.reduction_ops import reduce_mean  # noqa: PLC0415

    scope = _scope(None, "SSIM")
    with name_scope(scope):
        a = convert_to_tensor(img1, name="img1")
        b = convert_to_tensor(img2, name="img2")
        _static_checks(a, b)
        checks = _assert_ops(a, b)
        with a.graph.control_dependencies(checks):
            a = identity(a)
        mv = math_ops.cast(max_val, a._dtype.base_dtype)
        mv = convert_image_dtype(mv, dtypes.float32)
        a = convert_image_dtype(a, dtypes.float32)
        b = convert_image_dtype(b, dtypes.float32)
        per_channel = _ssim_per_channel(a, b, mv, filter_size, filter_sigma, k1, k2)
        return reduce_mean(per_channel, [-1])  # type: ignore[no-any-return]


__all__ = ["psnr", "ssim"]
