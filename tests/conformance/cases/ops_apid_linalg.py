"""tf.linalg.expm (TF 1.15's scaling-and-squaring Pade method): scope, static shapes, values
for every Pade order and with squarings, float32/float64/complex64, batches, unknown shapes,
gradients, errors."""

import numpy as np


def _mats():
    rng = np.random.RandomState(3)
    base = rng.randn(4, 3, 3)
    scales = np.array([0.05, 0.5, 1.5, 6.0]).reshape(4, 1, 1)
    return base * scales


def case_expm_values(tf, show):
    m = _mats()
    e32 = tf.linalg.expm(tf.constant(m, tf.float32))
    e64 = tf.linalg.expm(tf.constant(m, tf.float64), name="e64")
    m64 = np.concatenate([m, m[:1] * 0.2, m[:1] * 20.0], 0)
    e64b = tf.linalg.expm(tf.constant(m64, tf.float64))
    ec = tf.linalg.expm(tf.complex(tf.constant(m[1], tf.float32), tf.constant(m[2], tf.float32)))
    e2 = tf.linalg.expm(tf.constant(m.reshape(2, 2, 3, 3), tf.float32))
    z = tf.linalg.expm(tf.zeros([2, 0, 0]))
    for t in (e32, e64, e64b, ec, e2, z):
        print(t.name.split("/")[0], t.shape, t.dtype.name)
    with tf.Session() as sess:
        r32, r64, r64b, rc, r2 = sess.run([e32, e64, e64b, ec, e2])
    show(r32 / np.maximum(1.0, np.abs(r32).max(axis=(1, 2), keepdims=True)), decimals=4)
    show(r64 / np.maximum(1.0, np.abs(r64).max(axis=(1, 2), keepdims=True)), decimals=6)
    show(r64b / np.maximum(1.0, np.abs(r64b).max(axis=(1, 2), keepdims=True)), decimals=6)
    show(rc, decimals=3)
    show(r2 / np.maximum(1.0, np.abs(r2).max(axis=(2, 3), keepdims=True)), decimals=4)


def case_expm_unknown_shapes(tf, show):
    p = tf.placeholder(tf.float32, [None, 2, 2])
    q = tf.placeholder(tf.float64)
    ep, eq = tf.linalg.expm(p), tf.linalg.expm(q)
    print(ep.shape, eq.shape)
    with tf.Session() as sess:
        show(sess.run(ep, {p: [[[0.0, 1.0], [-1.0, 0.0]], [[1.0, 0.0], [0.0, 2.0]]]}))
        show(sess.run(eq, {q: [[[[0.0, 3.0], [0.0, 0.0]]]]}))


def case_expm_gradients(tf, show):
    x = tf.constant(_mats()[1:3], tf.float32)
    e = tf.linalg.expm(x)
    g = tf.gradients(tf.reduce_sum(e * tf.constant([[1.0, 2.0, 0.0]] * 3)), x)[0]
    y = tf.constant(_mats()[3], tf.float64)
    gy = tf.gradients(tf.reduce_sum(tf.linalg.expm(y)), y)[0]
    with tf.Session() as sess:
        rg, rgy = sess.run([g, gy])
    show(rg, decimals=3)
    show(rgy / np.abs(rgy).max(), decimals=5)


def case_expm_errors(tf, expect_error):
    expect_error(lambda: tf.linalg.expm(tf.constant([[1, 2], [3, 4]])))
