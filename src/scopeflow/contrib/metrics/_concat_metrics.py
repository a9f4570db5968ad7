"""``tf.contrib.metrics``' metrics that keep every value seen (TF 1.15's definitions).

``streaming_concat`` and the AUCs computed from all accumulated predictions
(``streaming_dynamic_auc``, ``auc_with_confidence_intervals``), built from TF 1.15's published
``contrib/metrics/python/ops/metric_ops.py``.

``streaming_concat`` keeps a growable array in a local variable of unknown shape (``array``, with
the concatenation axis first) and a ``size``: an update reallocates the array when the batch does
not fit (``tf.cond``; the new size is ``_next_array_size``'s power of 1.5), copies the old
contents into it and writes the batch after them, both with sliced variable assignment
(``StridedSliceAssign``), then moves ``size`` on.

Differences from TensorFlow: ``auc_with_confidence_intervals`` takes the normal quantile from one
``Ndtri`` op (TF's ``Normal(0, 1).quantile`` builds ``special_math.ndtri``'s polynomial graph), so
the ops under that part of its scope differ in names and count; the value is the same to float32
precision.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from collections import namedtuple
from typing import Any

from scopeflow._core import dtypes
from scopeflow._core.variable_scope import variable_scope
from scopeflow.contrib.metrics._metric_ops import _next_array_size
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.tensor import Tensor
from scopeflow.metrics._common import (
    add_to_collections,
    metric_variable,
    remove_squeezable_dimensions,
)
from scopeflow.ops import (
    array_extra_ops,
    array_ops,
    gather_scatter_ops,
    math_ops,
    reduction_ops,
    segment_ops,
    shape_ops,
    state_ops,
    unary_ops,
)
from scopeflow.ops.check_ops import assert_greater_equal, assert_less_equal
from scopeflow.ops.constant_op import constant
from scopeflow.ops.control_flow_ops import cond
from scopeflow.ops.math_extra_ops import ndtri

__all__ = ["auc_with_confidence_intervals", "streaming_concat", "streaming_dynamic_auc"]

_EPSILON = 1e-7
Pair = tuple[Any, Any]


def streaming_concat(values: Any, axis: int = 0, max_size: int | None = None,
                     metrics_collections: Any = None, updates_collections: Any = None,
                     name: str | None = None) -> Pair:  # fmt: skip
    """``(value, update_op)``: ``values`` of every update concatenated along ``axis``.

    The other dimensions of ``values`` must be known statically. With ``max_size``, the array
    stops growing at that many entries (later values are dropped).

    Raises:
        ValueError: ``values`` has unknown rank or unknown non-``axis`` dimensions, or ``axis``
            is out of range.
    """
    graph = get_default_graph()
    with variable_scope(name, "streaming_concat", (values,)):
        values_shape = values.get_shape()
        if values_shape.dims is None:
            raise ValueError("`values` must have known statically known rank")
        ndim = len(values_shape)
        if axis < 0:
            axis += ndim
        if not 0 <= axis < ndim:
            raise ValueError(f"axis = {axis!r} not in [0, {ndim!r})")
        fixed_shape = [dim.value for n, dim in enumerate(values_shape) if n != axis]
        if any(value is None for value in fixed_shape):
            raise ValueError(
                "all dimensions of `values` other than the dimension to concatenate along must "
                "have statically known size"
            )
        # the concatenation axis goes first in the array so that appends are contiguous slices
        init_size = 0 if max_size is None else max_size
        # (Any: a Variable's operators and slicing are installed at run time)
        array: Any = metric_variable([init_size, *fixed_shape], values.dtype,
                                     validate_shape=False, name="array")  # fmt: skip
        size: Any = metric_variable([], dtypes.int32, name="size")

        perm = [0 if n == axis else n + 1 if n < axis else n for n in range(ndim)]
        valid_array = array[:size]
        valid_array.set_shape([None, *fixed_shape])
        value = shape_ops.transpose(valid_array, perm, name="concat")

        values_size = array_ops.shape(values)[axis]
        if max_size is None:
            batch_size = values_size
        else:
            batch_size = math_ops.minimum(values_size, max_size - size)
        perm = [axis] + [n for n in range(ndim) if n != axis]
        batch_values = shape_ops.transpose(values, perm)[:batch_size]

        def reallocate() -> Any:
            next_size = _next_array_size(new_size)
            next_shape = array_ops.stack([next_size, *fixed_shape])
            new_value = array_ops.zeros(next_shape, dtype=values.dtype)
            old_value = array.value()
            assign_op = state_ops.assign(array, new_value, validate_shape=False)
            with graph.control_dependencies([assign_op]):
                copy_op = array[:size].assign(old_value[:size])
            with graph.control_dependencies([copy_op]):  # cond needs the same kind of result
                return state_ops.no_op()

        new_size = size + batch_size
        array_size = array_ops.shape(array)[0]
        maybe_reallocate_op = cond(new_size > array_size, reallocate, state_ops.no_op)
        with graph.control_dependencies([maybe_reallocate_op]):
            append_values_op = array[size:new_size].assign(batch_values)
        with graph.control_dependencies([append_values_op]):
            update_op = size.assign(new_size)
        if metrics_collections:
            add_to_collections(metrics_collections, value)
        if updates_collections:
            add_to_collections(updates_collections, update_op)
        return value, update_op


def _f64_where(pred: Any, x: Any, like: Any) -> Tensor:
    return gather_scatter_ops.where(pred, x, array_ops.zeros_like(like, dtype=dtypes.float64))


def _compute_dynamic_auc(labels: Any, predictions: Any, curve: str = "ROC",
                         weights: Any = None) -> Tensor:  # fmt: skip
    """The area under the curve with every distinct prediction as a threshold (trapezoids)."""
    size = array_ops.size(predictions)
    if weights is None:
        weights = array_ops.ones_like(labels, dtype=dtypes.float64)
    labels, predictions, weights = remove_squeezable_dimensions(labels, predictions, weights)
    total_weight = reduction_ops.reduce_sum(weights)
    total_positive = reduction_ops.reduce_sum(
        _f64_where(math_ops.greater(labels, 0), weights, labels)
    )

    def continue_computing_dynamic_auc() -> Tensor:
        # predictions descending, labels and weights in the same order
        ordered_predictions, indices = reduction_ops.top_k(predictions, k=size)
        ordered_labels = gather_scatter_ops.gather(labels, indices)
        ordered_weights = gather_scatter_ops.gather(weights, indices)
        _, _, counts = array_extra_ops.unique_with_counts(ordered_predictions)
        # the split points between different predictions
        splits = math_ops.cast(
            shape_ops.pad(reduction_ops.cumsum(counts), paddings=[[1, 0]]), dtypes.int32
        )

        def left_of_splits(x: Any) -> Tensor:
            return gather_scatter_ops.gather(
                shape_ops.pad(reduction_ops.cumsum(x), paddings=[[1, 0]]), splits
            )

        true_positives = left_of_splits(
            _f64_where(math_ops.greater(ordered_labels, 0), ordered_weights, ordered_labels)
        )
        if curve == "ROC":
            false_positives = left_of_splits(
                _f64_where(math_ops.less(ordered_labels, 1), ordered_weights, ordered_labels)
            )
            total_negative = total_weight - total_positive
            x_axis_values = math_ops.truediv(false_positives, total_negative)
            y_axis_values = math_ops.truediv(true_positives, total_positive)
        else:
            x_axis_values = math_ops.truediv(true_positives, total_positive)
            # precision is 1 where nothing is classified positive
            positives = left_of_splits(ordered_weights)
            y_axis_values = gather_scatter_ops.where(
                math_ops.greater(splits, 0),
                math_ops.truediv(true_positives, positives),
                array_ops.ones_like(true_positives, dtype=dtypes.float64),
            )
        heights = math_ops.add(y_axis_values[1:], y_axis_values[:-1]) / 2.0
        widths = unary_ops.abs(math_ops.subtract(x_axis_values[1:], x_axis_values[:-1]))
        return reduction_ops.reduce_sum(math_ops.multiply(heights, widths))

    # all labels equal: AUC is not defined, and TF gives 0 rather than raising
    return cond(  # type: ignore[no-any-return]
        math_ops.logical_or(
            math_ops.equal(total_positive, 0), math_ops.equal(total_positive, total_weight)
        ),
        true_fn=lambda: constant(0, dtypes.float64),
        false_fn=continue_computing_dynamic_auc,
    )


def _check_binary_labels(labels: Tensor) -> list[Any]:
    return [
        assert_greater_equal(labels, array_ops.zeros_like(labels, dtypes.int64),
                             message="labels must be 0 or 1, at least one is <0"),
        assert_less_equal(labels, array_ops.ones_like(labels, dtypes.int64),
                          message="labels must be 0 or 1, at least one is >1"),
    ]  # fmt: skip


def streaming_dynamic_auc(labels: Any, predictions: Any, curve: str = "ROC",
                          metrics_collections: Any = (), updates_collections: Any = (),
                          name: str | None = None, weights: Any = None) -> Pair:  # fmt: skip
    """The ROC or PR AUC over all predictions seen, each distinct prediction a threshold.

    Keeps every label, prediction (and weight) in ``streaming_concat`` arrays.

    Raises:
        ValueError: ``curve`` is not ``'ROC'`` or ``'PR'``, or the shapes of ``labels`` and
            ``predictions`` are incompatible.
    """
    if curve not in ["PR", "ROC"]:
        raise ValueError(f"curve must be either ROC or PR, {curve} unknown")
    with variable_scope(name, default_name="dynamic_auc"):
        labels.get_shape().assert_is_compatible_with(predictions.get_shape())
        predictions = array_ops.reshape(math_ops.cast(predictions, dtypes.float64), [-1])
        labels = array_ops.reshape(math_ops.cast(labels, dtypes.int64), [-1])
        with get_default_graph().control_dependencies(_check_binary_labels(labels)):
            preds_accum, update_preds = streaming_concat(predictions, name="concat_preds")
            labels_accum, update_labels = streaming_concat(labels, name="concat_labels")
            if weights is not None:
                weights = array_ops.reshape(math_ops.cast(weights, dtypes.float64), [-1])
                weights_accum, update_weights = streaming_concat(weights, name="concat_weights")
                update_op = state_ops.group(update_labels, update_preds, update_weights)
            else:
                weights_accum = None
                update_op = state_ops.group(update_labels, update_preds)
            auc = _compute_dynamic_auc(labels_accum, preds_accum, curve=curve,
                                       weights=weights_accum)  # fmt: skip
            if updates_collections:
                add_to_collections(updates_collections, update_op)
            if metrics_collections:
                add_to_collections(metrics_collections, auc)
            return auc, update_op


AucData = namedtuple("AucData", ["auc", "lower", "upper"])


def _compute_placement_auc(labels: Any, predictions: Any, weights: Any, alpha: float,
                           logit_transformation: bool, is_valid: Any) -> AucData:  # fmt: skip
    """The AUC and its asymptotic normal confidence interval from placement values.

    AUC = P(Y1 > Y0) through DeLong's placement values, computed as Sun and Xu (2014) do.
    """
    size = array_ops.size(predictions, out_type=dtypes.int32)
    wdt = weights.dtype
    total_0 = reduction_ops.reduce_sum(math_ops.cast(1 - labels, wdt) * weights)
    total_1 = reduction_ops.reduce_sum(math_ops.cast(labels, wdt) * weights)

    # predictions ascending, labels and weights in the same order
    ordered_predictions, indices = reduction_ops.top_k(predictions, k=size, sorted=True)
    ordered_predictions = shape_ops.reverse(ordered_predictions,
                                            axis=array_ops.zeros(1, dtypes.int32))  # fmt: skip
    indices = shape_ops.reverse(indices, axis=array_ops.zeros(1, dtypes.int32))
    ordered_labels = gather_scatter_ops.gather(labels, indices)
    ordered_weights = gather_scatter_ops.gather(weights, indices)

    # one segment per distinct prediction (ascending)
    _, segmented_indices = gather_scatter_ops.unique(ordered_predictions)
    float_labels_for_true = math_ops.cast(ordered_labels, dtypes.float32)
    float_labels_for_false = 1.0 - float_labels_for_true
    weights_for_true = ordered_weights * float_labels_for_true
    weights_for_false = ordered_weights * float_labels_for_false
    # each label's placement counts the weight of the other label
    weight_totals_for_true = segment_ops.segment_sum(weights_for_false, segmented_indices)
    weight_totals_for_false = segment_ops.segment_sum(weights_for_true, segmented_indices)
    cum_weight_totals_for_true = reduction_ops.cumsum(weight_totals_for_true, exclusive=True)
    cum_weight_totals_for_false = reduction_ops.cumsum(weight_totals_for_false, exclusive=True)
    placements_for_true = (cum_weight_totals_for_true + weight_totals_for_true / 2.0) / (
        reduction_ops.reduce_sum(weight_totals_for_true) + _EPSILON
    )
    placements_for_false = (cum_weight_totals_for_false + weight_totals_for_false / 2.0) / (
        reduction_ops.reduce_sum(weight_totals_for_false) + _EPSILON
    )
    placements_for_true = gather_scatter_ops.gather(placements_for_true, segmented_indices)
    placements_for_false = gather_scatter_ops.gather(placements_for_false, segmented_indices)
    placement_values = (placements_for_true * float_labels_for_true
                        + placements_for_false * float_labels_for_false)  # fmt: skip

    neg = math_ops.cast(1 - ordered_labels, wdt)
    pos = math_ops.cast(ordered_labels, wdt)
    placement_values_0 = placement_values * neg
    weights_0 = ordered_weights * neg
    placement_values_1 = placement_values * pos
    weights_1 = ordered_weights * pos

    auc_0 = (reduction_ops.reduce_sum(weights_0 * (1.0 - placement_values_0))
             / (total_0 + _EPSILON))  # fmt: skip
    auc_1 = reduction_ops.reduce_sum(weights_1 * placement_values_1) / (total_1 + _EPSILON)
    auc = gather_scatter_ops.where(math_ops.less(total_0, total_1), auc_1, auc_0)

    var_0 = reduction_ops.reduce_sum(
        weights_0 * unary_ops.square(1.0 - placement_values_0 - auc_0)
    ) / (total_0 - 1.0 + _EPSILON)
    var_1 = reduction_ops.reduce_sum(weights_1 * unary_ops.square(placement_values_1 - auc_1)) / (
        total_1 - 1.0 + _EPSILON
    )
    auc_std_err = unary_ops.sqrt((var_0 / (total_0 + _EPSILON)) + (var_1 / (total_1 + _EPSILON)))

    # the standard normal's quantile at (1 - alpha) / 2 (float32, as TF's Normal(0., 1.))
    z_value = ndtri(constant((1.0 - alpha) / 2.0, dtypes.float32))
    if logit_transformation:
        estimate = unary_ops.log(auc / (1.0 - auc + _EPSILON))
        std_err = auc_std_err / (auc * (1.0 - auc + _EPSILON))
        transformed_auc_lower = estimate + (z_value * std_err)
        transformed_auc_upper = estimate - (z_value * std_err)

        def inverse_logit_transformation(x: Any) -> Any:
            exp_negative = unary_ops.exp(unary_ops.negative(x))
            return 1.0 / (1.0 + exp_negative + _EPSILON)

        auc_lower = inverse_logit_transformation(transformed_auc_lower)
        auc_upper = inverse_logit_transformation(transformed_auc_upper)
    else:
        estimate = auc
        std_err = auc_std_err
        auc_lower = estimate + (z_value * std_err)
        auc_upper = estimate - (z_value * std_err)

    # an AUC of exactly 0 or 1 has no variance: the interval is the point
    def degenerate() -> Tensor:
        return math_ops.logical_or(
            math_ops.equal(auc, array_ops.ones_like(auc)),
            math_ops.equal(auc, array_ops.zeros_like(auc)),
        )

    lower = gather_scatter_ops.where(degenerate(), auc, auc_lower)
    upper = gather_scatter_ops.where(degenerate(), auc, auc_upper)
    trivial_value = constant(0.0)
    return AucData(*cond(is_valid, lambda: [auc, lower, upper], lambda: [trivial_value] * 3))


def auc_with_confidence_intervals(labels: Any, predictions: Any, weights: Any = None,
                                  alpha: float = 0.95, logit_transformation: bool = True,
                                  metrics_collections: Any = (), updates_collections: Any = (),
                                  name: str | None = None) -> Pair:  # fmt: skip
    """The ROC AUC over all predictions seen and its ``alpha`` normal confidence interval.

    Returns ``(AucData(auc, lower, upper), update_op)``; an update whose weights sum to less
    than 1 changes nothing, and all-equal labels give ``(0, 0, 0)``.

    Raises:
        ValueError: ``alpha`` is not in ``(0, 1)``, or the shapes are incompatible.
    """
    if not (alpha > 0 and alpha < 1):
        raise ValueError(f"alpha must be between 0 and 1; currently {alpha:.02f}")
    if weights is None:
        weights = array_ops.ones_like(predictions)
    with variable_scope(name, default_name="auc_with_confidence_intervals",
                        values=[labels, predictions, weights]):  # fmt: skip
        predictions, labels, weights = remove_squeezable_dimensions(predictions, labels, weights)
        total_weight = reduction_ops.reduce_sum(weights)
        weights = array_ops.reshape(weights, [-1])
        predictions = array_ops.reshape(math_ops.cast(predictions, dtypes.float64), [-1])
        labels = array_ops.reshape(math_ops.cast(labels, dtypes.int64), [-1])
        with get_default_graph().control_dependencies(_check_binary_labels(labels)):
            preds_accum, update_preds = streaming_concat(predictions, name="concat_preds")
            labels_accum, update_labels = streaming_concat(labels, name="concat_labels")
            weights_accum, update_weights = streaming_concat(weights, name="concat_weights")
            update_op_for_valid_case = state_ops.group(update_labels, update_preds,
                                                       update_weights)  # fmt: skip
            # updates only when valid
            all_labels_positive_or_0 = math_ops.logical_and(
                math_ops.equal(reduction_ops.reduce_min(labels), 0),
                math_ops.equal(reduction_ops.reduce_max(labels), 1),
            )
            sums_of_weights_at_least_1 = math_ops.greater_equal(total_weight, 1.0)
            is_valid = math_ops.logical_and(all_labels_positive_or_0, sums_of_weights_at_least_1)
            update_op = cond(sums_of_weights_at_least_1, lambda: update_op_for_valid_case,
                             state_ops.no_op)  # fmt: skip
            auc = _compute_placement_auc(labels_accum, preds_accum, weights_accum, alpha=alpha,
                                         logit_transformation=logit_transformation,
                                         is_valid=is_valid)  # fmt: skip
            if updates_collections:
                add_to_collections(updates_collections, update_op)
            if metrics_collections:
                add_to_collections(metrics_collections, auc)
            return auc, update_op
