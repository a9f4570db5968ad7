"""``slim.queues``: a context manager that runs the graph's queue runners for a session.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Any

from scopeflow._core.graph_keys import GraphKeys
from scopeflow.graph.graph import get_default_graph
from scopeflow.train.coordinator import Coordinator

_queue_runner_lock = threading.Lock()


class NestedQueueRunnerError(Exception):
    """Raised when a ``QueueRunners`` context is entered inside another one."""


@contextlib.contextmanager
def QueueRunners(session: Any) -> Iterator[None]:
    """Starts the default graph's queue runners for ``session``; stops and joins them on exit.

    The threads are daemons driven by one ``Coordinator``; if they do not stop within 120
    seconds the session is closed.

    Raises:
        NestedQueueRunnerError: the context is nested in another ``QueueRunners`` context.
    """
    if not _queue_runner_lock.acquire(blocking=False):
        raise NestedQueueRunnerError("QueueRunners cannot be nested")
    coord = Coordinator()
    threads = []
    for qr in get_default_graph().get_collection(GraphKeys.QUEUE_RUNNERS):
        threads.extend(qr.create_threads(session, coord=coord, daemon=True, start=True))
    try:
        yield
    finally:
        coord.request_stop()
        try:
            coord.join(threads, stop_grace_period_secs=120)
        except RuntimeError:
            session.close()
        _queue_runner_lock.release()


__all__ = ["NestedQueueRunnerError", "QueueRunners"]
