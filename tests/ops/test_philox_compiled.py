"""The compiled Philox loops of ``ops._philox`` against its NumPy rounds, bit for bit.

The NumPy rounds are checked against Random123's known answers and TF's recorded draws in
``test_tf_random.py``; here the C loop must give their words (and TF's uniform floats) for
many keys, counters (carries out of the low 64 bits, the wrap at 2**128) and sizes, and the
NumPy path must still be what runs where the C loop is not available.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from scopeflow.ops import _philox
from scopeflow.ops._tf_random import TFRandomState, _words_to_float

M64 = (1 << 64) - 1
M128 = (1 << 128) - 1


def _cases() -> list[tuple[int, int, int]]:
    rng = np.random.default_rng(8)
    out = []
    for t in range(120):
        key = int(rng.integers(0, 2**62)) * int(rng.integers(1, 5)) & M64
        hi = int(rng.integers(0, 2**63)) << int(rng.integers(0, 2))
        if t % 4 == 0:  # the low word carries into the high one inside the range
            lo = M64 - int(rng.integers(0, 300))
        elif t % 9 == 0:  # the whole counter wraps at 2**128
            lo, hi = M64 - int(rng.integers(0, 300)), M64
        else:
            lo = int(rng.integers(0, 2**63))
        n = int(rng.integers(0, 2000)) if t % 3 else int(rng.integers(0, 40_000))
        out.append((key & M64, (hi << 64 | lo) & M128, n))
    out += [(0, 0, 0), (0, 0, 1), (M64, M128, 5), (1, 0, 63), (1, 0, 64), (1, 0, 65), (2, 7, 257)]
    return out


@pytest.fixture
def compiled():
    if _philox._c_lib() is None:
        pytest.skip("no C compiler on this machine: the NumPy rounds run")


def _numpy(monkeypatch, fn, *args):
    monkeypatch.setattr(_philox, "use_compiled", False)
    try:
        return fn(*args)
    finally:
        monkeypatch.setattr(_philox, "use_compiled", True)


@pytest.mark.usefixtures("compiled")
def test_compiled_range_and_floats_equal_the_numpy_rounds(monkeypatch):
    for key, counter, n in _cases():
        blocks = (n + 3) // 4
        got = _philox.philox_range(key, counter, blocks)
        want = _numpy(monkeypatch, _philox.philox_range, key, counter, blocks)
        assert got.dtype == np.uint32
        assert np.array_equal(got, want), (key, counter, n)
        floats = np.full(n, np.nan, dtype=np.float32)
        assert _philox.uniform_float32_into(key, counter, floats)
        ref = _words_to_float(want.reshape(-1)[:n].copy())
        assert np.array_equal(floats.view(np.uint32), ref.view(np.uint32)), (key, counter, n)


@pytest.mark.usefixtures("compiled")
def test_compiled_scattered_blocks_equal_the_numpy_rounds(monkeypatch):
    rng = np.random.default_rng(3)
    for key, counter, n in _cases()[:60]:
        offsets = rng.integers(0, 2**63, size=n % 700, dtype=np.uint64)
        offsets[: min(5, offsets.size)] = np.arange(min(5, offsets.size), dtype=np.uint64)
        got = _philox.philox_at(key, counter, offsets)
        want = _numpy(monkeypatch, _philox.philox_at, key, counter, offsets)
        assert np.array_equal(got, want), (key, counter, n)


@pytest.mark.usefixtures("compiled")
@pytest.mark.parametrize("dims", [[64, 1024], [3], [], [0, 4], [5, 7, 3], [1000, 1001]])
def test_uniform_float32_draws_are_the_same_with_and_without_the_c_loop(monkeypatch, dims):
    a, b = TFRandomState(3, 11), TFRandomState(3, 11)
    for _ in range(3):  # successive runs continue the same stream
        got = a.uniform(dims, torch.float32)
        want = _numpy(monkeypatch, b.uniform, dims, torch.float32)
        assert got.shape == want.shape == torch.Size(dims)
        assert got.dtype == want.dtype == torch.float32
        assert torch.equal(got.view(torch.int32), want.view(torch.int32))
    assert a.counter == b.counter


def test_without_the_c_loop_the_numpy_path_runs(monkeypatch):
    monkeypatch.setattr(_philox, "use_compiled", False)
    assert _philox._c_lib() is None
    out = np.zeros(8, dtype=np.float32)
    assert not _philox.uniform_float32_into(1, 0, out)
    assert not out.any()  # nothing written
    # TF 2.21's RandomUniform with seed=1, seed2=0 (recorded, as in test_tf_random)
    got = TFRandomState(1, 0).uniform([6], torch.float32)
    assert got.numpy().view(np.uint32).tolist() == [
        1062210784,
        1033956288,
        1063536000,
        1043157304,
        1031881136,
        1057724796,
    ]


@pytest.mark.usefixtures("compiled")
def test_uniform_float32_into_refuses_other_arrays():
    with pytest.raises(ValueError, match="C-contiguous float32"):
        _philox.uniform_float32_into(1, 0, np.zeros(4, dtype=np.float64))
    with pytest.raises(ValueError, match="C-contiguous float32"):
        _philox.uniform_float32_into(1, 0, np.zeros(8, dtype=np.float32)[::2])
