"""Geometry of partitioned variables: validating and placing slices (spec §8.4).

Responsibility: check that a full-tensor entry's slices lie inside the full shape, do not
overlap and cover it exactly (so assembly allocates only what the slices' verified data can
fill), and turn an extent list into NumPy indices.

Must not import: torch, tensorflow, or other scopeflow layers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from scopeflow.checkpoint._errors import DataLossError

__all__ = ["check_cover", "resolved_extents", "slice_index"]

_PAIRWISE_CHUNK = 512


def resolved_extents(
    extents: Sequence[tuple[int, int]], full_shape: Sequence[int]
) -> list[tuple[int, int]]:
    """Replace ``length == -1`` (whole dimension) by the dimension size and check bounds.

    Raises:
        DataLossError: If the rank differs from the full shape's or an extent leaves it.

    >>> resolved_extents([(4, 3), (0, -1)], [10, 4])
    [(4, 3), (0, 4)]
    """
    if len(extents) != len(full_shape):
        raise DataLossError(f"slice rank {len(extents)} does not match shape rank")
    out = []
    for (start, length), dim in zip(extents, full_shape, strict=True):
        begin, size = (0, dim) if length == -1 else (start, length)
        if begin < 0 or size < 0 or begin + size > dim:
            raise DataLossError(f"slice extent ({begin}, {size}) outside dimension {dim}")
        out.append((begin, size))
    return out


def slice_index(extents: Sequence[tuple[int, int]]) -> tuple[slice, ...]:
    """NumPy index selecting resolved ``extents``.

    >>> slice_index([(4, 3), (0, 4)])
    (slice(4, 7, None), slice(0, 4, None))
    """
    return tuple(slice(start, start + length) for start, length in extents)


def check_cover(boxes: Sequence[Sequence[tuple[int, int]]], full_shape: Sequence[int]) -> None:
    """Check that resolved slices are pairwise disjoint and exactly cover ``full_shape``.

    Raises:
        DataLossError: "Does not have sufficient slices" or overlapping slices.
    """
    total = math.prod(full_shape)
    covered = sum(math.prod(length for _, length in box) for box in boxes)
    if covered != total:
        raise DataLossError(
            f"Does not have sufficient slices for partitioned tensor: slices hold {covered} "
            f"of {total} elements"
        )
    nonempty = [box for box in boxes if all(length for _, length in box)]
    if len(nonempty) < 2:
        return
    arr = np.asarray(nonempty, dtype=np.int64)  # (k, rank, 2)
    starts = arr[:, :, 0]
    ends = starts + arr[:, :, 1]
    for lo in range(0, len(arr), _PAIRWISE_CHUNK):
        s, e = starts[lo : lo + _PAIRWISE_CHUNK, None, :], ends[lo : lo + _PAIRWISE_CHUNK, None, :]
        overlap = np.all((s < ends[None, :, :]) & (starts[None, :, :] < e), axis=2)
        idx = np.arange(lo, lo + overlap.shape[0])
        overlap[np.arange(overlap.shape[0]), idx] = False
        if overlap.any():
            raise DataLossError("partitioned tensor has overlapping slices")
