"""tf.nn.ctc_loss (TF 1.x signature), ctc_greedy_decoder, ctc_beam_search_decoder and
tf.edit_distance: values, gradients, names, shapes, options and errors."""

import numpy as np


def _logits(t=6, b=3, c=5, seed=0):
    return np.random.RandomState(seed).normal(size=(t, b, c)).astype(np.float32)


def _sparse(tf, rows):
    idx = [[b, i] for b, row in enumerate(rows) for i in range(len(row))]
    vals = [v for row in rows for v in row]
    width = max(len(r) for r in rows)
    return tf.SparseTensor(np.array(idx, np.int64).reshape(-1, 2), np.array(vals, np.int32),
                           [len(rows), width])  # fmt: skip


def case_ctc_loss_names_shapes(tf):
    labels = _sparse(tf, [[1, 2], [3], [0, 0, 1]])
    x = tf.placeholder(tf.float32, [None, 3, 5])
    loss = tf.nn.ctc_loss(labels, x, [6, 5, 4])
    print(loss.name, loss.shape, loss.dtype.name, loss.op.type, len(loss.op.outputs))
    print(loss.op.outputs[1].shape)
    loss2 = tf.nn.ctc_loss(labels, tf.placeholder(tf.float32, [3, 7, 5]), [6, 5, 4],
                           time_major=False)  # fmt: skip
    print(loss2.name, loss2.shape)
    (d,), lp = tf.nn.ctc_greedy_decoder(x, [6, 5, 4])
    print(d.indices.name, d.values.name, d.dense_shape.name, lp.name, lp.shape)
    dec, lp2 = tf.nn.ctc_beam_search_decoder(x, [6, 5, 4], beam_width=4, top_paths=2)
    print([s.indices.name for s in dec], [s.values.name for s in dec], lp2.name, lp2.shape)


def case_ctc_loss_values_grads(tf, show):
    x = tf.Variable(_logits())
    labels = _sparse(tf, [[1, 2], [3], [0, 0, 1]])
    loss = tf.nn.ctc_loss(labels, x, [6, 5, 4])
    g = tf.gradients(tf.reduce_sum(loss * tf.constant([1.0, 2.0, 0.5])), x)[0]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(sess.run(loss), decimals=5)
        show(sess.run(g), decimals=5)
        show(sess.run(loss.op.outputs[1])[:, 1], decimals=5)


def case_ctc_loss_options(tf, show):
    x = tf.constant(_logits(t=7, seed=1))
    labels = _sparse(tf, [[1, 1, 2], [3, 3], [0, 2, 2]])
    seq = [7, 5, 6]
    ts = [
        tf.nn.ctc_loss(labels, x, seq),
        tf.nn.ctc_loss(labels, x, seq, preprocess_collapse_repeated=True),
        tf.nn.ctc_loss(labels, x, seq, ctc_merge_repeated=False),
        tf.nn.ctc_loss(labels, x, seq, preprocess_collapse_repeated=True,
                       ctc_merge_repeated=False),
        tf.nn.ctc_loss(labels, tf.transpose(x, [1, 0, 2]), seq, time_major=False),
        tf.nn.ctc_loss(labels, x, [7, 0, 6], ignore_longer_outputs_than_inputs=True),
        tf.nn.ctc_loss(labels, x, [2, 5, 6], ignore_longer_outputs_than_inputs=True),
        tf.nn.ctc_loss(labels, None, seq, logits=x),
        tf.nn.ctc_loss(labels, tf.cast(x, tf.float64), seq),
    ]  # fmt: skip
    grads = [tf.gradients(tf.reduce_sum(t), x)[0] for t in ts[2:4] + ts[6:7]]
    with tf.Session() as sess:
        show(sess.run(ts), decimals=4)
        show(sess.run(grads), decimals=4)


def case_ctc_loss_blank_labels(tf, show):
    x = tf.constant(_logits(t=5, b=2, c=4, seed=2))
    labels = _sparse(tf, [[1, 3, 3], [2, 0]])
    with tf.Session() as sess:
        show(sess.run(tf.nn.ctc_loss(labels, x, [5, 5])), decimals=5)


def case_ctc_loss_training(tf, show):
    tf.set_random_seed(2)
    inputs = tf.constant(_logits(t=8, b=2, c=3, seed=3))
    w = tf.get_variable("w", [3, 4], initializer=tf.glorot_uniform_initializer())
    logits = tf.reshape(tf.matmul(tf.reshape(inputs, [-1, 3]), w), [8, 2, 4])
    labels = _sparse(tf, [[0, 1, 2], [2, 2]])
    loss = tf.reduce_mean(tf.nn.ctc_loss(labels, logits, [8, 7]))
    step = tf.train.AdamOptimizer(0.1).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(4):
            show(sess.run([step, loss])[1], decimals=5)
        show(sess.run(w), decimals=5)


def case_ctc_loss_errors(tf, expect_error):
    x = tf.placeholder(tf.float32, [None, None, 4])
    labels = _sparse(tf, [[1, 2, 2], [0]])
    seq = tf.placeholder(tf.int32, [None])
    loss = tf.nn.ctc_loss(labels, x, seq)
    bad = tf.nn.ctc_loss(_sparse(tf, [[1, 3, 0], [0]]), x, seq)
    big = tf.nn.ctc_loss(_sparse(tf, [[1, 7], [0]]), x, seq)
    v = _logits(t=3, b=2, c=4)
    with tf.Session() as sess:
        expect_error(lambda: sess.run(loss, {x: v, seq: [2, 3]}))
        expect_error(lambda: sess.run(loss, {x: v, seq: [3, 4]}))
        expect_error(lambda: sess.run(loss, {x: v, seq: [3]}))
        expect_error(lambda: sess.run(loss, {x: v, seq: [-1, 3]}))
        expect_error(lambda: sess.run(bad, {x: v, seq: [3, 3]}))
        expect_error(lambda: sess.run(big, {x: v, seq: [3, 3]}))
        unordered = tf.SparseTensor([[1, 0], [0, 0]], [1, 2], [2, 1])
        expect_error(lambda: sess.run(tf.nn.ctc_loss(unordered, x, seq), {x: v, seq: [3, 3]}))
        outside = tf.SparseTensor([[0, 0], [5, 0]], [1, 2], [2, 1])
        expect_error(lambda: sess.run(tf.nn.ctc_loss(outside, x, seq), {x: v, seq: [3, 3]}))
    expect_error(lambda: tf.nn.ctc_loss(tf.constant([[1]]), x, seq), message=False)
    expect_error(lambda: tf.nn.ctc_loss(labels, tf.zeros([2, 3]), seq))


def case_greedy_decoder(tf, show):
    x = _logits(t=7, b=3, c=4, seed=4)
    x[2, 0] = x[1, 0]  # a repeat
    ts = tf.nn.ctc_greedy_decoder(tf.constant(x), [7, 4, 0])
    ts2 = tf.nn.ctc_greedy_decoder(tf.constant(x), [7, 4, 2], merge_repeated=False)
    with tf.Session() as sess:
        show(sess.run(ts), decimals=5)
        show(sess.run(ts2), decimals=5)
        show(sess.run(tf.nn.ctc_greedy_decoder(tf.constant(x, tf.float64), [1, 2, 3])))


def case_beam_search_decoder(tf, show):
    x = _logits(t=8, b=3, c=5, seed=5)
    ts = [
        tf.nn.ctc_beam_search_decoder(tf.constant(x), [8, 6, 3]),
        tf.nn.ctc_beam_search_decoder(tf.constant(x), [8, 6, 3], beam_width=3, top_paths=3),
        tf.nn.ctc_beam_search_decoder(tf.constant(x), [8, 8, 8], beam_width=10, top_paths=4,
                                      merge_repeated=False),
        tf.nn.ctc_beam_search_decoder_v2(tf.constant(x), [8, 5, 8], beam_width=6, top_paths=2),
    ]  # fmt: skip
    with tf.Session() as sess:
        for t in ts:
            show(sess.run(t), decimals=4)


def case_beam_search_peaked(tf, show):
    rs = np.random.RandomState(6)
    x = (rs.normal(size=(12, 2, 6)) * 3).astype(np.float32)
    d = tf.nn.ctc_beam_search_decoder(tf.constant(x), [12, 9], beam_width=20, top_paths=5)
    g = tf.nn.ctc_greedy_decoder(tf.constant(x), [12, 9])
    with tf.Session() as sess:
        show(sess.run(d), decimals=4)
        show(sess.run(g), decimals=4)


def case_decoder_errors(tf, expect_error):
    x = tf.placeholder(tf.float32)
    seq = tf.placeholder(tf.int32)
    _, lp = tf.nn.ctc_beam_search_decoder(x, seq, beam_width=2, top_paths=2)
    _, lg = tf.nn.ctc_greedy_decoder(x, seq)
    v = _logits(t=3, b=2, c=4)
    with tf.Session() as sess:
        expect_error(lambda: sess.run(lp, {x: v, seq: [3, 4]}))
        expect_error(lambda: sess.run(lp, {x: v, seq: [3]}))
        expect_error(lambda: sess.run(lp, {x: v[0], seq: [3, 3]}))
        expect_error(lambda: sess.run(lp, {x: v, seq: [0, 3]}))
        expect_error(lambda: sess.run(lg, {x: v, seq: [[3, 3]]}))
    expect_error(lambda: tf.nn.ctc_beam_search_decoder(tf.zeros([2, 1, 3]), [2], top_paths=0))


def case_edit_distance(tf, show):
    hyp = tf.SparseTensor([[0, 0, 0], [1, 0, 0], [1, 0, 1]], ["a", "b", "c"], [2, 1, 2])
    truth = tf.SparseTensor([[0, 0, 0], [0, 0, 1], [1, 0, 0]], ["a", "x", "b"], [2, 2, 2])
    d = tf.edit_distance(hyp, truth)
    d2 = tf.edit_distance(hyp, truth, normalize=False, name="raw")
    ih = _sparse(tf, [[1, 2, 3], [4], [5, 5]])
    it = _sparse(tf, [[1, 3], [4, 4, 4], [6]])
    d3 = tf.edit_distance(ih, it)
    print(d.name, d.shape, d.dtype.name, d2.name, d3.shape)
    empty_t = tf.SparseTensor(np.zeros((0, 2), np.int64), np.zeros((0,), np.int32), [2, 3])
    d4 = tf.edit_distance(_sparse(tf, [[1], [2, 2]]), empty_t)
    d5 = tf.edit_distance(empty_t, _sparse(tf, [[1], [2, 2]]), normalize=False)
    with tf.Session() as sess:
        show(sess.run([d, d2, d3, d4, d5]))
    expect = tf.sparse_placeholder(tf.string)
    print(tf.edit_distance(expect, hyp).shape)
