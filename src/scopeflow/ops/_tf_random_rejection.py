"""TF's rejection samplers, reproduced exactly: the ``RandomGamma`` and ``RandomPoissonV2`` kernels.

Both CPU kernels (``random_op.cc``, ``random_poisson_op.cc``) reserve ``256`` Philox blocks per
output from the op's ``GuardedPhiloxRandom`` and compute output ``i`` (alpha/rate-major:
``i = param_index * samples_per_param + sample_index``) from a generator skipped to block
``256 * i`` of that reservation, drawing whole blocks in sequence from there: a double normal
block gives two Box-Muller values and a double uniform block two uniforms, each used from its
last value to its first. All arithmetic is in double precision and the result is rounded to the
output type once (half through float, as Eigen's ``half(double)`` does).

- gamma (Marsaglia and Tsang): ``alpha == 1`` is ``-log1p(-u)``; otherwise
  ``d = alpha - 1/3`` (``alpha < 1``: ``+ 2/3`` and a final factor ``u ** (1 / alpha)``),
  ``c = 1/3 / sqrt(d)``, accepting ``d * (1 + c x)**3`` by the squeeze or the log test.
- Poisson: ``rate < 10`` multiplies uniforms until the product is at most ``exp(-rate)``
  (Knuth); larger rates use Hormann's transformed rejection with TF's constants.

The C library's ``log``/``log1p``/``pow``/``exp``/``lgamma`` are called per element (Python's
``math`` calls them, except ``lgamma``, which Python implements itself and which is therefore
called through ``ctypes``), so the values are TF's bit for bit on Linux/x86-64 with glibc.
Gamma samples accepted at their first attempt (95% or more) are computed in bulk with NumPy
(~0.85 us of CPU a sample; TF ~0.15 us); the rest, and every Poisson sample, run a short
Python loop per sample over blocks computed up front in bulk (~3 us a sample).

Must not import anything from scopeflow outside ``ops._philox``/``ops._tf_random``.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import math
from collections.abc import Callable

import numpy as np

from scopeflow.ops._philox import philox_at
from scopeflow.ops._tf_random import TFRandomState, box_muller_double

_RESERVED_PER_OUTPUT = 256
_PREFETCH = 3  # blocks computed in bulk per output; almost every sample needs at most these


def _libm_lgamma() -> Callable[[float], float]:
    path = ctypes.util.find_library("m")
    fn = None if path is None else getattr(ctypes.CDLL(path), "lgamma", None)
    if fn is None:  # no C library: Python's own lgamma (may differ in the last bit)
        return math.lgamma
    fn.restype = ctypes.c_double
    fn.argtypes = [ctypes.c_double]
    return fn  # type: ignore[no-any-return]


_LGAMMA = _libm_lgamma()


def _log(x: float) -> float:
    """C's ``log`` (``log(0) == -inf``; Python's raises)."""
    return math.log(x) if x > 0 else (-math.inf if x == 0 else math.nan)


def _pow(x: float, y: float) -> float:
    """C's ``pow`` for ``x`` in ``[0, 1)`` (Python raises where C gives ``inf``)."""
    try:
        return math.pow(x, y)
    except (OverflowError, ValueError):
        return math.inf


def _uniform_pairs(w: np.ndarray) -> np.ndarray:
    """``UniformDistribution<double>`` of ``(n, 4)`` words: ``(n, 2)`` doubles in ``[0, 1)``."""
    bits = (w[:, 0::2].astype(np.uint64) & np.uint64(0xFFFFF)) << np.uint64(32)
    bits |= w[:, 1::2].astype(np.uint64)
    bits |= np.uint64(1023 << 52)
    return bits.view(np.float64) - 1.0


class _Blocks:
    """The per-output block streams of one kernel run.

    ``normal(i, j)``/``uniform(i, j)`` read block ``j`` of output ``i`` (counter
    ``base + 256 * i + j``) as a normal or a uniform pair.
    """

    def __init__(self, key: int, base: int, n: int, normals: bool) -> None:
        self.key, self.base = key, base
        starts = (np.arange(n, dtype=np.uint64) * np.uint64(_RESERVED_PER_OUTPUT))[:, None]
        offs = starts + np.arange(_PREFETCH, dtype=np.uint64)
        self._words = philox_at(key, base, offs.reshape(-1)).reshape(n, _PREFETCH, 4)
        self.uniform_array = _uniform_pairs(self._words.reshape(-1, 4)).reshape(n, _PREFETCH, 2)
        # block 0 as a normal pair, for the bulk first attempt (the C library per element)
        self.normal0 = box_muller_double(self._words[:, 0]) if normals else None

    def _block(self, i: int, j: int) -> np.ndarray:
        if j < _PREFETCH:
            return self._words[i, j][None]
        return philox_at(self.key, self.base, np.array([_RESERVED_PER_OUTPUT * i + j], np.uint64))

    def normal(self, i: int, j: int) -> list[float]:
        if j == 0 and self.normal0 is not None:
            return self.normal0[i].tolist()  # type: ignore[no-any-return]
        return box_muller_double(self._block(i, j))[0].tolist()  # type: ignore[no-any-return]

    def uniform(self, i: int, j: int) -> list[float]:
        if j < _PREFETCH:
            return self.uniform_array[i, j].tolist()  # type: ignore[no-any-return]
        return _uniform_pairs(self._block(i, j))[0].tolist()  # type: ignore[no-any-return]


def _gamma_sample(blocks: _Blocks, i: int, alpha: float, d: float, c: float) -> float:
    """One Marsaglia-Tsang draw (``alpha != 1``) from output ``i``'s blocks."""
    j = n_left = u_left = 0
    normals: list[float] = []
    uniforms: list[float] = []
    while True:
        if n_left == 0:
            normals, n_left, j = blocks.normal(i, j), 2, j + 1
        n_left -= 1
        x = normals[n_left]
        v = 1 + c * x
        if v <= 0:
            continue
        v = v * v * v
        if u_left == 0:
            uniforms, u_left, j = blocks.uniform(i, j), 2, j + 1
        u_left -= 1
        u = uniforms[u_left]
        if u < 1 - 0.0331 * (x * x) * (x * x) or _log(u) < 0.5 * x * x + d * (1 - v + math.log(v)):
            res = d * v
            if alpha < 1.0:
                if u_left == 0:
                    uniforms, u_left, j = blocks.uniform(i, j), 2, j + 1
                u_left -= 1
                inv = 1 / alpha if alpha else math.copysign(math.inf, alpha)
                res *= _pow(uniforms[u_left], inv)
            return res


def gamma(state: TFRandomState, alpha: np.ndarray, samples_per_alpha: int) -> np.ndarray:
    """``RandomGamma``'s samples as float64 (round once to the output type).

    Args:
        state: the op's generator.
        alpha: the flat alpha values as float64 (exact casts of the op's input).
        samples_per_alpha: the number of elements of the op's ``shape``.

    Returns:
        ``(samples_per_alpha, alpha.size)`` float64 values (``[]`` reserves nothing).
    """
    num_alphas = alpha.size
    out = np.empty((samples_per_alpha, num_alphas), dtype=np.float64)
    n = samples_per_alpha * num_alphas
    if n == 0:
        return out
    blocks = _Blocks(state.key, state.reserve(n * _RESERVED_PER_OUTPUT), n, normals=True)
    for a_idx, a in enumerate(alpha.tolist()):
        first = a_idx * samples_per_alpha
        rows = slice(first, first + samples_per_alpha)
        if a == 1.0:  # an exponential: the last uniform of the first block
            u = blocks.uniform_array[rows, 0, 1].tolist()
            out[:, a_idx] = [-math.log1p(-v) for v in u]
            continue
        d = a + (2.0 / 3 if a < 1.0 else -1.0 / 3)
        # C's sqrt/division give NaN/inf where Python raises (alpha <= -2/3: NaN samples).
        root = math.sqrt(d) if d >= 0 else math.nan
        c = 1.0 / 3 / root if root else math.inf
        done = _first_attempt(blocks, rows, a, d, c, out[:, a_idx])
        for s in np.flatnonzero(~done).tolist():
            out[s, a_idx] = _gamma_sample(blocks, first + s, a, d, c)
    return out


def _first_attempt(blocks: _Blocks, rows: slice, alpha: float, d: float, c: float,
                   out: np.ndarray) -> np.ndarray:  # fmt: skip
    """The samples accepted at their first normal (block 0) and uniform (block 1), in bulk.

    The same double operations in the same order as ``_gamma_sample`` (NumPy's elementwise
    ``+``/``*``/``<`` are IEEE's), with the C library's ``log``/``pow`` per element; writes
    the accepted samples into ``out`` and returns which they are.
    """
    assert blocks.normal0 is not None
    x = blocks.normal0[rows, 1]
    u = blocks.uniform_array[rows, 1, 1]
    with np.errstate(all="ignore"):
        v = 1 + c * x
        positive = v > 0
        v = v * v * v
        accept = positive & (u < 1 - 0.0331 * (x * x) * (x * x))
        rest = np.flatnonzero(positive & ~accept)
        if rest.size:
            xr, vr = x[rest].tolist(), v[rest].tolist()
            accept[rest] = [
                _log(uu) < 0.5 * xx * xx + d * (1 - vv + _log(vv))
                for uu, xx, vv in zip(u[rest].tolist(), xr, vr, strict=True)
            ]
        res = d * v
    idx = np.flatnonzero(accept)
    if alpha < 1.0:
        inv = 1 / alpha if alpha else math.copysign(math.inf, alpha)
        b = blocks.uniform_array[rows, 1, 0][idx].tolist()
        res[idx] *= np.array([_pow(bb, inv) for bb in b], dtype=np.float64)
    out[idx] = res[idx]
    return accept


def _poisson_small(blocks: _Blocks, i: int, exp_neg_rate: float, highest: float) -> float:
    j = u_left = 0
    uniforms: list[float] = []
    prod, x = 1.0, 0.0
    while True:
        if u_left == 0:
            uniforms, u_left, j = blocks.uniform(i, j), 2, j + 1
        u_left -= 1
        prod = prod * uniforms[u_left]
        if prod <= exp_neg_rate and x <= highest:
            return x
        x += 1


def _poisson_large(blocks: _Blocks, i: int, rate: float, highest: float) -> float:
    log_rate = math.log(rate)
    b = 0.931 + 2.53 * math.sqrt(rate)
    a = -0.059 + 0.02483 * b
    inv_alpha = 1.1239 + 1.1328 / (b - 3.4)
    v_r = 0.9277 - 3.6224 / (b - 2)
    j = u_left = 0
    uniforms: list[float] = []
    while True:
        if u_left == 0:
            uniforms, u_left, j = blocks.uniform(i, j), 2, j + 1
        u_left -= 1
        u = uniforms[u_left] - 0.5
        if u_left == 0:
            uniforms, u_left, j = blocks.uniform(i, j), 2, j + 1
        u_left -= 1
        v = uniforms[u_left]
        u_shifted = 0.5 - abs(u)
        if u_shifted == 0:  # u == -0.5: C's k is -inf, rejected below as k < 0
            continue
        g = (2 * a / u_shifted + b) * u + rate + 0.43
        k = float(math.floor(g)) if math.isfinite(g) else g
        if k > highest:
            continue
        if u_shifted >= 0.07 and v <= v_r:
            return k
        if k < 0 or (u_shifted < 0.013 and v > u_shifted):
            continue
        s = _log(v * inv_alpha / (a / (u_shifted * u_shifted) + b))
        t = -rate + k * log_rate - _LGAMMA(k + 1)
        if s <= t:
            return k


def poisson(state: TFRandomState, rate: np.ndarray, num_samples: int, highest: float
            ) -> np.ndarray:  # fmt: skip
    """``RandomPoissonV2``'s samples as float64 (integral values).

    Args:
        state: the op's generator.
        rate: the flat rates as float64.
        num_samples: the number of elements of the op's ``shape``.
        highest: the output type's largest value (as TF's ``NumTraits<U>::highest()``).

    Returns:
        ``(num_samples, rate.size)`` float64 values.
    """
    num_rate = rate.size
    out = np.empty((num_samples, num_rate), dtype=np.float64)
    if num_samples == 0:
        return out
    n = num_samples * num_rate
    blocks = _Blocks(state.key, state.reserve(n * _RESERVED_PER_OUTPUT), n, normals=False)
    for r_idx, r in enumerate(rate.tolist()):
        first = r_idx * num_samples
        if math.isnan(r) or r == math.inf:  # TF's kernel loops forever on these
            raise ValueError(
                f"RandomPoissonV2 cannot sample rate = {r} (TF's kernel never returns)"
            )
        if r < 10:
            e = math.exp(-r) if r > -709 else math.inf
            for s in range(num_samples):
                out[s, r_idx] = _poisson_small(blocks, first + s, e, highest)
        else:
            for s in range(num_samples):
                out[s, r_idx] = _poisson_large(blocks, first + s, r, highest)
    return out


__all__ = ["gamma", "poisson"]
