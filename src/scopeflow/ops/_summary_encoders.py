"""The encoders behind TF's summary kernels: histogram buckets, image scaling + PNG, WAV audio.

Each follows the TF C++ kernel it stands for: ``histogram::Histogram`` (default bucket limits,
``upper_bound`` bucketing, empty-bucket collapsing of ``EncodeToProto``), the float-to-uint8
normalization of ``ImageSummaryOp`` and ``wav::EncodeAudioAsS16LEWav``. PNG bytes come from
Pillow and WAV headers from Python's ``wave`` module; both decode to TF's pixels and samples.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

import io
import sys
import wave
from typing import Any

import numpy as np

_DBL_MAX = sys.float_info.max


def _default_bucket_limits() -> np.ndarray:
    """TF's ``InitDefaultBuckets``: +-1e-12 growing by 10% up to 1e20, +-DBL_MAX, and 0."""
    pos = []
    v = 1.0e-12
    while v < 1.0e20:
        pos.append(v)
        v *= 1.1
    pos.append(_DBL_MAX)
    return np.array([-x for x in reversed(pos)] + [0.0, *pos], dtype=np.float64)


DEFAULT_BUCKET_LIMITS = _default_bucket_limits()
_N = (DEFAULT_BUCKET_LIMITS.size - 1) // 2  # positive limits (DBL_MAX included)
_INV_LOG_STEP = 1.0 / np.log(1.1)
_OFFSET = 1.0 - np.log(1e-12) * _INV_LOG_STEP
# how close (in units of log(1.1)) to a limit the estimate must be to need an exact search:
# float64 logarithms are good to ~1e-13 here, float32 ones to ~1e-4
_NEAR = {np.dtype(np.float64): 1e-6, np.dtype(np.float32): 2e-3}


def bucket_indices(values: np.ndarray) -> np.ndarray:
    """``upper_bound(DEFAULT_BUCKET_LIMITS, v)`` for each finite float32/float64 value.

    The positive limits are ``1e-12 * 1.1**k``, so ``floor(log(|v| / 1e-12) / log(1.1)) + 1``
    counts the limits below ``|v|``. Values whose estimate lies near a limit (where rounding
    could matter) and ``+-DBL_MAX`` get an exact binary search in float64 instead. This is
    several times faster than a binary search of every value over the 1,551 limits.
    """
    near_tol = _NEAR[values.dtype]
    a = np.abs(values)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.log(a)
        t *= _INV_LOG_STEP
        t += _OFFSET
        fl = np.floor(t)
        t -= fl  # the fraction; NaN for zeros (log 0 = -inf), which are never near a limit
        near = (t < near_tol) | (t > 1.0 - near_tol)
    if values.dtype == np.float64:
        near |= a == _DBL_MAX
    np.maximum(fl, 0, out=fl)  # (np.clip is several times slower)
    np.minimum(fl, _N - 1, out=fl)
    j = fl.astype(np.intp)
    # N + 1 + j for v >= 0, N - j for v < 0
    out = _N + 1 + j - (values < 0) * (2 * j + 1)
    if near.any():
        exact = values[near].astype(np.float64)
        out[near] = np.searchsorted(DEFAULT_BUCKET_LIMITS, exact, side="right")
    return out


_CHUNK = 8192  # values per pass: 64 KiB of float64 stays in cache and off the mmap path


def _first_non_finite(flat: np.ndarray) -> str:
    bad = flat[~np.isfinite(flat)][0]
    return "nan" if np.isnan(bad) else "inf"


def fill_histogram(proto: Any, values: np.ndarray) -> str | None:
    """Fills a ``HistogramProto`` with ``values`` as TF's ``Histogram`` (sums in float64).

    Returns None, or ``"nan"``/``"inf"`` for the first value that is not finite (the proto is
    then partial). Sum and sum of squares accumulate value by value in float64 as TF's C++ loop
    does (NumPy's ``sum`` is pairwise): each chunk's ``cumsum`` starts from the running total.
    """
    flat = values.reshape(-1)
    if flat.dtype not in _NEAR:
        flat = flat.astype(np.float64)
    limits = DEFAULT_BUCKET_LIMITS
    counts = np.zeros(limits.size, np.intp)
    lo, hi, total, total_sq = _DBL_MAX, -_DBL_MAX, 0.0, 0.0
    for start in range(0, flat.size, _CHUNK):
        chunk = flat[start : start + _CHUNK]
        c_lo, c_hi = float(chunk.min()), float(chunk.max())
        if not (np.isfinite(c_lo) and np.isfinite(c_hi)):
            return _first_non_finite(flat)
        lo, hi = min(lo, c_lo), max(hi, c_hi)
        counts += np.bincount(bucket_indices(chunk), minlength=limits.size)
        c64 = chunk.astype(np.float64)
        sq = c64 * c64
        sq[0] += total_sq
        total_sq = float(np.cumsum(sq)[-1])
        c64[0] += total
        total = float(np.cumsum(c64)[-1])
    proto.min, proto.max, proto.sum, proto.sum_squares = lo, hi, total, total_sq
    proto.num = float(flat.size)
    nonzero = np.flatnonzero(counts)
    out_limits: list[float] = []
    out_counts: list[float] = []
    i = 0
    n = counts.size
    for j in nonzero.tolist():
        if j > i:  # a run of empty buckets i..j-1 collapses into one entry at its last limit
            out_limits.append(float(limits[j - 1]))
            out_counts.append(0.0)
        out_limits.append(float(limits[j]))
        out_counts.append(float(counts[j]))
        i = j + 1
    if i < n:
        out_limits.append(float(limits[n - 1]))
        out_counts.append(0.0)
    proto.bucket_limit.extend(out_limits)
    proto.bucket.extend(out_counts)
    return None


def image_to_uint8(image: np.ndarray, bad_color: np.ndarray) -> np.ndarray:
    """One ``[h, w, c]`` image as uint8 pixels, scaling floats as TF's ``NormalizeFloatImage``.

    Min and max are taken in float32 over pixels whose channels are all finite; the affine map
    runs in the image's own float type (half, float or double, as TF's template does) and is
    truncated to uint8; pixels with a non-finite channel get ``bad_color``.
    """
    if image.dtype == np.uint8:
        return image
    h, w, c = image.shape
    if not image.size:
        return np.zeros((h, w, c), np.uint8)
    vals = image.reshape(h * w, c)
    finite = np.isfinite(vals).all(axis=1)
    good = vals[finite].astype(np.float32)
    lo = np.float32(good.min()) if good.size else np.float32(np.inf)
    hi = np.float32(good.max()) if good.size else np.float32(-np.inf)
    dt = vals.dtype.type
    if lo < 0:
        max_val = max(abs(lo), abs(hi))
        scale = dt(np.float32(0.0) if max_val < 1e-6 else np.float32(127.0) / max_val)
        offset = dt(128.0)
    else:
        scale = dt(np.float32(0.0) if hi < 1e-6 else np.float32(255.0) / hi)
        offset = dt(0.0)
    with np.errstate(invalid="ignore", over="ignore"):
        scaled = vals[finite] * scale + offset
    out = np.empty((h * w, c), np.uint8)
    out[finite] = np.trunc(scaled).astype(np.int64).astype(np.uint8)
    out[~finite] = bad_color[:c]
    return out.reshape(h, w, c)


def encode_png(pixels: np.ndarray) -> bytes:
    """``[h, w, c]`` uint8 pixels (c = 1, 3, 4) as PNG bytes (Pillow)."""
    from PIL import Image  # noqa: PLC0415  (Pillow loads only when an image summary runs)

    c = pixels.shape[2]
    mode = {1: "L", 3: "RGB", 4: "RGBA"}[c]
    img = Image.fromarray(pixels[:, :, 0] if c == 1 else pixels, mode=mode)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def encode_wav(samples: np.ndarray, sample_rate: float) -> bytes:
    """``[frames, channels]`` float samples as 16-bit PCM WAV (TF's ``EncodeAudioAsS16LEWav``)."""
    x = samples.astype(np.float32) * np.float32(32768.0)
    whole = np.trunc(x)
    # C's roundf: halves away from zero (numpy's round is half-to-even)
    scaled = np.where(np.abs(x - whole) >= 0.5, whole + np.sign(x), whole)
    pcm = np.clip(scaled, -32768, 32767).astype("<i2")
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(samples.shape[1])
        w.setsampwidth(2)
        w.setframerate(int(sample_rate))
        w.writeframes(pcm.tobytes())
    return buf.getvalue()


__all__ = ["DEFAULT_BUCKET_LIMITS", "encode_png", "encode_wav", "fill_histogram", "image_to_uint8"]
