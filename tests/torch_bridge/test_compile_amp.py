"""``to_module`` under ``torch.compile`` (no graph breaks), AMP autocast and device moves."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import scopeflow.compat.v1 as tf
import scopeflow.torch as sft


def _norm_chain(blocks: int = 3) -> tuple[tf.Graph, tf.Tensor, tf.Tensor]:
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(0)
        x = tf.placeholder(tf.float32, [None, 8], name="x")
        h = x
        for i in range(blocks):
            w = tf.get_variable(f"w{i}", [8, 8])
            h = tf.matmul(h, w)
            mean = tf.reduce_mean(h, axis=-1, keepdims=True)
            c = h - mean
            var = tf.reduce_mean(tf.square(c), axis=[1], keepdims=True)
            h = tf.tanh(c * tf.rsqrt(var + 1e-5)) + tf.reduce_sum(h, 0) * 0.01
        loss = tf.reduce_mean(tf.square(h))
    return g, x, loss


@pytest.mark.slow
def test_torch_compile_has_no_graph_breaks_on_reductions_and_matches() -> None:
    g, x, loss = _norm_chain()
    m = sft.to_module(loss, x)
    xv = torch.randn(5, 8)
    explained = torch._dynamo.explain(m)(xv)
    assert explained.graph_break_count == 0, [b.reason for b in explained.break_reasons]
    want = m(xv)
    (gw,) = torch.autograd.grad(want, [m.get_parameter("w0")])
    got = torch.compile(m)(xv)
    (gg,) = torch.autograd.grad(got, [m.get_parameter("w0")])
    torch.testing.assert_close(got, want, rtol=1e-5, atol=1e-6)
    torch.testing.assert_close(gg, gw, rtol=1e-5, atol=1e-6)
    with g.as_default():
        sess = m.session
        np.testing.assert_allclose(got.item(), sess.run(loss, {x: xv.numpy()}), rtol=1e-5)


def test_session_reductions_read_fed_axes_as_before() -> None:
    with tf.Graph().as_default():
        xv = np.arange(6, dtype=np.float32).reshape(2, 3)
        axis = tf.constant([1], name="axis")
        s = tf.reduce_sum(tf.constant(xv), axis)
        with tf.Session() as sess:
            np.testing.assert_array_equal(sess.run(s), [3.0, 12.0])
            np.testing.assert_array_equal(sess.run(s, {axis: [0]}), [3.0, 5.0, 7.0])


def test_autocast_bfloat16_on_cpu_runs_and_stays_close() -> None:
    with tf.Graph().as_default():
        tf.set_random_seed(2)
        x = tf.placeholder(tf.float32, [None, 16], name="x")
        h = tf.layers.dense(x, 32, activation=tf.nn.relu)
        h = tf.layers.batch_normalization(h, training=False)
        out = tf.layers.dense(h, 4)
        m = sft.to_module(out, x)
    xv = torch.randn(8, 16)
    want = m(xv)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        got = m(xv)
        got.float().sum().backward()
    assert got.dtype in (torch.bfloat16, torch.float32)
    torch.testing.assert_close(got.float(), want, rtol=5e-2, atol=5e-2)
    grad = m.get_parameter("dense/kernel").grad
    assert grad is not None
    assert grad.dtype == torch.float32  # parameters and their gradients stay float32
    assert torch.isfinite(grad).all()


def test_module_to_cpu_and_back_keeps_working() -> None:
    _, x, loss = _norm_chain(1)
    m = sft.to_module(loss, x)
    xv = torch.randn(4, 8)
    want = m(xv)
    moved = m.to("cpu").to(torch.device("cpu"))
    assert moved is m
    torch.testing.assert_close(m(xv), want)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA (this machine has none)")
def test_module_cuda_move_runs_on_the_gpu() -> None:
    _, x, loss = _norm_chain(2)
    m = sft.to_module(loss, x)
    xv = torch.randn(4, 8)
    want = m(xv)
    m.cuda()
    got = m(xv.cuda())
    assert got.device.type == "cuda"
    torch.testing.assert_close(got.cpu(), want, rtol=1e-4, atol=1e-5)
