"""Optimizer updates written in TF ops (BERT's ``AdamWeightDecayOptimizer``), and ``Sqrt``'s bits.

The update on variables of one to several 32,768-element blocks, with the global step ordered
after it; the same steps with an intermediate fetched; and ``Sqrt`` on values where a not
correctly rounded square root differs from TF's. (A block-wise fusion of such updates was tried
and removed: on a quiet machine it made BERT's training step slower, see RESULTS.md.)
"""

import numpy as np


def _adam_weight_decay(tf, grads_and_vars, lr, fetch_next_m=False):
    assignments, next_ms = [], []
    for grad, param in grads_and_vars:
        name = param.op.name
        shape = param.shape.as_list()
        m = tf.get_variable(
            name + "/adam_m", shape, tf.float32, trainable=False, initializer=tf.zeros_initializer()
        )
        v = tf.get_variable(
            name + "/adam_v", shape, tf.float32, trainable=False, initializer=tf.zeros_initializer()
        )
        next_m = tf.multiply(0.9, m) + tf.multiply(0.1, grad)
        next_v = tf.multiply(0.999, v) + tf.multiply(0.001, tf.square(grad))
        update = next_m / (tf.sqrt(next_v) + 1e-6)
        if not any(s in name for s in ("LayerNorm", "bias")):
            update += 0.01 * param
        next_param = param - lr * update
        assignments.extend([param.assign(next_param), m.assign(next_m), v.assign(next_v)])
        next_ms.append(next_m)
    return tf.group(*assignments), next_ms


def _steps(tf, show, fetch_next_m):
    rng = np.random.RandomState(0)
    xv = rng.randn(16, 300).astype(np.float32)
    yv = rng.randint(0, 3, 16)
    x = tf.placeholder(tf.float32, [16, 300])
    y = tf.placeholder(tf.int32, [16])
    init = tf.glorot_uniform_initializer(seed=1)
    h = tf.layers.dense(x, 250, activation=tf.nn.relu, kernel_initializer=init)
    logits = tf.layers.dense(h, 3, kernel_initializer=init)
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
    tvars = tf.trainable_variables()
    grads, _ = tf.clip_by_global_norm(tf.gradients(loss, tvars), 1.0)
    gs = tf.train.get_or_create_global_step()
    lr = 1e-3 * (1.0 - tf.cast(gs, tf.float32) / 100.0)
    train, next_ms = _adam_weight_decay(tf, list(zip(grads, tvars, strict=True)), lr)
    with tf.control_dependencies([train]):
        step = tf.group(gs.assign_add(1))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            fetched = sess.run([loss, step, *(next_ms if fetch_next_m else [])], {x: xv, y: yv})
            show(fetched[0])
        # The gradients carry the products' rounding (TF's GEMM and torch's differ in the last
        # bits), and Adam divides by their size: each variable's mean magnitude and RMS at
        # three significant digits.
        for var, val in zip(tf.global_variables(), sess.run(tf.global_variables()), strict=True):
            a = np.abs(val.astype(np.float64))
            show(f"{var.op.name} {a.mean():.2e} {np.sqrt((a * a).mean()):.2e}")


def case_adam_weight_decay_steps(tf, show):
    _steps(tf, show, False)


def case_adam_weight_decay_steps_intermediate_fetched(tf, show):
    _steps(tf, show, True)


def case_sqrt_correctly_rounded(tf, show):
    rng = np.random.RandomState(4)
    xv = (rng.rand(4000) * np.exp(rng.randn(4000) * 5)).astype(np.float32)
    x = tf.placeholder(tf.float32, [None])
    with tf.Session() as sess:
        got = sess.run(tf.sqrt(x), {x: xv})
    show(got)
    show(int(np.sum(got != np.sqrt(xv))))
