"""``scopeflow.contrib.seq2seq``: TF 2.21 has no seq2seq, so ``gather_tree`` is checked against
TF's ``GatherTree`` kernel and ``sequence_loss`` against TF 1.15's formula built from TF ops
(``tools/record_rnn_golden.py``); decoding is checked against equivalent ``dynamic_rnn`` graphs
and a hand-run greedy loop."""

from __future__ import annotations

import builtins
import doctest
import importlib
from pathlib import Path

import numpy as np
import pytest

import scopeflow.compat.v1 as tf
from scopeflow.contrib import seq2seq

G = dict(np.load(Path(__file__).resolve().parent / "golden" / "contrib_rnn.npz"))


def _run(fetches, feed=None):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(fetches, feed)


def test_gather_tree_tf_published_example():
    # TF 2.21 has no GatherTree kernel; this is TF 1.15's beam_search_ops_test case
    # (max_time 4, batch 1, beams 3, end_token 10, length 3).
    step_ids = np.array([[[1, 2, 3]], [[4, 5, 6]], [[7, 8, 9]], [[-1, -1, -1]]], np.int32)
    parent_ids = np.array([[[0, 0, 0]], [[0, 1, 1]], [[2, 1, 2]], [[-1, -1, -1]]], np.int32)
    expected = [[[2, 2, 2]], [[6, 5, 6]], [[7, 8, 9]], [[10, 10, 10]]]
    out = seq2seq.gather_tree(step_ids, parent_ids, [3], 10)
    assert out.shape.as_list() == [4, 1, 3]
    np.testing.assert_array_equal(_run(out), expected)


def test_gather_tree_end_token_fills_the_rest():
    ids = np.array([[[1]], [[10]], [[3]]], np.int32)
    out = seq2seq.gather_tree(ids, np.zeros_like(ids), [3], 10)
    np.testing.assert_array_equal(_run(out)[:, 0, 0], [1, 10, 10])


@pytest.mark.parametrize(
    ("kwargs", "key"),
    [
        pytest.param({}, "sl_mean", id="mean"),
        pytest.param({"average_across_timesteps": False}, "sl_batch", id="per_time"),
        pytest.param({"average_across_batch": False}, "sl_time", id="per_batch"),
        pytest.param(
            {
                "average_across_batch": False,
                "average_across_timesteps": False,
                "sum_over_timesteps": True,
            },
            "sl_sum_time",
            id="sum_over_time",
        ),
        pytest.param(
            {"average_across_batch": False, "average_across_timesteps": False}, "sl_none", id="none"
        ),
    ],
)
def test_sequence_loss_matches_tf(kwargs, key):
    loss = seq2seq.sequence_loss(G["sl_logits"], G["sl_targets"], G["sl_weights"], **kwargs)
    np.testing.assert_allclose(_run(loss), G[key], rtol=1e-5, atol=1e-6)


def test_sequence_loss_errors():
    with pytest.raises(ValueError, match="cannot be set to True at same time"):
        seq2seq.sequence_loss(G["sl_logits"], G["sl_targets"], G["sl_weights"],
                              sum_over_timesteps=True)  # fmt: skip
    with pytest.raises(ValueError, match="Logits must be"):
        seq2seq.sequence_loss(G["sl_targets"], G["sl_targets"], G["sl_weights"])


def test_tile_batch():
    t = tf.constant([[1, 2], [3, 4]])
    np.testing.assert_array_equal(_run(seq2seq.tile_batch(t, 2)), [[1, 2], [1, 2], [3, 4], [3, 4]])


def test_training_decoder_equals_dynamic_rnn():
    tf.set_random_seed(1)
    x = tf.constant(np.random.RandomState(0).randn(3, 5, 2).astype(np.float32))
    lengths = tf.constant([5, 3, 1])
    cell = tf.nn.rnn_cell.LSTMCell(4)
    helper = seq2seq.TrainingHelper(x, lengths)
    dec = seq2seq.BasicDecoder(cell, helper, cell.zero_state(3, tf.float32))
    out, st, sl = seq2seq.dynamic_decode(dec, impute_finished=True)
    assert [v.name for v in tf.global_variables()] == [
        "decoder/lstm_cell/kernel:0", "decoder/lstm_cell/bias:0"]  # fmt: skip
    assert out.rnn_output.name == "decoder/transpose:0"
    with tf.variable_scope("decoder", reuse=True):
        ref, ref_st = tf.nn.dynamic_rnn(cell, x, sequence_length=lengths, dtype=tf.float32)
    o, s, n, r, rs = _run([out, st, sl, ref, ref_st])
    np.testing.assert_array_equal(n, [5, 3, 1])
    np.testing.assert_allclose(o.rnn_output, r, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(s.h, rs.h, rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(o.sample_id, np.argmax(o.rnn_output, -1))


def test_greedy_decoding_matches_a_hand_run_loop():
    tf.set_random_seed(2)
    vocab, units = 6, 5
    emb = tf.get_variable("emb", [vocab, 3])
    cell = tf.nn.rnn_cell.GRUCell(units)

    class Proj:  # a minimal output layer: logits = h @ w
        units = vocab

        def __init__(self):
            self.w = tf.get_variable("proj", [units, vocab])

        def __call__(self, h):
            return tf.matmul(h, self.w)

    proj = Proj()
    helper = seq2seq.GreedyEmbeddingHelper(emb, tf.fill([2], 1), 0)
    dec = seq2seq.BasicDecoder(cell, helper, cell.zero_state(2, tf.float32), output_layer=proj)
    out, _, lengths = seq2seq.dynamic_decode(dec, maximum_iterations=7)
    ids, n, e, w = _run([out.sample_id, lengths, emb, proj.w])
    with tf.variable_scope("decoder", reuse=True):
        h = tf.zeros([2, units])
        tok = tf.fill([2], 1)
        hand = []
        for _ in range(ids.shape[1]):
            o, h = cell(tf.nn.embedding_lookup(e, tok), h)
            tok = tf.argmax(tf.matmul(o, w), -1, output_type=tf.int32)
            hand.append(tok)
    hand_ids = _run(tf.stack(hand, 1))
    assert ids.shape[1] <= 7
    for b in range(2):
        np.testing.assert_array_equal(ids[b, : n[b]], hand_ids[b, : n[b]])


def test_sample_helper_is_seeded_and_decoder_type_checked():
    tf.set_random_seed(3)
    helper = seq2seq.SampleEmbeddingHelper(tf.eye(4), tf.fill([3], 0), 3, seed=5)
    s = helper.sample(0, tf.constant(np.log([[0.1, 0.2, 0.3, 0.4]] * 3, dtype=np.float32)), None)
    a, b = _run(s), _run(s)
    assert a.shape == (3,)
    np.testing.assert_array_equal(a, b)
    with pytest.raises(TypeError, match="Expected decoder to be type Decoder"):
        seq2seq.dynamic_decode(object())


@pytest.mark.parametrize(
    "module_name",
    [
        "scopeflow.contrib.seq2seq._decoder",
        "scopeflow.contrib.seq2seq._loss",
        "scopeflow.ops.beam_search_ops",
        "scopeflow.contrib.seq2seq._attention",
        "scopeflow.contrib.seq2seq._beam_search",
    ],
)
def test_seq2seq_docstring_examples(module_name):
    module = importlib.import_module(module_name)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for test in doctest.DocTestFinder().find(module, module_name):
        test.globs["print"] = builtins.print
        with tf.Graph().as_default():
            runner.run(test)
    assert runner.summarize(verbose=False).failed == 0


def test_scheduled_sampling_helper_extremes():
    tf.set_random_seed(7)
    emb = tf.constant(np.arange(21, dtype=np.float32).reshape(7, 3))
    x = tf.constant(np.random.RandomState(1).randn(2, 4, 3).astype(np.float32))
    outs = tf.constant(np.random.RandomState(2).randn(2, 7).astype(np.float32))
    never = seq2seq.ScheduledEmbeddingTrainingHelper(x, [4, 4], emb, 0.0, seed=1)
    always = seq2seq.ScheduledEmbeddingTrainingHelper(x, [4, 4], emb, 1.0, seed=1)
    ids0 = never.sample(0, outs, None)
    _, nxt0, _ = never.next_inputs(0, outs, None, ids0)
    ids1 = always.sample(0, outs, None)
    _, nxt1, _ = always.next_inputs(0, outs, None, ids1)
    a0, n0, a1, n1, xv, ev = _run([ids0, nxt0, ids1, nxt1, x, emb])
    np.testing.assert_array_equal(a0, [-1, -1])
    np.testing.assert_allclose(n0, xv[:, 1])
    assert (a1 >= 0).all()
    np.testing.assert_allclose(n1, ev[a1])
