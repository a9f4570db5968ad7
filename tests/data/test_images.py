"""JPEG decoding against TF's decoding of the same TF-encoded file (tools/record_tf_tfrecord.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

import scopeflow.compat.v1 as tf

GOLDEN = Path(__file__).resolve().parent / "golden"


def test_decode_jpeg_close_to_tf():
    expected = np.load(GOLDEN / "image_tf_decoded.npy")
    img = tf.image.decode_jpeg(tf.constant((GOLDEN / "image.jpg").read_bytes()), channels=3)
    with tf.Session() as sess:
        got = sess.run(img)
    assert got.shape == expected.shape
    assert got.dtype == np.uint8
    assert np.abs(got.astype(int) - expected.astype(int)).max() <= 4


def test_encode_png_rejects_non_uint8_and_bad_rank():
    import pytest

    with pytest.raises(TypeError, match="DataType float32 not in list of allowed values: uint8"):
        tf.image.encode_png(tf.zeros([2, 2, 3]))
    with pytest.raises(ValueError, match="rank 3"):
        tf.image.encode_png(tf.zeros([2, 2], tf.uint8))
