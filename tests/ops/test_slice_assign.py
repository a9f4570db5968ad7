"""Sliced variable assignment (``StridedSliceAssign``) beyond what the conformance topic
``ops_ssassign_slice_assign`` compares with the TF oracle: TF 1.15 behaviour that TF 2's
``compat.v1`` changed, ref semantics (in-place writes seen through aliases), resource variables
and the metric built on it.
"""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow.compat.v1 as tf


def test_plain_tensor_slice_assign_raises_tf115_value_error() -> None:
    # TF 1.15's array_ops.strided_slice gives every graph slice an ``assign`` that raises for a
    # non-variable (TF 2 gives none: AttributeError), so code probing it sees TF 1.15's error.
    t = tf.constant([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"^Sliced assignment is only supported for variables$"):
        t[0:1].assign([5.0])
    assert hasattr(t[1], "assign")


def test_slice_assign_writes_in_place_through_aliases() -> None:
    v = tf.Variable(np.zeros([2, 3], np.float32), name="v")
    w = v[1, ::-1].assign([1.0, 2.0, 3.0])
    with tf.Session() as sess:
        sess.run(v.initializer)
        before = sess._variables["v"]
        out = sess.run(w)
        # the ref op writes into the variable's own buffer, as TF's kernel does
        assert sess._variables["v"] is before
    np.testing.assert_array_equal(out, [[0, 0, 0], [3, 2, 1]])


def test_slice_assign_on_resource_variable_and_get_variable() -> None:
    with tf.variable_scope("s", use_resource=True):
        r = tf.get_variable("r", [4], initializer=tf.zeros_initializer())
    g = tf.get_variable("g", [2, 2], initializer=tf.ones_initializer())
    a = r[1:3].assign([5.0, 6.0])
    b = g[:, 1].assign(tf.constant([7.0, 8.0]))
    assert a.op.type == b.op.type == "StridedSliceAssign"
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run([a, b])
        np.testing.assert_array_equal(sess.run(r), [0, 5, 6, 0])
        np.testing.assert_array_equal(sess.run(g), [[1, 7], [1, 8]])


def test_streaming_concat_grows_and_copies() -> None:
    values = tf.placeholder(tf.float32, [None, 2])
    value, update = tf.contrib.metrics.streaming_concat(values)
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        expected = np.zeros([0, 2], np.float32)
        for n in (3, 1, 5, 0, 9):
            batch = np.arange(2 * n, dtype=np.float32).reshape(n, 2) + len(expected)
            sess.run(update, {values: batch})
            expected = np.concatenate([expected, batch])
            np.testing.assert_array_equal(sess.run(value), expected)
