"""``tf.sparse.from_dense`` and ``tf.sparse_transpose``, built from other ops as TF builds them.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from scopeflow._core import dtypes
from scopeflow._core.name_scope import name_scope
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.ops._op_builder import constant_value
from scopeflow.ops.array_ops import rank as _rank
from scopeflow.ops.array_ops import shape, zeros_like
from scopeflow.ops.creation_ops import range as _range
from scopeflow.ops.gather_scatter_ops import gather, gather_nd, where_v2
from scopeflow.ops.math_ops import not_equal
from scopeflow.ops.shape_ops import transpose
from scopeflow.ops.sparse_ops import SparseTensor
from scopeflow.ops.sparse_reshape_ops import sparse_reorder


def from_dense(tensor: Any, name: str | None = None) -> SparseTensor:
    """The non-zero (non-empty) entries of ``tensor`` as a ``SparseTensor``.

    >>> import scopeflow.compat.v1 as tf
    >>> sp = tf.sparse.from_dense(tf.constant([[0, 3], [4, 0]]))
    >>> print(tf.Session().run(sp.indices).tolist())
    [[0, 1], [1, 0]]
    """
    with name_scope(name, "dense_to_sparse"):
        tensor = convert_to_tensor(tensor)
        indices = where_v2(not_equal(tensor, zeros_like(tensor)))
        values = gather_nd(tensor, indices)
        dense = shape(tensor, out_type=dtypes.int64)
        return SparseTensor(indices, values, dense)


def sparse_transpose(sp_input: Any, perm: Any = None, name: str | None = None) -> SparseTensor:
    """``sp_input`` with its dimensions permuted by ``perm`` (reversed by default), reordered.

    >>> import scopeflow.compat.v1 as tf
    >>> sp = tf.SparseTensor([[0, 2]], [1.0], [2, 3])
    >>> print(tf.sparse_transpose(sp).shape)
    (3, 2)
    """
    with name_scope(name, "SparseTranspose", [sp_input]):
        if perm is None:
            r = sp_input.shape.ndims
            if r is not None:
                perm = (r - 1) - np.arange(0, r, 1)
            else:
                rt = _rank(sp_input.indices[0])
                perm = (rt - 1) - _range(0, rt, 1)
        indices = sp_input.indices
        transposed_indices = transpose(gather(transpose(indices), perm))
        perm_ = constant_value(convert_to_tensor(perm))
        if perm_ is not None and sp_input.get_shape().is_fully_defined():
            old = sp_input.get_shape().as_list()
            new_shape: Any = list(old)
            for i, p in enumerate(np.asarray(perm_).reshape(-1)):
                new_shape[i] = old[int(p)]
        else:
            new_shape = gather(sp_input.dense_shape, perm)
        st = SparseTensor(transposed_indices, sp_input.values, new_shape)
        return sparse_reorder(st)


__all__ = ["from_dense", "sparse_transpose"]
