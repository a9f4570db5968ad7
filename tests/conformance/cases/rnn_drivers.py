"""RNN drivers: dynamic_rnn (batch/time-major, sequence_length incl. zero-length rows, initial
state, gradients through time), bidirectional_dynamic_rnn, static_rnn, static_bidirectional_rnn,
raw_rnn: names of outputs/states/variables, values from seeded initializers, errors.
Standard cells run through scopeflow's fused loop kernel, the others through the general loop."""

import numpy as np


def _vars(tf):
    return [(v.name, v.shape.as_list()) for v in tf.global_variables()]


def _feed(shape, seed=0):
    return np.random.RandomState(seed).randn(*shape).astype(np.float32)


def _run_with_grads(tf, show, fetches, feed, loss_terms):
    loss = tf.add_n([tf.reduce_sum(t * t) for t in loss_terms])
    grads = [g for g in tf.gradients(loss, tf.trainable_variables()) if g is not None]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        vals = sess.run([fetches, grads], feed)
    show(vals[0], decimals=3)
    show([np.float64(np.abs(g).sum()) for g in vals[1]], decimals=2)


def case_dynamic_rnn_lstm_batch_major(tf, show):
    tf.set_random_seed(1)
    x = tf.placeholder(tf.float32, [3, 5, 4], name="x")
    out, st = tf.nn.dynamic_rnn(tf.nn.rnn_cell.LSTMCell(6), x, dtype=tf.float32)
    print(out.name, out.shape, st.c.name, st.h.name, st.c.shape)
    print(_vars(tf))
    _run_with_grads(tf, show, [out, st], {x: _feed([3, 5, 4])}, [out, st.c])


def case_dynamic_rnn_sequence_length(tf, show):
    tf.set_random_seed(2)
    x = tf.placeholder(tf.float32, [4, 6, 3])
    sl = tf.placeholder(tf.int32, [4])
    out, st = tf.nn.dynamic_rnn(
        tf.nn.rnn_cell.BasicLSTMCell(5), x, sequence_length=sl, dtype=tf.float32
    )
    print(out.name, st.h.name)
    feed = {x: _feed([4, 6, 3], 1), sl: [6, 3, 0, 1]}
    _run_with_grads(tf, show, [out, st], feed, [out, st.h])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(sess.run(st, {x: _feed([4, 6, 3], 1), sl: [0, 0, 0, 0]}))


def case_dynamic_rnn_time_major_initial_state(tf, show):
    tf.set_random_seed(3)
    x = tf.placeholder(tf.float32, [5, 2, 3])
    h0 = tf.placeholder(tf.float32, [2, 4])
    out, st = tf.nn.dynamic_rnn(
        tf.nn.rnn_cell.GRUCell(4), x, initial_state=h0, time_major=True, scope="enc"
    )
    print(out.name, out.shape, st.name, _vars(tf))
    feed = {x: _feed([5, 2, 3], 2), h0: _feed([2, 4], 3)}
    _run_with_grads(tf, show, [out, st], feed, [out])


def case_dynamic_rnn_multi_layer(tf, show):
    tf.set_random_seed(4)
    x = tf.placeholder(tf.float32, [3, 7, 4])
    sl = tf.placeholder(tf.int64, [3])
    cell = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.LSTMCell(5) for _ in range(2)])
    out, st = tf.nn.dynamic_rnn(cell, x, sequence_length=sl, dtype=tf.float32)
    print(out.name, [t.name for t in tf.nest.flatten(st)])
    print(_vars(tf))
    feed = {x: _feed([3, 7, 4], 4), sl: [7, 4, 2]}
    _run_with_grads(tf, show, [out, st], feed, [out, st[0].c, st[1].h])


def case_dynamic_rnn_basic_rnn_and_unknown_batch(tf, show):
    tf.set_random_seed(5)
    x = tf.placeholder(tf.float32, [None, None, 3])
    sl = tf.placeholder(tf.int32, [None])
    out, st = tf.nn.dynamic_rnn(
        tf.nn.rnn_cell.BasicRNNCell(4, activation=tf.nn.relu),
        x,
        sequence_length=sl,
        dtype=tf.float32,
    )
    print(out.shape, st.shape)
    feed = {x: _feed([2, 4, 3], 5), sl: [2, 4]}
    _run_with_grads(tf, show, [out, st], feed, [out])


def case_dynamic_rnn_general_loop_cells(tf, show):
    tf.set_random_seed(6)
    x = tf.placeholder(tf.float32, [2, 4, 3])
    sl = tf.placeholder(tf.int32, [2])
    c1 = tf.nn.rnn_cell.LSTMCell(4, use_peepholes=True, num_proj=2, cell_clip=0.5)
    o1, s1 = tf.nn.dynamic_rnn(c1, x, sequence_length=sl, dtype=tf.float32, scope="peep")
    c2 = tf.nn.rnn_cell.DropoutWrapper(
        tf.nn.rnn_cell.LSTMCell(3), output_keep_prob=0.5, state_keep_prob=0.5, seed=5
    )
    o2, s2 = tf.nn.dynamic_rnn(c2, x, dtype=tf.float32, scope="drop")
    c3 = tf.nn.rnn_cell.ResidualWrapper(tf.nn.rnn_cell.GRUCell(3))
    o3, s3 = tf.nn.dynamic_rnn(c3, x, dtype=tf.float32, scope="res")
    print(o1.name, s1.h.name, o2.name, s2.h.name, o3.name, _vars(tf))
    # Values of dropout inside the loop are not compared: TF's executor runs the loop-invariant
    # RandomUniform ops of different iterations in scheduling order, not time order.
    feed = {x: _feed([2, 4, 3], 6), sl: [4, 2]}
    _run_with_grads(tf, show, [o1, s1, o3, s3], feed, [o1, o3])


def case_bidirectional_dynamic_rnn(tf, show):
    tf.set_random_seed(7)
    x = tf.placeholder(tf.float32, [3, 5, 2])
    sl = tf.placeholder(tf.int32, [3])
    (fw, bw), (sf, sb) = tf.nn.bidirectional_dynamic_rnn(
        tf.nn.rnn_cell.LSTMCell(3),
        tf.nn.rnn_cell.GRUCell(3),
        x,
        sequence_length=sl,
        dtype=tf.float32,
    )
    print(fw.name, bw.name, sf.h.name, sb.name, _vars(tf))
    (fw2, bw2), _ = tf.nn.bidirectional_dynamic_rnn(
        tf.nn.rnn_cell.BasicRNNCell(2),
        tf.nn.rnn_cell.BasicRNNCell(2),
        tf.transpose(x, [1, 0, 2]),
        dtype=tf.float32,
        time_major=True,
        scope="tm",
    )
    print(fw2.name, bw2.name)
    feed = {x: _feed([3, 5, 2], 7), sl: [5, 2, 0]}
    _run_with_grads(tf, show, [fw, bw, sf, sb, fw2, bw2], feed, [fw, bw, fw2, bw2])


def case_static_rnn_and_bidirectional(tf, show):
    tf.set_random_seed(8)
    xs = [tf.placeholder(tf.float32, [2, 3]) for _ in range(4)]
    sl = tf.placeholder(tf.int32, [2])
    outs, st = tf.nn.static_rnn(tf.nn.rnn_cell.LSTMCell(4), xs, dtype=tf.float32)
    print([o.name for o in outs], st.h.name)
    outs2, st2 = tf.nn.static_rnn(
        tf.nn.rnn_cell.GRUCell(3), xs, sequence_length=sl, dtype=tf.float32, scope="sl"
    )
    print([o.name for o in outs2], st2.name)
    bo, bsf, bsb = tf.nn.static_bidirectional_rnn(
        tf.nn.rnn_cell.BasicRNNCell(2),
        tf.nn.rnn_cell.BasicRNNCell(2),
        xs,
        sequence_length=sl,
        dtype=tf.float32,
    )
    print([o.name for o in bo], bsf.name, bsb.name, _vars(tf))
    feed = {t: _feed([2, 3], i) for i, t in enumerate(xs)}
    feed[sl] = [3, 1]
    _run_with_grads(tf, show, [outs, st, outs2, st2, bo], feed, outs + outs2 + bo)


def case_raw_rnn(tf, show):
    tf.set_random_seed(9)
    x = tf.placeholder(tf.float32, [4, 2, 3])
    sl = tf.constant([4, 2])
    inputs_ta = tf.TensorArray(tf.float32, size=4).unstack(x)
    cell = tf.nn.rnn_cell.LSTMCell(3)

    def loop_fn(time, cell_output, cell_state, loop_state):
        next_state = cell.zero_state(2, tf.float32) if cell_output is None else cell_state
        finished = time >= sl
        nxt = tf.cond(
            tf.reduce_all(finished), lambda: tf.zeros([2, 3]), lambda: inputs_ta.read(time)
        )
        return (finished, nxt, next_state, cell_output, None)

    emit_ta, final_state, final_loop = tf.nn.raw_rnn(cell, loop_fn)
    out = emit_ta.stack()
    print(out.name, final_state.h.name, final_loop, _vars(tf))
    _run_with_grads(tf, show, [out, final_state], {x: _feed([4, 2, 3], 9)}, [out])


def case_dynamic_rnn_errors(tf, show, expect_error):
    x = tf.placeholder(tf.float32, [2, 3, 4])
    cell = tf.nn.rnn_cell.GRUCell(2)
    expect_error(lambda: tf.nn.dynamic_rnn(cell, x), message=False)
    expect_error(
        lambda: tf.nn.dynamic_rnn(cell, tf.placeholder(tf.float32, [2, 3, None]), dtype=tf.float32),
        message=False,
    )
    expect_error(
        lambda: tf.nn.dynamic_rnn(cell, x, sequence_length=[[1]], dtype=tf.float32), message=False
    )
    expect_error(lambda: tf.nn.dynamic_rnn("notacell", x, dtype=tf.float32), message=False)
    expect_error(lambda: tf.nn.static_rnn(cell, x, dtype=tf.float32), message=False)
    sl = tf.placeholder(tf.int32, [None])
    out, _ = tf.nn.dynamic_rnn(
        tf.nn.rnn_cell.GRUCell(2), x, sequence_length=sl, dtype=tf.float32, scope="chk"
    )
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        expect_error(lambda: sess.run(out, {x: np.zeros([2, 3, 4]), sl: [1, 2, 3]}))
