"""The single-precision ``logf`` and ``sincosf`` that TF's CPU Box-Muller calls, vectorized.

TF's ``BoxMullerFloat`` calls the C library's ``logf`` and ``sincosf``. On Linux that is glibc
(>= 2.28), whose implementations are Arm's optimized-routines (MIT licensed): a table lookup
plus a short polynomial evaluated in double precision, then rounded to float. Those results are
not always the correctly rounded ones (about 1% of inputs differ by one ulp from
``float(math.log(x))``), so reproducing TF's normal samples bit for bit needs the same
algorithm. This module evaluates it on NumPy float64 arrays with the same constants and the
same operation order. (On x86-64 with FMA, glibc runs a build whose ``a * b + c`` steps are
fused; those double-precision differences never reach the float result on TF's inputs.)
Verified exhaustively against glibc 2.36 on x86-64 (FMA build): all 2**23 inputs TF can pass
to each function give identical floats.

Domain: ``logf_glibc`` takes normal positive floats (TF passes ``[1e-7, 1)``);
``sincosf_glibc`` takes floats in ``[0, 120)`` (TF passes ``[0, 2*pi)``).

Must not import anything from scopeflow (pure NumPy).
"""

from __future__ import annotations

import numpy as np

_H = float.fromhex

# logf: 16 subintervals of [0x3f330000, 2 * 0x3f330000) with (1/c, log(c)), ln 2, log1p poly.
_LOGF_INVC = np.array([_H(s) for s in (
    "0x1.661ec79f8f3bep+0", "0x1.571ed4aaf883dp+0", "0x1.49539f0f010bp+0",
    "0x1.3c995b0b80385p+0", "0x1.30d190c8864a5p+0", "0x1.25e227b0b8eap+0",
    "0x1.1bb4a4a1a343fp+0", "0x1.12358f08ae5bap+0", "0x1.0953f419900a7p+0", "0x1p+0",
    "0x1.e608cfd9a47acp-1", "0x1.ca4b31f026aap-1", "0x1.b2036576afce6p-1",
    "0x1.9c2d163a1aa2dp-1", "0x1.886e6037841edp-1", "0x1.767dcf5534862p-1")])  # fmt: skip
_LOGF_LOGC = np.array([_H(s) for s in (
    "-0x1.57bf7808caadep-2", "-0x1.2bef0a7c06ddbp-2", "-0x1.01eae7f513a67p-2",
    "-0x1.b31d8a68224e9p-3", "-0x1.6574f0ac07758p-3", "-0x1.1aa2bc79c81p-3",
    "-0x1.a4e76ce8c0e5ep-4", "-0x1.1973c5a611cccp-4", "-0x1.252f438e10c1ep-5", "0x0p+0",
    "0x1.aa5aa5df25984p-5", "0x1.c5e53aa362eb4p-4", "0x1.526e57720db08p-3",
    "0x1.bc2860d22477p-3", "0x1.1058bc8a07ee1p-2", "0x1.4043057b6ee09p-2")])  # fmt: skip
_LN2 = _H("0x1.62e42fefa39efp-1")
_LA0, _LA1, _LA2 = (_H("-0x1.00ea348b88334p-2"), _H("0x1.5575b0be00b6ap-2"),
                    _H("-0x1.ffffef20a4123p-2"))  # fmt: skip

# sincosf: 2/pi * 2**24 and pi/2 for the fast reduction; cos (c0..c4) and sin (s1..s3) polys.
_HPI_INV = _H("0x1.45F306DC9C883p+23")
_HPI = _H("0x1.921FB54442D18p0")
_C1, _C2, _C3, _C4 = (_H("-0x1.ffffffd0c621cp-2"), _H("0x1.55553e1068f19p-5"),
                      _H("-0x1.6c087e89a359dp-10"), _H("0x1.99343027bf8c3p-16"))  # fmt: skip
_S1, _S2, _S3 = (_H("-0x1.555545995a603p-3"), _H("0x1.1107605230bc4p-7"),
                 _H("-0x1.994eb3774cf24p-13"))  # fmt: skip


def logf_glibc(x: np.ndarray) -> np.ndarray:
    """The glibc ``logf`` of the normal positive floats ``x`` (float32 in, float32 out)."""
    ix = np.ascontiguousarray(x, dtype=np.float32).view(np.uint32)
    tmp = ix - np.uint32(0x3F330000)
    i = (tmp >> np.uint32(19)) & np.uint32(15)
    k = (tmp.view(np.int32) >> np.int32(23)).astype(np.float64)
    tmp &= np.uint32(0xFF800000)
    z = (ix - tmp).view(np.float32).astype(np.float64)
    r = np.take(_LOGF_INVC, i)
    r *= z
    r -= 1.0  # z * invc - 1
    k *= _LN2
    k += np.take(_LOGF_LOGC, i)  # y0 = logc + k * ln2
    r2 = r * r
    y = r * _LA1
    y += _LA2
    y += r2 * _LA0
    y *= r2
    k += r
    y += k  # y * r2 + (y0 + r)
    return y.astype(np.float32)


def sincosf_glibc(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The glibc ``sincosf`` of floats ``x`` in ``[0, 120)``: ``(sin(x), cos(x))`` as float32.

    glibc reduces ``x`` by ``n`` quarter turns (``n = 0`` below ``pi/4``, where no reduction
    happens, and the same formula gives 0) and evaluates both polynomials on ``r``; quadrant
    ``n`` swaps and negates them. Negating a polynomial's input or coefficients negates its
    rounded value exactly, so one evaluation serves all quadrants. Below ``2**-12`` glibc returns
    ``(x, 1)``, which is also what the rounded polynomials give.
    """
    xd = np.asarray(x, dtype=np.float32).astype(np.float64)
    n = ((xd * _HPI_INV).astype(np.int32) + np.int32(0x800000)) >> np.int32(24)
    r = n * _HPI
    np.subtract(xd, r, out=r)
    x2 = r * r
    x3 = x2 * r
    x4 = x2 * x2
    s = x2 * _S3
    s += _S2  # s1
    s *= x3 * x2  # x5 * s1
    t = x3 * _S1
    t += r  # x + x3 * S1
    s += t
    c = x2 * _C4
    c += _C3  # c2
    c *= x4 * x2  # x6 * c2
    t = x2 * _C1
    t += 1.0  # c1
    x4 *= _C2
    t += x4  # c1 + x4 * C2
    c += t
    sf, cf = s.astype(np.float32), c.astype(np.float32)
    odd = (n & 1).astype(bool)
    sin_out = np.where(odd, cf, sf)
    cos_out = np.where(odd, sf, cf)
    # Negate (flip the sign bit) sin in quadrants 2, 3 and cos in quadrants 1, 2.
    sin_out.view(np.uint32)[...] ^= (n & 2).astype(np.uint32) << np.uint32(30)
    cos_out.view(np.uint32)[...] ^= ((n + 1) & 2).astype(np.uint32) << np.uint32(30)
    return sin_out, cos_out


__all__ = ["logf_glibc", "sincosf_glibc"]
