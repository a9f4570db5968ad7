"""Builders for more op types common in frozen inference graphs (math, shape and image ops).

Same contract as ``_builders``: ``builder(inputs, attrs, name)`` with ``name`` ending in ``/``,
through the op's own wrapper.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scopeflow._core import dtypes
from scopeflow.ops import (
    array_ops,
    conv_ops,
    creation_ops,
    gather_scatter_ops,
    image_resize_ops,
    linalg_ops,
    math_ops,
    matrix_extra_ops,
    reduction_ops,
    shape_ops,
    space_depth_ops,
    sparse_ops,
    unary_ops,
)

Builder = Callable[[list[Any], dict[str, Any], str], Any]


def _unary(fn: Callable[..., Any]) -> Builder:
    return lambda i, a, n: fn(i[0], name=n)


def _binary(fn: Callable[..., Any]) -> Builder:
    return lambda i, a, n: fn(i[0], i[1], name=n)


def _conv2d_transpose(i: list[Any], a: dict[str, Any], n: str) -> Any:
    return conv_ops.conv2d_transpose(
        i[2],
        i[1],
        i[0],
        a["strides"],
        a["padding"],
        data_format=str(a.get("data_format", "NHWC")),
        name=n,
        dilations=a.get("dilations", [1, 1, 1, 1]),
    )


def _pad_v2(i: list[Any], a: dict[str, Any], n: str) -> Any:
    return shape_ops.pad(i[0], i[1], name=n, constant_values=i[2])


def _cumulative(fn: Callable[..., Any]) -> Builder:
    return lambda i, a, n: fn(
        i[0], i[1], exclusive=a.get("exclusive", False), reverse=a.get("reverse", False), name=n
    )


COMMON_BUILDERS: dict[str, Builder] = {
    **{
        op: _unary(getattr(unary_ops, fn))
        for op, fn in (
            ("Erf", "erf"),
            ("Sin", "sin"),
            ("Cos", "cos"),
            ("Tan", "tan"),
            ("Sinh", "sinh"),
            ("Cosh", "cosh"),
            ("Asin", "asin"),
            ("Acos", "acos"),
            ("Atan", "atan"),
            ("Ceil", "ceil"),
            ("Round", "round"),
            ("Expm1", "expm1"),
            ("Log1p", "log1p"),
            ("Rint", "rint"),
            ("IsNan", "is_nan"),
            ("IsFinite", "is_finite"),
            ("IsInf", "is_inf"),
        )
    },
    "Sign": _unary(linalg_ops.sign),
    "Atan2": _binary(unary_ops.atan2),
    "LogicalOr": _binary(math_ops.logical_or),
    "DivNoNan": _binary(math_ops.div_no_nan),
    "Size": lambda i, a, n: array_ops.size(i[0], name=n, out_type=a.get("out_type", dtypes.int32)),
    "Rank": lambda i, a, n: array_ops.rank(i[0], name=n),
    "Cumsum": _cumulative(reduction_ops.cumsum),
    "Cumprod": _cumulative(reduction_ops.cumprod),
    "GatherNd": lambda i, a, n: gather_scatter_ops.gather_nd(i[0], i[1], name=n),
    "OneHot": lambda i, a, n: creation_ops.one_hot(
        i[0], i[1], i[2], i[3], axis=a.get("axis", -1), name=n
    ),
    "BroadcastTo": lambda i, a, n: shape_ops.broadcast_to(i[0], i[1], name=n),
    "ReverseV2": lambda i, a, n: shape_ops.reverse(i[0], i[1], name=n),
    "PadV2": _pad_v2,
    "DepthToSpace": lambda i, a, n: space_depth_ops.depth_to_space(
        i[0], a["block_size"], name=n, data_format=str(a.get("data_format", "NHWC"))
    ),
    "SpaceToDepth": lambda i, a, n: space_depth_ops.space_to_depth(
        i[0], a["block_size"], name=n, data_format=str(a.get("data_format", "NHWC"))
    ),
    "Conv2DBackpropInput": _conv2d_transpose,
    "ResizeBicubic": lambda i, a, n: image_resize_ops.resize_bicubic(
        i[0],
        i[1],
        align_corners=a.get("align_corners", False),
        name=n,
        half_pixel_centers=a.get("half_pixel_centers", False),
    ),
    "ResizeArea": lambda i, a, n: image_resize_ops.resize_area(
        i[0], i[1], align_corners=a.get("align_corners", False), name=n
    ),
    "MatrixBandPart": lambda i, a, n: matrix_extra_ops.matrix_band_part(i[0], i[1], i[2], name=n),
    "UnsortedSegmentSum": lambda i, a, n: sparse_ops.unsorted_segment_sum(i[0], i[1], i[2], name=n),
    "ShapeN": lambda i, a, n: shape_ops.shape_n(
        i, out_type=a.get("out_type", dtypes.int32), name=n
    ),
    "Unique": lambda i, a, n: gather_scatter_ops.unique(
        i[0], out_idx=a.get("out_idx", dtypes.int32), name=n
    ),
}

__all__ = ["COMMON_BUILDERS"]
