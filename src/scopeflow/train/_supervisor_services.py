"""The standard services of a ``Supervisor``: summary, step-counter and checkpoint threads.

Each is a ``LooperThread`` of the supervisor's coordinator, running first right after it starts
and then every ``save_summaries_secs`` / ``save_model_secs`` (TF's ``SVSummaryThread``,
``SVStepCounterThread``, ``SVTimerCheckpointThread``).

Must not import ``scopeflow.compat``.
"""

from __future__ import annotations

import time
from typing import Any

from scopeflow.app import logging
from scopeflow.train import training_util
from scopeflow.train.coordinator import LooperThread

__all__ = ["SVStepCounterThread", "SVSummaryThread", "SVTimerCheckpointThread"]


def _protos() -> Any:
    from scopeflow import protos  # noqa: PLC0415  (protobuf loads with the first service)

    return protos


def _session_log(status: str, **kwargs: Any) -> Any:
    cls = _protos().event_pb2.SessionLog
    return cls(status=getattr(cls, status), **kwargs)


class SVSummaryThread(LooperThread):
    """Saves the summary op's value every ``save_summaries_secs``."""

    def __init__(self, sv: Any, sess: Any) -> None:
        super().__init__(sv.coord, sv.save_summaries_secs)
        self._sv = sv
        self._sess = sess

    def run_loop(self) -> None:
        if self._sv.global_step is not None:
            summary_strs, global_step = self._sess.run([self._sv.summary_op,
                                                        self._sv.global_step])  # fmt: skip
        else:
            summary_strs = self._sess.run(self._sv.summary_op)
            global_step = None
        if self._sv.summary_writer:
            logging.info("Recording summary at step %s.", global_step)
            self._sv.summary_writer.add_summary(summary_strs, global_step)


class SVStepCounterThread(LooperThread):
    """Writes ``global_step/sec`` every ``save_summaries_secs``."""

    def __init__(self, sv: Any, sess: Any, step_counter: Any = None) -> None:
        super().__init__(sv.coord, sv.save_summaries_secs)
        self._sv = sv
        self._sess = sess
        self._last_time = 0.0
        self._last_step = 0
        self._step_counter = sv.global_step if step_counter is None else step_counter
        self._summary_tag = f"{self._step_counter.op.name}/sec"

    def start_loop(self) -> None:
        self._last_time = time.time()
        self._last_step = training_util.global_step(self._sess, self._step_counter)

    def run_loop(self) -> None:
        current_step = training_util.global_step(self._sess, self._step_counter)
        added_steps = current_step - self._last_step
        self._last_step = current_step
        current_time = time.time()
        elapsed_time = current_time - self._last_time
        self._last_time = current_time
        steps_per_sec = added_steps / elapsed_time if elapsed_time > 0.0 else float("inf")
        summary_cls = _protos().summary_pb2.Summary
        summary = summary_cls(
            value=[summary_cls.Value(tag=self._summary_tag, simple_value=steps_per_sec)]
        )
        if self._sv.summary_writer:
            self._sv.summary_writer.add_summary(summary, current_step)
        logging.log_first_n(logging.INFO, "%s: %g", 10, self._summary_tag, steps_per_sec)


class SVTimerCheckpointThread(LooperThread):
    """Saves a checkpoint every ``save_model_secs``."""

    def __init__(self, sv: Any, sess: Any) -> None:
        super().__init__(sv.coord, sv.save_model_secs)
        self._sv = sv
        self._sess = sess

    def run_loop(self) -> None:
        logging.info("Saving checkpoint to path %s", self._sv.save_path)
        self._sv.saver.save(self._sess, self._sv.save_path, global_step=self._sv.global_step)
        if self._sv.summary_writer and self._sv.global_step is not None:
            current_step = training_util.global_step(self._sess, self._sv.global_step)
            self._sv.summary_writer.add_session_log(
                _session_log("CHECKPOINT", checkpoint_path=self._sv.save_path), current_step
            )
