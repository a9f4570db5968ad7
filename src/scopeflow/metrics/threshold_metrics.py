"""``tf.metrics`` over counts of true/false positives/negatives.

The counts themselves (also at thresholds), precision, recall, their at-thresholds forms, auc.

Variables are TF's (``auc/true_positives``, ``precision/true_positives/count``...), in
``LOCAL_VARIABLES`` and ``METRIC_VARIABLES``; values follow TF's formulas, including AUC's
thresholds (``num_thresholds - 2`` evenly spaced inner thresholds plus ``-1e-7`` and
``1 + 1e-7``), epsilon ``1e-6`` and the four summation methods.

Differences from TensorFlow: TF adds run-time assertions that predictions lie in ``[0, 1]``
for the threshold metrics; scopeflow does not check the range.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from typing import Any

from scopeflow._core import dtypes
from scopeflow._core.variable_scope import variable_scope
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.tensor import Tensor
from scopeflow.metrics._common import (
    add_to_collections,
    as_float32,
    broadcast_weights,
    metric_variable,
    remove_squeezable_dimensions,
)
from scopeflow.ops import array_ops, math_ops, reduction_ops, shape_ops, state_ops, unary_ops
from scopeflow.ops.check_ops import assert_greater_equal, assert_less_equal
from scopeflow.ops.constant_op import constant
from scopeflow.ops.gather_scatter_ops import where
from scopeflow.ops.math_ops import div_no_nan

_ALL_INCLUDES = ("tp", "fn", "tn", "fp")
_VAR_NAMES = {
    "tp": "true_positives",
    "fn": "false_negatives",
    "tn": "true_negatives",
    "fp": "false_positives",
}


def _confusion_matrix_at_thresholds(
    labels: Any, predictions: Any, thresholds: list[float], weights: Any = None,
    includes: tuple[str, ...] | None = None,
) -> tuple[dict[str, Any], dict[str, Tensor]]:  # fmt: skip
    if includes is None:
        includes = _ALL_INCLUDES
    for include in includes:
        if include not in _ALL_INCLUDES:
            raise ValueError(f"Invalid key: {include}")
    predictions = convert_to_tensor(predictions)
    message = "predictions must be in [0, 1]"
    in_range = [  # TF checks the range first (statically when the predictions are constant)
        assert_greater_equal(predictions, math_ops.cast(0.0, predictions.dtype), message=message),
        assert_less_equal(predictions, math_ops.cast(1.0, predictions.dtype), message=message),
    ]
    with get_default_graph().control_dependencies(in_range):
        predictions, labels, weights = remove_squeezable_dimensions(
            as_float32(predictions), math_ops.cast(labels, dtypes.bool), weights
        )
    num_thresholds = len(thresholds)
    predictions_2d = array_ops.reshape(predictions, [-1, 1])
    labels_2d = array_ops.reshape(math_ops.cast(labels, dtypes.bool), [1, -1])
    num_predictions: Any = predictions_2d._shape.as_list()[0]
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
        weights = broadcast_weights(as_float32(weights), predictions)
        weights_tiled = shape_ops.tile(array_ops.reshape(weights, [1, -1]), [num_thresholds, 1])
    pairs = {
        "tp": (label_is_pos, pred_is_pos),
        "fn": (label_is_pos, pred_is_neg),
        "tn": (label_is_neg, pred_is_neg),
        "fp": (label_is_neg, pred_is_pos),
    }
    values: dict[str, Any] = {}
    update_ops: dict[str, Tensor] = {}
    for key in _ALL_INCLUDES:
        if key not in includes:
            continue
        var = metric_variable([num_thresholds], dtypes.float32, name=_VAR_NAMES[key])
        label_side, pred_side = pairs[key]
        hit = as_float32(math_ops.logical_and(label_side, pred_side))
        if weights_tiled is not None:
            hit = math_ops.multiply(hit, weights_tiled)
        update_ops[key] = state_ops.assign_add(var, reduction_ops.reduce_sum(hit, 1))
        values[key] = var
    return values, update_ops


def _count_condition(values: Tensor, weights: Any, metrics_collections: Any,
                     updates_collections: Any) -> tuple[Tensor, Tensor]:  # fmt: skip
    count = metric_variable([], dtypes.float32, name="count")
    values = as_float32(values)
    if weights is not None:
        values = math_ops.multiply(values, as_float32(weights))
    value_tensor = array_ops.identity(count)
    add_to_collections(metrics_collections, value_tensor)
    update_op = state_ops.assign_add(count, reduction_ops.reduce_sum(values))
    add_to_collections(updates_collections, update_op)
    return value_tensor, update_op


def _bool_count(kind: str, label_val: bool, pred_val: bool) -> Any:
    def metric(labels: Any, predictions: Any, weights: Any = None,
               metrics_collections: Any = None, updates_collections: Any = None,
               name: str | None = None) -> tuple[Tensor, Tensor]:  # fmt: skip
        with variable_scope(name, kind, (predictions, labels, weights)):
            predictions, labels, weights = remove_squeezable_dimensions(
                math_ops.cast(predictions, dtypes.bool), math_ops.cast(labels, dtypes.bool),
                weights,
            )  # fmt: skip
            hit = math_ops.logical_and(
                math_ops.equal(labels, label_val), math_ops.equal(predictions, pred_val)
            )
            return _count_condition(hit, weights, metrics_collections, updates_collections)

    metric.__name__ = kind
    metric.__doc__ = (
        f"The running (weighted) count of {kind.replace('_', ' ')} (variable ``{kind}/count``)."
        f"\n\n    >>> import scopeflow.compat.v1 as tf\n"
        f"    >>> tf.metrics.{kind}([True], [True])[1].name\n"
        f"    '{kind}/AssignAdd:0'\n"
    )
    return metric


true_positives = _bool_count("true_positives", True, True)
false_positives = _bool_count("false_positives", False, True)
true_negatives = _bool_count("true_negatives", False, False)
false_negatives = _bool_count("false_negatives", True, False)


def _at_thresholds(kind: str, key: str) -> Any:
    def metric(labels: Any, predictions: Any, thresholds: Any, weights: Any = None,
               metrics_collections: Any = None, updates_collections: Any = None,
               name: str | None = None) -> tuple[Tensor, Tensor]:  # fmt: skip
        with variable_scope(name, kind, (predictions, labels, weights)):
            values, update_ops = _confusion_matrix_at_thresholds(
                labels, predictions, list(thresholds), weights=weights, includes=(key,)
            )
            value = array_ops.identity(values[key])
            add_to_collections(metrics_collections, value)
            add_to_collections(updates_collections, update_ops[key])
            return value, update_ops[key]

    metric.__name__ = f"{kind}_at_thresholds"
    metric.__doc__ = (
        f"The running count of {kind.replace('_', ' ')} for each threshold "
        f"(variable ``{kind}/{kind}``).\n\n    >>> import scopeflow.compat.v1 as tf\n"
        f"    >>> tf.metrics.{kind}_at_thresholds([1], [0.7], [0.5])[0].shape.as_list()\n"
        "    [1]\n"
    )
    return metric


true_positives_at_thresholds = _at_thresholds("true_positives", "tp")
false_positives_at_thresholds = _at_thresholds("false_positives", "fp")
true_negatives_at_thresholds = _at_thresholds("true_negatives", "tn")
false_negatives_at_thresholds = _at_thresholds("false_negatives", "fn")


def _ratio_metric(kind: str, other: Any) -> Any:
    def metric(labels: Any, predictions: Any, weights: Any = None,
               metrics_collections: Any = None, updates_collections: Any = None,
               name: str | None = None) -> tuple[Tensor, Tensor]:  # fmt: skip
        with variable_scope(name, kind, (predictions, labels, weights)):
            predictions, labels, weights = remove_squeezable_dimensions(
                math_ops.cast(predictions, dtypes.bool), math_ops.cast(labels, dtypes.bool),
                weights,
            )  # fmt: skip
            tp, tp_update = true_positives(labels, predictions, weights)
            o, o_update = other(labels, predictions, weights)

            def ratio(a: Tensor, b: Tensor, name: str) -> Tensor:
                total = math_ops.add(a, b)
                return where(math_ops.greater(total, 0), math_ops.divide(a, total), 0.0, name)

            value = ratio(tp, o, "value")
            add_to_collections(metrics_collections, value)
            update_op = ratio(tp_update, o_update, "update_op")
            add_to_collections(updates_collections, update_op)
            return value, update_op

    metric.__name__ = kind
    metric.__doc__ = (
        f"The running {kind} of boolean predictions.\n\n"
        "    >>> import scopeflow.compat.v1 as tf\n"
        f"    >>> tf.metrics.{kind}([True], [True])[0].name\n"
        f"    '{kind}/value:0'\n"
    )
    return metric


precision = _ratio_metric("precision", false_positives)
recall = _ratio_metric("recall", false_negatives)


def precision_at_thresholds(labels: Any, predictions: Any, thresholds: Any, weights: Any = None,
                            metrics_collections: Any = None, updates_collections: Any = None,
                            name: str | None = None) -> tuple[Tensor, Tensor]:  # fmt: skip
    """``tp / (1e-7 + tp + fp)`` for each threshold.

    >>> import scopeflow.compat.v1 as tf
    >>> tf.metrics.precision_at_thresholds([1], [0.7], [0.5])[0].name
    'precision_at_thresholds/precision_value:0'
    """
    return _rate_at_thresholds("precision", "fp", labels, predictions, thresholds, weights,
                               metrics_collections, updates_collections, name)  # fmt: skip


def recall_at_thresholds(labels: Any, predictions: Any, thresholds: Any, weights: Any = None,
                         metrics_collections: Any = None, updates_collections: Any = None,
                         name: str | None = None) -> tuple[Tensor, Tensor]:  # fmt: skip
    """``tp / (1e-7 + tp + fn)`` for each threshold.

    >>> import scopeflow.compat.v1 as tf
    >>> tf.metrics.recall_at_thresholds([1], [0.7], [0.5])[0].name
    'recall_at_thresholds/recall_value:0'
    """
    return _rate_at_thresholds("recall", "fn", labels, predictions, thresholds, weights,
                               metrics_collections, updates_collections, name)  # fmt: skip


def _rate_at_thresholds(kind: str, other: str, labels: Any, predictions: Any, thresholds: Any,
                        weights: Any, metrics_collections: Any, updates_collections: Any,
                        name: str | None) -> tuple[Tensor, Tensor]:  # fmt: skip
    with variable_scope(name, f"{kind}_at_thresholds", (predictions, labels, weights)):
        values, update_ops = _confusion_matrix_at_thresholds(
            labels, predictions, list(thresholds), weights, includes=("tp", other)
        )

        def rate(tp: Tensor, o: Tensor, suffix: str) -> Tensor:
            denom = math_ops.add(math_ops.add(1e-7, tp), o)
            return math_ops.divide(tp, denom, name=f"{kind}_{suffix}")

        value = rate(values["tp"], values[other], "value")
        add_to_collections(metrics_collections, value)
        update_op = rate(update_ops["tp"], update_ops[other], "update_op")
        add_to_collections(updates_collections, update_op)
        return value, update_op


def _interpolate_pr_auc(tp: Tensor, fp: Tensor, fn: Tensor, n: int) -> Tensor:
    dtp = math_ops.subtract(tp[: n - 1], tp[1:])
    p = math_ops.add(tp, fp)
    prec_slope = div_no_nan(
        dtp, math_ops.maximum(math_ops.subtract(p[: n - 1], p[1:]), 0), name="prec_slope"
    )
    intercept = math_ops.subtract(tp[1:], math_ops.multiply(prec_slope, p[1:]))
    safe_p_ratio = where(
        math_ops.logical_and(math_ops.greater(p[: n - 1], 0), math_ops.greater(p[1:], 0)),
        div_no_nan(p[: n - 1], math_ops.maximum(p[1:], 0), name="recall_relative_ratio"),
        array_ops.ones_like(p[1:]),
    )
    increment = div_no_nan(
        math_ops.multiply(
            prec_slope, math_ops.add(dtp, math_ops.multiply(intercept, unary_ops.log(safe_p_ratio)))
        ),
        math_ops.maximum(math_ops.add(tp[1:], fn[1:]), 0),
        name="pr_auc_increment",
    )
    return reduction_ops.reduce_sum(increment, name="interpolate_pr_auc")


def _compute_auc(tp: Tensor, fn: Tensor, tn: Tensor, fp: Tensor, n: int, curve: str,
                 summation_method: str, name: str) -> Tensor:  # fmt: skip
    eps = 1.0e-6
    if curve == "PR" and summation_method == "careful_interpolation":
        return _interpolate_pr_auc(tp, fp, fn, n)
    rec = math_ops.divide(math_ops.add(tp, eps), math_ops.add(math_ops.add(tp, fn), eps))
    if curve == "ROC":
        x = math_ops.divide(fp, math_ops.add(math_ops.add(fp, tn), eps))
        y = rec
    else:
        x = rec
        y = math_ops.divide(math_ops.add(tp, eps), math_ops.add(math_ops.add(tp, fp), eps))
    dx = math_ops.subtract(x[: n - 1], x[1:])
    if summation_method in ("trapezoidal", "careful_interpolation"):
        height = math_ops.divide(math_ops.add(y[: n - 1], y[1:]), 2.0)
    elif summation_method == "minoring":
        height = math_ops.minimum(y[: n - 1], y[1:])
    elif summation_method == "majoring":
        height = math_ops.maximum(y[: n - 1], y[1:])
    else:
        raise ValueError(
            f"Invalid summation_method: {summation_method} summation_method should be "
            "'trapezoidal', 'careful_interpolation', 'minoring', or 'majoring'."
        )
    return reduction_ops.reduce_sum(math_ops.multiply(dx, height), name=name)


def auc(labels: Any, predictions: Any, weights: Any = None, num_thresholds: int = 200,
        metrics_collections: Any = None, updates_collections: Any = None, curve: str = "ROC",
        name: str | None = None, summation_method: str = "trapezoidal",
        thresholds: Any = None) -> tuple[Tensor, Tensor]:  # fmt: skip
    """The area under the ROC or PR curve from counts at ``num_thresholds`` thresholds.

    >>> import scopeflow.compat.v1 as tf
    >>> _ = tf.metrics.auc([0, 1], [0.2, 0.9])
    >>> [v.name for v in tf.local_variables()]  # doctest: +NORMALIZE_WHITESPACE
    ['auc/true_positives:0', 'auc/false_negatives:0', 'auc/true_negatives:0',
     'auc/false_positives:0']
    """
    with variable_scope(name, "auc", (labels, predictions, weights)):
        if curve not in ("ROC", "PR"):
            raise ValueError(f"Curve must be either ROC or PR. Curve {curve} is unknown.")
        kepsilon = 1e-7
        if thresholds is not None:
            inner = sorted(thresholds)
            num_thresholds = len(inner) + 2
        else:
            inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
        all_thresholds = [0.0 - kepsilon, *inner, 1.0 + kepsilon]
        values, update_ops = _confusion_matrix_at_thresholds(
            labels, predictions, all_thresholds, weights
        )
        auc_value = _compute_auc(values["tp"], values["fn"], values["tn"], values["fp"],
                                 num_thresholds, curve, summation_method, "value")  # fmt: skip
        add_to_collections(metrics_collections, auc_value)
        update_op = _compute_auc(update_ops["tp"], update_ops["fn"], update_ops["tn"],
                                 update_ops["fp"], num_thresholds, curve, summation_method,
                                 "update_op")  # fmt: skip
        add_to_collections(updates_collections, update_op)
        return auc_value, update_op


__all__ = [
    "auc",
    "false_negatives",
    "false_negatives_at_thresholds",
    "false_positives",
    "false_positives_at_thresholds",
    "precision",
    "precision_at_thresholds",
    "recall",
    "recall_at_thresholds",
    "true_negatives",
    "true_negatives_at_thresholds",
    "true_positives",
    "true_positives_at_thresholds",
]
