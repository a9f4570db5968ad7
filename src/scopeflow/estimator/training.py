"""``tf.estimator.train_and_evaluate`` with ``TrainSpec`` / ``EvalSpec``, local execution.

As TF 1.15's ``_TrainingExecutor.run_local``: ``Estimator.train(max_steps=train_spec.max_steps)``
with a saving listener that evaluates after every checkpoint save except the first (the one
written when the session starts), unless the last evaluation is younger than
``eval_spec.throttle_secs`` (a ``SecondOrStepTimer``), and once more at the end if the final
checkpoint was not evaluated. After each evaluation every ``EvalSpec.exporters`` entry exports
to ``model_dir/export/<exporter name>`` (``is_the_final_export`` once the evaluated step
reaches ``train_spec.max_steps``). Returns ``(eval_result_metrics, export_results)``.

Differences from TensorFlow:
    Distributed execution (``TF_CONFIG`` clusters: chief/worker/ps/evaluator tasks) is not
    built (``RunConfig`` refuses such a config); ``start_delay_secs`` only matters to a
    distributed evaluator and is validated but unused, as in TF's local mode.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import collections
import os
from typing import Any

from scopeflow._core.graph_keys import GraphKeys
from scopeflow.app import logging
from scopeflow.estimator.estimator import Estimator
from scopeflow.estimator.exporter import Exporter
from scopeflow.train.basic_session_run_hooks import CheckpointSaverListener, SecondOrStepTimer
from scopeflow.train.session_run_hook import SessionRunHook

__all__ = ["EvalSpec", "TrainSpec", "train_and_evaluate"]


def _validate_input_fn(input_fn: Any) -> None:
    if not callable(input_fn):
        raise TypeError(f"`input_fn` must be callable, given: {input_fn}")


def _validate_hooks(hooks: Any) -> tuple[Any, ...]:
    hooks = tuple(hooks or [])
    for hook in hooks:
        if not isinstance(hook, SessionRunHook):
            raise TypeError(f"All hooks must be `SessionRunHook` instances, given: {hook}")
    return hooks


def _validate_exporters(exporters: Any) -> tuple[Exporter, ...]:
    """``exporters`` (one, an iterable or None) as a tuple of uniquely named ``Exporter``s."""
    if not exporters:
        return ()
    if isinstance(exporters, Exporter):
        exporters = [exporters]
    unique_names: list[str] = []
    try:
        for exporter in exporters:
            if not isinstance(exporter, Exporter):
                raise TypeError  # reported below with TF's message
            if not exporter.name:
                names = [e.name for e in exporters]
                raise ValueError(
                    "An Exporter cannot have a name that is `None` or empty. All exporter "
                    f"names: {names}"
                )
            if not isinstance(exporter.name, str):
                raise ValueError(
                    f"An Exporter must have a string name. Given: {type(exporter.name)}"
                )
            if exporter.name in unique_names:
                names = [e.name for e in exporters]
                raise ValueError(
                    "`exporters` must have unique names. Such a name cannot be `None`. All "
                    f"exporter names: {names}"
                )
            unique_names.append(exporter.name)
    except TypeError:
        raise TypeError(
            "`exporters` must be an Exporter, an iterable of Exporter, or `None`, found "
            f"{exporters}."
        ) from None
    return tuple(exporters)


_TrainSpecFields = collections.namedtuple(  # type: ignore[name-match]
    "TrainSpec", ["input_fn", "max_steps", "hooks"]
)


class TrainSpec(_TrainSpecFields):
    """The training half of ``train_and_evaluate`` (``tf.estimator.TrainSpec``).

    >>> TrainSpec(lambda: None, max_steps=10).max_steps
    10
    """

    def __new__(  # noqa: D102
        cls, input_fn: Any, max_steps: int | None = None, hooks: Any = None
    ) -> TrainSpec:
        _validate_input_fn(input_fn)
        if max_steps is not None and max_steps <= 0:
            raise ValueError(f"Must specify max_steps > 0, given: {max_steps}")
        return super().__new__(cls, input_fn, max_steps, _validate_hooks(hooks))


_EvalSpecFields = collections.namedtuple(  # type: ignore[name-match]
    "EvalSpec",
    ["input_fn", "steps", "name", "hooks", "exporters", "start_delay_secs", "throttle_secs"],
)


class EvalSpec(_EvalSpecFields):
    """The evaluation half of ``train_and_evaluate`` (``tf.estimator.EvalSpec``).

    >>> spec = EvalSpec(lambda: None)
    >>> spec.steps, spec.start_delay_secs, spec.throttle_secs
    (100, 120, 600)
    """

    def __new__(  # noqa: D102
        cls,
        input_fn: Any,
        steps: int | None = 100,
        name: str | None = None,
        hooks: Any = None,
        exporters: Any = None,
        start_delay_secs: int = 120,
        throttle_secs: int = 600,
    ) -> EvalSpec:
        _validate_input_fn(input_fn)
        if steps is not None and steps <= 0:
            raise ValueError(f"Must specify steps > 0, given: {steps}")
        if name is not None and not isinstance(name, str):
            raise TypeError(f"`name` must be string, given: {name}")
        hooks = _validate_hooks(hooks)
        exporters = _validate_exporters(exporters)
        if start_delay_secs < 0:
            raise ValueError(f"Must specify start_delay_secs >= 0, given: {start_delay_secs}")
        if throttle_secs < 0:
            raise ValueError(f"Must specify throttle_secs >= 0, given: {throttle_secs}")
        return super().__new__(
            cls, input_fn, steps, name, hooks, exporters, start_delay_secs, throttle_secs
        )


class _EvalResult:
    EVALUATED = "evaluated"
    MISSING_CHECKPOINT = "missing checkpoint"
    NO_NEW_CHECKPOINT = "no new checkpoint"

    def __init__(
        self, status: str, metrics: dict[str, Any] | None = None, checkpoint_path: Any = None
    ) -> None:
        self.status = status
        self.metrics = metrics
        self.checkpoint_path = checkpoint_path


class _Evaluator:
    """Evaluates the latest checkpoint unless it was already evaluated (TF's ``_Evaluator``)."""

    def __init__(
        self, estimator: Estimator, eval_spec: EvalSpec, max_training_steps: int | None
    ) -> None:
        self._estimator = estimator
        self._eval_spec = eval_spec
        self._previous_ckpt_path: str | None = None
        self._max_training_steps = max_training_steps

    def evaluate_and_export(self) -> tuple[_EvalResult, list[Any]]:
        latest = self._estimator.latest_checkpoint()
        if not latest:
            logging.warning(
                "Estimator is not trained yet. Will start an evaluation when a checkpoint is ready."
            )
            return _EvalResult(_EvalResult.MISSING_CHECKPOINT), []
        if latest == self._previous_ckpt_path:
            logging.warning(
                "No new checkpoint ready for evaluation. Skip the current evaluation pass as "
                "evaluation results are expected to be same for the same checkpoint."
            )
            return _EvalResult(_EvalResult.NO_NEW_CHECKPOINT), []
        metrics = self._estimator.evaluate(
            input_fn=self._eval_spec.input_fn,
            steps=self._eval_spec.steps,
            name=self._eval_spec.name,
            checkpoint_path=latest,
            hooks=self._eval_spec.hooks,
        )
        if GraphKeys.GLOBAL_STEP not in metrics:
            raise ValueError(
                "Internal error: `Estimator.evaluate` result should have `global_step` in "
                f"result. Given {metrics}"
            )
        is_the_final_export = (
            metrics[GraphKeys.GLOBAL_STEP] >= self._max_training_steps
            if self._max_training_steps
            else False
        )
        export_results = self._export_eval_result(metrics, latest, is_the_final_export)
        self._previous_ckpt_path = latest
        return _EvalResult(_EvalResult.EVALUATED, metrics, latest), export_results

    def _export_eval_result(
        self, metrics: dict[str, Any], checkpoint_path: str, is_the_final_export: bool
    ) -> list[Any]:
        export_dir_base = os.path.join(self._estimator.model_dir, "export")  # noqa: PTH118
        return [
            exporter.export(
                estimator=self._estimator,
                export_path=os.path.join(export_dir_base, exporter.name),  # noqa: PTH118
                checkpoint_path=checkpoint_path,
                eval_result=metrics,
                is_the_final_export=is_the_final_export,
            )
            for exporter in self._eval_spec.exporters
        ]


class _NewCheckpointListenerForEvaluate(CheckpointSaverListener):
    """Evaluates after checkpoint saves, throttled by ``throttle_secs`` (TF's listener)."""

    def __init__(self, evaluator: _Evaluator, eval_throttle_secs: int) -> None:
        self._evaluator = evaluator
        self._eval_throttle_secs = eval_throttle_secs
        self.eval_result: _EvalResult | None = None
        self.export_results: list[Any] | None = None
        self._timer: Any = None
        self._is_first_run = True

    def begin(self) -> None:
        self._timer = SecondOrStepTimer(every_secs=self._eval_throttle_secs)
        self._is_first_run = True

    def after_save(self, session: Any, global_step_value: int) -> Any:
        del session
        if self._is_first_run:
            self._is_first_run = False
            return None
        if self._timer.should_trigger_for_step(global_step_value):
            self._evaluate(global_step_value)
        else:
            logging.info(
                f"Skip the current checkpoint eval due to throttle secs "
                f"({self._eval_throttle_secs} secs)."
            )
        return None

    def end(self, session: Any, global_step_value: int) -> None:
        if global_step_value != self._timer.last_triggered_step():
            self._evaluate(global_step_value)

    def _evaluate(self, global_step_value: int) -> None:
        self._timer.update_last_triggered_step(global_step_value)
        self.eval_result, self.export_results = self._evaluator.evaluate_and_export()
        if self.eval_result.status != _EvalResult.EVALUATED:
            raise RuntimeError(
                "There was no new checkpoint after the training. Eval status: "
                f"{self.eval_result.status}"
            )


def train_and_evaluate(
    estimator: Estimator, train_spec: TrainSpec, eval_spec: EvalSpec
) -> tuple[dict[str, Any] | None, list[Any] | None]:
    """Train ``estimator``, evaluating after checkpoints (``tf.estimator.train_and_evaluate``).

    Returns:
        ``(metrics of the last evaluation, export results)``.

    Raises:
        TypeError: wrong argument types (TF's messages).
    """
    if not isinstance(eval_spec, EvalSpec):
        raise TypeError(
            f"`eval_spec` must have type `tf.estimator.EvalSpec`. Got: {type(eval_spec)}"
        )
    if not isinstance(estimator, Estimator):
        raise TypeError(
            f"`estimator` must have type `tf.estimator.Estimator`. Got: {type(estimator)}"
        )
    if not isinstance(train_spec, TrainSpec):
        raise TypeError(
            f"`train_spec` must have type `tf.estimator.TrainSpec`. Got: {type(train_spec)}"
        )
    config = estimator.config
    logging.info("Running training and evaluation locally (non-distributed).")
    logging.info(
        "Start train and evaluate loop. The evaluate will happen after every checkpoint. "
        "Checkpoint frequency is determined based on RunConfig arguments: "
        f"save_checkpoints_steps {config.save_checkpoints_steps} or save_checkpoints_secs "
        f"{config.save_checkpoints_secs}."
    )
    evaluator = _Evaluator(estimator, eval_spec, train_spec.max_steps)
    listener = _NewCheckpointListenerForEvaluate(evaluator, eval_spec.throttle_secs)
    estimator.train(
        input_fn=train_spec.input_fn,
        max_steps=train_spec.max_steps,
        hooks=list(train_spec.hooks),
        saving_listeners=[listener],
    )
    result = listener.eval_result or _EvalResult(_EvalResult.MISSING_CHECKPOINT)
    return result.metrics, listener.export_results
