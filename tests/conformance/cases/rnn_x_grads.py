"""Which variables ``tf.gradients`` connects through a ``cond`` whose branches differ in
differentiability (the decoders of ``legacy_seq2seq`` with a tensor ``feed_previous`` build
one): a path through ``ArgMax`` is cut inside a branch as outside one."""

import numpy as np


def case_cond_branch_with_argmax_feedback(tf, show):
    x = tf.Variable([[1.0, 2.0, 0.5]], name="x")
    emb = tf.Variable(np.arange(6, dtype=np.float32).reshape(3, 2), name="emb")
    w = tf.Variable(np.ones([2, 2], np.float32), name="w")
    p = tf.placeholder(tf.bool, [])
    fed = tf.cond(
        p,
        lambda: tf.nn.embedding_lookup(emb, tf.argmax(x * 3.0, 1)),
        lambda: tf.matmul(x[:, :2], w),
    )
    loss = tf.reduce_sum(fed * fed)
    grads = tf.gradients(loss, [x, emb, w])
    print([g is None for g in grads])
    only_true = tf.cond(
        p, lambda: tf.nn.embedding_lookup(emb, tf.argmax(x, 1)), lambda: tf.zeros([1, 2])
    )
    print([g is None for g in tf.gradients(tf.reduce_sum(only_true), [x, emb, w])])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for flag in (True, False):
            vals = sess.run([tf.convert_to_tensor(g) for g in grads if g is not None], {p: flag})
            show(vals)


def case_nested_cond_and_integer_path(tf, show):
    x = tf.Variable([0.3, -1.2], name="x")
    p = tf.placeholder(tf.bool, [])
    q = tf.placeholder(tf.bool, [])
    inner = tf.cond(
        p,
        lambda: tf.cond(
            q, lambda: tf.cast(tf.cast(x * 4.0, tf.int32), tf.float32), lambda: x * 2.0
        ),
        lambda: tf.round(x),
    )
    grads = tf.gradients(tf.reduce_sum(inner), [x])
    print([g is None for g in grads])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        if grads[0] is not None:
            show([sess.run(grads[0], {p: True, q: False})])
