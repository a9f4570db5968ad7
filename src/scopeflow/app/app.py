"""``tf.app.run``: parse the flags from ``argv`` with absl, then call ``main(argv)``.

As in TF, flags the program did not define are left in ``argv`` for ``main`` instead of
failing (absl's own ``app.run`` rejects them), and ``main``'s return value becomes the exit
status (``sys.exit(main(argv))``).

Differences from TensorFlow:
    TF gives the ``"tensorflow"`` logger its own stderr handler when ``tensorflow`` is imported
    (unless the root logger has handlers by then); scopeflow does so on the first ``tf.logging``
    call or when ``run`` starts, so under ``tf.app.run`` the output is TF's.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, NoReturn

from absl import app as _absl_app

from scopeflow.app import flags
from scopeflow.app import logging as tf_logging


def _parse_flags_tolerate_undef(argv: list[str]) -> list[str]:
    """Parses the known flags out of ``argv``; unknown ones stay for ``main``."""
    return flags.FLAGS(sys.argv if argv is None else argv, known_only=True)


def run(main: Callable[[list[str]], Any] | None = None, argv: list[str] | None = None) -> NoReturn:
    """Runs ``main(argv)`` after parsing flags, then exits with its result.

    Args:
        main: the program's entry point; defaults to ``__main__.main``.
        argv: the command line; defaults to ``sys.argv``.

    >>> def main(argv):
    ...     print(argv)
    >>> try:
    ...     run(main, ["prog", "extra"])
    ... except SystemExit as e:
    ...     print("exit", e.code)
    ['prog', 'extra']
    exit None
    """
    main = main or sys.modules["__main__"].main
    # TF creates its logger (and its stderr handler) when tensorflow is imported, before absl
    # configures the root logger; doing it here gives tf.logging the same output under app.run.
    tf_logging.get_logger()
    _absl_app.run(main=main, argv=argv, flags_parser=_parse_flags_tolerate_undef)


__all__ = ["run"]
