"""``tf.sparse_merge`` and ``tf.sparse_to_indicator``, built from other ops as TF builds them.

* ``sparse_merge(sp_ids, sp_values, vocab_size)`` (scope ``SparseMerge``): the ids (one
  ``SparseTensor`` or a list of them, one per new dimension) replace the last column of
  ``sp_values``'s indices, the last dimension of its shape becomes ``vocab_size``, and the result
  is reordered (``SparseReorder``) unless ``already_sorted``.
* ``sparse_to_indicator(sp_input, vocab_size)`` (scope ``SparseToIndicator``): a dense ``bool``
  tensor whose last dimension marks, per row, the ids present in ``sp_input``.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable
from typing import Any

from scopeflow._core import dtypes
from scopeflow._core.name_scope import name_scope
from scopeflow.graph.tensor import Tensor
from scopeflow.ops.array_ops import concat, fill, shape
from scopeflow.ops.math_ops import cast
from scopeflow.ops.shape_ops import expand_dims
from scopeflow.ops.sparse_ops import (
    SparseTensor,
    SparseTensorValue,
    convert_to_sparse_tensor,
    sparse_tensor_to_dense,
)
from scopeflow.ops.sparse_reshape_ops import sparse_reorder


def _is_size(x: Any) -> bool:
    return isinstance(x, Tensor) or (isinstance(x, numbers.Integral) and not isinstance(x, bool))


def sparse_merge(
    sp_ids: Any,
    sp_values: Any,
    vocab_size: Any,
    name: str | None = None,
    already_sorted: bool = False,
) -> SparseTensor:
    """The values of ``sp_values`` placed at the ids of ``sp_ids`` (``tf.sparse_merge``).

    >>> import scopeflow.compat.v1 as tf
    >>> ids = tf.SparseTensor([[0, 0], [0, 1], [1, 0]], tf.constant([3, 1, 2], tf.int64), [2, 2])
    >>> vals = tf.SparseTensor([[0, 0], [0, 1], [1, 0]], [-0.5, 1.0, 2.0], [2, 2])
    >>> with tf.Session() as sess:
    ...     got = sess.run(tf.sparse_merge(ids, vals, 4))
    >>> print(got.indices.tolist(), got.values.tolist(), got.dense_shape.tolist())
    [[0, 1], [0, 3], [1, 2]] [1.0, -0.5, 2.0] [2, 4]
    """
    if isinstance(sp_ids, SparseTensor | SparseTensorValue):
        sp_ids = [sp_ids]
        if not _is_size(vocab_size):
            raise TypeError(
                f"vocab_size has to be a Tensor or Python int. Found {type(vocab_size)}"
            )
        vocab_size = [vocab_size]
    else:
        if not isinstance(sp_ids, Iterable):
            raise TypeError(
                f"sp_ids has to be a SparseTensor or list thereof. Found {type(sp_ids)}"
            )
        if not isinstance(vocab_size, Iterable):
            raise TypeError(
                f"vocab_size has to be a list of Tensors or Python ints. Found {type(vocab_size)}"
            )
        for dim in vocab_size:
            if not _is_size(dim):
                raise TypeError(
                    f"vocab_size has to be a list of Tensors or Python ints. Found {type(dim)}"
                )
        sp_ids, vocab_size = list(sp_ids), list(vocab_size)
    if len(sp_ids) != len(vocab_size):
        raise ValueError("sp_ids and vocab_size have to have equal lengths.")
    with name_scope(name, "SparseMerge", [sp_ids, sp_values]):
        sp_ids = [convert_to_sparse_tensor(s) for s in sp_ids]
        sp_values = convert_to_sparse_tensor(sp_values)
        ids = []
        for sp_ids_dim in sp_ids:
            ids_dim = sp_ids_dim.values
            if sp_ids_dim.dtype != dtypes.int64:
                ids_dim = cast(ids_dim, dtypes.int64)
            ids.append(expand_dims(ids_dim, axis=1))
        sizes = [cast(x, dtypes.int64) for x in vocab_size]
        new_indices = concat([sp_values.indices[:, :-1], *ids], 1)
        new_shape = concat([sp_values.dense_shape[:-1], sizes], 0)
        result = SparseTensor(new_indices, sp_values.values, new_shape)
        if already_sorted:
            return result
        ordered = sparse_reorder(result)
        return SparseTensor(ordered.indices, ordered.values, new_shape)


def sparse_to_indicator(sp_input: Any, vocab_size: Any, name: str | None = None) -> Tensor:
    """A dense ``bool`` indicator of the ids in ``sp_input`` (``tf.sparse_to_indicator``).

    >>> import scopeflow.compat.v1 as tf
    >>> sp = tf.SparseTensor([[0, 0], [0, 1], [1, 0]], tf.constant([2, 0, 1], tf.int64), [2, 2])
    >>> with tf.Session() as sess:
    ...     print(sess.run(tf.sparse_to_indicator(sp, 3)).tolist())
    [[True, False, True], [False, True, False]]
    """
    sp_input = convert_to_sparse_tensor(sp_input)
    with name_scope(name, "SparseToIndicator", [sp_input]) as scope:
        num_entries = shape(sp_input.indices)[0]
        new_values = fill(expand_dims(num_entries, 0), True)
        sp_values = SparseTensor(sp_input.indices, new_values, sp_input.dense_shape)
        sp_new = sparse_merge(sp_input, sp_values, vocab_size, scope)
        return sparse_tensor_to_dense(
            sp_new, default_value=False, validate_indices=False, name=scope
        )


__all__ = ["sparse_merge", "sparse_to_indicator"]
