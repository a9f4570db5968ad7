"""``tf.logging``: TF1's logging functions on the standard ``logging`` logger ``"tensorflow"``.

The logger is TF's (named ``"tensorflow"``), so ``logging.getLogger("tensorflow")`` configures
it as it did for TF. It gets a stderr handler with ``logging.BASIC_FORMAT`` on first use only if
the root logger has no handlers (TF's rule; nothing is configured at import time). Levels are the
standard library's numbers (``DEBUG=10 ... FATAL=50``); ``vlog(level, ...)`` logs at ``level``.
Records carry the calling user code's file and line (TF overrides ``findCaller`` for that).

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.

>>> from scopeflow.app import logging as tf_logging
>>> tf_logging.set_verbosity(tf_logging.ERROR)
>>> tf_logging.get_verbosity() == tf_logging.ERROR
True
"""

from __future__ import annotations

import logging as _logging
import sys
import threading
from logging import DEBUG, ERROR, FATAL, INFO, WARN
from typing import Any

_logger: _logging.Logger | None = None
_logger_lock = threading.Lock()
_log_counter_per_token: dict[tuple[str, int], int] = {}


def get_logger() -> _logging.Logger:
    """The ``"tensorflow"`` logger, given a stderr handler on first use (``tf.get_logger``).

    >>> get_logger().name
    'tensorflow'
    """
    global _logger
    if _logger is not None:
        return _logger
    with _logger_lock:
        if _logger is None:
            logger = _logging.getLogger("tensorflow")
            if not _logging.getLogger().handlers:
                interactive = hasattr(sys, "ps1") or bool(sys.flags.interactive)
                if interactive:
                    logger.setLevel(INFO)
                handler = _logging.StreamHandler(sys.stdout if interactive else sys.stderr)
                handler.setFormatter(_logging.Formatter(_logging.BASIC_FORMAT, None))
                logger.addHandler(handler)
            _logger = logger
    return _logger


def log(level: int, msg: object, *args: Any, **kwargs: Any) -> None:
    """Logs ``msg % args`` at ``level``."""
    get_logger().log(level, msg, *args, stacklevel=2, **kwargs)


def debug(msg: object, *args: Any, **kwargs: Any) -> None:
    """Logs at DEBUG."""
    get_logger().debug(msg, *args, stacklevel=2, **kwargs)


def info(msg: object, *args: Any, **kwargs: Any) -> None:
    """Logs at INFO."""
    get_logger().info(msg, *args, stacklevel=2, **kwargs)


def warn(msg: object, *args: Any, **kwargs: Any) -> None:
    """Logs at WARN."""
    get_logger().warning(msg, *args, stacklevel=2, **kwargs)


def warning(msg: object, *args: Any, **kwargs: Any) -> None:
    """Logs at WARN."""
    get_logger().warning(msg, *args, stacklevel=2, **kwargs)


def error(msg: object, *args: Any, **kwargs: Any) -> None:
    """Logs at ERROR."""
    get_logger().error(msg, *args, stacklevel=2, **kwargs)


def fatal(msg: object, *args: Any, **kwargs: Any) -> None:
    """Logs at FATAL (TF's ``tf.logging.fatal`` logs; it does not exit)."""
    get_logger().fatal(msg, *args, stacklevel=2, **kwargs)


def TaskLevelStatusMessage(msg: object) -> None:
    """Logs ``msg`` at ERROR, as TF does."""
    get_logger().error(msg, stacklevel=2)


def flush() -> None:
    """Raises ``NotImplementedError``, as TF's ``tf.logging.flush`` does."""
    raise NotImplementedError()


def vlog(level: int, msg: object, *args: Any, **kwargs: Any) -> None:
    """Logs at ``level`` (TF: a plain ``log``)."""
    get_logger().log(level, msg, *args, stacklevel=2, **kwargs)


def _caller_file_and_line() -> tuple[str, int]:
    """``(filename, line)`` of the user's frame that called a ``log_*_n`` function."""
    frame = sys._getframe(2)  # this helper <- log_every_n / log_first_n <- user
    return frame.f_code.co_filename, frame.f_lineno


def _next_count(token: tuple[str, int]) -> int:
    _log_counter_per_token[token] = 1 + _log_counter_per_token.get(token, -1)
    return _log_counter_per_token[token]


def log_every_n(level: int, msg: object, n: int, *args: Any) -> None:
    """Logs the 1st, (n+1)-th, (2n+1)-th... call made from one source line."""
    count = _next_count(_caller_file_and_line())
    if not count % n:
        get_logger().log(level, msg, *args, stacklevel=2)


def log_first_n(level: int, msg: object, n: int, *args: Any) -> None:
    """Logs only the first ``n`` calls made from one source line."""
    count = _next_count(_caller_file_and_line())
    if count < n:
        get_logger().log(level, msg, *args, stacklevel=2)


def log_if(level: int, msg: object, condition: object, *args: Any) -> None:
    """Logs ``msg % args`` at ``level`` if ``condition`` holds."""
    if condition:
        get_logger().log(level, msg, *args, stacklevel=2)


def get_verbosity() -> int:
    """The logger's effective level."""
    return get_logger().getEffectiveLevel()


def set_verbosity(v: int) -> None:
    """Sets the threshold below which messages are dropped."""
    get_logger().setLevel(v)


__all__ = [
    "DEBUG",
    "ERROR",
    "FATAL",
    "INFO",
    "WARN",
    "TaskLevelStatusMessage",
    "debug",
    "error",
    "fatal",
    "flush",
    "get_logger",
    "get_verbosity",
    "info",
    "log",
    "log_every_n",
    "log_first_n",
    "log_if",
    "set_verbosity",
    "vlog",
    "warn",
    "warning",
]
