"""``tf.contrib.layers.batch_norm`` with ``renorm`` (``renorm_clipping``, ``renorm_decay``),
``adjustment`` and ``batch_weights``, against tf_slim (TF 1.15's contrib code): variables and
collections in creation order, update ops, outputs in training and inference, moving statistics
(and renorm's statistics) after training steps, gradients; the errors for unsupported mixes."""

import numpy as np


def _x(shape, seed=0):
    return np.random.RandomState(seed).normal(size=shape).astype(np.float32) * 2.0 + 0.5


def _report(tf, show, y, x, xv, steps=3, extra=()):
    print(y)
    for v in tf.global_variables():
        print(v.op.name, v.shape.as_list(), v in tf.trainable_variables(),
              v in tf.get_collection(tf.GraphKeys.MODEL_VARIABLES))  # fmt: skip
    updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    print(sorted(u.name for u in updates))
    grads = tf.gradients(tf.reduce_sum(y * y), [x, *tf.trainable_variables()])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(steps):
            sess.run(updates, {x: xv})
        show(sess.run(y, {x: xv}))
        show(sess.run(grads, {x: xv}))
        show(sess.run([v for v in tf.global_variables() if v not in tf.trainable_variables()]))
        for t in extra:
            show(sess.run(t, {x: xv}))


def case_renorm_training(tf, show):
    x = tf.placeholder(tf.float32, [None, 3, 3, 2])
    y = tf.contrib.layers.batch_norm(x, scale=True, renorm=True, decay=0.9, renorm_decay=0.8)
    _report(tf, show, y, x, _x([4, 3, 3, 2]))


def case_renorm_clipping_2d_is_training_tensor(tf, show):
    x = tf.placeholder(tf.float32, [None, 3])
    training = tf.placeholder_with_default(True, [])
    clip = {"rmax": 1.5, "rmin": 0.7, "dmax": 0.4}
    y = tf.contrib.layers.batch_norm(x, is_training=training, renorm=True, renorm_clipping=clip,
                                     decay=0.5, center=False, scope="bn")  # fmt: skip
    xv = _x([6, 3], seed=1)
    _report(tf, show, y, x, xv, extra=[])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(sess.run(y, {x: xv, training: False}))


def case_adjustment(tf, show):
    x = tf.placeholder(tf.float32, [None, 2, 2, 3])

    def adjustment(shape):
        print(shape.dtype.name, shape.shape.as_list())
        return tf.constant([1.5, 0.5, 1.0]), tf.constant([0.1, -0.2, 0.0])

    y = tf.contrib.layers.batch_norm(x, adjustment=adjustment, scale=True, scope="adj")
    _report(tf, show, y, x, _x([3, 2, 2, 3], seed=2))


def case_batch_weights(tf, show):
    x = tf.placeholder(tf.float32, [4, 2, 2, 3])
    w = tf.constant([1.0, 0.5, 0.0, 2.0])
    y = tf.contrib.layers.batch_norm(x, batch_weights=w, decay=0.8, scale=True,
                                     updates_collections=None, scope="bw")  # fmt: skip
    _report(tf, show, y, x, _x([4, 2, 2, 3], seed=3))


def case_batch_weights_update_ops_nchw(tf, show):
    x = tf.placeholder(tf.float32, [3, 2, 4])
    y = tf.contrib.layers.batch_norm(x, batch_weights=[2.0, 1.0, 1.0], data_format="NCHW",
                                     decay=0.7, scope="bw")  # fmt: skip
    _report(tf, show, y, x, _x([3, 2, 4], seed=4))


def case_renorm_errors(tf, expect_error):
    x = tf.placeholder(tf.float32, [4, 3])
    expect_error(lambda: tf.contrib.layers.batch_norm(x, renorm=True, updates_collections=None))
    expect_error(lambda: tf.contrib.layers.batch_norm(x, renorm=True, batch_weights=tf.ones([4])))
    expect_error(lambda: tf.contrib.layers.batch_norm(x, renorm=True, zero_debias_moving_mean=True))
    expect_error(lambda: tf.contrib.layers.batch_norm(x, renorm=True, renorm_clipping={"r": 1}))


def case_weighted_moments(tf, show):
    x = tf.constant(_x([3, 4], seed=5))
    w = tf.constant([[1.0], [0.0], [3.0]])
    m, v = tf.nn.weighted_moments(x, [0], w)
    mk, vk = tf.nn.weighted_moments(x, [0, 1], w, keep_dims=True, name="wm")
    # TF 1.15 multiplies by reciprocal(sum_of_weights) (scopeflow too); TF 2.21 uses div_no_nan,
    # so only the names of the keep_dims results differ: print their shapes.
    print(m, v, mk.shape, vk.shape)
    with tf.Session() as sess:
        show(sess.run([m, v, mk, vk]))
