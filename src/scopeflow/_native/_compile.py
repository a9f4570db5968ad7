"""Compiling a small C source once per process and loading it through ``ctypes``.

A few inner loops are cheaper in C than as a chain of torch or NumPy passes (the two-process
average of the shared-memory all-reduce, the Philox draws of TF's random ops). Their callers
keep a torch or NumPy path of the same bits; this module only tries to build the C one:
``compiled_library(name, source, functions)`` compiles ``source`` with ``$CC`` (else ``cc``,
else ``gcc``) the first time it is asked for ``name``, with IEEE semantics (``-O3
-fno-fast-math -ffp-contract=off``: no reassociation, no fused multiply-add), into a temporary
directory removed once the library is loaded (the mapping stays valid), sets each function's
``ctypes`` signature, and caches the result for the process. It returns None, and keeps
returning None, where no compiler is found or anything fails: callers then use their fallback.
ctypes releases the GIL during a call.

Must not import torch, NumPy or any other scopeflow package.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

_FLAGS = ("-O3", "-fPIC", "-shared", "-std=c99", "-fno-fast-math", "-ffp-contract=off")

_lock = threading.Lock()
_libraries: dict[str, Any] = {}  # name -> CDLL, or None when it could not be built


def compiled_library(name: str, source: str,
                     functions: Mapping[str, tuple[Any, Sequence[Any]]],
                     flags: Sequence[str] = ()) -> Any:  # fmt: skip
    """The loaded library compiled from ``source``, or None where it cannot be built.

    Args:
        name: the cache key (one library per name and process; the first source given wins).
        source: C99 source.
        functions: ``{symbol: (restype, argtypes)}`` with ``ctypes`` types, set on the loaded
            functions (a missing symbol makes the library unavailable).
        flags: more compiler flags (e.g. ``-march=native`` for integer-only code: the library
            is built on the machine that runs it). A compiler refusing them makes the library
            unavailable.

    Returns:
        A ``ctypes.CDLL`` or None.
    """
    with _lock:
        if name not in _libraries:
            _libraries[name] = _compile(name, source, functions, flags)
        return _libraries[name]


def _compile(name: str, source: str, functions: Mapping[str, tuple[Any, Sequence[Any]]],
             flags: Sequence[str]) -> Any:  # fmt: skip
    cc = shutil.which(os.environ.get("CC", "cc")) or shutil.which("gcc")
    if cc is None:
        return None
    directory = tempfile.mkdtemp(prefix=f"scopeflow-{name}-")
    try:
        src, lib = Path(directory) / f"{name}.c", Path(directory) / f"{name}.so"
        src.write_text(source, encoding="utf-8")
        done = subprocess.run([cc, *_FLAGS, *flags, "-o", str(lib), str(src)], capture_output=True,
                              timeout=120, check=False)  # fmt: skip
        if done.returncode != 0:
            return None
        loaded = ctypes.CDLL(str(lib))  # stays mapped after the file is removed
        for symbol, (restype, argtypes) in functions.items():
            fn = getattr(loaded, symbol)
            fn.argtypes = list(argtypes)
            fn.restype = restype
        return loaded
    except (OSError, subprocess.SubprocessError, AttributeError):
        return None
    finally:
        shutil.rmtree(directory, ignore_errors=True)


__all__ = ["compiled_library"]
