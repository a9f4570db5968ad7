"""``tf.contrib.training``'s evaluation: checkpoint polling and repeated evaluation (TF 1.15).

``wait_for_new_checkpoint`` polls a directory's ``checkpoint`` file for a path other than the
last one; ``checkpoints_iterator`` yields each new one (at most every ``min_interval_secs``,
ending on ``timeout`` unless ``timeout_fn`` says to go on). ``evaluate_once`` and
``StopAfterNEvalsHook`` are TF core's (``training/evaluation.py``, here shared with the
Estimator); ``evaluate_repeatedly`` runs such an evaluation on every new checkpoint, and
``SummaryAtEndHook`` writes the summaries once at the end of an evaluation.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

from scopeflow.app import logging
from scopeflow.estimator._evaluation import (
    StopAfterNEvalsHook,
    evaluate_once,
    get_or_create_eval_step,
)
from scopeflow.ops.state_ops import assign_add
from scopeflow.summary import summary
from scopeflow.summary.writer import FileWriterCache
from scopeflow.train import training_util
from scopeflow.train.basic_session_run_hooks import FinalOpsHook
from scopeflow.train.checkpoint_management import latest_checkpoint
from scopeflow.train.monitored_session import ChiefSessionCreator, MonitoredSession
from scopeflow.train.session_run_hook import SessionRunHook

__all__ = [
    "StopAfterNEvalsHook",
    "SummaryAtEndHook",
    "checkpoints_iterator",
    "evaluate_once",
    "evaluate_repeatedly",
    "get_or_create_eval_step",
    "wait_for_new_checkpoint",
]


def wait_for_new_checkpoint(
    checkpoint_dir: str,
    last_checkpoint: str | None = None,
    seconds_to_sleep: float = 1,
    timeout: float | None = None,
) -> str | None:
    """The newest checkpoint path of ``checkpoint_dir`` once it differs from ``last_checkpoint``.

    Returns None when ``timeout`` seconds would pass first.
    """
    logging.info("Waiting for new checkpoint at %s", checkpoint_dir)
    stop_time = time.time() + timeout if timeout is not None else None
    while True:
        checkpoint_path = latest_checkpoint(checkpoint_dir)
        if checkpoint_path is None or checkpoint_path == last_checkpoint:
            if stop_time is not None and time.time() + seconds_to_sleep > stop_time:
                return None
            time.sleep(seconds_to_sleep)
        else:
            logging.info("Found new checkpoint at %s", checkpoint_path)
            return checkpoint_path


def checkpoints_iterator(
    checkpoint_dir: str,
    min_interval_secs: float = 0,
    timeout: float | None = None,
    timeout_fn: Callable[[], bool] | None = None,
) -> Iterator[str]:
    """Yield each new checkpoint path of ``checkpoint_dir`` as it appears."""
    checkpoint_path = None
    while True:
        new_path = wait_for_new_checkpoint(checkpoint_dir, checkpoint_path, timeout=timeout)
        if new_path is None:
            if not timeout_fn:
                logging.info("Timed-out waiting for a checkpoint.")
                return
            if timeout_fn():
                return
            continue
        start = time.time()
        checkpoint_path = new_path
        yield checkpoint_path
        time_to_next_eval = start + min_interval_secs - time.time()
        if time_to_next_eval > 0:
            time.sleep(time_to_next_eval)


class SummaryAtEndHook(SessionRunHook):
    """Runs the summary op once when the evaluation ends and writes it at the global step.

    Raises:
        ValueError: neither ``log_dir`` nor ``summary_writer`` is given.
    """

    def __init__(
        self,
        log_dir: str | None = None,
        summary_writer: Any = None,
        summary_op: Any = None,
        feed_dict: Any = None,
    ) -> None:
        self._summary_op = summary_op
        self._replace_summary_op = summary_op is None
        self._feed_dict = feed_dict
        self._summary_writer = summary_writer
        self._log_dir = log_dir
        self._global_step: Any = None
        if self._log_dir is None and self._summary_writer is None:
            raise ValueError("One of log_dir or summary_writer should be used.")

    def begin(self) -> None:
        if self._replace_summary_op:
            self._summary_op = summary.merge_all()
        self._global_step = training_util.get_or_create_global_step()

    def after_create_session(self, session: Any, coord: Any) -> None:
        if self._summary_writer is None and self._log_dir:
            self._summary_writer = FileWriterCache.get(self._log_dir)

    def end(self, session: Any) -> None:
        if self._summary_op is not None:
            global_step = training_util.global_step(session, self._global_step)
            summary_str = session.run(self._summary_op, self._feed_dict)
            if self._summary_writer:
                self._summary_writer.add_summary(summary_str, global_step)
        if self._summary_writer:
            self._summary_writer.flush()


def evaluate_repeatedly(
    checkpoint_dir: str,
    master: str = "",
    scaffold: Any = None,
    eval_ops: Any = None,
    feed_dict: Any = None,
    final_ops: Any = None,
    final_ops_feed_dict: Any = None,
    eval_interval_secs: float = 60,
    hooks: Any = None,
    config: Any = None,
    max_number_of_evaluations: int | None = None,
    timeout: float | None = None,
    timeout_fn: Callable[[], bool] | None = None,
) -> Any:
    """Evaluate every new checkpoint of ``checkpoint_dir``; the last ``final_ops`` values."""
    eval_step = get_or_create_eval_step()
    hooks = hooks or []
    if eval_ops is not None:
        update_eval_step = assign_add(eval_step, 1)
        for h in hooks:
            if isinstance(h, StopAfterNEvalsHook):
                h.set_evals_completed_tensor(update_eval_step)
        if isinstance(eval_ops, dict):
            eval_ops["update_eval_step"] = update_eval_step
        elif isinstance(eval_ops, (tuple, list)):
            eval_ops = [*eval_ops, update_eval_step]
        else:
            eval_ops = [eval_ops, update_eval_step]
    final_ops_hook = FinalOpsHook(final_ops, final_ops_feed_dict)
    hooks.append(final_ops_hook)
    for num_evaluations, checkpoint_path in enumerate(
        checkpoints_iterator(
            checkpoint_dir, min_interval_secs=eval_interval_secs, timeout=timeout,
            timeout_fn=timeout_fn,
        ),
        start=1,
    ):  # fmt: skip
        creator = ChiefSessionCreator(scaffold=scaffold,
                                      checkpoint_filename_with_path=checkpoint_path,
                                      master=master, config=config)  # fmt: skip
        with MonitoredSession(session_creator=creator, hooks=hooks) as session:
            logging.info(
                "Starting evaluation at " + time.strftime("%Y-%m-%d-%H:%M:%S", time.gmtime())
            )
            if eval_ops is not None:
                while not session.should_stop():
                    session.run(eval_ops, feed_dict)
            logging.info(
                "Finished evaluation at " + time.strftime("%Y-%m-%d-%H:%M:%S", time.gmtime())
            )
        if max_number_of_evaluations is not None and num_evaluations >= max_number_of_evaluations:
            return final_ops_hook.final_ops_values
    return final_ops_hook.final_ops_values
