"""RNN cells (tf.nn.rnn_cell): variable names, shapes, creation order, op names of a call,
scope capture and reuse, zero states, wrappers (seeded dropout masks), values from seeded
initializers and errors."""

import numpy as np


def _ops(tf, prefix):
    return [o.name for o in tf.get_default_graph().get_operations() if o.name.startswith(prefix)]


def _vars(tf):
    return [(v.name, v.shape.as_list()) for v in tf.global_variables()]


def _feed(shape, seed=0):
    return np.random.RandomState(seed).randn(*shape).astype(np.float32)


def case_lstm_cell_call_names_values(tf, show):
    tf.set_random_seed(3)
    x = tf.placeholder(tf.float32, [2, 5], name="x")
    cell = tf.nn.rnn_cell.LSTMCell(4)
    st = cell.zero_state(2, tf.float32)
    out, new = cell(x, st)
    print(out.name, new.c.name, new.h.name, type(new).__name__)
    print(_vars(tf))
    print(_ops(tf, "lstm_cell/")[-20:])
    print([v.name for v in cell.variables], [v.name for v in cell.trainable_variables])
    print(cell.state_size, cell.output_size, cell.built, cell.scope_name)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(*sess.run([out, new], {x: _feed([2, 5])}))


def case_cell_called_twice_shares_variables(tf, show):
    x = tf.placeholder(tf.float32, [2, 3])
    cell = tf.nn.rnn_cell.BasicLSTMCell(4)
    s = cell.zero_state(2, tf.float32)
    o1, s1 = cell(x, s)
    o2, _s2 = cell(x, s1)
    print(o1.name, o2.name, _vars(tf))
    cell2 = tf.nn.rnn_cell.BasicLSTMCell(4)
    o3, _ = cell2(x, s)
    print(o3.name, _vars(tf))
    with tf.variable_scope("outer"):
        cell3 = tf.nn.rnn_cell.GRUCell(2)
        o4, _ = cell3(x, cell3.zero_state(2, tf.float32))
        o5, _ = cell3(x, o4)
    print(o4.name, o5.name, cell3.scope_name, _vars(tf)[-4:])


def case_cell_scope_argument_and_reuse(tf, show):
    x = tf.placeholder(tf.float32, [2, 3])
    cell = tf.nn.rnn_cell.BasicRNNCell(4)
    o, _ = cell(x, cell.zero_state(2, tf.float32), scope="myscope")
    print(o.name, _vars(tf))
    c2 = tf.nn.rnn_cell.BasicRNNCell(4, reuse=True, name="myscope")
    o2, _ = c2(x, cell.zero_state(2, tf.float32))
    print(o2.name, _vars(tf), [v.name for v in c2.variables])
    with tf.variable_scope("s", reuse=tf.AUTO_REUSE):
        for _ in range(2):
            c = tf.nn.rnn_cell.LSTMCell(3, name="shared")
            c(x, c.zero_state(2, tf.float32))
    print(_vars(tf)[-2:])


def case_lstm_cell_options(tf, show):
    tf.set_random_seed(5)
    x = tf.placeholder(tf.float32, [3, 4])
    cells = [
        tf.nn.rnn_cell.LSTMCell(
            5, use_peepholes=True, cell_clip=0.3, num_proj=2, proj_clip=0.1, forget_bias=0.5
        ),
        tf.nn.rnn_cell.LSTMCell(3, state_is_tuple=False, initializer=tf.ones_initializer()),
        tf.nn.rnn_cell.BasicLSTMCell(3, state_is_tuple=False, forget_bias=2.0),
        tf.nn.rnn_cell.LSTMCell(3, activation=tf.nn.relu),
    ]
    outs = []
    for i, c in enumerate(cells):
        with tf.variable_scope(f"c{i}"):
            print(c.state_size, c.output_size)
            st = c.zero_state(3, tf.float32)
            _o, s = c(x, st)
            o2, s2 = c(x * 0.5, s)
            outs.append((o2, s2))
    print(_vars(tf))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for r in sess.run(outs, {x: _feed([3, 4], 1)}):
            show(r)


def case_gru_and_basic_rnn_cells(tf, show):
    tf.set_random_seed(7)
    x = tf.placeholder(tf.float32, [2, 3])
    gru = tf.nn.rnn_cell.GRUCell(4)
    g1, _ = gru(x, gru.zero_state(2, tf.float32))
    g2, _ = gru(x, g1)
    gi = tf.nn.rnn_cell.GRUCell(
        2,
        kernel_initializer=tf.constant_initializer(0.1),
        bias_initializer=tf.constant_initializer(0.2),
        name="gi",
    )
    g3, _ = gi(x, gi.zero_state(2, tf.float32))
    rnn = tf.nn.rnn_cell.BasicRNNCell(3, activation=tf.nn.relu)
    r1, r1s = rnn(x, rnn.zero_state(2, tf.float32))
    print(g2.name, g3.name, r1.name, r1 is r1s)
    print(_vars(tf))
    print(_ops(tf, "gru_cell/")[-16:])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(*sess.run([g2, g3, r1], {x: _feed([2, 3], 2)}))


def case_multi_rnn_cell(tf, show):
    tf.set_random_seed(11)
    x = tf.placeholder(tf.float32, [2, 3])
    cell = tf.nn.rnn_cell.MultiRNNCell(
        [tf.nn.rnn_cell.LSTMCell(4), tf.nn.rnn_cell.GRUCell(3), tf.nn.rnn_cell.BasicRNNCell(2)]
    )
    zs = cell.zero_state(2, tf.float32)
    print(cell.state_size, cell.output_size, [t.name for t in tf.nest.flatten(zs)])
    o, s = cell(x, zs)
    o2, s2 = cell(x, s)
    print(o.name, o2.name, [t.name for t in tf.nest.flatten(s2)])
    print(_vars(tf))
    print([v.name for v in cell.variables] == [v.name for v in tf.global_variables()])
    flat = tf.nn.rnn_cell.MultiRNNCell(
        [tf.nn.rnn_cell.GRUCell(2), tf.nn.rnn_cell.BasicRNNCell(3)], state_is_tuple=False
    )
    with tf.variable_scope("flat"):
        _fo, fs = flat(x, flat.zero_state(2, tf.float32))
    print(flat.state_size, fs.name, fs.shape)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(*sess.run([o2, s2, fs], {x: _feed([2, 3], 3)}), decimals=3)


def case_dropout_wrapper_seeded_masks(tf, show):
    tf.set_random_seed(1234)
    x = tf.placeholder(tf.float32, [4, 6])
    base = tf.nn.rnn_cell.LSTMCell(6)
    cell = tf.nn.rnn_cell.DropoutWrapper(
        base, input_keep_prob=0.5, output_keep_prob=0.7, state_keep_prob=0.6, seed=42
    )
    o, s = cell(x, cell.zero_state(4, tf.float32))
    print(o.name, s.c.name, s.h.name, cell.state_size, cell.output_size)
    print(_vars(tf))
    kp = tf.placeholder(tf.float32, [])
    c2 = tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.GRUCell(6), output_keep_prob=kp, seed=7)
    with tf.variable_scope("g"):
        o2, _ = c2(x, c2.zero_state(4, tf.float32))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        xv = np.ones([4, 6], np.float32)
        show(*sess.run([o, s], {x: xv}))
        show(sess.run(o2, {x: xv, kp: 0.5}), sess.run(o2, {x: xv, kp: 1.0}))


def case_dropout_wrapper_variational(tf, show):
    tf.set_random_seed(99)
    x = tf.placeholder(tf.float32, [3, 5])
    cell = tf.nn.rnn_cell.DropoutWrapper(
        tf.nn.rnn_cell.LSTMCell(4),
        input_keep_prob=0.6,
        output_keep_prob=0.8,
        state_keep_prob=0.5,
        variational_recurrent=True,
        input_size=5,
        dtype=tf.float32,
        seed=3,
    )
    s = cell.zero_state(3, tf.float32)
    o1, s1 = cell(x, s)
    o2, s2 = cell(x, s1)
    print(o1.name, o2.name, s2.h.name)
    print(sorted(n for n in _ops(tf, "random_uniform") if n.endswith("RandomUniform")))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(*sess.run([o1, o2, s2], {x: np.ones([3, 5], np.float32)}))


def case_residual_and_device_wrappers(tf, show):
    tf.set_random_seed(2)
    x = tf.placeholder(tf.float32, [2, 3])
    res = tf.nn.rnn_cell.ResidualWrapper(tf.nn.rnn_cell.GRUCell(3))
    o, _ = res(x, res.zero_state(2, tf.float32))
    res2 = tf.nn.rnn_cell.ResidualWrapper(
        tf.nn.rnn_cell.BasicRNNCell(3), residual_fn=lambda i, o: i - o
    )
    with tf.variable_scope("r2"):
        o2, _ = res2(x, res2.zero_state(2, tf.float32))
    dev = tf.nn.rnn_cell.DeviceWrapper(tf.nn.rnn_cell.BasicRNNCell(3), "/cpu:0")
    zs = dev.zero_state(2, tf.float32)
    with tf.variable_scope("d"):
        o3, _ = dev(x, zs)
    print(o.name, o2.name, o3.name, zs.name)
    print(_vars(tf))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(*sess.run([o, o2, o3], {x: _feed([2, 3], 4)}))


def case_rnncell_subclass_with_get_variable(tf, show):
    class MyCell(tf.nn.rnn_cell.RNNCell):
        def __init__(self, n):
            super().__init__()
            self._n = n

        @property
        def state_size(self):
            return self._n

        @property
        def output_size(self):
            return self._n

        def call(self, inputs, state):
            w = tf.get_variable(
                "w", [inputs.shape[1], self._n], initializer=tf.constant_initializer(0.5)
            )
            out = tf.tanh(tf.matmul(inputs, w) + state)
            return out, out

    x = tf.placeholder(tf.float32, [2, 3])
    cell = MyCell(4)
    with tf.variable_scope("outer"):
        o, s = cell(x, cell.zero_state(2, tf.float32))
        o2, _ = cell(x, s)
    print(o.name, o2.name, _vars(tf), [v.name for v in cell.trainable_variables])
    print(cell.zero_state(2, tf.float32).name)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(sess.run(o2, {x: _feed([2, 3], 5)}))


def case_zero_state_forms(tf, show):
    b = tf.placeholder(tf.int32, [])
    c = tf.nn.rnn_cell.LSTMCell(3)
    z = c.zero_state(b, tf.float32)
    print(z.c.name, z.c.shape, z.h.shape)
    g = tf.nn.rnn_cell.GRUCell(2)
    print(g.zero_state(5, tf.float64).name, g.zero_state(5, tf.float64).dtype)
    x = tf.placeholder(tf.float32, [4, 2])
    print(g.get_initial_state(inputs=x).shape, tf.nn.rnn_cell.LSTMStateTuple(1, 2))
    with tf.Session() as sess:
        show(sess.run(z, {b: 2}))


def case_cell_errors(tf, show, expect_error):
    x = tf.placeholder(tf.int32, [2, 3])
    c = tf.nn.rnn_cell.GRUCell(2)
    expect_error(lambda: c(x, tf.zeros([2, 2], tf.int32)), message=False)
    expect_error(lambda: tf.nn.rnn_cell.MultiRNNCell([]))
    expect_error(
        lambda: tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.LSTMCell(2)], state_is_tuple=False),
        message=False,
    )
    expect_error(
        lambda: tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.GRUCell(2), input_keep_prob=1.5),
        message=False,
    )
    expect_error(
        lambda: tf.nn.rnn_cell.DropoutWrapper(
            tf.nn.rnn_cell.GRUCell(2), variational_recurrent=True
        ),
        message=False,
    )
    y = tf.placeholder(tf.float32, [2, None])
    c2 = tf.nn.rnn_cell.BasicLSTMCell(2)
    expect_error(lambda: c2(y, c2.zero_state(2, tf.float32)), message=False)
