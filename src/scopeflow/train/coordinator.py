"""``tf.train.Coordinator``: stop a group of threads together and report the first error.

TF's semantics: ``request_stop(ex)`` records the first exception (``OutOfRangeError`` counts as
a clean stop and is not recorded), ``join`` waits for the threads, re-raises the recorded
exception, and raises ``RuntimeError`` for threads still alive after the grace period.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.

>>> coord = Coordinator()
>>> coord.should_stop()
False
>>> coord.request_stop()
>>> coord.should_stop()
True
"""

from __future__ import annotations

import contextlib
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from typing import Any

from scopeflow import errors


class Coordinator:
    """A coordinator for threads (``tf.train.Coordinator``)."""

    def __init__(self, clean_stop_exception_types: Sequence[type] | None = None) -> None:
        self._clean = tuple(
            (errors.OutOfRangeError,)
            if clean_stop_exception_types is None
            else clean_stop_exception_types
        )
        self._lock = threading.Lock()
        self._stop_event = threading.Event()
        self._exc_info: Any = None
        self._joined = False
        self._registered: set[threading.Thread] = set()

    def request_stop(self, ex: Any = None) -> None:
        """Asks every thread to stop; records ``ex`` (an exception or exc_info) if first."""
        with self._lock:
            if self._joined:
                return
            if self._stop_event.is_set():
                return  # TF: an exception after the stop request is not recorded
            if ex is not None and self._exc_info is None:
                if isinstance(ex, tuple):
                    exc = ex[1]
                    info = ex
                else:
                    exc = ex
                    info = (type(ex), ex, ex.__traceback__)
                if not isinstance(exc, self._clean):
                    self._exc_info = info
            self._stop_event.set()

    def clear_stop(self) -> None:
        """Clears the stop request (and the recorded exception)."""
        with self._lock:
            self._joined = False
            self._exc_info = None
            self._stop_event.clear()

    def should_stop(self) -> bool:
        """Whether a stop was requested."""
        return self._stop_event.is_set()

    @contextlib.contextmanager
    def stop_on_exception(self) -> Iterator[None]:
        """Requests a stop (recording the exception) if the block raises."""
        try:
            yield
        except Exception:
            self.request_stop(ex=sys.exc_info())

    def wait_for_stop(self, timeout: float | None = None) -> bool:
        """Waits until a stop is requested; True if it was."""
        return self._stop_event.wait(timeout)

    def register_thread(self, thread: threading.Thread) -> None:
        """Makes ``join`` wait for ``thread`` too."""
        with self._lock:
            self._registered.add(thread)

    def join(
        self,
        threads: Sequence[threading.Thread] | None = None,
        stop_grace_period_secs: float = 120,
        ignore_live_threads: bool = False,
    ) -> None:
        """Waits for the threads to end after a stop request; re-raises a recorded exception.

        Raises:
            RuntimeError: threads were still running after ``stop_grace_period_secs``.
        """
        with self._lock:
            all_threads = set(self._registered) | set(threads or [])
        while any(t.is_alive() for t in all_threads) and not self.wait_for_stop(1.0):
            pass
        deadline = time.monotonic() + stop_grace_period_secs
        for t in all_threads:
            t.join(max(0.0, deadline - time.monotonic()))
        alive = [t.name for t in all_threads if t.is_alive()]
        with self._lock:
            self._joined = True
            self._registered = set()
            info = self._exc_info
        if info is not None:
            raise info[1].with_traceback(info[2])
        if alive and not ignore_live_threads:
            raise RuntimeError(f"Coordinator stopped with threads still running: {' '.join(alive)}")

    @property
    def joined(self) -> bool:
        """Whether ``join`` has run."""
        return self._joined

    def raise_requested_exception(self) -> None:
        """Raises the recorded exception, if any."""
        with self._lock:
            if self._exc_info is not None:
                raise self._exc_info[1].with_traceback(self._exc_info[2])


__all__ = ["Coordinator"]
