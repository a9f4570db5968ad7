"""MobileNet's blocks in no-grad plans: (depthwise) conv + inference batch norm + ``Relu6`` as one
oneDNN call, and the asymmetric SAME padding of stride-2 convolutions."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import scopeflow.compat.v1 as tf
from scopeflow.ops import conv_ops


@pytest.fixture(autouse=True)
def _fresh_graph() -> None:
    tf.reset_default_graph()


def _block(depthwise: bool, stride: int) -> tuple[object, object, object, object]:
    rng = np.random.RandomState(3)
    x = tf.placeholder(tf.float32, [None, 8, 8, 4])
    w = tf.Variable(rng.randn(3, 3, 4, 2 if depthwise else 6).astype(np.float32))
    strides = [1, stride, stride, 1]
    if depthwise:
        h = tf.nn.depthwise_conv2d(x, w, strides, "SAME")
    else:
        h = tf.nn.conv2d(x, w, strides, "SAME")
    c = 8 if depthwise else 6
    stats = [tf.Variable(rng.uniform(0.5, 2, c).astype(np.float32)) for _ in range(4)]
    y, _, _ = tf.nn.fused_batch_norm(h, *stats, is_training=False)
    return x, h, y, tf.nn.relu6(y)


@pytest.mark.skipif(conv_ops._conv_pointwise is None, reason="torch built without oneDNN")
@pytest.mark.parametrize("stride", [1, 2])
def test_conv_batch_norm_relu6_fuse(stride: int) -> None:
    x, h, y, out = _block(False, stride)
    data = 3 * np.random.RandomState(4).randn(2, 8, 8, 4).astype(np.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        fused = sess.run(out, {x: data})
        (plan,) = [p for p in sess._plans.values() if p.fusions]
        assert plan.fusions == 1  # conv + batch norm + relu6: one step
        assert plan.source.count("(f0, ") == 1
        # Fetching y keeps the Relu6 apart (conv + batch norm still fuse): the same values.
        conv_bn, y_val = sess.run([out, y], {x: data})
        np.testing.assert_array_equal(fused, conv_bn)
        np.testing.assert_array_equal(conv_bn, np.clip(y_val, 0, 6))
        # Fetching h too: nothing fuses; the folded statistics round differently.
        plain, _ = sess.run([out, h], {x: data})
        assert fused.max() == 6.0
        assert fused.min() == 0.0
        np.testing.assert_allclose(fused, plain, rtol=1e-5, atol=1e-5)
        # A NaN becomes 0 inside the fused clip, as in TF's ``_FusedConv2D`` (conformance topic
        # ``import_x_fused_blocks`` compares with TF); the standalone Relu6 keeps it.
        data[0, 1, 2, :] = np.nan
        fused = sess.run(out, {x: data})
        plain, _ = sess.run([out, h], {x: data})
    assert not np.isnan(fused).any()
    assert np.isnan(plain).any()
    np.testing.assert_array_equal(fused[np.isnan(plain)], 0)


@pytest.mark.skipif(conv_ops._conv_pointwise is None, reason="torch built without oneDNN")
def test_depthwise_relu6_stays_apart() -> None:
    x, _, _, out = _block(True, 2)
    data = 3 * np.random.RandomState(4).randn(2, 8, 8, 4).astype(np.float32)
    data[0, 1, 2, :] = np.nan
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got = sess.run(out, {x: data})
        (plan,) = [p for p in sess._plans.values() if p.fusions]
    assert plan.fusions == 1  # depthwise conv + batch norm; the Relu6 runs in place after it
    assert plan.donations == 1
    assert np.isnan(got).any()  # as TF, which does not fuse it


@pytest.mark.parametrize(
    ("shape", "pads"),
    [
        ((2, 5, 9, 8), [(0, 1), (0, 1)]),
        ((1, 3, 4, 4), [(1, 2), (0, 0)]),
        ((2, 4, 3, 4, 5), [(0, 1), (2, 1), (1, 0)]),
    ],
)
def test_zero_pad_is_f_pad(shape: tuple[int, ...], pads: list[tuple[int, int]]) -> None:
    fmt = torch.channels_last if len(shape) == 4 else torch.channels_last_3d
    x = torch.randn(shape)
    flat = [v for p in reversed(pads) for v in p]
    for t in (x, x.contiguous(memory_format=fmt)):  # (plain contiguous: F.pad itself)
        got = conv_ops._zero_pad(t, pads, fmt)
        assert torch.equal(got, F.pad(t, flat))
        assert got.is_contiguous(memory_format=fmt) == t.is_contiguous(memory_format=fmt)
