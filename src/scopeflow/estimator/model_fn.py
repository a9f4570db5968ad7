"""``tf.estimator.EstimatorSpec``: what a ``model_fn`` returns, validated as TF validates it.

Depending on ``mode``: TRAIN needs ``loss`` and ``train_op``, EVAL needs ``loss``, PREDICT needs
``predictions``. A loss of shape ``[1]`` is reshaped to a scalar; tensors from another graph,
non-tensor values, hooks that are not ``SessionRunHook``s and ``eval_metric_ops`` values that are
not ``(value, update_op)`` pairs raise TF's errors with TF's messages. A missing ``scaffold``
becomes a default ``tf.train.Scaffold()``.

In PREDICT mode ``export_outputs`` is checked (a dict of ``ExportOutput``) and completed as
TF does: none gives ``{"serving_default": PredictOutput(predictions)}``, a single output under
another key is also served as ``serving_default``.

Differences from TensorFlow:
    Keras ``Metric`` objects as ``eval_metric_ops`` values raise ``UnsupportedError``.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import collections
from typing import Any

from scopeflow._core.tensor_shape import TensorShape
from scopeflow.errors import UnsupportedError
from scopeflow.estimator.mode_keys import ModeKeys
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.graph.variables import Variable
from scopeflow.ops import array_ops, nest
from scopeflow.saved_model.model_utils.export_utils import get_export_outputs
from scopeflow.train.scaffold import Scaffold
from scopeflow.train.session_run_hook import SessionRunHook

__all__ = ["AVERAGE_LOSS_METRIC_KEY", "LOSS_METRIC_KEY", "EstimatorSpec"]

LOSS_METRIC_KEY = "loss"
AVERAGE_LOSS_METRIC_KEY = "average_loss"

_DEFAULT_GRAPH_ERROR = (
    '{0} with "{1}" must be from the default graph. '
    "Possible causes of this error include: \n\n"
    "1) {0} was created outside the context of the default graph."
    "\n\n"
    "2) The object passed through to EstimatorSpec was not created "
    'in the most recent call to "model_fn".'
)


_SpecFields = collections.namedtuple(  # type: ignore[name-match]
    "EstimatorSpec",
    [
        "mode",
        "predictions",
        "loss",
        "train_op",
        "eval_metric_ops",
        "export_outputs",
        "training_chief_hooks",
        "training_hooks",
        "scaffold",
        "evaluation_hooks",
        "prediction_hooks",
    ],
)


def _is_tensor(x: Any) -> bool:
    return isinstance(x, (Tensor, Variable))


def _check_is_tensor(x: Any, name: str) -> Tensor:
    if not _is_tensor(x):
        raise TypeError(f"{name} must be Tensor, given: {x}")
    return x if isinstance(x, Tensor) else x.value()


def _validate_train_op(train_op: Any, mode: str) -> Any:
    if train_op is None:
        if mode == ModeKeys.TRAIN:
            raise ValueError("Missing train_op.")
        return None
    if not (isinstance(train_op, Operation) or _is_tensor(train_op)):
        raise TypeError(f"train_op must be Operation or Tensor, given: {train_op}")
    if isinstance(train_op, Variable):
        train_op = train_op.op
    if train_op.graph is not get_default_graph():
        raise ValueError(_DEFAULT_GRAPH_ERROR.format("train_op", train_op.name))
    return train_op


def _validate_loss(loss: Any, mode: str) -> Any:
    if loss is None:
        if mode in (ModeKeys.TRAIN, ModeKeys.EVAL):
            raise ValueError("Missing loss.")
        return None
    loss = _check_is_tensor(loss, "loss")
    shape = loss.get_shape()
    if shape.num_elements() not in (None, 1):
        raise ValueError(f"Loss must be scalar, given: {loss}")
    if loss.graph is not get_default_graph():
        raise ValueError(_DEFAULT_GRAPH_ERROR.format("loss", loss.name))
    if not shape.is_compatible_with(TensorShape([])):
        loss = array_ops.reshape(loss, [])
    return loss


def _validate_predictions(predictions: Any, mode: str) -> Any:
    if predictions is None:
        if mode == ModeKeys.PREDICT:
            raise ValueError("Missing predictions.")
        return {}
    graph = get_default_graph()
    if isinstance(predictions, dict):
        checked = {k: _check_is_tensor(v, f"predictions[{k}]") for k, v in predictions.items()}
        for key, value in checked.items():
            if value.graph is not graph:
                raise ValueError(
                    _DEFAULT_GRAPH_ERROR.format("prediction values", f"{key}: {value.name}")
                )
        return checked
    single = _check_is_tensor(predictions, "predictions")
    if single.graph is not graph:
        raise ValueError(_DEFAULT_GRAPH_ERROR.format("prediction values", single.name))
    return single


def _validate_hooks(hooks: Any) -> tuple[Any, ...]:
    hooks = tuple(hooks or [])
    for hook in hooks:
        if not isinstance(hook, SessionRunHook):
            raise TypeError(f"All hooks must be SessionRunHook instances, given: {hook}")
    return hooks


def _validate_eval_metric_ops(eval_metric_ops: Any) -> dict[str, Any]:
    if eval_metric_ops is None:
        return {}
    if not isinstance(eval_metric_ops, dict):
        raise TypeError(f"eval_metric_ops must be a dict, given: {eval_metric_ops}")
    for key, value in eval_metric_ops.items():
        if hasattr(value, "update_state") and hasattr(value, "result"):
            raise UnsupportedError(
                f"a Keras Metric object as eval_metric_ops[{key!r}]",
                "Use a tf.metrics function's (value, update_op) pair.",
            )
        if not isinstance(value, tuple) or len(value) != 2:
            raise TypeError(
                "Values of eval_metric_ops must be (metric_value, update_op) tuples, "
                f"given: {value} for key: {key}"
            )
    graph = get_default_graph()
    for key, value in eval_metric_ops.items():
        for val in nest.flatten(value):
            if val.graph is not graph:
                raise ValueError(
                    _DEFAULT_GRAPH_ERROR.format("eval_metric_ops", f"{key}: {val.name}")
                )
    return eval_metric_ops


def _validate_scaffold(scaffold: Any) -> Any:
    scaffold = scaffold or Scaffold()
    if not isinstance(scaffold, Scaffold):
        raise TypeError(f"scaffold must be tf.train.Scaffold. Given: {scaffold}")
    return scaffold


class EstimatorSpec(_SpecFields):
    """The ops and objects a ``model_fn`` returns (``tf.estimator.EstimatorSpec``).

    A named tuple with TF's fields: ``mode``, ``predictions``, ``loss``, ``train_op``,
    ``eval_metric_ops``, ``export_outputs``, ``training_chief_hooks``, ``training_hooks``,
    ``scaffold``, ``evaluation_hooks``, ``prediction_hooks``.

    >>> import scopeflow.compat.v1 as tf
    >>> spec = tf.estimator.EstimatorSpec(tf.estimator.ModeKeys.PREDICT, predictions=tf.zeros([2]))
    >>> spec.mode, spec.loss, spec.training_hooks
    ('infer', None, ())
    """

    def __new__(  # noqa: D102
        cls,
        mode: str,
        predictions: Any = None,
        loss: Any = None,
        train_op: Any = None,
        eval_metric_ops: Any = None,
        export_outputs: Any = None,
        training_chief_hooks: Any = None,
        training_hooks: Any = None,
        scaffold: Any = None,
        evaluation_hooks: Any = None,
        prediction_hooks: Any = None,
    ) -> EstimatorSpec:
        train_op = _validate_train_op(train_op, mode)
        loss = _validate_loss(loss, mode)
        predictions = _validate_predictions(predictions, mode)
        if mode == ModeKeys.PREDICT:
            export_outputs = get_export_outputs(export_outputs, predictions)
        training_hooks = _validate_hooks(training_hooks)
        evaluation_hooks = _validate_hooks(evaluation_hooks)
        prediction_hooks = _validate_hooks(prediction_hooks)
        training_chief_hooks = _validate_hooks(training_chief_hooks)
        eval_metric_ops = _validate_eval_metric_ops(eval_metric_ops)
        scaffold = _validate_scaffold(scaffold)
        return super().__new__(
            cls,
            mode,
            predictions,
            loss,
            train_op,
            eval_metric_ops,
            export_outputs,
            training_chief_hooks,
            training_hooks,
            scaffold,
            evaluation_hooks,
            prediction_hooks,
        )

    def _replace(self, **kwds: Any) -> EstimatorSpec:  # type: ignore[override]
        """A new ``EstimatorSpec`` with the given fields replaced (``mode`` cannot change)."""
        if "mode" in kwds and self.mode != kwds["mode"]:
            raise ValueError("mode of EstimatorSpec cannot be changed.")
        fields = {
            name: kwds.pop(name, value) for name, value in zip(self._fields, self, strict=True)
        }
        if kwds:
            raise ValueError(f"Got unexpected field names: {list(kwds)!r}")
        return EstimatorSpec(**fields)
