"""``scopeflow.contrib.legacy_seq2seq`` (TF 1.15 math; TF 2.21 has no legacy_seq2seq): losses
against NumPy, decoders against hand-unrolled cells, TF 1.15's variable names."""

from __future__ import annotations

import builtins
import doctest

import numpy as np
import pytest

import scopeflow.compat.v1 as tf
from scopeflow.contrib import legacy_seq2seq as l2


def _run(f):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(f)


def _xent(logits, t):
    z = logits - logits.max(1, keepdims=True)
    return -(z[np.arange(len(t)), t] - np.log(np.exp(z).sum(1)))


def test_sequence_losses_match_numpy():
    rng = np.random.RandomState(0)
    logits = [rng.randn(3, 5).astype(np.float32) for _ in range(4)]
    targets = [rng.randint(0, 5, 3).astype(np.int32) for _ in range(4)]
    weights = [(rng.rand(3) > 0.3).astype(np.float32) for _ in range(4)]
    per = sum(_xent(lg, t) * w for lg, t, w in zip(logits, targets, weights, strict=True))
    by_example = per / (sum(weights) + 1e-12)
    got = _run(
        [
            l2.sequence_loss_by_example(logits, targets, weights),
            l2.sequence_loss(logits, targets, weights),
            l2.sequence_loss(logits, targets, weights, average_across_batch=False),
        ]
    )
    np.testing.assert_allclose(got[0], by_example, rtol=1e-5)
    np.testing.assert_allclose(got[1], by_example.sum() / 3, rtol=1e-5)
    np.testing.assert_allclose(got[2], by_example.sum(), rtol=1e-5)
    with pytest.raises(ValueError, match="must be the same"):
        l2.sequence_loss_by_example(logits, targets[:2], weights)


def test_rnn_decoder_loop_function_feeds_previous_output():
    tf.set_random_seed(1)
    cell = tf.nn.rnn_cell.BasicRNNCell(3)
    x0 = tf.constant(np.ones([2, 3], np.float32))
    outs, _ = l2.rnn_decoder([x0, x0, x0], cell.zero_state(2, tf.float32), cell,
                             loop_function=lambda prev, i: prev * 2.0)  # fmt: skip
    with tf.variable_scope("rnn_decoder", reuse=True):
        h = tf.zeros([2, 3])
        inp = x0
        ref = []
        for _ in range(3):
            o, h = cell(inp, h)
            ref.append(o)
            inp = o * 2.0
    a, b = _run([outs, ref])
    np.testing.assert_allclose(a, b, rtol=1e-6)
    assert [v.op.name for v in tf.global_variables()] == [
        "rnn_decoder/basic_rnn_cell/kernel", "rnn_decoder/basic_rnn_cell/bias"]  # fmt: skip


def test_embedding_rnn_seq2seq_variables_and_feed_previous():
    tf.set_random_seed(2)
    enc = [tf.constant([1, 2]) for _ in range(3)]
    dec = [tf.constant([0, 0]) for _ in range(4)]
    outs, _ = l2.embedding_rnn_seq2seq(enc, dec, tf.nn.rnn_cell.GRUCell(4), 5, 6, 3,
                                           feed_previous=True)  # fmt: skip
    names = [v.op.name for v in tf.global_variables()]
    assert names[0] == "embedding_rnn_seq2seq/rnn/embedding_wrapper/embedding"
    assert names[1].startswith("embedding_rnn_seq2seq/rnn/embedding_wrapper/gru_cell/")
    assert "embedding_rnn_seq2seq/embedding_rnn_decoder/embedding" in names
    assert ("embedding_rnn_seq2seq/embedding_rnn_decoder/rnn_decoder/output_projection_wrapper/"
            "kernel") in names  # fmt: skip
    vals = _run(outs)
    assert len(vals) == 4
    assert vals[0].shape == (2, 6)


def test_legacy_docstring_examples():
    import scopeflow.contrib.legacy_seq2seq._attention as att
    import scopeflow.contrib.legacy_seq2seq._seq2seq as mod

    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for m in (mod, att):
        for test in doctest.DocTestFinder().find(m, m.__name__):
            test.globs["print"] = builtins.print
            with tf.Graph().as_default():
                runner.run(test)
    assert runner.summarize(verbose=False).failed == 0
