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


def case_sample_distorted_bounding_box(tf, show):
    # TF's kernel with its Philox draws: attempts, rejection sampling, overlap tests, reruns.
    boxes = tf.constant([[[0.1, 0.2, 0.6, 0.7], [0.3, 0.3, 0.9, 0.95]]])
    outs = [
        tf.image.sample_distorted_bounding_box([224, 320, 3], boxes, seed=3, seed2=5),
        tf.image.sample_distorted_bounding_box(
            [37, 51, 3], boxes, seed=7, min_object_covered=0.5, aspect_ratio_range=[0.5, 2.0],
            area_range=[0.1, 0.9], max_attempts=10,
        ),
        tf.image.sample_distorted_bounding_box(
            tf.constant([100, 80, 3], tf.int64), tf.zeros([1, 0, 4]), seed=11,
            use_image_if_no_bounding_boxes=True, min_object_covered=0.0,
        ),
        tf.image.sample_distorted_bounding_box(
            [500, 375, 3], boxes, seed=1, seed2=2, min_object_covered=0.9,
            area_range=[0.9, 1.0], max_attempts=3, name="few",
        ),
    ]  # fmt: skip
    _names(*[t for o in outs for t in o])
    with tf.Session() as sess:
        for _ in range(3):
            show(sess.run(outs))


def case_sample_distorted_bounding_box_many_seeds(tf, show):
    size = tf.placeholder(tf.int32, [3])
    boxes = tf.placeholder(tf.float32, [1, None, 4])
    covered = tf.placeholder(tf.float32, [])
    outs = [
        tf.image.sample_distorted_bounding_box(
            size, boxes, seed=s, min_object_covered=covered, aspect_ratio_range=[0.3, 3.0],
            area_range=[0.01, 1.0], max_attempts=20,
        )[:2]
        for s in range(1, 13)
    ]  # fmt: skip
    rng = np.random.RandomState(5)
    with tf.Session() as sess:
        for h, w, cov in [(32, 32, 0.1), (299, 299, 0.5), (7, 1000, 0.3), (480, 640, 0.8)]:
            lo = rng.uniform(0, 0.5, size=(1, 3, 2))
            hi = lo + rng.uniform(0.05, 0.5, size=(1, 3, 2))
            bx = np.concatenate([lo, hi], axis=2)[:, :, [0, 1, 2, 3]].astype(np.float32)
            feed = {size: [h, w, 3], boxes: bx, covered: cov}
            show(sess.run(outs, feed))


def case_sample_distorted_bounding_box_errors(tf, expect_error):
    boxes = tf.constant([[[0.1, 0.2, 0.6, 0.7]]])
    bad = tf.constant([[[0.1, 0.2, 1.6, 0.7]]])
    none = tf.zeros([1, 0, 4])
    with tf.Session() as sess:
        expect_error(lambda: sess.run(tf.image.sample_distorted_bounding_box([9, 9, 3], bad, 1)))
        expect_error(lambda: sess.run(tf.image.sample_distorted_bounding_box([9, 9, 3], none, 1)))
        expect_error(
            lambda: sess.run(tf.image.sample_distorted_bounding_box([9, 9, 3], boxes, 1,
                                                                     area_range=[0.0, 1.0]))
        )  # fmt: skip
        expect_error(
            lambda: sess.run(tf.image.sample_distorted_bounding_box([9, 9, 3], boxes, 1,
                                                                     max_attempts=0))
        )  # fmt: skip
