"""Max pooling and dropout of the MNIST CNN, bit for bit, and a training trajectory, vs TF.

Exercises what branch ``cnnc`` changed: the compiled NHWC max pooling over non-overlapping
unpadded windows (its one-byte argmax and its one-pass backward) and the compiled Philox
draws behind ``RandomUniform`` (dropout's mask, ``glorot_uniform``). Values are printed as
their bits (``int32`` views) where the text compares numbers, so ties, signed zeros and
infinities must land exactly where TF puts them.
"""

import numpy as np


def _bits(a):
    return np.ascontiguousarray(a, dtype=np.float32).view(np.int32)


def case_max_pool_ties_infinities_signed_zeros(tf, show):
    rng = np.random.RandomState(5)
    v = np.round(rng.randn(2, 8, 6, 3)).astype(np.float32)  # many equal maxima
    # A window of -inf only is left out: TF's MaxPool gives the lowest float there (its max
    # starts at ``lowest()``), torch's and scopeflow's -inf (a known difference, unchanged).
    v[0, 0:2, 0:2, 0] = [[-np.inf, -3.0], [-np.inf, -np.inf]]
    v[0, 2:4, 0:2, 1] = [[-0.0, 0.0], [0.0, -0.0]]  # signed zeros only
    v[1, 0:2, 2:4, 2] = [[-1.0, np.inf], [np.inf, -np.inf]]
    g = np.round(rng.randn(2, 4, 3, 3)).astype(np.float32)
    g[g == 0] = -0.0
    x = tf.placeholder(tf.float32, [2, 8, 6, 3])
    for window, padding in [(2, "SAME"), (2, "VALID"), (3, "VALID")]:
        y = tf.nn.max_pool(x, [1, window, window, 1], [1, window, window, 1], padding)
        dims = y.shape.as_list()
        gy = np.resize(g, dims).astype(np.float32)
        gy[gy == 0] = -0.0
        dx = tf.gradients(y, x, grad_ys=gy)[0]
        with tf.Session() as sess:
            out, grad = sess.run([y, dx], {x: v})
        print(window, padding, dims)
        show(_bits(out))
        show(_bits(grad))


def case_mnist_sized_max_pool_gradient_bits(tf, show):
    rng = np.random.RandomState(8)
    v = np.maximum(np.round(rng.randn(4, 28, 28, 32) * 3), 0).astype(np.float32)  # ReLU-like
    x = tf.placeholder(tf.float32, [4, 28, 28, 32])
    y = tf.nn.max_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], "SAME")
    y2 = tf.nn.max_pool(y, [1, 2, 2, 1], [1, 2, 2, 1], "SAME")
    gy = rng.randn(4, 7, 7, 32).astype(np.float32)
    dx = tf.gradients(y2, x, grad_ys=gy)[0]
    with tf.Session() as sess:
        out, grad = sess.run([y2, dx], {x: v})
    bits = _bits(grad)
    print(int(np.count_nonzero(bits)), int(bits.astype(np.int64).sum()))
    print(int(_bits(out).astype(np.int64).sum()))
    show(np.flatnonzero(bits)[:40])


def case_dropout_and_uniform_bits(tf, show):
    x = tf.placeholder(tf.float32, [64, 1024])
    y = tf.nn.dropout(x, keep_prob=0.5, seed=3)
    u = tf.random_uniform([5, 7, 3], seed=9)
    w = tf.get_variable("w", [3136, 16], initializer=tf.glorot_uniform_initializer(seed=2))
    ones = np.ones([64, 1024], np.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):  # successive runs continue the stream
            out, draws = sess.run([y, u], {x: ones})
            kept = out != 0
            print(int(kept.sum()), int(np.flatnonzero(kept.reshape(-1))[:16].sum()))
            print(int(np.packbits(kept).astype(np.int64).sum()))
            show(_bits(draws).reshape(-1)[:24])
            print(int(_bits(draws).astype(np.int64).sum()))
        wv = sess.run(w)
    print(int(_bits(wv).astype(np.int64).sum()))
    show(_bits(wv)[:2])


def case_cnn_dropout_adam_steps(tf, show):
    batch = 8
    x = tf.placeholder(tf.float32, [batch, 28, 28, 1])
    y = tf.placeholder(tf.int64, [batch])

    def conv(h, k, c_in, c_out, name, seed):
        with tf.variable_scope(name):
            w = tf.get_variable("kernel", [k, k, c_in, c_out],
                                initializer=tf.glorot_uniform_initializer(seed=seed))  # fmt: skip
            b = tf.get_variable("bias", [c_out], initializer=tf.constant_initializer(0.05))
        h = tf.nn.relu(tf.nn.conv2d(h, w, [1, 1, 1, 1], "SAME") + b)
        return tf.nn.max_pool(h, [1, 2, 2, 1], [1, 2, 2, 1], "SAME")

    h = conv(conv(x, 5, 1, 8, "conv1", 1), 3, 8, 16, "conv2", 2)
    h = tf.reshape(h, [batch, 7 * 7 * 16])
    with tf.variable_scope("fc1"):
        w1 = tf.get_variable("kernel", [784, 64],
                             initializer=tf.glorot_uniform_initializer(seed=3))  # fmt: skip
        b1 = tf.get_variable("bias", [64], initializer=tf.zeros_initializer())
    h = tf.nn.relu(tf.matmul(h, w1) + b1)
    h = tf.nn.dropout(h, keep_prob=0.5, seed=4)
    with tf.variable_scope("logits"):
        w2 = tf.get_variable("kernel", [64, 10],
                             initializer=tf.glorot_uniform_initializer(seed=5))  # fmt: skip
    logits = tf.matmul(h, w2)
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
    train = tf.train.AdamOptimizer(0.01).minimize(loss)
    xs = np.random.RandomState(6).uniform(0, 1, [batch, 28, 28, 1]).astype(np.float32)
    feed = {x: xs, y: np.arange(batch) % 10}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        losses = [sess.run([train, loss], feed)[1] for _ in range(4)]
        show(np.array(losses), decimals=4)
        for v in tf.trainable_variables():
            print(v.op.name)
            show(sess.run(v)[..., :4], decimals=4)
