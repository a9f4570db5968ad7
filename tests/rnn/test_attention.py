"""``AttentionWrapper`` with Bahdanau/Luong attention: TF 1.15's equations checked in NumPy
(TF 2.21 has no seq2seq to record from), variable names, masking, alignment history."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow.compat.v1 as tf
from scopeflow.contrib import seq2seq

RNG = np.random.RandomState(0)
MEM = RNG.randn(2, 5, 3).astype(np.float32)
LENS = np.array([5, 2])


def _softmax(s):
    e = np.exp(s - s.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def _sig(v):
    return 1 / (1 + np.exp(-v))


def _lstm(x, c, h, k, b):
    z = np.concatenate([x, h], 1) @ k + b
    i, j, f, o = np.split(z, 4, 1)
    c2 = c * _sig(f + 1.0) + _sig(i) * np.tanh(j)
    return np.tanh(c2) * _sig(o), c2


@pytest.mark.parametrize("kind", ["bahdanau_normalized", "luong_scaled"])
def test_attention_wrapper_step_matches_tf_equations(kind):
    tf.set_random_seed(4)
    if kind == "bahdanau_normalized":
        att = seq2seq.BahdanauAttention(4, MEM, memory_sequence_length=LENS, normalize=True)
    else:
        att = seq2seq.LuongAttention(3, MEM, memory_sequence_length=LENS, scale=True)
    cell = seq2seq.AttentionWrapper(tf.nn.rnn_cell.LSTMCell(3), att, attention_layer_size=4,
                                    alignment_history=True)  # fmt: skip
    x = RNG.randn(2, 2).astype(np.float32)
    out, st = cell(tf.constant(x), cell.zero_state(2, tf.float32))
    hist = st.alignment_history.stack()
    names = [v.op.name for v in tf.global_variables()]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got, align, h, w = sess.run(
            [out, st.alignments, hist, dict(zip(names, tf.global_variables(), strict=True))]
        )
    mem = MEM * (np.arange(5)[None, :] < LENS[:, None])[..., None]
    keys = mem @ w["memory_layer/kernel"]
    cell_in = np.concatenate([x, np.zeros([2, 4], np.float32)], 1)
    k = w["attention_wrapper/lstm_cell/kernel"]
    b = w["attention_wrapper/lstm_cell/bias"]
    hout, _ = _lstm(cell_in, np.zeros([2, 3]), np.zeros([2, 3]), k, b)
    if kind == "bahdanau_normalized":
        q = hout @ w["attention_wrapper/bahdanau_attention/query_layer/kernel"]
        v = w["attention_wrapper/bahdanau_attention/attention_v"]
        g = w["attention_wrapper/bahdanau_attention/attention_g"]
        bb = w["attention_wrapper/bahdanau_attention/attention_b"]
        nv = g * v / np.sqrt((v * v).sum())
        score = (nv * np.tanh(keys + q[:, None] + bb)).sum(2)
    else:
        score = w["attention_wrapper/luong_attention/attention_g"] * np.einsum(
            "bd,btd->bt", hout, keys
        )
    score = np.where(np.arange(5)[None, :] < LENS[:, None], score, -np.inf)
    alignments = _softmax(score)
    context = np.einsum("bt,btd->bd", alignments, mem)
    attention = np.concatenate([hout, context], 1) @ w["attention_wrapper/attention_layer/kernel"]
    np.testing.assert_allclose(align, alignments, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(h[0], alignments, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got, attention, rtol=1e-5, atol=1e-5)
    assert not align[1, 2:].any()


def test_attention_decoder_variable_names():
    tf.set_random_seed(5)
    att = seq2seq.BahdanauAttention(4, MEM)
    cell = seq2seq.AttentionWrapper(tf.nn.rnn_cell.GRUCell(3), att, attention_layer_size=2)
    helper = seq2seq.TrainingHelper(tf.zeros([2, 4, 6]), [4, 3])
    dec = seq2seq.BasicDecoder(cell, helper, cell.zero_state(2, tf.float32))
    out, state, _ = seq2seq.dynamic_decode(dec)
    assert [v.op.name for v in tf.global_variables()] == [
        "memory_layer/kernel",
        "decoder/attention_wrapper/gru_cell/gates/kernel",
        "decoder/attention_wrapper/gru_cell/gates/bias",
        "decoder/attention_wrapper/gru_cell/candidate/kernel",
        "decoder/attention_wrapper/gru_cell/candidate/bias",
        "decoder/attention_wrapper/bahdanau_attention/query_layer/kernel",
        "decoder/attention_wrapper/bahdanau_attention/attention_v",
        "decoder/attention_wrapper/attention_layer/kernel",
    ]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        o, s = sess.run([out.rnn_output, state])
    assert o.shape == (2, 4, 2)
    assert s.time == 4


def test_attention_wrapper_errors():
    with pytest.raises(TypeError, match="attention_mechanism must be an AttentionMechanism"):
        seq2seq.AttentionWrapper(tf.nn.rnn_cell.GRUCell(3), object())
    att = seq2seq.LuongAttention(3, MEM)
    with pytest.raises(ValueError, match="Only one of attention_layer_size and attention_layer"):
        seq2seq.AttentionWrapper(tf.nn.rnn_cell.GRUCell(3), att, attention_layer_size=2,
                                 attention_layer=object())  # fmt: skip
