"""Fixes found running openai/glow and NVlabs/stylegan: nested ``tf.custom_gradient`` whose
gradient function captures a forward tensor computed from variables (stylegan's leaky_relu),
its first and second derivatives; ``nccl_ops.all_sum`` of tensors in one process."""

import numpy as np


def _lrelu(tf, x, alpha=0.2):
    alpha = tf.constant(alpha, dtype=x.dtype, name="alpha")

    @tf.custom_gradient
    def func(x):
        y = tf.maximum(x, x * alpha)

        @tf.custom_gradient
        def grad(dy):
            dx = tf.where(y >= 0, dy, dy * alpha)
            return dx, lambda ddx: tf.where(y >= 0, ddx, ddx * alpha)

        return y, grad

    return func(x)


def case_nested_custom_gradient_after_variables(tf, show):
    w = tf.Variable(np.linspace(-1, 1, 6, dtype=np.float32).reshape(2, 3), name="w")
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    h = _lrelu(tf, tf.matmul(x, w))
    loss = tf.reduce_sum(tf.square(h))
    gx = tf.gradients(loss, [x])[0]
    penalty = tf.reduce_sum(tf.square(gx))
    gw = tf.gradients(penalty, [w])[0]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        feed = {x: np.array([[1.0, -2.0], [0.5, 3.0]], np.float32)}
        show(*sess.run([h, gx, gw], feed))
