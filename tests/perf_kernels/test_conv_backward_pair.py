"""A convolution's input and filter gradients side by side on two one-thread workers.

``scopeflow/ops/conv_fusions.py`` (``_split_backward``) runs the two halves of a training
plan's convolution backward as TF's executor runs ``Conv2DBackpropInput`` and
``Conv2DBackpropFilter``: concurrently. These tests pin that the result is the serial
two-thread call's, bit for bit (whole training trajectories included), that a layout whose
split would differ stays serial, and that an error in either branch is reported as the serial
plan reports it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
import torch

import scopeflow.compat.v1 as tf
from scopeflow.graph import interop
from scopeflow.ops import conv_fusions as cf

_ARGS = ((1, 1), (1, 1), (1, 1), 1)


@pytest.fixture(autouse=True)
def _two_threads() -> Iterator[None]:
    tf.reset_default_graph()
    before = torch.get_num_threads()
    torch.set_num_threads(2)
    cf._PAIR_MATCHES.clear()
    yield
    torch.set_num_threads(before)
    cf._PAIR_MATCHES.clear()


def _tensors(n: int = 16) -> tuple[Any, Any, Any]:
    gen = torch.Generator().manual_seed(3)
    last = torch.channels_last
    x = torch.randn(n, 32, 14, 14, generator=gen).contiguous(memory_format=last)
    w = torch.randn(64, 32, 3, 3, generator=gen).contiguous(memory_format=last)
    g = torch.randn(n, 64, 14, 14, generator=gen).contiguous(memory_format=last)
    return g, x, w


def test_pair_gives_the_serial_bits() -> None:
    g, x, w = _tensors(64)
    with torch.no_grad():
        got = cf._split_backward(g, x, w, _ARGS)
        gx, gw, _ = cf._conv_backward(g, x, w, _ARGS, [True, True, False])
    assert got is not None
    assert torch.equal(got[0], gx)
    assert torch.equal(got[1], gw)


def test_odd_batch_gives_the_serial_bits_or_stays_serial() -> None:
    g, x, w = _tensors(7)
    with torch.no_grad():
        got = cf._split_backward(g, x, w, _ARGS)
        gx, gw, _ = cf._conv_backward(g, x, w, _ARGS, [True, True, False])
    if got is not None:
        assert torch.equal(got[0], gx)
        assert torch.equal(got[1], gw)


def test_a_split_that_differs_stays_serial(monkeypatch: pytest.MonkeyPatch) -> None:
    # One image against the rest: not how oneDNN splits the batch, so not the same bits.
    monkeypatch.setattr(cf, "_halves", lambda n: (slice(0, 1), slice(1, n)))
    g, x, w = _tensors()
    with torch.no_grad():
        assert cf._split_backward(g, x, w, _ARGS) is None
    assert list(cf._PAIR_MATCHES.values()) == [False]


def test_stays_serial_off_two_threads_in_workers_and_under_double_backward() -> None:
    g, x, w = _tensors()
    with torch.enable_grad():  # a gradient of the gradient needs the serial, recorded call
        assert cf._split_backward(g, x, w, _ARGS) is None
    torch.set_num_threads(1)
    assert not interop.two_workers()
    torch.set_num_threads(2)
    assert interop.two_workers()
    seen = []
    t = threading.Thread(target=lambda: seen.append(interop.two_workers()),
                         name="scopeflow-interop-x")  # fmt: skip
    t.start()
    t.join()
    assert seen == [False]


def test_run_pair_reports_the_first_failure_in_serial_order() -> None:
    def ok() -> int:
        return 1

    def bad(msg: str) -> Any:
        def f() -> None:
            raise ValueError(msg)

        return f

    assert interop.run_pair(ok, lambda: 2) == (1, 2)
    with pytest.raises(ValueError, match="second"):
        interop.run_pair(ok, bad("second"))
    with pytest.raises(ValueError, match="first"):
        interop.run_pair(bad("first"), bad("second"))
    with pytest.raises(ValueError, match="first"):
        interop.run_pair(bad("first"), ok)


def _train(steps: int = 3) -> tuple[list[float], list[np.ndarray]]:
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [8, 12, 12, 1])
    h = x
    for i, (k, c_in, c_out) in enumerate([(5, 1, 8), (3, 8, 16)]):
        w = tf.get_variable(f"w{i}", [k, k, c_in, c_out],
                            initializer=tf.glorot_uniform_initializer(seed=i))  # fmt: skip
        b = tf.get_variable(f"b{i}", [c_out], initializer=tf.constant_initializer(0.05))
        h = tf.nn.max_pool(tf.nn.relu(tf.nn.conv2d(h, w, [1, 1, 1, 1], "SAME") + b),
                           [1, 2, 2, 1], [1, 2, 2, 1], "SAME")  # fmt: skip
    loss = tf.reduce_mean(tf.square(h))
    train = tf.train.AdamOptimizer(0.05).minimize(loss)
    data = np.random.RandomState(0).rand(8, 12, 12, 1).astype(np.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        losses = [float(sess.run([train, loss], {x: data})[1]) for _ in range(steps)]
        return losses, sess.run(tf.trainable_variables())


def test_training_steps_equal_the_serial_plans(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = cf._pair_backward

    def spy(*a: Any) -> Any:
        calls.append(1)
        return real(*a)

    monkeypatch.setattr(cf, "_pair_backward", spy)
    paired = _train()
    assert any(cf._PAIR_MATCHES.values())
    assert calls  # the second convolution's backward ran on the pair
    monkeypatch.setattr(cf, "_split_backward", lambda *a: None)
    serial = _train()
    assert paired[0] == serial[0]
    for a, b in zip(paired[1], serial[1], strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("branch", [0, 1])
def test_an_error_in_a_branch_is_reported_as_the_serial_plan_reports_it(
    branch: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = cf._conv_backward

    def failing(g: Any, x: Any, w: Any, args: Any, mask: list[bool]) -> Any:
        in_worker = threading.current_thread().name.startswith("scopeflow-interop-")
        if (mask[branch] and in_worker) or mask == [True, True, False]:
            raise RuntimeError("conv backward failed")
        return real(g, x, w, args, mask)

    monkeypatch.setattr(cf, "_pair_matches", lambda *a: True)
    monkeypatch.setattr(cf, "_conv_backward", failing)
    with pytest.raises(tf.errors.OpError) as paired:
        _train(1)
    monkeypatch.setattr(cf, "_split_backward", lambda *a: None)
    with pytest.raises(tf.errors.OpError) as serial:
        _train(1)
    assert type(paired.value) is type(serial.value)
    assert paired.value.message == serial.value.message
    assert paired.value.op is not None
    assert paired.value.op.name == serial.value.op.name
