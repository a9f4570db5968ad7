"""The colour kernels give TF's exact bits (``AdjustSaturation``, ``AdjustHue``, ``RGBToHSV``,
``HSVToRGB``) on inputs that exercise every branch: tied channels, grays, pixels outside
[0, 1], hue deltas up to two turns. TF's outputs are recorded by
``tools/record_image_colour_kernels.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

import scopeflow.compat.v1 as tf

sys.path.insert(0, str(Path(__file__).parents[2] / "tools"))
from record_image_colour_kernels import DELTAS, SCALES, inputs

FIXTURE = Path(__file__).parents[1] / "fixtures/image_colour/kernels.npz"


@pytest.fixture(scope="module")
def recorded() -> dict[str, np.ndarray]:
    with np.load(FIXTURE) as f:
        return {k: f[k] for k in f.files}


@pytest.mark.parametrize("name", sorted(inputs()))
def test_kernels_give_tf_bits(name: str, recorded: dict[str, np.ndarray]) -> None:
    image = inputs()[name]
    with tf.Graph().as_default(), tf.Session() as sess:
        x = tf.constant(image)
        fetches = {}
        for s in SCALES:
            fetches[f"{name}/saturation/{s}"] = tf.image.adjust_saturation(x, s)
        for d in DELTAS:
            fetches[f"{name}/hue/{d}"] = tf.image.adjust_hue(x, d)
        for dt in (tf.float32, tf.float64):
            xd = tf.constant(image, dt)
            fetches[f"{name}/rgb_to_hsv/{dt.name}"] = tf.image.rgb_to_hsv(xd)
            hsv = tf.constant(np.clip(image, 0, 1), dt)
            fetches[f"{name}/hsv_to_rgb/{dt.name}"] = tf.image.hsv_to_rgb(hsv)
        got = sess.run(fetches)
    for key, value in got.items():
        assert value.dtype == recorded[key].dtype, key
        np.testing.assert_array_equal(value, recorded[key], err_msg=key)


def test_blocks_cover_a_large_image() -> None:
    """More pixels than one block: every block is converted, in place in the result."""
    image = np.random.RandomState(1).uniform(0, 1, (300, 250, 3)).astype(np.float32)
    with tf.Graph().as_default(), tf.Session() as sess:
        hsv = sess.run(tf.image.rgb_to_hsv(image))
        back = sess.run(tf.image.hsv_to_rgb(hsv))
        same = sess.run(tf.image.adjust_hue(image, 0.0))
    np.testing.assert_allclose(back, image, atol=1e-6)
    np.testing.assert_allclose(same, image, atol=1e-6)
    np.testing.assert_array_equal(hsv[..., 2], image.max(-1))
