"""TF 1.15's ``tf.contrib.layers`` sparse helpers (``contrib/layers/python/ops/sparse_ops``).

``dense_to_sparse_tensor`` keeps the cells that differ from an ignore value (the dtype's zero,
``""`` for strings); ``indicators_to_sparse_ids`` turns a dense indicator tensor into the sparse
ids of its non-ignored last-axis positions; ``sparse_row_envelope`` gives each row's length.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from scopeflow._core import dtypes
from scopeflow._core.name_scope import name_scope
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.ops.array_ops import concat, ones_like, reshape, shape, zeros_like
from scopeflow.ops.gather_scatter_ops import gather_nd, where
from scopeflow.ops.math_ops import cast, equal, greater, not_equal
from scopeflow.ops.reduction_ops import cumsum, reduce_max
from scopeflow.ops.segment_extra_ops import unsorted_segment_max
from scopeflow.ops.sparse_ops import SparseTensor


def _ignore_value_tensor(dtype: Any, ignore_value: Any = None) -> Any:
    """``ignore_value`` (default: the dtype's zero, ``""`` for strings) as a tensor of ``dtype``."""
    if ignore_value is None:
        ignore_value = "" if dtype == dtypes.string else dtype.as_numpy_dtype()
    return cast(ignore_value, dtype, name="ignore_value")


def dense_to_sparse_tensor(dense_tensor: Any, ignore_value: Any = None) -> SparseTensor:
    """A ``SparseTensor`` of ``dense_tensor``'s cells that differ from ``ignore_value``.

    >>> import scopeflow.compat.v1 as tf
    >>> from scopeflow.contrib.layers import sparse_ops
    >>> st = sparse_ops.dense_to_sparse_tensor(tf.constant([[0, 3], [5, 0]]))
    >>> print(tf.Session().run(st.indices).tolist(), st.values.op.name)
    [[0, 1], [1, 0]] DenseToSparseTensor/values
    """
    with name_scope("DenseToSparseTensor"):
        dense_tensor = convert_to_tensor(dense_tensor)
        ignore = _ignore_value_tensor(dense_tensor.dtype, ignore_value)
        indices = where(not_equal(dense_tensor, ignore), name="indices")
        return SparseTensor(
            indices=indices,
            values=gather_nd(dense_tensor, indices, name="values"),
            dense_shape=shape(dense_tensor, out_type=dtypes.int64, name="dense_shape"),
        )


def indicators_to_sparse_ids(
    indicators: Any, ignore_value: Any = None, dtype: Any = dtypes.int64
) -> SparseTensor:
    """Sparse ids of the non-ignored positions along the last axis of ``indicators``.

    For ``indicators`` of shape ``(d0, ..., dn, num_classes)`` the result has shape
    ``(d0, ..., dn, max_num_labels)``: row ``(i0, ..., in)`` lists, in order, the last-axis
    positions whose value is not ``ignore_value``.

    >>> import scopeflow.compat.v1 as tf
    >>> from scopeflow.contrib.layers import sparse_ops
    >>> st = sparse_ops.indicators_to_sparse_ids([[0, 1, 1], [1, 0, 0]])
    >>> print(tf.Session().run(st.values).tolist(), tf.Session().run(st.dense_shape).tolist())
    [1, 2, 0] [2, 2]
    """
    dtype = dtypes.as_dtype(dtype)
    if not dtype.is_integer:
        raise ValueError(f"Invalid dtype {dtype} not integer.")
    with name_scope(None, "indicators_to_sparse_ids", (indicators, ignore_value)):
        indicators = convert_to_tensor(indicators, name="indicators")
        missing = equal(
            indicators, _ignore_value_tensor(indicators.dtype, ignore_value), name="missing"
        )
        zeros = zeros_like(indicators, dtype=dtypes.int64, name="zeros")
        binary = where(
            missing, zeros, ones_like(indicators, dtype=dtypes.int64, name="ones"),
            name="binary_indicators",
        )  # fmt: skip
        # 1-based position of each present cell within its row (0 marks a missing cell)
        row_index = where(missing, zeros, cumsum(binary, axis=-1), "row_index_indicators")
        last_dim = reshape(reduce_max(row_index), shape=(1,), name="result_last_dim")
        present = dense_to_sparse_tensor(row_index, ignore_value=0)
        # the positions become the values and the within-row ranks the last index
        return SparseTensor(
            indices=concat(
                (present.indices[:, :-1], reshape(present.values - 1, (-1, 1))),
                axis=1,
                name="indices",
            ),
            values=cast(present.indices[:, -1], dtype=dtype, name="values"),
            dense_shape=concat((present.dense_shape[0:-1], last_dim), axis=0, name="dense_shape"),
        )


def sparse_row_envelope(
    sparse_input: Any, row_axis: int = 0, col_axis: int = 1, name: str | None = None
) -> Any:
    """The length of each row of ``sparse_input`` (its largest column index plus one).

    >>> import scopeflow.compat.v1 as tf
    >>> from scopeflow.contrib.layers import sparse_ops
    >>> st = tf.SparseTensor([[0, 0], [2, 0], [2, 1], [2, 2]], [1, 1, 1, 1], [3, 3])
    >>> print(tf.Session().run(sparse_ops.sparse_row_envelope(st)).tolist())
    [1, 0, 3]
    """
    integral = (int, np.integer)
    if not (isinstance(row_axis, integral) and isinstance(col_axis, integral)):
        raise ValueError("`row_axis` and `col_axis` must be integers.")
    if row_axis == col_axis:
        raise ValueError("Row and column can not be the same axis.")
    with name_scope(name, "sparse_row_envelope", [sparse_input]):
        indices = sparse_input.indices
        row_indices = indices[:, row_axis]
        col_indices = indices[:, col_axis]
        num_rows = cast(sparse_input.dense_shape[row_axis], dtypes.int32)
        envelope = unsorted_segment_max(col_indices + 1, row_indices, num_rows, name=name)
        zeros = zeros_like(envelope)
        return where(greater(envelope, zeros), envelope, zeros)


__all__ = ["dense_to_sparse_tensor", "indicators_to_sparse_ids", "sparse_row_envelope"]
