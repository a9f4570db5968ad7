"""Subgraph fusions of plans (``graph.pattern_fusion``, ``ops._bert_fusions``).

Layer norm (``tf.contrib.layers.layer_norm``, or written out from ``tf.nn.moments``) and
BERT's tanh-GELU run as one kernel in inference and in gradient plans, with the values and
gradients of the op-by-op computation (forced by fetching an intermediate, which must stop the
fusion) and of NumPy; a subgraph whose intermediate is read elsewhere, fetched, or whose
constant is fed runs op by op. TF's own values are in the ``perf_bert_fusions`` conformance
topic.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import scopeflow.compat.v1 as tf


@pytest.fixture(autouse=True)
def _fresh_graph() -> None:
    tf.reset_default_graph()


def _plan(sess: Any) -> Any:
    return list(sess._plans.values())[-1]


def _x(shape: list[int], seed: int = 0, dtype: Any = np.float64) -> Any:
    return np.random.RandomState(seed).normal(0.7, 2.0, shape).astype(dtype)


def _gelu_np(x: Any) -> Any:
    return 0.5 * x * (1.0 + np.tanh(np.sqrt(2.0 / np.pi) * (x + 0.044715 * x**3)))


def _gelu_bert(x: Any) -> Any:
    return x * (0.5 * (1.0 + tf.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * tf.pow(x, 3)))))


def _gelu_ours(x: Any) -> Any:
    return 0.5 * x * (1.0 + tf.tanh(np.sqrt(2.0 / np.pi) * (x + 0.044715 * tf.pow(x, 3))))


def _layer_norm_np(x: Any, gamma: Any, beta: Any, axes: tuple[int, ...], eps: float) -> Any:
    mean = x.mean(axis=axes, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=axes, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * gamma + beta


@pytest.mark.parametrize("begin_norm_axis", [-1, 1])
def test_contrib_layer_norm_fuses_with_values_and_gradients(begin_norm_axis: int) -> None:
    xv = _x([3, 4, 6])
    x = tf.placeholder(tf.float64, [None, 4, 6])
    init = tf.random_normal_initializer(1.0, 0.3, seed=1)
    with tf.variable_scope("ln", initializer=init):
        y = tf.contrib.layers.layer_norm(x, begin_norm_axis=begin_norm_axis,
                                         begin_params_axis=-1)  # fmt: skip
    beta, gamma = tf.trainable_variables()
    mean = tf.get_default_graph().get_tensor_by_name("ln/LayerNorm/moments/mean:0")
    loss = tf.reduce_sum(y * y * 0.25 + y)
    grads = tf.gradients(loss, [x, gamma, beta])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        fused = sess.run(y, {x: xv})
        assert _plan(sess).fusions == 1
        fused_grads = sess.run(grads, {x: xv})
        assert _plan(sess).fusions == 1
        unfused, _ = sess.run([y, mean], {x: xv})
        assert _plan(sess).fusions == 0
        unfused_grads = sess.run([*grads, mean], {x: xv})[:3]
        assert _plan(sess).fusions == 0
        gv, bv = sess.run([gamma, beta])
    axes = (2,) if begin_norm_axis == -1 else (1, 2)
    np.testing.assert_allclose(fused, _layer_norm_np(xv, gv, bv, axes, 1e-12), rtol=1e-12)
    np.testing.assert_allclose(fused, unfused, rtol=1e-12, atol=1e-13)
    for a, b in zip(fused_grads, unfused_grads, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)


def test_written_layer_norm_fuses_in_float32() -> None:
    xv = _x([5, 8], seed=3, dtype=np.float32)
    x = tf.placeholder(tf.float32, [None, 8])
    gamma = tf.constant(np.linspace(0.5, 2.0, 8, dtype=np.float32))
    beta = tf.constant(np.linspace(-1.0, 1.0, 8, dtype=np.float32))
    mean, var = tf.nn.moments(x, [-1], keep_dims=True)
    y = (x - mean) * tf.rsqrt(var + 1e-12) * gamma + beta
    with tf.Session() as sess:
        fused = sess.run(y, {x: xv})
        assert _plan(sess).fusions == 1
        unfused, _ = sess.run([y, var], {x: xv})
        assert _plan(sess).fusions == 0
    np.testing.assert_allclose(fused, unfused, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("gelu", [_gelu_bert, _gelu_ours], ids=["bert", "written"])
def test_gelu_fuses_with_values_and_gradients(gelu: Any) -> None:
    xv = _x([4, 9], seed=5)
    x = tf.placeholder(tf.float64, [None, 9])
    y = gelu(x)
    g = tf.gradients(tf.reduce_sum(y * y), x)[0]
    tanh = next(op for op in tf.get_default_graph().get_operations() if op.type == "Tanh")
    with tf.Session() as sess:
        fused, fused_g = sess.run([y, g], {x: xv})
        assert _plan(sess).fusions == 1
        unfused, unfused_g, _ = sess.run([y, g, tanh.outputs[0]], {x: xv})
        assert _plan(sess).fusions == 0
    np.testing.assert_allclose(fused, _gelu_np(xv), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(fused, unfused, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(fused_g, unfused_g, rtol=1e-10, atol=1e-12)


def test_no_fusion_when_an_intermediate_is_read_elsewhere() -> None:
    xv = _x([3, 5], seed=6)
    x = tf.placeholder(tf.float64, [None, 5])
    inner = tf.tanh(np.sqrt(2.0 / np.pi) * (x + 0.044715 * tf.pow(x, 3)))
    y = 0.5 * x * (1.0 + inner) + tf.reduce_sum(inner)
    with tf.Session() as sess:
        out = sess.run(y, {x: xv})
        assert _plan(sess).fusions == 0
    np.testing.assert_allclose(out, _gelu_np(xv) + np.tanh(np.sqrt(2 / np.pi) * (
        xv + 0.044715 * xv**3)).sum(), rtol=1e-12)  # fmt: skip


def test_no_fusion_when_a_constant_is_fed() -> None:
    xv = _x([2, 3], seed=7)
    x = tf.placeholder(tf.float64, [None, 3])
    y = _gelu_ours(x)
    half = y.op.inputs[0].op.inputs[0]  # the 0.5 of ``0.5 * x``
    with tf.Session() as sess:
        out = sess.run(y, {x: xv, half: 1.0})
        assert _plan(sess).fusions == 0
    np.testing.assert_allclose(out, 2 * _gelu_np(xv), rtol=1e-12)


def test_other_constants_do_not_match() -> None:
    xv = _x([2, 3], seed=8)
    x = tf.placeholder(tf.float64, [None, 3])
    y = 0.5 * x * (1.0 + tf.tanh(0.8 * (x + 0.044715 * tf.pow(x, 3))))
    with tf.Session() as sess:
        out = sess.run(y, {x: xv})
        assert _plan(sess).fusions == 0
    np.testing.assert_allclose(
        out, 0.5 * xv * (1 + np.tanh(0.8 * (xv + 0.044715 * xv**3))), rtol=1e-12
    )


@pytest.mark.parametrize("activation", [None, "relu"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dense_layer_fuses_in_inference_and_gradient_plans(activation: Any, dtype: Any) -> None:
    xv = _x([128, 256], seed=9, dtype=dtype)  # float32: large enough for oneDNN
    x = tf.placeholder(dtype, [None, 256])
    act = tf.nn.relu if activation else None
    init = tf.truncated_normal_initializer(0.0, 0.3, seed=1)
    binit = tf.random_normal_initializer(0.1, 0.5, seed=2)
    y = tf.layers.dense(x, 96, activation=act, name="d", kernel_initializer=init,
                        bias_initializer=binit)  # fmt: skip
    kernel, bias = tf.trainable_variables()
    grads = tf.gradients(tf.reduce_sum(y * y), [x, kernel, bias])
    pre = tf.get_default_graph().get_tensor_by_name("d/MatMul:0")
    rtol = 1e-4 if dtype == np.float32 else 1e-12
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        kv, bv = sess.run([kernel, bias])
        fused = sess.run(y, {x: xv})
        assert _plan(sess).fusions == 1
        fused_grads = sess.run(grads, {x: xv})
        assert _plan(sess).fusions == 1
        unfused_grads = sess.run([*grads, pre], {x: xv})[:3]
        assert _plan(sess).fusions == 0
    want = xv.astype(np.float64) @ kv + bv
    if activation:
        want = np.maximum(want, 0.0)
    np.testing.assert_allclose(fused, want, rtol=rtol, atol=rtol)
    for a, b in zip(fused_grads, unfused_grads, strict=True):
        np.testing.assert_allclose(a, b, rtol=rtol, atol=10 * rtol)
