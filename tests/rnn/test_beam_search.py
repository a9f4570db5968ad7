"""``BeamSearchDecoder`` (TF 1.15 math; TF 2.21 has no seq2seq): beam width 1 equals greedy
decoding, and each returned beam's score equals its log probability recomputed by feeding the
beam's tokens through the same cell (length penalty 0)."""

from __future__ import annotations

import numpy as np

import scopeflow.compat.v1 as tf
from scopeflow.contrib import seq2seq

VOCAB, UNITS, END = 7, 5, 0


class Proj:
    units = VOCAB

    def __init__(self):
        self.w = tf.get_variable("proj", [UNITS, VOCAB])

    def __call__(self, h):
        r = h.shape.ndims
        if r == 3:
            return tf.einsum("bkh,hv->bkv", h, self.w)
        return tf.matmul(h, self.w)


def _model(seed):
    tf.set_random_seed(seed)
    emb = tf.get_variable("emb", [VOCAB, 3])
    return emb, tf.nn.rnn_cell.GRUCell(UNITS), Proj()


def test_beam_width_one_equals_greedy():
    emb, cell, proj = _model(1)
    beam = seq2seq.BeamSearchDecoder(cell, emb, tf.fill([2], 1), END,
                                     cell.zero_state(2, tf.float32), beam_width=1,
                                     output_layer=proj)  # fmt: skip
    bout, _, _ = seq2seq.dynamic_decode(beam, maximum_iterations=6, scope="b")
    greedy = seq2seq.BasicDecoder(cell, seq2seq.GreedyEmbeddingHelper(emb, tf.fill([2], 1), END),
                                  cell.zero_state(2, tf.float32), output_layer=proj)  # fmt: skip
    with tf.variable_scope("b", reuse=True):
        gout, _, glen = seq2seq.dynamic_decode(greedy, maximum_iterations=6)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        b_ids, g_ids, g_len = sess.run([bout.predicted_ids, gout.sample_id, glen])
    for i in range(2):
        n = g_len[i]
        np.testing.assert_array_equal(b_ids[i, :n, 0], g_ids[i, :n])


def test_beam_scores_are_sequence_log_probs():
    emb, cell, proj = _model(2)
    dec = seq2seq.BeamSearchDecoder(cell, emb, tf.fill([1], 1), END,
                                    cell.zero_state(3, tf.float32), beam_width=3,
                                    output_layer=proj)  # fmt: skip
    out, state, _ = seq2seq.dynamic_decode(dec, maximum_iterations=5)
    ids_t = tf.placeholder(tf.int32, [None])
    with tf.variable_scope("decoder", reuse=True):
        inputs = tf.nn.embedding_lookup(emb, tf.concat([[1], ids_t[:-1]], 0))
        h = tf.zeros([1, UNITS])
        logps = []
        for t in range(5):
            o, h = cell(inputs[t : t + 1], h)
            logps.append(tf.nn.log_softmax(proj(o))[0])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        ids, scores, lengths = sess.run([out.predicted_ids, out.beam_search_decoder_output.scores,
                                         state.lengths])  # fmt: skip
        assert (np.diff(scores[0, -1]) <= 1e-6).all()  # beams sorted by score
        for k in range(3):
            n = int(lengths[0, k])
            seq = ids[0, :, k]
            padded = np.concatenate([seq, [END] * (5 - len(seq))])[:5].astype(np.int32)
            lp = sess.run(logps, {ids_t: padded})
            total = sum(lp[t][padded[t]] for t in range(n))
            np.testing.assert_allclose(scores[0, -1, k], total, rtol=1e-4, atol=1e-4)
