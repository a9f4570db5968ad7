"""glibc malloc defaults for large tensors, set when scopeflow is imported.

torch's CPU allocator takes every tensor from ``malloc``. glibc serves a request above its mmap
threshold (dynamic, at most 32 MiB on 64-bit) with a fresh ``mmap`` and gives it back with
``munmap`` on free, so each large temporary of every step is page-faulted again from zero pages:
a 23M-element ``mul`` (BERT's 30,522 x 768 word-embedding table) took ~130 ms into such a fresh
buffer against ~55 ms into a reused one on the 2-core development machine, and the
AdamWeightDecay update of that table makes ~15 of them per step. glibc's threshold cannot be
raised past 32 MiB (``mallopt`` refuses it), so scopeflow turns mmap-served blocks off for the main
arena (``M_MMAP_MAX = 0``; other arenas still fall back to mmap when their heaps are full) and
raises the trim threshold so the freed top of the heap is kept for the next step instead of being
returned to the kernel and faulted in again. Freed blocks are then reused, as TensorFlow's own
BFC allocator reuses its pool: the process keeps its high-water mark of heap memory.

``scopeflow/__init__.py`` calls ``apply_malloc_defaults`` on import; ``mallopt`` affects later
allocations, so unlike ``_openmp_env`` it works after ``import torch`` as well.

The user's own settings always win: nothing is changed if any ``MALLOC_*`` environment variable
(glibc's ``MALLOC_MMAP_MAX_``, ``MALLOC_TRIM_THRESHOLD_``, ``MALLOC_ARENA_MAX`` ...) or a
``glibc.malloc`` tunable in ``GLIBC_TUNABLES`` is set, and on a C library other than glibc. To keep
glibc's own behaviour, export its default, e.g. ``MALLOC_MMAP_MAX_=65536``.

Must not import torch or any other scopeflow module.
"""

from __future__ import annotations

import ctypes
import os
import sys

#: glibc's ``mallopt`` parameter numbers (``malloc.h``).
M_TRIM_THRESHOLD = -1
M_MMAP_MAX = -4

#: What scopeflow sets: no mmap-served blocks in the main arena, and the freed top of the heap
#: is returned to the kernel only above 1 GiB (glibc's dynamic default is at most 64 MiB).
DEFAULT_MMAP_MAX = 0
DEFAULT_TRIM_THRESHOLD = 1 << 30

#: Whether ``apply_malloc_defaults`` changed the settings in this process.
applied = False


def _user_chose() -> bool:
    if any(k.startswith("MALLOC_") and v for k, v in os.environ.items()):
        return True
    return "glibc.malloc." in os.environ.get("GLIBC_TUNABLES", "")


def _glibc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None)
        libc.gnu_get_libc_version  # noqa: B018  (raises AttributeError on musl and others)
        libc.mallopt  # noqa: B018
    except (OSError, AttributeError):
        return None
    return libc


def apply_malloc_defaults() -> bool:
    """Sets ``M_MMAP_MAX=0`` and a 1 GiB ``M_TRIM_THRESHOLD`` unless the user chose settings.

    Returns whether the settings were changed. Only this process is affected (child processes
    start with glibc's defaults).
    """
    global applied
    if applied or _user_chose():
        return False
    libc = _glibc()
    if libc is None:
        return False
    libc.mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    libc.mallopt.restype = ctypes.c_int
    ok = libc.mallopt(M_MMAP_MAX, DEFAULT_MMAP_MAX) == 1
    ok = libc.mallopt(M_TRIM_THRESHOLD, DEFAULT_TRIM_THRESHOLD) == 1 and ok
    applied = ok
    return ok
