"""``tf.train.basic_train_loop``: call a training step until a ``Supervisor`` says stop.

Must not import ``scopeflow.compat``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scopeflow.errors import AbortedError

__all__ = ["basic_train_loop"]


def basic_train_loop(
    supervisor: Any,
    train_step_fn: Callable[..., Any],
    args: Any = None,
    kwargs: Any = None,
    master: str = "",
) -> None:
    """Runs ``train_step_fn(sess, *args, **kwargs)`` in ``supervisor.managed_session(master)``.

    The loop ends when ``supervisor.should_stop()``; an ``AbortedError`` starts a new managed
    session and goes on, as in TF.
    """
    args = [] if args is None else args
    kwargs = {} if kwargs is None else kwargs
    should_retry = True
    while should_retry:
        try:
            should_retry = False
            with supervisor.managed_session(master) as sess:
                while not supervisor.should_stop():
                    train_step_fn(sess, *args, **kwargs)
        except AbortedError:
            should_retry = True
