"""Seeded DropoutWrapper masks inside the RNN drivers (dynamic_rnn, static_rnn), recorded from TF.

Every RandomUniform kernel owns a Philox stream that advances at each execution, so the mask a
time step gets is the n-th draw of its op. ``static_rnn`` builds new ops per step with the same
seeds (the same mask at every step); ``variational_recurrent=True`` draws once outside the loop;
inside ``dynamic_rnn``'s ``while_loop`` the n-th execution is the n-th time step when TF runs the
iterations in order, which it guarantees with ``parallel_iterations=1`` (with more parallel
iterations TF's executor runs the loop-invariant RandomUniform ops of different iterations in
thread-scheduling order, which differs from run to run, so those cases use
``parallel_iterations=1``). A second ``Session.run`` continues each stream."""

import numpy as np


def _vars(tf):
    return [(v.name, v.shape.as_list()) for v in tf.global_variables()]


def _feed(shape, seed=0):
    return np.random.RandomState(seed).randn(*shape).astype(np.float32)


def _run(tf, show, fetches, feed, loss_terms, runs=2):
    loss = tf.add_n([tf.reduce_sum(t * t) for t in loss_terms])
    grads = [g for g in tf.gradients(loss, tf.trainable_variables()) if g is not None]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(runs):
            vals = sess.run([fetches, grads], feed)
            show(vals[0], decimals=4)
            show([np.float64(np.abs(g).sum()) for g in vals[1]], decimals=3)


class _Identity:
    """Builds an RNNCell subclass of ``tf``'s that returns its input (exposes the input mask)."""

    @staticmethod
    def make(tf, size):
        class IdentityCell(tf.nn.rnn_cell.RNNCell):
            @property
            def state_size(self):
                return size

            @property
            def output_size(self):
                return size

            def call(self, inputs, state):
                return inputs, state + inputs

        return IdentityCell()


def case_dynamic_rnn_input_masks_in_time_order(tf, show):
    tf.set_random_seed(1234)
    x = tf.ones([2, 7, 4])
    cell = tf.nn.rnn_cell.DropoutWrapper(_Identity.make(tf, 4), input_keep_prob=0.5, seed=5)
    out, st = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32, parallel_iterations=1)
    print(out.name, st.name)
    with tf.Session() as sess:
        show(sess.run([out, st]))
        show(sess.run(out))


def case_dynamic_rnn_lstm_all_dropouts(tf, show):
    tf.set_random_seed(7)
    x = tf.placeholder(tf.float32, [3, 5, 4])
    sl = tf.placeholder(tf.int32, [3])
    cell = tf.nn.rnn_cell.DropoutWrapper(
        tf.nn.rnn_cell.LSTMCell(6),
        input_keep_prob=0.6,
        state_keep_prob=0.7,
        output_keep_prob=0.8,
        seed=11,
    )
    out, st = tf.nn.dynamic_rnn(
        cell, x, sequence_length=sl, dtype=tf.float32, parallel_iterations=1
    )
    print(out.name, st.c.name, st.h.name, _vars(tf))
    _run(tf, show, [out, st], {x: _feed([3, 5, 4], 1), sl: [5, 2, 0]}, [out, st.c])


def case_dynamic_rnn_gru_dynamic_batch_time_major(tf, show):
    tf.set_random_seed(8)
    x = tf.placeholder(tf.float32, [6, None, 3])
    cell = tf.nn.rnn_cell.DropoutWrapper(
        tf.nn.rnn_cell.GRUCell(5), input_keep_prob=0.5, state_keep_prob=0.6, seed=3
    )
    out, st = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32, time_major=True, parallel_iterations=1)
    print(out.name, out.shape, st.name, st.shape)
    _run(tf, show, [out, st], {x: _feed([6, 2, 3], 2)}, [out])


def case_dynamic_rnn_multi_rnn_dropout_layers(tf, show):
    tf.set_random_seed(9)
    x = tf.placeholder(tf.float32, [2, 4, 3])
    cells = [
        tf.nn.rnn_cell.DropoutWrapper(
            tf.nn.rnn_cell.BasicLSTMCell(4), output_keep_prob=0.5, seed=20 + i
        )
        for i in range(2)
    ]
    out, st = tf.nn.dynamic_rnn(
        tf.nn.rnn_cell.MultiRNNCell(cells), x, dtype=tf.float32, parallel_iterations=1
    )
    print(out.name, _vars(tf))
    _run(tf, show, [out, st], {x: _feed([2, 4, 3], 3)}, [out])


def case_dynamic_rnn_variational_recurrent(tf, show):
    # The noise is drawn once per run outside the loop: any parallel_iterations gives TF's masks.
    tf.set_random_seed(10)
    x = tf.placeholder(tf.float32, [3, 6, 5])
    cell = tf.nn.rnn_cell.DropoutWrapper(
        tf.nn.rnn_cell.LSTMCell(4),
        input_keep_prob=0.6,
        state_keep_prob=0.5,
        output_keep_prob=0.8,
        variational_recurrent=True,
        input_size=5,
        dtype=tf.float32,
        seed=4,
    )
    sl = tf.placeholder(tf.int32, [3])
    out, st = tf.nn.dynamic_rnn(cell, x, sequence_length=sl, dtype=tf.float32)
    print(out.name, st.h.name, _vars(tf))
    _run(tf, show, [out, st], {x: _feed([3, 6, 5], 4), sl: [6, 3, 1]}, [out, st.h])


def case_dynamic_rnn_variational_gru_keep_prob_tensor(tf, show):
    tf.set_random_seed(12)
    x = tf.placeholder(tf.float32, [2, 5, 3])
    kp = tf.placeholder_with_default(0.75, [])
    cell = tf.nn.rnn_cell.DropoutWrapper(
        tf.nn.rnn_cell.GRUCell(4),
        input_keep_prob=kp,
        state_keep_prob=kp,
        variational_recurrent=True,
        input_size=3,
        dtype=tf.float32,
        seed=6,
    )
    out, st = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(sess.run([out, st], {x: _feed([2, 5, 3], 5)}), decimals=4)
        show(sess.run(out, {x: _feed([2, 5, 3], 5), kp: 1.0}), decimals=4)


def case_static_rnn_same_mask_every_step(tf, show):
    tf.set_random_seed(13)
    xs = [tf.ones([2, 4]) for _ in range(4)]
    cell = tf.nn.rnn_cell.DropoutWrapper(_Identity.make(tf, 4), input_keep_prob=0.5, seed=5)
    outs, st = tf.nn.static_rnn(cell, xs, dtype=tf.float32)
    print([o.name for o in outs], st.name)
    with tf.Session() as sess:
        show(sess.run([outs, st]))
        show(sess.run(outs))


def case_static_rnn_lstm_dropout_grads(tf, show):
    tf.set_random_seed(14)
    xs = [tf.placeholder(tf.float32, [3, 4]) for _ in range(3)]
    sl = tf.placeholder(tf.int32, [3])
    cell = tf.nn.rnn_cell.DropoutWrapper(
        tf.nn.rnn_cell.LSTMCell(5),
        input_keep_prob=0.7,
        state_keep_prob=0.6,
        output_keep_prob=0.9,
        seed=17,
    )
    outs, st = tf.nn.static_rnn(cell, xs, sequence_length=sl, dtype=tf.float32)
    print([o.name for o in outs], st.h.name, _vars(tf))
    feed = {x: _feed([3, 4], 20 + i) for i, x in enumerate(xs)}
    feed[sl] = [3, 1, 2]
    _run(tf, show, [outs, st], feed, [*outs, st.c])


def case_static_rnn_variational(tf, show):
    tf.set_random_seed(15)
    xs = [tf.placeholder(tf.float32, [2, 3]) for _ in range(3)]
    cell = tf.nn.rnn_cell.DropoutWrapper(
        tf.nn.rnn_cell.GRUCell(4),
        input_keep_prob=0.5,
        output_keep_prob=0.7,
        state_keep_prob=0.8,
        variational_recurrent=True,
        input_size=3,
        dtype=tf.float32,
        seed=2,
    )
    outs, st = tf.nn.static_rnn(cell, xs, dtype=tf.float32)
    feed = {x: _feed([2, 3], 30 + i) for i, x in enumerate(xs)}
    _run(tf, show, [outs, st], feed, outs)


def case_bidirectional_dynamic_rnn_dropout(tf, show):
    tf.set_random_seed(16)
    x = tf.placeholder(tf.float32, [2, 5, 3])
    sl = tf.placeholder(tf.int32, [2])
    fw = tf.nn.rnn_cell.DropoutWrapper(
        tf.nn.rnn_cell.GRUCell(3), input_keep_prob=0.5, output_keep_prob=0.6, seed=1
    )
    bw = tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.LSTMCell(3), state_keep_prob=0.5, seed=2)
    (of, ob), (sf, sb) = tf.nn.bidirectional_dynamic_rnn(
        fw, bw, x, sequence_length=sl, dtype=tf.float32, parallel_iterations=1
    )
    print(of.name, ob.name, _vars(tf))
    _run(tf, show, [of, ob, sf, sb], {x: _feed([2, 5, 3], 6), sl: [5, 3]}, [of, ob])


def case_dynamic_rnn_dropout_graph_seed_only(tf, show):
    # No wrapper seed: the op seed comes from the graph seed and the op's position in the graph.
    tf.set_random_seed(17)
    x = tf.placeholder(tf.float32, [2, 4, 3])
    cell = tf.nn.rnn_cell.DropoutWrapper(
        tf.nn.rnn_cell.GRUCell(3), input_keep_prob=0.5, output_keep_prob=0.5
    )
    out, _ = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32, parallel_iterations=1)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(sess.run(out, {x: _feed([2, 4, 3], 7)}), decimals=4)


def case_wrapper_seed_without_graph_seed(tf, show):
    # Only the op seed: TF pairs it with its default graph seed.
    x = tf.placeholder(tf.float32, [2, 3, 4])
    cell = tf.nn.rnn_cell.DropoutWrapper(
        tf.nn.rnn_cell.GRUCell(3, kernel_initializer=tf.constant_initializer(0.1)),
        input_keep_prob=0.5,
        state_keep_prob=0.5,
        seed=3,
    )
    out, _ = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32, parallel_iterations=1)
    xs = tf.unstack(x, axis=1)
    cell2 = tf.nn.rnn_cell.DropoutWrapper(
        tf.nn.rnn_cell.BasicRNNCell(3), output_keep_prob=0.6, seed=8
    )
    with tf.variable_scope("s", initializer=tf.constant_initializer(0.2)):
        outs2, _ = tf.nn.static_rnn(cell2, xs, dtype=tf.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(sess.run([out, outs2], {x: _feed([2, 3, 4], 9)}), decimals=4)


def case_raw_rnn_dropout_in_time_order(tf, show):
    tf.set_random_seed(21)
    max_time, batch, depth = 4, 2, 3
    inputs = tf.placeholder(tf.float32, [max_time, batch, depth])
    lengths = tf.constant([4, 2])
    ta = tf.TensorArray(tf.float32, size=max_time).unstack(inputs)
    cell = tf.nn.rnn_cell.DropoutWrapper(
        tf.nn.rnn_cell.LSTMCell(3), input_keep_prob=0.6, output_keep_prob=0.7, seed=9
    )

    def loop_fn(time, cell_output, cell_state, loop_state):
        emit = cell_output
        state = cell.zero_state(batch, tf.float32) if cell_output is None else cell_state
        finished = time >= lengths
        nxt = tf.cond(
            tf.reduce_all(finished),
            lambda: tf.zeros([batch, depth], tf.float32),
            lambda: ta.read(time),
        )
        return finished, nxt, state, emit, None

    out_ta, final, _ = tf.nn.raw_rnn(cell, loop_fn, parallel_iterations=1)
    out = out_ta.stack()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(sess.run([out, final], {inputs: _feed([4, 2, 3], 12)}), decimals=4)
