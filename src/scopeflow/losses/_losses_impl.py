"""``tf.losses`` (TF 1.15's ``tf.compat.v1.losses``).

``tf.losses`` (TF 1.15's ``tf.compat.v1.losses``): weighted losses that reduce as ``Reduction``
says and are added to the ``LOSSES`` collection, with TF's op names (``<loss>/value``).

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from typing import Any

from scopeflow._core import dtypes
from scopeflow._core.graph_keys import GraphKeys
from scopeflow._core.name_scope import name_scope
from scopeflow.errors import UnsupportedError
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.ops import nn_ops
from scopeflow.ops.array_ops import ones_like, zeros_like
from scopeflow.ops.array_ops import size as size_op
from scopeflow.ops.gather_scatter_ops import where
from scopeflow.ops.gradients_impl import stop_gradient
from scopeflow.ops.losses_impl import get_regularization_loss, get_regularization_losses
from scopeflow.ops.math_ops import (
    cast,
    div_no_nan,
    equal,
    maximum,
    minimum,
    multiply,
    subtract,
)
from scopeflow.ops.matmul_ops import add_n
from scopeflow.ops.reduction_ops import reduce_sum
from scopeflow.ops.shape_ops import squeeze
from scopeflow.ops.unary_ops import abs as abs_
from scopeflow.ops.unary_ops import log, square


class Reduction:
    """How a weighted loss is reduced (``tf.losses.Reduction``)."""

    NONE = "none"
    SUM = "weighted_sum"
    SUM_OVER_BATCH_SIZE = "weighted_sum_over_batch_size"
    MEAN = "weighted_mean"
    SUM_BY_NONZERO_WEIGHTS = "weighted_sum_by_nonzero_weights"
    SUM_OVER_NONZERO_WEIGHTS = SUM_BY_NONZERO_WEIGHTS

    @classmethod
    def all(cls) -> tuple[str, ...]:
        """Every reduction key."""
        return (
            cls.NONE,
            cls.SUM,
            cls.MEAN,
            cls.SUM_OVER_BATCH_SIZE,
            cls.SUM_OVER_NONZERO_WEIGHTS,
            cls.SUM_BY_NONZERO_WEIGHTS,
        )

    @classmethod
    def validate(cls, key: str) -> None:
        """Raise ``ValueError`` for an unknown key."""
        if key not in cls.all():
            raise ValueError(f"Invalid Reduction Key {key}. Key should be one of {cls.all()}.")


def _safe_mean(losses: Any, num_present: Any) -> Any:
    return div_no_nan(reduce_sum(losses), num_present, name="value")


def _num_elements(losses: Any) -> Any:
    with name_scope(None, "num_elements", values=[losses]) as scope:
        return cast(size_op(losses, name=scope), dtype=losses.dtype)


def _num_present(losses: Any, weights: Any, per_batch: bool = False) -> Any:
    if isinstance(weights, float) and weights != 0.0:
        return _num_elements(losses)
    with name_scope(None, "num_present", (losses, weights)) as scope:
        weights = cast(weights, dtype=dtypes.float32)
        present = where(equal(weights, 0.0), zeros_like(weights), ones_like(weights))
        if present.get_shape() != losses.get_shape() or not present.get_shape().is_fully_defined():
            present = multiply(present, ones_like(losses))
        if per_batch:
            axes = list(range(1, present.get_shape().ndims or 0))
            return reduce_sum(present, axis=axes, keepdims=True, name=scope)
        return reduce_sum(present, name=scope)


def add_loss(loss: Any, loss_collection: Any = GraphKeys.LOSSES) -> None:
    """Add ``loss`` to ``loss_collection`` (nothing when it is None)."""
    if loss_collection:
        get_default_graph().add_to_collection(loss_collection, loss)


def get_losses(scope: str | None = None, loss_collection: Any = GraphKeys.LOSSES) -> list[Any]:
    """The losses in ``loss_collection``, filtered by ``scope``."""
    return get_default_graph().get_collection(loss_collection, scope)


def get_total_loss(
    add_regularization_losses: bool = True, name: str = "total_loss", scope: str | None = None
) -> Any:
    """``add_n`` of the losses (and the regularization losses), named ``total_loss``.

    >>> import scopeflow.compat.v1 as tf
    >>> _ = tf.losses.absolute_difference([1.0, 2.0], [1.5, 2.0])
    >>> print(tf.losses.get_total_loss().name)
    total_loss:0
    """
    losses = get_losses(scope=scope)
    if add_regularization_losses:
        losses += get_regularization_losses(scope=scope)
    return add_n(losses, name=name)


def compute_weighted_loss(
    losses: Any,
    weights: Any = 1.0,
    scope: str | None = None,
    loss_collection: Any = GraphKeys.LOSSES,
    reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS,
) -> Any:
    """``losses * weights`` reduced by ``reduction``; added to ``loss_collection``.

    Differences from TensorFlow: the ``assert_broadcastable`` check ops are not built.
    """
    Reduction.validate(reduction)
    with name_scope(scope, "weighted_loss", (losses, weights)):
        get_default_graph()._last_loss_reduction = reduction  # type: ignore[attr-defined]
        losses = convert_to_tensor(losses)
        input_dtype = losses.dtype
        losses = cast(losses, dtype=dtypes.float32)
        weights = cast(weights, dtype=dtypes.float32)
        weighted = multiply(losses, weights)
        if reduction == Reduction.NONE:
            loss = weighted
        else:
            loss = reduce_sum(weighted)
            if reduction == Reduction.MEAN:
                loss = _safe_mean(loss, reduce_sum(ones_like(losses) * weights))
            elif reduction == Reduction.SUM_BY_NONZERO_WEIGHTS:
                loss = _safe_mean(loss, _num_present(losses, weights))
            elif reduction == Reduction.SUM_OVER_BATCH_SIZE:
                loss = _safe_mean(loss, _num_elements(losses))
        loss = cast(loss, input_dtype)
        add_loss(loss, loss_collection)
        return loss


def _check(**args: Any) -> None:
    for name, value in args.items():
        if value is None:
            raise ValueError(f"Argument `{name}` must not be None.")


def _pair(labels: Any, predictions: Any) -> tuple[Any, Any]:
    predictions = cast(predictions, dtype=dtypes.float32)
    labels = cast(labels, dtype=dtypes.float32)
    predictions.get_shape().assert_is_compatible_with(labels.get_shape())
    return labels, predictions


def absolute_difference(
    labels: Any,
    predictions: Any,
    weights: Any = 1.0,
    scope: str | None = None,
    loss_collection: Any = GraphKeys.LOSSES,
    reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS,
) -> Any:
    """Weighted ``|predictions - labels|``.

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.losses.absolute_difference([1.0, 2.0], [1.5, 2.0]).name)
    absolute_difference/value:0
    """
    _check(labels=labels, predictions=predictions)
    with name_scope(scope, "absolute_difference", (predictions, labels, weights)) as ns:
        labels, predictions = _pair(labels, predictions)
        losses = abs_(subtract(predictions, labels))
        return compute_weighted_loss(losses, weights, ns, loss_collection, reduction)


def mean_squared_error(
    labels: Any,
    predictions: Any,
    weights: Any = 1.0,
    scope: str | None = None,
    loss_collection: Any = GraphKeys.LOSSES,
    reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS,
) -> Any:
    """Weighted ``(predictions - labels) ** 2``."""
    _check(labels=labels, predictions=predictions)
    with name_scope(scope, "mean_squared_error", (predictions, labels, weights)) as ns:
        labels, predictions = _pair(labels, predictions)
        from scopeflow.ops.math_ops import squared_difference  # noqa: PLC0415

        losses = squared_difference(predictions, labels)
        return compute_weighted_loss(losses, weights, ns, loss_collection, reduction)


def mean_pairwise_squared_error(
    labels: Any,
    predictions: Any,
    weights: Any = 1.0,
    scope: str | None = None,
    loss_collection: Any = GraphKeys.LOSSES,
) -> Any:
    """Weighted mean pairwise squared error.

    Weighted mean over batch elements of the squared differences between all pairs of
    ``predictions - labels`` entries (``mean_pairwise_squared_error/value``).

    Differences from TensorFlow: the inputs' rank must be known statically.
    """
    _check(labels=labels, predictions=predictions)
    with name_scope(scope, "mean_pairwise_squared_error", (predictions, labels, weights)):
        weights = cast(weights, dtype=dtypes.float32)
        labels = cast(labels, dtype=dtypes.float32)
        predictions = cast(predictions, dtype=dtypes.float32)
        predictions.get_shape().assert_is_compatible_with(labels.get_shape())
        diffs = subtract(predictions, labels)
        if diffs.get_shape().ndims is None:
            raise UnsupportedError("mean_pairwise_squared_error of inputs of unknown rank")
        axis = list(range(1, diffs.get_shape().ndims or 0))
        sum_squares = reduce_sum(square(diffs), axis=axis, keepdims=True)
        num_present = _num_present(diffs, weights, per_batch=True)
        term1 = 2.0 * div_no_nan(sum_squares, maximum(num_present - 1, 0), name="value")
        sum_diff = reduce_sum(diffs, axis=axis, keepdims=True)
        term2 = 2.0 * div_no_nan(
            square(sum_diff), maximum(multiply(num_present, num_present - 1), 0), name="value"
        )
        loss = reduce_sum(multiply(term1 - term2, weights))
        mean_loss = where(reduce_sum(num_present) > 0, loss, zeros_like(loss), name="value")
        add_loss(mean_loss, loss_collection)
        return mean_loss


def cosine_distance(
    labels: Any,
    predictions: Any,
    axis: Any = None,
    weights: Any = 1.0,
    scope: str | None = None,
    loss_collection: Any = GraphKeys.LOSSES,
    reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS,
    dim: Any = None,
) -> Any:
    """Weighted ``1 - sum(predictions * labels, axis)`` (inputs assumed unit-normalized)."""
    if dim is not None:
        if axis is not None:
            raise ValueError("Cannot specify both 'axis' and 'dim'")
        axis = dim
    if axis is None:
        raise ValueError("You must specify argument `axis`.")
    _check(labels=labels, predictions=predictions)
    with name_scope(scope, "cosine_distance_loss", (predictions, labels, weights)) as ns:
        labels, predictions = _pair(labels, predictions)
        radial = multiply(predictions, labels)
        losses = 1 - reduce_sum(radial, axis=(axis,), keepdims=True)
        return compute_weighted_loss(losses, weights, ns, loss_collection, reduction)


def hinge_loss(
    labels: Any,
    logits: Any,
    weights: Any = 1.0,
    scope: str | None = None,
    loss_collection: Any = GraphKeys.LOSSES,
    reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS,
) -> Any:
    """Weighted ``relu(1 - (2 * labels - 1) * logits)`` for 0/1 labels."""
    _check(labels=labels, logits=logits)
    with name_scope(scope, "hinge_loss", (logits, labels, weights)) as ns:
        labels, logits = _pair(labels, logits)
        all_ones = ones_like(labels)
        labels = subtract(2 * labels, all_ones)
        losses = nn_ops.relu(subtract(all_ones, multiply(labels, logits)))
        return compute_weighted_loss(losses, weights, ns, loss_collection, reduction)


def huber_loss(
    labels: Any,
    predictions: Any,
    weights: Any = 1.0,
    delta: float = 1.0,
    scope: str | None = None,
    loss_collection: Any = GraphKeys.LOSSES,
    reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS,
) -> Any:
    """Weighted Huber loss: quadratic within ``delta``, linear beyond."""
    _check(labels=labels, predictions=predictions)
    with name_scope(scope, "huber_loss", (predictions, labels, weights)) as ns:
        labels, predictions = _pair(labels, predictions)
        abs_error = abs_(subtract(predictions, labels))
        quadratic = minimum(abs_error, delta)
        linear = subtract(abs_error, quadratic)
        half = convert_to_tensor(0.5, dtype=quadratic.dtype)
        losses = multiply(half, multiply(quadratic, quadratic)) + multiply(delta, linear)
        return compute_weighted_loss(losses, weights, ns, loss_collection, reduction)


def log_loss(
    labels: Any,
    predictions: Any,
    weights: Any = 1.0,
    epsilon: float = 1e-7,
    scope: str | None = None,
    loss_collection: Any = GraphKeys.LOSSES,
    reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS,
) -> Any:
    """Weighted binary cross-entropy of probabilities."""
    _check(labels=labels, predictions=predictions)
    with name_scope(scope, "log_loss", (predictions, labels, weights)) as ns:
        labels, predictions = _pair(labels, predictions)
        losses = -multiply(labels, log(predictions + epsilon)) - multiply(
            (1 - labels), log(1 - predictions + epsilon)
        )
        return compute_weighted_loss(losses, weights, ns, loss_collection, reduction)


def sigmoid_cross_entropy(
    multi_class_labels: Any,
    logits: Any,
    weights: Any = 1.0,
    label_smoothing: float = 0,
    scope: str | None = None,
    loss_collection: Any = GraphKeys.LOSSES,
    reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS,
) -> Any:
    """Weighted sigmoid cross-entropy; labels smoothed toward 1/2 by ``label_smoothing``."""
    _check(multi_class_labels=multi_class_labels, logits=logits)
    with name_scope(
        scope, "sigmoid_cross_entropy_loss", (logits, multi_class_labels, weights)
    ) as ns:
        logits = convert_to_tensor(logits)
        labels = cast(multi_class_labels, logits.dtype)
        logits.get_shape().assert_is_compatible_with(labels.get_shape())
        if label_smoothing > 0:
            labels = labels * (1 - label_smoothing) + 0.5 * label_smoothing
        losses = nn_ops.sigmoid_cross_entropy_with_logits(
            labels=labels, logits=logits, name="xentropy"
        )
        return compute_weighted_loss(losses, weights, ns, loss_collection, reduction)


def softmax_cross_entropy(
    onehot_labels: Any,
    logits: Any,
    weights: Any = 1.0,
    label_smoothing: float = 0,
    scope: str | None = None,
    loss_collection: Any = GraphKeys.LOSSES,
    reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS,
) -> Any:
    """Weighted softmax cross-entropy; labels smoothed by ``label_smoothing``."""
    _check(onehot_labels=onehot_labels, logits=logits)
    with name_scope(scope, "softmax_cross_entropy_loss", (logits, onehot_labels, weights)) as ns:
        logits = convert_to_tensor(logits)
        labels = cast(onehot_labels, logits.dtype)
        logits.get_shape().assert_is_compatible_with(labels.get_shape())
        if label_smoothing > 0:
            from scopeflow.ops.array_ops import shape as shape_op  # noqa: PLC0415

            num_classes = cast(shape_op(labels)[-1], logits.dtype)
            labels = labels * (1.0 - label_smoothing) + label_smoothing / num_classes
        labels = stop_gradient(labels, name="labels_stop_gradient")
        losses = nn_ops.softmax_cross_entropy_with_logits_v2(
            labels=labels, logits=logits, name="xentropy"
        )
        return compute_weighted_loss(losses, weights, ns, loss_collection, reduction)


def sparse_softmax_cross_entropy(
    labels: Any,
    logits: Any,
    weights: Any = 1.0,
    scope: str | None = None,
    loss_collection: Any = GraphKeys.LOSSES,
    reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS,
) -> Any:
    """Weighted softmax cross-entropy with integer class labels.

    Differences from TensorFlow: labels/weights with one extra trailing dimension of size 1 are
    squeezed only when the ranks are known statically.
    """
    _check(labels=labels, logits=logits)
    with name_scope(scope, "sparse_softmax_cross_entropy_loss", (logits, labels, weights)) as ns:
        labels, logits = convert_to_tensor(labels), convert_to_tensor(logits)
        lr, pr = labels.get_shape().ndims, logits.get_shape().ndims
        if lr is not None and pr is not None and lr - pr == 0:
            labels = squeeze(labels, [-1])
        weights = convert_to_tensor(weights)
        wr = weights.get_shape().ndims
        lr2 = labels.get_shape().ndims
        if wr is not None and lr2 is not None and wr - lr2 == 1:
            weights = squeeze(weights, [-1])
        losses = nn_ops.sparse_softmax_cross_entropy_with_logits(
            labels=labels, logits=logits, name="xentropy"
        )
        return compute_weighted_loss(losses, weights, ns, loss_collection, reduction)


__all__ = [
    "Reduction",
    "absolute_difference",
    "add_loss",
    "compute_weighted_loss",
    "cosine_distance",
    "get_losses",
    "get_regularization_loss",
    "get_regularization_losses",
    "get_total_loss",
    "hinge_loss",
    "huber_loss",
    "log_loss",
    "mean_pairwise_squared_error",
    "mean_squared_error",
    "sigmoid_cross_entropy",
    "softmax_cross_entropy",
    "sparse_softmax_cross_entropy",
]
