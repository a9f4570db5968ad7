"""Shared runner for conformance cases: used by the TF recorder and by the scopeflow test.

A case is a function ``case_<name>`` in ``tests/conformance/cases/<topic>.py``. Its parameters are
filled by name: ``tf`` (the ``compat.v1`` module under test), ``expect_error`` (run a callable that
must raise and print the normalised error) and ``show`` (print values canonically). The case prints
what must match TensorFlow; this module captures that text.

This module must not import tensorflow or scopeflow: the caller passes the ``tf`` module in.
"""

from __future__ import annotations

import builtins
import contextlib
import importlib.util
import inspect
import io
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

CASES_DIR = Path(__file__).parent / "cases"
GOLDEN_DIR = Path(__file__).parent / "golden"
# TF's traceback suffixes, and scopeflow's explanations after TF's message (never compared)
_CUT_MARKERS = (" Originally defined at:", "\n\noriginally defined at:", "\n\nscopeflow explains:")


def load_case_modules() -> dict[str, ModuleType]:
    """Import every ``cases/<topic>.py`` by path; returns ``{topic: module}`` sorted by topic."""
    modules = {}
    for path in sorted(CASES_DIR.glob("*.py")):
        if path.name.startswith("_"):
            continue
        name = f"_conformance_cases_{path.stem}"
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        modules[path.stem] = module
    return modules


def iter_cases(module: ModuleType) -> Iterator[tuple[str, Callable[..., Any]]]:
    """Yield ``(case_name, function)`` for each ``case_*`` function, in source order."""
    functions = [
        obj
        for name, obj in vars(module).items()
        if name.startswith("case_") and inspect.isfunction(obj)
    ]
    functions.sort(key=lambda f: f.__code__.co_firstlineno)
    for fn in functions:
        yield fn.__name__[len("case_") :], fn


def error_kind(tf: ModuleType, exc: BaseException) -> str:
    """The TF error class name for an ``OpError``, else the first builtin class in the MRO."""
    op_error = getattr(getattr(tf, "errors", None), "OpError", None)
    if op_error is not None and isinstance(exc, op_error):
        return type(exc).__name__
    for cls in type(exc).__mro__:
        if cls.__module__ == "builtins":
            return cls.__name__
    return type(exc).__name__  # pragma: no cover - every exception derives from a builtin


def error_message(tf: ModuleType, exc: BaseException) -> str:
    """The message with TF's traceback suffixes cut; one informative line for an ``OpError``."""
    op_error = getattr(getattr(tf, "errors", None), "OpError", None)
    if op_error is not None and isinstance(exc, op_error):
        return _op_error_line(getattr(exc, "message", None) or str(exc))
    text = str(exc)
    for marker in _CUT_MARKERS:
        text = text.split(marker, 1)[0]
    return text


def _op_error_line(text: str) -> str:
    """The first informative line of a runtime error message.

    TF 2 wraps TF 1's message (``Attempting to use uninitialized value v``) in a preamble
    (``Graph execution error:``, ``Detected at node ...`` and indented traceback frames) and
    follows it with indented node lines; all of those are skipped.
    """
    for line in text.splitlines():
        stripped = line.strip()
        if (
            not stripped
            or line[0].isspace()
            or stripped == "Graph execution error:"
            or stripped.startswith(("Detected at node", "Node: "))
        ):
            continue
        return stripped
    return ""


def format_error(tf: ModuleType, exc: BaseException) -> str:
    return f"{error_kind(tf, exc)}: {error_message(tf, exc)}"


def _rounded(value: Any, decimals: int) -> Any:
    """Floats rounded in float64 (so float32 noise never shows); ``+ 0`` turns -0.0 into 0.0."""
    if value.dtype.kind == "f":
        return np.round(value.astype(np.float64), decimals) + 0
    if value.dtype.kind == "c":
        return np.round(value.astype(np.complex128), decimals) + 0
    return value


def canon(value: Any, decimals: int = 4) -> str:
    """A canonical text for a fetched value: rounded floats, dtype-tagged NumPy values."""
    if isinstance(value, np.ndarray):
        return f"ndarray[{value.dtype.name}]{_rounded(value, decimals).tolist()!r}"
    if isinstance(value, np.generic):
        return f"{value.dtype.name}({_rounded(value, decimals).item()!r})"
    if isinstance(value, bool | int | str | bytes) or value is None:
        return repr(value)
    if isinstance(value, float):
        return repr(round(value, decimals) + 0.0)
    if isinstance(value, dict):
        items = sorted(value.items(), key=lambda kv: repr(kv[0]))
        return "{" + ", ".join(f"{k!r}: {canon(v, decimals)}" for k, v in items) + "}"
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        pairs = zip(value._fields, value, strict=True)
        inner = ", ".join(f"{f}={canon(v, decimals)}" for f, v in pairs)
        return f"{type(value).__name__}({inner})"
    if isinstance(value, list | tuple):
        inner = ", ".join(canon(v, decimals) for v in value)
        return (
            f"[{inner}]"
            if isinstance(value, list)
            else f"({inner}{',' if len(value) == 1 else ''})"
        )
    return f"<{type(value).__name__}>"


def _show(*values: Any, decimals: int = 4) -> None:
    builtins.print(*(canon(v, decimals) for v in values))


def make_expect_error(tf: ModuleType) -> Callable[..., None]:
    def expect_error(fn: Callable[[], Any], message: bool = True) -> None:
        """Run ``fn``; print ``ERROR <Kind>: <message>`` (or ``NO ERROR`` if nothing raised)."""
        try:
            fn()
        except Exception as exc:  # recording any error is the point
            text = format_error(tf, exc) if message else error_kind(tf, exc)
            builtins.print(f"ERROR {text}")
        else:
            builtins.print("NO ERROR")

    return expect_error


def run_case(tf: ModuleType, fn: Callable[..., Any]) -> str:
    """Run one case in a fresh default graph and return everything it printed."""
    tf.reset_default_graph()
    available = {"tf": tf, "expect_error": make_expect_error(tf), "show": _show}
    kwargs = {name: available[name] for name in inspect.signature(fn).parameters}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            fn(**kwargs)
        except Exception as exc:  # an unexpected error is recorded, not raised
            builtins.print(f"UNCAUGHT {format_error(tf, exc)}")
    return out.getvalue()
