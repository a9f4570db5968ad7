"""Variable updates computed in the variable's own buffer (``graph.var_donation``).

The last op reading a variable's value writes into the variable, the in-place steps after it
carry the chain on there, and the ``Assign`` finds its value in place and copies nothing.
Checked: the same bits as numpy's op-by-op float32 math and as the update from fed values, the
variable keeps its storage, and the cases where an old value or an intermediate would be seen
changed (a fetched read, a read after the ``Assign``, two writers) keep the copying plan.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from tests.graph.adam_wd import adam_wd, numpy_adam_wd

import scopeflow.compat.v1 as tf


@pytest.fixture(autouse=True)
def _fresh_graph() -> None:
    tf.reset_default_graph()


def _plan(sess: Any) -> Any:
    return list(sess._plans.values())[-1]


def _storage(sess: Any, var: Any) -> int:
    return int(sess._variables[var.op.name].data_ptr())


def _start(rng: Any) -> tuple[Any, Any, Any]:
    w0, m0, v0 = (rng.randn(5, 4).astype(np.float32) for _ in range(3))
    return w0, m0, np.abs(v0)


def test_no_grad_update_is_computed_in_the_variables() -> None:
    rng = np.random.RandomState(0)
    w0, m0, v0 = _start(rng)
    g0 = rng.randn(5, 4).astype(np.float32)
    w, m, v = tf.Variable(w0), tf.Variable(m0), tf.Variable(v0)
    g = tf.placeholder(tf.float32, [5, 4])
    nm, nv, nw = adam_wd(g, m, v, w)
    train = tf.group(w.assign(nw), m.assign(nm), v.assign(nv))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        ptrs = [_storage(sess, x) for x in (w, m, v)]
        sess.run(train, {g: g0})
        assert _plan(sess).variable_donations == 3
        assert [_storage(sess, x) for x in (w, m, v)] == ptrs
        got = sess.run([m, v, w])
        sess.run(train, {g: g0})  # a second step from the first one's values
        got2 = sess.run([m, v, w])
    want = numpy_adam_wd(g0, m0, v0, w0)
    for a, b in zip(got, want, strict=True):
        np.testing.assert_array_equal(a, b)
    for a, b in zip(got2, numpy_adam_wd(g0, *want[:2], want[2]), strict=True):
        np.testing.assert_array_equal(a, b)


def test_update_next_to_gradients_is_computed_in_the_variables() -> None:
    rng = np.random.RandomState(1)
    xv = rng.randn(6, 5).astype(np.float32)
    w0, m0, v0 = _start(rng)
    x = tf.placeholder(tf.float32, [6, 5])
    w, m, v = tf.Variable(w0), tf.Variable(m0), tf.Variable(v0)
    loss = tf.reduce_sum(tf.tanh(tf.matmul(x, w) + 1.0))
    (g,) = tf.gradients(loss, [w])
    nm, nv, nw = adam_wd(g, m, v, w)
    train = tf.group(w.assign(nw), m.assign(nm), v.assign(nv))
    fed_g = tf.placeholder(tf.float32, [5, 4])
    ref = adam_wd(fed_g, m, v, w)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        gv = sess.run(g, {x: xv})
        want = sess.run(list(ref), {fed_g: gv})
        ptr = _storage(sess, w)
        sess.run(train, {x: xv})
        plan = _plan(sess)
        assert plan.needs_grad
        # w's last reader (the Sub) runs after the gradient; m's and v's may run before it,
        # where nothing is written into a variable.
        assert plan.variable_donations >= 1
        assert _storage(sess, w) == ptr
        got = sess.run([m, v, w])
    for a, b in zip(got, want, strict=True):
        np.testing.assert_array_equal(a, b)


def test_a_fetched_read_keeps_the_copying_assign() -> None:
    w = tf.Variable(np.arange(4, dtype=np.float32))
    read = tf.identity(w.value())
    new = w * 2.0
    a = w.assign(new)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run([a, read])  # (which value ``read`` shows is a race in TF)
        assert _plan(sess).variable_donations == 0
        np.testing.assert_array_equal(sess.run(w), [0, 2, 4, 6])


def test_an_intermediate_read_after_the_assign_keeps_the_copying_assign() -> None:
    w = tf.Variable(np.arange(4, dtype=np.float32))
    half = w * 0.5  # the last read of w: would be computed into w's buffer
    a = w.assign(half + 1.0)  # half has a second reader: the add cannot reuse it
    with tf.control_dependencies([a]):
        after = half * 2.0  # reads half after the Assign wrote w
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got = sess.run(after)
        assert _plan(sess).variable_donations == 0
        np.testing.assert_array_equal(sess.run(w), [1, 1.5, 2, 2.5])
    np.testing.assert_array_equal(got, [0, 1, 2, 3])


def test_the_assigned_value_read_after_the_assign() -> None:
    w = tf.Variable(np.arange(4, dtype=np.float32))
    new = w * 0.5 + 1.0
    a = w.assign(new)
    with tf.control_dependencies([a]):
        after = new * 2.0  # the value, which now lives in w's buffer
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        ptr = _storage(sess, w)
        got = sess.run(after)
        assert _plan(sess).variable_donations == 1
        assert _storage(sess, w) == ptr
        np.testing.assert_array_equal(sess.run(w), [1, 1.5, 2, 2.5])
    np.testing.assert_array_equal(got, [2, 3, 4, 5])


def test_two_writers_keep_the_copying_assigns() -> None:
    w = tf.Variable(np.arange(4, dtype=np.float32))
    a = w.assign(w * 3.0)
    with tf.control_dependencies([a]):
        b = w.assign_add(tf.ones([4]))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(b)
        assert _plan(sess).variable_donations == 0
        np.testing.assert_array_equal(sess.run(w), [1, 4, 7, 10])


def test_a_read_through_a_view_after_the_update_keeps_the_copying_assign() -> None:
    w = tf.Variable(np.arange(6, dtype=np.float32).reshape(2, 3))
    row = tf.reshape(w, [6])  # a view of w's memory
    a = w.assign(w * 2.0)
    with tf.control_dependencies([a]):
        total = tf.reduce_sum(row)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(total)
        assert _plan(sess).variable_donations == 0
        np.testing.assert_array_equal(sess.run(w), np.arange(6).reshape(2, 3) * 2)


def test_assign_of_a_variable_to_itself() -> None:
    w = tf.Variable(np.arange(4, dtype=np.float32))
    a = w.assign(w)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(a), [0, 1, 2, 3])
        np.testing.assert_array_equal(sess.run(w), [0, 1, 2, 3])


def test_a_read_after_the_assign_does_not_write_the_variable() -> None:
    w = tf.Variable(np.arange(4, dtype=np.float32))
    a = w.assign(w * 3.0)
    with tf.control_dependencies([a]):
        after = tf.reduce_sum(tf.identity(w.value()) * 2.0)  # the last read comes after it
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(after)
        assert _plan(sess).variable_donations == 0
        np.testing.assert_array_equal(sess.run(w), [0, 3, 6, 9])


def test_a_failing_check_before_the_assign_leaves_the_variable_unchanged() -> None:
    # TF's Assign never runs when the check of its value fails: the variable keeps its old
    # value, so no step may have written a partial update into its buffer before the check.
    m0 = np.arange(6, dtype=np.float32).reshape(2, 3)
    m = tf.Variable(m0)
    g = tf.placeholder(tf.float32, [2, 3])
    next_m = tf.multiply(0.9, m) + tf.multiply(0.1, g)
    finite = tf.Assert(tf.reduce_all(tf.is_finite(next_m)), [next_m], name="bad_update")
    with tf.control_dependencies([finite]):
        train = m.assign(tf.identity(next_m))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        bad = np.full((2, 3), np.nan, np.float32)
        with pytest.raises(tf.errors.InvalidArgumentError, match="bad_update"):
            sess.run(train, {g: bad})
        np.testing.assert_array_equal(sess.run(m), m0)
        sess.run(train, {g: np.ones((2, 3), np.float32)})
        np.testing.assert_array_equal(
            sess.run(m), np.float32(0.9) * m0 + np.float32(0.1) * np.ones((2, 3), np.float32)
        )
