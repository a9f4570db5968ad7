"""Embedding lookups of ``SparseTensor`` ids.

``embedding_lookup_sparse`` and ``safe_embedding_lookup_sparse``: TF 1.15's compositions, rebuilt
from scopeflow ops.

``embedding_lookup_sparse`` gathers the unique ids' rows and combines each row of ``sp_ids``
with ``combiner`` ``"sum"``, ``"mean"`` or ``"sqrtn"``: ``SparseSegment{Sum,Mean,SqrtN}``
without weights; with weights, the rows times their weights, ``SegmentSum`` and division by the
summed weights (``mean``) or the root of the summed squared weights (``sqrtn``).
A row without ids divides 0 by 0 (NaN) under ``mean``/``sqrtn`` with weights, as TF 1.15's
``divide`` does (TF 2 switched to ``div_no_nan``); ``safe_embedding_lookup_sparse`` never has
such rows. ``safe_embedding_lookup_sparse`` first flattens ids of rank > 2 to 2-D, drops ids
< 0 (and, unless the combiner is ``sum``, weights <= 0), fills empty rows with id 0 and zeroes their
results (or uses ``default_id``), and restores the leading shape.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.errors import UnsupportedError
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.tensor import Tensor
from scopeflow.ops._math_common import _scope
from scopeflow.ops._op_builder import shape_from_tensor
from scopeflow.ops.array_ops import (
    concat,
    fill,
    ones_like,
    rank,
    reshape,
    shape,
    size,
    slice,
    stack,
    zeros_like,
)
from scopeflow.ops.embedding_ops import embedding_lookup
from scopeflow.ops.gather_scatter_ops import gather, unique, where
from scopeflow.ops.math_ops import cast, div, greater, greater_equal, logical_and, multiply, pow
from scopeflow.ops.reduction_ops import reduce_prod
from scopeflow.ops.segment_ops import (
    segment_sum,
    sparse_segment_mean,
    sparse_segment_sqrt_n,
    sparse_segment_sum,
)
from scopeflow.ops.shape_ops import expand_dims, tile
from scopeflow.ops.sparse_ops import SparseTensor
from scopeflow.ops.sparse_reshape_ops import sparse_fill_empty_rows, sparse_reshape, sparse_retain
from scopeflow.ops.unary_ops import sqrt

_COMBINERS = ("mean", "sqrtn", "sum")


def _check_combiner(combiner: str | None) -> str:
    if combiner is None:
        combiner = "mean"
    if combiner not in _COMBINERS:
        raise ValueError('combiner must be one of "mean", "sqrtn" or "sum"')
    return combiner


def _params_list(params: Any) -> list[Any]:
    if isinstance(params, list | tuple):
        return list(params)
    if hasattr(params, "_get_variable_list"):
        return list(params._get_variable_list())
    return [params]


def embedding_lookup_sparse(
    params: Any,
    sp_ids: Any,
    sp_weights: Any,
    partition_strategy: str = "mod",
    name: str | None = None,
    combiner: str | None = None,
    max_norm: float | None = None,
) -> Tensor:
    """Combined embeddings of each row of ``sp_ids`` (``tf.nn.embedding_lookup_sparse``).

    >>> import scopeflow.compat.v1 as tf
    >>> ids = tf.SparseTensor([[0, 0], [0, 1]], tf.constant([0, 2], tf.int64), [1, 2])
    >>> e = tf.nn.embedding_lookup_sparse(tf.eye(3), ids, None, combiner="sum")
    >>> print(tf.Session().run(e))
    [[1. 0. 1.]]
    """
    combiner = _check_combiner(combiner)
    if max_norm is not None:
        raise UnsupportedError("embedding_lookup_sparse(max_norm=...)")
    params = _params_list(params)
    if not isinstance(sp_ids, SparseTensor):
        raise TypeError("sp_ids must be SparseTensor")
    ignore_weights = sp_weights is None
    if not ignore_weights and not isinstance(sp_weights, SparseTensor):
        raise TypeError("sp_weights must be either None or SparseTensor")
    g = get_default_graph()
    with g.name_scope(_scope(name, "embedding_lookup_sparse")):
        segment_ids = slice(sp_ids.indices, [0, 0], [-1, 1])
        segment_ids = reshape(segment_ids, [-1])
        if segment_ids.dtype.base_dtype != dtypes.int32:
            segment_ids = cast(segment_ids, dtypes.int32)
        ids = sp_ids.values
        ids, idx = unique(ids)
        embeddings = embedding_lookup(params, ids, partition_strategy=partition_strategy)
        if not ignore_weights:
            weights = sp_weights.values
            if weights.dtype.base_dtype != embeddings.dtype.base_dtype:
                weights = cast(weights, embeddings.dtype.base_dtype)
            embeddings = gather(embeddings, idx)
            ones = fill(expand_dims(rank(embeddings) - 1, 0), 1)
            bcast = concat([shape(weights), ones], 0)
            orig = weights._shape
            weights = reshape(weights, bcast)
            if embeddings._shape.ndims is not None and orig.ndims is not None:
                weights.set_shape(TensorShape(orig.as_list() + [1] * (embeddings._shape.ndims - 1)))
            embeddings = multiply(embeddings, weights)
            if combiner == "sum":
                return segment_sum(embeddings, segment_ids, name=name)
            embeddings = segment_sum(embeddings, segment_ids)
            if combiner == "mean":
                weight_sum = segment_sum(weights, segment_ids)
                return div(embeddings, weight_sum, name=name)
            weight_sum = segment_sum(pow(weights, 2), segment_ids)
            return div(embeddings, sqrt(weight_sum), name=name)
        if combiner == "sum":
            return sparse_segment_sum(embeddings, idx, segment_ids, name=name)
        if combiner == "mean":
            return sparse_segment_mean(embeddings, idx, segment_ids, name=name)
        return sparse_segment_sqrt_n(embeddings, idx, segment_ids, name=name)


def _prune_invalid_ids(sp_ids: SparseTensor, sp_weights: Any) -> tuple[SparseTensor, Any]:
    is_id_valid = greater_equal(sp_ids.values, 0)
    if sp_weights is not None:
        is_id_valid = logical_and(is_id_valid, ones_like(sp_weights.values, dtype=dtypes.bool))
    sp_ids = sparse_retain(sp_ids, is_id_valid)
    if sp_weights is not None:
        sp_weights = sparse_retain(sp_weights, is_id_valid)
    return sp_ids, sp_weights


def _prune_invalid_weights(sp_ids: SparseTensor, sp_weights: Any) -> tuple[SparseTensor, Any]:
    if sp_weights is not None:
        is_weights_valid = greater(sp_weights.values, 0)
        sp_ids = sparse_retain(sp_ids, is_weights_valid)
        sp_weights = sparse_retain(sp_weights, is_weights_valid)
    return sp_ids, sp_weights


def safe_embedding_lookup_sparse(
    embedding_weights: Any,
    sparse_ids: Any,
    sparse_weights: Any = None,
    combiner: str = "mean",
    default_id: int | None = None,
    name: str | None = None,
    partition_strategy: str = "div",
    max_norm: float | None = None,
) -> Tensor:
    """``embedding_lookup_sparse`` robust to invalid ids and empty rows (TF 1.15's).

    >>> import scopeflow.compat.v1 as tf
    >>> ids = tf.SparseTensor([[0, 0], [2, 0]], tf.constant([1, -1], tf.int64), [3, 1])
    >>> e = tf.nn.safe_embedding_lookup_sparse(tf.eye(2), ids)
    >>> print(tf.Session().run(e))
    [[0. 1.]
     [0. 0.]
     [0. 0.]]
    """
    if embedding_weights is None:
        raise ValueError(f"Missing embedding_weights {embedding_weights}.")
    weights_list = _params_list(embedding_weights)
    if not weights_list:
        raise ValueError(f"Missing embedding_weights {embedding_weights}.")
    g = get_default_graph()
    with g.name_scope(_scope(name, "embedding_lookup")) as scope:
        original_shape = sparse_ids.dense_shape
        rank_dim = sparse_ids.dense_shape._shape.dims
        original_rank_dim = rank_dim[0].value if rank_dim else None
        original_rank = size(original_shape) if original_rank_dim is None else original_rank_dim
        sparse_ids = sparse_reshape(
            sparse_ids,
            [
                reduce_prod(slice(original_shape, [0], [original_rank - 1])),
                gather(original_shape, original_rank - 1),
            ],
        )
        if sparse_weights is not None:
            sparse_weights = SparseTensor(
                sparse_ids.indices, sparse_weights.values, sparse_ids.dense_shape
            )
        sparse_ids, sparse_weights = _prune_invalid_ids(sparse_ids, sparse_weights)
        if combiner != "sum":
            sparse_ids, sparse_weights = _prune_invalid_weights(sparse_ids, sparse_weights)
        sparse_ids, is_row_empty = sparse_fill_empty_rows(sparse_ids, default_id or 0)
        if sparse_weights is not None:
            sparse_weights, _ = sparse_fill_empty_rows(sparse_weights, 1.0)
        result = embedding_lookup_sparse(
            weights_list,
            sparse_ids,
            sparse_weights,
            combiner=combiner,
            partition_strategy=partition_strategy,
            name=None if default_id is None else scope,
            max_norm=max_norm,
        )
        if default_id is None:
            is_row_empty = tile(reshape(is_row_empty, [-1, 1]), stack([1, shape(result)[1]]))
            result = where(is_row_empty, zeros_like(result), result, name=scope)
        final = reshape(
            result,
            concat(
                [
                    slice(cast(original_shape, dtypes.int32), [0], [original_rank - 1]),
                    slice(shape(result), [1], [-1]),
                ],
                0,
            ),
        )
        if isinstance(original_rank_dim, int) and result._shape.ndims is not None:
            lead = _static_lead(original_shape, original_rank_dim)
            final.set_shape(TensorShape([*lead, *result._shape.dims[1:]]))  # type: ignore[index]
        return final


def _static_lead(shape_t: Tensor, rank_: int) -> list[int | None]:
    s = shape_from_tensor(shape_t)
    if s.ndims is None:
        return [None] * (rank_ - 1)
    return [d.value for d in s.dims[: rank_ - 1]]  # type: ignore[index]


__all__ = ["embedding_lookup_sparse", "safe_embedding_lookup_sparse"]
