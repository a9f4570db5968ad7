"""Early stopping for Estimator training (``tf.estimator.experimental.*_hook``), as TF 1.15.

The hooks read the evaluation summaries in ``estimator.eval_dir()`` (``read_eval_metrics``) every
``run_every_secs`` seconds or ``run_every_steps`` steps and stop training when a metric crosses a
threshold (``stop_if_higher_hook`` / ``stop_if_lower_hook``) or has not improved for a number of
steps (``stop_if_no_increase_hook`` / ``stop_if_no_decrease_hook``); ``make_early_stopping_hook``
takes any predicate. A stop sets the ``signal_early_stopping/STOP`` variable, as TF does.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import collections
import operator
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from scopeflow._core import dtypes
from scopeflow._core.graph_keys import GraphKeys
from scopeflow._core.variable_scope import AUTO_REUSE, variable_scope
from scopeflow._core.variable_store import get_variable
from scopeflow.app import logging
from scopeflow.estimator.estimator import Estimator
from scopeflow.ops import state_ops
from scopeflow.ops.init_ops import constant_initializer
from scopeflow.summary.summary_iterator import summary_iterator
from scopeflow.train import training_util
from scopeflow.train.basic_session_run_hooks import SecondOrStepTimer
from scopeflow.train.session_run_hook import SessionRunArgs, SessionRunHook

__all__ = [
    "make_early_stopping_hook",
    "read_eval_metrics",
    "stop_if_higher_hook",
    "stop_if_lower_hook",
    "stop_if_no_decrease_hook",
    "stop_if_no_increase_hook",
]


def _summaries(eval_dir: str) -> Iterator[Any]:
    directory = Path(eval_dir)
    if directory.exists():
        for event_file in sorted(directory.glob("events.out.tfevents.*")):
            yield from summary_iterator(str(event_file))


def read_eval_metrics(eval_dir: str) -> collections.OrderedDict[int, dict[str, float]]:
    """The scalar evaluation metrics in ``eval_dir``'s event files, by global step."""
    by_step: dict[int, dict[str, float]] = collections.defaultdict(dict)
    for event in _summaries(eval_dir):
        if not event.HasField("summary"):
            continue
        metrics = {v.tag: v.simple_value for v in event.summary.value if v.HasField("simple_value")}
        if metrics:
            by_step[event.step].update(metrics)
    return collections.OrderedDict(sorted(by_step.items(), key=lambda t: t[0]))


def _get_or_create_stop_var() -> Any:
    with variable_scope("signal_early_stopping", values=[], reuse=AUTO_REUSE):
        return get_variable(
            name="STOP",
            shape=[],
            dtype=dtypes.bool,
            initializer=constant_initializer(False),
            collections=[GraphKeys.GLOBAL_VARIABLES],
            trainable=False,
        )


class _StopOnPredicateHook(SessionRunHook):
    """Requests a stop when ``should_stop_fn()`` returns True (checked on a timer)."""

    def __init__(
        self,
        should_stop_fn: Callable[[], bool],
        run_every_secs: float | None = 60,
        run_every_steps: int | None = None,
    ) -> None:
        if not callable(should_stop_fn):
            raise TypeError("`should_stop_fn` must be callable.")
        self._should_stop_fn = should_stop_fn
        self._timer = SecondOrStepTimer(every_secs=run_every_secs, every_steps=run_every_steps)
        self._global_step_tensor: Any = None
        self._stop_var: Any = None
        self._stop_op: Any = None

    def begin(self) -> None:
        self._global_step_tensor = training_util.get_global_step()
        self._stop_var = _get_or_create_stop_var()
        self._stop_op = state_ops.assign(self._stop_var, True)

    def before_run(self, run_context: Any) -> SessionRunArgs:
        del run_context
        return SessionRunArgs(self._global_step_tensor)

    def after_run(self, run_context: Any, run_values: Any) -> None:
        global_step = int(run_values.results)
        if self._timer.should_trigger_for_step(global_step):
            self._timer.update_last_triggered_step(global_step)
            if self._should_stop_fn():
                logging.info("Requesting early stopping at global step %d", global_step)
                run_context.session.run(self._stop_op)
                run_context.request_stop()


def make_early_stopping_hook(
    estimator: Estimator,
    should_stop_fn: Callable[[], bool],
    run_every_secs: float | None = 60,
    run_every_steps: int | None = None,
) -> SessionRunHook:
    """A hook stopping training when ``should_stop_fn()`` returns True.

    Raises:
        TypeError: ``estimator`` is not an Estimator.
        ValueError: both ``run_every_secs`` and ``run_every_steps`` are set.
    """
    if not isinstance(estimator, Estimator):
        raise TypeError(
            f"`estimator` must have type `tf.estimator.Estimator`. Got: {type(estimator)}"
        )
    if run_every_secs is not None and run_every_steps is not None:
        raise ValueError("Only one of `run_every_secs` and `run_every_steps` must be set.")
    return _StopOnPredicateHook(should_stop_fn, run_every_secs, run_every_steps)


def _threshold_hook(
    estimator: Estimator,
    metric_name: str,
    threshold: float,
    higher_is_better: bool,
    eval_dir: str | None,
    min_steps: int,
    run_every_secs: float | None,
    run_every_steps: int | None,
) -> SessionRunHook:
    directory = eval_dir if eval_dir is not None else estimator.eval_dir()
    better = operator.gt if higher_is_better else operator.lt
    which = "greater than" if higher_is_better else "less than"

    def should_stop() -> bool:
        for step, metrics in read_eval_metrics(directory).items():
            if step < min_steps:
                continue
            val = metrics[metric_name]
            if better(val, threshold):
                logging.info(
                    'At step %s, metric "%s" has value %s which is %s the configured threshold '
                    "(%s) for early stopping.",
                    step, metric_name, val, which, threshold,
                )  # fmt: skip
                return True
        return False

    return make_early_stopping_hook(estimator, should_stop, run_every_secs, run_every_steps)


def _no_improvement_hook(
    estimator: Estimator,
    metric_name: str,
    max_steps_without_improvement: int,
    higher_is_better: bool,
    eval_dir: str | None,
    min_steps: int,
    run_every_secs: float | None,
    run_every_steps: int | None,
) -> SessionRunHook:
    directory = eval_dir if eval_dir is not None else estimator.eval_dir()
    better = operator.gt if higher_is_better else operator.lt
    which = "increase" if higher_is_better else "decrease"

    def should_stop() -> bool:
        best_val: float | None = None
        best_step = 0
        for step, metrics in read_eval_metrics(directory).items():
            if step < min_steps:
                continue
            val = metrics[metric_name]
            if best_val is None or better(val, best_val):
                best_val, best_step = val, step
            if step - best_step >= max_steps_without_improvement:
                logging.info(
                    'No %s in metric "%s" for %s steps, which is greater than or equal to max '
                    "steps (%s) configured for early stopping.",
                    which, metric_name, step - best_step, max_steps_without_improvement,
                )  # fmt: skip
                return True
        return False

    return make_early_stopping_hook(estimator, should_stop, run_every_secs, run_every_steps)


def stop_if_higher_hook(
    estimator: Estimator,
    metric_name: str,
    threshold: float,
    eval_dir: str | None = None,
    min_steps: int = 0,
    run_every_secs: float | None = 60,
    run_every_steps: int | None = None,
) -> SessionRunHook:
    """A hook stopping training once evaluation ``metric_name`` exceeds ``threshold``."""
    return _threshold_hook(
        estimator, metric_name, threshold, True, eval_dir, min_steps, run_every_secs,
        run_every_steps,
    )  # fmt: skip


def stop_if_lower_hook(
    estimator: Estimator,
    metric_name: str,
    threshold: float,
    eval_dir: str | None = None,
    min_steps: int = 0,
    run_every_secs: float | None = 60,
    run_every_steps: int | None = None,
) -> SessionRunHook:
    """A hook stopping training once evaluation ``metric_name`` falls below ``threshold``."""
    return _threshold_hook(
        estimator, metric_name, threshold, False, eval_dir, min_steps, run_every_secs,
        run_every_steps,
    )  # fmt: skip


def stop_if_no_increase_hook(
    estimator: Estimator,
    metric_name: str,
    max_steps_without_increase: int,
    eval_dir: str | None = None,
    min_steps: int = 0,
    run_every_secs: float | None = 60,
    run_every_steps: int | None = None,
) -> SessionRunHook:
    """A hook stopping training when ``metric_name`` has not increased for that many steps."""
    return _no_improvement_hook(
        estimator, metric_name, max_steps_without_increase, True, eval_dir, min_steps,
        run_every_secs, run_every_steps,
    )  # fmt: skip


def stop_if_no_decrease_hook(
    estimator: Estimator,
    metric_name: str,
    max_steps_without_decrease: int,
    eval_dir: str | None = None,
    min_steps: int = 0,
    run_every_secs: float | None = 60,
    run_every_steps: int | None = None,
) -> SessionRunHook:
    """A hook stopping training when ``metric_name`` has not decreased for that many steps."""
    return _no_improvement_hook(
        estimator, metric_name, max_steps_without_decrease, False, eval_dir, min_steps,
        run_every_secs, run_every_steps,
    )  # fmt: skip
