"""tf.image geometry: crop/pad to bounding box, resize_image_with_crop_or_pad, central_crop,
resize_image_with_pad, transpose, rot90, image_gradients, total_variation: names, static
shapes, values and build-time errors."""

import numpy as np


def _img(shape):
    return np.arange(np.prod(shape), dtype=np.float32).reshape(shape)


def _names(*tensors):
    print(" ".join(f"{t.name}{t.get_shape()}{t.dtype.name}" for t in tensors))


def case_geometry_names_shapes(tf):
    x = tf.placeholder(tf.float32, [32, 32, 3])
    b = tf.placeholder(tf.float32, [None, 8, 6, 3])
    _names(
        tf.image.resize_image_with_crop_or_pad(x, 24, 40),
        tf.image.resize_with_crop_or_pad(b, 4, 9),
        tf.image.central_crop(x, 0.5),
        tf.image.central_crop(b, 0.3),
        tf.image.crop_to_bounding_box(x, 1, 2, 10, 11),
        tf.image.crop_to_bounding_box(b, 1, 2, 3, 4),
        tf.image.pad_to_bounding_box(x, 1, 2, 40, 41),
        tf.image.pad_to_bounding_box(b, 0, 1, 9, 9),
        tf.image.resize_image_with_pad(x, 20, 30),
        tf.image.transpose_image(x),
        tf.image.transpose_image(b),
        tf.image.rot90(x),
        tf.image.rot90(b, 3),
        tf.image.total_variation(x),
        tf.image.total_variation(b),
        *tf.image.image_gradients(b),
    )


def case_geometry_values(tf, show):
    x = tf.constant(_img([5, 6, 2]))
    b = tf.constant(_img([2, 4, 3, 1]))
    ts = [
        tf.image.resize_image_with_crop_or_pad(x, 3, 8),
        tf.image.resize_image_with_crop_or_pad(x, 8, 3),
        tf.image.resize_image_with_crop_or_pad(b, 2, 5),
        tf.image.central_crop(x, 0.5),
        tf.image.central_crop(b, 0.7),
        tf.image.crop_to_bounding_box(x, 1, 2, 3, 3),
        tf.image.pad_to_bounding_box(b, 1, 0, 6, 4),
        tf.image.resize_image_with_pad(x, 4, 4),
        tf.image.resize_image_with_pad(b, 5, 7, method=1),
        tf.image.transpose_image(b),
        tf.image.rot90(x, 1),
        tf.image.rot90(x, 2),
        tf.image.rot90(b, -1),
        tf.image.rot90(b, 4),
        tf.image.total_variation(x),
        tf.image.total_variation(b),
        *tf.image.image_gradients(b),
    ]
    with tf.Session() as sess:
        show(sess.run(ts))


def case_geometry_errors(tf, expect_error):
    x = tf.placeholder(tf.float32, [5, 6, 2])
    expect_error(lambda: tf.image.crop_to_bounding_box(x, 0, 0, 6, 6))
    expect_error(lambda: tf.image.crop_to_bounding_box(x, -1, 0, 2, 2))
    expect_error(lambda: tf.image.pad_to_bounding_box(x, 0, 0, 4, 8))
    expect_error(lambda: tf.image.resize_image_with_crop_or_pad(x, 0, 3))
    expect_error(lambda: tf.image.central_crop(x, 1.5))
    expect_error(lambda: tf.image.central_crop(x, 0.0))
    flat = tf.placeholder(tf.float32, [5, 6])
    expect_error(lambda: tf.image.crop_to_bounding_box(flat, 0, 0, 1, 1))
    expect_error(lambda: tf.image.total_variation(tf.placeholder(tf.float32, [5, 6])))
    expect_error(lambda: tf.image.image_gradients(x))


def case_bounding_box_tensor_offsets(tf, show):
    x = tf.constant(_img([5, 6, 2]))
    b = tf.placeholder(tf.float32, [None, None, None, 1])
    oh = tf.placeholder(tf.int32, [])
    ow = tf.placeholder(tf.int32, [])
    ts = [
        tf.image.crop_to_bounding_box(x, oh, ow, 2, 3),
        tf.image.crop_to_bounding_box(x, 1, 2, oh + 1, ow + 2),
        tf.image.pad_to_bounding_box(x, oh, ow, 9, 8),
        tf.image.crop_to_bounding_box(b, 1, 0, 2, 2),
        tf.image.pad_to_bounding_box(b, 1, ow, 6, 5),
    ]
    _names(*ts)
    feed = {oh: 2, ow: 1, b: _img([2, 4, 3, 1])}
    with tf.Session() as sess:
        show(sess.run(ts, feed))


def case_draw_bounding_boxes(tf, show):
    imgs = tf.constant(np.full([2, 6, 7, 3], 0.25, np.float32))
    boxes = tf.constant(
        np.array(
            [[[0.1, 0.2, 0.6, 0.9], [-0.3, 0.5, 0.5, 1.4], [0.7, 0.7, 0.2, 0.9]],
             [[0.0, 0.0, 1.0, 1.0], [1.2, 0.1, 1.5, 0.4], [0.33, 0.34, 0.66, 0.67]]],
            np.float32,
        )
    )  # fmt: skip
    gray = tf.constant(np.zeros([1, 4, 5, 1], np.float32))
    rgba = tf.constant(np.zeros([1, 4, 5, 4], np.float32))
    colors = tf.constant([[0.1, 0.2, 0.3, 0.4], [0.9, 0.8, 0.7, 0.6]])
    ts = [
        tf.image.draw_bounding_boxes(imgs, boxes),
        tf.image.draw_bounding_boxes(gray, boxes[:1], name="gray"),
        tf.image.draw_bounding_boxes(rgba, boxes[1:]),
        tf.image.draw_bounding_boxes(imgs, boxes, colors=colors),
    ]
    _names(*ts)
    with tf.Session() as sess:
        show(sess.run(ts))


def case_crop_or_pad_dynamic(tf, show, expect_error):
    x = tf.placeholder(tf.float32, [None, None, 2])
    b = tf.placeholder(tf.float32, [None, None, None, 1])
    th = tf.placeholder(tf.int32, [])
    ts = [
        tf.image.resize_image_with_crop_or_pad(x, 4, 3),
        tf.image.resize_image_with_crop_or_pad(tf.constant(_img([5, 6, 2])), th, 4),
        tf.image.resize_with_crop_or_pad(b, th, 5),
    ]
    _names(*ts)
    with tf.Session() as sess:
        show(sess.run(ts, {x: _img([5, 6, 2]), b: _img([2, 3, 4, 1]), th: 3}))
        show(sess.run(ts, {x: _img([2, 2, 2]), b: _img([1, 7, 2, 1]), th: 6}))
        expect_error(lambda: sess.run(ts[1], {th: 0}))


def case_central_crop_dynamic(tf, show):
    x = tf.placeholder(tf.float32, [None, None, 2])
    b = tf.placeholder(tf.float32, [2, None, 5, 1])
    cf = tf.placeholder(tf.float32, [])
    ts = [
        tf.image.central_crop(x, 0.875),
        tf.image.central_crop(b, 0.5),
        tf.image.central_crop(tf.constant(_img([7, 6, 2])), cf),
        tf.image.central_crop(tf.constant(_img([7, 6, 2])), tf.constant(0.6)),
    ]
    _names(*ts)
    with tf.Session() as sess:
        show(sess.run(ts, {x: _img([9, 8, 2]), b: _img([2, 6, 5, 1]), cf: 0.3}))


def case_sobel_edges(tf, show):
    x = tf.constant(np.random.RandomState(2).uniform(0, 1, (2, 5, 6, 3)).astype(np.float32))
    p = tf.placeholder(tf.float32, [None, None, None, 1])
    ts = [tf.image.sobel_edges(x), tf.image.sobel_edges(p)]
    _names(*ts)
    with tf.Session() as sess:
        show(sess.run(ts, {p: _img([1, 3, 4, 1])}))
