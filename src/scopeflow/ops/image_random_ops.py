"""``tf.image`` random augmentation: flips, brightness, contrast, saturation, hue.

Each draws its random numbers with ``random_uniform`` exactly where TF 1.15's
``image_ops_impl`` does (same shapes, bounds and seeds), so with a graph or op seed the
values are TF's own (scopeflow's ``RandomUniform`` reproduces TF's Philox stream).
``random_flip_*`` of a 3-D image is TF's ``cond`` (``<scope>/Merge``); of a 4-D batch, TF's
per-image ``round(uniform)`` blend.

Differences from TensorFlow: ``random_flip_*`` of an image of unknown rank raises
``UnsupportedError`` (TF picks the 3-D or 4-D path with a run-time ``cond`` on the rank).

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

from scopeflow.errors import UnsupportedError
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.tensor import Tensor
from scopeflow.ops import math_ops
from scopeflow.ops._math_common import _scope, name_scope
from scopeflow.ops.image_color_ops import (
    adjust_brightness,
    adjust_contrast,
    adjust_hue,
    adjust_saturation,
)
from scopeflow.ops.image_ops import _assert_at_least_3d
from scopeflow.ops.random_ops import random_uniform


def _random_flip(image: Any, flip_index: int, seed: int | None, default: str) -> Tensor:
    from scopeflow.ops.array_ops import reshape, shape  # noqa: PLC0415
    from scopeflow.ops.control_flow_ops import cond  # noqa: PLC0415
    from scopeflow.ops.shape_ops import reverse  # noqa: PLC0415
    from scopeflow.ops.unary_ops import round as round_  # noqa: PLC0415

    scope = _scope(None, default)
    with name_scope(scope):
        x = convert_to_tensor(image, name="image")
        if x._shape.ndims is not None and x._shape.ndims < 3:
            raise ValueError(f"'image' (shape {x._shape}) must be at least three-dimensional.")
        _assert_at_least_3d(x)
        x.graph._names.mark_used(scope + "control_dependency")
        ndims = x._shape.ndims
        if ndims is None:
            raise UnsupportedError(f"tf.image.{default} of an image of unknown rank")
        if ndims == 3:
            u = random_uniform([], 0, 1.0, seed=seed)
            pred = math_ops.less(u, 0.5)
            result = cond(pred, lambda: reverse(x, [flip_index]), lambda: x, name=scope)
            result.set_shape(x._shape)
            return result  # type: ignore[no-any-return]
        if ndims == 4:
            batch = shape(x)[0]
            u = random_uniform([batch], 0, 1.0, seed=seed)
            flips = round_(reshape(u, [batch, 1, 1, 1]))
            flips = math_ops.cast(flips, x._dtype.base_dtype)
            flipped = reverse(x, [flip_index + 1])
            return flips * flipped + (1 - flips) * x  # type: ignore[no-any-return]
        raise ValueError(f"'image' (shape {x._shape}) must have either 3 or 4 dimensions.")


def random_flip_left_right(image: Any, seed: int | None = None) -> Tensor:
    """Mirrors the image (each image of a batch) horizontally with probability 1/2."""
    return _random_flip(image, 1, seed, "random_flip_left_right")


def random_flip_up_down(image: Any, seed: int | None = None) -> Tensor:
    """Mirrors the image (each image of a batch) vertically with probability 1/2."""
    return _random_flip(image, 0, seed, "random_flip_up_down")


def random_brightness(image: Any, max_delta: float, seed: int | None = None) -> Tensor:
    """``adjust_brightness`` by a delta drawn from ``U[-max_delta, max_delta)``."""
    if max_delta < 0:
        raise ValueError("max_delta must be non-negative.")
    delta = random_uniform([], -max_delta, max_delta, seed=seed)
    return adjust_brightness(image, delta)


def _check_range(lower: float, upper: float) -> None:
    if upper <= lower:
        raise ValueError("upper must be > lower.")
    if lower < 0:
        raise ValueError("lower must be non-negative.")


def random_contrast(image: Any, lower: float, upper: float, seed: int | None = None) -> Tensor:
    """``adjust_contrast`` by a factor drawn from ``U[lower, upper)``."""
    _check_range(lower, upper)
    factor = random_uniform([], lower, upper, seed=seed)
    return adjust_contrast(image, factor)


def random_saturation(image: Any, lower: float, upper: float, seed: int | None = None
                      ) -> Tensor:  # fmt: skip
    """``adjust_saturation`` by a factor drawn from ``U[lower, upper)``."""
    _check_range(lower, upper)
    factor = random_uniform([], lower, upper, seed=seed)
    return adjust_saturation(image, factor)


def random_hue(image: Any, max_delta: float, seed: int | None = None) -> Tensor:
    """``adjust_hue`` by a delta drawn from ``U[-max_delta, max_delta)``, ``max_delta <= 0.5``."""
    if max_delta > 0.5:
        raise ValueError("max_delta must be <= 0.5.")
    if max_delta < 0:
        raise ValueError("max_delta must be non-negative.")
    delta = random_uniform([], -max_delta, max_delta, seed=seed)
    return adjust_hue(image, delta)


__all__ = [
    "random_brightness",
    "random_contrast",
    "random_flip_left_right",
    "random_flip_up_down",
    "random_hue",
    "random_saturation",
]
