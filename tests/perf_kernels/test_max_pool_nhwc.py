"""The compiled NHWC max pooling (``ops._max_pool_nhwc``) has the bits of torch's, and TF's.

Values and gradients are compared with torch's ``max_pool2d`` (what the op ran before, and
what it runs without a C compiler) bit for bit, on ties, NaN, infinities and signed zeros;
TF's own recordings are checked by the conformance topics (``perf_cnnc``, ``nn_ops``...).
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import scopeflow.compat.v1 as tf
from scopeflow.ops import _max_pool_nhwc

CASES = [
    pytest.param((64, 28, 28, 32), (2, 2), (2, 2), id="mnist-conv1"),
    pytest.param((4, 14, 14, 64), (2, 2), (2, 2), id="mnist-conv2"),
    pytest.param((3, 7, 9, 5), (2, 3), (3, 3), id="gaps-and-leftover"),
    pytest.param((2, 5, 5, 3), (2, 2), (3, 2), id="row-gaps"),
    pytest.param((2, 4, 4, 1), (1, 1), (1, 1), id="1x1"),
    pytest.param((2, 9, 8, 6), (3, 2), (3, 2), id="3x2"),
    pytest.param((1, 16, 16, 7), (15, 15), (16, 16), id="225-element-window"),
]


@pytest.fixture
def compiled():
    if _max_pool_nhwc._lib() is None:
        pytest.skip("no C compiler on this machine: torch's pooling runs")


def _torch_pool(x, k, s):
    return F.max_pool2d(x.permute(0, 3, 1, 2), k, s).permute(0, 2, 3, 1)


def _inputs(shape, seed):
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(shape, generator=gen)
    if seed % 4:
        x = torch.round(x * 2)  # many ties
    if seed % 4 >= 2:
        m = torch.rand(shape, generator=gen)
        for lo, v in [
            (0.0, float("nan")),
            (0.05, float("-inf")),
            (0.1, -0.0),
            (0.15, float("inf")),
        ]:
            x[(m >= lo) & (m < lo + 0.05)] = v
    if seed % 4 == 3 and seed % 8 == 7:
        x[:] = float("-inf")
    return x


def _bits(t):
    return t.contiguous().view(torch.int32)


@pytest.mark.usefixtures("compiled")
@pytest.mark.parametrize(("shape", "k", "s"), CASES)
def test_values_and_gradients_are_torchs(shape, k, s):
    for seed in range(8):
        x = _inputs(shape, seed)
        want_y = _torch_pool(x, k, s)
        g = torch.randn(want_y.shape, generator=torch.Generator().manual_seed(seed))
        g[g.abs() < 0.3] = -0.0  # torch's gradient makes these +0.0 (0 + g)
        g[0, 0, 0, 0] = float("nan")
        xa, xb = x.clone().requires_grad_(), x.clone().requires_grad_()
        ya, yb = _max_pool_nhwc.max_pool_nhwc(xa, k, s), _torch_pool(xb, k, s)
        assert ya is not None
        ya.backward(g)
        yb.backward(g)
        assert torch.equal(_bits(ya), _bits(yb)), seed
        assert torch.equal(_bits(xa.grad), _bits(xb.grad)), seed


@pytest.mark.usefixtures("compiled")
@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize(("shape", "k", "s"), CASES)
def test_relu_in_the_pass_is_torchs_relu_of_the_pool(shape, k, s, threads):
    """``relu=True``: ``torch.relu(max_pool(x))``'s values and gradient bits (``-0.0``, NaN,
    ``-inf`` windows, maxima of 0; gradients with NaN and ``-0.0``)."""
    before = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        for seed in range(8):
            x = _inputs(shape, seed)
            x[x.abs() < 0.2] = 0.0
            want = torch.relu(_torch_pool(x, k, s))
            g = torch.randn(want.shape, generator=torch.Generator().manual_seed(seed))
            g[g.abs() < 0.3] = -0.0
            g.view(-1)[:: max(1, g.numel() // 7)] = float("nan")
            xa, xb = x.clone().requires_grad_(), x.clone().requires_grad_()
            ya = _max_pool_nhwc.max_pool_nhwc(xa, k, s, relu=True)
            yb = torch.relu(_torch_pool(xb, k, s))
            assert ya is not None
            ya.backward(g)
            yb.backward(g)
            assert torch.equal(_bits(ya), _bits(yb)), seed
            assert torch.equal(_bits(xa.grad), _bits(xb.grad)), seed
    finally:
        torch.set_num_threads(before)


@pytest.mark.usefixtures("compiled")
@pytest.mark.parametrize("relu", [False, True])
@pytest.mark.parametrize(("shape", "k", "s"), CASES[2:4])
def test_second_derivatives_run_through_torchs_backward(shape, k, s, relu):
    x = _inputs(shape, 1)
    x[x.abs() < 0.6] = 0.0  # maxima of 0 for relu
    x.requires_grad_()

    def reference(x):
        y = _torch_pool(x, k, s)
        return torch.relu(y) if relu else y

    g = torch.randn(_torch_pool(x, k, s).shape).requires_grad_()
    ya = _max_pool_nhwc.max_pool_nhwc(x, k, s, relu)
    ga = torch.autograd.grad(ya, x, g, create_graph=True)[0]
    gb = torch.autograd.grad(reference(x), x, g, create_graph=True)[0]
    assert torch.equal(_bits(ga), _bits(gb))
    v = torch.randn(x.shape)
    assert torch.equal(torch.autograd.grad(ga, g, v)[0], torch.autograd.grad(gb, g, v)[0])


@pytest.mark.usefixtures("compiled")
@pytest.mark.parametrize("threads", [1, 2, 3])
@pytest.mark.parametrize("chunk", [1, 100, 10**9], ids=["row-chunks", "few-rows", "one-chunk"])
@pytest.mark.parametrize(("shape", "k", "s"), CASES[:5])
def test_split_over_threads_gives_torchs_bits(monkeypatch, shape, k, s, threads, chunk):
    """Chunks of one output row, of a few rows and one chunk, on 1-3 threads: torch's bits."""
    monkeypatch.setattr(_max_pool_nhwc, "CHUNK_ELEMENTS", chunk)
    before = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        for seed in (2, 3):
            x = _inputs(shape, seed)
            xa, xb = x.clone().requires_grad_(), x.clone().requires_grad_()
            ya, yb = _max_pool_nhwc.max_pool_nhwc(xa, k, s), _torch_pool(xb, k, s)
            g = torch.randn(yb.shape, generator=torch.Generator().manual_seed(seed))
            ya.backward(g)
            yb.backward(g)
            assert torch.equal(_bits(ya), _bits(yb)), seed
            assert torch.equal(_bits(xa.grad), _bits(xb.grad)), seed
    finally:
        torch.set_num_threads(before)


def test_what_it_does_not_cover_is_left_to_torch():
    x = torch.randn(2, 6, 6, 3)
    pool = _max_pool_nhwc.max_pool_nhwc
    assert pool(x.double(), (2, 2), (2, 2)) is None
    assert pool(x.permute(0, 2, 1, 3), (2, 2), (2, 2)) is None  # not contiguous
    assert pool(x, (3, 3), (2, 2)) is None  # overlapping windows
    assert pool(torch.randn(1, 20, 20, 1), (16, 16), (16, 16)) is None  # 256 elements
    assert pool(torch.randn(0, 6, 6, 3), (2, 2), (2, 2)) is None
    assert pool(torch.randn(1, 1, 6, 3), (2, 2), (2, 2)) is None  # no window


@pytest.mark.parametrize("padding", ["SAME", "VALID"])
def test_max_pool_op_and_gradient_equal_with_and_without_the_c_loops(monkeypatch, padding):
    rng = np.random.RandomState(0)
    xs = np.round(rng.randn(3, 10, 9, 4) * 2).astype(np.float32)
    xs[0, 0, 0, 0], xs[1, 2, 3, 1] = np.nan, -np.inf
    gs = rng.randn(3, 5, 5, 4).astype(np.float32)

    def run():
        with tf.Graph().as_default():
            x = tf.placeholder(tf.float32, [3, 10, 9, 4])
            y = tf.nn.max_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], padding)
            dx = tf.gradients(y, x, grad_ys=gs[:, :, : y.shape[2]])[0]
            with tf.Session() as sess:
                return sess.run([y, dx], {x: xs})

    got = run()
    monkeypatch.setattr(_max_pool_nhwc, "use_compiled", False)
    want = run()
    for a, b in zip(got, want, strict=True):
        assert a.shape == b.shape
        assert np.array_equal(a.view(np.int32), b.view(np.int32))
