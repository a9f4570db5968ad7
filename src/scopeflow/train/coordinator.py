"""``tf.train.Coordinator``: stop a group of threads together and report the first error.

TF's semantics: ``request_stop(ex)`` records the first exception reported before any stop
request (``OutOfRangeError`` counts as a clean stop and is not recorded), ``join`` waits for
the threads, re-raises the recorded exception, and raises ``RuntimeError`` for threads still
alive after the grace period.

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


class LooperThread(threading.Thread):
    """A daemon thread calling ``run_loop`` (or ``target``) every ``timer_interval_secs``.

    The first call happens as soon as the thread starts; with ``timer_interval_secs=None`` the
    calls are back to back. The loop ends when ``coord`` is asked to stop; an exception is
    reported to ``coord`` and ends the thread (TF's ``tf.train.LooperThread``).
    """

    def __init__(
        self,
        coord: Coordinator,
        timer_interval_secs: float | None,
        target: Any = None,
        args: Any = None,
        kwargs: Any = None,
    ) -> None:
        if not isinstance(coord, Coordinator):
            raise ValueError(f"'coord' argument must be a Coordinator: {coord}")
        super().__init__()
        self.daemon = True
        self._coord = coord
        self._timer_interval_secs = timer_interval_secs
        self._looper_target = target
        if target:
            self._looper_args = args or ()
            self._looper_kwargs = kwargs or {}
        elif args or kwargs:
            raise ValueError("'args' and 'kwargs' argument require that you also pass 'target'")
        self._coord.register_thread(self)

    @staticmethod
    def loop(
        coord: Coordinator,
        timer_interval_secs: float | None,
        target: Any,
        args: Any = None,
        kwargs: Any = None,
    ) -> LooperThread:
        """Starts (and returns) a ``LooperThread`` calling ``target(*args, **kwargs)``."""
        looper = LooperThread(coord, timer_interval_secs, target=target, args=args, kwargs=kwargs)
        looper.start()
        return looper

    def run(self) -> None:
        """The thread body: ``run_loop`` at every interval until a stop is requested."""
        with self._coord.stop_on_exception():
            self.start_loop()
            if self._timer_interval_secs is None:
                while not self._coord.should_stop():
                    self.run_loop()
            else:
                next_timer_time = time.time()
                while not self._coord.wait_for_stop(next_timer_time - time.time()):
                    next_timer_time += self._timer_interval_secs
                    self.run_loop()
            self.stop_loop()

    def start_loop(self) -> None:
        """Called when the thread starts."""

    def stop_loop(self) -> None:
        """Called when the thread stops."""

    def run_loop(self) -> None:
        """Called at every ``timer_interval_secs`` boundary."""
        if self._looper_target:
            self._looper_target(*self._looper_args, **self._looper_kwargs)


__all__ = ["Coordinator", "LooperThread"]
