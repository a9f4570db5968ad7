"""The fused optimizer update ops against NumPy transcriptions of TF's kernels (training_ops.cc),
including the sparse variants' row-by-row semantics with repeated indices and their errors."""

import numpy as np
import pytest

import scopeflow.compat.v1 as tf
from scopeflow.errors import InvalidArgumentError
from scopeflow.ops import training_ops


@pytest.fixture(autouse=True)
def _fresh_graph():
    with tf.Graph().as_default() as g:
        yield g


VAR = np.array([[1.0, -2.0], [0.5, 3.0], [-1.5, 0.25]], np.float32)
GRAD = np.array([[0.3, -0.1], [0.2, 0.4], [-0.5, 0.6]], np.float32)


def _run(build, *slot_inits):
    var = tf.Variable(VAR, name="var")
    slots = [tf.Variable(s, name=f"slot{i}") for i, s in enumerate(slot_inits)]
    out = build(var, *slots)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(out)
        return sess.run([var, *slots])


def test_adam_matches_tf_formula():
    m0, v0 = np.full_like(VAR, 0.1), np.full_like(VAR, 0.2)
    got = _run(lambda var, m, v: training_ops.apply_adam(var, m, v, 0.9, 0.999, 0.01, 0.9, 0.999,
                                                         1e-8, GRAD), m0, v0)  # fmt: skip
    f = np.float32
    alpha = f(0.01) * np.sqrt(f(1) - f(0.999)) / (f(1) - f(0.9))
    m = m0 + (GRAD - m0) * (f(1) - f(0.9))
    v = v0 + (GRAD * GRAD - v0) * (f(1) - f(0.999))
    np.testing.assert_allclose(got[1], m, rtol=1e-6)
    np.testing.assert_allclose(got[2], v, rtol=1e-6)
    np.testing.assert_allclose(got[0], VAR - m * alpha / (np.sqrt(v) + f(1e-8)), rtol=1e-6)


def test_sparse_momentum_repeated_indices_apply_in_order():
    acc0 = np.zeros_like(VAR)
    rows = np.array([[1.0, 1.0], [2.0, 2.0]], np.float32)
    got = _run(lambda var, acc: training_ops.sparse_apply_momentum(var, acc, 0.1, rows, [2, 2],
                                                                   0.5), acc0)  # fmt: skip
    acc, var = np.zeros(2, np.float32), VAR[2].copy()
    for r in rows:  # TF's CPU kernel: one row update per index, in order
        acc = acc * 0.5 + r
        var = var - acc * 0.1
    np.testing.assert_allclose(got[0][2], var, rtol=1e-6)
    np.testing.assert_allclose(got[1][2], acc, rtol=1e-6)
    np.testing.assert_array_equal(got[0][:2], VAR[:2])


def test_ftrl_l1_zeroes_small_linear():
    acc0, lin0 = np.full_like(VAR, 0.1), np.zeros_like(VAR)
    got = _run(lambda var, a, lin: training_ops.apply_ftrl(var, a, lin, GRAD, 0.1, 10.0, 0.0,
                                                           -0.5), acc0, lin0)  # fmt: skip
    np.testing.assert_array_equal(got[0], np.zeros_like(VAR))


def test_sparse_index_out_of_range_is_tfs_error():
    var = tf.Variable(VAR)
    acc = tf.Variable(np.zeros_like(VAR))
    op = training_ops.sparse_apply_adagrad(var, acc, 0.1, GRAD[:1], [7])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        with pytest.raises(InvalidArgumentError, match="Index 7 at offset 0 in indices is out"):
            sess.run(op)


def test_dtype_mismatch_and_non_variable_errors():
    var = tf.Variable(VAR)
    with pytest.raises(TypeError, match="Input 'alpha' of 'ApplyGradientDescent' Op has type "
                                        "float64 that does not match type float32"):  # fmt: skip
        training_ops.apply_gradient_descent(var, tf.constant(0.1, tf.float64), GRAD)
    with pytest.raises(TypeError, match=r"requires that input 'var' be a mutable tensor"):
        training_ops.apply_gradient_descent(tf.constant(VAR), 0.1, GRAD)


def test_op_names_and_output():
    var = tf.Variable(VAR, name="w")
    out = training_ops.apply_gradient_descent(var, 0.1, GRAD)
    assert (out.op.type, out.name, out.dtype.name) == (
        "ApplyGradientDescent",
        "ApplyGradientDescent:0",
        "float32_ref",
    )
