"""Records TF's exact outputs of the colour kernels on inputs that exercise every branch.

Run under the TF oracle: ``TF_USE_LEGACY_KERAS=1 .tf-oracle/bin/python
tools/record_image_colour_kernels.py``. Writes ``tests/fixtures/image_colour/kernels.npz``:
for each input of ``inputs()`` (uniform pixels, pixels with tied channels, grays, pixels
outside [0, 1], 8-bit levels), TF's ``AdjustSaturation`` for several factors, ``AdjustHue`` for
several deltas (up to two turns of the colour circle), ``RGBToHSV`` and ``HSVToRGB`` (float32
and float64). ``tests/ops/test_image_colour_kernels.py`` requires scopeflow's kernels to give
the same bits.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parents[1] / "tests/fixtures/image_colour/kernels.npz"
SCALES = (0.0, 0.5, 1.3, 2.0, 7.0)
DELTAS = (0.0, 0.1, -0.1, 0.5, -0.5, 1.0, -1.0, 0.999, 1.7, -1.9)


def inputs() -> dict[str, np.ndarray]:
    """Deterministic float32 images ([..., 3])."""
    rs = np.random.RandomState(0)
    grid = np.array(np.meshgrid(*[np.linspace(0, 1, 5)] * 3, indexing="ij")).reshape(3, -1).T
    return {
        "uniform": rs.uniform(0, 1, (20, 25, 3)).astype(np.float32),
        "ties": (rs.randint(0, 4, (16, 16, 3)) / 3).astype(np.float32),
        "grid": grid.reshape(5, 25, 3).astype(np.float32),
        "outside": rs.uniform(-0.5, 1.5, (2, 10, 10, 3)).astype(np.float32),
        "negative": rs.uniform(-1, 0, (10, 10, 3)).astype(np.float32),
        "levels": (rs.randint(0, 256, (16, 20, 3)) / 255.0).astype(np.float32),
    }


def main() -> None:
    import tensorflow.compat.v1 as tf

    tf.disable_eager_execution()
    out: dict[str, np.ndarray] = {}
    with tf.Session() as sess:
        for name, image in inputs().items():
            x = tf.constant(image)
            fetches = {}
            for s in SCALES:
                fetches[f"{name}/saturation/{s}"] = tf.image.adjust_saturation(x, s)
            for d in DELTAS:
                fetches[f"{name}/hue/{d}"] = tf.image.adjust_hue(x, d)
            for dt in (tf.float32, tf.float64):
                xd = tf.constant(image, dt)
                fetches[f"{name}/rgb_to_hsv/{dt.name}"] = tf.image.rgb_to_hsv(xd)
                hsv = np.clip(image, 0, 1)  # HSV in [0, 1]
                fetches[f"{name}/hsv_to_rgb/{dt.name}"] = tf.image.hsv_to_rgb(tf.constant(hsv, dt))
            out.update(sess.run(fetches))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(OUT, **out)


if __name__ == "__main__":
    main()
