"""``tf.train.QueueRunner`` / ``start_queue_runners``: threads that keep running enqueue ops.

Each thread runs one enqueue op until the coordinator asks to stop or the op raises
``OutOfRangeError`` (its input is exhausted); when the last thread ends the queue is closed, so
the consumer's dequeue raises ``OutOfRangeError`` after the remaining elements, as in TF. Another
error is reported to the coordinator (``request_stop(e)``), which ``coord.join`` re-raises.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import contextlib
import threading
from typing import Any

from scopeflow import errors
from scopeflow._core.graph_keys import GraphKeys
from scopeflow.graph.graph import get_default_graph


class QueueRunner:
    """Holds a queue's enqueue ops and runs each in its own thread (``tf.train.QueueRunner``)."""

    def __init__(
        self,
        queue: Any = None,
        enqueue_ops: Any = None,
        close_op: Any = None,
        cancel_op: Any = None,
        queue_closed_exception_types: Any = None,
        queue_runner_def: Any = None,
        import_scope: Any = None,
    ) -> None:
        self._lock = threading.Lock()
        self._runs: dict[int, int] = {}
        self._exceptions: list[BaseException] = []
        if queue_runner_def is not None:
            if queue is not None or enqueue_ops is not None:
                raise ValueError("queue_runner_def and queue are mutually exclusive.")
            self._init_from_proto(queue_runner_def, import_scope)
            return
        if queue is None or not enqueue_ops:
            raise ValueError("Queue and enqueue_ops must be specified." if queue is None
                             else "Must provide at least one enqueue_op.")  # fmt: skip
        self._queue = queue
        self._enqueue_ops = list(enqueue_ops or [])
        self._close_op = close_op if close_op is not None else queue.close()
        self._cancel_op = (
            cancel_op if cancel_op is not None else queue.close(cancel_pending_enqueues=True)
        )
        self._closed_types = tuple(queue_closed_exception_types or (errors.OutOfRangeError,))

    def _init_from_proto(self, queue_runner_def: Any, import_scope: Any) -> None:
        """TF's ``_init_from_proto``: the graph elements a ``QueueRunnerDef`` names."""
        g = get_default_graph()

        def element(name: str) -> Any:
            return g.as_graph_element(f"{import_scope}/{name}" if import_scope else name)

        self._queue = element(queue_runner_def.queue_name)
        self._enqueue_ops = [element(n) for n in queue_runner_def.enqueue_op_name]
        self._close_op = element(queue_runner_def.close_op_name)
        self._cancel_op = element(queue_runner_def.cancel_op_name)
        self._closed_types = tuple(
            errors.exception_type_from_error_code(code)
            for code in queue_runner_def.queue_closed_exception_types
        ) or (errors.OutOfRangeError,)

    def to_proto(self, export_scope: Any = None) -> Any:
        """This runner as TF's ``QueueRunnerDef`` (None if its queue is outside ``export_scope``).

        Written to a meta graph's ``queue_runners`` collection, as TF writes it.
        """
        from scopeflow.protos import queue_runner_pb2  # noqa: PLC0415  (protobuf is lazy)

        def stripped(name: str) -> str:
            return name[len(export_scope) + 1 :] if export_scope else name

        if export_scope and not self.queue.name.startswith(export_scope + "/"):
            return None
        return queue_runner_pb2.QueueRunnerDef(
            queue_name=stripped(self.queue.name),
            enqueue_op_name=[stripped(op.name) for op in self._enqueue_ops],
            close_op_name=stripped(self._close_op.name),
            cancel_op_name=stripped(self._cancel_op.name),
            queue_closed_exception_types=[t.error_code for t in self._closed_types],
        )

    @staticmethod
    def from_proto(queue_runner_def: Any, import_scope: Any = None) -> QueueRunner:
        """The ``QueueRunner`` a ``QueueRunnerDef`` describes, in the default graph."""
        return QueueRunner(queue_runner_def=queue_runner_def, import_scope=import_scope)

    @property
    def queue(self) -> Any:
        """The queue."""
        return self._queue

    @property
    def enqueue_ops(self) -> list[Any]:
        """The enqueue ops, one thread each."""
        return list(self._enqueue_ops)

    @property
    def close_op(self) -> Any:
        """The op closing the queue when the last thread ends."""
        return self._close_op

    @property
    def cancel_op(self) -> Any:
        """The op closing the queue and cancelling pending enqueues on a stop request."""
        return self._cancel_op

    @property
    def queue_closed_exception_types(self) -> tuple[type, ...]:
        """Errors that mean the input ended (the thread closes the queue and exits)."""
        return self._closed_types

    @property
    def name(self) -> str:
        """The queue's name."""
        return self._queue.name  # type: ignore[no-any-return]

    @property
    def exceptions_raised(self) -> list[BaseException]:
        """Exceptions the threads raised (other than the queue-closed ones)."""
        return list(self._exceptions)

    def _run(self, sess: Any, enqueue_op: Any, coord: Any) -> None:
        decremented = False
        try:
            while not (coord is not None and coord.should_stop()):
                try:
                    sess.run(enqueue_op)
                except self._closed_types:
                    with self._lock:
                        self._runs[id(sess)] -= 1
                        decremented = True
                        if self._runs[id(sess)] == 0:
                            with contextlib.suppress(errors.OpError):  # closing twice is harmless
                                sess.run(self._close_op)
                    return
        except Exception as e:
            if coord is not None:
                coord.request_stop(e)
            else:
                with self._lock:
                    self._exceptions.append(e)
                raise
        finally:
            if not decremented:
                with self._lock:
                    self._runs[id(sess)] -= 1

    def _close_on_stop(self, sess: Any, coord: Any) -> None:
        coord.wait_for_stop()
        with contextlib.suppress(errors.OpError, RuntimeError):  # session may be closed
            sess.run(self._cancel_op)

    def create_threads(
        self, sess: Any, coord: Any = None, daemon: bool = False, start: bool = False
    ) -> list[threading.Thread]:
        """Threads running the enqueue ops (started if ``start``), registered with ``coord``."""
        with self._lock:
            self._runs[id(sess)] = len(self._enqueue_ops)
        threads = [
            threading.Thread(target=self._run, args=(sess, op, coord), daemon=daemon)
            for op in self._enqueue_ops
        ]
        if coord is not None:
            threads.append(
                threading.Thread(target=self._close_on_stop, args=(sess, coord), daemon=True)
            )
        for t in threads:
            if coord is not None:
                coord.register_thread(t)
            if start:
                t.start()
        return threads


def add_queue_runner(qr: QueueRunner, collection: str = GraphKeys.QUEUE_RUNNERS) -> None:
    """Adds ``qr`` to the graph collection ``collection``."""
    get_default_graph().add_to_collection(collection, qr)


def start_queue_runners(
    sess: Any = None,
    coord: Any = None,
    daemon: bool = True,
    start: bool = True,
    collection: str = GraphKeys.QUEUE_RUNNERS,
) -> list[threading.Thread]:
    """Starts the threads of every queue runner in ``collection``; returns them."""
    if sess is None:
        from scopeflow.graph.session import get_default_session  # noqa: PLC0415

        sess = get_default_session()
        if sess is None:
            raise ValueError(
                "Cannot start queue runners: No default session is registered. Use `with "
                "sess.as_default()` or pass an explicit session to "
                "tf.start_queue_runners(sess=sess)"
            )
    threads: list[threading.Thread] = []
    for qr in get_default_graph().get_collection(collection):
        threads.extend(qr.create_threads(sess, coord=coord, daemon=daemon, start=start))
    return threads


__all__ = ["QueueRunner", "add_queue_runner", "start_queue_runners"]
