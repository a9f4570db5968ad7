"""A gradient whose forward pass read a variable that an ordered update changed before it ran.

TF 1 reads a ref variable's buffer when the gradient op runs, so a gradient taken under a control
dependency on an optimizer step uses the updated weights where TF's gradient ops read the
variable, and the old forward values elsewhere (pix2pix's generator gradient after the
discriminator's update). The values are compared with TF in the conformance topic
``p2p_gradient_after_update``; these tests check the plan mechanics (``graph.stale_reads``)
against NumPy and that what it cannot reproduce raises an error naming the op.
"""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow.compat.v1 as tf
from scopeflow.errors import UnsupportedError


@pytest.fixture(autouse=True)
def _fresh_graph() -> None:
    tf.reset_default_graph()


_X = np.linspace(-1, 1, 12, dtype=np.float32).reshape(4, 3)
_W = np.linspace(0.5, -0.7, 6, dtype=np.float32).reshape(3, 2)


def _net() -> tuple[tf.Variable, tf.Variable, tf.Tensor, tf.Operation, tf.Tensor]:
    x = tf.constant(_X)
    v = tf.get_variable("v", initializer=np.eye(3, dtype=np.float32))
    w = tf.get_variable("w", initializer=_W)
    p = tf.sigmoid(tf.matmul(tf.matmul(x, v), w))
    d_train = tf.train.GradientDescentOptimizer(3.0).minimize(tf.reduce_mean(p), var_list=[w])
    return v, w, p, d_train, tf.reduce_mean(-tf.log(p))


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-z)))


def test_gradient_after_the_update_reads_the_new_weight_and_the_old_activations() -> None:
    v, w, _p, d_train, g_loss = _net()
    with tf.control_dependencies([d_train]):
        (g,) = tf.gradients(g_loss, [v])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got = sess.run(g)
        new_w = sess.run(w)
        # One step re-runs at backward time: the matmul reading w.
        assert sorted(plan.recomputed for plan in sess._plans.values()) == [0, 0, 1]
    p = _sigmoid(_X @ _W)  # the forward pass, before the update
    np.testing.assert_allclose(new_w, _W - 3.0 * _X.T @ (p * (1 - p) / p.size), rtol=1e-5)
    dz = -(1 - p) / p.size
    np.testing.assert_allclose(got, _X.T @ (dz @ new_w.T), rtol=1e-5, atol=1e-7)
    assert not np.allclose(got, _X.T @ (dz @ _W.T), atol=1e-4)  # the old weight's answer


def test_plans_without_such_an_ordering_recompute_nothing() -> None:
    v, _w, _p, d_train, g_loss = _net()
    (g,) = tf.gradients(g_loss, [v])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run([g, d_train])  # the update is not ordered before the gradient
        assert all(plan.recomputed == 0 for plan in sess._plans.values())


def test_an_op_whose_tf_gradient_reads_its_input_raises_naming_it() -> None:
    x = tf.constant(_X)
    v = tf.get_variable("v", initializer=np.eye(3, dtype=np.float32))
    w = tf.get_variable("w", initializer=_W)
    h = tf.matmul(x, v)
    # Square's TF gradient reads its input (the updated variable) and Pow is not re-run.
    loss = tf.reduce_sum(tf.matmul(h, tf.pow(w, 3.0)))
    with tf.control_dependencies([loss]):
        update = w.assign_add(tf.ones_like(w))
    with tf.control_dependencies([update]):
        (g,) = tf.gradients(loss, [w])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        with pytest.raises(UnsupportedError, match=r"through 'Pow' \(op type Pow\), which read the"
                           r" variable 'w' before 'AssignAdd' updated it"):  # fmt: skip
            sess.run(g)


def test_a_second_order_gradient_through_a_recomputed_step_raises() -> None:
    v, _w, _p, d_train, g_loss = _net()
    with tf.control_dependencies([d_train]):
        (g,) = tf.gradients(g_loss, [v])
        (gg,) = tf.gradients(tf.reduce_sum(g * g), [v])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        with pytest.raises(tf.errors.InvalidArgumentError, match="second-order gradient"):
            sess.run(gg)
