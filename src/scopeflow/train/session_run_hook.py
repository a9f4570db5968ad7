"""``tf.train.SessionRunHook`` and the values passed to it around each ``run`` call.

A hook is called by a monitored session (:mod:`scopeflow.train.monitored_session`): ``begin``
before the graph is finalized, ``after_create_session`` once the session exists,
``before_run``/``after_run`` around every ``run`` call and ``end`` before the session closes.
``before_run`` may return a :class:`SessionRunArgs` whose fetches and feeds are merged into the
call; ``after_run`` gets their results in a :class:`SessionRunValues`; any callback may stop the
loop with ``run_context.request_stop()``.

Must not import ``scopeflow.compat``.

>>> class Counter(SessionRunHook):
...     def begin(self):
...         self.n = 0
...     def after_run(self, run_context, run_values):
...         self.n += 1
>>> SessionRunArgs(fetches="x:0")
SessionRunArgs(fetches='x:0', feed_dict=None, options=None)
"""

from __future__ import annotations

from typing import Any, NamedTuple

__all__ = ["SessionRunArgs", "SessionRunContext", "SessionRunHook", "SessionRunValues"]


class SessionRunHook:
    """Hook to extend calls to ``MonitoredSession.run()`` (every callback does nothing)."""

    def begin(self) -> None:
        """Called once before the session is created; the hook may still add ops to the graph."""

    def after_create_session(self, session: Any, coord: Any) -> None:
        """Called when a session was created (the graph is finalized by then)."""

    def before_run(self, run_context: SessionRunContext) -> SessionRunArgs | None:
        """Called before each ``run()``; may return fetches/feeds/options to add to it."""
        return None

    def after_run(self, run_context: SessionRunContext, run_values: SessionRunValues) -> None:
        """Called after each ``run()`` that did not raise, with this hook's fetched values."""

    def end(self, session: Any) -> None:
        """Called at the end of the session (also after ``OutOfRangeError``/``StopIteration``)."""


class SessionRunArgs(NamedTuple):
    """Fetches, feeds and options a hook adds to a ``Session.run()`` call."""

    fetches: Any
    feed_dict: Any = None
    options: Any = None


class SessionRunContext:
    """The ``run()`` call being made: its original arguments and session; ``request_stop``."""

    def __init__(self, original_args: SessionRunArgs, session: Any) -> None:
        self._original_args = original_args
        self._session = session
        self._stop_requested = False

    @property
    def original_args(self) -> SessionRunArgs:
        """``SessionRunArgs(fetches, feed_dict)`` as the user passed them to ``run``."""
        return self._original_args

    @property
    def session(self) -> Any:
        """The session that executes the ``run``."""
        return self._session

    @property
    def stop_requested(self) -> bool:
        """Whether a hook asked to stop."""
        return self._stop_requested

    def request_stop(self) -> None:
        """Asks the monitored session to stop iterating (``should_stop()`` becomes True)."""
        self._stop_requested = True


class SessionRunValues(NamedTuple):
    """The results of the fetches a hook asked for, with the run's options and metadata."""

    results: Any
    options: Any
    run_metadata: Any
