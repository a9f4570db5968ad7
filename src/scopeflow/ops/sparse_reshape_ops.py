"""Sparse-tensor manipulation.

``sparse_reshape``, ``sparse_fill_empty_rows``, ``sparse_retain``,
``sparse_reorder`` (TF's ops ``SparseReshape``, ``SparseFillEmptyRows``,
``SparseReorder``; ``sparse_retain`` is TF's Python composition of ``Where``/``Gather``).

Kernels follow TF's: ``SparseFillEmptyRows`` keeps each row's entries in input order and puts a
``default_value`` entry at ``[row, 0, ...]`` for each empty row; its values stay differentiable.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

import torch

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.errors import InvalidArgumentError
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Operation
from scopeflow.ops._math_common import _scope
from scopeflow.ops._op_builder import make_multi_op, shape_from_tensor
from scopeflow.ops.array_ops import identity, reshape
from scopeflow.ops.gather_scatter_ops import gather, where
from scopeflow.ops.math_ops import cast
from scopeflow.ops.sparse_ops import SparseTensor


def _check_sparse(sp: Any) -> SparseTensor:
    if not isinstance(sp, SparseTensor):
        raise TypeError(f"Input must be a SparseTensor. Received: {sp}")
    return sp


def sparse_reshape(sp_input: Any, shape: Any, name: str | None = None) -> SparseTensor:
    """The same entries in a new dense shape (op ``SparseReshape``; one ``-1`` is inferred).

    >>> import scopeflow.compat.v1 as tf
    >>> sp = tf.SparseTensor([[0, 1], [1, 0]], [1, 2], [2, 2])
    >>> print(tf.Session().run(tf.sparse.reshape(sp, [4]).indices).tolist())
    [[1], [2]]
    """
    sp = _check_sparse(sp_input)
    scope = _scope(name, "SparseReshape")
    new_shape = convert_to_tensor(shape, name=scope + "shape/")
    if new_shape.dtype.base_dtype != dtypes.int64:
        new_shape = cast(new_shape, dtypes.int64)
    out_shape = shape_from_tensor(new_shape)
    in_shape = sp.get_shape()
    target = new_shape._const
    if target is not None and in_shape.is_fully_defined():
        dims = [int(d) for d in target.reshape(-1)]
        if dims.count(-1) == 1:  # TF infers the -1 at build time from a static input shape
            known = 1
            for d in dims:
                known *= d if d != -1 else 1
            total = in_shape.num_elements()
            if known and total is not None and total % known == 0:
                dims[dims.index(-1)] = total // known
                out_shape = TensorShape(dims)
    rank = new_shape._shape.dims[0].value if new_shape._shape.ndims == 1 else None  # type: ignore[index]
    op = make_multi_op(
        "SparseReshape",
        (sp.indices, sp.dense_shape, new_shape),
        {},
        scope,
        (dtypes.int64, dtypes.int64),
        (TensorShape([None, rank]), TensorShape([rank])),
    )
    if in_shape.is_fully_defined():
        # TF's dense shape is then the constant ``shape`` (else the op's output, unknown values)
        op._outputs[1]._partial_shape = out_shape  # the known entries of ``shape`` (-1 unknown)
    return SparseTensor(op._outputs[0], sp.values, op._outputs[1])


@register_kernel("SparseReshape")
def _reshape_kernel(op: Operation, session: Any) -> Any:
    def kernel(indices: torch.Tensor, in_shape: torch.Tensor, new_shape: torch.Tensor) -> Any:
        dims = [int(d) for d in in_shape.tolist()]
        target = [int(d) for d in new_shape.tolist()]
        dense = 1
        for d in dims:
            dense *= d
        unknown = [i for i, d in enumerate(target) if d == -1]
        if len(unknown) > 1:
            raise InvalidArgumentError(
                None,
                op,
                f"only one output dimension may be -1, not both {unknown[0]} and {unknown[1]}",
            )
        product = 1
        for d in target:
            if d != -1:
                product *= d
        if unknown:
            if product == 0 or dense % product:
                raise InvalidArgumentError(
                    None,
                    op,
                    f"Input to reshape is a SparseTensor with {dense} dense values, but "
                    f"the requested shape requires a multiple of {product}. "
                    f"inputShape={dims} outputShape={target}",
                )
            target[unknown[0]] = dense // product
            product = dense
        if product != dense:
            raise InvalidArgumentError(
                None,
                op,
                f"Input to reshape is a tensor with {dense} dense values, but the "
                f"requested shape has {product}. inputShape={dims} outputShape={target}",
            )
        idx = indices.reshape(-1, len(dims)).long()
        linear = torch.zeros(idx.shape[0], dtype=torch.int64)
        for k, d in enumerate(dims):
            linear = linear * d + idx[:, k]
        out = torch.empty((idx.shape[0], len(target)), dtype=torch.int64)
        for k in range(len(target) - 1, -1, -1):
            d = target[k]
            out[:, k] = linear % d if d else 0
            linear = linear // d if d else linear
        return out, torch.tensor(target, dtype=torch.int64)

    return kernel


def sparse_fill_empty_rows(
    sp_input: Any, default_value: Any, name: str | None = None
) -> tuple[SparseTensor, Any]:
    """Adds ``default_value`` at ``[row, 0, ...]`` for every empty row.

    Returns the filled ``SparseTensor`` and a bool vector marking the rows that were empty.

    >>> import scopeflow.compat.v1 as tf
    >>> sp = tf.SparseTensor([[1, 0]], [5], [3, 2])
    >>> out, empty = tf.sparse.fill_empty_rows(sp, -1)
    >>> print(tf.Session().run([out.values, empty]))
    [array([-1,  5, -1], dtype=int32), array([ True, False,  True])]
    """
    sp = _check_sparse(sp_input)
    rank = sp.indices._shape.dims[1].value if sp.indices._shape.ndims == 2 else None  # type: ignore[index]
    g = get_default_graph()
    with g.name_scope(_scope(name, "SparseFillEmptyRows")):
        default = convert_to_tensor(default_value, dtype=sp.values.dtype.base_dtype)
        op = make_multi_op(
            "SparseFillEmptyRows",
            (sp.indices, sp.values, sp.dense_shape, default),
            {"T": sp.values.dtype.base_dtype},
            None,
            (dtypes.int64, sp.values.dtype.base_dtype, dtypes.bool, dtypes.int64),
            (
                TensorShape([None, rank]),
                TensorShape([None]),
                TensorShape([None]),
                TensorShape([None]),
            ),
        )
    return SparseTensor(op._outputs[0], op._outputs[1], sp.dense_shape), op._outputs[2]


@register_kernel("SparseFillEmptyRows")
def _fill_empty_rows_kernel(op: Operation, session: Any) -> Any:
    def kernel(
        indices: torch.Tensor, values: torch.Tensor, shape: torch.Tensor, default: torch.Tensor
    ) -> Any:
        rank = int(shape.numel())
        n_rows = int(shape[0]) if rank else 0
        idx = indices.reshape(-1, rank).long()
        n = idx.shape[0]
        rows = idx[:, 0] if n else torch.zeros(0, dtype=torch.int64)
        if n and (bool((rows < 0).any()) or bool((rows >= n_rows).any())):
            i = int(((rows < 0) | (rows >= n_rows)).nonzero()[0])
            raise InvalidArgumentError(
                None, op, f"indices({i}, 0) is invalid: {int(rows[i])} >= {n_rows}"
            )
        counts = (
            torch.bincount(rows, minlength=n_rows) if n else torch.zeros(n_rows, dtype=torch.int64)
        )
        empty = counts == 0
        per_row = torch.where(empty, torch.ones_like(counts), counts)
        offsets = torch.cumsum(per_row, 0) - per_row
        total = int(per_row.sum())
        # position of each input entry: its row's offset + its rank among the row's entries
        order = torch.argsort(rows, stable=True)
        rank_in_row = torch.empty(n, dtype=torch.int64)
        starts = torch.cumsum(counts, 0) - counts
        rank_in_row[order] = torch.arange(n, dtype=torch.int64) - starts[rows[order]]
        pos = offsets[rows] + rank_in_row if n else rows
        out_idx = torch.zeros((total, rank), dtype=torch.int64)
        out_idx[pos] = idx
        empty_rows = empty.nonzero().reshape(-1)
        out_idx[offsets[empty_rows], 0] = empty_rows
        vals = values.reshape(-1)
        out_vals = default.reshape(()).expand(total).clone() if total else vals[:0]
        if n:
            out_vals = out_vals.index_put((pos,), vals)
        return out_idx, out_vals, empty, pos

    return kernel


def sparse_retain(sp_input: Any, to_retain: Any) -> SparseTensor:
    """The entries where the bool vector ``to_retain`` is true (``tf.sparse.retain``).

    >>> import scopeflow.compat.v1 as tf
    >>> sp = tf.SparseTensor([[0, 0], [1, 1]], [1, 2], [2, 2])
    >>> print(tf.Session().run(tf.sparse.retain(sp, [False, True]).values))
    [2]
    """
    sp = _check_sparse(sp_input)
    keep = convert_to_tensor(to_retain)
    if keep._shape.ndims not in (None, 1):
        raise ValueError(f"Shape {keep._shape} must have rank 1")
    where_true = reshape(where(keep), [-1])
    return SparseTensor(
        gather(sp.indices, where_true), gather(sp.values, where_true), identity(sp.dense_shape)
    )


def sparse_reorder(sp_input: Any, name: str | None = None) -> SparseTensor:
    """The entries in row-major order of their indices (op ``SparseReorder``).

    >>> import scopeflow.compat.v1 as tf
    >>> sp = tf.SparseTensor([[1, 0], [0, 1]], [1, 2], [2, 2])
    >>> print(tf.Session().run(tf.sparse.reorder(sp).values))
    [2 1]
    """
    sp = _check_sparse(sp_input)
    scope = _scope(name, "SparseReorder")
    op = make_multi_op(
        "SparseReorder",
        (sp.indices, sp.values, sp.dense_shape),
        {"T": sp.values.dtype.base_dtype},
        scope,
        (dtypes.int64, sp.values.dtype.base_dtype),
        (sp.indices._shape, sp.values._shape),
    )
    # As TF: a fully known static shape becomes a constant, otherwise an Identity of the input's
    static = sp.get_shape()
    if static.is_fully_defined():
        return SparseTensor(op._outputs[0], op._outputs[1], static.as_list())
    return SparseTensor(op._outputs[0], op._outputs[1], identity(sp.dense_shape))


@register_kernel("SparseReorder")
def _reorder_kernel(op: Operation, session: Any) -> Any:
    def kernel(indices: torch.Tensor, values: Any, shape: torch.Tensor) -> Any:
        dims = [int(d) for d in shape.tolist()]
        idx = indices.reshape(-1, len(dims)).long()
        linear = torch.zeros(idx.shape[0], dtype=torch.int64)
        for k, d in enumerate(dims):
            linear = linear * d + idx[:, k]
        order = torch.argsort(linear, stable=True)
        if isinstance(values, torch.Tensor):
            return idx[order], values.reshape(-1)[order]
        return idx[order], values.reshape(-1)[order.numpy()]

    return kernel


__all__ = [
    "sparse_fill_empty_rows",
    "sparse_reorder",
    "sparse_reshape",
    "sparse_retain",
]
