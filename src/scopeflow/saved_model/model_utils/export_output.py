"""``ExportOutput``s: what a model serves, each turned into one ``SignatureDef`` (TF 1.15).

``ClassificationOutput`` (``tensorflow/serving/classify``: string ``classes`` and/or float
``scores`` for one string input), ``RegressionOutput`` (``tensorflow/serving/regress``: float
``value`` for one string input), ``PredictOutput`` (``tensorflow/serving/predict``: any named
outputs for any named inputs), and the ``TrainOutput``/``EvalOutput`` of train and eval meta
graphs (``loss``, ``predictions/...`` and ``metrics/<name>/{value,update_op}`` outputs).
Errors carry TF 1.15's messages (``tensorflow/python/saved_model/model_utils/export_output.py``).

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import abc
from typing import Any

from scopeflow._core import dtypes
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.graph.variables import Variable
from scopeflow.ops.constant_op import constant
from scopeflow.saved_model import signature_defs

__all__ = [
    "ClassificationOutput",
    "EvalOutput",
    "ExportOutput",
    "PredictOutput",
    "RegressionOutput",
    "TrainOutput",
]


class ExportOutput(abc.ABC):
    """An output of a model that can be served (``tf.estimator.export.ExportOutput``)."""

    _SEPARATOR_CHAR = "/"

    @abc.abstractmethod
    def as_signature_def(self, receiver_tensors: dict[str, Any]) -> Any:
        """The ``SignatureDef`` of this output fed from ``receiver_tensors``."""

    def _check_output_key(self, key: Any, error_label: str) -> str:
        if isinstance(key, tuple):  # multi-head models key by tuples
            key = self._SEPARATOR_CHAR.join(key)
        if not isinstance(key, str):
            raise ValueError(f"{error_label} output key must be a string; got {key}.")
        return key

    def _wrap_and_check_outputs(
        self, outputs: Any, single_output_default_name: str, error_label: str | None = None
    ) -> dict[str, Tensor]:
        if not isinstance(outputs, dict):
            outputs = {single_output_default_name: outputs}
        output_dict = {}
        for raw_key, value in outputs.items():
            error_name = error_label or single_output_default_name
            key = self._check_output_key(raw_key, error_name)
            if not isinstance(value, Tensor):
                raise ValueError(f"{error_name} output value must be a Tensor; got {value}.")
            output_dict[key] = value
        return output_dict


def _single_string_input(receiver_tensors: dict[str, Any], kind: str) -> Tensor:
    message = f"{kind} input must be a single string Tensor; got {receiver_tensors}"
    if len(receiver_tensors) != 1:
        raise ValueError(message)
    ((_, examples),) = receiver_tensors.items()
    if examples.dtype.base_dtype != dtypes.string:
        raise ValueError(message)
    return examples  # type: ignore[no-any-return]


class ClassificationOutput(ExportOutput):
    """The output of a classification head: string ``classes`` and/or float ``scores``.

    Only ``classes``: top-k classes in descending order. Only ``scores``: a score for every
    class in class-id order. Both: zipped.

    Raises:
        ValueError: neither is set, or one has the wrong type (TF's messages).

    >>> import scopeflow.compat.v1 as tf
    >>> out = ClassificationOutput(scores=tf.zeros([2, 3]))
    >>> sig = out.as_signature_def({"examples": tf.placeholder(tf.string, [None])})
    >>> print(sig.method_name, sorted(sig.outputs))
    tensorflow/serving/classify ['scores']
    """

    def __init__(self, scores: Any = None, classes: Any = None) -> None:
        if scores is not None and not (isinstance(scores, Tensor) and scores.dtype.is_floating):
            raise ValueError(f"Classification scores must be a float32 Tensor; got {scores}")
        if classes is not None and not (
            isinstance(classes, Tensor) and classes.dtype.base_dtype == dtypes.string
        ):
            raise ValueError(f"Classification classes must be a string Tensor; got {classes}")
        if scores is None and classes is None:
            raise ValueError("At least one of scores and classes must be set.")
        self._scores = scores
        self._classes = classes

    @property
    def scores(self) -> Any:
        """The float scores tensor (or None)."""
        return self._scores

    @property
    def classes(self) -> Any:
        """The string classes tensor (or None)."""
        return self._classes

    def as_signature_def(self, receiver_tensors: dict[str, Any]) -> Any:
        """A ``tensorflow/serving/classify`` signature (one string input)."""
        examples = _single_string_input(receiver_tensors, "Classification")
        return signature_defs.classification_signature_def(examples, self.classes, self.scores)


class RegressionOutput(ExportOutput):
    """The output of a regression head: one float ``value`` tensor.

    Raises:
        ValueError: ``value`` is not a float Tensor (TF's message).
    """

    def __init__(self, value: Any) -> None:
        if not (isinstance(value, Tensor) and value.dtype.is_floating):
            raise ValueError(f"Regression output value must be a float32 Tensor; got {value}")
        self._value = value

    @property
    def value(self) -> Tensor:
        """The predicted values."""
        return self._value

    def as_signature_def(self, receiver_tensors: dict[str, Any]) -> Any:
        """A ``tensorflow/serving/regress`` signature (one string input)."""
        examples = _single_string_input(receiver_tensors, "Regression")
        return signature_defs.regression_signature_def(examples, self.value)


class PredictOutput(ExportOutput):
    """The output of a generic prediction head: a dict of named tensors (or one, ``output``).

    >>> import scopeflow.compat.v1 as tf
    >>> sorted(PredictOutput(tf.zeros([2])).outputs)
    ['output']
    """

    _SINGLE_OUTPUT_DEFAULT_NAME = "output"

    def __init__(self, outputs: Any) -> None:
        self._outputs = self._wrap_and_check_outputs(
            outputs, self._SINGLE_OUTPUT_DEFAULT_NAME, error_label="Prediction"
        )

    @property
    def outputs(self) -> dict[str, Tensor]:
        """The named output tensors."""
        return self._outputs

    def as_signature_def(self, receiver_tensors: dict[str, Any]) -> Any:
        """A ``tensorflow/serving/predict`` signature over the receiver tensors."""
        return signature_defs.predict_signature_def(receiver_tensors, self.outputs)


class _SupervisedOutput(ExportOutput):
    """The loss, predictions and metrics of a train or eval meta graph."""

    LOSS_NAME = "loss"
    PREDICTIONS_NAME = "predictions"
    METRICS_NAME = "metrics"
    METRIC_VALUE_SUFFIX = "value"
    METRIC_UPDATE_SUFFIX = "update_op"

    def __init__(self, loss: Any = None, predictions: Any = None, metrics: Any = None) -> None:
        self._loss: dict[str, Tensor] | None = None
        self._predictions: dict[str, Tensor] | None = None
        self._metrics: dict[str, Tensor] | None = None
        if loss is not None:
            loss_dict = self._wrap_and_check_outputs(loss, self.LOSS_NAME)
            self._loss = self._prefix_output_keys(loss_dict, self.LOSS_NAME)
        if predictions is not None:
            pred_dict = self._wrap_and_check_outputs(predictions, self.PREDICTIONS_NAME)
            self._predictions = self._prefix_output_keys(pred_dict, self.PREDICTIONS_NAME)
        if metrics is not None:
            self._metrics = self._wrap_and_check_metrics(metrics)

    def _prefix_output_keys(self, output_dict: dict[str, Any], name: str) -> dict[str, Any]:
        return {self._prefix_key(k, name): v for k, v in output_dict.items()}

    def _prefix_key(self, key: str, output_name: str) -> str:
        if key.find(output_name) != 0:
            key = output_name + self._SEPARATOR_CHAR + key
        return key

    def _wrap_and_check_metrics(self, metrics: Any) -> dict[str, Tensor]:
        if not isinstance(metrics, dict):
            metrics = {self.METRICS_NAME: metrics}
        outputs = {}
        for raw_key, value in metrics.items():
            metric_val, metric_op = value
            key = self._check_output_key(raw_key, self.METRICS_NAME)
            key = self._prefix_key(key, self.METRICS_NAME)
            val_name = key + self._SEPARATOR_CHAR + self.METRIC_VALUE_SUFFIX
            op_name = key + self._SEPARATOR_CHAR + self.METRIC_UPDATE_SUFFIX
            if not isinstance(metric_val, Tensor):
                raise ValueError(f"{key} output value must be a Tensor; got {metric_val}.")
            if not isinstance(metric_op, (Tensor, Operation, Variable)):
                raise ValueError(f"{key} update_op must be a Tensor or Operation; got {metric_op}.")
            # A SignatureDef names tensors only: an update Operation is wrapped in a Tensor.
            metric_op_tensor: Any = metric_op
            if not isinstance(metric_op, Tensor):
                with get_default_graph().control_dependencies([metric_op]):
                    metric_op_tensor = constant([], name="metric_op_wrapper")
            outputs[val_name] = metric_val
            outputs[op_name] = metric_op_tensor
        return outputs

    @property
    def loss(self) -> dict[str, Tensor] | None:
        """``loss[/...]`` -> loss tensor."""
        return self._loss

    @property
    def predictions(self) -> dict[str, Tensor] | None:
        """``predictions[/...]`` -> prediction tensor."""
        return self._predictions

    @property
    def metrics(self) -> dict[str, Tensor] | None:
        """``metrics/<name>/value`` and ``.../update_op`` -> tensor."""
        return self._metrics

    @abc.abstractmethod
    def _signature_def_fn(self) -> Any: ...

    def as_signature_def(self, receiver_tensors: dict[str, Any]) -> Any:
        """A supervised train or eval signature over the receiver tensors."""
        return self._signature_def_fn()(receiver_tensors, self.loss, self.predictions, self.metrics)


class TrainOutput(_SupervisedOutput):
    """The output of a supervised training meta graph (``tensorflow/supervised/training``)."""

    def _signature_def_fn(self) -> Any:
        return signature_defs.supervised_train_signature_def


class EvalOutput(_SupervisedOutput):
    """The output of a supervised eval meta graph (``tensorflow/supervised/eval``)."""

    def _signature_def_fn(self) -> Any:
        return signature_defs.supervised_eval_signature_def
