"""More ``tf.metrics``, as TF 1.15 computes them.

mean_cosine_distance, mean_relative_error, percentage_below, sensitivity_at_specificity and
specificity_at_sensitivity.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from typing import Any

from scopeflow._core import dtypes
from scopeflow._core.variable_scope import variable_scope
from scopeflow.graph.tensor import Tensor
from scopeflow.metrics._common import (
    add_to_collections,
    as_float32,
    remove_squeezable_dimensions,
    remove_squeezable_dimensions_pair,
)
from scopeflow.metrics.mean_metrics import mean
from scopeflow.metrics.threshold_metrics import _confusion_matrix_at_thresholds
from scopeflow.ops import array_ops, math_ops, reduction_ops, unary_ops
from scopeflow.ops.gather_scatter_ops import where


def mean_cosine_distance(labels: Any, predictions: Any, dim: int, weights: Any = None,
                         metrics_collections: Any = None, updates_collections: Any = None,
                         name: str | None = None) -> tuple[Tensor, Tensor]:  # fmt: skip
    """``1 - mean(sum(labels * predictions, dim))`` for unit-normalized inputs.

    >>> import scopeflow.compat.v1 as tf
    >>> tf.metrics.mean_cosine_distance([[1.0, 0.0]], [[1.0, 0.0]], dim=1)[0].name
    'Sub:0'
    """
    predictions, labels, weights = remove_squeezable_dimensions(predictions, labels, weights)
    radial_diffs = math_ops.multiply(predictions, labels)
    radial_diffs = reduction_ops.reduce_sum(radial_diffs, axis=[dim], keepdims=True)
    mean_distance, update_op = mean(radial_diffs, weights, None, None,
                                    name or "mean_cosine_distance")  # fmt: skip
    mean_distance = math_ops.subtract(1.0, mean_distance)
    update_op = math_ops.subtract(1.0, update_op)
    add_to_collections(metrics_collections, mean_distance)
    add_to_collections(updates_collections, update_op)
    return mean_distance, update_op


def mean_relative_error(labels: Any, predictions: Any, normalizer: Any, weights: Any = None,
                        metrics_collections: Any = None, updates_collections: Any = None,
                        name: str | None = None) -> tuple[Tensor, Tensor]:  # fmt: skip
    """The running mean of ``|labels - predictions| / normalizer`` (0 where it is 0).

    >>> import scopeflow.compat.v1 as tf
    >>> tf.metrics.mean_relative_error([1.0], [2.0], [2.0])[0].name
    'mean_relative_error/value:0'
    """
    predictions, labels, weights = remove_squeezable_dimensions(predictions, labels, weights)
    assert labels is not None
    predictions, normalizer = remove_squeezable_dimensions_pair(predictions, normalizer)
    predictions._shape.assert_is_compatible_with(normalizer._shape)
    relative_errors = where(
        math_ops.equal(normalizer, 0.0),
        array_ops.zeros_like(labels),
        math_ops.divide(unary_ops.abs(math_ops.subtract(labels, predictions)), normalizer),
    )
    return mean(relative_errors, weights, metrics_collections, updates_collections,
                name or "mean_relative_error")  # fmt: skip


def percentage_below(values: Any, threshold: Any, weights: Any = None,
                     metrics_collections: Any = None, updates_collections: Any = None,
                     name: str | None = None) -> tuple[Tensor, Tensor]:  # fmt: skip
    """The running fraction of ``values`` below ``threshold``.

    >>> import scopeflow.compat.v1 as tf
    >>> tf.metrics.percentage_below([1.0, 3.0], 2.0)[0].name
    'percentage_below_threshold/value:0'
    """
    is_below = as_float32(math_ops.less(values, threshold))
    return mean(is_below, weights, metrics_collections, updates_collections,
                name or "percentage_below_threshold")  # fmt: skip


def _inner_thresholds(num_thresholds: int) -> list[float]:
    return [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]


def sensitivity_at_specificity(labels: Any, predictions: Any, specificity: float,
                               weights: Any = None, num_thresholds: int = 200,
                               metrics_collections: Any = None, updates_collections: Any = None,
                               name: str | None = None) -> tuple[Tensor, Tensor]:  # fmt: skip
    """The sensitivity at the threshold whose specificity is closest to ``specificity``.

    >>> import scopeflow.compat.v1 as tf
    >>> tf.metrics.sensitivity_at_specificity([1, 0], [0.8, 0.1], 0.5)[0].name
    'sensitivity_at_specificity/value:0'
    """
    if specificity < 0 or specificity > 1:
        raise ValueError(
            "`specificity` must be in the range [0, 1]. Currently, `specificity` got "
            f"{specificity}."
        )
    with variable_scope(name, "sensitivity_at_specificity", (predictions, labels, weights)):
        kepsilon = 1e-7
        thresholds = [0.0 - kepsilon, *_inner_thresholds(num_thresholds), 1.0 + kepsilon]
        values, update_ops = _confusion_matrix_at_thresholds(
            labels, predictions, thresholds, weights
        )

        def compute(tp: Any, tn: Any, fp: Any, fn: Any, name: str) -> Tensor:
            specificities = math_ops.divide(tn, math_ops.add(math_ops.add(tn, fp), kepsilon))
            index = reduction_ops.argmin(
                unary_ops.abs(math_ops.subtract(specificities, specificity)), 0
            )
            index = math_ops.cast(index, dtypes.int32)
            denom = math_ops.add(math_ops.add(tp[index], fn[index]), kepsilon)
            return math_ops.divide(tp[index], denom, name)

        value = compute(values["tp"], values["tn"], values["fp"], values["fn"], "value")
        add_to_collections(metrics_collections, value)
        update_op = compute(update_ops["tp"], update_ops["tn"], update_ops["fp"],
                            update_ops["fn"], "update_op")  # fmt: skip
        add_to_collections(updates_collections, update_op)
        return value, update_op


def specificity_at_sensitivity(labels: Any, predictions: Any, sensitivity: float,
                               weights: Any = None, num_thresholds: int = 200,
                               metrics_collections: Any = None, updates_collections: Any = None,
                               name: str | None = None) -> tuple[Tensor, Tensor]:  # fmt: skip
    """The specificity at the (last) threshold whose sensitivity is closest to ``sensitivity``.

    >>> import scopeflow.compat.v1 as tf
    >>> tf.metrics.specificity_at_sensitivity([1, 0], [0.8, 0.1], 0.5)[0].name
    'specificity_at_sensitivity/value:0'
    """
    if sensitivity < 0 or sensitivity > 1:
        raise ValueError(
            f"`sensitivity` must be in the range [0, 1]. Currently, `sensitivity` is {sensitivity}."
        )
    with variable_scope(name, "specificity_at_sensitivity", (predictions, labels, weights)):
        kepsilon = 1e-7
        # TF's last threshold here is 1 - epsilon (sensitivity_at_specificity uses 1 + epsilon)
        thresholds = [0.0 - kepsilon, *_inner_thresholds(num_thresholds), 1.0 - kepsilon]
        values, update_ops = _confusion_matrix_at_thresholds(
            labels, predictions, thresholds, weights
        )

        def compute(tp: Any, tn: Any, fp: Any, fn: Any, name: str) -> Tensor:
            sensitivities = math_ops.divide(tp, math_ops.add(math_ops.add(tp, fn), kepsilon))
            distance = unary_ops.abs(math_ops.subtract(sensitivities, sensitivity))
            min_val = reduction_ops.reduce_min(distance)
            at_min = math_ops.cast(math_ops.equal(distance, min_val), dtypes.int64)
            index = reduction_ops.argmax(reduction_ops.cumsum(at_min), 0)
            index = math_ops.cast(index, dtypes.int32)
            denom = math_ops.add(math_ops.add(tn[index], fp[index]), kepsilon)
            return math_ops.divide(tn[index], denom, name)

        value = compute(values["tp"], values["tn"], values["fp"], values["fn"], "value")
        add_to_collections(metrics_collections, value)
        update_op = compute(update_ops["tp"], update_ops["tn"], update_ops["fp"],
                            update_ops["fn"], "update_op")  # fmt: skip
        add_to_collections(updates_collections, update_op)
        return value, update_op


__all__ = [
    "mean_cosine_distance",
    "mean_relative_error",
    "percentage_below",
    "sensitivity_at_specificity",
    "specificity_at_sensitivity",
]
