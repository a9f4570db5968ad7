"""``tf.image.psnr``: peak signal-to-noise ratio, built as TF builds it.

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


__all__ = ["psnr"]
