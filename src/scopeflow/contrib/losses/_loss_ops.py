"""``tf.contrib.losses`` (= ``slim.losses``): TF 1.15's deprecated contrib loss functions.

They differ from ``tf.losses``: predictions/logits come first, ``weights`` scale each batch
element's summed loss and the mean is over the non-zero-weighted elements as contrib counted
them, and there is no ``reduction`` argument.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from typing import Any

from scopeflow._core import dtypes
from scopeflow._core.graph_keys import GraphKeys
from scopeflow._core.name_scope import name_scope
from scopeflow.contrib.framework._arg_scope import add_arg_scope
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.ops import nn_ops
from scopeflow.ops.array_ops import ones, ones_like, reshape, shape, size, zeros_like
from scopeflow.ops.array_ops import slice as slice_op
from scopeflow.ops.gather_scatter_ops import where, where_v2
from scopeflow.ops.losses_impl import get_regularization_losses
from scopeflow.ops.math_ops import (
    cast,
    div,
    div_no_nan,
    equal,
    greater,
    multiply,
    not_equal,
    squared_difference,
    subtract,
)
from scopeflow.ops.matmul_ops import add_n
from scopeflow.ops.reduction_ops import reduce_prod, reduce_sum
from scopeflow.ops.shape_ops import squeeze
from scopeflow.ops.unary_ops import abs as abs_
from scopeflow.ops.unary_ops import log, square


def _scale_losses(losses: Any, weights: Any) -> Any:
    start = max(0, weights.get_shape().ndims)
    axis = list(range(start, losses.get_shape().ndims))
    return reduce_sum(multiply(reduce_sum(losses, axis=axis), weights))


def _num_present(losses: Any, weights: Any, per_batch: bool = False) -> Any:
    """How many elements of ``losses`` have a non-zero weight, in all or per batch element."""
    w_rank = weights.get_shape().ndims
    if w_rank == 0:
        batch_size = reshape(slice_op(shape(losses), [0], [1]), [])
        num = div(cast(size(losses), dtypes.float32), cast(batch_size, dtypes.float32))
        num = where_v2(equal(weights, 0), 0.0, num)
        num = multiply(ones(reshape(batch_size, [1])), num)
        return num if per_batch else reduce_sum(num)
    axis = list(range(1, w_rank))
    nonzero = reduce_sum(cast(not_equal(weights, 0), dtypes.float32), axis=axis)
    broadcast_dims = slice_op(shape(losses), [w_rank], [-1])
    num_to_broadcast = cast(reduce_prod(broadcast_dims), dtypes.float32)
    num = multiply(nonzero, num_to_broadcast)
    return num if per_batch else reduce_sum(num)


@add_arg_scope
def add_loss(loss: Any, loss_collection: Any = GraphKeys.LOSSES) -> None:
    """Add ``loss`` to ``loss_collection``."""
    if loss_collection:
        get_default_graph().add_to_collection(loss_collection, loss)


def get_losses(scope: str | None = None, loss_collection: Any = GraphKeys.LOSSES) -> list[Any]:
    """The losses of ``loss_collection`` (filtered by ``scope``)."""
    return get_default_graph().get_collection(loss_collection, scope)


def get_total_loss(add_regularization_losses: bool = True, name: str = "total_loss") -> Any:
    """``add_n`` of all losses (and regularization losses)."""
    losses = get_losses()
    if add_regularization_losses:
        losses += get_regularization_losses()
    return add_n(losses, name=name)


def compute_weighted_loss(losses: Any, weights: Any = 1.0, scope: str | None = None) -> Any:
    """The weighted mean of ``losses`` over the elements with non-zero weight.

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.contrib.losses.compute_weighted_loss(tf.ones([2, 3]), [1.0, 0.0]).name)
    weighted_loss/value:0
    """
    with name_scope(scope, "weighted_loss", [losses, weights]):
        losses = convert_to_tensor(losses)
        input_dtype = losses.dtype
        losses = cast(losses, dtypes.float32)
        weights = cast(convert_to_tensor(weights), dtypes.float32)
        if losses.get_shape().ndims is None:
            raise ValueError("losses.get_shape().ndims cannot be None")
        w_shape = weights.get_shape()
        if w_shape.ndims is None:
            raise ValueError("weights.get_shape().ndims cannot be None")
        if w_shape.ndims > 1 and w_shape.dims[-1].is_compatible_with(1):  # type: ignore[index]
            weights = squeeze(weights, [-1])
        total_loss = _scale_losses(losses, weights)
        num_present = _num_present(losses, weights)
        mean_loss = div_no_nan(reduce_sum(total_loss), num_present, name="value")
        mean_loss = cast(mean_loss, input_dtype)
        add_loss(mean_loss)
        return mean_loss


def _float_pair(predictions: Any, labels: Any) -> tuple[Any, Any]:
    predictions, labels = convert_to_tensor(predictions), convert_to_tensor(labels)
    predictions.get_shape().assert_is_compatible_with(labels.get_shape())
    return cast(predictions, dtypes.float32), cast(labels, dtypes.float32)


def absolute_difference(predictions: Any, labels: Any = None, weights: Any = 1.0,
                        scope: str | None = None) -> Any:  # fmt: skip
    """Weighted mean ``|predictions - labels|``."""
    with name_scope(scope, "absolute_difference", [predictions, labels, weights]) as ns:
        predictions, labels = _float_pair(predictions, labels)
        return compute_weighted_loss(abs_(subtract(predictions, labels)), weights, scope=ns)


def mean_squared_error(predictions: Any, labels: Any = None, weights: Any = 1.0,
                       scope: str | None = None) -> Any:  # fmt: skip
    """Weighted mean ``(predictions - labels) ** 2``."""
    with name_scope(scope, "mean_squared_error", [predictions, labels, weights]) as ns:
        predictions, labels = _float_pair(predictions, labels)
        return compute_weighted_loss(squared_difference(predictions, labels), weights, scope=ns)


def log_loss(predictions: Any, labels: Any = None, weights: Any = 1.0, epsilon: float = 1e-7,
             scope: str | None = None) -> Any:  # fmt: skip
    """Weighted binary cross-entropy of probabilities."""
    with name_scope(scope, "log_loss", [predictions, labels, weights]) as ns:
        predictions, labels = _float_pair(predictions, labels)
        losses = -multiply(labels, log(predictions + epsilon)) - multiply(
            (1 - labels), log(1 - predictions + epsilon)
        )
        return compute_weighted_loss(losses, weights, scope=ns)


def hinge_loss(logits: Any, labels: Any = None, scope: str | None = None) -> Any:
    """Unreduced hinge loss ``relu(1 - (2 * labels - 1) * logits)`` (not added to LOSSES)."""
    with name_scope(scope, "hinge_loss", [logits, labels]):
        logits, labels = convert_to_tensor(logits), convert_to_tensor(labels)
        logits.get_shape().assert_is_compatible_with(labels.get_shape())
        labels = cast(labels, dtypes.float32)
        all_ones = ones_like(labels)
        labels = subtract(2 * labels, all_ones)
        return nn_ops.relu(subtract(all_ones, multiply(labels, logits)))


def mean_pairwise_squared_error(predictions: Any, labels: Any = None, weights: Any = 1.0,
                                scope: str | None = None) -> Any:  # fmt: skip
    """Weighted mean of the squared differences of pairs of ``predictions - labels`` elements.

    Within each batch element, every pair ``(i, j)`` contributes
    ``((predictions[i] - predictions[j]) - (labels[i] - labels[j])) ** 2``; computed in closed
    form from the per-element sum and sum of squares of ``d = predictions - labels`` as
    ``2 * sum(d**2) / n - 2 * sum(d)**2 / n**2`` with ``n`` the element's count of weighted
    elements. ``weights`` then scales each batch element's value and the result is their sum
    (zero when no element has a non-zero weight).

    >>> import scopeflow.compat.v1 as tf
    >>> loss = tf.contrib.losses.mean_pairwise_squared_error(tf.ones([2, 3]), tf.zeros([2, 3]))
    >>> print(loss.name)
    mean_pairwise_squared_error/value_2:0
    """
    with name_scope(scope, "mean_pairwise_squared_error", [predictions, labels, weights]):
        predictions.get_shape().assert_is_compatible_with(labels.get_shape())
        predictions = cast(predictions, dtypes.float32)
        labels = cast(labels, dtypes.float32)
        weights = cast(convert_to_tensor(weights), dtypes.float32)
        diffs = subtract(predictions, labels)
        rank = diffs.get_shape().ndims
        if rank is None:
            raise ValueError("diffs.get_shape().ndims cannot be None")
        if weights.get_shape().ndims is None:
            raise ValueError("weights.get_shape().ndims cannot be None")
        axis = list(range(1, rank))
        sum_squares = reduce_sum(square(diffs), axis=axis)
        num_per_batch = _num_present(diffs, weights, per_batch=True)
        term1 = 2.0 * div_no_nan(sum_squares, num_per_batch, name="value")
        sum_diff = reduce_sum(diffs, axis=axis)
        term2 = 2.0 * div_no_nan(square(sum_diff), square(num_per_batch), name="value")
        loss = _scale_losses(term1 - term2, weights)
        mean_loss = where(
            greater(reduce_sum(num_per_batch), 0), loss, zeros_like(loss), name="value"
        )
        add_loss(mean_loss)
        return mean_loss


def cosine_distance(predictions: Any, labels: Any = None, axis: Any = None, weights: Any = 1.0,
                    scope: str | None = None, dim: Any = None) -> Any:  # fmt: skip
    """Weighted ``1 - sum(predictions * labels, axis)`` (unit-normalized inputs)."""
    if dim is not None:
        if axis is not None:
            raise ValueError("Cannot specify both 'axis' and 'dim'")
        axis = dim
    if axis is None:
        raise ValueError("You must specify 'axis'.")
    with name_scope(scope, "cosine_distance_loss", [predictions, labels, weights]) as ns:
        predictions, labels = _float_pair(predictions, labels)
        losses = 1 - reduce_sum(multiply(predictions, labels), axis=[axis])
        return compute_weighted_loss(losses, weights, scope=ns)


def sigmoid_cross_entropy(logits: Any, multi_class_labels: Any, weights: Any = 1.0,
                          label_smoothing: float = 0, scope: str | None = None) -> Any:  # fmt: skip
    """Weighted sigmoid cross-entropy (logits first)."""
    with name_scope(scope, "sigmoid_cross_entropy_loss",
                    [logits, multi_class_labels, weights]) as ns:  # fmt: skip
        logits = convert_to_tensor(logits)
        labels = convert_to_tensor(multi_class_labels)
        logits.get_shape().assert_is_compatible_with(labels.get_shape())
        labels = cast(labels, logits.dtype)
        if label_smoothing > 0:
            labels = labels * (1 - label_smoothing) + 0.5 * label_smoothing
        losses = nn_ops.sigmoid_cross_entropy_with_logits(
            labels=labels, logits=logits, name="xentropy"
        )
        return compute_weighted_loss(losses, weights, scope=ns)


def softmax_cross_entropy(logits: Any, onehot_labels: Any, weights: Any = 1.0,
                          label_smoothing: float = 0, scope: str | None = None) -> Any:  # fmt: skip
    """Weighted softmax cross-entropy (logits first)."""
    with name_scope(scope, "softmax_cross_entropy_loss", [logits, onehot_labels, weights]) as ns:
        logits = convert_to_tensor(logits)
        labels = convert_to_tensor(onehot_labels)
        logits.get_shape().assert_is_compatible_with(labels.get_shape())
        labels = cast(labels, logits.dtype)
        if label_smoothing > 0:
            num_classes = cast(shape(labels)[1], logits.dtype)
            labels = labels * (1.0 - label_smoothing) + label_smoothing / num_classes
        losses = nn_ops.softmax_cross_entropy_with_logits(
            labels=labels, logits=logits, name="xentropy"
        )
        return compute_weighted_loss(losses, weights, scope=ns)


def sparse_softmax_cross_entropy(logits: Any, labels: Any, weights: Any = 1.0,
                                 scope: str | None = None) -> Any:  # fmt: skip
    """Weighted softmax cross-entropy with integer labels (logits first)."""
    with name_scope(scope, "sparse_softmax_cross_entropy_loss", [logits, labels, weights]) as ns:
        labels = convert_to_tensor(labels)
        labels = reshape(labels, shape=[shape(labels)[0]])
        losses = nn_ops.sparse_softmax_cross_entropy_with_logits(
            labels=labels, logits=logits, name="xentropy"
        )
        return compute_weighted_loss(losses, weights, scope=ns)


__all__ = [
    "absolute_difference",
    "add_loss",
    "compute_weighted_loss",
    "cosine_distance",
    "get_losses",
    "get_regularization_losses",
    "get_total_loss",
    "hinge_loss",
    "log_loss",
    "mean_pairwise_squared_error",
    "mean_squared_error",
    "sigmoid_cross_entropy",
    "softmax_cross_entropy",
    "sparse_softmax_cross_entropy",
]
