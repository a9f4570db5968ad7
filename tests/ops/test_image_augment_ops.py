"""tf.image colour/geometry/augmentation ops: kernels against NumPy references (``colorsys``
for HSV), the random ops' seeding and per-image batch flips, sample_distorted_bounding_box's
invariants, run-time kernel errors and ``UnsupportedError`` cases. TF's own values are in the
conformance topics ``image_x_color``, ``image_x_random`` and ``image_x_geometry``."""

import colorsys

import numpy as np
import pytest

import scopeflow.compat.v1 as tf
from scopeflow.errors import InvalidArgumentError, UnsupportedError


@pytest.fixture(autouse=True)
def _fresh_graph():
    tf.reset_default_graph()


def _rgb(shape, seed=0):
    return np.random.RandomState(seed).uniform(0, 1, size=shape).astype(np.float32)


def _run(t, feed=None):
    with tf.Session() as sess:
        return sess.run(t, feed)


def test_rgb_to_hsv_and_back_match_colorsys():
    x = _rgb([4, 5, 3])
    hsv, rgb = _run([tf.image.rgb_to_hsv(x), tf.image.hsv_to_rgb(tf.image.rgb_to_hsv(x))])
    want = np.array([colorsys.rgb_to_hsv(*p) for p in x.reshape(-1, 3)]).reshape(x.shape)
    np.testing.assert_allclose(hsv, want, atol=1e-6)
    np.testing.assert_allclose(rgb, x, atol=1e-6)


@pytest.mark.parametrize("delta", [0.0, 0.1, -0.35, 0.5, -1.0])
def test_adjust_hue_rotates_colorsys_hue(delta):
    x = _rgb([3, 4, 3], 2)
    got = _run(tf.image.adjust_hue(x, delta))
    want = []
    for p in x.reshape(-1, 3):
        h, s, v = colorsys.rgb_to_hsv(*p)
        want.append(colorsys.hsv_to_rgb((h + delta) % 1.0, s, v))
    np.testing.assert_allclose(got, np.array(want).reshape(x.shape), atol=1e-5)


@pytest.mark.parametrize("factor", [0.0, 0.5, 1.0, 4.0])
def test_adjust_saturation_scales_colorsys_saturation(factor):
    x = _rgb([3, 4, 3], 3)
    got = _run(tf.image.adjust_saturation(x, factor))
    want = []
    for p in x.reshape(-1, 3):
        h, s, v = colorsys.rgb_to_hsv(*p)
        want.append(colorsys.hsv_to_rgb(h, min(1.0, s * factor), v))
    np.testing.assert_allclose(got, np.array(want).reshape(x.shape), atol=1e-5)


def test_adjust_contrast_is_per_image_per_channel():
    x = _rgb([2, 3, 4, 3], 4)
    got = _run(tf.image.adjust_contrast(x, 1.5))
    mean = x.mean(axis=(1, 2), keepdims=True)
    np.testing.assert_allclose(got, (x - mean) * 1.5 + mean, atol=1e-6)


def test_uint8_brightness_saturates():
    x = np.array([[[0, 128, 250]]], np.uint8)
    up, down = _run([tf.image.adjust_brightness(x, 0.1), tf.image.adjust_brightness(x, -0.6)])
    assert up.dtype == np.uint8
    assert up.tolist() == [[[25, 153, 255]]]
    assert down.tolist() == [[[0, 0, 97]]]


def test_hue_kernel_needs_three_channels_at_run_time():
    p = tf.placeholder(tf.float32, [None, None, None])
    with pytest.raises(InvalidArgumentError, match="input must have 3 channels but instead has 2"):
        _run(tf.image.adjust_hue(p, 0.1), {p: np.zeros([2, 2, 2], np.float32)})


def test_random_flip_batch_flips_each_image_independently():
    tf.set_random_seed(3)
    x = np.arange(64 * 2, dtype=np.float32).reshape(64, 1, 2, 1)
    got = _run(tf.image.random_flip_left_right(x))
    flipped = [bool(np.array_equal(g, i[:, ::-1])) for g, i in zip(got, x, strict=True)]
    kept = [bool(np.array_equal(g, i)) for g, i in zip(got, x, strict=True)]
    assert all(f or k for f, k in zip(flipped, kept, strict=True))
    assert 10 < sum(flipped) < 54


def test_random_colour_ops_repeat_with_op_seed_in_new_session():
    x = _rgb([4, 4, 3])
    t = tf.image.random_hue(tf.image.random_saturation(x, 0.5, 1.5, seed=1), 0.2, seed=2)
    a, b = _run(t), _run(t)
    np.testing.assert_array_equal(a, b)


def test_sample_distorted_bounding_box_invariants():
    size = tf.placeholder(tf.int32, [3])
    boxes = tf.constant([[[0.2, 0.2, 0.5, 0.6]]])
    begin, sz, bbox = tf.image.sample_distorted_bounding_box(
        size, boxes, seed=4, min_object_covered=0.5, area_range=[0.1, 1.0]
    )
    with tf.Session() as sess:
        for h, w in [(50, 60), (299, 299), (10, 100)]:
            for _ in range(5):
                b, s, bb = sess.run([begin, sz, bbox], {size: [h, w, 3]})
                assert b[2] == 0
                assert s[2] == -1
                assert min(b[:2]) >= 0
                assert b[0] + s[0] <= h
                assert b[1] + s[1] <= w
                np.testing.assert_allclose(
                    bb[0, 0], [b[0] / h, b[1] / w, (b[0] + s[0]) / h, (b[1] + s[1]) / w],
                    rtol=1e-6,
                )  # fmt: skip


def test_sample_distorted_bounding_box_v1_ignores_graph_seed():
    # TF 1.x passes seed/seed2 to the op unchanged: the graph seed alone gives seed=seed2=0.
    tf.set_random_seed(1)
    t = tf.image.sample_distorted_bounding_box([9, 9, 3], tf.zeros([1, 0, 4]),
                                               use_image_if_no_bounding_boxes=True)  # fmt: skip
    assert t.begin.op.get_attr("seed") == 0
    assert t.begin.op.get_attr("seed2") == 0


def test_crop_or_pad_of_unknown_size_and_pad_resize_needs_static_sizes():
    x = tf.placeholder(tf.float32, [None, None, 3])
    t = tf.image.resize_image_with_crop_or_pad(x, 4, 4)
    assert t.shape.as_list() == [4, 4, 3]
    img = _rgb([6, 2, 3])
    want = np.zeros([4, 4, 3], np.float32)
    want[:, 1:3] = img[1:5]
    np.testing.assert_array_equal(_run(t, {x: img}), want)
    with pytest.raises(UnsupportedError, match="unknown height or width"):
        tf.image.resize_image_with_pad(x, 4, 4)
    y = tf.placeholder(tf.float32, [8, 8, 3])
    with pytest.raises(UnsupportedError, match="tensor target_height"):
        tf.image.resize_image_with_pad(y, tf.constant(4), 4)


def test_bounding_box_tensor_offsets_are_asserted_at_run_time():
    x = tf.constant(_rgb([4, 4, 3]))
    oh = tf.placeholder(tf.int32, [])
    with pytest.raises(InvalidArgumentError, match=r"height must be >= target \+ offset\."):
        _run(tf.image.crop_to_bounding_box(x, oh, 0, 3, 3), {oh: 2})
    with pytest.raises(InvalidArgumentError, match=r"offset_height must be >= 0"):
        _run(tf.image.pad_to_bounding_box(x, oh, 0, 9, 9), {oh: -1})


def test_rot90_with_a_tensor_k():
    x = np.arange(6, dtype=np.float32).reshape(2, 3, 1)
    k = tf.placeholder(tf.int32, [])
    t = tf.image.rot90(x, k)
    assert t.shape.as_list() == [None, None, 1]
    with tf.Session() as sess:
        for kk in range(-2, 6):
            np.testing.assert_array_equal(sess.run(t, {k: kk}), np.rot90(x, kk, axes=(0, 1)))


def test_convert_image_dtype_saturate_clamps():
    f = np.array([-1.0, 0.5, 2.0], np.float32)
    got = _run(tf.image.convert_image_dtype(f, tf.uint8, saturate=True))
    assert got.tolist() == [0, 127, 255]  # 0.5 * 255.5 truncated
