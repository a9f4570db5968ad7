"""Segment reductions beyond ``segment_sum``: max/mean/min/prod, sorted and unsorted.

``Segment{Max,Mean,Min,Prod}(data, segment_ids)`` reduce the rows of ``data`` with equal
sorted ids into ``max(id) + 1`` rows (an empty segment is 0, or 1 for ``Prod``);
``UnsortedSegment{Max,Min,Prod}(data, segment_ids, num_segments)`` take ids in any order,
drop negative ids, and fill an empty segment with the dtype's lowest value (``Max``), highest
value (``Min``) or 1 (``Prod``). ``unsorted_segment_mean``/``sqrt_n`` are TF's composites:
``unsorted_segment_sum`` divided by the segment size (or its square root), at least 1.
Kernels are torch ``scatter_reduce``, so gradients flow to ``data`` (ties of max/min share it
equally, as TF's gradient does).

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
from scopeflow.ops._math_common import _check_allowed, _scope, allowed, name_scope
from scopeflow.ops._op_builder import UNKNOWN, make_op
from scopeflow.ops._shape_inference import const_int
from scopeflow.ops.array_ops import ones_like, reshape
from scopeflow.ops.math_ops import cast, maximum, truediv
from scopeflow.ops.segment_ops import _check_sorted, _out_shape
from scopeflow.ops.sparse_ops import unsorted_segment_sum
from scopeflow.ops.unary_ops import sqrt

_INDEX = (dtypes.int32, dtypes.int64)
_REDUCE = {"Max": "amax", "Min": "amin", "Prod": "prod", "Mean": "mean"}


def _segment(op_type: str, data: Any, segment_ids: Any, name: str | None) -> Tensor:
    scope = _scope(name, op_type)
    x = convert_to_tensor(data, name=scope + "data/")
    ids = convert_to_tensor(segment_ids, name=scope + "segment_ids/")
    _check_allowed(x, allowed("Sum" if op_type in ("SegmentProd", "SegmentMean") else "Max"),
                   "data")  # fmt: skip
    _check_allowed(ids, _INDEX, "segment_ids")
    attrs = {"T": x._dtype.base_dtype, "Tindices": ids._dtype.base_dtype}
    return make_op(op_type, (x, ids), attrs, scope, x._dtype.base_dtype, _out_shape(x))


def segment_max(data: Any, segment_ids: Any, name: str | None = None) -> Tensor:
    """Maxima of the rows of ``data`` with equal sorted ``segment_ids`` (op ``SegmentMax``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.segment_max([1.0, 5.0, 4.0], [0, 0, 2])))
    [5. 0. 4.]
    """
    return _segment("SegmentMax", data, segment_ids, name)


def segment_min(data: Any, segment_ids: Any, name: str | None = None) -> Tensor:
    """Minima of the rows of ``data`` with equal sorted ``segment_ids`` (op ``SegmentMin``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.segment_min([1.0, 5.0, 4.0], [0, 0, 1])))
    [1. 4.]
    """
    return _segment("SegmentMin", data, segment_ids, name)


def segment_mean(data: Any, segment_ids: Any, name: str | None = None) -> Tensor:
    """Means of the rows of ``data`` with equal sorted ``segment_ids`` (op ``SegmentMean``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.segment_mean([1.0, 5.0, 4.0], [0, 0, 1])))
    [3. 4.]
    """
    return _segment("SegmentMean", data, segment_ids, name)


def segment_prod(data: Any, segment_ids: Any, name: str | None = None) -> Tensor:
    """Products of the rows of ``data`` with equal sorted ``segment_ids`` (op ``SegmentProd``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.segment_prod([2.0, 5.0, 4.0], [0, 0, 1])))
    [10.  4.]
    """
    return _segment("SegmentProd", data, segment_ids, name)


def _reduce(data: torch.Tensor, ids: torch.Tensor, n: int, kind: str, fill: Any) -> torch.Tensor:
    """``out[ids[i]] = reduce(data[i])`` over ``n`` segments; empty segments get ``fill``."""
    rest = data.shape[ids.dim() :]
    flat = data.reshape(-1, *rest)
    seg = ids.reshape(-1).long()
    keep = seg >= 0
    if not bool(keep.all()):
        flat, seg = flat[keep], seg[keep]
    out = torch.zeros((n, *rest), dtype=data.dtype)
    index = seg.reshape(-1, *([1] * len(rest))).expand_as(flat)
    out = out.scatter_reduce(0, index, flat, reduce=_REDUCE[kind], include_self=False)
    counts = torch.bincount(seg, minlength=n)[:n]
    empty = (counts == 0).reshape(-1, *([1] * len(rest)))
    if bool(empty.any()):
        out = torch.where(empty, torch.full((), fill, dtype=data.dtype), out)
    return out


@register_kernel("SegmentMax")
@register_kernel("SegmentMin")
@register_kernel("SegmentMean")
@register_kernel("SegmentProd")
def _segment_kernel(op: Operation, session: Any) -> Any:
    kind = op.type[len("Segment") :]
    fill = 1 if kind == "Prod" else 0

    def kernel(data: torch.Tensor, ids: torch.Tensor) -> torch.Tensor:
        flat = ids.reshape(-1).long()
        _check_sorted(op, flat)
        n = int(flat[-1]) + 1 if flat.numel() else 0
        return _reduce(data, ids, n, kind, fill)

    return kernel


def _unsorted(op_type: str, data: Any, segment_ids: Any, num_segments: Any,
              name: str | None) -> Tensor:  # fmt: skip
    scope = _scope(name, op_type)
    x = convert_to_tensor(data, name=scope + "data/")
    ids = convert_to_tensor(segment_ids, name=scope + "segment_ids/")
    num = convert_to_tensor(num_segments, name=scope + "num_segments/")
    _check_allowed(x, allowed("Sum" if op_type.endswith("Prod") else "Max"), "data")
    _check_allowed(ids, _INDEX, "segment_ids")
    _check_allowed(num, _INDEX, "num_segments")
    attrs = {"T": x._dtype.base_dtype, "Tindices": ids._dtype.base_dtype,
             "Tnumsegments": num._dtype.base_dtype}  # fmt: skip
    shape = UNKNOWN
    if x._shape.ndims is not None and ids._shape.ndims is not None:
        shape = TensorShape([const_int(num), *x._shape.as_list()[ids._shape.ndims :]])
    return make_op(op_type, (x, ids, num), attrs, scope, x._dtype.base_dtype, shape)


def unsorted_segment_max(data: Any, segment_ids: Any, num_segments: Any,
                         name: str | None = None) -> Tensor:  # fmt: skip
    """Maxima of ``data`` by ``segment_ids`` in any order (op ``UnsortedSegmentMax``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.unsorted_segment_max([1, 5, 4], [1, 0, 1], 2)))
    [5 4]
    """
    return _unsorted("UnsortedSegmentMax", data, segment_ids, num_segments, name)


def unsorted_segment_min(data: Any, segment_ids: Any, num_segments: Any,
                         name: str | None = None) -> Tensor:  # fmt: skip
    """Minima of ``data`` by ``segment_ids`` in any order (op ``UnsortedSegmentMin``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.unsorted_segment_min([1, 5, 4], [1, 0, 1], 2)))
    [5 1]
    """
    return _unsorted("UnsortedSegmentMin", data, segment_ids, num_segments, name)


def unsorted_segment_prod(data: Any, segment_ids: Any, num_segments: Any,
                          name: str | None = None) -> Tensor:  # fmt: skip
    """Products of ``data`` by ``segment_ids`` in any order (op ``UnsortedSegmentProd``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.unsorted_segment_prod([2, 5, 4], [1, 0, 1], 3)))
    [5 8 1]
    """
    return _unsorted("UnsortedSegmentProd", data, segment_ids, num_segments, name)


@register_kernel("UnsortedSegmentMax")
@register_kernel("UnsortedSegmentMin")
@register_kernel("UnsortedSegmentProd")
def _unsorted_kernel(op: Operation, session: Any) -> Any:
    kind = op.type[len("UnsortedSegment") :]
    dt = op._attrs["T"]
    if kind == "Prod":
        fill: Any = 1
    else:
        info = torch.finfo if dt.is_floating else torch.iinfo
        from scopeflow.graph._torch_dtypes import torch_dtype  # noqa: PLC0415

        lim = info(torch_dtype(dt))  # type: ignore[arg-type]
        fill = lim.min if kind == "Max" else lim.max

    def kernel(data: torch.Tensor, ids: torch.Tensor, num: torch.Tensor) -> torch.Tensor:
        n = int(num)
        if tuple(data.shape[: ids.dim()]) != tuple(ids.shape):
            raise InvalidArgumentError(
                None, op, f"data.shape = {list(data.shape)} does not start with "
                f"segment_ids.shape = {list(ids.shape)}"
            )  # fmt: skip
        bad = ids >= n
        if bool(bad.any()):
            v = int(ids[bad].reshape(-1)[0])
            raise InvalidArgumentError(
                None, op, f"segment_ids[{int(bad.reshape(-1).nonzero()[0])}] = {v} is out of "
                f"range [0, {n})"
            )  # fmt: skip
        return _reduce(data, ids, n, kind, fill)

    return kernel


def _unsorted_n(data: Tensor, ids: Tensor, num_segments: Any) -> Tensor:
    """TF's ``_unsorted_segment_N``: each segment's size (at least 1), broadcastable to data."""
    ones = ones_like(ids, dtype=data._dtype.base_dtype)
    n = unsorted_segment_sum(ones, ids, num_segments)
    nd = data._shape.ndims
    rank = ids._shape.ndims
    if nd is not None and rank is not None:
        n = reshape(n, [-1, *([1] * (nd - rank))])
    return maximum(n, cast(1, data._dtype.base_dtype))


def unsorted_segment_mean(data: Any, segment_ids: Any, num_segments: Any,
                          name: str | None = None) -> Tensor:  # fmt: skip
    """Means of ``data`` by ``segment_ids`` in any order (TF's composite, empty segments 0).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.unsorted_segment_mean([2.0, 5.0, 4.0], [1, 0, 1], 3)))
    [5. 3. 0.]
    """
    scope = _scope(name, "UnsortedSegmentMean")
    with name_scope(scope):
        x = convert_to_tensor(data, name="data")
        ids = convert_to_tensor(segment_ids, name="segment_ids")
        n = _unsorted_n(x, ids, num_segments)
        summed = unsorted_segment_sum(x, ids, num_segments)
        return truediv(summed, n)


def unsorted_segment_sqrt_n(data: Any, segment_ids: Any, num_segments: Any,
                            name: str | None = None) -> Tensor:  # fmt: skip
    """Sums of ``data`` by ``segment_ids`` over the square root of each segment's size.

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.unsorted_segment_sqrt_n([3.0, 1.0], [0, 0], 1)))
    [2.828427]
    """
    scope = _scope(name, "UnsortedSegmentSqrtN")
    with name_scope(scope):
        x = convert_to_tensor(data, name="data")
        ids = convert_to_tensor(segment_ids, name="segment_ids")
        n = _unsorted_n(x, ids, num_segments)
        summed = unsorted_segment_sum(x, ids, num_segments)
        return truediv(summed, sqrt(n))


__all__ = [
    "segment_max",
    "segment_mean",
    "segment_min",
    "segment_prod",
    "unsorted_segment_max",
    "unsorted_segment_mean",
    "unsorted_segment_min",
    "unsorted_segment_prod",
    "unsorted_segment_sqrt_n",
]
