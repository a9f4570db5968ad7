"""Seeded random values, which must be TF's own numbers: random_uniform/normal/truncated_normal
and integer uniform across dtypes and shapes, repeated runs in one session and a new session,
graph-seed-only and op-seed-only programs, initializers, shuffle, multinomial, crop, dropout."""

import numpy as np


def _show6(show, *values):
    show(*values, decimals=6)


def case_uniform_runs_and_sessions(tf, show):
    tf.set_random_seed(1)
    x = tf.random_uniform([5])
    y = tf.random_uniform([3, 3], -2.0, 5.0)
    with tf.Session() as sess:
        _show6(show, sess.run(x), sess.run(y))
        _show6(show, sess.run([x, y]))
    with tf.Session() as sess:
        _show6(show, sess.run(x))


def case_uniform_dtypes_odd_sizes(tf, show):
    tf.set_random_seed(7)
    ts = [
        tf.random_uniform([7], dtype=tf.float64),
        tf.random_uniform([2, 3], dtype=tf.float16),
        tf.cast(tf.random_uniform([5], dtype=tf.bfloat16), tf.float32),
        tf.random_uniform([1]),
        tf.random_uniform([0, 4]),
        tf.random_uniform([], 3.0, 4.0),
    ]
    with tf.Session() as sess:
        _show6(show, sess.run(ts))


def case_normal_dtypes(tf, show):
    tf.set_random_seed(3)
    ts = [
        tf.random_normal([6]),
        tf.random_normal([2, 3], mean=1.0, stddev=0.5),
        tf.random_normal([5], dtype=tf.float64),
        tf.random_normal([3], dtype=tf.float16),
        tf.cast(tf.random_normal([3], dtype=tf.bfloat16), tf.float32),
    ]
    with tf.Session() as sess:
        _show6(show, sess.run(ts))
        _show6(show, sess.run(ts[0]))


def case_truncated_normal_dtypes(tf, show):
    tf.set_random_seed(5)
    t = tf.truncated_normal([2, 7], stddev=2.0)
    ts = [
        t,
        tf.truncated_normal([5], dtype=tf.float64),
        tf.truncated_normal([6], dtype=tf.float16),
    ]
    with tf.Session() as sess:
        a = sess.run(ts)
        _show6(show, a, sess.run(t))
        print(bool(np.all(np.abs(a[0]) < 4.0)))


def case_truncated_normal_large(tf, show):
    tf.set_random_seed(11)
    t = tf.truncated_normal([1000])
    with tf.Session() as sess:
        v = sess.run(t)
    _show6(show, v[:5], v[-5:], float(v.sum()), float(np.abs(v).max()))


def case_uniform_int(tf, show):
    tf.set_random_seed(2)
    ts = [
        tf.random_uniform([9], 0, 10, dtype=tf.int32),
        tf.random_uniform([2, 3], -100, -50, dtype=tf.int32),
        tf.random_uniform([5], -(2**31), 2**31 - 1, dtype=tf.int32),
        tf.random_uniform([5], 0, 2**40, dtype=tf.int64),
        tf.random_uniform([3], -7, 3, dtype=tf.int64),
    ]
    with tf.Session() as sess:
        show(sess.run(ts))
        show(sess.run(ts[0]))


def case_uniform_int_bad_range(tf, expect_error):
    x = tf.random_uniform([3], 5, 5, dtype=tf.int32, seed=1)
    with tf.Session() as sess:
        expect_error(lambda: sess.run(x))


def case_op_seed_only(tf, show):
    a = tf.random_uniform([4], seed=42)
    b = tf.random_normal([4], seed=42)
    c = tf.truncated_normal([4], seed=0)
    with tf.Session() as sess:
        _show6(show, sess.run([a, b, c]))


def case_graph_seed_only_get_seed(tf, show):
    tf.set_random_seed(1234)
    tf.constant(1.0)
    a = tf.random_uniform([3])
    tf.constant(2.0)
    b = tf.random_uniform([3])
    with tf.Session() as sess:
        _show6(show, sess.run([a, b]))


def case_get_variable_default_initializer(tf, show):
    tf.set_random_seed(1)
    w = tf.get_variable("w", [3, 4])
    b = tf.get_variable("b", [5], dtype=tf.float64)
    with tf.variable_scope("layer"):
        k = tf.get_variable("kernel", [2, 2, 3, 2])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        _show6(show, sess.run([w, b, k]))


def case_initializers_with_seed(tf, show):
    v1 = tf.get_variable("v1", [2, 3], initializer=tf.random_normal_initializer(seed=3))
    v2 = tf.get_variable("v2", [4], initializer=tf.truncated_normal_initializer(0.5, 2.0, seed=4))
    v3 = tf.get_variable("v3", [3, 2], initializer=tf.random_uniform_initializer(-1, 1, seed=5))
    v4 = tf.get_variable(
        "v4", [3, 5], initializer=tf.variance_scaling_initializer(2.0, "fan_in", seed=6)
    )
    v5 = tf.get_variable("v5", [4, 3], initializer=tf.glorot_normal_initializer(seed=7))
    v6 = tf.get_variable("v6", [2, 2], tf.float16, tf.glorot_uniform_initializer(seed=8))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        _show6(show, sess.run([v1, v2, v3, v4, v5, v6]))


def case_orthogonal_initializer(tf, show):
    v = tf.get_variable("q", [4, 3], initializer=tf.orthogonal_initializer(seed=2))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(sess.run(v), decimals=5)


def case_shuffle_multinomial_crop(tf, show):
    s = tf.random_shuffle(tf.range(10), seed=5)
    s2 = tf.random_shuffle(tf.reshape(tf.range(12), [4, 3]), seed=6)
    m = tf.multinomial(tf.constant([[0.0, 1.0, 2.0], [2.0, -1.0, 0.5]]), 6, seed=4)
    c = tf.random_crop(tf.reshape(tf.range(20), [4, 5]), [2, 3], seed=7)
    with tf.Session() as sess:
        show(sess.run([s, s2, m, c]))
        show(sess.run([s, m]))


def case_dropout_seeded(tf, show):
    x = tf.ones([2, 5])
    d = tf.nn.dropout(x, keep_prob=0.5, seed=3)
    with tf.Session() as sess:
        show(sess.run(d), sess.run(d))


def case_multinomial_run_errors(tf, expect_error, show):
    p = tf.placeholder(tf.float32, [None, None])
    n = tf.placeholder(tf.int32, [])
    m = tf.multinomial(p, n, seed=1)
    with tf.Session() as sess:
        expect_error(lambda: sess.run(m, {p: [[1.0, 2.0]], n: -1}))
        expect_error(lambda: sess.run(m, {p: [[], []], n: 2}))
        show(sess.run(m, {p: [[1.0, 2.0]], n: 0}).shape)
