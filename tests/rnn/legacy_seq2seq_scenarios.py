"""Models built with ``tf.contrib.legacy_seq2seq`` whose variables and values are compared with TF.

Shared by ``tools/record_legacy_seq2seq.py`` (runs them under TensorFlow with a TF-op
reimplementation of TF 1.15's ``seq2seq.py``, since TF 2.21 has no legacy_seq2seq) and
``tests/rnn/test_legacy_seq2seq_recorded.py`` (runs them with scopeflow). Each scenario takes
``(tf, l2)`` -- the ``compat.v1`` module and the legacy_seq2seq implementation -- builds a graph
and returns ``(fetches, feeds)``: ``fetches`` a dict of tensors (or lists of tensors), ``feeds``
a list of feed dicts to run them with. Imports neither TensorFlow nor scopeflow.
"""

from __future__ import annotations

import numpy as np


def _ids(tf, rng, n, batch, vocab):
    return [tf.constant(rng.randint(0, vocab, batch).astype(np.int32)) for _ in range(n)]


def attention_decoder_gru_two_heads(tf, l2):
    rng = np.random.RandomState(1)
    dec = [tf.constant(rng.randn(2, 3).astype(np.float32)) for _ in range(3)]
    h0 = tf.constant(rng.randn(2, 4).astype(np.float32))
    att = tf.constant(rng.randn(2, 5, 6).astype(np.float32))
    outs, st = l2.attention_decoder(dec, h0, att, tf.nn.rnn_cell.GRUCell(4), output_size=7,
                                    num_heads=2, initial_state_attention=True)  # fmt: skip
    return {"outputs": outs, "state": st}, [{}]


def attention_decoder_lstm_loop_dynamic_length(tf, l2):
    rng = np.random.RandomState(2)
    dec = [tf.constant(rng.randn(2, 4).astype(np.float32)) for _ in range(3)]
    att = tf.placeholder(tf.float32, [2, None, 3])
    cell = tf.nn.rnn_cell.BasicLSTMCell(4)
    outs, st = l2.attention_decoder(dec, cell.zero_state(2, tf.float32), att, cell,
                                    loop_function=lambda prev, i: tf.tanh(prev) * float(i),
                                    scope="dec")  # fmt: skip
    return {"outputs": outs, "c": st.c, "h": st.h}, [{att: rng.randn(2, 4, 3)}]


def embedding_attention_seq2seq_lstm(tf, l2):
    rng = np.random.RandomState(3)
    enc = _ids(tf, rng, 4, 2, 7)
    dec = _ids(tf, rng, 3, 2, 8)
    outs, st = l2.embedding_attention_seq2seq(enc, dec, tf.nn.rnn_cell.BasicLSTMCell(4), 7, 8, 5)
    return {"outputs": outs, "c": st.c, "h": st.h}, [{}]


def embedding_attention_seq2seq_projection_feed_previous(tf, l2):
    rng = np.random.RandomState(4)
    enc = _ids(tf, rng, 3, 3, 6)
    dec = _ids(tf, rng, 4, 3, 9)
    w = tf.get_variable("proj_w", [5, 9])
    b = tf.get_variable("proj_b", [9])
    outs, st = l2.embedding_attention_seq2seq(enc, dec, tf.nn.rnn_cell.GRUCell(5), 6, 9, 4,
                                              num_heads=2, output_projection=(w, b),
                                              feed_previous=True,
                                              initial_state_attention=True)  # fmt: skip
    return {"outputs": outs, "state": st}, [{}]


def embedding_attention_seq2seq_feed_previous_tensor(tf, l2):
    rng = np.random.RandomState(5)
    enc = _ids(tf, rng, 3, 2, 6)
    dec = _ids(tf, rng, 3, 2, 6)
    fp = tf.placeholder(tf.bool, [])
    outs, st = l2.embedding_attention_seq2seq(enc, dec, tf.nn.rnn_cell.GRUCell(3), 6, 6, 4,
                                              feed_previous=fp)  # fmt: skip
    return {"outputs": outs, "state": st}, [{fp: True}, {fp: False}]


def embedding_rnn_seq2seq_feed_previous_tensor(tf, l2):
    rng = np.random.RandomState(6)
    enc = _ids(tf, rng, 3, 2, 5)
    dec = _ids(tf, rng, 4, 2, 7)
    fp = tf.placeholder(tf.bool, [])
    cell = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.BasicLSTMCell(3) for _ in range(2)])
    outs, st = l2.embedding_rnn_seq2seq(enc, dec, cell, 5, 7, 4, feed_previous=fp)
    return {"outputs": outs, "state": [x for s in st for x in s]}, [{fp: True}, {fp: False}]


def model_with_buckets_attention(tf, l2):
    rng = np.random.RandomState(7)
    enc = _ids(tf, rng, 4, 2, 6)
    dec = _ids(tf, rng, 3, 2, 6)
    targets = _ids(tf, rng, 3, 2, 6)
    weights = [tf.constant(rng.rand(2).astype(np.float32)) for _ in range(3)]

    def model(x, y):
        # A new cell per bucket: deep-copying a built cell fails in TF >= 1.1 too.
        return l2.embedding_attention_seq2seq(x, y, tf.nn.rnn_cell.GRUCell(4), 6, 6, 3)

    outs, losses = l2.model_with_buckets(enc, dec, targets, weights, [(2, 2), (4, 3)], model)
    with tf.variable_scope("per_example"):
        outs2, losses2 = l2.model_with_buckets(enc, dec, targets, weights, [(3, 3)],
                                               lambda x, y: l2.embedding_rnn_seq2seq(
                                                   x, y, tf.nn.rnn_cell.GRUCell(3), 6, 6, 3),
                                               per_example_loss=True)  # fmt: skip
    del outs2
    return {"outputs": [o for b in outs for o in b], "losses": losses, "losses2": losses2}, [{}]


def tied_and_embedding_tied(tf, l2):
    rng = np.random.RandomState(8)
    xs = [tf.constant(rng.randn(2, 3).astype(np.float32)) for _ in range(3)]
    outs, st = l2.tied_rnn_seq2seq(xs, xs[:2], tf.nn.rnn_cell.GRUCell(3),
                                   loop_function=lambda prev, i: prev * 0.5)  # fmt: skip
    enc = _ids(tf, rng, 3, 2, 6)
    dec = _ids(tf, rng, 3, 2, 6)
    fp = tf.placeholder(tf.bool, [])
    outs2, st2 = l2.embedding_tied_rnn_seq2seq(enc, dec, tf.nn.rnn_cell.BasicLSTMCell(3), 6, 4,
                                               num_decoder_symbols=5,
                                               feed_previous=fp)  # fmt: skip
    return {"outputs": outs, "state": st, "outputs2": outs2, "h2": st2.h}, [
        {fp: True}, {fp: False}]  # fmt: skip


def one2many(tf, l2):
    rng = np.random.RandomState(9)
    enc = _ids(tf, rng, 3, 2, 6)
    dec = {"a": _ids(tf, rng, 2, 2, 5), "b": _ids(tf, rng, 3, 2, 4)}
    cells = {"a": tf.nn.rnn_cell.GRUCell(3), "b": tf.nn.rnn_cell.GRUCell(3)}
    outs, st = l2.one2many_rnn_seq2seq(enc, dec, tf.nn.rnn_cell.GRUCell(3), cells, 6,
                                       {"a": 5, "b": 4}, 3, feed_previous=True)  # fmt: skip
    fp = tf.placeholder(tf.bool, [])
    with tf.variable_scope("tensor_feed"):
        outs2, st2 = l2.one2many_rnn_seq2seq(enc, dec, tf.nn.rnn_cell.GRUCell(3),
                                             {"a": tf.nn.rnn_cell.GRUCell(3),
                                              "b": tf.nn.rnn_cell.GRUCell(3)}, 6,
                                             {"a": 5, "b": 4}, 3, feed_previous=fp)  # fmt: skip
    fetches = {"a": outs["a"], "b": outs["b"], "sa": st["a"], "sb": st["b"],
               "a2": outs2["a"], "b2": outs2["b"], "sb2": st2["b"]}  # fmt: skip
    return fetches, [{fp: True}, {fp: False}]


SCENARIOS = [
    attention_decoder_gru_two_heads,
    attention_decoder_lstm_loop_dynamic_length,
    embedding_attention_seq2seq_lstm,
    embedding_attention_seq2seq_projection_feed_previous,
    embedding_attention_seq2seq_feed_previous_tensor,
    embedding_rnn_seq2seq_feed_previous_tensor,
    model_with_buckets_attention,
    tied_and_embedding_tied,
    one2many,
]


def flat_fetches(fetches):
    """``[(key, tensor)]`` with list entries numbered ``key.0``, ``key.1``..."""
    out = []
    for k in sorted(fetches):
        v = fetches[k]
        if isinstance(v, (list, tuple)):
            out += [(f"{k}.{i}", t) for i, t in enumerate(v)]
        else:
            out.append((k, v))
    return out


def run(tf, l2, scenario):
    """Builds ``scenario``, sets every variable to fixed values, returns names and arrays.

    Variable ``i`` (creation order) gets ``RandomState(1000 + i).uniform(-0.5, 0.5)``; the
    fetched values and the gradients of ``sum(fetch ** 2)`` over float fetches are returned
    per feed as ``{"<feed>/<key>": array, "<feed>/grad/<var>": array}``.
    """
    with tf.Graph().as_default():
        fetches, feeds = scenario(tf, l2)
        variables = tf.global_variables()
        names = [(v.op.name, v.shape.as_list()) for v in variables]
        flat = flat_fetches(fetches)
        loss = tf.add_n([tf.reduce_sum(t * t) for _, t in flat if t.dtype == tf.float32])
        trainable = tf.trainable_variables()
        grads = [None if g is None else tf.convert_to_tensor(g)
                 for g in tf.gradients(loss, trainable)]  # fmt: skip
        assigns = [
            tf.assign(v, np.random.RandomState(1000 + i).uniform(-0.5, 0.5, v.shape.as_list())
                      .astype(np.float32))
            for i, v in enumerate(variables)
        ]  # fmt: skip
        arrays = {}
        with tf.Session() as sess:
            sess.run(assigns)
            for j, feed in enumerate(feeds):
                vals, gvals = sess.run([[t for _, t in flat], [g for g in grads if g is not None]],
                                       feed)  # fmt: skip
                for (k, _), val in zip(flat, vals, strict=False):
                    arrays[f"{j}/{k}"] = np.asarray(val)
                with_grad = [v for v, g in zip(trainable, grads, strict=False) if g is not None]
                for v, g in zip(with_grad, gvals, strict=False):
                    arrays[f"{j}/grad/{v.op.name}"] = np.asarray(g)
        return names, arrays
