"""``tf.contrib.seq2seq`` monotonic attention, ``hardmax``, ``safe_cumprod`` and the custom /
inference / scheduled-output helpers: TF 1.15's equations checked in NumPy (TF 2.21 has no
seq2seq to record from), variable names and creation order."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow.compat.v1 as tf
from scopeflow.contrib import seq2seq

RNG = np.random.RandomState(0)
MEM = RNG.randn(2, 5, 3).astype(np.float32)
LENS = np.array([5, 3])


def _run(fetches, feed=None):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(fetches, feed)


def _monotonic_np(p, prev):
    """TF 1.15's recurrence: q[i] = (1 - p[i-1]) q[i-1] + prev[i]; attention = p * q."""
    q = np.zeros_like(p)
    for i in range(p.shape[1]):
        q[:, i] = (q[:, i - 1] * (1 - p[:, i - 1]) if i else 0) + prev[:, i]
    return p * q


def test_hardmax_and_safe_cumprod():
    logits = RNG.randn(3, 4).astype(np.float32)
    x = RNG.rand(2, 5).astype(np.float32)
    h, c1, c2 = _run([seq2seq.hardmax(logits), seq2seq.safe_cumprod(x, axis=1),
                      seq2seq.safe_cumprod(x, axis=1, exclusive=True, reverse=True)])  # fmt: skip
    np.testing.assert_array_equal(h, np.eye(4, dtype=np.float32)[logits.argmax(1)])
    np.testing.assert_allclose(c1, np.cumprod(x, 1), rtol=1e-5)
    rev = np.concatenate([np.cumprod(x[:, ::-1], 1)[:, :-1][:, ::-1], np.ones([2, 1])], 1)
    np.testing.assert_allclose(c2, rev, rtol=1e-5)


@pytest.mark.parametrize("mode", ["recursive", "parallel"])
def test_monotonic_attention_soft_modes(mode):
    p = RNG.uniform(0.05, 0.95, (3, 6)).astype(np.float32)
    prev = RNG.dirichlet(np.ones(6), 3).astype(np.float32)
    got = _run(seq2seq.monotonic_attention(p, prev, mode))
    np.testing.assert_allclose(got, _monotonic_np(p, prev), rtol=1e-4, atol=1e-6)


def test_monotonic_attention_hard_mode_and_errors():
    p = np.array([[0, 1, 1, 0, 1], [0, 0, 0, 1, 1]], np.float32)
    prev = np.array([[0, 0, 1, 0, 0], [1, 0, 0, 0, 0]], np.float32)
    got = _run(seq2seq.monotonic_attention(p, prev, "hard"))
    np.testing.assert_array_equal(got, [[0, 0, 1, 0, 0], [0, 0, 0, 1, 0]])
    np.testing.assert_array_equal(got, _monotonic_np(p, prev))
    with pytest.raises(ValueError, match="mode must be 'recursive', 'parallel', or 'hard'"):
        seq2seq.monotonic_attention(p, prev, "soft")


@pytest.mark.parametrize("kind", ["bahdanau", "luong_scaled", "bahdanau_hard"])
def test_monotonic_mechanisms_match_tf_equations(kind):
    tf.set_random_seed(3)
    if kind.startswith("bahdanau"):
        mode = "hard" if kind.endswith("hard") else "parallel"
        att = seq2seq.BahdanauMonotonicAttention(4, MEM, memory_sequence_length=LENS,
                                                 normalize=True, score_bias_init=-0.5,
                                                 mode=mode)  # fmt: skip
        query = RNG.randn(2, 6).astype(np.float32)
    else:
        att = seq2seq.LuongMonotonicAttention(4, MEM, memory_sequence_length=LENS, scale=True,
                                              score_bias_init=0.3, mode="recursive")  # fmt: skip
        query = RNG.randn(2, 4).astype(np.float32)
    init = att.initial_alignments(2, tf.float32)
    align, nxt = att(tf.constant(query), init)
    names = [v.op.name for v in tf.global_variables()]
    w, a0, al = _run([dict(zip(names, tf.global_variables(), strict=True)), init, align])
    np.testing.assert_array_equal(a0, [[1, 0, 0, 0, 0]] * 2)
    mem = MEM * (np.arange(5)[None, :] < LENS[:, None])[..., None]
    keys = mem @ w["memory_layer/kernel"]
    if kind.startswith("bahdanau"):
        scope = "bahdanau_monotonic_attention"
        assert names == ["memory_layer/kernel", f"{scope}/query_layer/kernel",
                         f"{scope}/attention_v", f"{scope}/attention_g", f"{scope}/attention_b",
                         f"{scope}/attention_score_bias"]  # fmt: skip
        q = query @ w[f"{scope}/query_layer/kernel"]
        v, g = w[f"{scope}/attention_v"], w[f"{scope}/attention_g"]
        nv = g * v / np.sqrt((v * v).sum())
        score = (nv * np.tanh(keys + q[:, None] + w[f"{scope}/attention_b"])).sum(2)
    else:
        scope = "luong_monotonic_attention"
        assert names == ["memory_layer/kernel", f"{scope}/attention_g",
                         f"{scope}/attention_score_bias"]  # fmt: skip
        score = w[f"{scope}/attention_g"] * np.einsum("bd,btd->bt", query, keys)
    score = score + w[f"{scope}/attention_score_bias"]
    score = np.where(np.arange(5)[None, :] < LENS[:, None], score, -np.inf)
    p = (score > 0).astype(np.float32) if kind.endswith("hard") else 1 / (1 + np.exp(-score))
    np.testing.assert_allclose(al, _monotonic_np(p, a0), rtol=1e-5, atol=1e-6)
    assert nxt is align
    assert not al[1, 3:].any()


def test_monotonic_sigmoid_noise_is_seeded():
    tf.set_random_seed(1)
    att = seq2seq.LuongMonotonicAttention(3, MEM, sigmoid_noise=1.0, sigmoid_noise_seed=7)
    a, _ = att(tf.ones([2, 3]), att.initial_alignments(2, tf.float32))
    first = _run(a)
    assert np.isfinite(first).all()
    normals = [op for op in a.op.graph.get_operations() if op.type == "RandomStandardNormal"]
    assert [op.get_attr("seed2") for op in normals] == [7]
    np.testing.assert_array_equal(_run(a), first)  # a new session restarts the op's stream
    quiet = seq2seq.LuongMonotonicAttention(3, MEM, name="quiet")
    with tf.variable_scope("q"):
        b, _ = quiet(tf.ones([2, 3]), quiet.initial_alignments(2, tf.float32))
    assert not np.allclose(_run(b), first)


def _decode(cell, helper, batch):
    dec = seq2seq.BasicDecoder(cell, helper, cell.zero_state(batch, tf.float32))
    return seq2seq.dynamic_decode(dec, maximum_iterations=6)


def test_scheduled_output_training_helper_extremes():
    x = RNG.randn(2, 4, 3).astype(np.float32)
    cell = tf.nn.rnn_cell.BasicRNNCell(3)
    never = seq2seq.ScheduledOutputTrainingHelper(x, [4, 4], 0.0, seed=1)
    out0, _, _ = _decode(cell, never, 2)
    tf.get_variable_scope().reuse_variables()
    always = seq2seq.ScheduledOutputTrainingHelper(x, [4, 4], 1.0, seed=1)
    out1, _, _ = _decode(cell, always, 2)
    names = [v.op.name for v in tf.global_variables()]
    got0, got1, ids1, w = _run([out0.rnn_output, out1.rnn_output, out1.sample_id,
                                dict(zip(names, tf.global_variables(), strict=True))])  # fmt: skip
    k, b = w["decoder/basic_rnn_cell/kernel"], w["decoder/basic_rnn_cell/bias"]
    h = np.zeros([2, 3], np.float32)
    ref0, ref1 = [], []
    for t in range(4):
        h = np.tanh(np.concatenate([x[:, t], h], 1) @ k + b)
        ref0.append(h)
    h, inp = np.zeros([2, 3], np.float32), x[:, 0]
    for _ in range(4):
        h = np.tanh(np.concatenate([inp, h], 1) @ k + b)
        ref1.append(h)
        inp = h
    np.testing.assert_allclose(got0, np.stack(ref0, 1), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got1, np.stack(ref1, 1), rtol=1e-5, atol=1e-6)
    assert ids1.dtype == np.int32
    assert (ids1[:, :3] == 1).all()


def test_scheduled_output_helper_auxiliary_inputs_and_next_inputs_fn():
    x = RNG.randn(2, 3, 2).astype(np.float32)
    aux = RNG.randn(2, 3, 1).astype(np.float32)
    cell = tf.nn.rnn_cell.BasicRNNCell(2)
    helper = seq2seq.ScheduledOutputTrainingHelper(x, [3, 3], 1.0, auxiliary_inputs=aux,
                                                   next_inputs_fn=lambda o: o * 2.0)  # fmt: skip
    out, _, _ = _decode(cell, helper, 2)
    names = [v.op.name for v in tf.global_variables()]
    got, w = _run([out.rnn_output, dict(zip(names, tf.global_variables(), strict=True))])
    k, b = w["decoder/basic_rnn_cell/kernel"], w["decoder/basic_rnn_cell/bias"]
    h = np.zeros([2, 2], np.float32)
    inp = np.concatenate([x[:, 0], aux[:, 0]], 1)
    ref = []
    for t in range(3):
        h = np.tanh(np.concatenate([inp, h], 1) @ k + b)
        ref.append(h)
        if t + 1 < 3:
            inp = np.concatenate([h * 2.0, aux[:, t + 1]], 1)
    np.testing.assert_allclose(got, np.stack(ref, 1), rtol=1e-5, atol=1e-6)


def test_inference_and_custom_helpers():
    cell = tf.nn.rnn_cell.BasicRNNCell(2)
    start = RNG.randn(2, 2).astype(np.float32)
    helper = seq2seq.InferenceHelper(
        sample_fn=lambda o: o,
        sample_shape=[2],
        sample_dtype=tf.float32,
        start_inputs=start,
        end_fn=lambda s: tf.reduce_all(s > 10.0, axis=-1),
        next_inputs_fn=lambda s: s * 0.5,
    )
    out, _, lengths = _decode(cell, helper, 2)
    tf.get_variable_scope().reuse_variables()

    def next_inputs_fn(time, outputs, state, sample_ids):
        return time + 1 >= 3, outputs * 0.5, state

    custom = seq2seq.CustomHelper(
        initialize_fn=lambda: (tf.zeros([2], tf.bool), tf.constant(start)),
        sample_fn=lambda time, outputs, state: tf.zeros([2], tf.int32),
        next_inputs_fn=next_inputs_fn,
    )
    out2, _, lengths2 = _decode(cell, custom, 2)
    names = [v.op.name for v in tf.global_variables()]
    weights = dict(zip(names, tf.global_variables(), strict=True))
    got, ln, got2, ln2, w = _run([out.rnn_output, lengths, out2.rnn_output, lengths2, weights])
    k, b = w["decoder/basic_rnn_cell/kernel"], w["decoder/basic_rnn_cell/bias"]
    h, inp, ref = np.zeros([2, 2], np.float32), start, []
    for _ in range(6):
        h = np.tanh(np.concatenate([inp, h], 1) @ k + b)
        ref.append(h)
        inp = h * 0.5
    np.testing.assert_allclose(got, np.stack(ref, 1), rtol=1e-5, atol=1e-6)
    assert (ln == 6).all()
    np.testing.assert_allclose(got2, np.stack(ref[:3], 1), rtol=1e-5, atol=1e-6)
    assert (ln2 == 3).all()
    with pytest.raises(ValueError, match="batch_size accessed before initialize"):
        _ = seq2seq.CustomHelper(None, None, None).batch_size
