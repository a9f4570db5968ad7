"""Heads of TF 1.15's canned estimators.

Regression (mean squared error) and binary logistic (sigmoid cross entropy) heads building
the ``EstimatorSpec`` of each mode.

Losses are reduced with ``SUM`` over the batch (TF 1.15's default for canned v1 estimators);
eval metrics carry TF's keys (``average_loss``, ``label/mean``, ``prediction/mean``, and for
classification ``accuracy``, ``accuracy_baseline``, ``auc``, ``auc_precision_recall``,
``precision``, ``recall``); the estimator adds ``loss`` and ``global_step``.

PREDICT specs carry TF's ``export_outputs``: ``serving_default`` and ``classification`` (a
``ClassificationOutput`` of the probabilities and the tiled class names) or ``regression``,
``regression`` (the logistic) for the binary head, and ``predict`` (all predictions).

Differences from TensorFlow: no ``thresholds`` or custom ``loss_fn``; ``classes`` of a
``label_vocabulary`` are gathered from the vocabulary rather than looked up in an
``index_to_string`` table (same strings).

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from typing import Any

from scopeflow._core import dtypes
from scopeflow._core.graph_keys import GraphKeys
from scopeflow.errors import UnsupportedError
from scopeflow.estimator.mode_keys import ModeKeys
from scopeflow.estimator.model_fn import EstimatorSpec
from scopeflow.feature_column._base import _LazyBuilder
from scopeflow.feature_column._dense import NumericColumn, numeric_column
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.losses._losses_impl import (
    Reduction,
    compute_weighted_loss,
    mean_squared_error,
    sparse_softmax_cross_entropy,
)
from scopeflow.metrics.mean_metrics import accuracy, mean
from scopeflow.metrics.threshold_metrics import auc, precision, recall
from scopeflow.ops._math_common import _scope
from scopeflow.ops.activation_ops import softmax
from scopeflow.ops.array_ops import concat, identity, ones_like, shape, zeros_like
from scopeflow.ops.check_ops import assert_equal, assert_less_equal, assert_non_negative
from scopeflow.ops.creation_ops import range as math_range
from scopeflow.ops.gather_scatter_ops import gather
from scopeflow.ops.lookup_ops import index_table_from_tensor
from scopeflow.ops.math_ops import cast, maximum, to_float
from scopeflow.ops.nn_loss_ops import sigmoid_cross_entropy_with_logits
from scopeflow.ops.reduction_ops import argmax, reduce_sum
from scopeflow.ops.shape_ops import expand_dims, tile
from scopeflow.ops.sparse_ops import SparseTensor
from scopeflow.ops.state_ops import group
from scopeflow.ops.string_ops import as_string
from scopeflow.ops.unary_ops import sigmoid
from scopeflow.saved_model.model_utils.export_output import (
    ClassificationOutput,
    PredictOutput,
    RegressionOutput,
)
from scopeflow.summary.summary import scalar
from scopeflow.train.training_util import get_global_step


def _labels(labels: Any, logits: Any, dim: int) -> Any:
    if labels is None:
        raise ValueError(
            "You must provide a labels Tensor. Given: None. Suggested troubleshooting steps: "
            "Check that your data contain your label feature. Check that your input_fn "
            "properly parses and returns labels."
        )
    g = get_default_graph()
    with g.name_scope(_scope(None, "labels")) as scope:
        if isinstance(labels, SparseTensor):
            raise ValueError(
                f"SparseTensor labels are not supported. labels must be a Tensor "
                f"of shape [D0, D1, ..., DN, {dim}], e.g. [batch_size, {dim}]. "
                "Suggested Fix (1): Check the label feature in your data. "
                "Suggested Fix (2): In your input_fn, use tf.sparse_tensor_to_dense"
                "() to turn labels into a Tensor."
            )
        labels = convert_to_tensor(labels)
        ln, gn = labels.shape.ndims, logits.shape.ndims
        if ln is not None and gn is not None and ln == gn - 1:
            labels = expand_dims(labels, -1)
        last = labels.shape.dims[-1].value if labels.shape.ndims else None
        if last is not None and last != dim:
            raise ValueError(
                f"Mismatched label shape. Expected labels dimension={dim}.  "
                f"Received {last}. Suggested Fix:If your classifier expects one-hot "
                "encoding label,check your n_classes argument to the estimator "
                "and/or the shape of your label.Otherwise, check the shape of your "
                "label."
            )
        return identity(labels, name=scope.rstrip("/").rsplit("/", 1)[-1])


def _weights(features: Any, weight_column: Any, logits: Any) -> Any:
    """TF's ``_get_weights_and_check_match_logits``: ``[D0, ..., DN, 1]`` float weights, or 1."""
    err_msg = "weights shape must be [D0, D1, ... DN] or [D0, D1, ... DN, 1]"
    g = get_default_graph()
    with g.name_scope(_scope(None, "weights")) as scope:
        if weight_column is None:
            return 1.0
        if isinstance(weight_column, str):
            weight_column = numeric_column(key=weight_column, shape=(1,))
        if not isinstance(weight_column, NumericColumn):
            raise TypeError(
                "Weight column must be either a string or _NumericColumn. "
                f"Given type: {type(weight_column)}."
            )
        weights = weight_column._get_dense_tensor(_LazyBuilder(features))
        if not (weights.dtype.is_floating or weights.dtype.is_integer):
            raise ValueError(
                f"Weight column should be castable to float. Given dtype: {weights.dtype}"
            )
        weights = to_float(weights, name="weights")
        weights_shape = shape(weights, name="weights_shape")
        logits_shape = shape(logits, name="logits_shape")
        data = ["logits_shape: ", logits_shape, "weights_shape: ", weights_shape]
        name = scope.rstrip("/").rsplit("/", 1)[-1]
        wn, ln = weights.shape.ndims, logits.shape.ndims
        if wn is not None and ln is not None and wn == ln - 1:
            check = assert_equal(logits_shape[:-1], weights_shape, message=err_msg, data=data)
            with g.control_dependencies([check]):
                return expand_dims(weights, -1, name=name)
        supported = concat([logits_shape[:-1], [1]], axis=0)
        check = assert_equal(supported, weights_shape, message=err_msg, data=data)
        with g.control_dependencies([check]):
            return identity(weights, name=name)


def _assert_range(labels: Any, n_classes: int) -> Any:
    g = get_default_graph()
    with g.name_scope(_scope(None, "assert_range")):
        upper = assert_less_equal(
            labels,
            convert_to_tensor(n_classes - 1, dtype=labels.dtype),
            message="Labels must <= n_classes - 1",
        )
        lower = assert_non_negative(labels, message="Labels must >= 0")
        with g.control_dependencies((upper, lower)):
            return identity(labels)


def _label_ids(labels: Any, label_vocabulary: Any, n_classes: int) -> Any:
    """Integer class ids of ``labels`` (through ``label_vocabulary`` if any), range-checked."""
    if label_vocabulary is None:
        if not labels.dtype.is_integer and n_classes > 2:
            raise ValueError(f"Labels dtype should be integer. Instead got {labels.dtype}.")
        ids = labels
    else:
        if labels.dtype != dtypes.string and n_classes > 2:
            # TF's binary head has no such check: its table lookup raises a TypeError
            raise ValueError(
                "Labels dtype should be string if there is a vocabulary. "
                f"Instead got {labels.dtype}"
            )
        table = index_table_from_tensor(tuple(label_vocabulary), name="class_id_lookup")
        ids = table.lookup(labels)
    if n_classes == 2:
        ids = to_float(ids)
    return _assert_range(ids, n_classes)


def _check_reduction(loss_reduction: str) -> None:
    if loss_reduction not in Reduction.all() or loss_reduction == Reduction.NONE:
        raise ValueError(f"Invalid loss_reduction: {loss_reduction}")


def _check_vocabulary(label_vocabulary: Any, error: type[Exception]) -> None:
    # TF's binary head says "list or tuple" (TypeError), the multi-class "list or a tuple"
    if label_vocabulary is not None and not isinstance(label_vocabulary, (list, tuple)):
        kind = "list or tuple" if error is TypeError else "list or a tuple"
        raise error(f"label_vocabulary should be a {kind}. Given type: {type(label_vocabulary)}")


def _append_update_ops(train_op: Any) -> Any:
    update_ops = get_default_graph().get_collection(GraphKeys.UPDATE_OPS)
    return group(train_op, *update_ops) if update_ops else train_op


def _train_op(loss: Any, optimizer: Any, train_op_fn: Any) -> Any:
    if optimizer is not None:
        if train_op_fn is not None:
            raise ValueError("train_op_fn and optimizer cannot both be set.")
        op = optimizer.minimize(loss, global_step=get_global_step())
    elif train_op_fn is not None:
        op = train_op_fn(loss)
    else:
        raise ValueError("train_op_fn and optimizer cannot both be None.")
    return _append_update_ops(op)


def _all_class_ids(logits: Any, n_classes: int) -> Any:
    """``[batch, n_classes]``: every class id in each row."""
    batch_size = shape(logits)[0]
    return tile(expand_dims(math_range(n_classes), 0), [batch_size, 1])


def _all_classes(logits: Any, n_classes: int, label_vocabulary: Any = None) -> Any:
    """``[batch, n_classes]``: every class name (the vocabulary, or the ids as strings) per row."""
    batch_size = shape(logits)[0]
    if label_vocabulary:
        names = convert_to_tensor(list(label_vocabulary), dtype=dtypes.string)
    else:
        names = as_string(math_range(n_classes))
    return tile(expand_dims(names, 0), [batch_size, 1])


def _classes(class_ids: Any, label_vocabulary: Any) -> Any:
    """The ``classes`` prediction: the ids as strings, or their vocabulary entries.

    TF looks the vocabulary up with an ``index_to_string`` table; a gather of the
    vocabulary gives the same strings for the in-range ids an argmax yields.
    """
    if not label_vocabulary:
        return as_string(class_ids, name="str_classes")
    vocab = convert_to_tensor(list(label_vocabulary), dtype=dtypes.string)
    return gather(vocab, class_ids, name="class_string_lookup")


def _classification_output(
    scores: Any, n_classes: int, label_vocabulary: Any = None
) -> ClassificationOutput:
    """TF's classify output: the scores and every class name, tiled over the batch."""
    return ClassificationOutput(
        scores=scores, classes=_all_classes(scores, n_classes, label_vocabulary)
    )


def _predict_spec(predictions: dict[str, Any], **export_outputs: Any) -> EstimatorSpec:
    """The PREDICT spec: the head's export outputs plus ``predict`` (all predictions)."""
    export_outputs["serving_default"] = export_outputs[next(iter(export_outputs))]
    export_outputs["predict"] = PredictOutput(predictions)
    return EstimatorSpec(
        mode=ModeKeys.PREDICT, predictions=predictions, export_outputs=export_outputs
    )


def _summary_key(head_name: str | None, key: str) -> str:
    """TF's metric and summary key: ``key``, or ``key/head_name`` for a named head."""
    return f"{key}/{head_name}" if head_name else key


def _keyed(head_name: str | None, metrics: dict[str, Any]) -> dict[str, Any]:
    return {_summary_key(head_name, k): v for k, v in metrics.items()}


def _train_spec(
    predictions: Any,
    loss: Any,
    weights: Any,
    unreduced: Any,
    reduction: str,
    optimizer: Any,
    train_op_fn: Any,
    head_name: str | None = None,
) -> EstimatorSpec:
    """The TRAIN spec every head builds: the train op, then the root-level loss summaries."""
    train_op = _train_op(loss, optimizer, train_op_fn)
    mean_loss = None
    if reduction == Reduction.SUM:
        mean_loss = loss / reduce_sum(weights * ones_like(unreduced))
    with get_default_graph().name_scope(""):
        scalar(_summary_key(head_name, "loss"), loss)
        if mean_loss is not None:
            scalar(_summary_key(head_name, "average_loss"), mean_loss)
    return EstimatorSpec(mode=ModeKeys.TRAIN, predictions=predictions, loss=loss, train_op=train_op)


class RegressionHead:
    """Mean squared error regression head (TF 1.15's ``_regression_head``)."""

    def __init__(
        self,
        label_dimension: int = 1,
        weight_column: Any = None,
        loss_reduction: str = Reduction.SUM,
        name: str | None = None,
    ) -> None:
        if label_dimension < 1:
            raise ValueError(f"Invalid label_dimension {label_dimension}.")
        self.logits_dimension = label_dimension
        self._weight_column = weight_column
        _check_reduction(loss_reduction)
        self._loss_reduction = loss_reduction
        self.name = name

    def create_estimator_spec(
        self,
        features: Any,
        mode: str,
        logits: Any,
        labels: Any = None,
        optimizer: Any = None,
        train_op_fn: Any = None,
    ) -> EstimatorSpec:
        """The ``EstimatorSpec`` of ``mode`` for ``logits``."""
        g = get_default_graph()
        with g.name_scope(_scope(self.name, "head")):
            predictions = {"predictions": logits}
            if mode == ModeKeys.PREDICT:
                return _predict_spec(predictions, regression=RegressionOutput(value=logits))
            labels = to_float(_labels(labels, logits, self.logits_dimension))
            unreduced = mean_squared_error(
                labels=labels, predictions=logits, reduction=Reduction.NONE
            )
            weights = _weights(features, self._weight_column, logits)
            loss = compute_weighted_loss(unreduced, weights=weights, reduction=self._loss_reduction)
            if mode == ModeKeys.EVAL:
                metrics = {
                    "average_loss": mean(values=unreduced, weights=weights),
                    "prediction/mean": mean(values=logits, weights=weights, name="prediction/mean"),
                    "label/mean": mean(values=labels, weights=weights),
                }
                return EstimatorSpec(
                    mode=ModeKeys.EVAL,
                    predictions=predictions,
                    loss=loss,
                    eval_metric_ops=_keyed(self.name, metrics),
                )
            return _train_spec(
                predictions,
                loss,
                weights,
                unreduced,
                self._loss_reduction,
                optimizer,
                train_op_fn,
                self.name,
            )


class BinaryLogisticHead:
    """Sigmoid cross-entropy head for two classes (TF 1.15's binary logistic head)."""

    logits_dimension = 1

    def __init__(
        self,
        weight_column: Any = None,
        thresholds: Any = None,
        label_vocabulary: Any = None,
        loss_reduction: str = Reduction.SUM,
        name: str | None = None,
    ) -> None:
        if thresholds:
            raise UnsupportedError("canned classifier thresholds")
        _check_vocabulary(label_vocabulary, TypeError)
        self._label_vocabulary = label_vocabulary
        self._weight_column = weight_column
        _check_reduction(loss_reduction)
        self._loss_reduction = loss_reduction
        self.name = name

    def _predictions(self, logits: Any) -> dict[str, Any]:
        g = get_default_graph()
        with g.name_scope(_scope(None, "predictions")):
            logistic = sigmoid(logits, name="logistic")
            two_class_logits = concat(
                (zeros_like(logits), logits), axis=-1, name="two_class_logits"
            )
            probabilities = softmax(two_class_logits, name="probabilities")
            class_ids = argmax(two_class_logits, axis=-1, name="class_ids")
            class_ids = expand_dims(class_ids, axis=-1)
            all_class_ids = _all_class_ids(logits, 2)
            all_classes = _all_classes(logits, 2, self._label_vocabulary)
            classes = _classes(class_ids, self._label_vocabulary)
        return {
            "all_class_ids": all_class_ids,
            "all_classes": all_classes,
            "logits": logits,
            "logistic": logistic,
            "probabilities": probabilities,
            "class_ids": class_ids,
            "classes": classes,
        }

    def create_estimator_spec(
        self,
        features: Any,
        mode: str,
        logits: Any,
        labels: Any = None,
        optimizer: Any = None,
        train_op_fn: Any = None,
    ) -> EstimatorSpec:
        """The ``EstimatorSpec`` of ``mode`` for ``logits``."""
        g = get_default_graph()
        with g.name_scope(_scope(self.name, "head")):
            predictions = self._predictions(logits)
            if mode == ModeKeys.PREDICT:
                return _predict_spec(
                    predictions,
                    classification=_classification_output(
                        predictions["probabilities"], 2, self._label_vocabulary
                    ),
                    regression=RegressionOutput(value=predictions["logistic"]),
                )
            labels = _label_ids(_labels(labels, logits, 1), self._label_vocabulary, 2)
            unreduced = sigmoid_cross_entropy_with_logits(labels=labels, logits=logits, name="loss")
            weights = _weights(features, self._weight_column, logits)
            loss = compute_weighted_loss(unreduced, weights=weights, reduction=self._loss_reduction)
            if mode == ModeKeys.EVAL:
                return EstimatorSpec(
                    mode=ModeKeys.EVAL,
                    predictions=predictions,
                    loss=loss,
                    eval_metric_ops=_keyed(
                        self.name, self._metrics(labels, predictions, weights, unreduced)
                    ),
                )
            return _train_spec(
                predictions,
                loss,
                weights,
                unreduced,
                self._loss_reduction,
                optimizer,
                train_op_fn,
                self.name,
            )

    def _metrics(
        self, labels: Any, predictions: dict[str, Any], weights: Any, unreduced: Any
    ) -> dict[str, Any]:
        g = get_default_graph()
        logistic, class_ids = predictions["logistic"], predictions["class_ids"]
        with g.name_scope(_scope(None, "metrics")):
            labels_mean = mean(
                values=cast(labels, dtypes.float32), weights=weights, name="label/mean"
            )
            baseline_value = maximum(labels_mean[0], 1.0 - labels_mean[0], name="value")
            baseline_update = maximum(labels_mean[1], 1.0 - labels_mean[1], name="update_op")
            return {
                "average_loss": mean(values=unreduced, weights=weights, name="average_loss"),
                "accuracy": accuracy(
                    labels=labels, predictions=class_ids, weights=weights, name="accuracy"
                ),
                "precision": precision(
                    labels=labels, predictions=class_ids, weights=weights, name="precision"
                ),
                "recall": recall(
                    labels=labels, predictions=class_ids, weights=weights, name="recall"
                ),
                "prediction/mean": mean(values=logistic, weights=weights, name="prediction/mean"),
                "label/mean": labels_mean,
                "accuracy_baseline": (baseline_value, baseline_update),
                "auc": auc(
                    labels=labels,
                    predictions=cast(logistic, dtypes.float32),
                    weights=weights,
                    name="auc",
                ),
                "auc_precision_recall": auc(
                    labels=labels,
                    predictions=cast(logistic, dtypes.float32),
                    weights=weights,
                    curve="PR",
                    name="auc_precision_recall",
                ),
            }


class MultiClassHead:
    """Softmax cross-entropy head for ``n_classes > 2`` (TF 1.15's multi-class head)."""

    def __init__(
        self,
        n_classes: int,
        weight_column: Any = None,
        label_vocabulary: Any = None,
        loss_reduction: str = Reduction.SUM,
        name: str | None = None,
    ) -> None:
        if n_classes is None or n_classes <= 2:
            raise ValueError(f"n_classes must be > 2: {n_classes}.")
        _check_vocabulary(label_vocabulary, ValueError)
        self._label_vocabulary = label_vocabulary
        self.logits_dimension = n_classes
        self._weight_column = weight_column
        _check_reduction(loss_reduction)
        self._loss_reduction = loss_reduction
        self.name = name

    def _predictions(self, logits: Any) -> dict[str, Any]:
        g = get_default_graph()
        with g.name_scope(_scope(None, "predictions")):
            all_class_ids = _all_class_ids(logits, self.logits_dimension)
            all_classes = _all_classes(logits, self.logits_dimension, self._label_vocabulary)
            class_ids = expand_dims(argmax(logits, axis=-1, name="class_ids"), axis=-1)
            classes = _classes(class_ids, self._label_vocabulary)
            probabilities = softmax(logits, name="probabilities")
        return {
            "all_class_ids": all_class_ids,
            "all_classes": all_classes,
            "logits": logits,
            "probabilities": probabilities,
            "class_ids": class_ids,
            "classes": classes,
        }

    def create_estimator_spec(
        self,
        features: Any,
        mode: str,
        logits: Any,
        labels: Any = None,
        optimizer: Any = None,
        train_op_fn: Any = None,
    ) -> EstimatorSpec:
        """The ``EstimatorSpec`` of ``mode`` for ``logits``."""
        g = get_default_graph()
        with g.name_scope(_scope(self.name, "head")):
            predictions = self._predictions(logits)
            if mode == ModeKeys.PREDICT:
                probabilities = predictions["probabilities"]
                return _predict_spec(
                    predictions,
                    classification=_classification_output(
                        probabilities, self.logits_dimension, self._label_vocabulary
                    ),
                )
            label_ids = _label_ids(
                _labels(labels, logits, 1), self._label_vocabulary, self.logits_dimension
            )
            unreduced = expand_dims(
                sparse_softmax_cross_entropy(
                    labels=label_ids, logits=logits, reduction=Reduction.NONE
                ),
                axis=-1,
            )
            weights = _weights(features, self._weight_column, logits)
            loss = compute_weighted_loss(unreduced, weights=weights, reduction=self._loss_reduction)
            if mode == ModeKeys.EVAL:
                with g.name_scope(_scope(None, "metrics")):
                    metrics = {
                        "average_loss": mean(
                            values=unreduced, weights=weights, name="average_loss"
                        ),
                        "accuracy": accuracy(
                            labels=label_ids,
                            predictions=predictions["class_ids"],
                            weights=weights,
                            name="accuracy",
                        ),
                    }
                return EstimatorSpec(
                    mode=ModeKeys.EVAL,
                    predictions=predictions,
                    loss=loss,
                    eval_metric_ops=_keyed(self.name, metrics),
                )
            return _train_spec(
                predictions,
                loss,
                weights,
                unreduced,
                self._loss_reduction,
                optimizer,
                train_op_fn,
                self.name,
            )


def classifier_head(
    n_classes: int, weight_column: Any, label_vocabulary: Any, loss_reduction: str
) -> BinaryLogisticHead | MultiClassHead:
    """The head of a canned classifier: binary logistic for two classes, else multi-class."""
    if n_classes == 2:
        return BinaryLogisticHead(
            weight_column=weight_column,
            label_vocabulary=label_vocabulary,
            loss_reduction=loss_reduction,
        )
    return MultiClassHead(
        n_classes,
        weight_column=weight_column,
        label_vocabulary=label_vocabulary,
        loss_reduction=loss_reduction,
    )
