"""Where user code did something: the innermost calling frame outside scopeflow, cheaply.

Used to remember where each variable scope was entered (for error explanations). A code
object's "is it scopeflow's?" answer is cached, so a lookup walks a few frames and reads two
attributes of each; no source line is read until the site is printed.

Must not import torch or any scopeflow layer above ``_core``.
"""

from __future__ import annotations

import sys
from typing import Any

_INTERNAL_PATH_MARKERS = ("/scopeflow/", "\\scopeflow\\")
_INTERNAL_CODE: dict[Any, bool] = {}


def user_site(depth: int = 1) -> tuple[str, int] | None:
    """``(filename, line)`` of the innermost caller outside scopeflow (skipping ``depth``)."""
    internal = _INTERNAL_CODE
    f: Any = sys._getframe(depth)
    while f is not None:
        code = f.f_code
        skip = internal.get(code)
        if skip is None:
            fn = code.co_filename
            skip = internal[code] = fn.startswith("<frozen") or any(
                m in fn for m in _INTERNAL_PATH_MARKERS
            )
        if not skip:
            return code.co_filename, f.f_lineno
        f = f.f_back
    return None


def format_site(site: tuple[str, int] | None) -> str:
    """``file:line`` (or ``unknown``)."""
    return "unknown" if site is None else f"{site[0]}:{site[1]}"


__all__ = ["format_site", "user_site"]
