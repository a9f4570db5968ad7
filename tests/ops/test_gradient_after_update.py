"""A gradient whose forward values were overwritten by an update before it ran.

TF 1 reads a ref variable's buffer when the gradient op runs, so a gradient taken under a control
dependency on an optimizer step uses the updated weights (pix2pix does this). scopeflow's
gradients come from torch autograd over the forward pass, which cannot: the session must raise
an error that says so and names the gradient, not torch's bare version-counter message.
"""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow.compat.v1 as tf


def test_gradient_after_an_update_it_depends_on_raises_a_clear_error() -> None:
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [4, 3])
    with tf.variable_scope("d"):
        w = tf.get_variable("w", [3, 1], initializer=tf.ones_initializer())
    with tf.variable_scope("g"):
        v = tf.get_variable("v", [3, 3], initializer=tf.ones_initializer())
    d_loss = tf.reduce_sum(tf.matmul(x, w))
    g_loss = tf.reduce_sum(tf.matmul(tf.matmul(x, v), w))
    d_train = tf.train.GradientDescentOptimizer(0.1).minimize(d_loss, var_list=[w])
    with tf.control_dependencies([d_train]):
        (g_grad,) = tf.gradients(g_loss, [v])
    feed = {x: np.ones((4, 3), np.float32)}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        with pytest.raises(tf.errors.InvalidArgumentError) as info:
            sess.run(g_grad, feed)
        message = str(info.value)
        assert "UnsupportedError" in message
        assert "overwritten in place before the gradient ran" in message
        assert "gradients_1/SymbolicGradient" in message
        # Without the update in the same run, the gradient is TF's: x^T (1 w^T) with w's value.
        sess.run(tf.global_variables_initializer())
        want = np.full((3, 3), 4.0 * 1.0, np.float32)  # each entry sums x over 4 rows, w = 1
        np.testing.assert_array_equal(sess.run(tf.gradients(g_loss, [v])[0], feed), want)
