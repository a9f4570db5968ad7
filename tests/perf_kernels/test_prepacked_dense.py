"""Dense products of a variable or constant weight in no-grad plans run on a prepacked weight.

With the machine's default settings (no forcing of the oneDNN path) and two intra-op threads:
the weight is converted once, reused while it is unchanged and converted again after an
``assign``; values are those of the unpacked product. On Intel CPUs plain-weight products, and
any product on one thread, stay with MKL's ``mm``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
import torch

import scopeflow.compat.v1 as tf
from scopeflow.ops import matmul_ops

pytestmark = pytest.mark.skipif(matmul_ops._linear is None, reason="torch built without oneDNN")


@pytest.fixture(autouse=True)
def _fresh_graph() -> Iterator[None]:
    tf.reset_default_graph()
    threads = torch.get_num_threads()
    torch.set_num_threads(2)
    yield
    torch.set_num_threads(threads)


@pytest.fixture
def conversions(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, ...]]:
    """The shapes of the weights packed from now on, one entry per conversion."""
    seen: list[tuple[int, ...]] = []
    pack = matmul_ops._onednn_weight

    def counting(b: Any) -> Any:
        seen.append(tuple(b.shape))
        return pack(b)

    monkeypatch.setattr(matmul_ops, "_onednn_weight", counting)
    return seen


def test_packed_products_use_onednn_and_plain_ones_follow_the_vendor() -> None:
    a, b = torch.ones(64, 256), torch.ones(256, 256)
    assert matmul_ops._use_onednn(a, b, packed=True)
    assert matmul_ops._use_onednn(a, b) == (not matmul_ops._MKL_FIRST)
    torch.set_num_threads(1)
    assert matmul_ops._use_onednn(a, b, packed=True) == (not matmul_ops._MKL_FIRST)
    cache = matmul_ops.FilterCache()
    assert matmul_ops._packable(b, cache)
    assert not matmul_ops._packable(b, None)
    assert not matmul_ops._packable(b.requires_grad_(), cache)


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
