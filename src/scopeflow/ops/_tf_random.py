"""TF's stateful random number generation, reproduced exactly: ``TFRandomState``.

A TF random kernel owns a ``GuardedPhiloxRandom`` built from its ``seed``/``seed2`` attrs (both
0: two random 64-bit seeds) as Philox4x32-10 with key ``seed`` and counter
``seed2 << 64``. Each execution reserves ``256 * num_elements`` 128-bit blocks
(``ReserveRandomOutputs``) and fills its output from the start of that reservation, so the
second ``Session.run`` of an op gives new numbers, and a new session (new kernel) restarts.
``TFRandomState`` is that object; its methods are the CPU kernels' sampling
(``random_op_cpu.h`` with ``random_distributions.h``):

- uniform: float ``(bits & 0x7fffff | 0x3f800000) - 1``, 4 per block; double from 52 bits of
  two words, 2 per block; half/bfloat16 from 10/7 low bits of each word.
- normal: Box-Muller on word pairs with glibc's ``logf``/``sincosf`` (``_tf_libm``) for
  float, half and bfloat16 (rounded from float); double from four words per pair with the C
  library's ``log``/``sin``/``cos`` (called through ``math``).
- truncated normal: groups of 4 (double: 2) outputs, group ``g`` drawing from block
  ``256 * g`` (double: ``128 * g``) and keeping Box-Muller values with ``|x| < 2`` in order.
- uniform int: ``lo + bits % (hi - lo)`` with 32-bit words (int64: 64 bits from two words).
- shuffle: TF's Fisher-Yates (``swap(i, i + word % (n - i))``) over ``n - 1`` words.
- multinomial: inverse CDF over ``exp(logit - max)`` with one double per sample.

The float math matches TF bit for bit on Linux/x86-64 (glibc >= 2.28). Speed (2 cores, one
1024x1024 float32 draw): uniform ~3-5 ms (torch.rand ~2.3 ms), normal ~16 ms, truncated normal
~33 ms; float64 normals call the C library per element (~100 ms per million). Differences from
TensorFlow: ``Multinomial`` draws rows in sequence, which is what TF does when its cost model
runs the op on one thread (small ``batch * num_samples``); for large batches TF's per-thread
row blocks skip ahead in the stream depending on the machine's thread count. The CDF uses
NumPy's ``exp`` (Eigen's differs in the last bit, which can change a sample only when it falls
exactly on a class boundary).

Must not import anything from scopeflow outside ``ops._philox``/``ops._tf_libm``.
"""

from __future__ import annotations

import math
import secrets
import threading
from typing import Any

import numpy as np
import torch

from scopeflow.ops._philox import (
    parallel_chunks,
    philox_at,
    philox_range,
    uniform_float32_into,
)
from scopeflow.ops._tf_libm import logf_glibc, sincosf_glibc

_M64 = (1 << 64) - 1
_M128 = (1 << 128) - 1
_RESERVED_PER_OUTPUT = 256  # ReserveRandomOutputs multiplier == kReservedSamplesPerOutput
_CHUNK = 16384  # Box-Muller blocks (or truncated-normal groups) per task


def _count(dims: list[int]) -> int:
    if any(d < 0 for d in dims):
        raise ValueError(f"Dimension {min(dims)} must be >= 0")
    return math.prod(dims)


def _words_to_float(w: np.ndarray) -> np.ndarray:
    """``Uint32ToFloat``: uniform float32 in ``[0, 1)`` from the low 23 bits (in place)."""
    w &= np.uint32(0x7FFFFF)
    w |= np.uint32(0x3F800000)
    f = w.view(np.float32)
    f -= np.float32(1.0)
    return f


def _words_to_double(hi: np.ndarray, lo: np.ndarray) -> np.ndarray:
    """``Uint64ToDouble``: uniform float64 in ``[0, 1)`` from 20 + 32 bits."""
    bits = (hi.astype(np.uint64) & np.uint64(0xFFFFF)) << np.uint64(32)
    bits |= lo.astype(np.uint64)
    bits |= np.uint64(1023 << 52)
    d = bits.view(np.float64)
    d -= 1.0
    return d


def box_muller_float(w: np.ndarray) -> np.ndarray:
    """``BoxMullerFloat`` on the word pairs ``(w[:, 0], w[:, 1])``, ``(w[:, 2], w[:, 3])``...

    Args:
        w: ``(n, 2k)`` ``uint32`` words.

    Returns:
        ``(n, 2k)`` float32: for each pair ``(x0, x1)``, ``sin(v) * r`` then ``cos(v) * r`` with
        ``r = sqrt(-2 logf(max(u(x0), 1e-7)))`` and ``v = float(2 * pi * u(x1))``.
    """
    out = np.empty(w.shape, dtype=np.float32)
    for j in range(0, w.shape[1], 2):
        u1 = _words_to_float(w[:, j] & np.uint32(0x7FFFFF))
        np.maximum(u1, np.float32(1e-7), out=u1)
        r = logf_glibc(u1)
        r *= np.float32(-2.0)
        np.sqrt(r, out=r)
        v = _words_to_float(w[:, j + 1] & np.uint32(0x7FFFFF)).astype(np.float64)
        v *= 2.0 * math.pi
        s, c = sincosf_glibc(v.astype(np.float32))
        np.multiply(s, r, out=out[:, j])
        np.multiply(c, r, out=out[:, j + 1])
    return out


def box_muller_double(w: np.ndarray) -> np.ndarray:
    """``BoxMullerDouble`` on rows of 4 words: ``(n, 4)`` ``uint32`` -> ``(n, 2)`` float64."""
    u1 = np.maximum(_words_to_double(w[:, 0], w[:, 1]), 1e-7)
    v1 = (2.0 * math.pi) * _words_to_double(w[:, 2], w[:, 3])
    n = u1.shape[0]
    # The C library's double log/sin/cos (NumPy's SIMD log differs from glibc in the last bit).
    r = np.sqrt(-2.0 * np.fromiter(map(math.log, u1.tolist()), np.float64, n))
    vl = v1.tolist()
    out = np.empty((n, 2), dtype=np.float64)
    out[:, 0] = np.fromiter(map(math.sin, vl), np.float64, n) * r
    out[:, 1] = np.fromiter(map(math.cos, vl), np.float64, n) * r
    return out


def _to_torch(a: np.ndarray, dims: list[int], dtype: torch.dtype) -> torch.Tensor:
    t = torch.from_numpy(np.ascontiguousarray(a).reshape(dims))
    return t if t.dtype == dtype else t.to(dtype)


class TFRandomState:
    """A random kernel's generator: TF's ``GuardedPhiloxRandom`` and CPU sampling.

    Args:
        seed: the op's ``seed`` attr (the Philox key).
        seed2: the op's ``seed2`` attr (the counter's high 64 bits). Both 0: random seeds.

    >>> TFRandomState(1, 0).uniform([3], torch.float32)  # tf.set_random_seed(1) op #0
    tensor([0.8127, 0.0786, 0.8917])
    """

    def __init__(self, seed: int, seed2: int) -> None:
        if seed == 0 and seed2 == 0:
            seed, seed2 = secrets.randbits(64), secrets.randbits(64)
        self.key = seed & _M64
        self.counter = (seed2 & _M64) << 64
        self._lock = threading.Lock()

    def reserve(self, blocks: int) -> int:
        """``ReserveSamples128``: the current counter, then skip ``blocks`` blocks."""
        with self._lock:
            start = self.counter
            self.counter = (start + blocks) & _M128
        return start

    def _reserve_outputs(self, n: int) -> int:
        return self.reserve(n * _RESERVED_PER_OUTPUT)

    def _words(self, n_blocks: int, n: int) -> np.ndarray:
        """The words of ``n_blocks`` blocks from a reservation for ``n`` outputs, flat."""
        return philox_range(self.key, self._reserve_outputs(n), n_blocks).reshape(-1)

    def uniform(self, dims: list[int], dtype: torch.dtype) -> torch.Tensor:
        """``RandomUniform``: ``[0, 1)`` samples of ``dtype`` (half, bfloat16, float, double)."""
        n = _count(dims)
        if dtype == torch.float64:
            w = self._words((n + 1) // 2, n).reshape(-1, 2)
            return _to_torch(_words_to_double(w[:, 0], w[:, 1])[:n], dims, dtype)
        if dtype == torch.float32:
            out = torch.empty(dims, dtype=dtype)
            start = self._reserve_outputs(n)
            if uniform_float32_into(self.key, start, out.numpy().reshape(-1)):
                return out
            w = philox_range(self.key, start, (n + 3) // 4).reshape(-1)[:n]
            return _to_torch(_words_to_float(w), dims, dtype)
        w = self._words((n + 3) // 4, n)[:n]
        if dtype == torch.float16:
            h = (w.astype(np.uint16) & np.uint16(0x3FF)) | np.uint16(15 << 10)
            return _to_torch(h.view(np.float16) - np.float16(1.0), dims, dtype)
        if dtype == torch.bfloat16:
            b = ((w & np.uint32(0x7F)) | np.uint32(127 << 7)) << np.uint32(16)
            return _to_torch(b.view(np.float32) - np.float32(1.0), dims, dtype)  # exact
        raise TypeError(f"RandomUniform has no CPU kernel for {dtype}")

    def normal(self, dims: list[int], dtype: torch.dtype) -> torch.Tensor:
        """``RandomStandardNormal``: N(0, 1) samples of ``dtype``."""
        n = _count(dims)
        if dtype == torch.float64:
            w = self._words((n + 1) // 2, n).reshape(-1, 4)
            return _to_torch(box_muller_double(w).reshape(-1)[:n], dims, dtype)
        if dtype not in (torch.float32, torch.float16, torch.bfloat16):
            raise TypeError(f"RandomStandardNormal has no CPU kernel for {dtype}")
        base, blocks = self._reserve_outputs(n), (n + 3) // 4
        out = np.empty((blocks, 4), dtype=np.float32)

        def task(a: int, b: int) -> None:
            out[a:b] = box_muller_float(philox_range(self.key, base + a, b - a))

        parallel_chunks(blocks, _CHUNK, task)
        return _to_torch(out.reshape(-1)[:n], dims, dtype)

    def truncated_normal(self, dims: list[int], dtype: torch.dtype) -> torch.Tensor:
        """``TruncatedNormal``: N(0, 1) samples of ``dtype`` redrawn until ``|x| < 2``."""
        n = _count(dims)
        if dtype == torch.float64:
            group, skip = 2, 128
        elif dtype in (torch.float32, torch.float16, torch.bfloat16):
            group, skip = 4, 256
        else:
            raise TypeError(f"TruncatedNormal has no CPU kernel for {dtype}")
        base, groups = self._reserve_outputs(n), (n + group - 1) // group
        out = np.empty((groups, group), dtype=np.float64 if group == 2 else np.float32)

        def task(a: int, b: int) -> None:
            out[a:b] = self._truncated_groups(base, np.arange(a, b, dtype=np.uint64), group, skip)

        parallel_chunks(groups, _CHUNK, task)
        return _to_torch(out.reshape(-1)[:n], dims, dtype)

    def _truncated_groups(self, base: int, gids: np.ndarray, group: int, skip: int
                          ) -> np.ndarray:  # fmt: skip
        """TF's ``TruncatedNormalDistribution`` for the output groups ``gids``.

        Group ``g`` runs a fresh ``SingleSampleAdapter`` from block ``base + skip * g`` and keeps
        the Box-Muller values with ``|x| < 2`` in order until it has ``group`` of them. Most
        groups finish with their first block (whose candidates are then the result as is); the
        rest continue block by block.
        """
        bm = box_muller_double if group == 2 else box_muller_float
        offsets = gids * np.uint64(skip)
        res = bm(philox_at(self.key, base, offsets))
        ok = np.abs(res) < 2.0
        whole = ok.view(np.uint32 if group == 4 else np.uint16).ravel()  # one int per row
        short = np.flatnonzero(whole != (0x01010101 if group == 4 else 0x0101))
        if short.size == 0:
            return res
        cand, ok = res[short], ok[short]
        sub = np.empty_like(cand)
        filled = np.zeros(short.size, dtype=np.int64)
        rows = np.arange(short.size)  # rows of ``sub`` still short of ``group`` values
        step = 0
        while True:
            pos = filled[rows, None] + np.cumsum(ok, axis=1) - 1
            take = ok & (pos < group)
            sub[np.broadcast_to(rows[:, None], take.shape)[take], pos[take]] = cand[take]
            filled[rows] += take.sum(axis=1)
            rows = rows[filled[rows] < group]
            if rows.size == 0:
                break
            step += 1
            cand = bm(philox_at(self.key, base, offsets[short[rows]] + np.uint64(step)))
            ok = np.abs(cand) < 2.0
        res[short] = sub
        return res

    def uniform_int(self, dims: list[int], lo: int, hi: int, dtype: torch.dtype
                    ) -> torch.Tensor:  # fmt: skip
        """``RandomUniformInt``: integers in ``[lo, hi)`` (``lo < hi``) of int32 or int64."""
        n = _count(dims)
        if dtype == torch.int32:
            w = self._words((n + 3) // 4, n)[:n]
            r = (w % np.uint32((hi - lo) & 0xFFFFFFFF)).astype(np.int64) + lo
            return _to_torch(r.astype(np.int32), dims, dtype)
        if dtype == torch.int64:
            w = self._words((n + 1) // 2, n).reshape(-1, 2)[:n]
            bits = w[:, 0].astype(np.uint64) | (w[:, 1].astype(np.uint64) << np.uint64(32))
            r64 = bits % np.uint64((hi - lo) & _M64) + np.uint64(lo & _M64)  # wraps: SignedAdd
            return _to_torch(r64.view(np.int64), dims, dtype)
        raise TypeError(f"RandomUniformInt has no CPU kernel for {dtype}")

    def shuffle_permutation(self, size: int) -> np.ndarray:
        """``RandomShuffle``'s permutation of ``size >= 2`` rows (``out[i] = in[perm[i]]``)."""
        if size >= 2**31 - 1:
            raise ValueError("RandomShuffle of 2**31 - 1 or more rows is not supported")
        samples = size - 1
        start = self.reserve((samples + 3) // 4)  # ReserveSamples32
        w = philox_range(self.key, start, (samples + 3) // 4).reshape(-1)[:samples]
        picks = (np.arange(samples, dtype=np.int64) + (w % np.arange(size, 1, -1, dtype=np.uint32))
                 ).tolist()  # fmt: skip
        perm = list(range(size))
        for i, j in enumerate(picks):
            perm[i], perm[j] = perm[j], perm[i]
        return np.asarray(perm, dtype=np.int64)

    def multinomial(self, logits: np.ndarray, num_samples: int, dtype: torch.dtype
                    ) -> torch.Tensor:  # fmt: skip
        """``Multinomial``: ``num_samples`` class indices per row of ``[batch, classes]`` logits.

        Args:
            logits: float64 array (the op's logits cast exactly to double).
            num_samples: samples per row (``>= 0``).
            dtype: ``torch.int32`` or ``torch.int64``.
        """
        if logits.ndim != 2:
            raise ValueError(f"logits should be a matrix, got shape {list(logits.shape)}")
        if num_samples < 0:
            raise ValueError(f"num_samples should be non-negative, got {num_samples}")
        batch, classes = logits.shape
        if classes <= 0:
            raise ValueError(f"num_classes should be positive, got {classes}")
        ceil4 = (num_samples + 3) // 4 * 4 * 2  # CPU: 2 words per double sample
        out = np.zeros((batch, num_samples), dtype=np.int64)
        if batch * num_samples == 0:
            return torch.from_numpy(out).to(dtype)
        start = self._reserve_outputs(batch * ceil4)
        words = 2 * batch * num_samples
        w = philox_range(self.key, start, (words + 3) // 4).reshape(-1)[:words].reshape(-1, 2)
        u = _words_to_double(w[:, 0], w[:, 1]).reshape(batch, num_samples)
        finite = np.isfinite(logits)
        mx = np.where(finite, logits, -np.inf).max(axis=1, initial=-np.finfo(np.float64).max)
        with np.errstate(invalid="ignore", over="ignore"):
            e = np.where(finite, np.exp(logits - mx[:, None]), 0.0)
        cdf = np.cumsum(e, axis=1)
        for b in range(batch):
            out[b] = np.searchsorted(cdf[b], u[b] * cdf[b, -1], side="right")
        return torch.from_numpy(out).to(dtype)


def new_state(attrs: dict[str, Any]) -> TFRandomState:
    """The ``TFRandomState`` of an op with ``seed``/``seed2`` attrs."""
    return TFRandomState(int(attrs.get("seed", 0) or 0), int(attrs.get("seed2", 0) or 0))


__all__ = ["TFRandomState", "box_muller_double", "box_muller_float", "new_state"]
