"""``BeamSearchDecoder`` + ``dynamic_decode`` against a NumPy transcription of TF 1.15's
``_beam_search_step`` (TF 2.21 has no seq2seq): log-softmax scores, finished beams extended only
by ``end_token`` at no cost, the length penalty ``((5 + len) / 6) ** weight``, ``top_k`` over
``beam * vocab``, cell states gathered by parent beam, and ``gather_tree`` at the end."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow.compat.v1 as tf
from scopeflow.contrib import seq2seq

VOCAB, UNITS, EMB, END, START = 6, 4, 3, 0, 1


def _sig(v):
    return 1 / (1 + np.exp(-v))


def _gru(x, h, w):
    gates = _sig(np.concatenate([x, h], 1) @ w["gk"] + w["gb"])
    r, u = gates[:, :UNITS], gates[:, UNITS:]
    c = np.tanh(np.concatenate([x, r * h], 1) @ w["ck"] + w["cb"])
    return u * h + (1 - u) * c


def _log_softmax(z):
    z = z - z.max(-1, keepdims=True)
    return z - np.log(np.exp(z).sum(-1, keepdims=True))


def _reference(w, batch, beam, max_iter, penalty):
    log_probs = np.full([batch, beam], -np.inf, np.float32)
    log_probs[:, 0] = 0.0
    finished = np.ones([batch, beam], bool)
    finished[:, 0] = False
    lengths = np.zeros([batch, beam], np.int64)
    h = np.zeros([batch * beam, UNITS], np.float32)
    inp = np.tile(w["emb"][START], (batch * beam, 1))
    step_ids, parents, step_scores = [], [], []
    for _ in range(max_iter):
        h = _gru(inp, h, w)
        logits = (h @ w["proj"]).reshape(batch, beam, VOCAB)
        step_lp = _log_softmax(logits)
        fin_row = np.full(VOCAB, np.finfo(np.float32).min, np.float32)
        fin_row[END] = 0.0
        step_lp = np.where(finished[..., None], fin_row, step_lp)
        total = log_probs[..., None] + step_lp
        add = np.ones([batch, beam, VOCAB], np.int64)
        add[..., END] = 0
        new_len = lengths[..., None] + add * (~finished)[..., None]
        lp = ((5.0 + new_len) ** penalty) / (6.0**penalty) if penalty else 1.0
        scores = (total / lp).reshape(batch, -1)
        idx = np.argsort(-scores, axis=1, kind="stable")[:, :beam]
        ids, beam_ids = idx % VOCAB, idx // VOCAB
        rows = np.arange(batch)[:, None]
        log_probs = total.reshape(batch, -1)[rows, idx]
        prev_fin = finished[rows, beam_ids]
        finished = prev_fin | (ids == END)
        lengths = lengths[rows, beam_ids] + (~prev_fin)
        h = h.reshape(batch, beam, UNITS)[rows, beam_ids].reshape(batch * beam, UNITS)
        step_ids.append(ids)
        parents.append(beam_ids)
        step_scores.append(scores[rows, idx])
        inp = w["emb"][ids.reshape(-1)]
        if finished.all():
            break
    n = len(step_ids)
    max_len = lengths.max(1)
    out = np.full([batch, n, beam], END, np.int64)
    for b in range(batch):
        for k in range(beam):
            m = int(max_len[b])
            if m == 0:
                continue
            seq = np.zeros(m, np.int64)
            seq[m - 1] = step_ids[m - 1][b, k]
            par = parents[m - 1][b, k]
            for lvl in range(m - 2, -1, -1):
                seq[lvl] = step_ids[lvl][b, par]
                par = parents[lvl][b, par]
            done = False
            for s in range(m):
                if done:
                    seq[s] = END
                elif seq[s] == END:
                    done = True
            out[b, :m, k] = seq
    return out, np.stack(step_scores, 1), lengths


@pytest.mark.parametrize("penalty", [0.0, 0.7])
def test_beam_search_matches_tf_1_15_step(penalty):
    batch, beam, max_iter = 2, 3, 7
    tf.set_random_seed(11)
    emb = tf.get_variable("emb", [VOCAB, EMB], initializer=tf.random_normal_initializer())
    cell = tf.nn.rnn_cell.GRUCell(UNITS)
    proj = tf.layers.Dense(VOCAB, use_bias=False, name="proj")
    dec = seq2seq.BeamSearchDecoder(cell, emb, tf.fill([batch], START), END,
                                    cell.zero_state(batch * beam, tf.float32), beam_width=beam,
                                    output_layer=proj, length_penalty_weight=penalty)  # fmt: skip
    out, state, _ = seq2seq.dynamic_decode(dec, maximum_iterations=max_iter)
    names = [v.op.name for v in tf.global_variables()]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        ids, scores, lengths, values = sess.run([
            out.predicted_ids, out.beam_search_decoder_output.scores, state.lengths,
            dict(zip(names, tf.global_variables(), strict=True))])  # fmt: skip
    w = {
        "emb": values["emb"], "proj": values["decoder/proj/kernel"],
        "gk": values["decoder/gru_cell/gates/kernel"], "gb": values["decoder/gru_cell/gates/bias"],
        "ck": values["decoder/gru_cell/candidate/kernel"],
        "cb": values["decoder/gru_cell/candidate/bias"],
    }  # fmt: skip
    ref_ids, ref_scores, ref_len = _reference(w, batch, beam, max_iter, penalty)
    np.testing.assert_array_equal(lengths, ref_len)
    np.testing.assert_allclose(scores, ref_scores, rtol=1e-4, atol=1e-4)
    np.testing.assert_array_equal(ids, ref_ids)
