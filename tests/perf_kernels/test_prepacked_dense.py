"""Dense products of a variable or constant weight in no-grad plans on a prepacked weight.

The oneDNN path (other vendors' CPUs; Intel ones use MKL) is forced on, so that its cache is
tested on every machine: the weight is converted once, reused while it is unchanged (also a
``transpose_b`` weight, a new view each run) and converted again after an ``assign``; values
are those of the unpacked product. The MKL path's in-place bias add keeps ``mm + bias``'s bits.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch

import scopeflow.compat.v1 as tf
from scopeflow.ops import matmul_ops

_ONEDNN_LINEAR = getattr(torch.ops.mkldnn, "_linear_pointwise", None)


@pytest.fixture(autouse=True)
def _fresh_graph() -> None:
    tf.reset_default_graph()


@pytest.fixture
def conversions(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, ...]]:
    """Forces the oneDNN path; the shapes of the weights packed from now on, one per packing."""
    if _ONEDNN_LINEAR is None:
        pytest.skip("torch built without oneDNN")
    monkeypatch.setattr(matmul_ops, "_linear", _ONEDNN_LINEAR)
    seen: list[tuple[int, ...]] = []
    pack = matmul_ops._onednn_weight

    def counting(b: Any) -> Any:
        seen.append(tuple(b.shape))
        return pack(b)

    monkeypatch.setattr(matmul_ops, "_onednn_weight", counting)
    return seen


def test_mkl_bias_add_in_place_keeps_the_bits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(matmul_ops, "_linear", None)
    rng = np.random.RandomState(3)
    a = torch.from_numpy(rng.randn(64, 256).astype(np.float32))
    b = torch.from_numpy(rng.randn(256, 256).astype(np.float32))
    bias = torch.from_numpy(rng.randn(256).astype(np.float32))
    got = matmul_ops._mm_bias(a, b, bias)
    np.testing.assert_array_equal(got.numpy(), (torch.matmul(a, b) + bias).numpy())


def test_mkl_dense_layer_keeps_the_op_by_op_bits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(matmul_ops, "_linear", None)
    rng = np.random.RandomState(4)
    x = tf.placeholder(tf.float32, [None, 256])
    y = tf.layers.dense(x, 192, name="d", bias_initializer=tf.random_normal_initializer())
    mm = y.op.inputs[0]
    assert (y.op.type, mm.op.type) == ("BiasAdd", "MatMul")
    data = rng.randn(64, 256).astype(np.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        fused = sess.run(y, {x: data})
        unfused, _ = sess.run([y, mm], {x: data})  # the product is fetched: no fusion
        assert [p.fusions for p in sess._plans.values() if p.feeds] == [1, 0]
    np.testing.assert_array_equal(fused, unfused)


@pytest.mark.parametrize("layer", ["dense_2d", "dense_3d", "matmul_tb", "matmul_const"])
def test_values_equal_the_unpacked_product_and_follow_assign(
    layer: str, conversions: list[tuple[int, ...]]
) -> None:
    rng = np.random.RandomState(0)
    w0, w1 = (rng.randn(2, 256, 192) * 0.1).astype(np.float32)
    data = rng.randn(4, 32, 256).astype(np.float32)
    bias = 0.0
    if layer in ("dense_2d", "dense_3d"):
        x = tf.placeholder(tf.float32, [None, 32, 256] if layer == "dense_3d" else [None, 256])
        y = tf.layers.dense(x, 192, name="d")
        (w,) = [v for v in tf.global_variables() if v.op.name == "d/kernel"]
        feed = data if layer == "dense_3d" else data.reshape(-1, 256)
    elif layer == "matmul_tb":
        x = tf.placeholder(tf.float32, [None, 256])
        w = tf.Variable(w0.T.copy())
        y = tf.matmul(x, w, transpose_b=True)
        feed = data.reshape(-1, 256)
    else:
        x = tf.placeholder(tf.float32, [None, 256])
        w = None
        y = tf.matmul(x, tf.constant(w0)) + 1.5
        feed, bias = data.reshape(-1, 256), 1.5
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        if w is not None and layer != "matmul_tb":
            sess.run(w.assign(w0))
        for _ in range(3):
            got = sess.run(y, {x: feed})
        want = feed.astype(np.float64) @ w0 + bias
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)
        unpacked = torch.from_numpy(feed.reshape(-1, 256)) @ torch.from_numpy(w0) + bias
        np.testing.assert_allclose(got.reshape(-1, 192), unpacked.numpy(), rtol=1e-5, atol=1e-5)
        assert len(conversions) == 1  # packed once, then reused
        if w is None:
            return
        sess.run(w.assign(w1.T.copy() if layer == "matmul_tb" else w1))
        got = sess.run(y, {x: feed})
        np.testing.assert_allclose(got, feed.astype(np.float64) @ w1, rtol=1e-5, atol=1e-5)
        assert len(conversions) == 2  # the assign invalidated the packed copy
        sess.run(w.assign_add(w1.T.copy() if layer == "matmul_tb" else w1))
        got = sess.run(y, {x: feed})
        np.testing.assert_allclose(got, feed.astype(np.float64) @ (2 * w1), rtol=1e-5, atol=1e-5)
        assert len(conversions) == 3


def test_gradient_plans_do_not_pack_a_trained_weight(conversions: list[tuple[int, ...]]) -> None:
    rng = np.random.RandomState(1)
    xv = rng.randn(64, 256).astype(np.float32)
    x = tf.placeholder(tf.float32, [None, 256])
    y = tf.layers.dense(x, 192, name="d")
    loss = tf.reduce_sum(tf.square(y))
    (w,) = [v for v in tf.global_variables() if v.op.name == "d/kernel"]
    (gw,) = tf.gradients(loss, [w])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        wv, gwv = sess.run([w, gw], {x: xv})
    np.testing.assert_allclose(gwv, xv.T.astype(np.float64) @ (2 * (xv @ wv.astype(np.float64))),
                               rtol=1e-4, atol=1e-3)  # fmt: skip
    assert conversions == []
