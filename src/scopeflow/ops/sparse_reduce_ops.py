"""``tf.sparse_reduce_sum`` / ``tf.sparse_reduce_max`` and their ``_sparse`` variants.

Ops ``SparseReduceSum``/``SparseReduceMax`` (dense output) and ``SparseReduceSumSparse``/
``SparseReduceMaxSparse`` (a ``SparseTensor`` of the non-empty groups, in row-major order).
As TF's kernel, a group with no stored value is 0 in the dense output (also for max), and
``axis=None`` reduces every axis. The static shape is known when ``dense_shape`` and ``axis``
are constants.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Operation
from scopeflow.ops._math_common import _scope
from scopeflow.ops._op_builder import constant_value, make_multi_op
from scopeflow.ops.constant_op import constant
from scopeflow.ops.sparse_ops import SparseTensor


def _lookup(new_name: str, new_value: Any, old_name: str, old_value: Any) -> Any:
    if old_value is not None:
        if new_value is not None:
            raise ValueError(f"Cannot specify both '{old_name}' and '{new_name}'.")
        return old_value
    return new_value


def _reduce(op_type: str, sp_input: Any, axis: Any, keepdims: Any, reduction_axes: Any,
            keep_dims: Any, sparse_out: bool) -> Any:  # fmt: skip
    if not isinstance(sp_input, SparseTensor):  # TF reads ``sp_input.indices``
        raise AttributeError(f"'{type(sp_input).__name__}' object has no attribute 'indices'")
    keep = bool(_lookup("keepdims", keepdims, "keep_dims", keep_dims))
    axis = _lookup("axis", axis, "reduction_axes", reduction_axes)
    rank = sp_input.dense_shape._shape.dims[0].value  # type: ignore[index]
    if axis is None:
        if rank is None:
            from scopeflow.errors import UnsupportedError  # noqa: PLC0415

            raise UnsupportedError(f"{op_type} with axis=None of a SparseTensor of unknown rank")
        axis = constant(np.arange(rank, dtype=np.int32))
    full = op_type + ("Sparse" if sparse_out else "")
    scope = _scope(None, full)
    ax = convert_to_tensor(axis, dtype=dtypes.int32, name=scope + "reduction_axes/")
    vals = sp_input.values
    attrs = {"keep_dims": keep, "T": vals._dtype.base_dtype}
    ins = (sp_input.indices, vals, sp_input.dense_shape, ax)
    if sparse_out:
        op = make_multi_op(
            full, ins, attrs, scope, [dtypes.int64, vals._dtype.base_dtype, dtypes.int64],
            [TensorShape(None)] * 3,
        )  # fmt: skip
        return SparseTensor(*op._outputs)
    out_shape = TensorShape(None)
    dense = constant_value(sp_input.dense_shape)
    axes = constant_value(ax)
    if dense is not None and axes is not None:
        dims = [int(d) for d in np.asarray(dense).reshape(-1)]
        red = {int(a) % len(dims) for a in np.asarray(axes).reshape(-1)} if dims else set()
        out_shape = TensorShape(
            [1 if i in red else d for i, d in enumerate(dims)] if keep
            else [d for i, d in enumerate(dims) if i not in red]
        )  # fmt: skip
    op = make_multi_op(full, ins, attrs, scope, [vals._dtype.base_dtype], [out_shape])
    return op._outputs[0]


def sparse_reduce_sum(sp_input: Any, axis: Any = None, keepdims: Any = None,
                      reduction_axes: Any = None, keep_dims: Any = None) -> Any:  # fmt: skip
    """Sum of a ``SparseTensor`` over ``axis``, as a dense tensor (``tf.sparse_reduce_sum``).

    >>> import scopeflow.compat.v1 as tf
    >>> sp = tf.SparseTensor([[0, 0], [2, 1]], [1.0, 2.0], [3, 3])
    >>> print(tf.Session().run(tf.sparse_reduce_sum(sp, 1)))
    [1. 0. 2.]
    """
    return _reduce("SparseReduceSum", sp_input, axis, keepdims, reduction_axes, keep_dims, False)


def sparse_reduce_max(sp_input: Any, axis: Any = None, keepdims: Any = None,
                      reduction_axes: Any = None, keep_dims: Any = None) -> Any:  # fmt: skip
    """Max of the stored values over ``axis`` (0 for an empty group) (``tf.sparse_reduce_max``)."""
    return _reduce("SparseReduceMax", sp_input, axis, keepdims, reduction_axes, keep_dims, False)


def sparse_reduce_sum_sparse(sp_input: Any, axis: Any = None, keepdims: Any = None,
                             reduction_axes: Any = None, keep_dims: Any = None) -> Any:  # fmt: skip
    """``sparse_reduce_sum`` returning a ``SparseTensor`` of the non-empty groups."""
    return _reduce("SparseReduceSum", sp_input, axis, keepdims, reduction_axes, keep_dims, True)


def sparse_reduce_max_sparse(sp_input: Any, axis: Any = None, keepdims: Any = None,
                             reduction_axes: Any = None, keep_dims: Any = None) -> Any:  # fmt: skip
    """``sparse_reduce_max`` returning a ``SparseTensor`` of the non-empty groups."""
    return _reduce("SparseReduceMax", sp_input, axis, keepdims, reduction_axes, keep_dims, True)


def _groups(indices: Any, shape: Any, axes: Any, keep: bool) -> tuple[Any, list[int], Any]:
    """Flat group id of each entry, the output dims, and the kept axes."""
    dims = [int(d) for d in shape.tolist()]
    rank = len(dims)
    red = sorted({int(a) + rank if int(a) < 0 else int(a) for a in axes.reshape(-1).tolist()})
    kept = [i for i in range(rank) if i not in red]
    out_dims = (
        [1 if i in red else dims[i] for i in range(rank)] if keep else [dims[i] for i in kept]
    )
    kdims = [dims[i] for i in kept]
    gid = torch.zeros(indices.shape[0], dtype=torch.int64)
    for i, d in zip(kept, kdims, strict=True):
        gid = gid * d + indices[:, i]
    return gid, out_dims, (kept, kdims, red)


def _kernel(reduce: str, sparse_out: bool) -> Any:
    def factory(op: Operation, session: Any) -> Any:
        keep = op._attrs["keep_dims"]

        def kernel(indices: Any, values: Any, shape: Any, axes: Any) -> Any:
            gid, out_dims, (_kept, kdims, red) = _groups(indices, shape, axes.numpy(), keep)
            n = int(np.prod(kdims, dtype=np.int64))
            out = values.new_zeros(n)
            out = out.scatter_reduce(0, gid, values, reduce=reduce, include_self=False)
            if not sparse_out:
                return out.reshape(out_dims)
            present = torch.unique(gid, sorted=True)
            coords = []
            rem = present.clone()
            for d in reversed(kdims):
                coords.append(rem % d)
                rem = rem // d
            coords = coords[::-1]
            if keep:
                cols, it = [], iter(coords)
                for i in range(len(out_dims)):
                    cols.append(torch.zeros_like(present) if i in red else next(it))
                coords = cols
            idx = torch.stack(coords, 1) if coords else present.new_zeros((present.shape[0], 0))
            return idx, out[present], torch.tensor(out_dims, dtype=torch.int64)

        return kernel

    return factory


register_kernel("SparseReduceSum")(_kernel("sum", False))
register_kernel("SparseReduceMax")(_kernel("amax", False))
register_kernel("SparseReduceSumSparse")(_kernel("sum", True))
register_kernel("SparseReduceMaxSparse")(_kernel("amax", True))

__all__ = [
    "sparse_reduce_max",
    "sparse_reduce_max_sparse",
    "sparse_reduce_sum",
    "sparse_reduce_sum_sparse",
]
