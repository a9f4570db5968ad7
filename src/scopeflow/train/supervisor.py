"""``tf.train.Supervisor``: TF1's older training-session helper (deprecated in TF for MTS).

As in TF: the constructor picks the ready/init/local-init ops, saver, summary op and global
step from their collections (creating defaults), builds a ``SessionManager`` and finalizes the
graph. ``managed_session()``/``prepare_or_wait_for_session()`` restore the latest checkpoint of
``logdir`` or initialize, write ``graph.pbtxt`` and the graph events, add a ``SessionLog.START``
event, and start the standard services: looper threads that save the summaries and
``global_step/sec`` every ``save_summaries_secs`` and a checkpoint every ``save_model_secs``,
each first right after starting. ``stop()`` joins them, writes ``SessionLog.STOP`` and closes the
event file; like TF it does not save a final checkpoint. An exception inside
``managed_session`` is reported to the coordinator and re-raised by ``stop()`` unless it is an
``OutOfRangeError``.

Differences from TensorFlow: sessions are in-process (``master`` must be ``''``).

Must not import ``scopeflow.compat``.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import Any

from scopeflow._core import dtypes
from scopeflow._core.graph_keys import GraphKeys
from scopeflow.app import logging
from scopeflow.errors import UnsupportedError
from scopeflow.graph.graph import Graph, get_default_graph
from scopeflow.ops.state_ops import (
    global_variables,
    global_variables_initializer,
    group,
    report_uninitialized_variables,
)
from scopeflow.ops.state_ops import local_variables_initializer as _local_init
from scopeflow.summary.summary import merge_all
from scopeflow.summary.writer import FileWriter
from scopeflow.train import training_util
from scopeflow.train._supervisor_services import (
    SVStepCounterThread,
    SVSummaryThread,
    SVTimerCheckpointThread,
    _session_log,
)
from scopeflow.train.coordinator import Coordinator, LooperThread
from scopeflow.train.saver import Saver
from scopeflow.train.scaffold import _tables_initializer
from scopeflow.train.session_manager import SessionManager

__all__ = ["Supervisor"]


class Supervisor:
    """A training helper that initializes or restores, checkpoints and writes summaries."""

    USE_DEFAULT = 0

    def __init__(
        self,
        graph: Graph | None = None,
        ready_op: Any = USE_DEFAULT,
        ready_for_local_init_op: Any = USE_DEFAULT,
        is_chief: bool = True,
        init_op: Any = USE_DEFAULT,
        init_feed_dict: Any = None,
        local_init_op: Any = USE_DEFAULT,
        logdir: str | None = None,
        summary_op: Any = USE_DEFAULT,
        saver: Any = USE_DEFAULT,
        global_step: Any = USE_DEFAULT,
        save_summaries_secs: float = 120,
        save_model_secs: float = 600,
        recovery_wait_secs: float = 30,
        stop_grace_secs: float = 120,
        checkpoint_basename: str = "model.ckpt",
        session_manager: SessionManager | None = None,
        summary_writer: Any = USE_DEFAULT,
        init_fn: Any = None,
        local_init_run_options: Any = None,
    ) -> None:
        if graph is None:
            graph = get_default_graph()
        with graph.as_default():
            self._init_ready_op(ready_op, ready_for_local_init_op)
            self._init_init_op(init_op, init_feed_dict)
            self._init_local_init_op(local_init_op)
            self._init_saver(saver)
            self._init_summary_op(summary_op)
            self._init_global_step(global_step)
        self._graph = graph
        self._meta_graph_def = self._make_meta_graph_def()
        self._is_chief = is_chief
        self._coord = Coordinator()
        self._recovery_wait_secs = recovery_wait_secs
        self._stop_grace_secs = stop_grace_secs
        self._init_fn = init_fn
        self._local_init_run_options = local_init_run_options
        self._logdir: str | None = None
        self._save_summaries_secs: float | None = None
        self._save_model_secs: float | None = None
        self._save_path: str | None = None
        self._summary_writer: Any = None
        if self._is_chief:
            self._logdir = logdir
            self._save_summaries_secs = save_summaries_secs
            self._save_model_secs = save_model_secs
            if self._logdir:
                self._save_path = os.path.join(self._logdir, checkpoint_basename)  # noqa: PTH118
            if summary_writer is Supervisor.USE_DEFAULT:
                if self._logdir:
                    self._summary_writer = FileWriter(self._logdir)
            else:
                self._summary_writer = summary_writer
            self._graph_added_to_summary = False
        if session_manager is None:
            session_manager = SessionManager(
                local_init_op=self._local_init_op,
                ready_op=self._ready_op,
                ready_for_local_init_op=self._ready_for_local_init_op,
                graph=self._graph,
                recovery_wait_secs=self._recovery_wait_secs,
                local_init_run_options=self._local_init_run_options,
            )
        self._session_manager = session_manager
        self._verify_setup()
        graph.finalize()

    def _make_meta_graph_def(self) -> Any:
        from scopeflow.graph_import.meta_graph import export_meta_graph  # noqa: PLC0415

        try:
            return export_meta_graph(
                graph_def=self._graph.as_graph_def(add_shapes=True),
                saver_def=self._saver.saver_def if self._saver else None,
                graph=self._graph,
            )
        except UnsupportedError as e:
            logging.warning("Supervisor: no meta graph event will be written (%s)", e)
            return None

    # --- picking the pieces ------------------------------------------------------------------

    def _get_first_op_from_collection(self, key: str) -> Any:
        op_list = get_default_graph().get_collection(key)
        if len(op_list) > 1:
            logging.info("Found %d %s operations. Returning the first one.", len(op_list), key)
        return op_list[0] if op_list else None

    def _init_ready_op(self, ready_op: Any, ready_for_local_init_op: Any) -> None:
        if ready_op is Supervisor.USE_DEFAULT:
            ready_op = self._get_first_op_from_collection(GraphKeys.READY_OP)
            if ready_op is None:
                ready_op = report_uninitialized_variables()
                get_default_graph().add_to_collection(GraphKeys.READY_OP, ready_op)
        self._ready_op = ready_op
        if ready_for_local_init_op is Supervisor.USE_DEFAULT:
            ready_for_local_init_op = self._get_first_op_from_collection(
                GraphKeys.READY_FOR_LOCAL_INIT_OP
            )
        self._ready_for_local_init_op = ready_for_local_init_op

    def _init_init_op(self, init_op: Any, init_feed_dict: Any) -> None:
        if init_op is Supervisor.USE_DEFAULT:
            init_op = self._get_first_op_from_collection(GraphKeys.INIT_OP)
            if init_op is None:
                init_op = global_variables_initializer()
                get_default_graph().add_to_collection(GraphKeys.INIT_OP, init_op)
        self._init_op = init_op
        self._init_feed_dict = init_feed_dict

    def _init_local_init_op(self, local_init_op: Any) -> None:
        if local_init_op is Supervisor.USE_DEFAULT:
            local_init_op = self._get_first_op_from_collection(GraphKeys.LOCAL_INIT_OP)
            if local_init_op is None:
                local_init_op = group(_local_init(), _tables_initializer())
                get_default_graph().add_to_collection(GraphKeys.LOCAL_INIT_OP, local_init_op)
        self._local_init_op = local_init_op

    def _init_saver(self, saver: Any) -> None:
        if saver is Supervisor.USE_DEFAULT:
            saver = self._get_first_op_from_collection(GraphKeys.SAVERS)
            if saver is None and global_variables():
                saver = Saver()
                get_default_graph().add_to_collection(GraphKeys.SAVERS, saver)
        self._saver = saver

    def _init_summary_op(self, summary_op: Any) -> None:
        if summary_op is Supervisor.USE_DEFAULT:
            summary_op = self._get_first_op_from_collection(GraphKeys.SUMMARY_OP)
            if summary_op is None:
                summary_op = merge_all()
                if summary_op is not None:
                    get_default_graph().add_to_collection(GraphKeys.SUMMARY_OP, summary_op)
        self._summary_op = summary_op

    def _init_global_step(self, global_step: Any) -> None:
        if global_step is Supervisor.USE_DEFAULT:
            global_step = self._get_first_op_from_collection(GraphKeys.GLOBAL_STEP)
            if global_step is None:
                global_step = self._default_global_step_tensor()
                if global_step is not None:
                    get_default_graph().add_to_collection(GraphKeys.GLOBAL_STEP, global_step)
        self._global_step = global_step

    def _default_global_step_tensor(self) -> Any:
        try:
            gs = get_default_graph().get_tensor_by_name("global_step:0")
        except (KeyError, ValueError):
            return None
        if gs.dtype.base_dtype in (dtypes.int32, dtypes.int64):
            return gs
        logging.warning("Found 'global_step' is not an int type: %s", gs.dtype)
        return None

    def _verify_setup(self) -> None:
        if self._is_chief:
            return
        for op in self._graph.get_operations():
            if op.type in ("Variable", "VariableV2") and not op.device:
                raise ValueError(
                    f"When using replicas, all Variables must have their device set: {op}"
                )

    # --- properties --------------------------------------------------------------------------

    @property
    def is_chief(self) -> bool:
        """Whether this supervisor initializes the model and writes events."""
        return self._is_chief

    @property
    def session_manager(self) -> SessionManager:
        """The ``SessionManager`` creating the sessions."""
        return self._session_manager

    @property
    def coord(self) -> Coordinator:
        """The ``Coordinator`` of the service threads."""
        return self._coord

    @property
    def init_op(self) -> Any:
        """The op initializing the model."""
        return self._init_op

    @property
    def init_feed_dict(self) -> Any:
        """Feeds for ``init_op``."""
        return self._init_feed_dict

    @property
    def ready_op(self) -> Any:
        """The op reporting uninitialized variables."""
        return self._ready_op

    @property
    def ready_for_local_init_op(self) -> Any:
        """The op checked before ``local_init_op`` runs (None by default)."""
        return self._ready_for_local_init_op

    @property
    def summary_writer(self) -> Any:
        """The ``FileWriter`` of ``logdir`` (chief only)."""
        return self._summary_writer

    @property
    def summary_op(self) -> Any:
        """The merged summary op saved by the summary service."""
        return self._summary_op

    @property
    def save_summaries_secs(self) -> float | None:
        """Seconds between summary saves."""
        return self._save_summaries_secs

    @property
    def global_step(self) -> Any:
        """The global step tensor (or None)."""
        return self._global_step

    @property
    def saver(self) -> Any:
        """The ``Saver`` of the checkpoint service."""
        return self._saver

    @property
    def save_model_secs(self) -> float | None:
        """Seconds between checkpoints."""
        return self._save_model_secs

    @property
    def save_path(self) -> str | None:
        """The checkpoint prefix (``logdir/model.ckpt``)."""
        return self._save_path

    # --- sessions and services ---------------------------------------------------------------

    def _write_graph(self) -> None:
        from scopeflow.graph_io.files import write_graph  # noqa: PLC0415  (protobuf is lazy)

        if self._logdir:
            try:
                write_graph(self._graph.as_graph_def(add_shapes=True), self._logdir,
                            "graph.pbtxt")  # fmt: skip
            except UnsupportedError as e:
                logging.warning("Supervisor wrote no graph.pbtxt (%s)", e)
        if self._summary_writer and not self._graph_added_to_summary:
            self._summary_writer.add_graph(self._graph)
            if self._meta_graph_def is not None:
                self._summary_writer.add_meta_graph(self._meta_graph_def)
            self._graph_added_to_summary = True

    def start_standard_services(self, sess: Any) -> list[LooperThread] | None:
        """Starts the summary, step-counter and checkpoint threads (chief only).

        Raises:
            RuntimeError: Not the chief.
        """
        if not self._is_chief:
            raise RuntimeError(
                "Only chief supervisor can start standard services. Because only chief "
                "supervisors can write events."
            )
        if not self._logdir:
            logging.warning("Standard services need a 'logdir' passed to the SessionManager")
            return None
        if self._global_step is not None and self._summary_writer:
            current_step = training_util.global_step(sess, self._global_step)
            self._summary_writer.add_session_log(_session_log("START"), current_step)
        threads: list[LooperThread] = []
        if self._save_summaries_secs and self._summary_writer:
            if self._summary_op is not None:
                threads.append(SVSummaryThread(self, sess))
            if self._global_step is not None:
                threads.append(SVStepCounterThread(self, sess))
        if self.saver and self._save_model_secs:
            threads.append(SVTimerCheckpointThread(self, sess))
        for t in threads:
            t.start()
        return threads

    def prepare_or_wait_for_session(
        self,
        master: str = "",
        config: Any = None,
        wait_for_checkpoint: bool = False,
        max_wait_secs: float = 7200,
        start_standard_services: bool = True,
    ) -> Any:
        """A session with the model restored or initialized (chief) or made ready (others)."""
        self._coord.clear_stop()
        if self._summary_writer:
            self._summary_writer.reopen()
        if self._is_chief:
            sess = self._session_manager.prepare_session(
                master,
                init_op=self.init_op,
                saver=self.saver,
                checkpoint_dir=self._logdir,
                wait_for_checkpoint=wait_for_checkpoint,
                max_wait_secs=max_wait_secs,
                config=config,
                init_feed_dict=self._init_feed_dict,
                init_fn=self._init_fn,
            )
            self._write_graph()
            if start_standard_services:
                logging.info("Starting standard services.")
                self.start_standard_services(sess)
        else:
            sess = self._session_manager.wait_for_session(
                master, config=config, max_wait_secs=max_wait_secs
            )
        if start_standard_services:
            logging.info("Starting queue runners.")
            self.start_queue_runners(sess)
        return sess

    def start_queue_runners(self, sess: Any, queue_runners: Any = None) -> list[Any]:
        """Starts the threads of the graph's (or the given) queue runners."""
        if queue_runners is None:
            queue_runners = self._graph.get_collection(GraphKeys.QUEUE_RUNNERS)
        threads = []
        for qr in queue_runners:
            threads.extend(qr.create_threads(sess, coord=self._coord, daemon=True, start=True))
        return threads

    def loop(
        self, timer_interval_secs: float | None, target: Any, args: Any = None, kwargs: Any = None
    ) -> LooperThread:
        """Starts a ``LooperThread`` calling ``target`` every ``timer_interval_secs``."""
        looper = LooperThread(self._coord, timer_interval_secs, target=target, args=args,
                              kwargs=kwargs)  # fmt: skip
        looper.start()
        return looper

    def stop(
        self,
        threads: Any = None,
        close_summary_writer: bool = True,
        ignore_live_threads: bool = False,
    ) -> None:
        """Stops the services, joins the threads, writes ``SessionLog.STOP``, closes the writer.

        Re-raises an exception reported to the coordinator.
        """
        self._coord.request_stop()
        try:
            self._coord.join(threads, stop_grace_period_secs=self._stop_grace_secs,
                             ignore_live_threads=ignore_live_threads)  # fmt: skip
        finally:
            if close_summary_writer and self._summary_writer:
                self._summary_writer.add_session_log(_session_log("STOP"))
                self._summary_writer.close()
                self._graph_added_to_summary = False

    def request_stop(self, ex: Any = None) -> None:
        """Asks the services to stop (recording ``ex``)."""
        self._coord.request_stop(ex=ex)

    def should_stop(self) -> bool:
        """Whether a stop was requested."""
        return self._coord.should_stop()

    def stop_on_exception(self) -> Any:
        """A context manager requesting a stop if its block raises."""
        return self._coord.stop_on_exception()

    def wait_for_stop(self) -> None:
        """Blocks until a stop is requested."""
        self._coord.wait_for_stop()

    def summary_computed(self, sess: Any, summary: Any, global_step: Any = None) -> None:
        """Writes ``summary`` (at ``global_step``, default the current step).

        Raises:
            RuntimeError: No summary writer.
        """
        if not self._summary_writer:
            raise RuntimeError("Writing a summary requires a summary writer.")
        if global_step is None and self.global_step is not None:
            global_step = training_util.global_step(sess, self.global_step)
        self._summary_writer.add_summary(summary, global_step)

    @contextlib.contextmanager
    def managed_session(
        self,
        master: str = "",
        config: Any = None,
        start_standard_services: bool = True,
        close_summary_writer: bool = True,
    ) -> Iterator[Any]:
        """A session for the ``with`` block; services stopped and the session closed after it."""
        sess = None
        try:
            sess = self.prepare_or_wait_for_session(
                master=master, config=config, start_standard_services=start_standard_services
            )
            yield sess
        except Exception as e:
            self.request_stop(e)
        finally:
            try:
                self.stop(close_summary_writer=close_summary_writer)
            finally:
                with contextlib.suppress(Exception):
                    if sess is not None:
                        sess.close()

    PrepareSession = prepare_or_wait_for_session
    StartQueueRunners = start_queue_runners
    StartStandardServices = start_standard_services
    Stop = stop
    RequestStop = request_stop
    Loop = loop
    ShouldStop = should_stop
    StopOnException = stop_on_exception
    WaitForStop = wait_for_stop
    SummaryComputed = summary_computed
