"""``tf.train.CheckpointSaverHook`` and ``CheckpointSaverListener``.

The hook saves a checkpoint once the session exists (with ``graph.pbtxt`` and the graph and meta
graph events), every ``save_secs``/``save_steps``, and at the end unless that step was just
saved, as TF's. A graph using ops private to scopeflow (``Sf*``) gets no ``graph.pbtxt``/meta
graph event (a warning says so), as ``Saver.save`` writes no ``.meta`` for it.

Must not import ``scopeflow.compat``.
"""

from __future__ import annotations

import os
import warnings
from typing import Any

from scopeflow.app import logging
from scopeflow.errors import UnsupportedError
from scopeflow.graph.graph import get_default_graph
from scopeflow.summary.writer import FileWriterCache as SummaryWriterCache
from scopeflow.train import training_util
from scopeflow.train.hook_timers import SecondOrStepTimer
from scopeflow.train.session_run_hook import SessionRunArgs, SessionRunHook

__all__ = ["CheckpointSaverHook", "CheckpointSaverListener"]


def _protos() -> Any:
    from scopeflow import protos  # noqa: PLC0415  (protobuf loads with the first save)

    return protos


def _global_step_read(hook_name: str) -> Any:
    """TF's cached global-step read tensor; ``RuntimeError`` without a global step."""
    tensor = training_util._get_or_create_global_step_read()
    if tensor is None:
        raise RuntimeError(f"Global step should be created to use {hook_name}.")
    return tensor


class CheckpointSaverListener:
    """Callbacks around the saves of a ``CheckpointSaverHook`` (every callback does nothing).

    ``after_save`` returning True asks the training loop to stop.
    """

    def begin(self) -> None:
        """Called once from the hook's ``begin``."""

    def before_save(self, session: Any, global_step_value: int) -> None:
        """Called before each save."""

    def after_save(self, session: Any, global_step_value: int) -> bool | None:
        """Called after each save; True requests a stop."""
        return None

    def end(self, session: Any, global_step_value: int) -> None:
        """Called from the hook's ``end``, after the last save."""


def _warn_not_exported(what: str, reason: str) -> None:
    warnings.warn(f"CheckpointSaverHook wrote no {what} ({reason}).", UserWarning, stacklevel=3)


class CheckpointSaverHook(SessionRunHook):
    """Saves checkpoints every ``save_secs`` seconds or ``save_steps`` steps, first and last.

    After the session is created it writes ``graph.pbtxt`` (unless ``save_graph_def=False``),
    adds the graph and meta graph to the event file of ``checkpoint_dir`` and saves the
    checkpoint of the current step; at ``end`` it saves again unless that step was just saved.
    """

    def __init__(
        self,
        checkpoint_dir: str,
        save_secs: float | None = None,
        save_steps: int | None = None,
        saver: Any = None,
        checkpoint_basename: str = "model.ckpt",
        scaffold: Any = None,
        listeners: list[CheckpointSaverListener] | None = None,
        save_graph_def: bool = True,
    ) -> None:
        logging.info("Create CheckpointSaverHook.")
        if saver is not None and scaffold is not None:
            raise ValueError("You cannot provide both saver and scaffold.")
        self._saver = saver
        self._checkpoint_dir = checkpoint_dir
        self._save_path = os.path.join(checkpoint_dir, checkpoint_basename)  # noqa: PTH118
        self._scaffold = scaffold
        self._timer = SecondOrStepTimer(every_secs=save_secs, every_steps=save_steps)
        self._listeners = listeners or []
        self._steps_per_run = 1000000
        self._save_graph_def = save_graph_def

    def _set_steps_per_run(self, steps_per_run: int) -> None:
        self._steps_per_run = steps_per_run

    def begin(self) -> None:
        """Looks up the graph elements the hook uses (TF's ``begin``)."""
        self._summary_writer = SummaryWriterCache.get(self._checkpoint_dir)
        self._global_step_tensor = _global_step_read("CheckpointSaverHook")
        for listener in self._listeners:
            listener.begin()

    def after_create_session(self, session: Any, coord: Any) -> None:
        """Acts once the session exists (TF's ``after_create_session``)."""
        global_step = session.run(self._global_step_tensor)
        graph = get_default_graph()
        if self._save_graph_def:
            self._write_graph(graph)
        saver = self._get_saver()
        saver_def = saver.saver_def if saver else None
        self._summary_writer.add_graph(graph)
        meta = self._meta_graph_def(graph, saver_def)
        if meta is not None:
            self._summary_writer.add_meta_graph(meta)
        self._save(session, global_step)
        self._timer.update_last_triggered_step(global_step)

    def _write_graph(self, graph: Any) -> None:
        from scopeflow.graph_io.files import write_graph  # noqa: PLC0415  (protobuf is lazy)

        try:
            write_graph(graph.as_graph_def(add_shapes=True), self._checkpoint_dir, "graph.pbtxt")
        except UnsupportedError as e:
            _warn_not_exported("graph.pbtxt", str(e))

    def _meta_graph_def(self, graph: Any, saver_def: Any) -> Any:
        from scopeflow.graph_import.meta_graph import export_meta_graph  # noqa: PLC0415

        try:
            return export_meta_graph(
                graph_def=graph.as_graph_def(add_shapes=True),
                saver_def=saver_def,
                graph=graph,
            )
        except UnsupportedError as e:
            _warn_not_exported("meta graph event", str(e))
            return None

    def before_run(self, run_context: Any) -> SessionRunArgs:
        """The tensors/feeds this hook adds to the run (TF's ``before_run``)."""
        return SessionRunArgs(self._global_step_tensor)

    def after_run(self, run_context: Any, run_values: Any) -> None:
        """Acts on this run's results (TF's ``after_run``)."""
        stale_global_step = run_values.results
        if self._timer.should_trigger_for_step(stale_global_step + self._steps_per_run):
            global_step = run_context.session.run(self._global_step_tensor)
            if self._timer.should_trigger_for_step(global_step):
                self._timer.update_last_triggered_step(global_step)
                if self._save(run_context.session, global_step):
                    run_context.request_stop()

    def end(self, session: Any) -> None:
        """Acts before the session closes (TF's ``end``)."""
        last_step = session.run(self._global_step_tensor)
        if last_step != self._timer.last_triggered_step():
            self._save(session, last_step)
        for listener in self._listeners:
            listener.end(session, last_step)

    def _save(self, session: Any, step: Any) -> bool:
        """Saves the checkpoint of ``step``; True if a listener asked to stop."""
        logging.info("Calling checkpoint listeners before saving checkpoint %d...", step)
        for listener in self._listeners:
            listener.before_save(session, step)
        logging.info("Saving checkpoints for %d into %s.", step, self._save_path)
        self._get_saver().save(
            session, self._save_path, global_step=step, write_meta_graph=self._save_graph_def
        )
        session_log = _protos().event_pb2.SessionLog
        self._summary_writer.add_session_log(
            session_log(status=session_log.CHECKPOINT, checkpoint_path=self._save_path), step
        )
        logging.info("Calling checkpoint listeners after saving checkpoint %d...", step)
        should_stop = False
        for listener in self._listeners:
            if listener.after_save(session, step):
                logging.info(
                    "A CheckpointSaverListener requested that training be stopped. listener: "
                    f"{listener}"
                )
                should_stop = True
        return should_stop

    def _get_saver(self) -> Any:
        if self._saver is not None:
            return self._saver
        if self._scaffold is not None:
            return self._scaffold.saver
        key = "savers"
        savers = get_default_graph().get_collection(key)
        if not savers:
            raise RuntimeError(
                f"No items in collection {key}. Please add a saver to the collection or provide "
                "a saver or scaffold."
            )
        if len(savers) > 1:
            raise RuntimeError(
                f"More than one item in collection {key}. Please indicate which one to use by "
                "passing it to the constructor."
            )
        self._saver = savers[0]
        return savers[0]
