"""The session wrappers inside a ``MonitoredSession`` (TF's private ``_*Session`` classes).

From the outside in: ``_RecoverableSession`` recreates its session after ``AbortedError``/
``UnavailableError``; ``_CoordinatedSession`` reports errors to the ``Coordinator`` of the
queue-runner threads and joins them on close; ``_HookedSession`` calls the hooks'
``before_run``/``after_run`` around each ``run`` and merges their fetches, feeds and options.
``_StepContext`` is what ``run_step_fn``'s function receives.

Must not import ``scopeflow.compat``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from scopeflow.app import logging
from scopeflow.errors import AbortedError, UnavailableError
from scopeflow.graph.config import RunOptions
from scopeflow.train.coordinator import Coordinator
from scopeflow.train.session_run_hook import (
    SessionRunArgs,
    SessionRunContext,
    SessionRunHook,
    SessionRunValues,
)

_PREEMPTION_ERRORS = (AbortedError, UnavailableError)


class _StepContext:
    """What ``run_step_fn``'s ``step_fn`` receives: the raw session and ``run_with_hooks``."""

    def __init__(self, session: Any, run_with_hooks_fn: Callable[..., Any]) -> None:
        self._session = session
        self._run_with_hooks_fn = run_with_hooks_fn

    @property
    def session(self) -> Any:
        """The raw session (runs without hooks)."""
        return self._session

    def run_with_hooks(self, *args: Any, **kwargs: Any) -> Any:
        """``run`` through the hooks, as ``MonitoredSession.run``."""
        return self._run_with_hooks_fn(*args, **kwargs)

    def request_stop(self) -> None:
        """Stops the loop: raises ``StopIteration``, which the session's ``with`` swallows."""
        raise StopIteration("step_fn has requested the iterations to stop.")


class _WrappedSession:
    """A session wrapper with ``should_stop``; ``close`` never raises a preemption error."""

    def __init__(self, sess: Any) -> None:
        self._sess = sess
        self._wrapped_is_stoppable = isinstance(self._sess, _WrappedSession)

    @property
    def graph(self) -> Any:
        return self._sess.graph

    @property
    def sess_str(self) -> str:
        return self._sess.sess_str  # type: ignore[no-any-return]

    def should_stop(self) -> bool:
        if self._check_stop():
            return True
        if self._sess:
            return self._wrapped_is_stoppable and bool(self._sess.should_stop())
        return True

    def _check_stop(self) -> bool:
        return False

    def close(self) -> None:
        if self._sess:
            try:
                self._sess.close()
            except _PREEMPTION_ERRORS as e:
                logging.error(
                    "An error occurred when attempting to close the session. This may be due "
                    "to a preemption in a connected worker or parameter server. Error: %s",
                    e,
                )
            finally:
                self._sess = None

    def run(self, *args: Any, **kwargs: Any) -> Any:
        return self._sess.run(*args, **kwargs)

    def run_step_fn(
        self, step_fn: Callable[[_StepContext], Any], raw_session: Any, run_with_hooks: Any
    ) -> Any:
        run_with_hooks = run_with_hooks or self.run
        return step_fn(_StepContext(raw_session, run_with_hooks))


_PREEMPTED = (
    "An error was raised. This may be due to a preemption in a connected worker or parameter "
    "server. The current session will be closed and a new session will be created. This error "
    "may also occur due to a gRPC failure caused by high memory or network bandwidth usage in "
    "the parameter servers. If this error occurs repeatedly, try increasing the number of "
    "parameter servers assigned to the job. Error: %s"
)


class _RecoverableSession(_WrappedSession):
    """Recreates its session when ``run`` raises ``AbortedError``/``UnavailableError``."""

    def __init__(self, sess_creator: Any) -> None:
        self._sess_creator = sess_creator
        _WrappedSession.__init__(self, self._create_session())

    def _create_session(self) -> Any:
        while True:
            try:
                return self._sess_creator.create_session()
            except _PREEMPTION_ERRORS as e:
                logging.info(
                    "An error was raised while a session was being created. This may be due to "
                    "a preemption of a connected worker or parameter server. A new session will "
                    "be created. This error may also occur due to a gRPC failure caused by high "
                    "memory or network bandwidth usage in the parameter servers. If this error "
                    "occurs repeatedly, try increasing the number of parameter servers assigned "
                    "to the job. Error: %s",
                    e,
                )

    def _check_stop(self) -> bool:
        try:
            if self._sess:
                return self._sess._check_stop()  # type: ignore[no-any-return]
            return True
        except _PREEMPTION_ERRORS as e:
            logging.info(_PREEMPTED, e)
            self.close()
            self._sess = self._create_session()
            return False
        except Exception:
            return True

    def run(
        self, fetches: Any, feed_dict: Any = None, options: Any = None, run_metadata: Any = None
    ) -> Any:
        while True:
            try:
                if not self._sess:
                    self._sess = self._create_session()
                return self._sess.run(
                    fetches, feed_dict=feed_dict, options=options, run_metadata=run_metadata
                )
            except _PREEMPTION_ERRORS as e:
                logging.info(_PREEMPTED, e)
                self.close()
                self._sess = None

    def run_step_fn(
        self, step_fn: Callable[[_StepContext], Any], raw_session: Any, run_with_hooks: Any
    ) -> Any:
        while True:
            try:
                if not self._sess:
                    self._sess = self._create_session()
                return self._sess.run_step_fn(step_fn, raw_session, self._sess.run)
            except _PREEMPTION_ERRORS as e:
                logging.info(_PREEMPTED, e)
                self.close()
                self._sess = None


class _CoordinatedSession(_WrappedSession):
    """Reports errors to a ``Coordinator``; stops when it says so; joins its threads on close."""

    def __init__(self, sess: Any, coord: Coordinator, stop_grace_period_secs: float = 120) -> None:
        _WrappedSession.__init__(self, sess)
        self._coord = coord
        self._stop_grace_period_secs = stop_grace_period_secs

    def _check_stop(self) -> bool:
        self._coord.raise_requested_exception()
        return self._coord.should_stop()

    def close(self) -> None:
        self._coord.request_stop()
        try:
            self._coord.join(
                stop_grace_period_secs=self._stop_grace_period_secs, ignore_live_threads=True
            )
        finally:
            with contextlib.suppress(Exception):  # TF: closing never raises
                _WrappedSession.close(self)

    def run(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return self._sess.run(*args, **kwargs)
        except _PREEMPTION_ERRORS:
            raise
        except Exception as original_exception:
            # A queue-runner thread's error explains a failing run better (TF's rule).
            try:
                self._coord.raise_requested_exception()
            except _PREEMPTION_ERRORS:
                raise
            except Exception:
                raise original_exception from None
            raise


class _HookedSession(_WrappedSession):
    """Calls the hooks' ``before_run``/``after_run`` around each ``run``."""

    def __init__(self, sess: Any, hooks: list[SessionRunHook]) -> None:
        _WrappedSession.__init__(self, sess)
        self._hooks = hooks
        self._should_stop = False

    def _check_stop(self) -> bool:
        return self._should_stop

    def run(
        self, fetches: Any, feed_dict: Any = None, options: Any = None, run_metadata: Any = None
    ) -> Any:
        if self.should_stop():
            raise RuntimeError("Run called even after should_stop requested.")
        hook_fetches: dict[Any, Any] = {}
        run_context = SessionRunContext(
            original_args=SessionRunArgs(fetches, feed_dict), session=self._sess
        )
        options = options or RunOptions()
        feed_dict = self._call_hook_before_run(run_context, hook_fetches, feed_dict, options)
        if run_metadata is None:
            from scopeflow.protos import config_pb2  # noqa: PLC0415  (loads the descriptors)

            run_metadata = config_pb2.RunMetadata()
        # The hooks' fetches come first so that their reads (the global step) happen before the
        # caller's training op changes them, as TF's executor usually orders them.
        outputs = _WrappedSession.run(
            self,
            fetches={**hook_fetches, "caller": fetches},
            feed_dict=feed_dict,
            options=options,
            run_metadata=run_metadata,
        )
        for hook in self._hooks:
            hook.after_run(
                run_context,
                SessionRunValues(
                    results=outputs[hook] if hook in hook_fetches else None,
                    options=options,
                    run_metadata=run_metadata,
                ),
            )
        self._should_stop = self._should_stop or run_context.stop_requested
        return outputs["caller"]

    def _call_hook_before_run(
        self,
        run_context: SessionRunContext,
        fetch_dict: dict[Any, Any],
        user_feed_dict: Any,
        options: Any,
    ) -> Any:
        hook_feeds: dict[Any, Any] = {}
        for hook in self._hooks:
            request = hook.before_run(run_context)
            if request is not None:
                if request.fetches is not None:
                    fetch_dict[hook] = request.fetches
                if request.feed_dict:
                    _raise_if_feeds_intersect(
                        hook_feeds, request.feed_dict, "Same tensor is fed by two hooks."
                    )
                    hook_feeds.update(request.feed_dict)
                if request.options:
                    _merge_run_options(options, request.options)
        if not hook_feeds:
            return user_feed_dict
        if not user_feed_dict:
            return hook_feeds
        _raise_if_feeds_intersect(
            user_feed_dict, hook_feeds, "Same tensor is fed by a SessionRunHook and user."
        )
        hook_feeds.update(user_feed_dict)
        return hook_feeds


def _raise_if_feeds_intersect(feeds1: Any, feeds2: Any, message: str) -> None:
    intersection = set(feeds1.keys()) & set(feeds2.keys())
    if intersection:
        raise RuntimeError(message + " Conflict(s): " + str(list(intersection)))


def _merge_run_options(options: Any, incoming: Any) -> None:
    """TF's merge: numbers take the larger value, flags are OR-ed."""
    for field in ("trace_level", "timeout_in_ms", "inter_op_thread_pool"):
        setattr(options, field, max(getattr(options, field) or 0, getattr(incoming, field) or 0))
    for field in ("output_partition_graphs", "report_tensor_allocations_upon_oom"):
        setattr(options, field, bool(getattr(options, field)) or bool(getattr(incoming, field)))
