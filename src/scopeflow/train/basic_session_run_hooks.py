"""TF1's stock session-run hooks and ``SecondOrStepTimer``.

``StopAtStepHook``, ``CheckpointSaverHook`` (with ``CheckpointSaverListener``),
``StepCounterHook``, ``SummarySaverHook``, ``LoggingTensorHook``, ``NanTensorHook``,
``GlobalStepWaiterHook``, ``FinalOpsHook``, ``FeedFnHook``; their timing follows TF's code
exactly (which step triggers, which value of the global step is written with a summary or
checkpoint). Hooks that need the global step fetch the read tensor
``training_util._get_or_create_global_step_read()`` as TF's do; since
``MonitoredSession`` runs hook fetches before the caller's, that value is the step *before*
the run's training op, as TF's executor usually delivers it.

Events go through :class:`scopeflow.summary.writer.FileWriterCache` (TF's
``SummaryWriterCache``), logs through :mod:`scopeflow.app.logging` (``tf.logging``).

``CheckpointSaverHook``/``CheckpointSaverListener`` (:mod:`scopeflow.train.checkpoint_saver_hook`)
and the timers (:mod:`scopeflow.train.hook_timers`) live in their own modules and are re-exported
here, where TF has them.

``ProfilerHook`` writes Chrome traces of traced runs (``scopeflow.graph.timeline``).

Must not import ``scopeflow.compat``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from scopeflow.app import logging
from scopeflow.app.gfile import GFile
from scopeflow.errors import OutOfRangeError
from scopeflow.graph.config import RunOptions
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.timeline import Timeline
from scopeflow.summary.writer import FileWriterCache as SummaryWriterCache
from scopeflow.train import training_util
from scopeflow.train.checkpoint_saver_hook import (
    CheckpointSaverHook,
    CheckpointSaverListener,
    _global_step_read,
)
from scopeflow.train.hook_timers import NeverTriggerTimer, SecondOrStepTimer
from scopeflow.train.session_run_hook import SessionRunArgs, SessionRunHook

__all__ = [
    "CheckpointSaverHook",
    "CheckpointSaverListener",
    "FeedFnHook",
    "FinalOpsHook",
    "GlobalStepWaiterHook",
    "LoggingTensorHook",
    "NanLossDuringTrainingError",
    "NanTensorHook",
    "NeverTriggerTimer",
    "ProfilerHook",
    "SecondOrStepTimer",
    "StepCounterHook",
    "StopAtStepHook",
    "SummarySaverHook",
]


def _protos() -> Any:
    from scopeflow import protos  # noqa: PLC0415  (protobuf loads with the first hook using it)

    return protos


# --- logging -------------------------------------------------------------------------------------


def _as_graph_element(obj: Any) -> Any:
    graph = get_default_graph()
    if not isinstance(obj, str):
        if not hasattr(obj, "graph") or obj.graph != graph:
            raise ValueError(
                f"Passed {obj} should have graph attribute that is equal to current graph {graph}."
            )
        return obj
    if ":" in obj:
        return graph.as_graph_element(obj)
    element = graph.as_graph_element(obj + ":0")
    try:
        graph.as_graph_element(obj + ":1")
    except (KeyError, ValueError):
        pass
    else:
        raise ValueError(
            f"Name {obj} is ambiguous, as this `Operation` has multiple outputs (at least 2)."
        )
    return element


class LoggingTensorHook(SessionRunHook):
    """Logs tensors (``tag = value``) every N iterations, every N seconds, and/or at the end.

    ``tensors`` is a dict ``tag -> tensor`` (logged in sorted tag order) or a list of tensors or
    tensor names (logged in list order, tagged by themselves). Values print with NumPy's
    ``suppress=True``; ``formatter(values_dict)`` replaces the default line.
    """

    def __init__(
        self,
        tensors: Any,
        every_n_iter: int | None = None,
        every_n_secs: float | None = None,
        at_end: bool = False,
        formatter: Callable[[dict[Any, Any]], str] | None = None,
    ) -> None:
        only_log_at_end = at_end and every_n_iter is None and every_n_secs is None
        if not only_log_at_end and (every_n_iter is None) == (every_n_secs is None):
            raise ValueError(
                "either at_end and/or exactly one of every_n_iter and every_n_secs must be "
                "provided."
            )
        if every_n_iter is not None and every_n_iter <= 0:
            raise ValueError(f"invalid every_n_iter={every_n_iter}.")
        if not isinstance(tensors, dict):
            self._tag_order = list(tensors)
            tensors = {item: item for item in tensors}
        else:
            self._tag_order = sorted(tensors.keys())
        self._tensors = tensors
        self._formatter = formatter
        self._timer: SecondOrStepTimer | NeverTriggerTimer = (
            NeverTriggerTimer()
            if only_log_at_end
            else SecondOrStepTimer(every_secs=every_n_secs, every_steps=every_n_iter)
        )
        self._log_at_end = at_end

    def begin(self) -> None:
        """Looks up the graph elements the hook uses (TF's ``begin``)."""
        self._timer.reset()
        self._iter_count = 0
        self._current_tensors = {
            tag: _as_graph_element(tensor) for tag, tensor in self._tensors.items()
        }

    def before_run(self, run_context: Any) -> SessionRunArgs | None:
        """The tensors/feeds this hook adds to the run (TF's ``before_run``)."""
        self._should_trigger = self._timer.should_trigger_for_step(self._iter_count)
        if self._should_trigger:
            return SessionRunArgs(self._current_tensors)
        return None

    def _log_tensors(self, tensor_values: dict[Any, Any]) -> None:
        original = np.get_printoptions()
        np.set_printoptions(suppress=True)
        try:
            elapsed_secs, _ = self._timer.update_last_triggered_step(self._iter_count)
            if self._formatter:
                logging.info(self._formatter(tensor_values))
            else:
                stats = [f"{tag} = {tensor_values[tag]!s}" for tag in self._tag_order]
                if elapsed_secs is not None:
                    logging.info("%s (%.3f sec)", ", ".join(stats), elapsed_secs)
                else:
                    logging.info("%s", ", ".join(stats))
        finally:
            np.set_printoptions(**original)

    def after_run(self, run_context: Any, run_values: Any) -> None:
        """Acts on this run's results (TF's ``after_run``)."""
        if self._should_trigger:
            self._log_tensors(run_values.results)
        self._iter_count += 1

    def end(self, session: Any) -> None:
        """Acts before the session closes (TF's ``end``)."""
        if self._log_at_end:
            self._log_tensors(session.run(self._current_tensors))


# --- stopping ------------------------------------------------------------------------------------


class StopAtStepHook(SessionRunHook):
    """Requests a stop once the global step reaches ``last_step`` (or start + ``num_steps``)."""

    def __init__(self, num_steps: int | None = None, last_step: int | None = None) -> None:
        if num_steps is None and last_step is None:
            raise ValueError("One of num_steps or last_step must be specified.")
        if num_steps is not None and last_step is not None:
            raise ValueError("Only one of num_steps or last_step can be specified.")
        self._num_steps = num_steps
        self._last_step = last_step

    def begin(self) -> None:
        """Looks up the graph elements the hook uses (TF's ``begin``)."""
        self._global_step_tensor = _global_step_read("StopAtStepHook")

    def after_create_session(self, session: Any, coord: Any) -> None:
        """Acts once the session exists (TF's ``after_create_session``)."""
        if self._last_step is None:
            assert self._num_steps is not None
            self._last_step = int(session.run(self._global_step_tensor)) + self._num_steps

    def before_run(self, run_context: Any) -> SessionRunArgs:
        """The tensors/feeds this hook adds to the run (TF's ``before_run``)."""
        return SessionRunArgs(self._global_step_tensor)

    def after_run(self, run_context: Any, run_values: Any) -> None:
        """Acts on this run's results (TF's ``after_run``)."""
        assert self._last_step is not None
        # The fetched value is the step before this run; check the real one only near the end.
        if run_values.results + 1 >= self._last_step:
            step = run_context.session.run(self._global_step_tensor)
            if step >= self._last_step:
                run_context.request_stop()


class NanLossDuringTrainingError(RuntimeError):
    """Raised by ``NanTensorHook`` when the loss is NaN."""

    def __str__(self) -> str:
        return "NaN loss during training."


class NanTensorHook(SessionRunHook):
    """Raises ``NanLossDuringTrainingError`` (or only stops) when ``loss_tensor`` is NaN."""

    def __init__(self, loss_tensor: Any, fail_on_nan_loss: bool = True) -> None:
        self._loss_tensor = loss_tensor
        self._fail_on_nan_loss = fail_on_nan_loss

    def before_run(self, run_context: Any) -> SessionRunArgs:
        """The tensors/feeds this hook adds to the run (TF's ``before_run``)."""
        return SessionRunArgs(self._loss_tensor)

    def after_run(self, run_context: Any, run_values: Any) -> None:
        """Acts on this run's results (TF's ``after_run``)."""
        if np.isnan(run_values.results):
            failure_message = "Model diverged with loss = NaN."
            if self._fail_on_nan_loss:
                logging.error(failure_message)
                raise NanLossDuringTrainingError
            logging.warning(failure_message)
            run_context.request_stop()


class GlobalStepWaiterHook(SessionRunHook):
    """Delays the first run until the global step reaches ``wait_until_step``."""

    def __init__(self, wait_until_step: int) -> None:
        self._wait_until_step = wait_until_step

    def begin(self) -> None:
        """Looks up the graph elements the hook uses (TF's ``begin``)."""
        self._worker_is_started = False
        self._global_step_tensor = _global_step_read("_GlobalStepWaiterHook")

    def before_run(self, run_context: Any) -> None:
        """The tensors/feeds this hook adds to the run (TF's ``before_run``)."""
        if self._worker_is_started:
            return
        if self._wait_until_step <= 0:
            self._worker_is_started = True
            return
        logging.info("Waiting for global step %d before starting training.",
                     self._wait_until_step)  # fmt: skip
        last_logged_step = 0
        while True:
            current_step = run_context.session.run(self._global_step_tensor)
            if current_step >= self._wait_until_step:
                self._worker_is_started = True
                return
            if current_step - last_logged_step > 1000:
                logging.info(
                    "Waiting for global step %d before starting training. Current step is %d.",
                    self._wait_until_step,
                    current_step,
                )
                last_logged_step = current_step
            time.sleep(0.5)


class FinalOpsHook(SessionRunHook):
    """Runs ``final_ops`` at ``end``; their values are in ``final_ops_values``."""

    def __init__(self, final_ops: Any, final_ops_feed_dict: Any = None) -> None:
        self._final_ops = final_ops
        self._final_ops_feed_dict = final_ops_feed_dict
        self._final_ops_values: Any = None

    @property
    def final_ops_values(self) -> Any:
        """The values of ``final_ops`` computed at ``end`` (``None`` before)."""
        return self._final_ops_values

    def end(self, session: Any) -> None:
        """Acts before the session closes (TF's ``end``)."""
        if self._final_ops is None:
            return
        try:
            self._final_ops_values = session.run(
                self._final_ops, feed_dict=self._final_ops_feed_dict
            )
        except (OutOfRangeError, StopIteration):
            logging.warning(
                "An OutOfRangeError or StopIteration exception is raised by the code in "
                "FinalOpsHook. This typically means the Ops running by the FinalOpsHook have a "
                "dependency back to some input source, which should not happen. For example, for "
                "metrics in tf.estimator.Estimator, all metrics functions return two Ops: "
                "`value_op` and  `update_op`. Estimator.evaluate calls the `update_op` for each "
                "batch of the data in input source and, once it is exhausted, it call the "
                "`value_op` to get the metric values. The `value_op` here should have dependency "
                "back to variables reading only, rather than reading another batch from input. "
                "Otherwise, the `value_op`, executed by `FinalOpsHook`, triggers another data "
                "reading, which ends OutOfRangeError/StopIteration. Please fix that."
            )
            raise


class FeedFnHook(SessionRunHook):
    """Adds ``feed_fn()`` to the feeds of every run."""

    def __init__(self, feed_fn: Callable[[], Any]) -> None:
        self.feed_fn = feed_fn

    def before_run(self, run_context: Any) -> SessionRunArgs:
        """The tensors/feeds this hook adds to the run (TF's ``before_run``)."""
        return SessionRunArgs(fetches=None, feed_dict=self.feed_fn())


# --- summaries -----------------------------------------------------------------------------------


class StepCounterHook(SessionRunHook):
    """Logs and writes ``global_step/sec`` every ``every_n_steps`` steps or ``every_n_secs``."""

    def __init__(
        self,
        every_n_steps: int | None = 100,
        every_n_secs: float | None = None,
        output_dir: str | None = None,
        summary_writer: Any = None,
    ) -> None:
        if (every_n_steps is None) == (every_n_secs is None):
            raise ValueError("exactly one of every_n_steps and every_n_secs should be provided.")
        self._timer = SecondOrStepTimer(every_steps=every_n_steps, every_secs=every_n_secs)
        self._summary_writer = summary_writer
        self._output_dir = output_dir
        self._last_global_step: Any = None
        self._steps_per_run = 1

    def _set_steps_per_run(self, steps_per_run: int) -> None:
        self._steps_per_run = steps_per_run

    def begin(self) -> None:
        """Looks up the graph elements the hook uses (TF's ``begin``)."""
        if self._summary_writer is None and self._output_dir:
            self._summary_writer = SummaryWriterCache.get(self._output_dir)
        self._global_step_tensor = _global_step_read("StepCounterHook")
        self._summary_tag = training_util.get_global_step().op.name + "/sec"

    def before_run(self, run_context: Any) -> SessionRunArgs:
        """The tensors/feeds this hook adds to the run (TF's ``before_run``)."""
        return SessionRunArgs(self._global_step_tensor)

    def _log_and_record(self, elapsed_steps: int, elapsed_time: float, global_step: int) -> None:
        steps_per_sec = elapsed_steps / elapsed_time
        if self._summary_writer is not None:
            summary_cls = _protos().summary_pb2.Summary
            summary = summary_cls(
                value=[summary_cls.Value(tag=self._summary_tag, simple_value=steps_per_sec)]
            )
            self._summary_writer.add_summary(summary, global_step)
        logging.info("%s: %g", self._summary_tag, steps_per_sec)

    def after_run(self, run_context: Any, run_values: Any) -> None:
        """Acts on this run's results (TF's ``after_run``)."""
        stale_global_step = run_values.results
        if self._timer.should_trigger_for_step(stale_global_step + self._steps_per_run):
            global_step = run_context.session.run(self._global_step_tensor)
            if self._timer.should_trigger_for_step(global_step):
                elapsed_time, elapsed_steps = self._timer.update_last_triggered_step(global_step)
                if elapsed_time is not None:
                    assert elapsed_steps is not None
                    self._log_and_record(elapsed_steps, elapsed_time, global_step)
        if stale_global_step == self._last_global_step:
            logging.log_first_n(
                logging.WARN,
                "It seems that global step (tf.train.get_global_step) has not been increased. "
                "Current value (could be stable): %s vs previous value: %s. You could increase "
                "the global step by passing tf.train.get_global_step() to "
                "Optimizer.apply_gradients or Optimizer.minimize.",
                5,
                stale_global_step,
                self._last_global_step,
            )
        self._last_global_step = stale_global_step


class SummarySaverHook(SessionRunHook):
    """Writes the summaries of ``summary_op`` (or ``scaffold.summary_op``) every N steps/secs.

    The first run also writes a ``SessionLog.START`` event; summaries are stamped with the
    global step after the run.
    """

    def __init__(
        self,
        save_steps: int | None = None,
        save_secs: float | None = None,
        output_dir: str | None = None,
        summary_writer: Any = None,
        scaffold: Any = None,
        summary_op: Any = None,
    ) -> None:
        if (scaffold is None and summary_op is None) or (
            scaffold is not None and summary_op is not None
        ):
            raise ValueError("Exactly one of scaffold or summary_op must be provided.")
        self._summary_op = summary_op
        self._summary_writer = summary_writer
        self._output_dir = output_dir
        self._scaffold = scaffold
        self._timer = SecondOrStepTimer(every_secs=save_secs, every_steps=save_steps)

    def begin(self) -> None:
        """Looks up the graph elements the hook uses (TF's ``begin``)."""
        if self._summary_writer is None and self._output_dir:
            self._summary_writer = SummaryWriterCache.get(self._output_dir)
        self._next_step: int | None = None
        self._global_step_tensor = _global_step_read("SummarySaverHook")

    def before_run(self, run_context: Any) -> SessionRunArgs:
        """The tensors/feeds this hook adds to the run (TF's ``before_run``)."""
        self._request_summary = self._next_step is None or self._timer.should_trigger_for_step(
            self._next_step
        )
        requests: dict[str, Any] = {"global_step": self._global_step_tensor}
        if self._request_summary:
            summary_op = self._get_summary_op()
            if summary_op is not None:
                requests["summary"] = summary_op
        return SessionRunArgs(requests)

    def after_run(self, run_context: Any, run_values: Any) -> None:
        """Acts on this run's results (TF's ``after_run``)."""
        if not self._summary_writer:
            return
        stale_global_step = run_values.results["global_step"]
        global_step = stale_global_step + 1
        if self._next_step is None or self._request_summary:
            global_step = run_context.session.run(self._global_step_tensor)
        if self._next_step is None:
            session_log = _protos().event_pb2.SessionLog
            self._summary_writer.add_session_log(session_log(status=session_log.START), global_step)
        if self._request_summary:
            self._timer.update_last_triggered_step(global_step)
            for summary in run_values.results.get("summary", ()):
                self._summary_writer.add_summary(summary, global_step)
        self._next_step = global_step + 1

    def end(self, session: Any = None) -> None:
        """Acts before the session closes (TF's ``end``)."""
        if self._summary_writer:
            self._summary_writer.flush()

    def _get_summary_op(self) -> list[Any] | None:
        if self._summary_op is not None:
            summary_op = self._summary_op
        elif self._scaffold.summary_op is not None:
            summary_op = self._scaffold.summary_op
        else:
            return None
        return summary_op if isinstance(summary_op, list) else [summary_op]


class ProfilerHook(SessionRunHook):
    """Writes a Chrome trace ``timeline-<step>.json`` every ``save_steps`` steps or ``save_secs``.

    The triggering run is traced (``RunOptions.FULL_TRACE``); its step stats become the trace
    (``scopeflow.graph.timeline``) and its ``RunMetadata`` goes to the ``output_dir`` summary
    writer under ``step_<global step>``. As in TF, the first run only starts the timer.

    Raises:
        ValueError: not exactly one of ``save_steps`` and ``save_secs`` is given.
        RuntimeError: (in ``begin``) the graph has no global step.
    """

    def __init__(
        self,
        save_steps: int | None = None,
        save_secs: float | None = None,
        output_dir: str = "",
        show_dataflow: bool = True,
        show_memory: bool = False,
    ) -> None:
        self._output_file = os.path.join(output_dir, "timeline-{}.json")  # noqa: PTH118
        self._file_writer = SummaryWriterCache.get(output_dir)
        self._show_dataflow = show_dataflow
        self._show_memory = show_memory
        self._timer = SecondOrStepTimer(every_secs=save_secs, every_steps=save_steps)
        self._next_step: int | None = None
        self._request_summary = False

    def begin(self) -> None:
        """Looks up the global step (TF's ``begin``)."""
        self._next_step = None
        self._global_step_tensor = training_util._get_or_create_global_step_read()
        if self._global_step_tensor is None:
            raise RuntimeError("Global step should be created to use ProfilerHook.")

    def before_run(self, run_context: Any) -> SessionRunArgs:
        """Fetches the global step; asks for a full trace when a timeline is due."""
        self._request_summary = self._next_step is not None and self._timer.should_trigger_for_step(
            self._next_step
        )
        options = RunOptions(trace_level=RunOptions.FULL_TRACE) if self._request_summary else None
        return SessionRunArgs({"global_step": self._global_step_tensor}, options=options)

    def after_run(self, run_context: Any, run_values: Any) -> None:
        """Writes the traced run's timeline and run metadata (TF's ``after_run``)."""
        stale_global_step = run_values.results["global_step"]
        if self._next_step is None:
            self._timer.update_last_triggered_step(stale_global_step)
        global_step = stale_global_step + 1
        if self._request_summary:
            global_step = run_context.session.run(self._global_step_tensor)
            self._timer.update_last_triggered_step(global_step)
            self._save(global_step, self._output_file.format(global_step),
                       run_values.run_metadata.step_stats)  # fmt: skip
            self._file_writer.add_run_metadata(run_values.run_metadata, f"step_{global_step}")
        self._next_step = global_step + 1

    def _save(self, step: int, save_path: str, step_stats: Any) -> None:
        logging.info("Saving timeline for %d into '%s'.", step, save_path)
        trace = Timeline(step_stats).generate_chrome_trace_format(
            show_dataflow=self._show_dataflow, show_memory=self._show_memory
        )
        with GFile(save_path, "w") as f:
            f.write(trace)
