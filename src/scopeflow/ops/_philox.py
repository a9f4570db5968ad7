"""Philox4x32-10, the counter-based generator behind TF's random ops, vectorized in NumPy.

TF's ``PhiloxRandom`` (``tsl/lib/random/philox_random.h``) maps a 128-bit counter and a 64-bit
key to four ``uint32`` words with ten rounds of
``(c0, c1, c2, c3) -> (hi(B*c2) ^ c1 ^ k0, lo(B*c2), hi(A*c0) ^ c3 ^ k1, lo(A*c0))``, raising
the key by the Weyl constants between rounds. Because each block depends only on its counter,
any set of blocks can be computed at once: this module evaluates the rounds on whole arrays of
counters (32x32->64-bit products in ``uint64``, split through a ``uint32`` view), in chunks
that stay in cache, on up to two threads (NumPy releases the GIL).

Counters are Python ints in ``[0, 2**128)``: word ``i`` of TF's ``counter_`` is bits
``32*i .. 32*i+31``; keys are ints in ``[0, 2**64)`` (``key_[0]`` = low word).

Must not import anything from scopeflow (pure NumPy).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numpy as np

_MUL_A = np.uint64(0xD2511F53)
_MUL_B = np.uint64(0xCD9E8D57)
_WEYL_A = 0x9E3779B9
_WEYL_B = 0xBB67AE85
_M32 = 0xFFFFFFFF
_M64 = (1 << 64) - 1
_M128 = (1 << 128) - 1
_CHUNK = 65536  # blocks per task: 4 x 256 KiB of state, L2-sized
_WORKERS = max(1, min(2, os.cpu_count() or 1))
_pool: ThreadPoolExecutor | None = None


def _rounds(key: int, c0: np.ndarray, c1: np.ndarray, c2: np.ndarray, c3: np.ndarray
            ) -> np.ndarray:  # fmt: skip
    """The ten Philox rounds on ``uint32`` counter word arrays; returns ``(n, 4)`` ``uint32``."""
    k0, k1 = key & _M32, (key >> 32) & _M32
    for _ in range(10):
        p0 = np.multiply(c0, _MUL_A, dtype=np.uint64).view(np.uint32)
        p1 = np.multiply(c2, _MUL_B, dtype=np.uint64).view(np.uint32)
        c0 = np.bitwise_xor(p1[1::2], c1)  # odd uint32 = high word (little-endian)
        c0 ^= np.uint32(k0)
        c2 = np.bitwise_xor(p0[1::2], c3)
        c2 ^= np.uint32(k1)
        c1, c3 = p1[0::2], p0[0::2]
        k0, k1 = (k0 + _WEYL_A) & _M32, (k1 + _WEYL_B) & _M32
    out = np.empty((c0.shape[0], 4), dtype=np.uint32)
    out[:, 0], out[:, 1], out[:, 2], out[:, 3] = c0, c1, c2, c3
    return out


def _split(lo64: np.ndarray, hi64: np.ndarray | int) -> tuple[np.ndarray, ...]:
    n = lo64.shape[0]
    c0 = lo64.astype(np.uint32)
    c1 = (lo64 >> np.uint64(32)).astype(np.uint32)
    if isinstance(hi64, int):
        c2 = np.full(n, hi64 & _M32, dtype=np.uint32)
        c3 = np.full(n, hi64 >> 32, dtype=np.uint32)
    else:
        c2 = hi64.astype(np.uint32)
        c3 = (hi64 >> np.uint64(32)).astype(np.uint32)
    return c0, c1, c2, c3


def _block_range(key: int, counter: int, count: int) -> np.ndarray:
    lo, hi = counter & _M64, counter >> 64
    lo64 = np.arange(count, dtype=np.uint64)
    lo64 += np.uint64(lo)  # wraps modulo 2**64
    if lo + count - 1 <= _M64:
        return _rounds(key, *_split(lo64, hi))
    carry = (lo64 < np.uint64(lo)).astype(np.uint64)
    return _rounds(key, *_split(lo64, carry + np.uint64(hi)))  # hi + 1 < 2**64 for real seeds


def philox_range(key: int, counter: int, count: int) -> np.ndarray:
    """The outputs of ``count`` successive ``PhiloxRandom`` calls from ``counter``.

    Args:
        key: the 64-bit key (TF's ``seed``).
        counter: the 128-bit counter of the first call.
        count: how many calls (blocks).

    Returns:
        A ``(count, 4)`` ``uint32`` array; row ``i`` is the result for counter ``counter + i``.
    """
    counter &= _M128
    if count <= _CHUNK:
        return _block_range(key, counter, count)
    out = np.empty((count, 4), dtype=np.uint32)

    def task(start: int, stop: int) -> None:
        out[start:stop] = _block_range(key, (counter + start) & _M128, stop - start)

    parallel_chunks(count, _CHUNK, task)
    return out


def parallel_chunks(count: int, chunk: int, task: Callable[[int, int], None]) -> None:
    """Runs ``task(start, stop)`` over ``[0, count)`` in pieces of ``chunk``.

    Pieces run on up to two threads (NumPy releases the GIL); tasks must write disjoint outputs.
    """
    spans = [(s, min(count, s + chunk)) for s in range(0, count, chunk)]
    if _WORKERS == 1 or len(spans) == 1:
        for a, b in spans:
            task(a, b)
        return
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(_WORKERS, thread_name_prefix="scopeflow-philox")
    for f in [_pool.submit(task, a, b) for a, b in spans]:
        f.result()


def philox_at(key: int, counter: int, offsets: np.ndarray) -> np.ndarray:
    """The ``PhiloxRandom`` outputs at counters ``counter + offsets[i]`` (any order).

    Args:
        key: the 64-bit key.
        counter: the 128-bit base counter.
        offsets: ``uint64`` offsets from ``counter`` (each ``< 2**64``).

    Returns:
        A ``(len(offsets), 4)`` ``uint32`` array.
    """
    counter &= _M128
    lo, hi = counter & _M64, counter >> 64
    lo64 = offsets.astype(np.uint64) + np.uint64(lo)
    carry = lo64 < np.uint64(lo)
    if not carry.any():
        return _rounds(key, *_split(lo64, hi))
    return _rounds(key, *_split(lo64, carry.astype(np.uint64) + np.uint64(hi)))


class SingleSample:
    """TF's ``SingleSampleAdapter<PhiloxRandom>``: Philox's ``uint32`` outputs one at a time.

    Seeded as ``PhiloxRandom(seed, seed2)`` (key ``seed``, counter ``seed2 << 64``); both 0
    draws random seeds, as TF's kernels do. Blocks are computed 256 at a time, which does not
    change the sequence.
    """

    def __init__(self, seed: int, seed2: int) -> None:
        if seed == 0 and seed2 == 0:
            seed, seed2 = secrets.randbits(64), secrets.randbits(64)
        self._key = seed & _M64
        self._counter = (seed2 & _M64) << 64
        self._words: list[int] = []
        self._pos = 0

    @classmethod
    def at(cls, key: int, counter: int) -> SingleSample:
        """The stream of ``PhiloxRandom`` at a raw ``key`` and 128-bit ``counter``."""
        rng = cls.__new__(cls)
        rng._key, rng._counter = key & _M64, counter & _M128
        rng._words, rng._pos = [], 0
        return rng

    def __call__(self) -> int:
        if self._pos == len(self._words):
            self._words = philox_range(self._key, self._counter, 256).reshape(-1).tolist()
            self._counter = (self._counter + 256) & _M128
            self._pos = 0
        w = self._words[self._pos]
        self._pos += 1
        return int(w)

    def take(self, n: int) -> list[int]:
        """The next ``n`` words of the stream (the same words ``n`` calls would return)."""
        out: list[int] = []
        while len(out) < n:
            if self._pos == len(self._words):
                self._words = philox_range(self._key, self._counter, 256).reshape(-1).tolist()
                self._counter = (self._counter + 256) & _M128
                self._pos = 0
            k = min(n - len(out), len(self._words) - self._pos)
            out.extend(self._words[self._pos : self._pos + k])
            self._pos += k
        return out


def philox_scalar(key: int, counter: int) -> tuple[int, int, int, int]:
    """One ``PhiloxRandom`` call in plain Python (the reference the vector code is tested on)."""
    c = [(counter >> (32 * i)) & _M32 for i in range(4)]
    k0, k1 = key & _M32, (key >> 32) & _M32
    for _ in range(10):
        p0 = 0xD2511F53 * c[0]
        p1 = 0xCD9E8D57 * c[2]
        c = [(p1 >> 32) ^ c[1] ^ k0, p1 & _M32, (p0 >> 32) ^ c[3] ^ k1, p0 & _M32]
        k0, k1 = (k0 + _WEYL_A) & _M32, (k1 + _WEYL_B) & _M32
    return c[0], c[1], c[2], c[3]


__all__ = ["SingleSample", "parallel_chunks", "philox_at", "philox_range", "philox_scalar"]
