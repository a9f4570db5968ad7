"""``scopeflow._native.PARALLEL_SOURCE``: every chunk runs exactly once, whoever takes it."""

from __future__ import annotations

import ctypes
import shutil
import threading

import numpy as np
import pytest

from scopeflow._native import PARALLEL_FLAGS, PARALLEL_SOURCE, _compile, compiled_library

# Each chunk adds 1 to its own counter and writes a value computed from its number only.
_SOURCE = (
    PARALLEL_SOURCE
    + """
struct job { int *runs; double *out; long work; };

static void chunk(void *ctx, long c) {
  struct job *j = ctx;
  double v = (double)c;
  for (long i = 0; i < j->work; i++) v = v * 0.5 + (double)(c % 7);
  j->out[c] = v;
  __atomic_add_fetch(&j->runs[c], 1, __ATOMIC_RELAXED);
}

void sf_test_run(int *runs, double *out, long chunks, long work, int threads) {
  struct job j = {runs, out, work};
  sf_parallel(chunks, chunk, &j, threads);
}
"""
)
_P, _L = ctypes.c_void_p, ctypes.c_long
_SIG = {"sf_test_run": (None, [_P, _P, _L, _L, ctypes.c_int])}


@pytest.fixture
def lib(monkeypatch):
    if shutil.which("cc") is None and shutil.which("gcc") is None:
        pytest.skip("no C compiler on this machine")
    monkeypatch.setattr(_compile, "_libraries", {})
    built = compiled_library("test-parallel", _SOURCE, _SIG, PARALLEL_FLAGS)
    assert built is not None
    return built


def _run(lib, chunks, work, threads):
    runs = np.zeros(max(chunks, 1), dtype=np.int32)
    out = np.full(max(chunks, 1), np.nan)
    lib.sf_test_run(runs.ctypes.data, out.ctypes.data, chunks, work, threads)
    return runs[:chunks], out[:chunks]


def _want(chunks, work):
    out = np.arange(chunks, dtype=np.float64)
    for _ in range(work):
        out = out * 0.5 + np.arange(chunks) % 7
    return out


@pytest.mark.parametrize("threads", [0, 1, 2, 3, 8, 50])
@pytest.mark.parametrize("chunks", [0, 1, 2, 7, 1000])
def test_every_chunk_runs_once(lib, chunks, threads):
    for _ in range(20):  # helpers join some calls late or not at all
        runs, out = _run(lib, chunks, 50, threads)
        assert (runs == 1).all()
        assert np.array_equal(out, _want(chunks, 50))


def test_callers_on_several_threads_each_get_all_their_chunks(lib):
    errors = []

    def caller(k):
        for i in range(30):
            chunks = 50 + 17 * k + i
            runs, out = _run(lib, chunks, 200, 2)
            if not (runs == 1).all() or not np.array_equal(out, _want(chunks, 200)):
                errors.append((k, i))

    threads = [threading.Thread(target=caller, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
