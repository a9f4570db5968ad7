"""Convolution + bias and ReLU + max-pool fusions (``scopeflow/ops/conv_fusions.py``).

TF's values for these chains are pinned by the conformance topic ``perf_conv_fusions``; here:
which plans fuse (training plans too), that a fetched or twice-read intermediate keeps the ops
apart, and that the fused plans give the unfused plans' values and training trajectories.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest

import scopeflow.compat.v1 as tf


@pytest.fixture(autouse=True)
def _fresh_graph() -> None:
    tf.reset_default_graph()


def _cnn(x: Any) -> tuple[Any, list[Any]]:
    inter = []
    h = x
    for i, (k, c_in, c_out) in enumerate([(5, 1, 4), (3, 4, 8)]):
        w = tf.get_variable(f"w{i}", [k, k, c_in, c_out],
                            initializer=tf.glorot_uniform_initializer(seed=i))  # fmt: skip
        b = tf.get_variable(f"b{i}", [c_out], initializer=tf.constant_initializer(0.05))
        z = tf.nn.conv2d(h, w, [1, 1, 1, 1], "SAME")
        r = tf.nn.relu(z + b)
        h = tf.nn.max_pool(r, [1, 2, 2, 1], [1, 2, 2, 1], "SAME")
        inter += [z, r]
    return tf.reduce_mean(tf.square(h)), inter


def test_training_plan_fuses_and_follows_the_unfused_trajectory() -> None:
    x = tf.placeholder(tf.float32, [4, 12, 12, 1])
    loss, inter = _cnn(x)
    train = tf.train.AdamOptimizer(0.05).minimize(loss)
    data = np.random.RandomState(0).rand(4, 12, 12, 1).astype(np.float32)
    runs = []
    for fetch_inter in (False, True):
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            losses = []
            for _ in range(4):
                fetches = [train, loss] + (inter if fetch_inter else [])
                losses.append(sess.run(fetches, {x: data})[1])
            (plan,) = [p for p in sess._plans.values() if p.needs_grad]
            # Two conv + bias pairs and two ReLU + max-pool pairs; none with the
            # intermediates fetched.
            assert plan.fusions == (0 if fetch_inter else 4)
            runs.append((losses, sess.run(tf.trainable_variables())))
    (l0, v0), (l1, v1) = runs
    # Bitwise: the fused kernels compute what the two ops do, in the same order.
    np.testing.assert_array_equal(l0, l1)
    for a, b in zip(v0, v1, strict=True):
        np.testing.assert_array_equal(a, b)


def test_gradients_match_the_unfused_ops() -> None:
    x = tf.placeholder(tf.float32, [2, 12, 12, 1])
    loss, inter = _cnn(x)
    params = tf.trainable_variables()
    grads = tf.gradients(loss, [*params, x])
    data = np.random.RandomState(1).randn(2, 12, 12, 1).astype(np.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        fused = sess.run(grads, {x: data})
        assert sum(p.fusions for p in sess._plans.values()) == 4
        unfused = sess.run([grads, inter], {x: data})[0]
    for a, b in zip(fused, unfused, strict=True):
        np.testing.assert_array_equal(a, b)


def test_inference_conv_bias_sees_reassigned_filter_and_bias() -> None:
    rng = np.random.RandomState(2)
    x = tf.placeholder(tf.float32, [1, 6, 6, 3])
    w = tf.Variable(rng.randn(3, 3, 3, 4).astype(np.float32))
    b = tf.Variable(rng.randn(4).astype(np.float32))
    c = tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME")
    y = tf.nn.bias_add(c, b)
    data = rng.randn(1, 6, 6, 3).astype(np.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for scale in (1.0, 3.0):
            sess.run([w.assign(w * scale), b.assign(b - scale)])
            got = sess.run(y, {x: data})
            conv, want = sess.run([c, y], {x: data})
            np.testing.assert_array_equal(got, want)
            np.testing.assert_allclose(got, conv + sess.run(b), rtol=1e-5, atol=1e-5)
        assert [p.fusions for p in sess._plans.values() if p.fusions] == [1]


@pytest.mark.parametrize("kind", ["nchw_add", "scalar_add", "full_add", "relu_read_twice"])
def test_look_alikes_do_not_fuse(kind: str) -> None:
    rng = np.random.RandomState(3)
    nchw = kind == "nchw_add"
    x = tf.placeholder(tf.float32, [1, 4, 6, 4] if nchw else [1, 6, 6, 4])
    w = tf.constant(rng.randn(3, 3, 4, 4).astype(np.float32))
    c = tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME", data_format="NCHW" if nchw else "NHWC")
    if kind in ("nchw_add", "relu_read_twice"):
        z = c + tf.constant(rng.randn(4).astype(np.float32))
    elif kind == "scalar_add":
        z = c + tf.constant([0.5])
    else:
        z = c + tf.constant(rng.randn(6, 6, 4).astype(np.float32))
    r = tf.nn.relu(z)
    y = tf.nn.max_pool(r, [1, 2, 2, 1], [1, 2, 2, 1], "SAME") if not nchw else r
    if kind == "relu_read_twice":
        y = y + tf.reduce_max(r)
    with tf.Session() as sess:
        sess.run(y, {x: rng.randn(*x.shape.as_list()).astype(np.float32)})
        (plan,) = sess._plans.values()
    # The add stays apart from the convolution but the ReLU + pool pair fuses (scalar_add,
    # full_add); the bias goes into the convolution but the pool stays apart (relu_read_twice).
    assert plan.fusions == (0 if nchw else 1)
    conv_bias = re.search(r"\(f0, t\d+, t\d+\)", plan.source) is not None  # x, filter, bias
    assert conv_bias == (kind == "relu_read_twice")
