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


def fill_histogram(proto: Any, values: np.ndarray) -> None:
    """Fills a ``HistogramProto`` with ``values`` (finite float64) as TF's ``Histogram``."""
    flat = values.reshape(-1)
    limits = DEFAULT_BUCKET_LIMITS
    counts = np.bincount(np.searchsorted(limits, flat, side="right"), minlength=limits.size)
    if flat.size:
        proto.min = float(flat.min())
        proto.max = float(flat.max())
        # sequential double accumulation, as the C++ loop (numpy's sum is pairwise)
        proto.sum = float(np.cumsum(flat)[-1])
        proto.sum_squares = float(np.cumsum(flat * flat)[-1])
    else:
        proto.min = _DBL_MAX
        proto.max = -_DBL_MAX
        proto.sum = 0.0
        proto.sum_squares = 0.0
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


def image_to_uint8(image: np.ndarray, bad_color: np.ndarray) -> np.ndarray:
    """One ``[h, w, c]`` image as uint8 pixels, scaling floats as TF's ``NormalizeFloatImage``."""
    if image.dtype == np.uint8:
        return image
    h, w, c = image.shape
    vals = image.astype(np.float32).reshape(h * w, c)
    finite = np.isfinite(vals).all(axis=1)
    if not vals.size:
        return np.zeros((h, w, c), np.uint8)
    good = vals[finite]
    lo = np.float32(good.min()) if good.size else np.float32(np.inf)
    hi = np.float32(good.max()) if good.size else np.float32(-np.inf)
    if lo < 0:
        max_val = max(abs(lo), abs(hi))
        scale = np.float32(0.0 if max_val < 1e-6 else np.float32(127.0) / max_val)
        offset = np.float32(128.0)
    else:
        scale = np.float32(0.0 if hi < 1e-6 else np.float32(255.0) / hi)
        offset = np.float32(0.0)
    with np.errstate(invalid="ignore"):
        scaled = (vals * scale + offset).astype(np.float32)
    out = np.zeros((h * w, c), np.uint8)
    out[finite] = np.trunc(scaled[finite]).astype(np.int64).astype(np.uint8)
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
