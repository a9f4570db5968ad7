"""One evaluation pass over a checkpoint, as TF's ``training/evaluation.py`` runs it.

``evaluate_once`` restores the checkpoint in a ``MonitoredSession``, runs the metric update ops
until the input ends or ``_StopAfterNEvalsHook`` has counted ``steps`` batches (through the local
``eval_step`` variable), then fetches the metric values once (``FinalOpsHook``).
``write_dict_to_summary`` writes the results as scalar summaries into the eval directory.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import math
import time
from typing import Any

import numpy as np

from scopeflow._core import dtypes
from scopeflow._core.graph_keys import GraphKeys
from scopeflow._core.variable_store import get_variable
from scopeflow.app import logging
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph_io.tensor_proto import make_tensor_proto
from scopeflow.ops import array_ops, state_ops
from scopeflow.ops.init_ops import zeros_initializer
from scopeflow.summary.writer import FileWriterCache
from scopeflow.train.basic_session_run_hooks import FinalOpsHook
from scopeflow.train.monitored_session import ChiefSessionCreator, MonitoredSession
from scopeflow.train.session_run_hook import SessionRunArgs, SessionRunHook

__all__ = [
    "StopAfterNEvalsHook",
    "evaluate_once",
    "get_or_create_eval_step",
    "write_checkpoint_path_to_summary",
    "write_dict_to_summary",
]


def get_or_create_eval_step() -> Any:
    """The local int64 ``eval_step`` counter of the default graph (created on first use)."""
    found = get_default_graph().get_collection(GraphKeys.EVAL_STEP)
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        raise ValueError("Multiple tensors added to tf.GraphKeys.EVAL_STEP")
    return get_variable(
        "eval_step",
        shape=[],
        dtype=dtypes.int64,
        initializer=zeros_initializer(),
        trainable=False,
        collections=[GraphKeys.LOCAL_VARIABLES, GraphKeys.EVAL_STEP],
    )


class StopAfterNEvalsHook(SessionRunHook):
    """Requests a stop once ``num_evals`` evaluation batches ran (TF's ``_StopAfterNEvalsHook``)."""

    def __init__(self, num_evals: int | None, log_progress: bool = True) -> None:
        self._num_evals = num_evals
        self._evals_completed: Any = None
        self._log_progress = log_progress
        self._log_frequency = (
            1 if (num_evals is None or num_evals < 20) else math.floor(num_evals / 10.0)
        )

    def set_evals_completed_tensor(self, updated_eval_step: Any) -> None:
        self._evals_completed = updated_eval_step

    _set_evals_completed_tensor = set_evals_completed_tensor  # TF's (private) name

    def before_run(self, run_context: Any) -> SessionRunArgs:
        return SessionRunArgs({"evals_completed": self._evals_completed})

    def after_run(self, run_context: Any, run_values: Any) -> None:
        done = int(run_values.results["evals_completed"])
        if self._log_progress:
            if self._num_evals is None:
                logging.info("Evaluation [%d]", done)
            elif done % self._log_frequency == 0 or self._num_evals == done:
                logging.info("Evaluation [%d/%d]", done, self._num_evals)
        if self._num_evals is not None and done >= self._num_evals:
            run_context.request_stop()


def evaluate_once(
    checkpoint_path: str | None,
    master: str = "",
    scaffold: Any = None,
    eval_ops: Any = None,
    feed_dict: Any = None,
    final_ops: Any = None,
    final_ops_feed_dict: Any = None,
    hooks: list[SessionRunHook] | None = None,
    config: Any = None,
) -> Any:
    """Run ``eval_ops`` (fed ``feed_dict``) until stopped, then return ``final_ops``' values."""
    eval_step = get_or_create_eval_step()
    hooks = list(hooks or [])
    if eval_ops is not None:
        update_eval_step = state_ops.assign_add(eval_step, 1, use_locking=True)
        if isinstance(eval_ops, dict):
            eval_ops["update_eval_step"] = update_eval_step
            deps = list(eval_ops.values())
        elif isinstance(eval_ops, (tuple, list)):
            eval_ops = [*eval_ops, update_eval_step]
            deps = eval_ops
        else:
            eval_ops = [eval_ops, update_eval_step]
            deps = eval_ops
        with get_default_graph().control_dependencies(deps):
            eval_step_value = array_ops.identity(get_or_create_eval_step().read_value())
        for h in hooks:
            if isinstance(h, StopAfterNEvalsHook):
                h.set_evals_completed_tensor(eval_step_value)
    logging.info("Starting evaluation at " + time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime()))
    start = time.time()
    creator = ChiefSessionCreator(
        scaffold=scaffold, checkpoint_filename_with_path=checkpoint_path, master=master,
        config=config,
    )  # fmt: skip
    final_ops_hook = FinalOpsHook(final_ops, final_ops_feed_dict)
    hooks.append(final_ops_hook)
    with MonitoredSession(session_creator=creator, hooks=hooks) as session:
        if eval_ops is not None:
            while not session.should_stop():
                session.run(eval_ops, feed_dict)
    logging.info(f"Inference Time : {time.time() - start:0.5f}s")
    logging.info("Finished evaluation at " + time.strftime("%Y-%m-%d-%H:%M:%S", time.localtime()))
    return final_ops_hook.final_ops_values


def _dict_to_str(dictionary: dict[str, Any]) -> str:
    return ", ".join(
        f"{k} = {v}" for k, v in sorted(dictionary.items()) if not isinstance(v, bytes)
    )


def write_dict_to_summary(
    output_dir: str, dictionary: dict[str, Any], current_global_step: int
) -> None:
    """Write evaluation results as summaries at ``current_global_step`` (TF's rules per type)."""
    from scopeflow.protos import summary_pb2  # noqa: PLC0415 (protos load on first use)

    logging.info(
        "Saving dict for global step %d: %s", current_global_step, _dict_to_str(dictionary)
    )
    writer = FileWriterCache.get(output_dir)
    summary = summary_pb2.Summary()
    for key, value in dictionary.items():
        if value is None or key == "global_step":
            continue
        if isinstance(value, (np.float32, float)):
            summary.value.add(tag=key, simple_value=float(value))
        elif isinstance(value, (np.int64, np.int32, int)):
            summary.value.add(tag=key, simple_value=int(value))
        elif isinstance(value, bytes):
            try:
                parsed = summary_pb2.Summary.FromString(value)
            except Exception:
                logging.warning("Skipping summary for %s, cannot parse string to Summary.", key)
                continue
            for i, _ in enumerate(parsed.value):
                parsed.value[i].tag = f"{key}/{i}"
            summary.value.extend(parsed.value)
        elif isinstance(value, np.ndarray):
            entry = summary.value.add()
            entry.tag = key
            entry.node_name = key
            entry.tensor.CopyFrom(make_tensor_proto(value, dtypes.as_dtype(value.dtype)))
        else:
            logging.warning(
                "Skipping summary for %s, must be a float, np.float32, np.int64, np.int32 or "
                "int or np.ndarray or a serialized string of Summary.",
                key,
            )
    writer.add_summary(summary, current_global_step)
    writer.flush()


def write_checkpoint_path_to_summary(
    output_dir: str, checkpoint_path: str, current_global_step: int
) -> None:
    """Write the evaluated checkpoint's path as a string tensor summary ``checkpoint_path``."""
    from scopeflow.protos import summary_pb2  # noqa: PLC0415 (protos load on first use)

    logging.info(
        "Saving 'checkpoint_path' summary for global step %d: %s",
        current_global_step,
        checkpoint_path,
    )
    summary = summary_pb2.Summary()
    summary.value.add(
        tag="checkpoint_path", tensor=make_tensor_proto(checkpoint_path, dtypes.string)
    )
    writer = FileWriterCache.get(output_dir)
    writer.add_summary(summary, current_global_step)
    writer.flush()
