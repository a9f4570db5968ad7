"""``SelectV2`` choosing between a tensor and ``+0.0`` (dropout's select) by bit multiplication.

``scopeflow/ops/gather_scatter_ops.py`` computes ``where(c, t, 0.0)`` as ``t``'s bits times
``c``; these tests pin it to ``torch.where``'s bits (NaN, infinities, ``-0.0``), forward and
backward, for every float dtype, and check that other selects still take ``torch.where``.
TF's values for dropout are pinned by the conformance topics (``nn_ops``, ``train_*``).
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

import scopeflow.compat.v1 as tf
from scopeflow.ops import gather_scatter_ops as gs

_SPECIAL = [float("nan"), float("inf"), float("-inf"), -0.0, 0.0, -1.5, 2.0, 1e-30]


def _bits(t: torch.Tensor) -> torch.Tensor:
    return t.view(gs._SAME_WIDTH_INT[t.dtype])


@pytest.fixture(autouse=True)
def _fresh_graph() -> None:
    tf.reset_default_graph()


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64, torch.float16, torch.bfloat16])
def test_select_or_zero_is_where_bit_for_bit(dtype: torch.dtype) -> None:
    gen = torch.Generator().manual_seed(0)
    t = torch.randn(6, 40, generator=gen).to(dtype)
    t[0, : len(_SPECIAL)] = torch.tensor(_SPECIAL).to(dtype)
    t[1, : len(_SPECIAL)] = torch.tensor(_SPECIAL).to(dtype)
    c = torch.rand(6, 40, generator=gen) >= 0.5
    c[0], c[1] = True, False
    kernel = gs._select_v2_kernel(None, None)
    zero = torch.tensor(0.0, dtype=dtype)
    got, want = kernel(c, t, zero), torch.where(c, t, zero)
    assert got.dtype == want.dtype
    assert got.shape == want.shape
    assert torch.equal(_bits(got), _bits(want))
    # Non-contiguous input (a transposed view).
    got, want = kernel(c.t(), t.t(), zero), torch.where(c.t(), t.t(), zero)
    assert torch.equal(_bits(got), _bits(want))


def test_select_or_zero_gradient_is_wheres() -> None:
    gen = torch.Generator().manual_seed(1)
    t = torch.randn(8, 16, generator=gen)
    c = torch.rand(8, 16, generator=gen) >= 0.3
    g = torch.randn(8, 16, generator=gen)
    g[0, :4] = torch.tensor([-0.0, float("nan"), float("inf"), float("-inf")])
    kernel = gs._select_v2_kernel(None, None)
    grads = []
    for fn in (kernel, torch.where):
        x = t.clone().requires_grad_()
        y = fn(c, x, torch.tensor(0.0))
        assert y.requires_grad
        (gx,) = torch.autograd.grad(y, x, g)
        grads.append(gx)
    assert torch.equal(_bits(grads[0]), _bits(grads[1]))


@pytest.mark.parametrize(
    "case",
    ["negative_zero", "nonzero", "broadcast_condition", "tensor_else", "else_requires_grad"],
)
def test_other_selects_take_torch_where(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def fake(*a: torch.Tensor) -> torch.Tensor:
        calls.append(1)
        return torch.zeros(())

    monkeypatch.setattr(gs, "_select_or_zero", fake)
    t = torch.randn(3, 4)
    c = torch.rand(3, 4) >= 0.5
    e = torch.tensor(0.0)
    if case == "negative_zero":
        e = torch.tensor(-0.0)
    elif case == "nonzero":
        e = torch.tensor(1.0)
    elif case == "broadcast_condition":
        c = c[:1]
    elif case == "tensor_else":
        e = torch.zeros(3, 4)
    else:
        e = torch.tensor(0.0, requires_grad=True)
    out = gs._select_v2_kernel(None, None)(c, t, e)
    assert not calls
    assert torch.equal(out, torch.where(c, t, e))


def test_dropout_training_step_matches_torch_where(monkeypatch: pytest.MonkeyPatch) -> None:
    """A dropout MLP's Adam steps: the same losses and weights as with ``torch.where``."""

    def run() -> tuple[list[float], list[np.ndarray]]:
        tf.reset_default_graph()
        x = tf.placeholder(tf.float32, [16, 32])
        w = tf.get_variable("w", [32, 64], initializer=tf.glorot_uniform_initializer(seed=1))
        v = tf.get_variable("v", [64, 1], initializer=tf.glorot_uniform_initializer(seed=2))
        h = tf.nn.dropout(tf.nn.relu(tf.matmul(x, w)), keep_prob=0.5, seed=3)
        loss = tf.reduce_mean(tf.square(tf.matmul(h, v) - 1.0))
        train = tf.train.AdamOptimizer(0.01).minimize(loss)
        data = np.random.RandomState(0).randn(16, 32).astype(np.float32)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            losses = [float(sess.run([train, loss], {x: data})[1]) for _ in range(4)]
            return losses, sess.run([w, v])

    fast = run()
    calls = []

    def slow(c: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        calls.append(1)
        return torch.where(c, t, torch.zeros((), dtype=t.dtype))

    monkeypatch.setattr(gs, "_select_or_zero", slow)
    ref = run()
    assert calls  # the dropout's select took the path under test
    assert fast[0] == ref[0]
    for a, b in zip(fast[1], ref[1], strict=True):
        np.testing.assert_array_equal(a, b)
