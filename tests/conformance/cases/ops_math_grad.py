"""Gradients of math ops (``tf.gradients``): TF's tie rules and edge values."""

import numpy as np


def _show_grads(tf, show, ys, xs, feed=None):
    grads = tf.gradients(ys, xs)
    print(["None" if g is None else g.dtype.name for g in grads])
    with tf.Session() as sess:
        show(sess.run([g for g in grads if g is not None], feed))


def case_grad_maximum_minimum_ties(tf, show):
    x = tf.constant([1.0, 2.0, 3.0])
    y = tf.constant([1.0, 3.0, 2.0])
    _show_grads(tf, show, tf.maximum(x, y), [x, y])
    _show_grads(tf, show, tf.minimum(x, y), [x, y])
    _show_grads(tf, show, tf.maximum(x, 2.0), [x])


def case_grad_clip_by_value_bounds(tf, show):
    x = tf.constant([-2.0, -1.0, 0.0, 1.0, 2.0])
    _show_grads(tf, show, tf.clip_by_value(x, -1.0, 1.0), [x])


def case_grad_abs_sign_sqrt_at_zero(tf, show):
    x = tf.constant([0.0, 4.0, -1.0])
    _show_grads(tf, show, tf.abs(x), [x])
    _show_grads(tf, show, tf.sqrt(tf.abs(x)), [x])
    _show_grads(tf, show, tf.sign(x), [x])


def case_grad_pow_edges(tf, show):
    x = tf.constant([0.0, -2.0, 2.0, 0.0])
    y = tf.constant([2.0, 2.0, 3.0, 0.0])
    _show_grads(tf, show, tf.pow(x, y), [x, y])


def case_grad_round_floor_are_none(tf, show):
    x = tf.constant([0.4, 1.6])
    print(tf.gradients(tf.round(x), [x]), tf.gradients(tf.floor(x), [x]))
    _show_grads(tf, show, tf.round(x) + x, [x])


def case_grad_reductions(tf, show):
    x = tf.constant([[1.0, 3.0, 3.0], [0.0, 2.0, 5.0]])
    _show_grads(tf, show, tf.reduce_max(x, 1), [x])
    _show_grads(tf, show, tf.reduce_mean(x), [x])
    _show_grads(tf, show, tf.reduce_prod(x, 1), [x])
    _show_grads(tf, show, tf.reduce_logsumexp(x, 1), [x])
    _show_grads(tf, show, tf.reduce_min(x), [x])


def case_grad_norm_at_zero(tf, show):
    z = tf.constant([0.0, 0.0])
    v = tf.constant([3.0, 4.0])
    _show_grads(tf, show, tf.norm(v), [v])
    _show_grads(tf, show, tf.norm(z), [z])


def case_grad_matmul_division(tf, show):
    a = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    b = tf.constant([[0.5, -1.0], [2.0, 1.0]])
    _show_grads(tf, show, tf.matmul(a, b, transpose_b=True), [a, b])
    _show_grads(tf, show, a / b, [a, b])
    _show_grads(tf, show, tf.floormod(a, b), [a, b])
    _show_grads(tf, show, tf.squared_difference(a, b), [a, b])


def case_grad_unary(tf, show):
    x = tf.constant([0.5, 1.0, 2.0])
    for f in [tf.exp, tf.log, tf.rsqrt, tf.sigmoid, tf.tanh, tf.reciprocal, tf.lgamma, tf.erf]:
        _show_grads(tf, show, f(x), [x])


def case_grad_cast_and_cumsum(tf, show):
    x = tf.constant([1.0, 2.0, 3.0])
    _show_grads(tf, show, tf.cast(x, tf.float64), [x])
    print(tf.gradients(tf.cast(x, tf.int32), [x]))
    _show_grads(tf, show, tf.cumsum(x, exclusive=True, reverse=True) * x, [x])
    _show_grads(tf, show, tf.cumprod(x), [x])


def case_grad_clip_by_global_norm(tf, show):
    a = tf.constant([3.0, 4.0])
    clipped, _ = tf.clip_by_global_norm([a], 2.5)
    _show_grads(tf, show, tf.reduce_sum(clipped[0] * np.array([1.0, 2.0], np.float32)), [a])
