"""tf.image colour ops: adjust_brightness/contrast/saturation/hue/gamma, grayscale, HSV, YUV
and convert_image_dtype(saturate=True): names, static shapes, dtypes, values and errors."""

import numpy as np


def _rgb(shape, seed=0):
    rng = np.random.RandomState(seed)
    return rng.uniform(0.0, 1.0, size=shape).astype(np.float32)


def _u8(shape, seed=1):
    return np.random.RandomState(seed).randint(0, 256, size=shape).astype(np.uint8)


def _names(*tensors):
    print(" ".join(f"{t.name}{t.get_shape()}{t.dtype.name}" for t in tensors))


def case_adjust_names_shapes(tf):
    x = tf.placeholder(tf.float32, [None, 8, 8, 3])
    u = tf.placeholder(tf.uint8, [8, 8, 3])
    _names(
        tf.image.adjust_brightness(x, 0.1),
        tf.image.adjust_brightness(u, 0.1),
        tf.image.adjust_contrast(x, 0.5),
        tf.image.adjust_contrast(u, 2.0),
        tf.image.adjust_saturation(x, 0.5),
        tf.image.adjust_saturation(u, 0.5, name="sat"),
        tf.image.adjust_hue(x, 0.1),
        tf.image.adjust_hue(u, -0.3),
        tf.image.adjust_gamma(x, 2.0),
        tf.image.adjust_gamma(u, 0.5, 2.0),
    )


def case_adjust_values_float(tf, show):
    x = tf.constant(_rgb([2, 5, 4, 3]))
    ts = [
        tf.image.adjust_brightness(x, 0.25),
        tf.image.adjust_contrast(x, 1.7),
        tf.image.adjust_contrast(x, 0.3),
        tf.image.adjust_saturation(x, 0.4),
        tf.image.adjust_saturation(x, 2.5),
        tf.image.adjust_hue(x, 0.2),
        tf.image.adjust_hue(x, -0.45),
        tf.image.adjust_gamma(x, 2.2, 0.9),
    ]
    with tf.Session() as sess:
        show(sess.run(ts))


def case_adjust_values_uint8(tf, show):
    x = tf.constant(_u8([6, 5, 3]))
    ts = [
        tf.image.adjust_brightness(x, 0.2),
        tf.image.adjust_brightness(x, -0.3),
        tf.image.adjust_contrast(x, 1.8),
        tf.image.adjust_saturation(x, 0.5),
        tf.image.adjust_hue(x, 0.3),
        tf.image.adjust_gamma(x, 0.7),
    ]
    with tf.Session() as sess:
        show(sess.run(ts))


def case_adjust_gray_and_saturated_pixels(tf, show):
    # Equal channels (zero chroma), pure primaries and black pixels: TF's special cases.
    px = np.array(
        [[[0.5, 0.5, 0.5], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]],
         [[0.0, 0.0, 0.0], [1.0, 1.0, 0.0], [0.2, 0.9, 0.9], [0.3, 0.3, 0.8]]],
        dtype=np.float32,
    )  # fmt: skip
    x = tf.constant(px)
    ts = [tf.image.adjust_hue(x, d) for d in (0.0, 0.5, -0.25, 1.0 / 6.0)]
    ts += [tf.image.adjust_saturation(x, s) for s in (0.0, 0.5, 3.0)]
    ts += [tf.image.rgb_to_hsv(x), tf.image.hsv_to_rgb(tf.image.rgb_to_hsv(x))]
    with tf.Session() as sess:
        show(sess.run(ts))


def case_colorspaces(tf, show):
    x = tf.constant(_rgb([2, 3, 4, 3], 3))
    ts = [
        tf.image.rgb_to_grayscale(x),
        tf.image.grayscale_to_rgb(tf.image.rgb_to_grayscale(x)),
        tf.image.rgb_to_hsv(x),
        tf.image.hsv_to_rgb(x),
        tf.image.rgb_to_yuv(x),
        tf.image.yuv_to_rgb(x),
        tf.image.rgb_to_yiq(x),
        tf.image.yiq_to_rgb(x),
        tf.image.rgb_to_grayscale(tf.constant(_u8([3, 4, 3]))),
    ]
    _names(*ts)
    with tf.Session() as sess:
        show(sess.run(ts))


def case_convert_image_dtype_saturate(tf, show):
    f = tf.constant(np.array([-0.5, 0.0, 0.3, 0.999, 1.0, 1.7], np.float32))
    i = tf.constant(np.array([-5, 0, 7, 127], np.int8))
    ts = [
        tf.image.convert_image_dtype(f, tf.uint8, saturate=True),
        tf.image.convert_image_dtype(f, tf.int16, saturate=True),
        tf.image.convert_image_dtype(i, tf.uint8, saturate=True),
        tf.image.convert_image_dtype(i, tf.int32, saturate=True),
        tf.image.convert_image_dtype(tf.constant([1000, 70000], tf.int32), tf.uint8, saturate=True),
    ]
    _names(*ts)
    with tf.Session() as sess:
        show(sess.run(ts))


def case_colour_errors(tf, expect_error):
    x = tf.placeholder(tf.float32, [8, 8, 3])
    expect_error(lambda: tf.image.random_hue(x, 0.6))
    expect_error(lambda: tf.image.random_hue(x, -0.1))
    expect_error(lambda: tf.image.random_brightness(x, -1.0))
    expect_error(lambda: tf.image.random_contrast(x, 0.5, 0.5))
    expect_error(lambda: tf.image.random_saturation(x, -0.5, 0.5))
    expect_error(lambda: tf.image.adjust_gamma(x, -1.0))
    expect_error(lambda: tf.image.grayscale_to_rgb(tf.placeholder(tf.float32, [4, 4, 2])))
    expect_error(lambda: tf.image.grayscale_to_rgb(tf.placeholder(tf.float32, [4])))


def case_psnr(tf, show, expect_error):
    a = tf.constant(_rgb([2, 4, 5, 3], 1))
    b = tf.constant(_rgb([2, 4, 5, 3], 2))
    u1, u2 = tf.constant(_u8([4, 5, 3], 3)), tf.constant(_u8([4, 5, 3], 4))
    ts = [tf.image.psnr(a, b, 1.0), tf.image.psnr(a, b, 2.0, name="p"), tf.image.psnr(u1, u2, 255)]
    _names(*ts)
    with tf.Session() as sess:
        show(sess.run(ts))
    expect_error(lambda: tf.image.psnr(a, tf.constant(_rgb([2, 4, 4, 3])), 1.0))
    expect_error(lambda: tf.image.psnr(a, tf.constant(_rgb([3, 4, 5, 3])), 1.0))
    p = tf.placeholder(tf.float32, [None, None, None])
    with tf.Session() as sess:
        expect_error(lambda: sess.run(tf.image.psnr(p, p[:1], 1.0), {p: _rgb([3, 3, 3])}))


def case_ssim(tf, show, expect_error):
    r = np.random.RandomState(0)
    a = r.uniform(0, 1, (2, 16, 17, 3)).astype(np.float32)
    b = (a * 0.7 + r.uniform(0, 0.3, a.shape)).astype(np.float32)
    u1, u2 = _u8([13, 12, 1], 5), _u8([13, 12, 1], 6)
    ts = [
        tf.image.ssim(tf.constant(a), tf.constant(b), 1.0),
        tf.image.ssim(tf.constant(a), tf.constant(a), 1.0),
        tf.image.ssim(tf.constant(u1), tf.constant(u2), 255, filter_size=5, filter_sigma=1.0),
    ]
    _names(*ts)
    with tf.Session() as sess:
        show(sess.run(ts))
        small = tf.placeholder(tf.float32, [None, None, 1])
        expect_error(lambda: sess.run(tf.image.ssim(small, small, 1.0),
                                      {small: np.zeros([5, 5, 1], np.float32)}))  # fmt: skip
