"""Rank-4 batched products on strided views (``ops.matmul_ops._strided_bmm``), bit for bit.

BERT's attention multiplies head-split views (``transpose(reshape(q, [b, s, h, d]), [0, 2, 1,
3])``) and transposes the context back. The kernel loops ``bmm`` over the first batch dimension
on the views instead of ``torch.matmul``'s copies, and computes the context in the layout of its
transpose. The values and both input gradients must be ``torch.matmul``'s bits (what the plan
computed before); shapes outside the verified envelope (float64, a matrix dimension under 16)
must keep ``torch.matmul``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch

import scopeflow.compat.v1 as tf
from scopeflow.ops import matmul_ops


@pytest.fixture(autouse=True)
def _fresh_graph() -> None:
    tf.reset_default_graph()


def _heads(t: Any, b: int, s: int, h: int, d: int) -> Any:
    return t.reshape(b, s, h, d).permute(0, 2, 1, 3)


SHAPES = [
    pytest.param(8, 128, 12, 64, 128, id="bert-base"),
    pytest.param(2, 16, 3, 16, 16, id="smallest"),
    pytest.param(3, 100, 2, 17, 31, id="odd"),
    pytest.param(2, 64, 4, 128, 512, id="long-keys"),
]


@pytest.mark.parametrize(("b", "s", "h", "d", "t"), SHAPES)
@pytest.mark.parametrize("transposed_out", [False, True])
def test_scores_and_context_are_matmul_bits(b: int, s: int, h: int, d: int, t: int,
                                            transposed_out: bool) -> None:  # fmt: skip
    gen = torch.Generator().manual_seed(0)
    q = torch.randn(b * s, h * d, generator=gen, requires_grad=True)
    k = torch.randn(b * t, h * d, generator=gen, requires_grad=True)
    v = torch.randn(b * t, h * d, generator=gen, requires_grad=True)
    p = torch.softmax(torch.randn(b, h, s, t, generator=gen), -1).requires_grad_()
    qh, kh, vh = _heads(q, b, s, h, d), _heads(k, b, t, h, d), _heads(v, b, t, h, d)
    for x, y, leaves in ((qh, kh.mT, (q, k)), (p, vh, (p, v))):
        assert matmul_ops._strided_bmm_ok(x, y, transposed_out)
        want = torch.matmul(x, y)
        got = matmul_ops._strided_bmm(x, y, transposed_out)
        assert torch.equal(got, want)
        g = torch.randn(want.shape, generator=gen)
        for w, r in zip(torch.autograd.grad(want, leaves, g), torch.autograd.grad(got, leaves, g),
                        strict=True):  # fmt: skip
            assert torch.equal(w, r)
        if transposed_out:  # the context's transpose back is contiguous
            assert got.permute(0, 2, 1, 3).is_contiguous()


def test_second_derivative_stays_differentiable() -> None:
    gen = torch.Generator().manual_seed(1)
    a = _heads(torch.randn(2 * 16, 3 * 16, generator=gen, dtype=torch.float32), 2, 16, 3, 16)
    a = a.detach().requires_grad_()
    w = torch.randn(2, 3, 16, 16, generator=gen).requires_grad_()
    (ga,) = torch.autograd.grad(matmul_ops._strided_bmm(a, w, False).sum(), a, create_graph=True)
    (gw,) = torch.autograd.grad(ga.square().sum(), w)
    (ga0,) = torch.autograd.grad(torch.matmul(a, w).sum(), a, create_graph=True)
    (gw0,) = torch.autograd.grad(ga0.square().sum(), w)
    assert torch.equal(gw, gw0)


@pytest.mark.parametrize(
    ("dtype", "s", "d"),
    [
        pytest.param(torch.float64, 32, 32, id="float64"),
        pytest.param(torch.float32, 8, 32, id="8-rows"),
        pytest.param(torch.float32, 32, 1, id="head-size-1"),
    ],
)
def test_outside_the_envelope_keeps_matmul(dtype: Any, s: int, d: int) -> None:
    a = _heads(torch.ones(2 * s, 3 * d, dtype=dtype), 2, s, 3, d)
    assert not matmul_ops._strided_bmm_ok(a, a.mT, True)


def _attention(x: Any, b: int, s: int, h: int, d: int) -> Any:
    def split(t: Any) -> Any:
        return tf.transpose(tf.reshape(t, [b, s, h, d]), [0, 2, 1, 3])

    wq, wk, wv = (tf.constant(np.random.RandomState(i).randn(h * d, h * d).astype(np.float32) *
                              0.1) for i in range(3))  # fmt: skip
    q, k, v = tf.matmul(x, wq), tf.matmul(x, wk), tf.matmul(x, wv)
    probs = tf.nn.softmax(tf.matmul(split(q), split(k), transpose_b=True) * 0.125)
    return tf.reshape(tf.transpose(tf.matmul(probs, split(v)), [0, 2, 1, 3]), [-1, h * d])


def _reference(xv: Any, b: int, s: int, h: int, d: int) -> tuple[Any, Any]:
    """The same graph op by op with ``torch.matmul`` (the kernel before this change)."""
    x = torch.from_numpy(xv).requires_grad_()
    wq, wk, wv = (torch.from_numpy(np.random.RandomState(i).randn(h * d, h * d).astype(np.float32)
                                   * np.float32(0.1)) for i in range(3))  # fmt: skip
    q, k, v = (_heads(torch.matmul(x, w), b, s, h, d) for w in (wq, wk, wv))
    probs = torch.softmax(torch.matmul(q, k.mT) * 0.125, -1)
    out = torch.matmul(probs, v).permute(0, 2, 1, 3).reshape(-1, h * d)
    (gx,) = torch.autograd.grad(out.square().sum(), x)
    return out.detach().numpy(), gx.numpy()


def test_attention_graph_runs_strided_and_keeps_bits(monkeypatch: Any) -> None:
    b, s, h, d = 2, 32, 4, 16
    calls: list[bool] = []
    raw = matmul_ops._strided_bmm_raw

    def counting(x: Any, y: Any, transposed_out: bool) -> Any:
        calls.append(transposed_out)
        return raw(x, y, transposed_out)

    monkeypatch.setattr(matmul_ops, "_strided_bmm_raw", counting)
    xv = np.random.RandomState(5).randn(b * s, h * d).astype(np.float32)
    x = tf.placeholder(tf.float32, [b * s, h * d])
    out = _attention(x, b, s, h, d)
    (grad,) = tf.gradients(tf.reduce_sum(tf.square(out)), [x])
    want_out, want_grad = _reference(xv, b, s, h, d)
    with tf.Session() as sess:
        got = sess.run(out, {x: xv})  # a no-grad plan
        assert sorted(calls) == [False, True]  # scores; the context in its transposed layout
        got_out, got_grad = sess.run([out, grad], {x: xv})  # a gradient plan
    np.testing.assert_array_equal(got, want_out)
    np.testing.assert_array_equal(got_out, want_out)
    np.testing.assert_array_equal(got_grad, want_grad)
