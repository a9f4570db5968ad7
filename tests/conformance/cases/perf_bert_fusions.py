"""Values of the subgraphs that plans run as one kernel (``ops/_bert_fusions``), against TF.

Layer norm (``tf.contrib.layers.layer_norm``, and written out from ``tf.nn.moments``) and BERT's
tanh-GELU (both spellings), forward and gradients, in inference and in training steps; also the
same subgraphs with an intermediate fetched (where the plan must not fuse them).
"""

import numpy as np


def _x(shape, seed=0, loc=0.5, scale=2.0):
    return np.random.RandomState(seed).normal(loc, scale, shape).astype(np.float32)


def _gelu_bert(tf, x):
    cdf = 0.5 * (1.0 + tf.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * tf.pow(x, 3))))
    return x * cdf


def _gelu_ours(tf, x):
    return 0.5 * x * (1.0 + tf.tanh(np.sqrt(2.0 / np.pi) * (x + 0.044715 * tf.pow(x, 3))))


def _run_with_grads(tf, show, y, x, xv, extra=()):
    ws = list(tf.trainable_variables())
    grads = tf.gradients(tf.reduce_sum(y * y * 0.25 + y), [x, *ws])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(sess.run(y, {x: xv}))
        show(sess.run(grads, {x: xv}))
        if extra:
            show(sess.run([y, *extra], {x: xv}))


def case_contrib_layer_norm_last_axis(tf, show):
    xv = _x([3, 4, 6])
    x = tf.placeholder(tf.float32, [None, 4, 6])
    with tf.variable_scope("ln", initializer=tf.random_normal_initializer(1.0, 0.3, seed=1)):
        y = tf.contrib.layers.layer_norm(x, begin_norm_axis=-1, begin_params_axis=-1)
    print(y.name)
    _run_with_grads(tf, show, y, x, xv)


def case_contrib_layer_norm_two_axes(tf, show):
    xv = _x([3, 4, 6], seed=2, loc=-3.0)
    x = tf.placeholder(tf.float32, [None, 4, 6])
    y = tf.contrib.layers.layer_norm(x, begin_norm_axis=1, begin_params_axis=-1)
    _run_with_grads(tf, show, y, x, xv)


def case_contrib_layer_norm_no_params(tf, show):
    xv = _x([5, 7], seed=3)
    x = tf.placeholder(tf.float32, [None, 7])
    y = tf.contrib.layers.layer_norm(x, center=False, scale=False)
    _run_with_grads(tf, show, y, x, xv)


def case_written_layer_norm(tf, show):
    xv = _x([6, 8], seed=12, loc=1.5)
    x = tf.placeholder(tf.float32, [None, 8])
    gamma = tf.get_variable("gamma", [8], initializer=tf.random_normal_initializer(1, 0.2, 5))
    beta = tf.get_variable("beta", [8], initializer=tf.random_normal_initializer(0, 0.2, 6))
    mean, var = tf.nn.moments(x, [-1], keep_dims=True)
    y = (x - mean) * tf.rsqrt(var + 1e-12) * gamma + beta
    _run_with_grads(tf, show, y, x, xv, extra=[mean, var])


def case_gelu_spellings(tf, show):
    xv = _x([4, 9], seed=7, loc=0.0, scale=2.5)
    x = tf.placeholder(tf.float32, [None, 9])
    for fn in (_gelu_bert, _gelu_ours):
        y = fn(tf, x)
        with tf.Session() as sess:
            show(sess.run(y, {x: xv}))
            show(sess.run(tf.gradients(tf.reduce_sum(y * y), x), {x: xv}))


def case_gelu_intermediate_fetched(tf, show):
    xv = _x([3, 5], seed=8, loc=0.0)
    x = tf.placeholder(tf.float32, [None, 5])
    inner = tf.tanh(np.sqrt(2.0 / np.pi) * (x + 0.044715 * tf.pow(x, 3)))
    y = 0.5 * x * (1.0 + inner)
    with tf.Session() as sess:
        show(sess.run([y, inner], {x: xv}))
        show(sess.run(y, {x: xv}))


def case_bert_layer_adam_steps(tf, show):
    tf.set_random_seed(0)
    xv = _x([2, 5, 16], seed=9, loc=0.0, scale=1.0)
    yv = _x([2, 5, 16], seed=10, loc=0.0, scale=1.0)
    x = tf.placeholder(tf.float32, [None, 5, 16])
    target = tf.placeholder(tf.float32, [None, 5, 16])
    init = tf.truncated_normal_initializer(stddev=0.2, seed=11)
    h = tf.reshape(x, [-1, 16])
    m = tf.layers.dense(
        h, 32, kernel_initializer=init, name="intermediate", activation=lambda t: _gelu_bert(tf, t)
    )
    o = tf.layers.dense(m, 16, kernel_initializer=init, name="output")
    o = tf.contrib.layers.layer_norm(o + h, begin_norm_axis=-1, begin_params_axis=-1)
    loss = tf.reduce_mean(tf.square(tf.reshape(o, [-1, 5, 16]) - target))
    train = tf.train.AdamOptimizer(0.01).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            show(sess.run([loss, train], {x: xv, target: yv})[0])
        show(sess.run(o, {x: xv})[:2])
        show(sess.run(tf.trainable_variables()))
