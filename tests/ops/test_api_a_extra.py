"""Unit checks of apia's ops that the conformance topics cannot compare with TF 2.x.

TF 1.15's ``tf.lin_space``/``tf.linspace`` is ``gen_math_ops.lin_space``: one ``LinSpace`` op
with ``T`` in {bfloat16, float32, float64} (TF 2.x builds a composite ending in ``Slice``).
"""

import numpy as np
import pytest

import scopeflow.compat.v1 as tf


def test_lin_space_is_tf115_op() -> None:
    tf.reset_default_graph()
    y = tf.lin_space(0.0, 1.0, 5)
    assert (y.name, y.op.type, y.shape.as_list()) == ("LinSpace:0", "LinSpace", [5])
    assert tf.linspace(0.0, 2.0, 3, name="ls").name == "ls:0"
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(y), [0.0, 0.25, 0.5, 0.75, 1.0])
    with pytest.raises(TypeError, match="DataType int32 not in list of allowed values"):
        tf.lin_space(0, 1, 5)


def test_repeat_unknown_dims_and_scalar() -> None:
    p = tf.placeholder(tf.int32, [None, None])
    y = tf.repeat(p, 2, axis=1)
    with tf.Session() as sess:
        out = sess.run(y, {p: [[1, 2], [3, 4]]})
    assert out.tolist() == [[1, 1, 2, 2], [3, 3, 4, 4]]


def test_get_seed_with_graph_seed() -> None:
    tf.set_random_seed(3)
    assert tf.get_seed(7) == (3, 7)


def test_matrix_solve_ls_not_fast_and_lu_reconstructs() -> None:
    a = np.array([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]], np.float32)
    b = np.array([[1.0], [2.0], [2.0]], np.float32)
    x = tf.matrix_solve_ls(a, b, fast=False)
    assert x.op.type == "MatrixSolveLs"
    m = np.array([[1.0, 2.0, 0.5], [3.0, 4.0, 1.0], [0.0, 1.0, 5.0]], np.float32)
    lu, p = tf.linalg.lu(m)
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(x), np.linalg.lstsq(a, b, rcond=None)[0], atol=1e-5)
        lu_v, p_v = sess.run([lu, p])
    lower = np.tril(lu_v, -1) + np.eye(3)
    np.testing.assert_allclose(lower @ np.triu(lu_v), m[p_v], atol=1e-5)


def test_sqrtm_nonsymmetric_squares_back() -> None:
    m = np.array([[4.0, 1.0], [0.0, 9.0]], np.float64)
    with tf.Session() as sess:
        r = sess.run(tf.linalg.sqrtm(m))
    np.testing.assert_allclose(r @ r, m, atol=1e-10)
