"""Convolution + bias (+ ReLU + max-pool) chains, forward values, gradients and Adam steps.

scopeflow's plans run a convolution and the add of its bias as one kernel, and a ``Relu`` read
only by a ``MaxPool`` after the pooling, in inference and in training plans
(``scopeflow/ops/conv_fusions.py``); these cases pin TF's numbers for the chains they rewrite
and for look-alikes they must leave alone.
"""

import numpy as np


def _data(shape, seed):
    return np.random.RandomState(seed).uniform(-1, 1, shape).astype(np.float32)


def _chain(tf, show, fmt, padding, k, stride, bias, pool_k, pool_s, pool_pad, seed):
    shape = [2, 9, 9, 3] if fmt == "NHWC" else [2, 3, 9, 9]
    x = tf.placeholder(tf.float32, shape)
    w = tf.Variable(_data([k, k, 3, 5], seed))
    b = tf.Variable(_data([5], seed + 1))
    st = [1, stride, stride, 1] if fmt == "NHWC" else [1, 1, stride, stride]
    c = tf.nn.conv2d(x, w, st, padding, data_format=fmt)
    if bias == "add":
        z = c + b
    elif bias == "radd":
        z = b + c
    else:
        z = tf.nn.bias_add(c, b, data_format=fmt)
    r = tf.nn.relu(z)
    if fmt == "NCHW":  # TF's CPU max-pool takes NHWC only
        r = tf.transpose(r, [0, 2, 3, 1])
    y = tf.nn.max_pool(r, [1, pool_k, pool_k, 1], [1, pool_s, pool_s, 1], pool_pad)
    loss = tf.reduce_sum(y * y)
    grads = tf.gradients(loss, [w, b, x])
    xv = _data(shape, seed + 2)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(sess.run(y, {x: xv}), decimals=4)
        show(sess.run(grads, {x: xv}), decimals=3)
        show(sess.run(z, {x: xv}), decimals=4)  # the pre-activation fetched: no fusion


def case_conv_add_relu_pool_same(tf, show):
    _chain(tf, show, "NHWC", "SAME", 5, 1, "add", 2, 2, "SAME", 0)


def case_conv_radd_relu_pool_strided(tf, show):
    _chain(tf, show, "NHWC", "SAME", 3, 2, "radd", 3, 2, "VALID", 10)


def case_conv_bias_add_relu_overlapping_pool(tf, show):
    _chain(tf, show, "NHWC", "VALID", 3, 1, "bias_add", 3, 1, "SAME", 20)


def case_conv_bias_add_nchw(tf, show):
    _chain(tf, show, "NCHW", "SAME", 3, 1, "bias_add", 2, 2, "SAME", 30)


def case_relu_pool_ties_and_zeros(tf, show):
    # Windows of equal values, all-negative windows and exact zeros: where the gradient goes.
    v = np.array([[1, 1, -2, -3], [1, 0, -1, -5], [0, 0, 2, 2], [0, -1, 2, 2]], np.float32)
    x = tf.placeholder(tf.float32, [1, 4, 4, 1])
    y = tf.nn.max_pool(tf.nn.relu(x), [1, 2, 2, 1], [1, 2, 2, 1], "VALID")
    g = tf.gradients(y, x, grad_ys=np.array([1, 2, 3, 4], np.float32).reshape(1, 2, 2, 1))
    with tf.Session() as sess:
        show(sess.run([y, g], {x: v.reshape(1, 4, 4, 1)}))


def case_look_alikes_stay_unfused(tf, show):
    x = tf.placeholder(tf.float32, [2, 6, 6, 2])
    w = tf.constant(_data([3, 3, 2, 4], 40))
    c = tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME")
    full = c + tf.constant(_data([6, 6, 4], 41))  # not a per-channel vector
    one = tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME") + tf.constant([0.5])  # broadcast scalar
    r = tf.nn.relu(tf.nn.conv2d(x, w, [1, 1, 1, 1], "VALID") + tf.constant(_data([4], 42)))
    two = tf.nn.max_pool(r, [1, 2, 2, 1], [1, 2, 2, 1], "SAME") + tf.reduce_max(r)  # read twice
    with tf.Session() as sess:
        show(sess.run([full, one, two], {x: _data([2, 6, 6, 2], 43)}), decimals=4)


def case_mnist_cnn_adam_steps(tf, show):
    tf.set_random_seed(5)
    x = tf.placeholder(tf.float32, [8, 12, 12, 1])
    y = tf.placeholder(tf.int64, [8])

    def conv(h, k, c_in, c_out, name):
        with tf.variable_scope(name):
            w = tf.get_variable("kernel", [k, k, c_in, c_out],
                                initializer=tf.glorot_uniform_initializer(seed=2))  # fmt: skip
            b = tf.get_variable("bias", [c_out], initializer=tf.constant_initializer(0.1))
        h = tf.nn.relu(tf.nn.conv2d(h, w, [1, 1, 1, 1], "SAME") + b)
        return tf.nn.max_pool(h, [1, 2, 2, 1], [1, 2, 2, 1], "SAME")

    h = conv(conv(x, 5, 1, 4, "conv1"), 3, 4, 8, "conv2")
    h = tf.reshape(h, [8, 3 * 3 * 8])
    w = tf.get_variable("dense", [72, 10], initializer=tf.glorot_uniform_initializer(seed=3))
    logits = tf.matmul(h, w)
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
    train = tf.train.AdamOptimizer(0.01).minimize(loss)
    feed = {x: (_data([8, 12, 12, 1], 50) + 1) / 2, y: np.arange(8) % 10}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            sess.run(train, feed)
        show(sess.run(loss, feed), decimals=4)
        for v in tf.trainable_variables():
            print(v.op.name)
            show(sess.run(v), decimals=4)
