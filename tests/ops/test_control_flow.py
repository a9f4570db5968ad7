"""cond/while_loop/map_fn run-time behaviour: taken branch only, sub-plan caching, error
attribution, py_func, Print formatting, custom_gradient."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow.compat.v1 as tf
from scopeflow import errors
from scopeflow.ops.logging_ops import summarize_v1, summarize_v2


@pytest.fixture(autouse=True)
def _fresh_graph():
    tf.reset_default_graph()


def test_untaken_branch_py_func_never_runs():
    calls = []

    def record(a):
        calls.append(1)
        return a

    p = tf.placeholder(tf.bool, [])
    x = tf.constant([1.0])
    r = tf.cond(p, lambda: tf.py_func(record, [x], tf.float32), lambda: x * 2.0)
    with tf.Session() as sess:
        assert sess.run(r, {p: False}).tolist() == [2.0]
        assert calls == []
        sess.run(r, {p: True})
        assert calls == [1]


def test_subplans_are_cached_per_session():
    p = tf.placeholder(tf.bool, [])
    r = tf.cond(p, lambda: tf.constant(1), lambda: tf.constant(2))
    with tf.Session() as sess:
        sess.run(r, {p: True})
        state = sess._op_state[r.op.inputs[0].op._id]
        plans = state["plans"]
        sess.run(r, {p: False})
        assert state["plans"] is plans


def test_error_inside_branch_names_the_inner_op():
    p = tf.placeholder(tf.bool, [])

    def bad(a):
        raise ValueError("nope")

    r = tf.cond(p, lambda: tf.py_func(bad, [tf.constant(1.0)], tf.float32, name="inner"),
                lambda: tf.constant(0.0))  # fmt: skip
    with tf.Session() as sess, pytest.raises(errors.InvalidArgumentError) as info:
        sess.run(r, {p: True})
    assert info.value.op.name == "cond/inner"


def test_while_loop_many_iterations_and_nested_cond():
    def body(i, acc):
        return i + 1, tf.cond(tf.equal(i % 2, 0), lambda: acc + i, lambda: acc)

    r = tf.while_loop(lambda i, acc: i < 100, body, [0, 0])
    with tf.Session() as sess:
        assert sess.run(r[1]) == sum(range(0, 100, 2))


def test_map_fn_captures_and_gradient():
    w = tf.placeholder(tf.float64, [])
    e = tf.constant(np.arange(6.0).reshape(3, 2))
    m = tf.map_fn(lambda r: r * w * w, e)
    (g,) = tf.gradients(m, w)
    with tf.Session() as sess:
        assert sess.run(g, {w: 3.0}) == pytest.approx(2 * 3.0 * 15.0)


def test_custom_gradient_with_variables_requires_keyword():
    v = tf.Variable(1.0)

    @tf.custom_gradient
    def f(x):
        return x * v, lambda dy: dy

    with pytest.raises(TypeError, match="must accept keyword argument 'variables'"):
        f(tf.constant(2.0))


def test_print_summaries_match_tf_texts():
    a = np.array([[1.0, 2.0], [3.0, 4.0]], np.float32)
    assert summarize_v1(a, 2) == "[1 2]..."
    assert summarize_v1(a, 3) == "[1 2][3...]..."
    assert summarize_v1(np.zeros((2, 2, 2), np.float32), 3) == "[[0 0][0...]]..."
    assert summarize_v2(np.arange(1, 11).reshape(2, 5), 1) == "[[1 ... 5]\n [6 ... 10]]"
    assert summarize_v2(np.zeros((2, 0)), 3) == "[\n ...]"
    assert summarize_v2(np.array([1 / 3], np.float32), 3) == "[0.333333343]"


def test_tf_print_op_writes_to_stderr(capsys):
    x = tf.constant([1.0, 2.0])
    p = tf.Print(x, [x, tf.constant(3)], "msg: ", first_n=1)
    op = tf.print("v", x)
    with tf.Session() as sess:
        sess.run(p)
        sess.run(p)
        sess.run(op)
    err = capsys.readouterr().err
    assert err == "msg: [1 2][3]\nv [1 2]\n"
