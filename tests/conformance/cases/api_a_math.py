"""TF 1.15 tf.math functions missing from the first API comparison (apia, group 2): op types
and names, dtypes, values, gradients and TF's errors."""

import numpy as np


def _desc(t):
    print(t.name, t.op.type, t.dtype.name, t.shape)


def case_unary_special(tf, show, expect_error):
    x = tf.constant([0.1, 0.5, 0.9], name="x")
    big = tf.constant([1.5, 2.0, 3.0], name="big")
    outs = [tf.math.acosh(big), tf.math.asinh(x), tf.math.atanh(x), tf.acosh(big, name="ac"),
            tf.asinh(x), tf.atanh(x), tf.math.erfinv(x), tf.math.ndtri(x),
            tf.math.bessel_i0(x), tf.math.bessel_i0e(x), tf.math.bessel_i1(x),
            tf.math.bessel_i1e(x)]  # fmt: skip
    for t in outs:
        _desc(t)
    with tf.Session() as sess:
        show(sess.run(outs))
        show(sess.run(tf.gradients([tf.reduce_sum(t) for t in outs], [x, big])))
    expect_error(lambda: tf.math.asinh(tf.constant([1, 2])))
    expect_error(lambda: tf.math.erfinv(tf.constant([1, 2])))


def case_binary_special(tf, show):
    a = tf.constant([0.5, 1.0, 2.0], name="a")
    x = tf.constant([0.0, 1.5, 3.0], name="x")
    outs = [tf.math.xdivy(x, a), tf.math.xlogy(x, a), tf.math.xlog1py(x, a),
            tf.math.igamma(a, x), tf.math.igammac(a, x), tf.igamma(a, x, name="ig"),
            tf.math.zeta(a + 1.5, x + 1.0), tf.math.polygamma(tf.constant([0.0, 1.0, 2.0]), a),
            tf.math.nextafter(a, x), tf.math.multiply_no_nan(tf.constant([np.inf, 2.0, 3.0]), x),
            tf.math.divide_no_nan(a, x), tf.math.reciprocal_no_nan(x)]  # fmt: skip
    for t in outs:
        _desc(t)
    with tf.Session() as sess:
        show(sess.run(outs))
        show(sess.run(tf.gradients([tf.reduce_sum(t) for t in outs[:3]], [x, a])))
        show(sess.run(tf.gradients(tf.reduce_sum(outs[3] + outs[4]), x)))
        show(sess.run(tf.gradients(tf.reduce_sum(outs[9]), x)))
        show(sess.run(tf.gradients(tf.reduce_sum(tf.math.xlogy(tf.zeros([2]), a[:2])), a)))


def case_composites(tf, show):
    x = tf.constant([[1.0, 2.0, 4.0], [3.0, 5.0, 7.0]], name="x")
    lb = tf.math.lbeta(x)
    print(lb.name, lb.shape)
    ls = tf.math.log_sigmoid(x)
    print(ls.name, ls.op.type, ls.shape)
    rs = tf.math.reduce_std(x)
    print(rs.name, rs.shape)
    rv = tf.math.reduce_variance(x, axis=1, keepdims=True, name="var")
    print(rv.name, rv.shape)
    en = tf.math.reduce_euclidean_norm(x, axis=0)
    _desc(en)
    en2 = tf.math.reduce_euclidean_norm(tf.constant([[3, 4], [5, 12]]), 1, keepdims=True)
    _desc(en2)
    cl = tf.math.cumulative_logsumexp(x, axis=1)
    _desc(cl)
    cl2 = tf.math.cumulative_logsumexp(x, axis=1, exclusive=True, reverse=True, name="cls")
    pv = tf.math.polyval([1.0, 2.0, 3.0], tf.constant([0.5, 2.0]))
    print(pv.name, pv.shape)
    outs = [lb, ls, rs, rv, en, en2, cl, cl2, pv]
    with tf.Session() as sess:
        show(sess.run(outs))
        show(sess.run(tf.gradients([tf.reduce_sum(t) for t in (lb, ls, rs, rv, en, cl)], x)))
        show(sess.run(tf.math.lbeta(tf.constant([[0.5, 0.5]]))))


def case_aliases(tf, show):
    x = tf.constant([[1.0, -2.0, 3.0]], name="x")
    outs = [tf.math.l2_normalize(x, axis=1), tf.math.softmax(x), tf.math.softplus(x),
            tf.math.softsign(x), tf.math.log_softmax(x),
            tf.cast(tf.math.in_top_k(x, [2], 1), tf.int32),
            tf.cast(tf.math.is_non_decreasing([1, 2, 2]), tf.int32),
            tf.cast(tf.math.is_strictly_increasing([1, 2, 2]), tf.int32),
            tf.math.zero_fraction(x)]  # fmt: skip
    for t in outs[1:5]:
        _desc(t)
    with tf.Session() as sess:
        show(sess.run(outs))


def case_complex(tf, show, expect_error):
    re = tf.constant([1.0, -2.0], name="re")
    im = tf.constant([0.5, 3.0], name="im")
    c = tf.complex(re, im)
    _desc(c)
    outs = [tf.math.real(c), tf.math.imag(c), tf.math.conj(c), tf.math.angle(c), tf.real(c),
            tf.imag(c, name="im2"), tf.conj(re), tf.math.angle(re), tf.math.real(re)]  # fmt: skip
    for t in outs:
        _desc(t)
    c64 = tf.complex(tf.constant([1.0], tf.float64), tf.constant([2.0], tf.float64))
    _desc(c64)
    with tf.Session() as sess:
        show(sess.run([c, c64, *outs]))
        show(
            sess.run(tf.gradients(tf.reduce_sum(tf.math.real(c) * 2.0 + tf.math.imag(c)), [re, im]))
        )
    expect_error(lambda: tf.complex(re, tf.constant([1.0], tf.float64)))
    expect_error(lambda: tf.math.real(tf.constant([1, 2])))


def case_betainc_to_complex(tf, show, expect_error):
    a = tf.constant([0.5, 1.0, 2.0, 5.0], name="a")
    b = tf.constant([0.5, 2.0, 3.0, 1.5], name="b")
    x = tf.constant([0.2, 0.5, 0.9, 0.7], name="x")
    y = tf.math.betainc(a, b, x)
    _desc(y)
    y2 = tf.betainc(2.0, 3.0, x, name="bi")
    _desc(y2)
    y3 = tf.betainc(a, b, tf.constant([0.0, 1.0, 1.5, -0.1]))
    c = tf.to_complex64([1.0, 2.0])
    _desc(c)
    c2 = tf.to_complex128([1.0], name="tc")
    _desc(c2)
    with tf.Session() as sess:
        show(sess.run([y, y2, y3, c, c2]))
        show(sess.run(tf.gradients(tf.reduce_sum(y), x)))
        print(tf.gradients(tf.reduce_sum(y), [a, b]))
        z = tf.math.zeta(a + 1.5, x)
        pg = tf.math.polygamma(tf.constant([1.0, 1.0, 2.0, 0.0]), a)
        print([g is None for g in tf.gradients(tf.reduce_sum(z), [a, x])])
        print([g is None for g in tf.gradients(tf.reduce_sum(pg), [a])])
        show(sess.run(tf.gradients(tf.reduce_sum(z), x)))
    expect_error(lambda: tf.betainc(a, b, tf.ones([2])))
    expect_error(lambda: tf.betainc(tf.constant([1, 2]), [1, 2], [1, 2]))
