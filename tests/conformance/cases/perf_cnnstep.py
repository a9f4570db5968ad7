"""The MNIST CNN training step with dropout: losses and weights after Adam steps vs TF.

Exercises what branch ``cnnstep`` changed: dropout's ``SelectV2`` (a tensor or ``+0.0``) as a
bit multiplication, and on two intra-op threads the convolution backward on the pair of
one-thread workers (input and filter gradients side by side; a first layer's filter gradient
as two batch halves). The batch is even and odd, so both oneDNN splits are covered.
"""

import numpy as np


def _data(shape, seed):
    return np.random.RandomState(seed).uniform(0, 1, shape).astype(np.float32)


def _cnn_steps(tf, show, batch, seed):
    x = tf.placeholder(tf.float32, [batch, 14, 14, 1])
    y = tf.placeholder(tf.int64, [batch])

    def conv(h, k, c_in, c_out, name):
        with tf.variable_scope(name):
            w = tf.get_variable("kernel", [k, k, c_in, c_out],
                                initializer=tf.glorot_uniform_initializer(seed=seed))  # fmt: skip
            b = tf.get_variable("bias", [c_out], initializer=tf.constant_initializer(0.05))
        h = tf.nn.relu(tf.nn.conv2d(h, w, [1, 1, 1, 1], "SAME") + b)
        return tf.nn.max_pool(h, [1, 2, 2, 1], [1, 2, 2, 1], "SAME")

    h = conv(conv(x, 5, 1, 8, "conv1"), 3, 8, 16, "conv2")
    h = tf.reshape(h, [batch, 4 * 4 * 16])
    with tf.variable_scope("fc1"):
        w1 = tf.get_variable("kernel", [256, 64],
                             initializer=tf.glorot_uniform_initializer(seed=seed + 1))  # fmt: skip
        b1 = tf.get_variable("bias", [64], initializer=tf.zeros_initializer())
    h = tf.nn.relu(tf.matmul(h, w1) + b1)
    h = tf.nn.dropout(h, keep_prob=0.5, seed=seed + 2)
    with tf.variable_scope("logits"):
        w2 = tf.get_variable("kernel", [64, 10],
                             initializer=tf.glorot_uniform_initializer(seed=seed + 3))  # fmt: skip
    logits = tf.matmul(h, w2)
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
    train = tf.train.AdamOptimizer(0.01).minimize(loss)
    feed = {x: _data([batch, 14, 14, 1], seed), y: np.arange(batch) % 10}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        losses = [sess.run([train, loss], feed)[1] for _ in range(4)]
        show(np.array(losses), decimals=4)
        for v in tf.trainable_variables():
            print(v.op.name)
            show(sess.run(v), decimals=4)


def case_cnn_dropout_adam_steps_even_batch(tf, show):
    _cnn_steps(tf, show, 16, 7)


def case_cnn_dropout_adam_steps_odd_batch(tf, show):
    _cnn_steps(tf, show, 9, 11)


def case_dropout_select_special_values(tf, show):
    # NaN, infinities and signed zeros through dropout's select, forward and backward.
    v = np.array([[np.nan, np.inf, -np.inf, -0.0, 0.0, -1.5, 2.0, 3.0]] * 4, np.float32)
    x = tf.placeholder(tf.float32, [4, 8])
    y = tf.nn.dropout(x, keep_prob=0.5, seed=4)
    g = tf.gradients(y, x, grad_ys=np.full([4, 8], -0.0, np.float32) + v)
    with tf.Session() as sess:
        out, grad = sess.run([y, g[0]], {x: v})
    show(out)
    show(np.signbit(out))
    show(grad)
    show(np.signbit(grad))
