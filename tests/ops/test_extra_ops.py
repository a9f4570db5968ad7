"""TensorArray, scatter, sparse and the smaller extra ops: gradchecks and behaviour TF's goldens
cannot show (in-place aliasing, per-run TensorArray state)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import scopeflow.compat.v1 as tf
from scopeflow.errors import UnsupportedError
from scopeflow.graph.op_registry import get_kernel


@pytest.fixture(autouse=True)
def _fresh_graph():
    tf.reset_default_graph()


def _kernel(t):
    return get_kernel(t.op.type).factory(t.op, None)


def _gradcheck(fn, *shapes):
    gen = torch.Generator().manual_seed(5)
    vals = [torch.rand(s, generator=gen, dtype=torch.float64).requires_grad_() for s in shapes]
    assert torch.autograd.gradcheck(fn, tuple(vals))


# --- TensorArray --------------------------------------------------------------------------------


def test_tensor_array_loop_gradient_matches_closed_form():
    x = tf.placeholder(tf.float64, [4, 3])
    ta = tf.TensorArray(tf.float64, size=4)
    _, out = tf.while_loop(
        lambda i, t: i < 4, lambda i, t: (i + 1, t.write(i, tf.sin(x[i]) * x[i])), [0, ta]
    )
    y = out.stack()
    g = tf.gradients(tf.reduce_sum(y), x)[0]
    xv = np.random.default_rng(0).random((4, 3))
    with tf.Session() as sess:
        yv, gv = sess.run([y, g], {x: xv})
    np.testing.assert_allclose(yv, np.sin(xv) * xv)
    np.testing.assert_allclose(gv, np.cos(xv) * xv + np.sin(xv))


def test_tensor_array_state_is_fresh_per_run():
    ta = tf.TensorArray(tf.float32, size=2).write(0, [1.0]).write(1, [2.0])
    s = ta.stack()
    with tf.Session() as sess:
        first = sess.run(s)
        second = sess.run(s)  # a write-twice error would show reuse of the previous run's state
    np.testing.assert_array_equal(first, second)


def test_tensor_array_through_nested_loop_vars_and_read_in_cond():
    ta = tf.TensorArray(tf.int32, size=3, clear_after_read=False)
    ta = ta.write(0, 1)

    def body(i, st):
        prev = st["ta"].read(i - 1)
        return i + 1, {"ta": st["ta"].write(i, prev * 2)}

    _, res = tf.while_loop(lambda i, st: i < 3, body, [1, {"ta": ta}])
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(res["ta"].stack()), [1, 2, 4])


def test_tensor_array_grad_is_unsupported():
    with pytest.raises(UnsupportedError):
        tf.TensorArray(tf.float32, size=1).grad("x")


# --- scatter ------------------------------------------------------------------------------------


def test_scatter_updates_variable_in_place_and_aliasing_reads_see_it():
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
    snap = tf.identity(v)
    upd = tf.scatter_add(v, [1, 1], [[1.0, 1.0], [2.0, 2.0]])
    with tf.Session() as sess:
        sess.run(v.initializer)
        before = sess._variables[v.op.name]
        sess.run(upd)
        assert sess._variables[v.op.name] is before  # same buffer: TF1 ref semantics
        np.testing.assert_array_equal(sess.run(snap), [[1.0, 2.0], [6.0, 7.0]])


def test_scatter_nd_on_3d_variable_slices():
    v = tf.Variable(np.zeros((2, 3, 2), np.float32))
    upd = tf.scatter_nd_update(v, [[1, 2], [0, 0]], [[1.0, 2.0], [3.0, 4.0]])
    with tf.Session() as sess:
        sess.run(v.initializer)
        out = sess.run(upd)
    want = np.zeros((2, 3, 2), np.float32)
    want[1, 2] = [1, 2]
    want[0, 0] = [3, 4]
    np.testing.assert_array_equal(out, want)


# --- sparse -------------------------------------------------------------------------------------


def test_sparse_to_dense_gradcheck():
    sp = tf.SparseTensor([[0, 1], [2, 0]], tf.placeholder(tf.float64, [2]), [3, 2])
    d = tf.sparse_tensor_to_dense(sp, default_value=tf.constant(0.5, tf.float64))
    k = _kernel(d)
    idx = torch.tensor([[0, 1], [2, 0]])
    shape = torch.tensor([3, 2])
    _gradcheck(lambda v, dflt: k(idx, shape, v, dflt), (2,), ())


def test_unsorted_segment_sum_gradcheck_and_negative_ids():
    out = tf.math.unsorted_segment_sum(tf.placeholder(tf.float64, [4, 2]), [0, -1, 2, 0], 3)
    assert str(out.shape) == "(3, 2)"
    k = _kernel(out)
    ids = torch.tensor([0, -1, 2, 0])
    _gradcheck(lambda x: k(x, ids, torch.tensor(3)), (4, 2))
    val = k(torch.ones(4, 2, dtype=torch.float64), ids, torch.tensor(3))
    np.testing.assert_array_equal(val.numpy(), [[2, 2], [0, 0], [1, 1]])


def test_sparse_tensor_fetch_and_bad_feed():
    sp = tf.SparseTensor([[0]], [1.0], [2])
    ph = tf.sparse_placeholder(tf.float32)
    with tf.Session() as sess:
        got = sess.run(sp)
        assert type(got).__name__ == "SparseTensorValue"
        np.testing.assert_array_equal(got.values, [1.0])
        with pytest.raises(TypeError, match="SparseTensorValue"):
            sess.run(ph.values, {ph: 3.0})
    with pytest.raises(UnsupportedError, match="SparseTensor"):
        tf.group(sp)


def test_version_is_the_emulated_tf_api_version():
    import scopeflow

    assert tf.__version__ == tf.VERSION == "1.15.5"
    assert scopeflow.__version__ != tf.__version__


# --- small array / linalg / image kernels ---------------------------------------------------------


def test_depth_space_kernels_gradcheck_and_roundtrip():
    d2s = _kernel(tf.depth_to_space(tf.placeholder(tf.float64, [1, 2, 3, 8]), 2))
    s2d = _kernel(tf.space_to_depth(tf.placeholder(tf.float64, [1, 4, 6, 2]), 2))
    _gradcheck(d2s, (1, 2, 3, 8))
    x = torch.rand(1, 2, 3, 8, dtype=torch.float64)
    assert torch.equal(s2d(d2s(x)), x)


def test_diag_kernels_gradcheck():
    x = tf.placeholder(tf.float64, [2, 3, 3])
    _gradcheck(_kernel(tf.matrix_set_diag(x, tf.placeholder(tf.float64, [2, 3]))), (2, 3, 3),
               (2, 3))  # fmt: skip
    band = _kernel(tf.matrix_band_part(x, 1, 0))
    _gradcheck(lambda a: band(a, torch.tensor(1), torch.tensor(0)), (2, 3, 3))
    _gradcheck(_kernel(tf.diag(tf.placeholder(tf.float64, [2, 2]))), (2, 2))
    _gradcheck(_kernel(tf.diag_part(tf.placeholder(tf.float64, [2, 2, 2, 2]))), (2, 2, 2, 2))


def test_decomposition_kernels_gradcheck():
    chol = _kernel(tf.cholesky(tf.placeholder(tf.float64, [3, 3])))
    _gradcheck(lambda a: chol(a @ a.mT + 3 * torch.eye(3, dtype=torch.float64)), (3, 3))
    solve = _kernel(tf.matrix_solve(tf.placeholder(tf.float64, [3, 3]),
                                    tf.placeholder(tf.float64, [3, 2])))  # fmt: skip
    _gradcheck(lambda a, b: solve(a + 3 * torch.eye(3, dtype=torch.float64), b), (3, 3), (3, 2))
    svals = _kernel(tf.svd(tf.placeholder(tf.float64, [4, 3]), compute_uv=False).op.outputs[0])
    _gradcheck(lambda a: svals(a)[0], (4, 3))


def test_crop_and_resize_gradcheck_image_and_boxes():
    from scopeflow.ops.image_crop_ops import crop

    # Sample points avoid integer coordinates, where bilinear sampling (and TF's gradient) kinks.
    boxes = torch.tensor([[0.1, 0.23, 0.7, 0.9], [0.03, 0.05, 0.55, 0.61]], dtype=torch.float64)
    img = torch.rand(2, 5, 6, 2, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(
        lambda i, b: crop(i, b, 3, 4, "bilinear", 0.0), (img, boxes.requires_grad_())
    )
