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
        if queue_runner_def is not None:
            raise errors.UnsupportedError("QueueRunner(queue_runner_def=...)")
        self._queue = queue
        self._enqueue_ops = list(enqueue_ops or [])
        self._close_op = close_op if close_op is not None else queue.close()
        self._cancel_op = (
            cancel_op if cancel_op is not None else queue.close(cancel_pending_enqueues=True)
        )
        self._closed_types = tuple(queue_closed_exception_types or (errors.OutOfRangeError,))
        self._lock = threading.Lock()
        self._runs: dict[int, int] = {}
        self._exceptions: list[BaseException] = []

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
