"""``scopeflow run script.py [args]``: run an unmodified TF1 script on scopeflow.

The script runs as ``python script.py args`` would run it (``__name__ == "__main__"``,
``sys.argv == [script, *args]``, the script's directory first on ``sys.path``) with the
``tensorflow`` import hook installed; the exit status is Python's (``sys.exit`` code, 1 after an
uncaught exception, whose traceback is printed to stderr).
"""

from __future__ import annotations

import os
import runpy
import sys
import traceback

from scopeflow.run._hook import tensorflow_import_hook


def exit_code(e: SystemExit) -> int:
    """The process exit status Python derives from a ``SystemExit``."""
    code = e.code
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)  # noqa: T201  (Python prints a non-integer exit value)
    return 1


def run_script(path: str, args: list[str]) -> int:
    """Runs ``path`` with ``args`` against scopeflow; returns the exit status.

    Args:
        path: the script file.
        args: its command-line arguments (``sys.argv[1:]``).

    Returns:
        0 on success, the ``sys.exit`` code, 1 after an uncaught exception (traceback printed),
        2 if the file cannot be opened (Python's status, with Python's message).
    """
    if not os.path.isfile(path):  # noqa: PTH113
        print(  # noqa: T201
            f"scopeflow run: can't open file {os.path.abspath(path)!r}: "  # noqa: PTH100
            "[Errno 2] No such file or directory",
            file=sys.stderr,
        )
        return 2
    saved_argv, saved_path = sys.argv[:], sys.path[:]
    sys.argv = [path, *args]
    script_dir = os.path.dirname(os.path.abspath(path))  # noqa: PTH100, PTH120
    sys.path[0:1] = [script_dir]
    try:
        with tensorflow_import_hook():
            try:
                runpy.run_path(path, run_name="__main__")
            except SystemExit as e:
                return exit_code(e)
            except KeyboardInterrupt:
                traceback.print_exc()
                return 130
            except BaseException as exc:
                tb = exc.__traceback__
                # drop the runner's and runpy's frames: the traceback starts in the script
                script = {path, os.path.abspath(path)}  # noqa: PTH100
                while tb is not None and tb.tb_frame.f_code.co_filename not in script:
                    tb = tb.tb_next
                traceback.print_exception(type(exc), exc, tb)
                return 1
            return 0
    finally:
        sys.argv, sys.path[:] = saved_argv, saved_path
