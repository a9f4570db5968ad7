"""Variable-update groups run block by block (``ops._update_fusions``, ``graph.pattern_fusion``).

BERT's ``AdamWeightDecayOptimizer`` (an update written as ``Mul``/``AddV2``/``Sqrt``/``RealDiv``
... ops and three ``Assign`` per variable) runs as one fused step per variable. These tests check
that the fused step gives the op-by-op plan's bits (forced by fetching an intermediate, which
must stop the fusion of that variable's group) and NumPy's float32 op-by-op bits, over
variables of several blocks with a partial last one; that it does not fire where an
intermediate or an ``Assign``'s value is fetched; and that an input aliasing a variable in a
way the plan cannot see falls back to whole-tensor math with the same values. TF's own values
are in the ``perf_trainstep_update_fusion`` conformance topic.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch

import scopeflow.compat.v1 as tf
from scopeflow.ops import _update_fusions


@pytest.fixture(autouse=True)
def _fresh_graph() -> None:
    tf.reset_default_graph()


def _adam_weight_decay(grads_and_vars: list[tuple[Any, Any]], lr: Any, decay: float = 0.01,
                       ) -> tuple[Any, list[Any]]:  # fmt: skip
    """BERT's ``AdamWeightDecayOptimizer.apply_gradients`` (the group op and each ``next_m``)."""
    assignments, next_ms = [], []
    for grad, param in grads_and_vars:
        name = param.op.name
        shape = param.shape.as_list()
        m = tf.get_variable(name + "/adam_m", shape, param.dtype.base_dtype, trainable=False,
                            initializer=tf.zeros_initializer())  # fmt: skip
        v = tf.get_variable(name + "/adam_v", shape, param.dtype.base_dtype, trainable=False,
                            initializer=tf.zeros_initializer())  # fmt: skip
        next_m = tf.multiply(0.9, m) + tf.multiply(0.1, grad)
        next_v = tf.multiply(0.999, v) + tf.multiply(0.001, tf.square(grad))
        update = next_m / (tf.sqrt(next_v) + 1e-6)
        if "bias" not in name:
            update += decay * param
        next_param = param - lr * update
        assignments.extend([param.assign(next_param), m.assign(next_m), v.assign(next_v)])
        next_ms.append(next_m)
    return tf.group(*assignments), next_ms


def _model(dtype: Any = tf.float32) -> tuple[Any, ...]:
    """A two-layer net whose first kernel spans several blocks (300 x 250 > 2 x 32,768)."""
    x = tf.placeholder(dtype, [16, 300])
    y = tf.placeholder(tf.int32, [16])
    init = tf.glorot_uniform_initializer(seed=1)
    h = tf.layers.dense(x, 250, activation=tf.nn.relu, kernel_initializer=init)
    logits = tf.layers.dense(h, 3, kernel_initializer=init)
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
    tvars = tf.trainable_variables()
    grads, _ = tf.clip_by_global_norm(tf.gradients(loss, tvars), 1.0)
    gs = tf.train.get_or_create_global_step()
    lr = 1e-2 * (1.0 - tf.cast(gs, dtype) / 100.0)
    train, next_ms = _adam_weight_decay(list(zip(grads, tvars, strict=True)), lr)
    with tf.control_dependencies([train]):
        step = tf.group(gs.assign_add(1))
    rng = np.random.RandomState(0)
    feed = {x: rng.randn(16, 300).astype(dtype.as_numpy_dtype), y: rng.randint(0, 3, 16)}
    return step, next_ms, grads, lr, feed


def _assign_lines(sess: Any, fetch: Any) -> int:
    """``Assign`` lines of the latest plan that fetches ``fetch``."""
    plan = [p for p in sess._plans.values() if any(el is fetch for el in p.fetch_elements)][-1]
    return sum(op.type == "Assign" for op in plan._line_ops.values())


def _train(steps: int, extra: Any = (), dtype: Any = tf.float32) -> tuple[list[Any], int]:
    step, next_ms, _, _, feed = _model(dtype)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(steps):
            sess.run([step, *extra(next_ms)] if extra else step, feed)
        lines = _assign_lines(sess, step)
        return sess.run(tf.global_variables()), lines


@pytest.mark.parametrize("dtype", [tf.float32, tf.float64])
@pytest.mark.parametrize("helpers", [0, 2])
def test_fused_update_gives_the_op_by_op_bits(
    dtype: Any, helpers: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert 2 * _update_fusions._CHUNK < 300 * 250  # a partial third block
    if helpers:  # the blocks shared with helper threads (as on a machine of 3 cores)
        monkeypatch.setattr(_update_fusions, "_MIN_SHARED_BLOCKS", 2)
        monkeypatch.setattr(torch, "get_num_threads", lambda: helpers + 1)
    fused, fused_lines = _train(3, dtype=dtype)
    tf.reset_default_graph()
    unfused, unfused_lines = _train(3, extra=lambda ms: ms, dtype=dtype)
    # Four variables, three ``Assign`` each: one fused step each when nothing is fetched.
    assert fused_lines == 4
    assert unfused_lines == 12
    for a, b in zip(fused, unfused, strict=True):
        np.testing.assert_array_equal(a, b)


def test_fused_update_matches_numpy_float32_op_by_op() -> None:
    step, _, grads, lr, feed = _model()
    tvars = tf.trainable_variables()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(step, feed)
        before = sess.run(tf.global_variables())
        g, lr_v = sess.run([grads, lr], feed)  # this run assigns nothing
        sess.run(step, feed)
        assert _assign_lines(sess, step) == 4
        after = sess.run(tf.global_variables())
    names = [v.op.name for v in tf.global_variables()]
    f32 = np.float32
    for gi, var in zip(g, tvars, strict=True):
        name = var.op.name
        p, m, v = (before[names.index(n)] for n in (name, name + "/adam_m", name + "/adam_v"))
        next_m = f32(0.9) * m + f32(0.1) * gi
        next_v = f32(0.999) * v + f32(0.001) * np.square(gi)
        update = next_m / (np.sqrt(next_v) + f32(1e-6))
        if "bias" not in name:
            update = update + f32(0.01) * p
        next_p = p - f32(lr_v) * update
        np.testing.assert_array_equal(after[names.index(name + "/adam_m")], next_m)
        np.testing.assert_array_equal(after[names.index(name + "/adam_v")], next_v)
        np.testing.assert_array_equal(after[names.index(name)], next_p)


def test_fetching_an_assign_value_stops_that_group_only() -> None:
    step, _, _, _, feed = _model()
    ops = tf.get_default_graph().get_operations()
    first_m_assign = next(op for op in ops if op.type == "Assign"
                          and op.inputs[0].op.name.endswith("adam_m")
                          and op.inputs[1].op.type == "AddV2")  # fmt: skip
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run([step, first_m_assign.outputs[0]], feed)
        assert _assign_lines(sess, step) == 3 + 3  # one group op by op, three fused
        sess.run(step, feed)
        assert _assign_lines(sess, step) == 4


def test_hidden_alias_of_a_variable_falls_back_with_the_same_values(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = np.random.RandomState(3)
    init = rng.randn(200, 400).astype(np.float32)

    def build() -> tuple[Any, Any]:
        w = tf.get_variable("w", initializer=init)
        m = tf.get_variable("m", initializer=init * 0.5)
        # ``reshape(reshape(w))`` is ``w``'s buffer, which the matcher does not know statically.
        seen = tf.reshape(tf.reshape(w, [-1]), [200, 400])
        next_m = 0.9 * m + 0.1 * seen
        return tf.group(w.assign(w - 0.5 * next_m), m.assign(next_m)), next_m

    def no_blocks(*args: Any) -> None:
        raise AssertionError("block-wise run despite an unknown alias")

    monkeypatch.setattr(_update_fusions._Program, "_blocks", no_blocks)
    results = []
    for fetch_next_m in (False, True):
        tf.reset_default_graph()
        op, next_m = build()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(2):
                sess.run([op, next_m] if fetch_next_m else op)
            assert _assign_lines(sess, op) == (2 if fetch_next_m else 1)
            results.append(sess.run(tf.global_variables()))
    w, m = init, init * np.float32(0.5)
    for _ in range(2):
        m = np.float32(0.9) * m + np.float32(0.1) * w
        w = w - np.float32(0.5) * m
    for got in results:
        np.testing.assert_array_equal(got[0], w)
        np.testing.assert_array_equal(got[1], m)


def test_reads_after_the_update_see_the_new_values() -> None:
    w = tf.get_variable("w", initializer=np.ones([300, 300], np.float32))
    g = tf.placeholder(tf.float32, [300, 300])
    upd = w.assign(w - 0.25 * tf.sqrt(g))
    with tf.control_dependencies([upd]):
        after = tf.identity(w) * 2.0
    gv = np.full([300, 300], 4.0, np.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out = sess.run(after, {g: gv})
        assert _assign_lines(sess, after) == 1
    np.testing.assert_array_equal(out, np.full([300, 300], 1.0, np.float32))
