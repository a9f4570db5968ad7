"""``tf.contrib.metrics``' streaming metrics (TF 1.15's ``contrib/metrics/.../metric_ops.py``).

Most ``streaming_*`` functions are ``tf.metrics`` with the ``(predictions, labels)`` argument
order of the contrib API. Built here from TF 1.15's published definitions: the false
positive/negative rates (plain and at thresholds, with the per-threshold confusion counts
``_streaming_confusion_matrix_at_thresholds``), ``streaming_recall_at_k`` (the mean of
``in_top_k``, named ``recall_at_<k>``), ``streaming_covariance`` and
``streaming_pearson_correlation`` (the pairwise co-moment update),
``streaming_mean_cosine_distance``, ``_next_array_size`` (``streaming_concat``'s growth rule),
``count``, ``streaming_curve_points``, ``recall_at_precision``, ``precision_at_recall``,
``cohen_kappa``, ``precision_recall_at_equal_thresholds``, and ``aggregate_metrics`` /
``aggregate_metric_map``.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from scopeflow import metrics
from scopeflow._core import dtypes
from scopeflow._core.name_scope import name_scope
from scopeflow._core.variable_scope import variable_scope
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.tensor import Tensor
from scopeflow.metrics._common import (
    add_to_collections,
    broadcast_weights,
    metric_variable,
    remove_squeezable_dimensions,
)
from scopeflow.metrics.top_k_metrics import _streaming_sparse_average_precision_at_top_k
from scopeflow.ops import array_ops, math_ops, reduction_ops, shape_ops, state_ops, unary_ops
from scopeflow.ops.array_extra_ops import lin_space
from scopeflow.ops.check_ops import assert_greater_equal, assert_less_equal, assert_type
from scopeflow.ops.constant_op import constant
from scopeflow.ops.control_flow_ops import cond
from scopeflow.ops.gather_scatter_ops import where
from scopeflow.ops.math_ops import div_no_nan
from scopeflow.ops.matrix_extra_ops import diag_part
from scopeflow.ops.scatter_count_ops import confusion_matrix
from scopeflow.ops.state_scatter_ops import scatter_add
from scopeflow.ops.topk_ops import in_top_k

__all__ = [
    "aggregate_metric_map",
    "aggregate_metrics",
    "cohen_kappa",
    "count",
    "precision_at_recall",
    "precision_recall_at_equal_thresholds",
    "recall_at_precision",
    "sparse_recall_at_top_k",
    "streaming_accuracy",
    "streaming_auc",
    "streaming_covariance",
    "streaming_curve_points",
    "streaming_false_negative_rate",
    "streaming_false_negative_rate_at_thresholds",
    "streaming_false_negatives",
    "streaming_false_negatives_at_thresholds",
    "streaming_false_positive_rate",
    "streaming_false_positive_rate_at_thresholds",
    "streaming_false_positives",
    "streaming_false_positives_at_thresholds",
    "streaming_mean",
    "streaming_mean_absolute_error",
    "streaming_mean_cosine_distance",
    "streaming_mean_iou",
    "streaming_mean_relative_error",
    "streaming_mean_squared_error",
    "streaming_mean_tensor",
    "streaming_pearson_correlation",
    "streaming_percentage_less",
    "streaming_precision",
    "streaming_precision_at_thresholds",
    "streaming_recall",
    "streaming_recall_at_k",
    "streaming_recall_at_thresholds",
    "streaming_root_mean_squared_error",
    "streaming_sensitivity_at_specificity",
    "streaming_sparse_average_precision_at_k",
    "streaming_sparse_average_precision_at_top_k",
    "streaming_sparse_precision_at_k",
    "streaming_sparse_precision_at_top_k",
    "streaming_sparse_recall_at_k",
    "streaming_specificity_at_sensitivity",
    "streaming_true_negatives",
    "streaming_true_negatives_at_thresholds",
    "streaming_true_positives",
    "streaming_true_positives_at_thresholds",
]

_EPSILON = 1e-7
Pair = tuple[Any, Any]


def _swapped(metric: Any) -> Any:
    """``streaming_<m>(predictions, labels, weights, ...)`` for ``tf.metrics.<m>(labels, ...)``."""

    def streaming(predictions: Any, labels: Any, weights: Any = None,
                  metrics_collections: Any = None, updates_collections: Any = None,
                  name: str | None = None) -> Pair:  # fmt: skip
        return metric(labels=labels, predictions=predictions, weights=weights,
                      metrics_collections=metrics_collections,
                      updates_collections=updates_collections, name=name)  # fmt: skip

    streaming.__name__ = streaming.__qualname__ = f"streaming_{metric.__name__}"
    streaming.__doc__ = f"``tf.metrics.{metric.__name__}`` with predictions first."
    return streaming


streaming_true_positives = _swapped(metrics.true_positives)
streaming_true_negatives = _swapped(metrics.true_negatives)
streaming_false_positives = _swapped(metrics.false_positives)
streaming_false_negatives = _swapped(metrics.false_negatives)
streaming_accuracy = _swapped(metrics.accuracy)
streaming_precision = _swapped(metrics.precision)
streaming_recall = _swapped(metrics.recall)
streaming_mean_absolute_error = _swapped(metrics.mean_absolute_error)
streaming_mean_squared_error = _swapped(metrics.mean_squared_error)
streaming_root_mean_squared_error = _swapped(metrics.root_mean_squared_error)


def streaming_mean(values: Any, weights: Any = None, metrics_collections: Any = None,
                   updates_collections: Any = None, name: str | None = None) -> Pair:  # fmt: skip
    """``tf.metrics.mean``."""
    return metrics.mean(values=values, weights=weights, metrics_collections=metrics_collections,
                        updates_collections=updates_collections, name=name)  # fmt: skip


def streaming_mean_tensor(values: Any, weights: Any = None, metrics_collections: Any = None,
                          updates_collections: Any = None,
                          name: str | None = None) -> Pair:  # fmt: skip
    """``tf.metrics.mean_tensor``."""
    return metrics.mean_tensor(values=values, weights=weights,
                               metrics_collections=metrics_collections,
                               updates_collections=updates_collections, name=name)  # fmt: skip


def streaming_auc(predictions: Any, labels: Any, weights: Any = None, num_thresholds: int = 200,
                  metrics_collections: Any = None, updates_collections: Any = None,
                  curve: str = "ROC", name: str | None = None) -> Pair:  # fmt: skip
    """``tf.metrics.auc`` (trapezoidal) with predictions first."""
    return metrics.auc(labels=labels, predictions=predictions, weights=weights,
                       num_thresholds=num_thresholds, metrics_collections=metrics_collections,
                       updates_collections=updates_collections, curve=curve, name=name)  # fmt: skip


def streaming_specificity_at_sensitivity(
    predictions: Any, labels: Any, sensitivity: float, weights: Any = None,
    num_thresholds: int = 200, metrics_collections: Any = None, updates_collections: Any = None,
    name: str | None = None,
) -> Pair:  # fmt: skip
    """``tf.metrics.specificity_at_sensitivity`` with predictions first."""
    return metrics.specificity_at_sensitivity(
        labels=labels, predictions=predictions, sensitivity=sensitivity, weights=weights,
        num_thresholds=num_thresholds, metrics_collections=metrics_collections,
        updates_collections=updates_collections, name=name,
    )  # fmt: skip


def streaming_sensitivity_at_specificity(
    predictions: Any, labels: Any, specificity: float, weights: Any = None,
    num_thresholds: int = 200, metrics_collections: Any = None, updates_collections: Any = None,
    name: str | None = None,
) -> Pair:  # fmt: skip
    """``tf.metrics.sensitivity_at_specificity`` with predictions first."""
    return metrics.sensitivity_at_specificity(
        labels=labels, predictions=predictions, specificity=specificity, weights=weights,
        num_thresholds=num_thresholds, metrics_collections=metrics_collections,
        updates_collections=updates_collections, name=name,
    )  # fmt: skip


def _thresholds_swapped(metric: Any) -> Any:
    def streaming(predictions: Any, labels: Any, thresholds: Any, weights: Any = None,
                  metrics_collections: Any = None, updates_collections: Any = None,
                  name: str | None = None) -> Pair:  # fmt: skip
        return metric(labels=labels, predictions=predictions, thresholds=thresholds,
                      weights=weights, metrics_collections=metrics_collections,
                      updates_collections=updates_collections, name=name)  # fmt: skip

    streaming.__name__ = streaming.__qualname__ = f"streaming_{metric.__name__}"
    streaming.__doc__ = f"``tf.metrics.{metric.__name__}`` with predictions first."
    return streaming


streaming_precision_at_thresholds = _thresholds_swapped(metrics.precision_at_thresholds)
streaming_recall_at_thresholds = _thresholds_swapped(metrics.recall_at_thresholds)


def _rate(kind: str, numerator_metric: Any, other_metric: Any, predictions: Any, labels: Any,
          weights: Any, metrics_collections: Any, updates_collections: Any,
          name: str | None) -> Pair:  # fmt: skip
    with variable_scope(name, f"false_{kind}_rate", (predictions, labels, weights)):
        predictions, labels_sq, weights = remove_squeezable_dimensions(
            math_ops.cast(predictions, dtypes.bool), math_ops.cast(labels, dtypes.bool), weights
        )
        num, num_update = numerator_metric(labels=labels_sq, predictions=predictions,
                                           weights=weights)  # fmt: skip
        other, other_update = other_metric(labels=labels_sq, predictions=predictions,
                                           weights=weights)  # fmt: skip

        def compute(a: Any, b: Any, op_name: str) -> Tensor:
            return where(math_ops.greater(a + b, 0), math_ops.div(a, a + b), 0, op_name)

        value = compute(num, other, "value")
        update_op = compute(num_update, other_update, "update_op")
        if metrics_collections:
            add_to_collections(metrics_collections, value)
        if updates_collections:
            add_to_collections(updates_collections, update_op)
        return value, update_op


def streaming_false_positive_rate(predictions: Any, labels: Any, weights: Any = None,
                                  metrics_collections: Any = None,
                                  updates_collections: Any = None,
                                  name: str | None = None) -> Pair:  # fmt: skip
    """``fp / (fp + tn)`` (0 when there are none), streamed."""
    return _rate("positive", metrics.false_positives, metrics.true_negatives, predictions,
                 labels, weights, metrics_collections, updates_collections, name)  # fmt: skip


def streaming_false_negative_rate(predictions: Any, labels: Any, weights: Any = None,
                                  metrics_collections: Any = None,
                                  updates_collections: Any = None,
                                  name: str | None = None) -> Pair:  # fmt: skip
    """``fn / (fn + tp)`` (0 when there are none), streamed."""
    return _rate("negative", metrics.false_negatives, metrics.true_positives, predictions,
                 labels, weights, metrics_collections, updates_collections, name)  # fmt: skip


_CONFUSION_KEYS = ("tp", "fn", "tn", "fp")
_CONFUSION_NAMES = {"tp": "true_positives", "fn": "false_negatives", "tn": "true_negatives",
                    "fp": "false_positives"}  # fmt: skip


def _streaming_confusion_matrix_at_thresholds(
    predictions: Any, labels: Any, thresholds: Any, weights: Any = None, includes: Any = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Per-threshold ``tp``/``fn``/``tn``/``fp`` counts (``prediction > threshold``)."""
    if includes is None:
        includes = _CONFUSION_KEYS
    for include in includes:
        if include not in _CONFUSION_KEYS:
            raise ValueError(f"Invalid key: {include}.")
    predictions, labels, weights = remove_squeezable_dimensions(predictions, labels, weights)
    predictions.get_shape().assert_is_compatible_with(labels.get_shape())
    num_thresholds = len(thresholds)
    predictions_2d = array_ops.reshape(predictions, [-1, 1])
    labels_2d = array_ops.reshape(math_ops.cast(labels, dtypes.bool), [1, -1])
    num_predictions: Any = predictions_2d.get_shape().as_list()[0]
    if num_predictions is None:
        num_predictions = array_ops.shape(predictions_2d)[0]
    thresh_tiled = shape_ops.tile(
        shape_ops.expand_dims(constant(thresholds), [1]),
        array_ops.stack([1, num_predictions]),
    )
    pred_is_pos = math_ops.greater(
        shape_ops.tile(shape_ops.transpose(predictions_2d), [num_thresholds, 1]), thresh_tiled
    )
    pred_is_neg = math_ops.logical_not(pred_is_pos) if {"fn", "tn"} & set(includes) else None
    label_is_pos = shape_ops.tile(labels_2d, [num_thresholds, 1])
    label_is_neg = math_ops.logical_not(label_is_pos) if {"fp", "tn"} & set(includes) else None
    weights_tiled = None
    if weights is not None:
        broadcast = broadcast_weights(math_ops.cast(weights, dtypes.float32), predictions)
        weights_tiled = shape_ops.tile(array_ops.reshape(broadcast, [1, -1]), [num_thresholds, 1])
        thresh_tiled.get_shape().assert_is_compatible_with(weights_tiled.get_shape())
    conditions = {"tp": (label_is_pos, pred_is_pos), "fn": (label_is_pos, pred_is_neg),
                  "tn": (label_is_neg, pred_is_neg), "fp": (label_is_neg, pred_is_pos)}  # fmt: skip
    values: dict[str, Any] = {}
    update_ops: dict[str, Any] = {}
    for key in _CONFUSION_KEYS:
        if key not in includes:
            continue
        var = metric_variable([num_thresholds], dtypes.float32, name=_CONFUSION_NAMES[key])
        is_key = math_ops.cast(math_ops.logical_and(*conditions[key]), dtypes.float32)
        if weights_tiled is not None:
            is_key *= weights_tiled
        update_ops[key] = state_ops.assign_add(var, reduction_ops.reduce_sum(is_key, 1))
        values[key] = var
    return values, update_ops


def _count_at_thresholds(key: str) -> Any:
    def streaming(predictions: Any, labels: Any, thresholds: Any, weights: Any = None) -> Pair:
        values, update_ops = _streaming_confusion_matrix_at_thresholds(
            predictions, labels, thresholds, weights=weights, includes=(key,)
        )
        return values[key], update_ops[key]

    name = f"streaming_{_CONFUSION_NAMES[key]}_at_thresholds"
    streaming.__name__ = streaming.__qualname__ = name
    streaming.__doc__ = f"Per-threshold {_CONFUSION_NAMES[key].replace('_', ' ')}, streamed."
    return streaming


streaming_true_positives_at_thresholds = _count_at_thresholds("tp")
streaming_false_negatives_at_thresholds = _count_at_thresholds("fn")
streaming_false_positives_at_thresholds = _count_at_thresholds("fp")
streaming_true_negatives_at_thresholds = _count_at_thresholds("tn")


def _rate_at_thresholds(kind: str, keys: tuple[str, str], prefix: str, predictions: Any,
                        labels: Any, thresholds: Any, weights: Any, metrics_collections: Any,
                        updates_collections: Any, name: str | None) -> Pair:  # fmt: skip
    with variable_scope(name, f"false_{kind}_rate_at_thresholds", (predictions, labels, weights)):
        values, update_ops = _streaming_confusion_matrix_at_thresholds(
            predictions, labels, thresholds, weights, includes=keys
        )
        a, b = keys

        def compute(x: Any, y: Any, op_name: str) -> Tensor:
            return math_ops.div(x, _EPSILON + x + y, name=f"{prefix}_{op_name}")

        value = compute(values[a], values[b], "value")
        update_op = compute(update_ops[a], update_ops[b], "update_op")
        if metrics_collections:
            add_to_collections(metrics_collections, value)
        if updates_collections:
            add_to_collections(updates_collections, update_op)
        return value, update_op


def streaming_false_positive_rate_at_thresholds(
    predictions: Any, labels: Any, thresholds: Any, weights: Any = None,
    metrics_collections: Any = None, updates_collections: Any = None, name: str | None = None,
) -> Pair:  # fmt: skip
    """``fp / (fp + tn + 1e-7)`` per threshold, streamed."""
    return _rate_at_thresholds("positive", ("fp", "tn"), "fpr", predictions, labels, thresholds,
                               weights, metrics_collections, updates_collections, name)  # fmt: skip


def streaming_false_negative_rate_at_thresholds(
    predictions: Any, labels: Any, thresholds: Any, weights: Any = None,
    metrics_collections: Any = None, updates_collections: Any = None, name: str | None = None,
) -> Pair:  # fmt: skip
    """``fn / (fn + tp + 1e-7)`` per threshold, streamed."""
    return _rate_at_thresholds("negative", ("fn", "tp"), "fnr", predictions, labels, thresholds,
                               weights, metrics_collections, updates_collections, name)  # fmt: skip


def _at_k_name(name: str, k: int | None = None, class_id: int | None = None) -> str:
    name = f"{name}_at_{k}" if k is not None else f"{name}_at_k"
    if class_id is not None:
        name = f"{name}_class{class_id}"
    return name


def streaming_recall_at_k(predictions: Any, labels: Any, k: int, weights: Any = None,
                          metrics_collections: Any = None, updates_collections: Any = None,
                          name: str | None = None) -> Pair:  # fmt: skip
    """The streamed mean of ``in_top_k(predictions, labels, k)`` (``recall_at_<k>``)."""
    hits = math_ops.cast(in_top_k(predictions, labels, k), dtypes.float32)
    return streaming_mean(hits, weights, metrics_collections, updates_collections,
                          name or _at_k_name("recall", k))  # fmt: skip


def _k_swapped(metric: Any, contrib_name: str) -> Any:
    def streaming(predictions: Any, labels: Any, k: int, class_id: int | None = None,
                  weights: Any = None, metrics_collections: Any = None,
                  updates_collections: Any = None, name: str | None = None) -> Pair:  # fmt: skip
        return metric(labels=labels, predictions=predictions, k=k, class_id=class_id,
                      weights=weights, metrics_collections=metrics_collections,
                      updates_collections=updates_collections, name=name)  # fmt: skip

    streaming.__name__ = streaming.__qualname__ = contrib_name
    streaming.__doc__ = f"``tf.metrics.{metric.__name__}`` with predictions first."
    return streaming


streaming_sparse_recall_at_k = _k_swapped(metrics.recall_at_k, "streaming_sparse_recall_at_k")
streaming_sparse_precision_at_k = _k_swapped(metrics.precision_at_k,
                                             "streaming_sparse_precision_at_k")  # fmt: skip


def streaming_sparse_average_precision_at_k(
    predictions: Any, labels: Any, k: int, weights: Any = None, metrics_collections: Any = None,
    updates_collections: Any = None, name: str | None = None,
) -> Pair:  # fmt: skip
    """``tf.metrics.average_precision_at_k`` with predictions first."""
    return metrics.average_precision_at_k(
        labels=labels, predictions=predictions, k=k, weights=weights,
        metrics_collections=metrics_collections, updates_collections=updates_collections,
        name=name,
    )  # fmt: skip


def streaming_sparse_average_precision_at_top_k(
    top_k_predictions: Any, labels: Any, weights: Any = None, metrics_collections: Any = None,
    updates_collections: Any = None, name: str | None = None,
) -> Pair:  # fmt: skip
    """The running mean average precision of given top-k ids ``top_k_predictions``."""
    return _streaming_sparse_average_precision_at_top_k(
        labels=labels, predictions_idx=top_k_predictions, weights=weights,
        metrics_collections=metrics_collections, updates_collections=updates_collections,
        name=name,
    )  # fmt: skip


def streaming_sparse_precision_at_top_k(
    top_k_predictions: Any, labels: Any, class_id: int | None = None, weights: Any = None,
    metrics_collections: Any = None, updates_collections: Any = None, name: str | None = None,
) -> Pair:  # fmt: skip
    """``tf.metrics.precision_at_top_k`` of given top-k ids, under ``precision_at_k[_class<i>]``."""
    default_name = _at_k_name("precision", class_id=class_id)
    with name_scope(name or default_name) as scope:
        return metrics.precision_at_top_k(
            labels=labels, predictions_idx=top_k_predictions, class_id=class_id,
            weights=weights, metrics_collections=metrics_collections,
            updates_collections=updates_collections, name=scope,
        )  # fmt: skip


def sparse_recall_at_top_k(
    labels: Any, top_k_predictions: Any, class_id: int | None = None, weights: Any = None,
    metrics_collections: Any = None, updates_collections: Any = None, name: str | None = None,
) -> Pair:  # fmt: skip
    """``tf.metrics.recall_at_top_k`` of given top-k ids, under ``recall_at_k[_class<i>]``."""
    default_name = _at_k_name("recall", class_id=class_id)
    with name_scope(name or default_name) as scope:
        return metrics.recall_at_top_k(
            labels=labels, predictions_idx=top_k_predictions, class_id=class_id,
            weights=weights, metrics_collections=metrics_collections,
            updates_collections=updates_collections, name=scope,
        )  # fmt: skip


def streaming_mean_relative_error(
    predictions: Any, labels: Any, normalizer: Any, weights: Any = None,
    metrics_collections: Any = None, updates_collections: Any = None, name: str | None = None,
) -> Pair:  # fmt: skip
    """``tf.metrics.mean_relative_error`` with predictions first."""
    return metrics.mean_relative_error(
        labels=labels, predictions=predictions, normalizer=normalizer, weights=weights,
        metrics_collections=metrics_collections, updates_collections=updates_collections,
        name=name,
    )  # fmt: skip


def streaming_covariance(predictions: Any, labels: Any, weights: Any = None,
                         metrics_collections: Any = None, updates_collections: Any = None,
                         name: str | None = None) -> Pair:  # fmt: skip
    """The unbiased (weighted) covariance, merged batch by batch through the co-moment."""
    graph = get_default_graph()
    with variable_scope(name, "covariance", (predictions, labels, weights)):
        predictions, labels, weights = remove_squeezable_dimensions(predictions, labels, weights)
        predictions.get_shape().assert_is_compatible_with(labels.get_shape())
        count_: Any = metric_variable([], dtypes.float32, name="count")
        mean_prediction = metric_variable([], dtypes.float32, name="mean_prediction")
        mean_label = metric_variable([], dtypes.float32, name="mean_label")
        comoment = metric_variable([], dtypes.float32, name="comoment")
        if weights is None:
            batch_count = math_ops.cast(array_ops.size(labels), dtypes.float32)
            weighted_predictions, weighted_labels = predictions, labels
        else:
            weights = broadcast_weights(weights, labels)
            batch_count = reduction_ops.reduce_sum(weights)
            weighted_predictions = math_ops.multiply(predictions, weights)
            weighted_labels = math_ops.multiply(labels, weights)
        update_count = state_ops.assign_add(count_, batch_count)
        prev_count = update_count - batch_count

        def merged_mean(weighted: Any, mean_var: Any) -> tuple[Any, Any]:
            batch_mean = div_no_nan(reduction_ops.reduce_sum(weighted), batch_count)
            delta = div_no_nan((batch_mean - mean_var) * batch_count, update_count)
            return batch_mean, state_ops.assign_add(mean_var, delta) - delta

        batch_mean_prediction, prev_mean_prediction = merged_mean(
            weighted_predictions, mean_prediction
        )
        batch_mean_label, prev_mean_label = merged_mean(weighted_labels, mean_label)
        coresiduals = (predictions - batch_mean_prediction) * (labels - batch_mean_label)
        if weights is not None:
            coresiduals = coresiduals * weights
        batch_comoment = reduction_ops.reduce_sum(coresiduals)
        delta_comoment = batch_comoment + (prev_mean_prediction - batch_mean_prediction) * (
            prev_mean_label - batch_mean_label
        ) * div_no_nan(prev_count * batch_count, update_count)
        update_comoment = state_ops.assign_add(comoment, delta_comoment)
        covariance = where(math_ops.less_equal(count_, 1.0), float("nan"),
                           math_ops.truediv(comoment, count_ - 1), name="covariance")  # fmt: skip
        with graph.control_dependencies([update_comoment]):
            update_op = where(math_ops.less_equal(count_, 1.0), float("nan"),
                              math_ops.truediv(comoment, count_ - 1), name="update_op")  # fmt: skip
    if metrics_collections:
        add_to_collections(metrics_collections, covariance)
    if updates_collections:
        add_to_collections(updates_collections, update_op)
    return covariance, update_op


def streaming_pearson_correlation(predictions: Any, labels: Any, weights: Any = None,
                                  metrics_collections: Any = None,
                                  updates_collections: Any = None,
                                  name: str | None = None) -> Pair:  # fmt: skip
    """Pearson's r from three streamed covariances."""
    with variable_scope(name, "pearson_r", (predictions, labels, weights)):
        predictions, labels, weights = remove_squeezable_dimensions(predictions, labels, weights)
        predictions.get_shape().assert_is_compatible_with(labels.get_shape())
        if weights is not None:
            weights = broadcast_weights(weights, labels)
        cov, update_cov = streaming_covariance(predictions, labels, weights=weights,
                                               name="covariance")  # fmt: skip
        var_p, update_var_p = streaming_covariance(predictions, predictions, weights=weights,
                                                   name="variance_predictions")  # fmt: skip
        var_l, update_var_l = streaming_covariance(labels, labels, weights=weights,
                                                   name="variance_labels")  # fmt: skip
        pearson_r = math_ops.truediv(
            cov, math_ops.multiply(unary_ops.sqrt(var_p), unary_ops.sqrt(var_l)), name="pearson_r"
        )
        update_op = math_ops.truediv(
            update_cov,
            math_ops.multiply(unary_ops.sqrt(update_var_p), unary_ops.sqrt(update_var_l)),
            name="update_op",
        )
    if metrics_collections:
        add_to_collections(metrics_collections, pearson_r)
    if updates_collections:
        add_to_collections(updates_collections, update_op)
    return pearson_r, update_op


def streaming_mean_cosine_distance(predictions: Any, labels: Any, dim: int, weights: Any = None,
                                   metrics_collections: Any = None,
                                   updates_collections: Any = None,
                                   name: str | None = None) -> Pair:  # fmt: skip
    """``1 - mean(sum(predictions * labels, dim))`` (unit-normalized inputs), streamed."""
    predictions, labels, weights = remove_squeezable_dimensions(predictions, labels, weights)
    predictions.get_shape().assert_is_compatible_with(labels.get_shape())
    radial_diffs = reduction_ops.reduce_sum(math_ops.multiply(predictions, labels), axis=[dim],
                                            keepdims=True)  # fmt: skip
    mean_distance, update_op = streaming_mean(radial_diffs, weights, None, None,
                                              name or "mean_cosine_distance")  # fmt: skip
    mean_distance = math_ops.subtract(1.0, mean_distance)
    update_op = math_ops.subtract(1.0, update_op)
    if metrics_collections:
        add_to_collections(metrics_collections, mean_distance)
    if updates_collections:
        add_to_collections(updates_collections, update_op)
    return mean_distance, update_op


def streaming_percentage_less(values: Any, threshold: Any, weights: Any = None,
                              metrics_collections: Any = None, updates_collections: Any = None,
                              name: str | None = None) -> Pair:  # fmt: skip
    """``tf.metrics.percentage_below``."""
    return metrics.percentage_below(values=values, threshold=threshold, weights=weights,
                                    metrics_collections=metrics_collections,
                                    updates_collections=updates_collections, name=name)  # fmt: skip


def streaming_mean_iou(predictions: Any, labels: Any, num_classes: int, weights: Any = None,
                       metrics_collections: Any = None, updates_collections: Any = None,
                       name: str | None = None) -> Pair:  # fmt: skip
    """``tf.metrics.mean_iou`` with predictions first."""
    return metrics.mean_iou(labels=labels, predictions=predictions, num_classes=num_classes,
                            weights=weights, metrics_collections=metrics_collections,
                            updates_collections=updates_collections, name=name)  # fmt: skip


def _next_array_size(required_size: Any, growth_factor: float = 1.5) -> Tensor:
    """The smallest power of ``growth_factor`` (rounded up) holding ``required_size``."""
    required = math_ops.cast(required_size, dtypes.float64)
    growth = math_ops.cast(growth_factor, dtypes.float64)
    exponent = unary_ops.ceil(unary_ops.log(required) / unary_ops.log(growth))
    return math_ops.cast(unary_ops.ceil(growth**exponent), dtypes.int32)


def count(values: Any, weights: Any = None, metrics_collections: Any = None,
          updates_collections: Any = None, name: str | None = None) -> Pair:  # fmt: skip
    """The streamed number (or total weight) of ``values``."""
    graph = get_default_graph()
    with variable_scope(name, "count", (values, weights)):
        count_ = metric_variable([], dtypes.float32, name="count")
        if weights is None:
            num_values = math_ops.cast(array_ops.size(values), dtypes.float32)
        else:
            values = math_ops.cast(values, dtypes.float32)
            values, _, weights = remove_squeezable_dimensions(values, None, weights)
            weights = broadcast_weights(math_ops.cast(weights, dtypes.float32), values)
            num_values = reduction_ops.reduce_sum(weights)
        with graph.control_dependencies([values]):
            update_count_op = state_ops.assign_add(count_, num_values)
        value = array_ops.identity(count_)  # TF's _aggregate_variable outside a distribution
        add_to_collections(metrics_collections, value)
        if updates_collections:
            add_to_collections(updates_collections, update_count_op)
        return value, update_count_op


def aggregate_metrics(*value_update_tuples: Pair) -> tuple[list[Any], list[Any]]:
    """``([values...], [update_ops...])`` from ``(value, update_op)`` pairs.

    Raises:
        ValueError: no pair is given.
    """
    if not value_update_tuples:
        raise ValueError("Expected at least one value_tensor/update_op pair")
    value_ops, update_ops = zip(*value_update_tuples, strict=True)
    return list(value_ops), list(update_ops)


def aggregate_metric_map(names_to_tuples: dict[str, Pair]) -> tuple[dict[str, Any], dict[str, Any]]:
    """``({name: value}, {name: update_op})`` from ``{name: (value, update_op)}``."""
    metric_names = names_to_tuples.keys()
    value_ops, update_ops = zip(*names_to_tuples.values(), strict=True)
    return dict(zip(metric_names, value_ops, strict=True)), dict(
        zip(metric_names, update_ops, strict=True)
    )


def _curve_thresholds(num_thresholds: int) -> list[float]:
    inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
    return [0.0 - _EPSILON, *inner, 1.0 + _EPSILON]


def streaming_curve_points(labels: Any = None, predictions: Any = None, weights: Any = None,
                           num_thresholds: int = 200, metrics_collections: Any = None,
                           updates_collections: Any = None, curve: str = "ROC",
                           name: str | None = None) -> Pair:  # fmt: skip
    """``[num_thresholds, 2]`` points of the ROC (fpr, recall) or PR (recall, precision) curve.

    Raises:
        ValueError: ``curve`` is neither ``"ROC"`` nor ``"PR"``.
    """
    with variable_scope(name, "curve_points", (labels, predictions, weights)):
        if curve not in ("ROC", "PR"):
            raise ValueError(f"curve must be either ROC or PR, {curve} unknown")
        values, update_ops = _streaming_confusion_matrix_at_thresholds(
            predictions, labels, _curve_thresholds(num_thresholds), weights
        )
        epsilon = 1.0e-6
        tp, fn, tn, fp = values["tp"], values["fn"], values["tn"], values["fp"]
        rec = math_ops.div(tp + epsilon, tp + fn + epsilon)
        if curve == "ROC":
            xs, ys = math_ops.div(fp, fp + tn + epsilon), rec
        else:
            xs, ys = rec, math_ops.div(tp + epsilon, tp + fp + epsilon)
        points = array_ops.stack([xs, ys], axis=1)
        update_op = state_ops.group(*update_ops.values())
        if metrics_collections:
            add_to_collections(metrics_collections, points)
        if updates_collections:
            add_to_collections(updates_collections, update_op)
        return points, update_op


def _compute_recall_at_precision(tp: Any, fp: Any, fn: Any, precision: float, name: str,
                                 strict_mode: bool = False) -> Tensor:  # fmt: skip
    precisions = math_ops.div(tp, tp + fp + _EPSILON)
    if not strict_mode:
        index = reduction_ops.argmin(unary_ops.abs(precisions - precision), 0,
                                     output_type=dtypes.int32)  # fmt: skip
        return math_ops.div(tp[index], tp[index] + fn[index] + _EPSILON, name)
    index = reduction_ops.argmax(math_ops.div(1.0, precisions - precision + _EPSILON), 0,
                                 output_type=dtypes.int32)  # fmt: skip

    def good_recall() -> Tensor:
        return math_ops.div(tp[index], tp[index] + fn[index] + _EPSILON, name)

    return cond(precisions[index] >= precision, good_recall, lambda: 0.0)


def recall_at_precision(labels: Any, predictions: Any, precision: float, weights: Any = None,
                        num_thresholds: int = 200, metrics_collections: Any = None,
                        updates_collections: Any = None, name: str | None = None,
                        strict_mode: bool = False) -> Pair:  # fmt: skip
    """The recall at the threshold whose precision is closest to ``precision`` (streamed).

    Raises:
        ValueError: ``precision`` is outside ``[0, 1]``.
    """
    if not 0 <= precision <= 1:
        raise ValueError("`precision` must be in the range [0, 1].")
    with variable_scope(name, "recall_at_precision", (predictions, labels, weights)):
        thresholds = [i * 1.0 / (num_thresholds - 1) for i in range(1, num_thresholds - 1)]
        thresholds = [0.0 - _EPSILON, *thresholds, 1.0 + _EPSILON]
        values, update_ops = _streaming_confusion_matrix_at_thresholds(
            predictions, labels, thresholds, weights
        )
        recall = _compute_recall_at_precision(values["tp"], values["fp"], values["fn"],
                                              precision, "value", strict_mode)  # fmt: skip
        update_op = _compute_recall_at_precision(update_ops["tp"], update_ops["fp"],
                                                 update_ops["fn"], precision, "update_op",
                                                 strict_mode)  # fmt: skip
        if metrics_collections:
            add_to_collections(metrics_collections, recall)
        if updates_collections:
            add_to_collections(updates_collections, update_op)
        return recall, update_op


def precision_at_recall(labels: Any, predictions: Any, target_recall: float, weights: Any = None,
                        num_thresholds: int = 200, metrics_collections: Any = None,
                        updates_collections: Any = None,
                        name: str | None = None) -> Pair:  # fmt: skip
    """The precision at the highest threshold whose recall reaches ``target_recall`` (streamed).

    Raises:
        ValueError: ``target_recall`` is outside ``[0, 1]``.
    """
    if target_recall < 0 or target_recall > 1:
        raise ValueError("`target_recall` must be in the range [0, 1].")
    with variable_scope(name, "precision_at_recall", (predictions, labels, weights)):
        kepsilon = 1e-7
        values, update_ops = _streaming_confusion_matrix_at_thresholds(
            predictions, labels, _curve_thresholds(num_thresholds), weights
        )

        def compute(tp: Any, fp: Any, fn: Any, op_name: str) -> Tensor:
            recalls = math_ops.div(tp, tp + fn + kepsilon)
            admissible = math_ops.cast(math_ops.greater_equal(recalls, target_recall),
                                       dtypes.int64)  # fmt: skip
            index = reduction_ops.reduce_sum(admissible) - 1
            return math_ops.div(tp[index] + kepsilon, tp[index] + fp[index] + kepsilon, op_name)

        value = compute(values["tp"], values["fp"], values["fn"], "value")
        update_op = compute(update_ops["tp"], update_ops["fp"], update_ops["fn"], "update_op")
        if metrics_collections:
            add_to_collections(metrics_collections, value)
        if updates_collections:
            add_to_collections(updates_collections, update_op)
        return value, update_op


def cohen_kappa(labels: Any, predictions_idx: Any, num_classes: int, weights: Any = None,
                metrics_collections: Any = None, updates_collections: Any = None,
                name: str | None = None) -> Pair:  # fmt: skip
    """Cohen's kappa of the streamed confusion counts (float64).

    Raises:
        ValueError: ``num_classes`` is below 2.
    """
    if num_classes < 2:
        raise ValueError(f"`num_classes` must be >= 2.Found: {num_classes}")
    with variable_scope(name, "cohen_kappa", (labels, predictions_idx, weights)):
        labels.get_shape().with_rank_at_most(2)
        if labels.get_shape().ndims == 2:
            labels = shape_ops.squeeze(labels, axis=[-1])
        predictions_idx, labels, weights = remove_squeezable_dimensions(
            predictions_idx, labels, weights
        )
        predictions_idx.get_shape().assert_is_compatible_with(labels.get_shape())
        integer = weights is None or weights.dtype.is_integer
        stat_dtype = dtypes.int64 if integer else dtypes.float32
        po = metric_variable((num_classes,), stat_dtype, name="po")
        pe_row = metric_variable((num_classes,), stat_dtype, name="pe_row")
        pe_col = metric_variable((num_classes,), stat_dtype, name="pe_col")
        counts = confusion_matrix(labels, predictions_idx, num_classes=num_classes,
                                  weights=weights, dtype=stat_dtype,
                                  name="counts_in_table")  # fmt: skip
        update_po = state_ops.assign_add(po, diag_part(counts))
        update_pe_row = state_ops.assign_add(pe_row, reduction_ops.reduce_sum(counts, axis=0))
        update_pe_col = state_ops.assign_add(pe_col, reduction_ops.reduce_sum(counts, axis=1))

        def kappa_of(po: Any, pe_row: Any, pe_col: Any, op_name: str) -> Tensor:
            po_sum = reduction_ops.reduce_sum(po)
            total = reduction_ops.reduce_sum(pe_row)
            expected = div_no_nan(
                math_ops.cast(pe_row * pe_col, dtypes.float64), math_ops.cast(total, dtypes.float64)
            )
            pe_sum = reduction_ops.reduce_sum(expected)
            po_sum = math_ops.cast(po_sum, dtypes.float64)
            total = math_ops.cast(total, dtypes.float64)
            return div_no_nan(po_sum - pe_sum, total - pe_sum, name=op_name)

        kappa = kappa_of(po, pe_row, pe_col, "value")
        update_op = kappa_of(update_po, update_pe_row, update_pe_col, "update_op")
        if metrics_collections:
            add_to_collections(metrics_collections, kappa)
        if updates_collections:
            add_to_collections(updates_collections, update_op)
        return kappa, update_op


class PrecisionRecallData(NamedTuple):
    """The curves of ``precision_recall_at_equal_thresholds``, one value per threshold."""

    tp: Any
    fp: Any
    tn: Any
    fn: Any
    precision: Any
    recall: Any
    thresholds: Any


def precision_recall_at_equal_thresholds(
    labels: Any, predictions: Any, weights: Any = None, num_thresholds: int | None = None,
    use_locking: bool | None = None, name: str | None = None,
) -> tuple[PrecisionRecallData, Any]:  # fmt: skip
    """Streamed tp/fp/tn/fn, precision and recall at ``num_thresholds`` equally spaced thresholds.

    Predictions are bucketed by ``floor(p * (num_thresholds - 1))`` into float64 counts
    (``variables/tp_buckets``, ``variables/fp_buckets``), cumulated from the top bucket down.
    """
    graph = get_default_graph()
    num_thresholds = 201 if num_thresholds is None else num_thresholds
    weights = 1.0 if weights is None else weights
    use_locking = True if use_locking is None else use_locking
    assert_type(labels, dtypes.bool)
    with variable_scope(name, "precision_recall_at_equal_thresholds",
                        (labels, predictions, weights)):  # fmt: skip
        predictions = convert_to_tensor(predictions)
        message = "predictions must be in [0, 1]"
        in_range = [
            assert_greater_equal(predictions, math_ops.cast(0.0, predictions.dtype),
                                 message=message),
            assert_less_equal(predictions, math_ops.cast(1.0, predictions.dtype),
                              message=message),
        ]  # fmt: skip
        with graph.control_dependencies(in_range):
            predictions, labels, weights = remove_squeezable_dimensions(predictions, labels,
                                                                        weights)  # fmt: skip
        predictions.get_shape().assert_is_compatible_with(labels.get_shape())
        agg_dtype = dtypes.float64
        f_labels = math_ops.cast(labels, agg_dtype)
        weights = math_ops.cast(weights, agg_dtype)
        true_labels = f_labels * weights
        false_labels = (1.0 - f_labels) * weights
        predictions = array_ops.reshape(predictions, [-1])
        true_labels = array_ops.reshape(true_labels, [-1])
        false_labels = array_ops.reshape(false_labels, [-1])
        bucket_indices = math_ops.cast(
            unary_ops.floor(predictions * (num_thresholds - 1)), dtypes.int32
        )
        with graph.name_scope("variables"):
            tp_buckets = metric_variable([num_thresholds], agg_dtype, name="tp_buckets")
            fp_buckets = metric_variable([num_thresholds], agg_dtype, name="fp_buckets")
        with graph.name_scope("update_op"):
            update_tp = scatter_add(tp_buckets, bucket_indices, true_labels,
                                    use_locking=use_locking)  # fmt: skip
            update_fp = scatter_add(fp_buckets, bucket_indices, false_labels,
                                    use_locking=use_locking)  # fmt: skip
        tp = reduction_ops.cumsum(tp_buckets, reverse=True, name="tp")
        fp = reduction_ops.cumsum(fp_buckets, reverse=True, name="fp")
        tn = fp[0] - fp
        fn = tp[0] - tp
        epsilon = convert_to_tensor(1e-7, dtype=agg_dtype)
        precision = tp / math_ops.maximum(epsilon, tp + fp)
        recall = tp / math_ops.maximum(epsilon, tp + fn)
        out_dtype = predictions.dtype

        def convert(tensor: Any) -> Tensor:
            return math_ops.cast(tensor, out_dtype)

        result = PrecisionRecallData(
            tp=convert(tp), fp=convert(fp), tn=convert(tn), fn=convert(fn),
            precision=convert(precision), recall=convert(recall),
            thresholds=convert(lin_space(0.0, 1.0, num_thresholds)),
        )  # fmt: skip
        return result, state_ops.group(update_tp, update_fp)
