"""``MatMul`` on oneDNN for large float32 products: values, transposes, strides, gradients."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import scopeflow.compat.v1 as tf
from scopeflow.ops import matmul_ops

_ONEDNN_LINEAR = getattr(torch.ops.mkldnn, "_linear_pointwise", None)
pytestmark = pytest.mark.skipif(_ONEDNN_LINEAR is None, reason="torch built without oneDNN")


@pytest.fixture(autouse=True)
def _fresh_graph(monkeypatch: pytest.MonkeyPatch) -> None:
    # Intel CPUs use MKL for these products; the oneDNN path (other vendors' CPUs) is forced on
    # here so that it is tested on every machine.
    monkeypatch.setattr(matmul_ops, "_linear", _ONEDNN_LINEAR)
    tf.reset_default_graph()


@pytest.mark.parametrize("ta", [False, True])
@pytest.mark.parametrize("tb", [False, True])
def test_large_matmul_matches_float64(ta: bool, tb: bool) -> None:
    rng = np.random.RandomState(0)
    a = rng.randn(64, 256).astype(np.float32)
    b = rng.randn(256, 160).astype(np.float32)
    x = tf.placeholder(tf.float32)
    y = tf.placeholder(tf.float32)
    out = tf.matmul(x, y, transpose_a=ta, transpose_b=tb)
    assert matmul_ops._use_onednn(torch.from_numpy(a), torch.from_numpy(b))
    with tf.Session() as sess:
        got = sess.run(out, {x: a.T if ta else a, y: b.T if tb else b})
    np.testing.assert_allclose(got, a.astype(np.float64) @ b, rtol=1e-4, atol=1e-4)


def test_strided_operands_are_copied_not_misread() -> None:
    a = torch.randn(40, 600)[:, ::2]  # [40, 300], non-contiguous rows
    b = torch.randn(300, 800)[:, ::3]  # [300, 267], neither layout
    assert matmul_ops._use_onednn(a, b)
    got = matmul_ops._mm(a, b)
    np.testing.assert_allclose(got.numpy(), a.double() @ b.double(), rtol=1e-4, atol=1e-4)


def test_small_products_and_other_dtypes_stay_on_torch_mm() -> None:
    assert not matmul_ops._use_onednn(torch.ones(8, 8), torch.ones(8, 8))
    assert not matmul_ops._use_onednn(torch.ones(1, 4096), torch.ones(4096, 4096))
    assert not matmul_ops._use_onednn(torch.ones(64, 256, dtype=torch.float64),
                                      torch.ones(256, 256, dtype=torch.float64))  # fmt: skip
    assert not matmul_ops._use_onednn(torch.ones(64, 256), torch.ones(255, 256))


def test_run_time_inner_dimension_mismatch_is_an_invalid_argument() -> None:
    x = tf.placeholder(tf.float32, [None, None])
    y = tf.placeholder(tf.float32, [None, None])
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError):
        sess.run(tf.matmul(x, y), {x: np.ones([64, 256]), y: np.ones([200, 256])})


def test_gradients_through_large_matmuls_match_float64() -> None:
    rng = np.random.RandomState(1)
    xv = rng.randn(32, 128).astype(np.float32)
    wv = (rng.randn(128, 512) * 0.1).astype(np.float32)
    x = tf.placeholder(tf.float32, [32, 128])
    w = tf.Variable(wv)
    loss = tf.reduce_sum(tf.tanh(tf.matmul(x, w)))
    gx, gw = tf.gradients(loss, [x, w])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        gxv, gwv = sess.run([gx, gw], {x: xv})
    t = np.tanh(xv.astype(np.float64) @ wv)
    d = 1 - t * t
    np.testing.assert_allclose(gxv, d @ wv.T, rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(gwv, xv.T @ d, rtol=1e-4, atol=1e-4)


def test_second_derivatives_match_torch_mm() -> None:
    a = torch.randn(32, 96, requires_grad=True)
    b = torch.randn(96, 700, requires_grad=True)
    assert matmul_ops._use_onednn(a, b)

    def grad_norm(mm: object) -> tuple[torch.Tensor, ...]:
        (ga,) = torch.autograd.grad(torch.tanh(mm(a, b)).sum(), [a], create_graph=True)  # type: ignore[operator]
        return torch.autograd.grad((ga * ga).sum(), [a, b])

    for got, want in zip(grad_norm(matmul_ops._mm), grad_norm(torch.mm), strict=True):
        np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-3, atol=1e-3)


@pytest.mark.slow
def test_jit_plans_compile_large_matmuls() -> None:
    x = tf.placeholder(tf.float32, [64, 256])
    w = tf.constant(np.random.RandomState(2).randn(256, 256).astype(np.float32) * 0.1)
    y = tf.nn.relu(tf.matmul(x, w) + 1.0)
    config = tf.ConfigProto()
    config.graph_options.optimizer_options.global_jit_level = tf.OptimizerOptions.ON_1
    data = np.random.RandomState(3).rand(64, 256).astype(np.float32)
    with tf.Session() as plain, tf.Session(config=config) as jitted:
        expected = plain.run(y, {x: data})
        got = jitted.run(y, {x: data})
        assert next(iter(jitted._plans.values())).compiled is not None
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-4)
