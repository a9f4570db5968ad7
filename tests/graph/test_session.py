"""Session plan compilation, caching and value isolation."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow.compat.v1 as tf


@pytest.fixture(autouse=True)
def _fresh_graph() -> None:
    tf.reset_default_graph()


def test_plan_is_cached_per_fetch_and_feed_signature() -> None:
    x = tf.placeholder(tf.float32, [2])
    y = x * 2.0
    with tf.Session() as sess:
        sess.run(y, {x: [1.0, 2.0]})
        sess.run(y, {x: [3.0, 4.0]})
        assert len(sess._plans) == 1
        sess.run([y, x], {x: [1.0, 2.0]})
        assert len(sess._plans) == 2


def test_plan_runs_only_the_needed_ops() -> None:
    x = tf.placeholder(tf.float32, [])
    unused = tf.placeholder(tf.float32, [])  # would raise if it ran unfed
    y = x + 1.0
    z = unused * 2.0
    with tf.Session() as sess:
        assert sess.run(y, {x: 1.0}) == 2.0
        with pytest.raises(tf.errors.InvalidArgumentError, match="must feed a value"):
            sess.run(z)
    assert z.op.name == "mul"


def test_fetched_variable_value_is_a_copy() -> None:
    v = tf.Variable([1.0, 2.0])
    with tf.Session() as sess:
        sess.run(v.initializer)
        got = sess.run(v)
        got[0] = 100.0
        np.testing.assert_array_equal(sess.run(v), [1.0, 2.0])


def test_feed_array_is_not_aliased_into_variable() -> None:
    v = tf.Variable([0.0, 0.0])
    p = tf.placeholder(tf.float32, [2])
    assign = v.assign(p)
    data = np.array([1.0, 2.0], dtype=np.float32)
    with tf.Session() as sess:
        sess.run(v.initializer)
        sess.run(assign, {p: data})
        data[0] = 50.0
        np.testing.assert_array_equal(sess.run(v), [1.0, 2.0])


def test_sessions_hold_separate_values() -> None:
    v = tf.Variable(1.0)
    inc = v.assign_add(1.0)
    with tf.Session() as a, tf.Session() as b:
        a.run(v.initializer)
        b.run(v.initializer)
        a.run(inc)
        assert a.run(v) == 2.0
        assert b.run(v) == 1.0


def test_kernel_error_names_the_failing_op() -> None:
    x = tf.placeholder(tf.float32, [None])
    r = tf.reshape(x, [3], name="my_reshape")
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError) as info:
        sess.run(r, {x: [1.0, 2.0]})
    assert info.value.op is not None
    assert info.value.op.name == "my_reshape"


def test_closed_session_raises() -> None:
    c = tf.constant(1.0)
    sess = tf.Session()
    sess.close()
    with pytest.raises(RuntimeError, match="closed Session"):
        sess.run(c)


@pytest.mark.slow
def test_jit_plan_gives_the_same_values() -> None:
    """``global_jit_level=ON_1`` compiles plans with torch.compile; results are unchanged."""
    x = tf.placeholder(tf.float32, [4])
    y = x
    for _ in range(5):
        y = tf.tanh(y * 1.5 + 0.25)
    config = tf.ConfigProto()
    config.graph_options.optimizer_options.global_jit_level = tf.OptimizerOptions.ON_1
    data = np.array([0.1, -0.2, 0.3, 2.0], np.float32)
    with tf.Session() as plain, tf.Session(config=config) as jitted:
        expected = plain.run(y, {x: data})
        got = jitted.run(y, {x: data})
        assert next(iter(jitted._plans.values())).compiled is not None
    np.testing.assert_allclose(got, expected, rtol=1e-6)


def test_make_callable_matches_run() -> None:
    x = tf.placeholder(tf.float32, [2])
    y = x * 3.0
    with tf.Session() as sess:
        f = sess.make_callable({"y": y, "pair": (x, y)}, [x])
        got = f(np.array([1.0, 2.0], np.float32))
        np.testing.assert_array_equal(got["y"], [3.0, 6.0])
        np.testing.assert_array_equal(got["pair"][0], [1.0, 2.0])
        with pytest.raises(TypeError, match="Expected 1 feed values"):
            f()
