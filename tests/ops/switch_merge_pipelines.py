"""Graphs built with TF 1.x's ``control_flow_ops.switch``/``merge``, shared by the TF recorder
(``tools/record_switch_merge.py``) and ``tests/ops/test_switch_merge.py``.

Every function takes the ``tf`` module (``tensorflow.compat.v1`` or ``scopeflow.compat.v1``) and
the ``control_flow_ops`` module that has ``switch`` and ``merge``, and returns ``{name: tensor}``
to fetch ``RUNS`` times in one session. ``pipeline`` is an image augmentation in the style of
tf-slim's Inception preprocessing, written here: a random selector built from one ``switch`` per
case and one ``merge`` picks a colour-distortion order and a resize method; its random ops sit
inside the branches, so their draws only match TF's if the untaken branches never run (each
random op keeps its own Philox counter, advanced when it runs). ``slim_selectors`` calls the real
``inception_preprocessing`` module's functions.
"""

from __future__ import annotations

from typing import Any

import numpy as np

RUNS = 6
SEED = 7


def image() -> np.ndarray:
    """The fixed input image (``np.random.RandomState(0)``), uint8 HWC."""
    return np.random.RandomState(0).randint(0, 256, (30, 40, 3)).astype(np.uint8)


def _select(tf: Any, cfo: Any, x: Any, fn: Any, cases: int) -> Any:
    choice = tf.random_uniform([], maxval=cases, dtype=tf.int32)
    outs = [fn(cfo.switch(x, tf.equal(choice, case))[1], case) for case in range(cases)]
    return cfo.merge(outs)


def _colour(tf: Any, x: Any, order: int) -> Any:
    steps = [
        lambda t: tf.image.random_brightness(t, max_delta=0.2),
        lambda t: tf.image.random_saturation(t, lower=0.6, upper=1.4),
        lambda t: tf.image.random_hue(t, max_delta=0.1),
        lambda t: tf.image.random_contrast(t, lower=0.7, upper=1.3),
    ]
    for k in range(len(steps)):
        x = steps[(k + order) % len(steps)](x)
    return tf.clip_by_value(x, 0.0, 1.0)


def pipeline(tf: Any, cfo: Any) -> dict[str, Any]:
    """Selectors (colour distortion, resize), a flip, a merge of a dead and a live input."""
    tf.set_random_seed(SEED)
    x = tf.image.convert_image_dtype(tf.constant(image()), tf.float32)
    coloured, colour_index = _select(tf, cfo, x, lambda t, o: _colour(tf, t, o), 3)
    resized, resize_index = _select(
        tf, cfo, coloured, lambda t, m: tf.image.resize_images(t, [20, 24], m), 4
    )
    flip = tf.random_uniform([]) < 0.5
    off, on = cfo.switch(resized, flip)
    flipped, flip_index = cfo.merge([tf.image.flip_left_right(on), off * 1.0])
    dead = cfo.switch(flipped * 2.0 - 1.0, tf.constant(False)).output_true
    always, always_index = cfo.merge([dead * 3.0, flipped - 0.5])
    return {
        "coloured": coloured,
        "colour_index": colour_index,
        "resized": resized,
        "resize_index": resize_index,
        "flipped": flipped,
        "flip_index": flip_index,
        "always": always,
        "always_index": always_index,
    }


def slim_selectors(tf: Any, module: Any) -> dict[str, Any]:
    """The real ``inception_preprocessing``: its random selector (colour orderings, resize
    methods) and its evaluation path. Its training path also samples a bounding box with
    ``sample_distorted_bounding_box``, which TF runs unseeded (seed=0, seed2=0), so it is not
    comparable."""
    tf.set_random_seed(SEED)
    pixels = tf.constant(image())
    x = tf.image.convert_image_dtype(pixels, tf.float32)
    return {
        "colour": module.apply_with_random_selector(
            x, lambda t, o: module.distort_color(t, o, fast_mode=False), num_cases=4
        ),
        "colour_fast": module.apply_with_random_selector(
            x, lambda t, o: module.distort_color(t, o, fast_mode=True), num_cases=2
        ),
        "resize": module.apply_with_random_selector(
            x, lambda t, m: tf.image.resize_images(t, [20, 24], m), num_cases=4
        ),
        "eval": module.preprocess_image(pixels, 20, 24, is_training=False),
        "eval_central": module.preprocess_for_eval(x, 16, 16, central_fraction=0.5),
    }


def slim_vgg(tf: Any, module: Any) -> dict[str, Any]:
    """The real ``vgg_preprocessing``: training (random crop, flip) and evaluation paths."""
    tf.set_random_seed(SEED)
    pixels = tf.constant(image())
    return {
        "train": module.preprocess_image(
            pixels, 16, 16, is_training=True, resize_side_min=24, resize_side_max=32
        ),
        "eval": module.preprocess_image(pixels, 16, 16, is_training=False, resize_side_min=24),
    }


def run(tf: Any, fetches: dict[str, Any]) -> dict[str, np.ndarray]:
    """``RUNS`` session runs of ``fetches``, stacked per name."""
    names = sorted(fetches)
    with tf.Session() as sess:
        rows = [sess.run([fetches[n] for n in names]) for _ in range(RUNS)]
    return {n: np.stack([np.asarray(r[i]) for r in rows]) for i, n in enumerate(names)}
