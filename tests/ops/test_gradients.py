"""tf.gradients against finite differences (float64), second order, plan compilation rules."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import scopeflow.compat.v1 as tf
from scopeflow.ops.gradients_impl import _symbolic_gradient_kernel


@pytest.fixture(autouse=True)
def _fresh_graph():
    tf.reset_default_graph()


def _finite_diff(sess, y, x, x0, feed=None, eps=1e-6):
    """d sum(y) / dx by central differences, feeding x."""
    x0 = np.asarray(x0, np.float64)
    grad = np.zeros_like(x0)
    for i in np.ndindex(x0.shape):
        d = np.zeros_like(x0)
        d[i] = eps
        hi = sess.run(y, {**(feed or {}), x: x0 + d}).sum()
        lo = sess.run(y, {**(feed or {}), x: x0 - d}).sum()
        grad[i] = (hi - lo) / (2 * eps)
    return grad


@pytest.mark.slow
def test_mlp_matches_finite_differences_float64():
    x = tf.placeholder(tf.float64, [3, 4])
    w = tf.placeholder(tf.float64, [4, 2])
    y = tf.tanh(tf.matmul(x, w)) * tf.reduce_sum(x)
    gx, gw = tf.gradients(y, [x, w])
    rng = np.random.default_rng(0)
    x0, w0 = rng.normal(size=(3, 4)), rng.normal(size=(4, 2))
    with tf.Session() as sess:
        ax, aw = sess.run([gx, gw], {x: x0, w: w0})
        np.testing.assert_allclose(ax, _finite_diff(sess, y, x, x0, {w: w0}), rtol=1e-6, atol=1e-8)
        np.testing.assert_allclose(aw, _finite_diff(sess, y, w, w0, {x: x0}), rtol=1e-6, atol=1e-8)


def test_second_order_matches_finite_differences():
    x = tf.placeholder(tf.float64, [3])
    y = tf.reduce_sum(tf.sin(x) * x * x)
    (g,) = tf.gradients(y, x)
    (gg,) = tf.gradients(tf.reduce_sum(g * g), x)
    x0 = np.array([0.3, -1.2, 2.0])
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(gg, {x: x0}), _finite_diff(sess, g * g, x, x0),
                                   rtol=1e-5, atol=1e-7)  # fmt: skip


def test_kernel_gradcheck_float64():
    x = tf.placeholder(tf.float64, [2])
    y = x * x
    (g,) = tf.gradients(y, x)
    g.op._attrs["create_graph"] = True  # as when a later tf.gradients differentiates g
    kernel = _symbolic_gradient_kernel(g.op, None)
    assert kernel.needs_grad
    assert list(kernel.grad_sources) == [x]

    def f(t: torch.Tensor) -> torch.Tensor:
        return kernel(t * t * t, t)  # d/dt sum(t^3) = 3 t^2, as a differentiable function of t

    t0 = torch.tensor([0.5, -1.5], dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(f, (t0,))


def test_plans_without_gradients_stay_no_grad():
    x = tf.placeholder(tf.float32, [2])
    y = x * 2.0
    (g,) = tf.gradients(y, x)
    with tf.Session() as sess:
        sess.run(y, {x: [1.0, 2.0]})
        sess.run(g, {x: [1.0, 2.0]})
        plans = list(sess._plans.values())
    plain = next(p for p in plans if p.fetch_elements == [y])
    grad = next(p for p in plans if p.fetch_elements == [g])
    assert not plain.needs_grad
    assert "_leaf" not in plain.source
    assert grad.needs_grad
    assert "_leaf_keep(f0)" in grad.source


def test_variable_value_is_not_touched_by_leafing():
    v = tf.Variable([1.0, 2.0])
    loss = tf.reduce_sum(v * v)
    (g,) = tf.gradients(loss, v)
    step = tf.assign_sub(v, 0.25 * g)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_allclose(sess.run(step), [0.5, 1.0])
        stored = sess._variables[v.op.name]
        assert not stored.requires_grad
        assert stored.grad_fn is None
        np.testing.assert_allclose(sess.run(g), [1.0, 2.0])


def test_first_gradient_switches_to_create_graph_only_when_differentiated():
    x = tf.placeholder(tf.float32, [2])
    (g,) = tf.gradients(tf.reduce_sum(x * x * x), x)
    assert g.op.get_attr("create_graph") is False
    tf.gradients(tf.reduce_sum(g), x)
    assert g.op.get_attr("create_graph") is True


def test_while_back_prop_false_gives_no_gradient():
    x = tf.placeholder(tf.float32, [2])
    r = tf.while_loop(lambda i, s: i < 2, lambda i, s: (i + 1, s * x), [0, tf.ones([2])],
                      back_prop=False)  # fmt: skip
    assert tf.gradients(r[1], x) == [None]


def test_gradient_names_and_unconnected_zero_dtype():
    v = tf.Variable(tf.zeros([2, 3], tf.float64))
    c = tf.constant(1.0)
    g = tf.gradients(tf.reduce_sum(v), [v, c], unconnected_gradients="zero")
    assert g[0].name == "gradients/SymbolicGradient:0"
    assert g[0].dtype == tf.float64
    assert g[0].shape.as_list() == [2, 3]
    assert g[1].op.type == "ZerosLike"
    with pytest.raises(ValueError, match="unconnected_gradients"):
        tf.gradients(v, v, unconnected_gradients="bogus")
