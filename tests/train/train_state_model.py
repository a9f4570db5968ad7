"""The model shared by ``tools/record_train_state.py`` (under TF and scopeflow) and its test.

A dense layer over inputs plus an embedding lookup (sparse gradient), trained by Adam with a
global step and an ExponentialMovingAverage: the full TF1 training state (slots, beta powers,
global_step, EMA shadows).
"""

import numpy as np

STEPS_BEFORE = 3
STEPS_AFTER = 2


def build(tf):
    x = tf.constant(np.linspace(-1, 1, 12, dtype=np.float32).reshape(3, 4))
    with tf.variable_scope("dense"):
        w = tf.get_variable(
            "kernel", initializer=np.linspace(-0.5, 0.6, 12, dtype=np.float32).reshape(4, 3)
        )
        b = tf.get_variable("bias", initializer=np.array([0.1, -0.2, 0.3], np.float32))
    emb = tf.get_variable("emb", initializer=np.linspace(-1, 1, 24, dtype=np.float32).reshape(6, 4))
    ids = tf.constant([[1, 3], [3, 0], [5, 1]])
    x = x + tf.reduce_sum(tf.nn.embedding_lookup(emb, ids), axis=1)
    loss = tf.reduce_mean(tf.square(tf.tanh(tf.matmul(x, w) + b) - 0.25))
    gs = tf.train.get_or_create_global_step()
    opt = tf.train.AdamOptimizer(0.05).minimize(loss, global_step=gs)
    ema = tf.train.ExponentialMovingAverage(0.9)
    with tf.control_dependencies([opt]):
        return ema.apply(tf.trainable_variables())


def values(tf, sess):
    return {v.op.name: sess.run(v) for v in tf.global_variables()}
