"""Sorted-segment reductions: ``segment_sum`` and ``sparse_segment_sum/mean/sqrt_n``.

``SegmentSum(data, segment_ids)`` sums the rows of ``data`` with equal (sorted) ids into
``max(id) + 1`` rows; ``SparseSegment{Sum,Mean,SqrtN}(data, indices, segment_ids)`` reduces
``data[indices]`` the same way, dividing by the segment's row count (``Mean``) or its square root
(``SqrtN``); empty segments are zero. Kernels are torch index ops, so gradients flow to ``data``.

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
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.ops._math_common import _check_allowed, _scope
from scopeflow.ops._op_builder import UNKNOWN, make_op

_INDEX = (dtypes.int32, dtypes.int64)


def _out_shape(x: Tensor) -> TensorShape:
    if x._shape.ndims is None:
        return UNKNOWN
    return TensorShape([None, *x._shape.dims[1:]])  # type: ignore[index]


def segment_sum(data: Any, segment_ids: Any, name: str | None = None) -> Tensor:
    """Sums of the rows of ``data`` with equal sorted ``segment_ids`` (``tf.math.segment_sum``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.segment_sum([1.0, 2.0, 4.0], [0, 0, 2])))
    [3. 0. 4.]
    """
    scope = _scope(name, "SegmentSum")
    x = convert_to_tensor(data, name=scope + "data/")
    ids = convert_to_tensor(segment_ids, name=scope + "segment_ids/")
    _check_allowed(ids, _INDEX, "segment_ids")
    attrs = {"T": x._dtype.base_dtype, "Tindices": ids._dtype.base_dtype}
    return make_op("SegmentSum", (x, ids), attrs, scope, x._dtype.base_dtype, _out_shape(x))


def _check_sorted(op: Operation, ids: torch.Tensor) -> None:
    if ids.numel() > 1 and bool((ids[1:] < ids[:-1]).any()):
        i = int((ids[1:] < ids[:-1]).nonzero()[0]) + 1
        raise InvalidArgumentError(
            None, op, f"segment ids are not increasing: {int(ids[i - 1])} > {int(ids[i])}"
        )  # TF's message for unsorted sparse-segment ids
    if ids.numel() and int(ids[0]) < 0:
        raise InvalidArgumentError(None, op, f"segment ids must be >= 0, got {int(ids[0])}")


@register_kernel("SegmentSum")
def _segment_sum_kernel(op: Operation, session: Any) -> Any:
    def kernel(data: torch.Tensor, ids: torch.Tensor) -> torch.Tensor:
        flat = ids.reshape(-1).long()
        _check_sorted(op, flat)
        n = int(flat[-1]) + 1 if flat.numel() else 0
        out = torch.zeros((n, *data.shape[1:]), dtype=data.dtype)
        return out.index_add(0, flat, data)

    return kernel


def _sparse_segment(
    op_type: str, data: Any, indices: Any, segment_ids: Any, name: str | None
) -> Tensor:
    scope = _scope(name, op_type)
    x = convert_to_tensor(data, name=scope + "data/")
    idx = convert_to_tensor(indices, name=scope + "indices/")
    ids = convert_to_tensor(segment_ids, name=scope + "segment_ids/")
    _check_allowed(idx, _INDEX, "indices")
    _check_allowed(ids, _INDEX, "segment_ids")
    attrs = {
        "T": x._dtype.base_dtype,
        "Tidx": idx._dtype.base_dtype,
        "Tsegmentids": ids._dtype.base_dtype,
    }
    return make_op(op_type, (x, idx, ids), attrs, scope, x._dtype.base_dtype, _out_shape(x))


def sparse_segment_sum(
    data: Any, indices: Any, segment_ids: Any, name: str | None = None, num_segments: Any = None
) -> Tensor:
    """Sums of ``data[indices]`` by sorted ``segment_ids`` (``tf.sparse.segment_sum``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.sparse.segment_sum([[1.0], [2.0]], [0, 1, 1], [0, 0, 1])))
    [[3.]
     [2.]]
    """
    _no_num_segments(num_segments)
    return _sparse_segment("SparseSegmentSum", data, indices, segment_ids, name)


def sparse_segment_mean(
    data: Any, indices: Any, segment_ids: Any, name: str | None = None, num_segments: Any = None
) -> Tensor:
    """Means of ``data[indices]`` by sorted ``segment_ids`` (``tf.sparse.segment_mean``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.sparse.segment_mean([[1.0], [2.0]], [0, 1], [0, 0])))
    [[1.5]]
    """
    _no_num_segments(num_segments)
    return _sparse_segment("SparseSegmentMean", data, indices, segment_ids, name)


def sparse_segment_sqrt_n(
    data: Any, indices: Any, segment_ids: Any, name: str | None = None, num_segments: Any = None
) -> Tensor:
    """Sums of ``data[indices]`` over the square root of each segment's size.

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.sparse.segment_sqrt_n([[3.0], [1.0]], [0, 1], [0, 0])))
    [[2.828427]]
    """
    _no_num_segments(num_segments)
    return _sparse_segment("SparseSegmentSqrtN", data, indices, segment_ids, name)


def _no_num_segments(num_segments: Any) -> None:
    if num_segments is not None:
        from scopeflow.errors import UnsupportedError  # noqa: PLC0415

        raise UnsupportedError("sparse_segment_*(num_segments=...)")


@register_kernel("SparseSegmentSum")
@register_kernel("SparseSegmentMean")
@register_kernel("SparseSegmentSqrtN")
def _sparse_segment_kernel(op: Operation, session: Any) -> Any:
    kind = op.type

    def kernel(data: torch.Tensor, indices: torch.Tensor, ids: torch.Tensor) -> torch.Tensor:
        seg = ids.reshape(-1).long()
        idx = indices.reshape(-1).long()
        if seg.numel() != idx.numel():
            raise InvalidArgumentError(None, op, "segment_ids and indices should have same size.")
        _check_sorted(op, seg)
        rows = data.shape[0]
        if idx.numel() and (bool((idx < 0).any()) or bool((idx >= rows).any())):
            i = int(((idx < 0) | (idx >= rows)).nonzero()[0])
            raise InvalidArgumentError(
                None, op, f"Bad: indices[{i}] == {int(idx[i])} out of range [0, {rows})"
            )
        n = int(seg[-1]) + 1 if seg.numel() else 0
        picked = data.index_select(0, idx)
        out = torch.zeros((n, *data.shape[1:]), dtype=data.dtype).index_add(0, seg, picked)
        if kind == "SparseSegmentSum":
            return out
        counts = torch.bincount(seg, minlength=n).to(data.dtype).clamp(min=1)
        div = counts if kind == "SparseSegmentMean" else counts.sqrt()
        return out / div.reshape(-1, *([1] * (data.dim() - 1)))

    return kernel


__all__ = ["segment_sum", "sparse_segment_mean", "sparse_segment_sqrt_n", "sparse_segment_sum"]
