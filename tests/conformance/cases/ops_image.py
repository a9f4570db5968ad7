"""tf.image ops: TF1 resize sampling (no half-pixel offset; align_corners), names, shapes, dtypes
and errors; flips, per_image_standardization and convert_image_dtype."""

import numpy as np


def _img(tf, shape, dtype=np.float32):
    return tf.constant(((np.arange(np.prod(shape)) * 5 % 17) / 7.0).reshape(shape).astype(dtype))


def _names(*tensors):
    print(" ".join(f"{t.name}{t.get_shape()}{t.dtype.name}" for t in tensors))


def _run(tf, show, *tensors, feed=None):
    with tf.Session() as sess:
        show(sess.run(list(tensors), feed_dict=feed))


def case_resize_images_names_and_shapes(tf):
    x = tf.placeholder(tf.float32, [None, 4, 6, 3])
    ops = [
        tf.image.resize_images(x, [8, 12]),
        tf.image.resize_images(x, [3, 5], method=tf.image.ResizeMethod.NEAREST_NEIGHBOR),
        tf.image.resize_images(x, [3, 5], method=2),
        tf.image.resize_images(x, [2, 3], method=tf.image.ResizeMethod.AREA),
        tf.image.resize_images(tf.placeholder(tf.float32, [4, 6, 3]), [8, 12]),
        tf.image.resize_images(x, [8, 8], preserve_aspect_ratio=True),
        tf.image.resize_images(x, tf.placeholder(tf.int32, [2])),
        tf.image.resize(x, [5, 5], name="r"),
    ]
    _names(*ops)
    print([t.op.type for t in ops[:4]])


def case_resize_images_same_size_returns_input(tf):
    x = tf.placeholder(tf.float32, [None, 4, 6, 3])
    y = tf.image.resize_images(x, [4, 6])
    print(y is x, y.name)


def case_resize_legacy_ops_names(tf):
    x = tf.placeholder(tf.float32, [None, 4, 6, 3])
    ops = [
        tf.image.resize_bilinear(x, [8, 12]),
        tf.image.resize_nearest_neighbor(x, tf.constant([8, 12])),
        tf.image.resize_bicubic(x, [2, 3], align_corners=True),
        tf.image.resize_area(x, [2, 3]),
        tf.image.resize_bilinear(x, [3, 3], name="up"),
    ]
    _names(*ops)


def case_resize_bilinear_values(tf, show):
    x = _img(tf, [1, 3, 4, 2])
    ys = [
        tf.image.resize_bilinear(x, [5, 7]),
        tf.image.resize_bilinear(x, [5, 7], align_corners=True),
        tf.image.resize_bilinear(x, [2, 3]),
        tf.image.resize_bilinear(x, [5, 7], half_pixel_centers=True),
        tf.image.resize_images(x, [6, 5]),
    ]
    _run(tf, show, *ys)


def case_resize_nearest_values(tf, show):
    x = _img(tf, [1, 3, 4, 1])
    ys = [
        tf.image.resize_nearest_neighbor(x, [5, 7]),
        tf.image.resize_nearest_neighbor(x, [5, 7], align_corners=True),
        tf.image.resize_nearest_neighbor(x, [2, 3]),
        tf.image.resize_nearest_neighbor(x, [7, 9], half_pixel_centers=True),
        tf.image.resize_images(x, [6, 9], method=1, align_corners=True),
    ]
    _run(tf, show, *ys)


def case_resize_bicubic_and_area_values(tf, show):
    x = _img(tf, [1, 4, 5, 1])
    ys = [
        tf.image.resize_bicubic(x, [6, 7]),
        tf.image.resize_bicubic(x, [6, 7], align_corners=True),
        tf.image.resize_bicubic(x, [3, 3], half_pixel_centers=True),
        tf.image.resize_area(x, [2, 3]),
        tf.image.resize_area(x, [6, 7]),
        tf.image.resize_images(x, [3, 2], method=3, align_corners=True),
    ]
    _run(tf, show, *ys)


def case_resize_dtypes(tf, show):
    x = _img(tf, [1, 2, 2, 1], dtype=np.uint8)
    a = tf.image.resize_bilinear(x, [3, 3])
    b = tf.image.resize_nearest_neighbor(x, [3, 3])
    c = tf.image.resize_images(tf.cast(x, tf.float64), [3, 3])
    d = tf.image.resize_images(x, [3, 3], method=1)
    _names(a, b, c, d)
    _run(tf, show, a, b, c, d)


def case_resize_3d_and_dynamic_size(tf, show):
    x = _img(tf, [3, 4, 1])
    size = tf.placeholder(tf.int32, [2])
    y = tf.image.resize_images(x, size)
    _names(y)
    _run(tf, show, y, feed={size: [2, 5]})


def case_resize_errors(tf, expect_error):
    x = tf.zeros([1, 4, 4, 1])
    expect_error(lambda: tf.image.resize_images(x, [2, 2, 2]))
    expect_error(lambda: tf.image.resize_images(tf.zeros([4, 4]), [2, 2]))
    expect_error(lambda: tf.image.resize_images(tf.placeholder(tf.float32), [2, 2]))
    expect_error(lambda: tf.image.resize_images(x, [2, 2], method=7), message=False)
    expect_error(lambda: tf.image.resize_bilinear(tf.zeros([4, 4, 1]), [2, 2]), message=False)
    bad = tf.image.resize_bilinear(x, [2, 2], align_corners=True, half_pixel_centers=True)
    with tf.Session() as sess:
        expect_error(lambda: sess.run(bad), message=False)


def case_flips(tf, show):
    x3 = _img(tf, [2, 3, 1])
    x4 = _img(tf, [2, 2, 3, 1])
    ys = [tf.image.flip_left_right(x3), tf.image.flip_up_down(x3), tf.image.flip_left_right(x4),
          tf.image.flip_up_down(x4)]  # fmt: skip
    _names(*ys)
    _run(tf, show, *ys)


def case_per_image_standardization(tf, show):
    a = tf.image.per_image_standardization(_img(tf, [2, 3, 2]))
    b = tf.image.per_image_standardization(_img(tf, [2, 2, 2, 1], dtype=np.uint8))
    c = tf.image.per_image_standardization(tf.zeros([2, 2, 1]))
    _names(a, b, c)
    _run(tf, show, a, b, c)


def case_convert_image_dtype(tf, show):
    u8 = tf.constant(np.array([0, 1, 128, 255], np.uint8))
    f = tf.constant([0.0, 0.25, 0.5, 0.999, 1.0])
    ys = [
        tf.image.convert_image_dtype(u8, tf.float32),
        tf.image.convert_image_dtype(f, tf.uint8),
        tf.image.convert_image_dtype(u8, tf.int32),
        tf.image.convert_image_dtype(tf.constant([0, 2**20, 2**31 - 1]), tf.uint8),
        tf.image.convert_image_dtype(f, tf.float64),
        tf.image.convert_image_dtype(f, tf.float32),
        tf.image.convert_image_dtype(u8, tf.float32, name="img"),
    ]
    _names(*ys)
    _run(tf, show, *ys)
