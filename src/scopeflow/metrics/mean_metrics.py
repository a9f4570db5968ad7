"""``tf.metrics`` built on running means and confusion counts.

mean, mean_tensor, accuracy, mean_absolute_error, mean_squared_error, root_mean_squared_error,
mean_per_class_accuracy, mean_iou.

Each returns TF's ``(value, update_op)`` pair: ``value`` reads the local metric variables
(``<scope>/total``, ``<scope>/count``...) and ``update_op`` adds the batch to them and returns
the updated value. The variables are in ``LOCAL_VARIABLES`` and ``METRIC_VARIABLES``.

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
    safe_div,
)
from scopeflow.ops import array_ops, math_ops, reduction_ops, sparse_ops, state_ops, unary_ops
from scopeflow.ops.constant_op import constant
from scopeflow.ops.control_flow_ops import with_dependencies
from scopeflow.ops.gather_scatter_ops import where
from scopeflow.ops.logging_ops import Assert
from scopeflow.ops.math_ops import div_no_nan
from scopeflow.ops.matrix_extra_ops import diag_part
from scopeflow.ops.state_scatter_ops import scatter_add


def mean(values: Any, weights: Any = None, metrics_collections: Any = None,
         updates_collections: Any = None,
         name: str | None = None) -> tuple[Tensor, Tensor]:  # fmt: skip
    """The (weighted) running mean of ``values``: variables ``mean/total``, ``mean/count``.

    >>> import scopeflow.compat.v1 as tf
    >>> m, up = tf.metrics.mean(tf.constant([1.0, 3.0]))
    >>> [v.name for v in tf.local_variables()], m.name, up.name
    (['mean/total:0', 'mean/count:0'], 'mean/value:0', 'mean/update_op:0')
    """
    with variable_scope(name, "mean", (values, weights)):
        values = as_float32(values)
        total = metric_variable([], dtypes.float32, name="total")
        count = metric_variable([], dtypes.float32, name="count")
        if weights is None:
            num_values = as_float32(array_ops.size(values))
        else:
            values, _, weights = remove_squeezable_dimensions(values, None, weights)
            weights = broadcast_weights(as_float32(weights), values)
            values = math_ops.multiply(values, weights)
            num_values = reduction_ops.reduce_sum(weights)
        update_total_op = state_ops.assign_add(total, reduction_ops.reduce_sum(values))
        with get_default_graph().control_dependencies([values]):
            update_count_op = state_ops.assign_add(count, num_values)
        mean_t = safe_div(total, count, "value")
        add_to_collections(metrics_collections, mean_t)
        update_op = safe_div(update_total_op, update_count_op, "update_op")
        add_to_collections(updates_collections, update_op)
        return mean_t, update_op


def mean_tensor(values: Any, weights: Any = None, metrics_collections: Any = None,
                updates_collections: Any = None,
                name: str | None = None) -> tuple[Tensor, Tensor]:  # fmt: skip
    """The elementwise running mean of ``values`` (``mean/total_tensor``, ``mean/count_tensor``).

    >>> import scopeflow.compat.v1 as tf
    >>> m, up = tf.metrics.mean_tensor(tf.constant([1.0, 3.0]))
    >>> m.shape.as_list()
    [2]
    """
    with variable_scope(name, "mean", (values, weights)):
        values = as_float32(values)
        total = metric_variable(values._shape, dtypes.float32, name="total_tensor")
        count = metric_variable(values._shape, dtypes.float32, name="count_tensor")
        num_values = array_ops.ones_like(values)
        if weights is not None:
            values, _, weights = remove_squeezable_dimensions(values, None, weights)
            weights = broadcast_weights(as_float32(weights), values)
            values = math_ops.multiply(values, weights)
            num_values = math_ops.multiply(num_values, weights)
        update_total_op = state_ops.assign_add(total, values)
        with get_default_graph().control_dependencies([values]):
            update_count_op = state_ops.assign_add(count, num_values)
        mean_t = safe_div(total, count, "value")
        add_to_collections(metrics_collections, mean_t)
        update_op = safe_div(update_total_op, update_count_op, "update_op")
        add_to_collections(updates_collections, update_op)
        return mean_t, update_op


def accuracy(labels: Any, predictions: Any, weights: Any = None, metrics_collections: Any = None,
             updates_collections: Any = None,
             name: str | None = None) -> tuple[Tensor, Tensor]:  # fmt: skip
    """How often ``predictions`` equals ``labels`` (``accuracy/total``, ``accuracy/count``).

    >>> import scopeflow.compat.v1 as tf
    >>> acc, up = tf.metrics.accuracy([1, 2], [1, 3])
    >>> acc.name
    'accuracy/value:0'
    """
    predictions, labels, weights = remove_squeezable_dimensions(predictions, labels, weights)
    assert labels is not None
    predictions._shape.assert_is_compatible_with(labels._shape)
    if labels._dtype.base_dtype != predictions._dtype.base_dtype:
        predictions = math_ops.cast(predictions, labels._dtype.base_dtype)
    is_correct = as_float32(math_ops.equal(predictions, labels))
    return mean(is_correct, weights, metrics_collections, updates_collections, name or "accuracy")


def mean_absolute_error(labels: Any, predictions: Any, weights: Any = None,
                        metrics_collections: Any = None, updates_collections: Any = None,
                        name: str | None = None) -> tuple[Tensor, Tensor]:  # fmt: skip
    """The running mean of ``|predictions - labels|``.

    >>> import scopeflow.compat.v1 as tf
    >>> tf.metrics.mean_absolute_error([1.0], [2.0])[0].name
    'mean_absolute_error/value:0'
    """
    predictions, labels, weights = remove_squeezable_dimensions(predictions, labels, weights)
    absolute_errors = unary_ops.abs(math_ops.subtract(predictions, labels))
    return mean(absolute_errors, weights, metrics_collections, updates_collections,
                name or "mean_absolute_error")  # fmt: skip


def mean_squared_error(labels: Any, predictions: Any, weights: Any = None,
                       metrics_collections: Any = None, updates_collections: Any = None,
                       name: str | None = None) -> tuple[Tensor, Tensor]:  # fmt: skip
    """The running mean of ``(labels - predictions) ** 2``.

    >>> import scopeflow.compat.v1 as tf
    >>> tf.metrics.mean_squared_error([1.0], [2.0])[0].name
    'mean_squared_error/value:0'
    """
    predictions, labels, weights = remove_squeezable_dimensions(predictions, labels, weights)
    squared_error = math_ops.squared_difference(labels, predictions)
    return mean(squared_error, weights, metrics_collections, updates_collections,
                name or "mean_squared_error")  # fmt: skip


def root_mean_squared_error(labels: Any, predictions: Any, weights: Any = None,
                            metrics_collections: Any = None, updates_collections: Any = None,
                            name: str | None = None) -> tuple[Tensor, Tensor]:  # fmt: skip
    """``sqrt`` of the running mean squared error.

    >>> import scopeflow.compat.v1 as tf
    >>> tf.metrics.root_mean_squared_error([1.0], [2.0])[0].op.type
    'Sqrt'
    """
    predictions, labels, weights = remove_squeezable_dimensions(predictions, labels, weights)
    mse, update_mse_op = mean_squared_error(labels, predictions, weights, None, None,
                                            name or "root_mean_squared_error")  # fmt: skip
    rmse = unary_ops.sqrt(mse)
    add_to_collections(metrics_collections, rmse)
    update_rmse_op = unary_ops.sqrt(update_mse_op)
    add_to_collections(updates_collections, update_rmse_op)
    return rmse, update_rmse_op


def _flatten(t: Tensor) -> Tensor:
    nd = t._shape.ndims
    if nd is not None and nd > 1:
        return array_ops.reshape(t, [-1])
    return t


def mean_per_class_accuracy(labels: Any, predictions: Any, num_classes: int, weights: Any = None,
                            metrics_collections: Any = None, updates_collections: Any = None,
                            name: str | None = None) -> tuple[Tensor, Tensor]:  # fmt: skip
    """The mean over classes of each class's running accuracy (``mean_accuracy/total``...).

    >>> import scopeflow.compat.v1 as tf
    >>> tf.metrics.mean_per_class_accuracy([0, 1], [0, 0], 2)[0].name
    'mean_accuracy/mean_accuracy:0'
    """
    with variable_scope(name, "mean_accuracy", (predictions, labels, weights)):
        labels = _flatten(math_ops.cast(labels, dtypes.int64))
        predictions = _flatten(convert_to_tensor(predictions))
        predictions._shape.assert_is_compatible_with(labels._shape)
        total = metric_variable([num_classes], dtypes.float32, name="total")
        count = metric_variable([num_classes], dtypes.float32, name="count")
        ones = array_ops.ones(array_ops.stack([array_ops.size(labels)]), dtypes.float32)
        if labels._dtype.base_dtype != predictions._dtype.base_dtype:
            predictions = math_ops.cast(predictions, labels._dtype.base_dtype)
        is_correct = as_float32(math_ops.equal(predictions, labels))
        if weights is not None:
            weights = as_float32(_flatten(convert_to_tensor(weights)))
            is_correct = math_ops.multiply(is_correct, weights)
            ones = math_ops.multiply(ones, weights)
        update_total_op = scatter_add(total, labels, ones)
        update_count_op = scatter_add(count, labels, is_correct)
        per_class_accuracy = div_no_nan(count, math_ops.maximum(total, 0))
        mean_accuracy_v = reduction_ops.reduce_mean(per_class_accuracy, name="mean_accuracy")
        add_to_collections(metrics_collections, mean_accuracy_v)
        update_op = safe_div(update_count_op, update_total_op, "update_op")
        add_to_collections(updates_collections, update_op)
        return mean_accuracy_v, update_op


def _checked(x: Tensor, ok: Tensor, message: str, condition: str, extra: tuple[Any, ...]) -> Tensor:
    """``x`` after an ``Assert`` that ``ok`` holds everywhere (TF's ``check_ops`` message)."""
    check = Assert(
        reduction_ops.reduce_all(ok),
        (message, f"Condition {condition} did not hold element-wise:", f"x ({x.name}) = ", x,
         *extra),
        summarize=3,
    )  # fmt: skip
    return with_dependencies([check], x)


def _confusion_matrix(labels: Tensor, predictions: Tensor, num_classes: int,
                      weights: Tensor | None) -> Tensor:  # fmt: skip
    """A dense float64 ``[num_classes, num_classes]`` confusion matrix of one batch.

    Labels and predictions are checked to lie in ``[0, num_classes)`` at run time, as TF does.

    Differences from TensorFlow: TF scatters ones into the matrix with ``scatter_nd``; here it
    is an ``unsorted_segment_sum`` over ``label * num_classes + prediction`` (same counts, other
    intermediate ops).
    """
    with get_default_graph().name_scope("confusion_matrix"):
        n = constant(num_classes, dtypes.int64)
        labels = _checked(labels, math_ops.greater_equal(labels, 0),
                          "`labels` contains negative values", "x >= 0", ())  # fmt: skip
        predictions = _checked(predictions, math_ops.greater_equal(predictions, 0),
                               "`predictions` contains negative values", "x >= 0", ())  # fmt: skip
        bound = (f"y ({n.name}) = ", n)
        labels = _checked(labels, math_ops.less(labels, n), "`labels` out of bound", "x < y",
                          bound)  # fmt: skip
        predictions = _checked(predictions, math_ops.less(predictions, n),
                               "`predictions` out of bound", "x < y", bound)  # fmt: skip
        flat_index = math_ops.add(math_ops.multiply(labels, num_classes), predictions)
        if weights is None:
            w = array_ops.ones_like(flat_index, dtype=dtypes.float64)
        else:
            weights = convert_to_tensor(weights, name="weights")
            predictions.get_shape().assert_is_compatible_with(weights.get_shape())  # TF's check
            w = math_ops.cast(weights, dtypes.float64)
        counts = sparse_ops.unsorted_segment_sum(w, flat_index, num_classes * num_classes)
        return array_ops.reshape(counts, [num_classes, num_classes])


def mean_iou(labels: Any, predictions: Any, num_classes: int, weights: Any = None,
             metrics_collections: Any = None, updates_collections: Any = None,
             name: str | None = None) -> tuple[Tensor, Tensor]:  # fmt: skip
    """The mean intersection-over-union over classes, from ``mean_iou/total_confusion_matrix``.

    The update op returns the updated confusion matrix, as TF's does.

    >>> import scopeflow.compat.v1 as tf
    >>> _ = tf.metrics.mean_iou([0, 1], [0, 0], 2)
    >>> [v.name for v in tf.local_variables()]
    ['mean_iou/total_confusion_matrix:0']
    """
    with variable_scope(name, "mean_iou", (predictions, labels, weights)):
        predictions = convert_to_tensor(predictions)
        labels = convert_to_tensor(labels)
        predictions._shape.assert_is_compatible_with(labels._shape)
        total_cm = metric_variable(
            [num_classes, num_classes], dtypes.float64, name="total_confusion_matrix"
        )
        predictions = _flatten(math_ops.cast(predictions, dtypes.int64))
        labels = _flatten(math_ops.cast(labels, dtypes.int64))
        if weights is not None:
            weights = _flatten(convert_to_tensor(weights))
        current_cm = _confusion_matrix(labels, predictions, num_classes, weights)
        update_op = state_ops.assign_add(total_cm, current_cm)
        sum_over_row = as_float32(reduction_ops.reduce_sum(total_cm, 0))
        sum_over_col = as_float32(reduction_ops.reduce_sum(total_cm, 1))
        cm_diag = as_float32(diag_part(total_cm))
        denominator = math_ops.subtract(math_ops.add(sum_over_row, sum_over_col), cm_diag)
        num_valid_entries = reduction_ops.reduce_sum(as_float32(math_ops.not_equal(denominator, 0)))
        denominator = where(
            math_ops.greater(denominator, 0), denominator, array_ops.ones_like(denominator)
        )
        iou = math_ops.divide(cm_diag, denominator)
        result = where(
            math_ops.greater(num_valid_entries, 0),
            math_ops.divide(reduction_ops.reduce_sum(iou, name="mean_iou"), num_valid_entries),
            0.0,
        )
        add_to_collections(metrics_collections, result)
        add_to_collections(updates_collections, update_op)
        return result, update_op


__all__ = [
    "accuracy",
    "mean",
    "mean_absolute_error",
    "mean_iou",
    "mean_per_class_accuracy",
    "mean_squared_error",
    "mean_tensor",
    "root_mean_squared_error",
]
