"""Encoders behind the summary kernels: TF's default histogram buckets, PNG and WAV output."""

from __future__ import annotations

import io
import sys
import wave

import numpy as np

import scopeflow.compat.v1 as tf
from scopeflow.ops import _summary_encoders as enc


def test_default_bucket_limits_are_tfs() -> None:
    limits = enc.DEFAULT_BUCKET_LIMITS
    # 1e-12 * 1.1**k below 1e20: 774 positive limits, DBL_MAX, their negatives and 0
    assert limits.size == 2 * 775 + 1
    assert limits[775] == 0.0
    assert limits[776] == 1e-12
    assert limits[-1] == sys.float_info.max
    np.testing.assert_array_equal(limits[:775], -limits[776:][::-1])
    assert np.all(np.diff(limits) > 0)


def test_histogram_collapses_empty_runs() -> None:
    h = tf.HistogramProto()
    enc.fill_histogram(h, np.array([1.0, 1.0, 100.0]))
    assert list(h.bucket) == [0.0, 2.0, 0.0, 1.0, 0.0]
    assert h.num == 3
    assert h.sum == 102.0
    assert h.sum_squares == 10002.0


def test_png_roundtrip_with_pillow() -> None:
    from PIL import Image

    pixels = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4) * 9
    decoded = np.asarray(Image.open(io.BytesIO(enc.encode_png(pixels))))
    np.testing.assert_array_equal(decoded, pixels)


def test_wav_rounds_half_away_from_zero_and_clips() -> None:
    samples = np.array([[0.5 / 32768], [-0.5 / 32768], [1.5 / 32768], [2.0], [-2.0]], np.float32)
    with wave.open(io.BytesIO(enc.encode_wav(samples, 8000.9))) as w:
        assert (w.getframerate(), w.getnchannels(), w.getsampwidth()) == (8000, 1, 2)
        pcm = np.frombuffer(w.readframes(5), "<i2")
    assert pcm.tolist() == [1, -1, 2, 32767, -32768]


def test_bucket_indices_equal_binary_search_everywhere() -> None:
    limits = enc.DEFAULT_BUCKET_LIMITS
    rng = np.random.RandomState(0)
    with np.errstate(over="ignore"):
        cases = [
            rng.randn(50_000) * 10.0 ** rng.uniform(-15, 25, 50_000),
            limits,
            np.nextafter(limits, np.inf),
            np.nextafter(limits, -np.inf),
            np.array([0.0, -0.0, 1e-300, -1e-300, 1e-12, -1e-12, 1e20, -1e20, 1e300]),
            rng.randn(1000).astype(np.float32).astype(np.float64),
        ]
    for case in cases:
        values = case[np.isfinite(case)]
        expected = np.searchsorted(limits, values, side="right")
        np.testing.assert_array_equal(enc.bucket_indices(values), expected)


def test_histogram_sums_are_sequential_across_chunks() -> None:
    values = np.random.RandomState(1).randn(3 * enc._CHUNK + 17).astype(np.float32)
    h = tf.HistogramProto()
    assert enc.fill_histogram(h, values) is None
    v64 = values.astype(np.float64)
    total = 0.0
    for x in v64.tolist():
        total += x
    assert h.sum == total
    assert h.num == values.size
    assert sum(h.bucket) == values.size


def test_histogram_reports_non_finite() -> None:
    assert enc.fill_histogram(tf.HistogramProto(), np.array([1.0, np.inf, np.nan])) == "inf"
    assert enc.fill_histogram(tf.HistogramProto(), np.array([np.nan, np.inf])) == "nan"


def test_bucket_indices_float32_equal_binary_search() -> None:
    limits = enc.DEFAULT_BUCKET_LIMITS
    rng = np.random.RandomState(2)
    values = (rng.randn(100_000) * 10.0 ** rng.uniform(-14, 21, 100_000)).astype(np.float32)
    near = limits[np.abs(limits) < 3e38].astype(np.float32)
    for v in (values, near, np.nextafter(near, np.float32(np.inf)), -near):
        expected = np.searchsorted(limits, v.astype(np.float64), side="right")
        np.testing.assert_array_equal(enc.bucket_indices(v), expected)
