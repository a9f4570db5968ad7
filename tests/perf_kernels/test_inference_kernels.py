"""Inference kernels: cached filter and weight layouts, and the fusions of no-grad plans."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import scopeflow.compat.v1 as tf
from scopeflow.ops import conv_ops, matmul_ops
from scopeflow.ops._filter_cache import FilterCache


@pytest.fixture(autouse=True)
def _fresh_graph() -> None:
    tf.reset_default_graph()


def _np_conv_same(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """NHWC x HWIO, stride 1, odd square kernel, SAME padding, in float64."""
    k = w.shape[0]
    p = k // 2
    xp = np.pad(x.astype(np.float64), [(0, 0), (p, p), (p, p), (0, 0)])
    n, h, wd, _ = x.shape
    out = np.zeros([n, h, wd, w.shape[3]])
    for i in range(k):
        for j in range(k):
            out += xp[:, i : i + h, j : j + wd, :] @ w[i, j].astype(np.float64)
    return out


def test_cache_reuses_until_the_tensor_changes() -> None:
    calls = []
    cache = FilterCache()

    def convert(w: torch.Tensor) -> torch.Tensor:
        calls.append(1)
        return w * 2

    w = torch.ones(3)
    assert cache.get(w, convert).tolist() == [2, 2, 2]
    assert cache.get(w, convert).tolist() == [2, 2, 2]
    assert len(calls) == 1
    with torch.no_grad():
        w.add_(1)  # in place: the version counter moves
    assert cache.get(w, convert).tolist() == [4, 4, 4]
    assert cache.get(w, convert, key=(1, 2)).tolist() == [4, 4, 4]
    assert len(calls) == 3
    other = torch.ones(3)
    assert cache.get(other, convert).tolist() == [2, 2, 2]
    assert len(calls) == 4


def test_cache_never_keeps_a_tensor_that_requires_grad() -> None:
    cache = FilterCache()
    w = torch.ones(3, requires_grad=True)
    y = cache.get(w, lambda t: t * 2)
    assert y.requires_grad
    assert cache.get(w, lambda t: t * 3).tolist() == [3, 3, 3]


def test_conv_sees_a_reassigned_filter() -> None:
    rng = np.random.RandomState(0)
    x = rng.randn(2, 6, 6, 4).astype(np.float32)
    w0 = rng.randn(3, 3, 4, 5).astype(np.float32)
    w1 = rng.randn(3, 3, 4, 5).astype(np.float32)
    xt = tf.placeholder(tf.float32, [None, 6, 6, 4])
    w = tf.Variable(w0)
    y = tf.nn.conv2d(xt, w, [1, 1, 1, 1], "SAME")
    with tf.Session() as sess:
        sess.run(w.initializer)
        np.testing.assert_allclose(sess.run(y, {xt: x}), _np_conv_same(x, w0), atol=1e-4)
        np.testing.assert_allclose(sess.run(y, {xt: x}), _np_conv_same(x, w0), atol=1e-4)
        sess.run(w.assign(w1))
        np.testing.assert_allclose(sess.run(y, {xt: x}), _np_conv_same(x, w1), atol=1e-4)
        sess.run(w.assign_add(w0))
        np.testing.assert_allclose(sess.run(y, {xt: x}), _np_conv_same(x, w0 + w1), atol=1e-4)


def test_conv_sees_filters_updated_by_adam() -> None:
    rng = np.random.RandomState(1)
    x = rng.randn(2, 5, 5, 3).astype(np.float32)
    xt = tf.placeholder(tf.float32, [None, 5, 5, 3])
    w = tf.Variable(rng.randn(3, 3, 3, 4).astype(np.float32))
    y = tf.nn.conv2d(xt, w, [1, 1, 1, 1], "SAME")
    train = tf.train.AdamOptimizer(0.1).minimize(tf.reduce_sum(y * y))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            sess.run(y, {xt: x})  # the inference plan caches the filter...
            sess.run(train, {xt: x})  # ...and the fused Adam update must invalidate it
            got = sess.run(y, {xt: x})
            np.testing.assert_allclose(got, _np_conv_same(x, sess.run(w)), atol=1e-4)


@pytest.mark.skipif(conv_ops._conv_pointwise is None, reason="torch built without oneDNN")
@pytest.mark.parametrize(
    ("shape", "kernel", "strides", "padding", "rate", "depthwise"),
    [
        pytest.param([1, 9, 9, 8], [3, 3, 8, 16], 2, "SAME", 1, False, id="same-stride2-asym"),
        pytest.param([2, 8, 8, 8], [1, 1, 8, 4], 1, "VALID", 1, False, id="pointwise"),
        pytest.param([1, 10, 10, 4], [3, 3, 4, 4], 1, "SAME", 2, False, id="dilated"),
        pytest.param([2, 7, 7, 6], [3, 3, 6, 2], 1, "SAME", 1, True, id="depthwise"),
    ],
)
def test_prepacked_inference_matches_the_gradient_path(
    shape: list[int], kernel: list[int], strides: int, padding: str, rate: int, depthwise: bool
) -> None:
    rng = np.random.RandomState(2)
    x = tf.constant(rng.randn(*shape).astype(np.float32))
    w = tf.Variable(rng.randn(*kernel).astype(np.float32))
    if depthwise:
        y = tf.nn.depthwise_conv2d(x, w, [1, strides, strides, 1], padding)
    else:
        y = tf.nn.conv2d(x, w, [1, strides, strides, 1], padding, dilations=[1, rate, rate, 1])
    (gx,) = tf.gradients(tf.reduce_sum(y), [w])  # this plan runs torch's differentiable conv
    with tf.Session() as sess:
        sess.run(w.initializer)
        packed = sess.run(y)
        plain, _ = sess.run([y, gx])
    np.testing.assert_allclose(packed, plain, rtol=1e-5, atol=1e-5)


def test_batch_norm_output_is_donated_to_relu() -> None:
    x = tf.placeholder(tf.float32, [None, 4, 4, 8])
    h = x * 2.0
    y, _, _ = tf.nn.fused_batch_norm(h, tf.ones([8]), tf.zeros([8]), tf.zeros([8]),
                                     tf.ones([8]), is_training=False)  # fmt: skip
    out = tf.nn.relu(y)
    with tf.Session() as sess:
        got = sess.run(out, {x: np.ones([1, 4, 4, 8], np.float32)})
        plan = next(iter(sess._plans.values()))
    assert plan.donations == 1  # the Relu runs in place on y
    assert plan.fusions == 0
    np.testing.assert_allclose(got, np.full([1, 4, 4, 8], 2 / np.sqrt(1 + 1e-3)), rtol=1e-5)


def _conv_bn_graph(depthwise: bool) -> tuple[object, object, object]:
    rng = np.random.RandomState(3)
    x = tf.placeholder(tf.float32, [None, 7, 7, 4])
    w = tf.Variable(rng.randn(3, 3, 4, 2 if depthwise else 6).astype(np.float32))
    if depthwise:
        h = tf.nn.depthwise_conv2d(x, w, [1, 2, 2, 1], "SAME")
    else:
        h = tf.nn.conv2d(x, w, [1, 2, 2, 1], "SAME")
    c = 8 if depthwise else 6
    stats = [tf.Variable(rng.uniform(0.5, 2, c).astype(np.float32)) for _ in range(4)]
    y, _, _ = tf.nn.fused_batch_norm(h, *stats, is_training=False)
    return x, h, tf.nn.relu(y)


@pytest.mark.skipif(conv_ops._conv_pointwise is None, reason="torch built without oneDNN")
@pytest.mark.parametrize("depthwise", [False, True])
def test_conv_and_inference_batch_norm_fuse(depthwise: bool) -> None:
    x, h, out = _conv_bn_graph(depthwise)
    data = np.random.RandomState(4).randn(2, 7, 7, 4).astype(np.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        fused = sess.run(out, {x: data})
        (plan,) = [p for p in sess._plans.values() if p.fusions]
        assert plan.fusions == 1  # conv + batch norm + relu: one step
        assert plan.source.count("(f0, ") == 1  # x, filter, 4 statistics into one kernel
        unfused, _ = sess.run([out, h], {x: data})  # fetching h keeps the pair apart
        assert sum(p.fusions for p in sess._plans.values()) == 1
        np.testing.assert_allclose(fused, unfused, rtol=1e-5, atol=1e-5)
        # A changed statistic refolds the filter.
        var = tf.global_variables()[-1]
        sess.run(var.assign(var * 4.0))
        np.testing.assert_allclose(sess.run(out, {x: data}), sess.run([out, h], {x: data})[0],
                                   rtol=1e-5, atol=1e-5)  # fmt: skip


def test_matmul_and_bias_add_fuse() -> None:
    rng = np.random.RandomState(5)
    x = tf.placeholder(tf.float32, [None, 128])
    wv = rng.randn(128, 256).astype(np.float32)
    bv = rng.randn(256).astype(np.float32)
    w, b = tf.constant(wv), tf.constant(bv)
    m = tf.matmul(x, w)
    y = tf.nn.bias_add(m, b)
    data = rng.randn(64, 128).astype(np.float32)
    with tf.Session() as sess:
        fused = sess.run(y, {x: data})
        assert [p.fusions for p in sess._plans.values()] == [1]
        unfused, _ = sess.run([y, m], {x: data})
    np.testing.assert_allclose(fused, unfused, rtol=1e-5, atol=1e-4)
    want = data.astype(np.float64) @ wv + bv
    np.testing.assert_allclose(fused, want, rtol=1e-4, atol=1e-3)


_ONEDNN_LINEAR = getattr(torch.ops.mkldnn, "_linear_pointwise", None)


@pytest.mark.skipif(_ONEDNN_LINEAR is None, reason="torch built without oneDNN")
@pytest.mark.parametrize("fused", [False, True])
def test_matmul_sees_a_reassigned_weight(fused: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    # The oneDNN path (other vendors' CPUs; Intel ones use MKL) keeps a packed copy of the
    # weight between runs: forced on here so that its cache is tested on every machine.
    monkeypatch.setattr(matmul_ops, "_linear", _ONEDNN_LINEAR)
    rng = np.random.RandomState(6)
    w0, w1 = rng.randn(2, 256, 128).astype(np.float32)  # large enough for oneDNN
    bv = rng.randn(128).astype(np.float32)
    x = tf.placeholder(tf.float32, [None, 256])
    w = tf.Variable(w0)
    y = tf.matmul(x, w)
    if fused:
        y = tf.nn.bias_add(y, bv)
    data = rng.randn(64, 256).astype(np.float32)
    assert matmul_ops._use_onednn(torch.from_numpy(data), torch.from_numpy(w0))
    bias = bv.astype(np.float64) if fused else 0.0
    with tf.Session() as sess:
        sess.run(w.initializer)
        for wv in (w0, w0, w1):
            sess.run(w.assign(wv))
            want = data.astype(np.float64) @ wv + bias
            np.testing.assert_allclose(sess.run(y, {x: data}), want, rtol=1e-4, atol=1e-3)
        sess.run(w.assign_add(w0))
        want = data.astype(np.float64) @ (w0 + w1) + bias
        np.testing.assert_allclose(sess.run(y, {x: data}), want, rtol=1e-4, atol=1e-3)
