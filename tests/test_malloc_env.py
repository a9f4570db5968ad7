"""glibc malloc settings applied when scopeflow is imported (``scopeflow._malloc_env``).

Each case runs in a fresh interpreter and asks glibc itself (``mallinfo2``: ``hblks`` is the
number of live mmap-served blocks) whether a 64 MiB tensor, above glibc's largest mmap threshold,
was served by ``mmap`` or from the heap, and whether its heap memory is kept after ``free``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

_SRC = Path(__file__).resolve().parents[1] / "src"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc settings"),
]

_PROBE = """
import ctypes, torch
import scopeflow.compat.v1 as tf
from scopeflow import _malloc_env

class MallInfo2(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in (
        "arena ordblks smblks hblks hblkhd usmblks fsmblks uordblks fordblks keepcost".split())]

libc = ctypes.CDLL(None)
libc.mallinfo2.restype = MallInfo2
before = libc.mallinfo2().hblks
with tf.Session() as s:
    t = torch.empty(16 * 1024 * 1024)  # 64 MiB of float32
    during = libc.mallinfo2().hblks
    arena = libc.mallinfo2().arena
    del t
    kept = libc.mallinfo2().arena >= arena
print(_malloc_env.applied, during - before, kept)
"""


def _run(**env: str) -> list[str]:
    full = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("MALLOC_", "GLIBC_TUNABLES", "SCOPEFLOW_"))
    }
    full["PYTHONPATH"] = str(_SRC)
    full.update(env)
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE], capture_output=True, text=True, check=True, env=full
    )
    return proc.stdout.split()


def _glibc_has_mallinfo2() -> bool:
    import ctypes

    return hasattr(ctypes.CDLL(None), "mallinfo2")


needs_glibc = pytest.mark.skipif(
    not sys.platform.startswith("linux") or not _glibc_has_mallinfo2(),
    reason="needs glibc >= 2.33 (mallinfo2)",
)


@needs_glibc
def test_large_tensors_come_from_the_heap_and_stay_there() -> None:
    assert _run() == ["True", "0", "True"]


@needs_glibc
@pytest.mark.parametrize(
    "env",
    [
        {"MALLOC_MMAP_MAX_": "65536"},
        {"MALLOC_ARENA_MAX": "2"},
        {"GLIBC_TUNABLES": "glibc.malloc.tcache_count=7"},
    ],
)
def test_the_users_malloc_settings_are_left_alone(env: dict[str, str]) -> None:
    applied, mmapped, _ = _run(**env)
    assert applied == "False"
    assert mmapped == "1"  # glibc's own default: above 32 MiB is always mmap-served


def test_nothing_is_done_twice() -> None:
    from scopeflow import _malloc_env

    if not _malloc_env.applied:
        pytest.skip("settings not applied in this process (user settings or not glibc)")
    assert _malloc_env.apply_malloc_defaults() is False
