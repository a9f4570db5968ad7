"""``tf.nn.dilation2d`` / ``tf.nn.erosion2d`` (``Dilation2D``) against TF, gradients included."""

import numpy as np


def case_dilation_and_erosion(tf, expect_error):
    rng = np.random.RandomState(5)
    x = tf.constant(rng.randn(2, 5, 6, 3).astype(np.float32))
    k = tf.constant(rng.randn(2, 3, 3).astype(np.float32) * 0.5)
    outs = [
        tf.nn.dilation2d(x, k, [1, 1, 1, 1], [1, 1, 1, 1], "VALID"),
        tf.nn.dilation2d(x, k, [1, 2, 1, 1], [1, 1, 2, 1], "SAME", name="d2"),
        tf.nn.erosion2d(x, k, [1, 1, 2, 1], [1, 2, 1, 1], "SAME"),
    ]
    print([(o.name, o.shape) for o in outs])
    grads = tf.gradients([tf.reduce_sum(o * o) for o in outs], [x, k])
    with tf.Session() as sess:
        for v in sess.run(outs + grads):
            print(np.round(v, 3).reshape(-1)[:40].tolist(), np.round(float(np.sum(v)), 2))
    expect_error(lambda: tf.nn.dilation2d(x, k, [1, 1, 1, 1], [1, 1, 1, 1], "FULL"))


def case_dilation_ties_and_empty_windows(tf, expect_error):
    x = tf.constant(np.array([[[[1.0], [1.0], [1.0]], [[1.0], [1.0], [1.0]]]], np.float32))
    k = tf.zeros([2, 2, 1])
    y = tf.nn.dilation2d(x, k, [1, 1, 1, 1], [1, 3, 3, 1], "SAME")
    g = tf.gradients(tf.reduce_sum(y), x)[0]
    i = tf.nn.dilation2d(tf.constant([[[[3], [1]], [[2], [7]]]]), tf.constant([[[1], [0]]]),
                         [1, 1, 1, 1], [1, 1, 1, 1], "SAME")  # fmt: skip
    with tf.Session() as sess:
        print(sess.run(y).tolist(), sess.run(g).tolist(), sess.run(i).tolist(), i.dtype.name)
