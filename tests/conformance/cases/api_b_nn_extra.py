"""``tf.nn`` names TF 1.15 programs use that are built from other ops: ``relu_layer``,
``log_poisson_loss`` (with Stirling's term), ``normalize_moments``, ``sufficient_statistics``
(static and dynamic counts, shift, keepdims), ``batch_norm_with_global_normalization``,
``swish`` (values, op names, gradients for features and beta) and ``tf.nn.space_to_depth`` /
``depth_to_space``: op names, dtypes, static shapes, values, gradients and TF's errors."""

import numpy as np


def _names(tf):
    return [op.name for op in tf.get_default_graph().get_operations()]


def case_relu_layer(tf, show):
    x = tf.constant(np.arange(6, dtype=np.float32).reshape(2, 3) - 2.0)
    w = tf.constant(np.linspace(-1, 1, 12, dtype=np.float32).reshape(3, 4))
    b = tf.constant([0.1, -0.2, 0.3, 0.0])
    y = tf.nn.relu_layer(x, w, b)
    y2 = tf.nn.relu_layer(x, w, b, name="mine")
    print(y.name, y2.name, y.shape.as_list(), y.op.type)
    print(_names(tf))
    gx, gw = tf.gradients(tf.reduce_sum(y * y), [x, w])
    with tf.Session() as sess:
        show(sess.run([y, gx, gw]))


def case_log_poisson_loss(tf, show, expect_error):
    t = tf.constant([0.0, 0.5, 1.0, 2.0, 5.0])
    li = tf.constant([0.1, -0.3, 0.7, 1.2, 1.5])
    a = tf.nn.log_poisson_loss(t, li)
    b = tf.nn.log_poisson_loss(t, li, compute_full_loss=True, name="full")
    print(a.name, b.name, b.shape.as_list(), b.dtype.name)
    (g,) = tf.gradients(tf.reduce_sum(b), li)
    with tf.Session() as sess:
        show(sess.run([a, b, g]))
    expect_error(lambda: tf.nn.log_poisson_loss(tf.zeros([2]), tf.zeros([3])))


def case_normalize_moments(tf, show):
    counts = tf.constant(4.0)
    m_ss = tf.constant([2.0, 6.0])
    v_ss = tf.constant([3.0, 12.0])
    mean, var = tf.nn.normalize_moments(counts, m_ss, v_ss, None)
    mean2, var2 = tf.nn.normalize_moments(counts, m_ss, v_ss, tf.constant([1.0, 0.5]), name="n")
    print(mean.name, var.name, mean2.name, var2.name)
    with tf.Session() as sess:
        show(sess.run([mean, var, mean2, var2]))


def case_sufficient_statistics(tf, show, expect_error):
    xv = np.arange(24, dtype=np.float32).reshape(2, 3, 4) / 7.0
    x = tf.constant(xv)
    c, m, v, s = tf.nn.sufficient_statistics(x, [0, 2])
    print(c.name, c.op.type, m.name, v.name, s, m.shape.as_list())
    c2, m2, v2, s2 = tf.nn.sufficient_statistics(x, [-1], shift=0.5, keepdims=True, name="ss")
    print(c2.name, m2.name, m2.shape.as_list(), s2.name)
    p = tf.placeholder(tf.float32, [None, 4])
    c3, m3, v3, _ = tf.nn.sufficient_statistics(p, [0, -1])
    print(c3.name, c3.op.type, c3.shape.as_list(), m3.shape.as_list())
    mean, var = tf.nn.normalize_moments(c3, m3, v3, None)
    with tf.Session() as sess:
        show(sess.run([c, m, v, c2, m2, v2]))
        show(sess.run([c3, m3, v3, mean, var], {p: xv[0]}))
    expect_error(lambda: tf.nn.sufficient_statistics(x, [0], keep_dims=True, keepdims=True))


def case_batch_norm_with_global_normalization(tf, show, expect_error):
    x = tf.constant(np.arange(12, dtype=np.float32).reshape(3, 4) / 5.0)
    m = tf.constant([0.1, 0.2, 0.3, 0.4])
    v = tf.constant([1.0, 2.0, 0.5, 0.25])
    beta = tf.constant([0.0, 1.0, -1.0, 0.5])
    gamma = tf.constant([2.0, 1.0, 0.5, 3.0])
    y = tf.nn.batch_norm_with_global_normalization(x, m, v, beta, gamma, 0.001, True)
    y2 = tf.nn.batch_norm_with_global_normalization(
        input=x, mean=m, variance=v, beta=beta, gamma=gamma, variance_epsilon=0.01,
        scale_after_normalization=False, name="bn2")  # fmt: skip
    print(y.name, y2.name, y.shape.as_list())
    with tf.Session() as sess:
        show(sess.run([y, y2]))
    expect_error(lambda: tf.nn.batch_norm_with_global_normalization(
        x, m, v, beta, gamma, 0.001, True, input=x))  # fmt: skip


def case_swish(tf, show):
    x = tf.constant([-3.0, -0.5, 0.0, 0.7, 2.5])
    y = tf.nn.swish(x)
    print(y.name, y.shape.as_list(), y.dtype.name)
    print(_names(tf)[:5])  # scopeflow builds the gradient function's ops here too
    (g,) = tf.gradients(tf.reduce_sum(y * y), x)
    beta = tf.constant(1.7)
    y2 = tf.nn.swish(x, beta)
    gx2, gb = tf.gradients(tf.reduce_sum(y2), [x, beta])
    with tf.Session() as sess:
        show(sess.run([y, g, y2, gx2, gb]))


def case_swish_float64_and_placeholder(tf, show):
    p = tf.placeholder(tf.float64, [None, 2])
    y = tf.nn.swish(p)
    print(y.shape.as_list(), y.dtype.name)
    (g,) = tf.gradients(y, p)
    with tf.Session() as sess:
        show(sess.run([y, g], {p: [[1.0, -2.0], [0.25, 4.0]]}))


def case_nn_space_depth(tf, show):
    x = tf.constant(np.arange(32, dtype=np.float32).reshape(1, 4, 4, 2))
    s = tf.nn.space_to_depth(x, 2)
    d = tf.nn.depth_to_space(s, 2, name="back")
    print(s.name, s.shape.as_list(), d.name, d.shape.as_list())
    with tf.Session() as sess:
        sv, dv = sess.run([s, d])
        show(sv)
        print(bool((dv == sess.run(x)).all()))


def case_lrn(tf, show, expect_error):
    xv = (np.arange(2 * 3 * 2 * 9, dtype=np.float32).reshape(2, 3, 2, 9) % 7 - 3.0) / 2.0
    x = tf.constant(xv)
    y = tf.nn.lrn(x)
    y1 = tf.nn.local_response_normalization(x, depth_radius=2, bias=2.0, alpha=0.1, beta=1.0)
    y2 = tf.nn.lrn(x, 1, 0.5, 0.3, 0.75, name="mine")
    print(y.name, y.op.type, y.shape.as_list(), y1.name, y2.name)
    print(sorted((k, y2.op.get_attr(k)) for k in ("depth_radius", "bias", "alpha", "beta")))
    gs = tf.gradients(tf.reduce_sum(y * y) + tf.reduce_sum(y1) + tf.reduce_sum(y2 * x), x)
    with tf.Session() as sess:
        show(sess.run([y, y1, y2, gs[0]]))
    p = tf.placeholder(tf.float32, [None, 2, 2, 4])
    print(tf.nn.lrn(p).shape.as_list(), tf.nn.lrn(tf.placeholder(tf.float32)).shape.as_list())
    h = tf.nn.lrn(tf.constant(xv, tf.float16), 2)
    with tf.Session() as sess:
        show(sess.run(h)[0, 0])
    expect_error(lambda: tf.nn.lrn(tf.constant(xv, tf.float64)))
    expect_error(lambda: tf.nn.lrn(tf.zeros([2, 3, 4])), message=False)
