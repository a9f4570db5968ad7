"""TF's built-in partitioners for ``get_variable(partitioner=...)``.

Each returns a callable ``partitioner(shape=TensorShape, dtype=DType) -> list[int]`` that slices
along a single axis (``docs/tf1_semantics.md`` §10).

Must not import torch or any scopeflow layer above ``_core``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from scopeflow._core import dtypes, tensor_shape


def fixed_size_partitioner(num_shards: int, axis: int = 0) -> Callable[..., list[int]]:
    """Partitions ``axis`` into ``min(num_shards, dim)`` shards.

    >>> from scopeflow._core.tensor_shape import TensorShape
    >>> fixed_size_partitioner(3)(shape=TensorShape([10, 4]), dtype=None)
    [3, 1]
    """

    def _partitioner(shape: Any, **unused_args: Any) -> list[int]:
        partitions = [1] * len(shape)
        partitions[axis] = min(num_shards, shape.dims[axis].value)
        return partitions

    return _partitioner


def _element_size(dtype: Any, bytes_per_string_element: int) -> int:
    dtype = dtypes.as_dtype(dtype)
    if dtype.base_dtype == dtypes.string:
        return bytes_per_string_element
    return dtype.size


def _check_shape(shape: Any) -> None:
    if not isinstance(shape, tensor_shape.TensorShape):
        raise ValueError(f"shape is not a TensorShape: {shape}")
    if not shape.is_fully_defined():
        raise ValueError(f"shape is not fully defined: {shape}")


def variable_axis_size_partitioner(
    max_shard_bytes: int,
    axis: int = 0,
    bytes_per_string_element: int = 16,
    max_shards: int | None = None,
) -> Callable[..., list[int]]:
    """Shards along ``axis`` so that each shard holds at most ``max_shard_bytes``."""
    if max_shard_bytes < 1 or bytes_per_string_element < 1:
        raise ValueError(
            "Both max_shard_bytes and bytes_per_string_element must be positive. Currently, "
            f"max_shard_bytes is {max_shard_bytes} and bytes_per_string_element is "
            f"{bytes_per_string_element}"
        )
    if max_shards and max_shards < 1:
        raise ValueError("max_shards must be positive.")

    def _partitioner(shape: Any, dtype: Any) -> list[int]:
        _check_shape(shape)
        element_size = _element_size(dtype, bytes_per_string_element)
        partitions = [1] * shape.ndims
        bytes_per_slice = 1.0 * (shape.num_elements() / shape.dims[axis].value) * element_size
        slices_per_shard = max(1, math.floor(max_shard_bytes / bytes_per_slice))
        axis_shards = math.ceil(1.0 * shape.dims[axis].value / slices_per_shard)
        if max_shards:
            axis_shards = min(max_shards, axis_shards)
        partitions[axis] = axis_shards
        return partitions

    return _partitioner


def min_max_variable_partitioner(
    max_partitions: int = 1,
    axis: int = 0,
    min_slice_size: int = 256 << 10,
    bytes_per_string_element: int = 16,
) -> Callable[..., list[int]]:
    """At most ``max_partitions`` shards, each at least ``min_slice_size`` bytes."""

    def _partitioner(shape: Any, dtype: Any) -> list[int]:
        _check_shape(shape)
        total_bytes = shape.num_elements() * _element_size(dtype, bytes_per_string_element)
        partitions = total_bytes / min_slice_size
        partitions_list = [1] * len(shape)
        partitions_list[axis] = max(
            1, min(shape.dims[axis].value, max_partitions, math.ceil(partitions))
        )
        return partitions_list

    return _partitioner


__all__ = [
    "fixed_size_partitioner",
    "min_max_variable_partitioner",
    "variable_axis_size_partitioner",
]
