"""What the "text" user codebases (gpt-2, char-rnn, cnn-text-classification, transformer, gcn,
ptb, nmt) needed from scopeflow: each fix as a case whose printed text must be TF's."""

import numpy as np


def case_feed_nested_state_tuple(tf, expect_error):
    # char-rnn's Model.sample: feed_dict={self.initial_state: state} with the MultiRNNCell's
    # (LSTMStateTuple(c, h), ...) state as the key and sess.run's value of it as the value
    cell = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.BasicLSTMCell(3) for _ in range(2)])
    state = cell.zero_state(1, tf.float32)
    x = tf.placeholder(tf.float32, [1, 2])
    _, new_state = cell(x, state)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run([v.assign(tf.fill(tf.shape(v), 0.1)) for v in tf.global_variables()])
        s = sess.run(new_state, {x: [[1.0, 2.0]]})
        print(type(s).__name__, [type(t).__name__ for t in s])
        s2 = sess.run(new_state, {x: [[1.0, 2.0]], state: s})
        print(np.round(np.asarray(s2), 5).tolist())
        a, b = tf.placeholder(tf.float32, []), tf.placeholder(tf.float32, [])
        print(sess.run(a + b, {(a, (b,)): (1.0, [2.0])}))
        expect_error(lambda: sess.run(a + b, {(a, b): (1.0,)}))
        expect_error(lambda: sess.run(a + b, {(a, b): (1.0, 2.0), a: 3.0}))
