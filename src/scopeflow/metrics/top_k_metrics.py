"""``tf.metrics`` precision/recall/average precision at k (and ``_at_top_k``), dense labels.

Variables and values are TF's: ``precision_at_<k>/true_positive_at_<k>`` and
``.../false_positive_at_<k>`` (``false_negative_at_<k>`` for recall), float64, with
``_class<id>`` suffixes when ``class_id`` is given. A row's true positives are the distinct
label values among its top-k predictions, false positives the top-k ids that are not labels,
false negatives the distinct labels outside the top k (TF's set semantics). Labels may be dense
or a ``SparseTensor`` (multi-label rows of different lengths).

Differences from TensorFlow: TF computes the counts with set ops on ``SparseTensor``s
(``set_intersection``/``set_difference``/``set_size``); scopeflow compares the dense
``[batch, k]`` ids with the (densified) labels directly, which gives the same counts but other
intermediate ops.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from scopeflow._core import dtypes
from scopeflow._core.name_scope import name_scope
from scopeflow.errors import UnsupportedError
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.tensor import Tensor
from scopeflow.metrics._common import add_to_collections, broadcast_weights, metric_variable
from scopeflow.ops import array_ops, creation_ops, math_ops, reduction_ops, shape_ops, state_ops
from scopeflow.ops.control_flow_ops import cond
from scopeflow.ops.gather_scatter_ops import where
from scopeflow.ops.reduction_ops import top_k
from scopeflow.ops.sparse_ops import SparseTensor, sparse_tensor_to_dense


def _at_k_name(name: str, k: int | None = None, class_id: int | None = None) -> str:
    name = f"{name}_at_{k}" if k is not None else f"{name}_at_k"
    if class_id is not None:
        name = f"{name}_class{class_id}"
    return name


class _Labels(NamedTuple):
    """Labels as a dense int64 tensor; ``valid`` marks real entries (None: all are real)."""

    values: Tensor
    valid: Tensor | None


def _mask(t: Tensor, valid: Tensor | None) -> Tensor:
    return t if valid is None else math_ops.logical_and(t, valid)


def _dense_labels(labels: Any, predictions_idx: Tensor) -> _Labels:
    """TF's ``_maybe_expand_labels``; a ``SparseTensor`` becomes dense values and a mask."""
    with name_scope(None, "expand_labels", (labels, predictions_idx)) as scope:
        p_rank = predictions_idx._shape.ndims
        if hasattr(labels, "indices") and hasattr(labels, "dense_shape"):
            sp = labels if isinstance(labels, SparseTensor) else SparseTensor.from_value(labels)
            values = sparse_tensor_to_dense(
                SparseTensor(sp.indices, math_ops.cast(sp.values, dtypes.int64), sp.dense_shape),
                default_value=-1,
            )
            ones = array_ops.ones_like(sp.values, dtype=dtypes.int32)
            valid = math_ops.cast(
                sparse_tensor_to_dense(SparseTensor(sp.indices, ones, sp.dense_shape)), dtypes.bool
            )
            l_rank = sp.dense_shape._shape.as_list()[0]
            if p_rank is not None and l_rank is not None and p_rank == l_rank + 1:
                return _Labels(shape_ops.expand_dims(values, -1), shape_ops.expand_dims(valid, -1))
            return _Labels(values, valid)
        labels = convert_to_tensor(labels)
        l_rank = labels._shape.ndims
        if l_rank is None or p_rank is None:
            raise UnsupportedError("labels or predictions of unknown rank in metrics at k")
        if p_rank == l_rank:
            return _Labels(math_ops.cast(labels, dtypes.int64), None)
        if p_rank == l_rank + 1:
            expanded = shape_ops.expand_dims(labels, -1, name=scope)
            return _Labels(math_ops.cast(expanded, dtypes.int64), None)
        raise ValueError(
            f"Unexpected labels shape {labels._shape} for predictions shape "
            f"{predictions_idx._shape}. Predictions rank should be the same rank as labels rank "
            "or labels rank plus one ."
        )


def _first_occurrences(labels: _Labels) -> Tensor:
    """``[..., n]`` bool: the entry is a real label not seen earlier in its row (set semantics)."""
    values = labels.values
    same = math_ops.equal(shape_ops.expand_dims(values, -1), shape_ops.expand_dims(values, -2))
    same = _mask(same, None if labels.valid is None else shape_ops.expand_dims(labels.valid, -2))
    r = creation_ops.range(array_ops.shape(values)[-1])
    earlier = math_ops.less(shape_ops.expand_dims(r, 0), shape_ops.expand_dims(r, 1))
    dup = reduction_ops.reduce_any(math_ops.logical_and(same, earlier), -1)
    return _mask(math_ops.logical_not(dup), labels.valid)


def _membership(labels: _Labels, top_k_idx: Tensor) -> Tensor:
    """``[..., k, n]`` bool: top-k id i equals real label j."""
    values = labels.values
    eq = math_ops.equal(shape_ops.expand_dims(top_k_idx, -1), shape_ops.expand_dims(values, -2))
    return _mask(eq, None if labels.valid is None else shape_ops.expand_dims(labels.valid, -2))


def _row_counts(labels: _Labels, top_k_idx: Tensor, class_id: int | None, kind: str) -> Tensor:
    """Per-row float64 counts of ``kind`` in {"tp", "fp", "fn"} (TF's set semantics)."""
    if class_id is not None:
        in_top = reduction_ops.reduce_any(math_ops.equal(top_k_idx, class_id), -1)
        in_labels = reduction_ops.reduce_any(
            _mask(math_ops.equal(labels.values, class_id), labels.valid), -1
        )
        pairs = {
            "tp": math_ops.logical_and(in_top, in_labels),
            "fp": math_ops.logical_and(in_top, math_ops.logical_not(in_labels)),
            "fn": math_ops.logical_and(in_labels, math_ops.logical_not(in_top)),
        }
        return math_ops.cast(pairs[kind], dtypes.float64)
    eq = _membership(labels, top_k_idx)
    if kind in ("tp", "fp"):
        id_is_label = reduction_ops.reduce_any(eq, -1)
        hit = id_is_label if kind == "tp" else math_ops.logical_not(id_is_label)
        return reduction_ops.reduce_sum(math_ops.cast(hit, dtypes.float64), -1)
    label_in_top = reduction_ops.reduce_any(eq, -2)
    miss = math_ops.logical_and(_first_occurrences(labels), math_ops.logical_not(label_in_top))
    return reduction_ops.reduce_sum(math_ops.cast(miss, dtypes.float64), -1)


def _streaming_count(labels: _Labels, top_k_idx: Tensor, k: int | None, class_id: int | None,
                     weights: Any, kind: str, var_name: str) -> tuple[Any, Tensor]:  # fmt: skip
    with name_scope(
        None, _at_k_name(var_name, k, class_id), (top_k_idx, labels.values, weights)
    ) as scope:
        counts = _row_counts(labels, top_k_idx, class_id, kind)
        if weights is not None:
            counts = math_ops.multiply(counts, math_ops.cast(weights, dtypes.float64))
        batch_total = math_ops.cast(reduction_ops.reduce_sum(counts), dtypes.float64)
        var = metric_variable([], dtypes.float64, name=scope)
        return var, state_ops.assign_add(var, batch_total, name="update")


def _at_top_k(kind: str, other_kind: str, other_name: str, labels: Any, predictions_idx: Any,
              k: int | None, class_id: int | None, weights: Any, metrics_collections: Any,
              updates_collections: Any, name: str | None) -> tuple[Tensor, Tensor]:  # fmt: skip
    with name_scope(
        name, _at_k_name(kind, k, class_id), (predictions_idx, labels, weights)
    ) as scope:
        predictions_idx = convert_to_tensor(predictions_idx)
        rank = predictions_idx._shape.ndims
        if rank is not None and rank < 2:  # TF's set ops' shape function
            raise ValueError(
                f"Shape must be at least rank 2 but is rank {rank} for "
                "'DenseToSparseSetOperation' (the top-k ids of metrics at k)"
            )
        labels = _dense_labels(labels, predictions_idx)
        top_k_idx = math_ops.cast(predictions_idx, dtypes.int64)
        tp, tp_update = _streaming_count(labels, top_k_idx, k, class_id, weights, "tp",
                                         "true_positive")  # fmt: skip
        o, o_update = _streaming_count(labels, top_k_idx, k, class_id, weights, other_kind,
                                       other_name)  # fmt: skip
        metric = math_ops.divide(tp, math_ops.add(tp, o), name=scope)
        add_to_collections(metrics_collections, metric)
        update = math_ops.divide(tp_update, math_ops.add(tp_update, o_update), name="update")
        add_to_collections(updates_collections, update)
        return metric, update


def precision_at_top_k(labels: Any, predictions_idx: Any, k: int | None = None,
                       class_id: int | None = None, weights: Any = None,
                       metrics_collections: Any = None, updates_collections: Any = None,
                       name: str | None = None) -> tuple[Tensor, Tensor]:  # fmt: skip
    """Precision of given top-k ids ``predictions_idx`` against ``labels``.

    >>> import scopeflow.compat.v1 as tf
    >>> tf.metrics.precision_at_top_k([[1]], [[1, 2]], k=2)[1].name
    'precision_at_2/update:0'
    """
    return _at_top_k("precision", "fp", "false_positive", labels, predictions_idx, k, class_id,
                     weights, metrics_collections, updates_collections, name)  # fmt: skip


def recall_at_top_k(labels: Any, predictions_idx: Any, k: int | None = None,
                    class_id: int | None = None, weights: Any = None,
                    metrics_collections: Any = None, updates_collections: Any = None,
                    name: str | None = None) -> tuple[Tensor, Tensor]:  # fmt: skip
    """Recall of given top-k ids ``predictions_idx`` against ``labels``.

    >>> import scopeflow.compat.v1 as tf
    >>> tf.metrics.recall_at_top_k([[1]], [[1, 2]], k=2)[1].name
    'recall_at_2/update:0'
    """
    return _at_top_k("recall", "fn", "false_negative", labels, predictions_idx, k, class_id,
                     weights, metrics_collections, updates_collections, name)  # fmt: skip


def precision_at_k(labels: Any, predictions: Any, k: int, class_id: int | None = None,
                   weights: Any = None, metrics_collections: Any = None,
                   updates_collections: Any = None,
                   name: str | None = None) -> tuple[Tensor, Tensor]:  # fmt: skip
    """Precision of the top ``k`` logits of ``predictions`` against integer ``labels``.

    >>> import scopeflow.compat.v1 as tf
    >>> _ = tf.metrics.precision_at_k(tf.constant([[1]], tf.int64), tf.ones([1, 3]), k=1)
    >>> [v.name for v in tf.local_variables()]
    ['precision_at_1/true_positive_at_1:0', 'precision_at_1/false_positive_at_1:0']
    """
    with name_scope(name, _at_k_name("precision", k, class_id),
                    (predictions, labels, weights)) as scope:  # fmt: skip
        _, top_k_idx = top_k(predictions, k)
        return precision_at_top_k(labels, top_k_idx, k, class_id, weights, metrics_collections,
                                  updates_collections, scope)  # fmt: skip


def recall_at_k(labels: Any, predictions: Any, k: int, class_id: int | None = None,
                weights: Any = None, metrics_collections: Any = None,
                updates_collections: Any = None,
                name: str | None = None) -> tuple[Tensor, Tensor]:  # fmt: skip
    """Recall of the top ``k`` logits of ``predictions`` against integer ``labels``.

    >>> import scopeflow.compat.v1 as tf
    >>> _ = tf.metrics.recall_at_k(tf.constant([[1]], tf.int64), tf.ones([1, 3]), k=1)
    >>> [v.name for v in tf.local_variables()]
    ['recall_at_1/true_positive_at_1:0', 'recall_at_1/false_negative_at_1:0']
    """
    with name_scope(name, _at_k_name("recall", k, class_id),
                    (predictions, labels, weights)) as scope:  # fmt: skip
        _, top_k_idx = top_k(predictions, k)
        return recall_at_top_k(labels, top_k_idx, k, class_id, weights, metrics_collections,
                               updates_collections, scope)  # fmt: skip


def sparse_precision_at_k(labels: Any, predictions: Any, k: int, class_id: int | None = None,
                          weights: Any = None, metrics_collections: Any = None,
                          updates_collections: Any = None,
                          name: str | None = None) -> tuple[Tensor, Tensor]:  # fmt: skip
    """Deprecated alias of ``precision_at_k`` (TF's ``tf.metrics.sparse_precision_at_k``).

    >>> import scopeflow.compat.v1 as tf
    >>> tf.metrics.sparse_precision_at_k([[1]], tf.ones([1, 3]), k=2)[1].name
    'precision_at_2/update:0'
    """
    return precision_at_k(labels, predictions, k, class_id, weights, metrics_collections,
                          updates_collections, name)  # fmt: skip


def _clean_out_of_range(labels: Tensor, num_classes: Tensor) -> Tensor:
    """Labels ``>= num_classes`` become -1 (TF's ``_clean_out_of_range_indices``)."""
    max_labels = reduction_ops.reduce_max(labels)

    def clean() -> Tensor:
        return where(
            math_ops.greater_equal(labels, math_ops.cast(num_classes, labels._dtype.base_dtype)),
            math_ops.multiply(-1, array_ops.ones_like(labels)),
            labels,
        )

    return cond(  # type: ignore[no-any-return]
        math_ops.greater_equal(math_ops.cast(max_labels, dtypes.int64), num_classes),
        clean,
        lambda: labels,
    )


def _average_precision(labels: _Labels, top_k_idx: Tensor, k: int) -> Tensor:
    """Per-row average precision of the top-k ids (TF's ``_sparse_average_precision_at_top_k``)."""
    with name_scope(None, "average_precision", (top_k_idx, labels.values)) as scope:
        relevant = math_ops.cast(
            reduction_ops.reduce_any(_membership(labels, top_k_idx), -1), dtypes.float64
        )
        tp_per_k = reduction_ops.cumsum(relevant, axis=-1)
        retrieved_per_k = reduction_ops.cumsum(array_ops.ones_like(relevant), axis=-1)
        precision_per_k = math_ops.divide(tp_per_k, retrieved_per_k)
        precision_sum = reduction_ops.reduce_sum(math_ops.multiply(precision_per_k, relevant), -1)
        if labels.valid is None:  # TF counts a dense row's non-negative entries
            counted = math_ops.greater_equal(labels.values, 0)
        else:  # and a sparse row's distinct values (set_size)
            counted = _first_occurrences(labels)
        num_labels = reduction_ops.reduce_sum(math_ops.cast(counted, dtypes.int64), -1)
        num_relevant = math_ops.cast(math_ops.minimum(num_labels, k), dtypes.float64)
        return math_ops.divide(precision_sum, num_relevant, name=scope)


def average_precision_at_k(labels: Any, predictions: Any, k: int, weights: Any = None,
                           metrics_collections: Any = None, updates_collections: Any = None,
                           name: str | None = None) -> tuple[Tensor, Tensor]:  # fmt: skip
    """The running mean average precision of the top ``k`` predictions.

    Variables ``average_precision_at_<k>/max_1`` (TF's name: its label-range check's ``Max`` op
    takes ``max`` first) and ``.../total``, float64. Labels at or above the number of classes
    count as absent, as TF's ``_clean_out_of_range_indices`` makes them.

    >>> import scopeflow.compat.v1 as tf
    >>> _ = tf.metrics.average_precision_at_k(tf.constant([[1]], tf.int64), tf.ones([1, 3]), 2)
    >>> [v.name for v in tf.local_variables()]
    ['average_precision_at_2/max_1:0', 'average_precision_at_2/total:0']
    """
    if k < 1:
        raise ValueError(f"Invalid k={k}. `k` should be >= 1.")
    with name_scope(name, _at_k_name("average_precision", k),
                    (predictions, labels, weights)) as scope:  # fmt: skip
        predictions = convert_to_tensor(predictions)
        _, top_k_idx = top_k(predictions, k)
        top_k_idx = math_ops.cast(top_k_idx, dtypes.int64)
        num_classes = math_ops.cast(array_ops.shape(predictions)[-1], dtypes.int64)
        if hasattr(labels, "indices") and hasattr(labels, "dense_shape"):
            sp = labels if isinstance(labels, SparseTensor) else SparseTensor.from_value(labels)
            cleaned = _clean_out_of_range(sp.values, num_classes)
            labels = SparseTensor(sp.indices, cleaned, sp.dense_shape)
        else:
            labels = _clean_out_of_range(convert_to_tensor(labels), num_classes)
        average_precision = _average_precision(_dense_labels(labels, top_k_idx), top_k_idx, k)
        return _accumulate_average_precision(
            average_precision, weights, scope, metrics_collections, updates_collections
        )


def _accumulate_average_precision(average_precision: Tensor, weights: Any, scope: str,
                                  metrics_collections: Any,
                                  updates_collections: Any) -> tuple[Tensor, Tensor]:  # fmt: skip
    """The float64 ``max``/``total`` accumulators of the per-row average precisions."""
    from scopeflow.ops.math_ops import div_no_nan  # noqa: PLC0415

    if weights is not None:
        weights = broadcast_weights(math_ops.cast(weights, dtypes.float64), average_precision)
        average_precision = math_ops.multiply(average_precision, weights)
    with name_scope(None, "max", (average_precision,)) as max_scope:
        max_var = metric_variable([], dtypes.float64, name=max_scope)
        if weights is None:
            batch_max = math_ops.cast(
                array_ops.size(average_precision, name="batch_max"), dtypes.float64
            )
        else:
            batch_max = reduction_ops.reduce_sum(weights, name="batch_max")
        max_update = state_ops.assign_add(max_var, batch_max, name="update")
    with name_scope(None, "total", (average_precision,)) as total_scope:
        total_var = metric_variable([], dtypes.float64, name=total_scope)
        batch_total = reduction_ops.reduce_sum(average_precision, name="batch_total")
        total_update = state_ops.assign_add(total_var, batch_total, name="update")
    mean_average_precision = div_no_nan(total_var, max_var, name="mean")
    add_to_collections(metrics_collections, mean_average_precision)
    update = div_no_nan(total_update, max_update, name=scope)
    add_to_collections(updates_collections, update)
    return mean_average_precision, update


def _streaming_sparse_average_precision_at_top_k(
    labels: Any, predictions_idx: Any, weights: Any = None, metrics_collections: Any = None,
    updates_collections: Any = None, name: str | None = None,
) -> tuple[Tensor, Tensor]:  # fmt: skip
    """The running mean average precision of given top-k ids (TF's private metrics_impl one).

    Differences from TensorFlow: the ``predictions_idx`` cast is built before the
    ``average_precision`` scope, not inside it (variable and result names are TF's).

    Raises:
        ValueError: ``predictions_idx`` is a scalar or its last dimension is unknown.
    """
    with name_scope(name, "average_precision_at_top_k",
                    (predictions_idx, labels, weights)) as scope:  # fmt: skip
        top_k_idx = math_ops.cast(predictions_idx, dtypes.int64, name="predictions_idx")
        if top_k_idx._shape.ndims == 0:
            raise ValueError("The rank of predictions_idx must be at least 1.")
        k = top_k_idx._shape.as_list()[-1]
        if k is None:
            raise ValueError(
                f"The last dimension of predictions_idx must be set. Currently: {top_k_idx._shape}"
            )
        average_precision = _average_precision(_dense_labels(labels, top_k_idx), top_k_idx, k)
        return _accumulate_average_precision(
            average_precision, weights, scope, metrics_collections, updates_collections
        )


def sparse_average_precision_at_k(labels: Any, predictions: Any, k: int, weights: Any = None,
                                  metrics_collections: Any = None,
                                  updates_collections: Any = None,
                                  name: str | None = None) -> tuple[Tensor, Tensor]:  # fmt: skip
    """Deprecated alias of ``average_precision_at_k``.

    >>> import scopeflow.compat.v1 as tf
    >>> m = tf.metrics.sparse_average_precision_at_k([[1]], tf.ones([1, 3]), 2)
    >>> m[0].name
    'average_precision_at_2/mean:0'
    """
    return average_precision_at_k(labels, predictions, k, weights, metrics_collections,
                                  updates_collections, name)  # fmt: skip


__all__ = [
    "average_precision_at_k",
    "precision_at_k",
    "precision_at_top_k",
    "recall_at_k",
    "recall_at_top_k",
    "sparse_average_precision_at_k",
    "sparse_precision_at_k",
]
