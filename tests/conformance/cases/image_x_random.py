"""tf.image random augmentation with graph and op seeds: TF's exact values (flips 3-D and per
image of a 4-D batch, brightness, contrast, saturation, hue, random_crop), names and shapes."""

import numpy as np


def _rgb(shape, seed=0):
    return np.random.RandomState(seed).uniform(0.0, 1.0, size=shape).astype(np.float32)


def _names(*tensors):
    print(" ".join(f"{t.name}{t.get_shape()}{t.dtype.name}" for t in tensors))


def case_random_names_shapes(tf):
    x = tf.placeholder(tf.float32, [32, 32, 3])
    b = tf.placeholder(tf.float32, [None, 8, 8, 3])
    _names(
        tf.image.random_flip_left_right(x),
        tf.image.random_flip_left_right(b),
        tf.image.random_flip_up_down(x, seed=3),
        tf.image.random_flip_up_down(b),
        tf.image.random_brightness(x, 63),
        tf.image.random_contrast(x, 0.2, 1.8),
        tf.image.random_saturation(x, 0.5, 1.5),
        tf.image.random_hue(x, 0.2),
        tf.image.random_crop(x, [24, 24, 3]),
    )
    # random_crop is one fused op in scopeflow (see tf.random_crop); its scope is the same.
    ops = tf.get_default_graph().get_operations()
    print([op.name for op in ops if "Random" in op.type and not op.name.startswith("random_crop")])


def case_random_flips_graph_seed(tf, show):
    tf.set_random_seed(5)
    x = tf.constant(np.arange(2 * 3 * 1, dtype=np.float32).reshape(2, 3, 1))
    b = tf.constant(np.arange(6 * 2 * 3 * 1, dtype=np.float32).reshape(6, 2, 3, 1))
    ts = [
        tf.image.random_flip_left_right(x),
        tf.image.random_flip_up_down(x),
        tf.image.random_flip_left_right(b),
        tf.image.random_flip_up_down(b, seed=9),
    ]
    with tf.Session() as sess:
        for _ in range(4):
            show(sess.run(ts))


def case_random_colour_op_seeds(tf, show):
    x = tf.constant(_rgb([4, 5, 3]))
    ts = [
        tf.image.random_brightness(x, 0.3, seed=1),
        tf.image.random_contrast(x, 0.2, 1.8, seed=2),
        tf.image.random_saturation(x, 0.5, 1.5, seed=3),
        tf.image.random_hue(x, 0.2, seed=4),
    ]
    with tf.Session() as sess:
        show(sess.run(ts))
        show(sess.run(ts))


def case_cifar10_distortions(tf, show):
    # The CIFAR-10 tutorial's distorted_inputs chain on one 32x32 image, graph seed only.
    tf.set_random_seed(1234)
    img = tf.constant(np.random.RandomState(7).randint(0, 256, [32, 32, 3]).astype(np.float32))
    d = tf.random_crop(img, [24, 24, 3])
    d = tf.image.random_flip_left_right(d)
    d = tf.image.random_brightness(d, max_delta=63)
    d = tf.image.random_contrast(d, lower=0.2, upper=1.8)
    f = tf.image.per_image_standardization(d)
    e = tf.image.per_image_standardization(tf.image.resize_image_with_crop_or_pad(img, 24, 24))
    _names(d, f, e)
    with tf.Session() as sess:
        for _ in range(2):
            show(sess.run([f, e]))
