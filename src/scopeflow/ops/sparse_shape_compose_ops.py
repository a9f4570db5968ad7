"""``tf.sparse_reset_shape``, ``tf.sparse.expand_dims`` and ``tf.sparse_mask``: TF's composites.

TF builds these three from ordinary ops, and so does this module, op for op, so the graphs carry
TF's op types and names:

* ``sparse_reset_shape(sp_input, new_shape=None)``: ``Identity`` copies of the three components;
  without ``new_shape`` the shape is the tightest one, ``max(0, reduce_max(indices, 0) + 1)``;
  with it, a known ``new_shape`` smaller than a fully known input shape raises TF's
  ``ValueError`` at construction, and otherwise two assertions (same rank, no dimension shrinks)
  guard the run.
* ``sparse.expand_dims(sp_input, axis=None)``: a zero column spliced into the indices and a
  ``1`` into the shape at ``axis`` (``-1``: last), under an ``expand_dims`` scope.
* ``sparse_mask(a, mask_indices)``: the ``IndexedSlices`` ``a`` without the rows whose index is
  in ``mask_indices`` (``ListDiff`` then ``Gather``).

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from scopeflow._core import dtypes
from scopeflow._core.name_scope import name_scope
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.tensor import Tensor
from scopeflow.ops import check_ops
from scopeflow.ops.array_extra_ops import setdiff1d
from scopeflow.ops.array_ops import concat, identity, ones_like, shape, slice, zeros
from scopeflow.ops.constant_op import constant
from scopeflow.ops.control_flow_ops import with_dependencies
from scopeflow.ops.gather_scatter_ops import gather, where_v2
from scopeflow.ops.math_ops import add, cast, maximum
from scopeflow.ops.reduction_ops import reduce_max
from scopeflow.ops.sparse_ops import IndexedSlices, SparseTensor, convert_to_sparse_tensor
from scopeflow.ops.tensor_util import constant_value


def sparse_reset_shape(sp_input: Any, new_shape: Any = None) -> SparseTensor:
    """``sp_input`` with ``dense_shape`` reset to ``new_shape`` (default: the tightest one).

    >>> import scopeflow.compat.v1 as tf
    >>> sp = tf.SparseTensor([[0, 1], [2, 0]], [1.0, 2.0], [5, 6])
    >>> with tf.Session() as sess:
    ...     print(sess.run(tf.sparse_reset_shape(sp)).dense_shape)
    [3 2]
    """
    sp_input = convert_to_sparse_tensor(sp_input)
    in_indices = identity(sp_input.indices)
    in_values = identity(sp_input.values)
    in_shape = identity(sp_input.dense_shape)
    if new_shape is None:
        dim_low_bound = reduce_max(in_indices, axis=0)
        output_shape: Any = maximum(
            constant(0, dtype=dtypes.int64), add(dim_low_bound, ones_like(in_shape))
        )
        return SparseTensor(in_indices, in_values, output_shape)
    output_shape = convert_to_tensor(new_shape)
    output_shape.get_shape().assert_has_rank(1)
    output_shape = cast(output_shape, dtypes.int64)
    if output_shape.get_shape().ndims is not None:
        output_shape.get_shape()[0].assert_is_compatible_with(in_shape.get_shape()[0])
    known = constant_value(output_shape)
    if known is not None and sp_input.get_shape().is_fully_defined():
        in_shape_const = np.array(sp_input.get_shape().as_list())
        if not np.all(in_shape_const <= known):
            raise ValueError(
                "Requested new_shape should have dimension sizes >= sp_input.shape.  Found "
                f"new_shape ({in_shape_const}), sp_input.shape ({known})."
            )
        return SparseTensor(in_indices, in_values, known)
    output_shape = with_dependencies(
        [check_ops.assert_equal(shape(in_shape), shape(output_shape))], output_shape
    )
    output_shape = with_dependencies(
        [check_ops.assert_less_equal(in_shape, output_shape)], output_shape
    )
    return SparseTensor(in_indices, in_values, output_shape)


def sparse_expand_dims(sp_input: Any, axis: Any = None, name: str | None = None) -> SparseTensor:
    """``sp_input`` with a dimension of size 1 inserted at ``axis`` (``tf.sparse.expand_dims``).

    >>> import scopeflow.compat.v1 as tf
    >>> sp = tf.SparseTensor([[0, 1], [2, 0]], [1.0, 2.0], [3, 2])
    >>> with tf.Session() as sess:
    ...     print(sess.run(tf.sparse.expand_dims(sp, 1)).dense_shape)
    [3 1 2]
    """
    sp_input = convert_to_sparse_tensor(sp_input)
    rank: Any = sp_input.dense_shape.get_shape()[0].value
    if rank is None:
        rank = shape(sp_input.dense_shape)[0]
    axis = -1 if axis is None else axis
    with name_scope(name, "expand_dims", [sp_input]):
        if isinstance(axis, (int, np.integer)) and not isinstance(axis, bool):
            axis = convert_to_tensor(int(axis), name="axis", dtype=dtypes.int32)
        elif not isinstance(axis, Tensor):
            raise TypeError(
                "axis must be an integer value in range [-rank(sp_input) - 1, rank(sp_input)]"
            )
        axis = where_v2(axis >= 0, axis, axis + rank + 1)
        column_size = shape(sp_input.indices)[0]
        new_index = zeros([column_size, 1], dtype=dtypes.int64)
        indices_before = slice(sp_input.indices, [0, 0], [-1, axis])
        indices_after = slice(sp_input.indices, [0, axis], [-1, -1])
        indices = concat([indices_before, new_index, indices_after], axis=1)
        shape_before = slice(sp_input.dense_shape, [0], [axis])
        shape_after = slice(sp_input.dense_shape, [axis], [-1])
        new_shape = convert_to_tensor([1], name="new_shape", dtype=dtypes.int64)
        dense_shape = concat([shape_before, new_shape, shape_after], axis=0)
        return SparseTensor(indices=indices, values=sp_input.values, dense_shape=dense_shape)


def sparse_mask(a: Any, mask_indices: Any, name: str | None = None) -> IndexedSlices:
    """The ``IndexedSlices`` ``a`` without the rows indexed by ``mask_indices``.

    >>> import scopeflow.compat.v1 as tf
    >>> a = tf.IndexedSlices(tf.constant([[1.0], [2.0], [3.0]]), tf.constant([4, 7, 9]))
    >>> kept = tf.sparse_mask(a, [7])
    >>> with tf.Session() as sess:
    ...     print(sess.run([kept.indices, kept.values]))
    [array([4, 9], dtype=int32), array([[1.],
           [3.]], dtype=float32)]
    """
    with name_scope(name, "sparse_mask", [a, mask_indices]) as scope:
        indices = a.indices
        out_indices, to_gather = setdiff1d(indices, mask_indices)
        out_values = gather(a.values, to_gather, name=scope)
        return IndexedSlices(out_values, out_indices, a.dense_shape)


__all__ = ["sparse_expand_dims", "sparse_mask", "sparse_reset_shape"]
