"""Image ops of ``tf.image`` beyond resizing.

Image ops beyond resizing: ``flip_left_right``, ``flip_up_down``,
``per_image_standardization`` and ``convert_image_dtype`` (TF1 ``tf.image`` names and math).

Differences from TensorFlow: ``per_image_standardization`` is one ``SfPerImageStandardization``
node named as TF's result (TF builds it from several ops); values match TF's formula.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from scopeflow._core import dtypes
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Tensor
from scopeflow.ops import math_ops
from scopeflow.ops._op_builder import make_op
from scopeflow.ops.constant_op import constant
from scopeflow.ops.math_ops import _scope
from scopeflow.ops.shape_ops import reverse


def _assert_at_least_3d(x: Tensor, what: str = "image") -> None:
    if x._shape.ndims is None:
        return
    if x._shape.ndims < 3:
        raise ValueError(f"'{what}' (shape {x._shape}) must be at least three-dimensional.")
    if any(d == 0 for d in x._shape.as_list()[-3:]):
        raise ValueError(f"all dims of '{what}.shape' must be > 0.")


def _flip(image: Any, spatial: int, default: str) -> Tensor:
    g = get_default_graph()
    scope = _scope(None, default)
    x = convert_to_tensor(image, name=scope + "image/")
    if x._shape.ndims is not None and x._shape.ndims not in (3, 4):
        raise ValueError(f"'image' (shape {x._shape})must have either 3 or 4 dimensions.")
    _assert_at_least_3d(x)
    g._names.mark_used(scope + "control_dependency")
    axis = spatial if x._shape.ndims == 3 else spatial + 1
    if x._shape.ndims is None:
        from scopeflow.errors import UnsupportedError  # noqa: PLC0415

        raise UnsupportedError(f"tf.image.{default} of an image of unknown rank")
    with get_default_graph().name_scope(scope):
        return reverse(x, [axis], name="ReverseV2")


def flip_left_right(image: Any) -> Tensor:
    """Mirrors images horizontally (``tf.image.flip_left_right``).

    Mirrors a 3-D or 4-D (batched) image horizontally (``tf.image.flip_left_right``); the
    result is named ``flip_left_right/ReverseV2``.
    """
    return _flip(image, 1, "flip_left_right")


def flip_up_down(image: Any) -> Tensor:
    """Mirrors images vertically (``tf.image.flip_up_down``).

    Mirrors a 3-D or 4-D image vertically (``tf.image.flip_up_down``), named
    ``flip_up_down/ReverseV2``.
    """
    return _flip(image, 0, "flip_up_down")


def per_image_standardization(image: Any) -> Tensor:
    """Standardizes each image (``tf.image.per_image_standardization``).

    ``(image - mean) / max(stddev, 1 / sqrt(num_pixels))`` over each image's last three axes
    (``tf.image.per_image_standardization``), float32, named ``per_image_standardization``.
    """
    g = get_default_graph()
    scope = _scope(None, "per_image_standardization")
    x = convert_to_tensor(image, name=scope + "image/")
    _assert_at_least_3d(x)
    for nm in ("control_dependency", "Cast", "Shape", "strided_slice", "Const", "Prod", "Mean",
               "reduce_std", "Rsqrt", "Maximum", "sub"):  # fmt: skip
        g._names.mark_used(scope + nm)
    return make_op("SfPerImageStandardization", (x,), {"T": x._dtype.base_dtype}, scope,
                   dtypes.float32, x._shape)  # fmt: skip


@register_kernel("SfPerImageStandardization")
def _standardize_kernel(op: Any, session: Any) -> Any:
    def kernel(x: Any) -> Any:
        y = x.float()
        axes = (-1, -2, -3)
        n = x.shape[-1] * x.shape[-2] * x.shape[-3]
        mean = y.mean(dim=axes, keepdim=True)
        std = torch.sqrt(((y - mean) ** 2).mean(dim=axes, keepdim=True))
        adjusted = torch.clamp_min(std, float(1 / np.sqrt(np.float32(n))))
        return (y - mean) / adjusted

    return kernel


def convert_image_dtype(image: Any, dtype: Any, saturate: bool = False, name: str | None = None
                        ) -> Tensor:  # fmt: skip
    """Converts an image's dtype, rescaling values (``tf.image.convert_image_dtype``).

    Converts ``image`` to ``dtype``, rescaling values (``tf.image.convert_image_dtype``):
    floats are in ``[0, 1)``, integers in ``[0, MAX]``. Built from ``Cast``/``Mul``/``FloorDiv``
    ops named as TF names them (result ``convert_image``).
    """
    x = convert_to_tensor(image, name="image")
    dt = dtypes.as_dtype(dtype).base_dtype
    if not dt.is_floating and not dt.is_integer:
        raise AttributeError("dtype must be either floating point or integer")
    src = x._dtype.base_dtype
    if not src.is_floating and not src.is_integer:
        raise AttributeError("image dtype must be either floating point or integer")
    if dt == src:
        from scopeflow.ops.array_ops import identity  # noqa: PLC0415

        return identity(x, name=name)
    scope = _scope(name, "convert_image")
    g = get_default_graph()
    with g.name_scope(scope):
        if src.is_integer and dt.is_integer:
            in_max, out_max = src.max, dt.max
            if in_max > out_max:
                scale = (in_max + 1) // (out_max + 1)
                scaled = math_ops.floordiv(x, constant(scale, dtype=src, name="y"), name="floordiv")
                if saturate:
                    return math_ops.saturate_cast(scaled, dt, name=scope)
                return math_ops.cast(scaled, dt, name=scope)
            scale = (out_max + 1) // (in_max + 1)
            cast = math_ops.saturate_cast(x, dt) if saturate else math_ops.cast(x, dt, name="Cast")
            return math_ops.multiply(cast, constant(scale, dtype=dt, name="y"), name=scope)
        if src.is_floating and dt.is_floating:
            return math_ops.cast(x, dt, name=scope)
        if src.is_integer:
            cast = math_ops.cast(x, dt, name="Cast")
            scale = 1.0 / src.max
            return math_ops.multiply(cast, constant(scale, dtype=dt, name="y"), name=scope)
        scale = dt.max + 0.5
        scaled = math_ops.multiply(x, constant(scale, dtype=src, name="Mul/y"), name="Mul")
        if saturate:
            return math_ops.saturate_cast(scaled, dt, name=scope)
        return math_ops.cast(scaled, dt, name=scope)


__all__ = [
    "convert_image_dtype",
    "flip_left_right",
    "flip_up_down",
    "per_image_standardization",
]
