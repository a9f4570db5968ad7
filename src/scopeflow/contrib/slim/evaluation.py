"""``tf.contrib.slim.evaluation``: TF-Slim's evaluation of a checkpoint (TF 1.15).

``evaluate_once`` restores one checkpoint (all variables, or ``variables_to_restore``), runs
``eval_op`` ``num_evals`` times (``StopAfterNEvalsHook``), writes the summaries of
``summary_op`` (default: all merged) to ``logdir`` at the checkpoint's global step
(``SummaryAtEndHook``) and returns the value of ``final_op``. ``evaluation_loop`` does the same
for every new checkpoint of a directory (``tf.contrib.training.evaluate_repeatedly``).

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scopeflow.contrib.training import _evaluation as evaluation
from scopeflow.contrib.training._evaluation import (
    StopAfterNEvalsHook,
    SummaryAtEndHook,
    checkpoints_iterator,
    evaluate_repeatedly,
    get_or_create_eval_step,
    wait_for_new_checkpoint,
)
from scopeflow.summary import summary
from scopeflow.train.saver import Saver
from scopeflow.train.scaffold import Scaffold

__all__ = [
    "StopAfterNEvalsHook",
    "SummaryAtEndHook",
    "checkpoints_iterator",
    "evaluate_once",
    "evaluate_repeatedly",
    "evaluation_loop",
    "get_or_create_eval_step",
    "wait_for_new_checkpoint",
]

_USE_DEFAULT = 0


def _hooks(num_evals: int, logdir: str, summary_op: Any, summary_op_feed_dict: Any,
           hooks: Any) -> list[Any]:  # fmt: skip
    if summary_op == _USE_DEFAULT:
        summary_op = summary.merge_all()
    all_hooks: list[Any] = [StopAfterNEvalsHook(num_evals)]
    if summary_op is not None:
        all_hooks.append(SummaryAtEndHook(log_dir=logdir, summary_op=summary_op,
                                          feed_dict=summary_op_feed_dict))  # fmt: skip
    if hooks is not None:
        all_hooks.extend(hooks)
    return all_hooks


def evaluate_once(
    master: str,
    checkpoint_path: str,
    logdir: str,
    num_evals: int = 1,
    initial_op: Any = None,
    initial_op_feed_dict: Any = None,
    eval_op: Any = None,
    eval_op_feed_dict: Any = None,
    final_op: Any = None,
    final_op_feed_dict: Any = None,
    summary_op: Any = _USE_DEFAULT,
    summary_op_feed_dict: Any = None,
    variables_to_restore: Any = None,
    session_config: Any = None,
    hooks: Any = None,
) -> Any:
    """Evaluate the checkpoint at ``checkpoint_path``; the value of ``final_op`` (or None)."""
    all_hooks = _hooks(num_evals, logdir, summary_op, summary_op_feed_dict, hooks)
    saver = Saver(variables_to_restore) if variables_to_restore is not None else None
    return evaluation.evaluate_once(
        checkpoint_path, master=master,
        scaffold=Scaffold(init_op=initial_op, init_feed_dict=initial_op_feed_dict, saver=saver),
        eval_ops=eval_op, feed_dict=eval_op_feed_dict, final_ops=final_op,
        final_ops_feed_dict=final_op_feed_dict, hooks=all_hooks, config=session_config,
    )  # fmt: skip


def evaluation_loop(
    master: str,
    checkpoint_dir: str,
    logdir: str,
    num_evals: int = 1,
    initial_op: Any = None,
    initial_op_feed_dict: Any = None,
    init_fn: Any = None,
    eval_op: Any = None,
    eval_op_feed_dict: Any = None,
    final_op: Any = None,
    final_op_feed_dict: Any = None,
    summary_op: Any = _USE_DEFAULT,
    summary_op_feed_dict: Any = None,
    variables_to_restore: Any = None,
    eval_interval_secs: float = 60,
    max_number_of_evaluations: int | None = None,
    session_config: Any = None,
    timeout: float | None = None,
    timeout_fn: Callable[[], bool] | None = None,
    hooks: Any = None,
) -> Any:
    """Evaluate each new checkpoint of ``checkpoint_dir``; the last value of ``final_op``."""
    all_hooks = _hooks(num_evals, logdir, summary_op, summary_op_feed_dict, hooks)
    saver = Saver(variables_to_restore) if variables_to_restore is not None else None
    return evaluate_repeatedly(
        checkpoint_dir, master=master,
        scaffold=Scaffold(init_op=initial_op, init_feed_dict=initial_op_feed_dict,
                          init_fn=init_fn, saver=saver),
        eval_ops=eval_op, feed_dict=eval_op_feed_dict, final_ops=final_op,
        final_ops_feed_dict=final_op_feed_dict, eval_interval_secs=eval_interval_secs,
        hooks=all_hooks, config=session_config,
        max_number_of_evaluations=max_number_of_evaluations, timeout=timeout,
        timeout_fn=timeout_fn,
    )  # fmt: skip
