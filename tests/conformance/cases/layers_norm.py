"""tf.layers batch normalization: variables and their collections, fused and unfused graphs,
UPDATE_OPS, moving statistics after training steps (the fused path's Bessel correction),
inference outputs, bool or tensor ``training``, virtual batches, gradients, errors.

Recorded with ``TF_USE_LEGACY_KERAS=1`` (TF 2.21's ``tf.compat.v1.layers`` is tf_keras's).
"""

import numpy as np


def _vars(tf):
    trainable = {id(v) for v in tf.trainable_variables()}
    for v in tf.global_variables():
        print(v.name, v.shape.as_list(), v.dtype.base_dtype.name, id(v) in trainable)
    print("MOVING", [v.name for v in tf.moving_average_variables()])
    print("UPD", [u.name for u in tf.get_collection(tf.GraphKeys.UPDATE_OPS)])


def _x(shape, seed=0):
    return np.random.RandomState(seed).normal(0.5, 2.0, shape).astype(np.float32)


def _train_and_infer(tf, show, shape, steps=3, **kwargs):
    xv = _x(shape)
    x = tf.placeholder(tf.float32, [None, *shape[1:]])
    y = tf.layers.batch_normalization(x, training=True, momentum=0.9, name="bn", **kwargs)
    yi = tf.layers.batch_normalization(x, training=False, name="bn", reuse=True, **kwargs)
    print(y.name, y.shape, yi.name)
    upd = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for i in range(steps):
            out, _ = sess.run([y, upd], {x: xv * (i + 1)})
        show(out)
        show(sess.run(tf.global_variables()))
        show(sess.run(yi, {x: xv}))


def case_bn_fused_variables_and_updates(tf):
    x = tf.placeholder(tf.float32, [None, 4, 4, 3])
    y = tf.layers.batch_normalization(x, training=True)
    print(y)
    _vars(tf)


def case_bn_unfused_variables_and_updates(tf):
    x = tf.placeholder(tf.float32, [None, 3])
    y = tf.layers.batch_normalization(x, training=True)
    print(y)
    _vars(tf)


def case_bn_inference_has_no_updates(tf):
    a = tf.layers.batch_normalization(tf.placeholder(tf.float32, [None, 4, 4, 3]))
    b = tf.layers.batch_normalization(tf.placeholder(tf.float32, [None, 3]))
    print(a, b)
    _vars(tf)


def case_bn_tensor_training(tf):
    t = tf.placeholder(tf.bool, [])
    a = tf.layers.batch_normalization(tf.placeholder(tf.float32, [None, 4, 4, 3]), training=t)
    b = tf.layers.batch_normalization(tf.placeholder(tf.float32, [None, 3]), training=t)
    print(a, b)
    print(len(tf.get_collection(tf.GraphKeys.UPDATE_OPS)))


def case_bn_fused_moving_stats_bessel(tf, show):
    _train_and_infer(tf, show, [4, 2, 3, 2])


def case_bn_unfused_moving_stats(tf, show):
    _train_and_infer(tf, show, [6, 3])


def case_bn_unfused_4d_fused_false(tf, show):
    _train_and_infer(tf, show, [4, 2, 3, 2], fused=False)


def case_bn_channels_first_fused(tf, show):
    _train_and_infer(tf, show, [3, 2, 2, 3], axis=1)


def case_bn_axis1_rank3_unfused(tf, show):
    _train_and_infer(tf, show, [3, 2, 4], axis=1)


def case_bn_5d_fused(tf, show):
    _train_and_infer(tf, show, [2, 2, 2, 2, 3], steps=2)


def case_bn_no_center_no_scale(tf, show):
    _train_and_infer(tf, show, [4, 2, 2, 2], center=False, scale=False)
    _vars(tf)


def case_bn_virtual_batch(tf, show):
    _train_and_infer(tf, show, [4, 3], virtual_batch_size=2)


def case_bn_tensor_training_values(tf, show):
    xv = _x([4, 2, 2, 3])
    for shape in ([None, 2, 2, 3], [None, 3]):
        tf.reset_default_graph()
        x = tf.placeholder(tf.float32, shape)
        t = tf.placeholder(tf.bool, [])
        y = tf.layers.batch_normalization(x, training=t, momentum=0.5)
        upd = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
        v = xv if len(shape) == 4 else xv.reshape(-1, 3)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            show(sess.run([y, upd], {x: v, t: True})[0])
            show(sess.run(tf.global_variables()))
            show(sess.run([y, upd], {x: v, t: False})[0])
            show(sess.run(tf.global_variables()))


def case_bn_gradients(tf, show):
    xv = _x([3, 2, 2, 2])
    for fused in (True, False):
        tf.reset_default_graph()
        x = tf.constant(xv)
        gamma = tf.constant_initializer(1.5)
        y = tf.layers.batch_normalization(x, training=True, fused=fused, gamma_initializer=gamma)
        loss = tf.reduce_sum(y * tf.constant(_x([3, 2, 2, 2], 1)))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            show(sess.run(tf.gradients(loss, [x, *tf.trainable_variables()])), decimals=3)


def case_bn_class_properties(tf):
    layer = tf.layers.BatchNormalization(momentum=0.5)
    layer(tf.zeros([2, 3]), training=True)
    print(layer.name, [v.name for v in layer.trainable_weights])
    print([v.name for v in layer.non_trainable_weights], [u.name for u in layer.updates])
    frozen = tf.layers.BatchNormalization(trainable=False, name="frozen")
    frozen(tf.zeros([2, 3]), training=True)
    print(frozen.trainable_weights, [v.name for v in frozen.non_trainable_weights])
    print(frozen.updates, [u.name for u in tf.get_collection(tf.GraphKeys.UPDATE_OPS)])


def case_bn_regularizers(tf, show):
    tf.layers.batch_normalization(tf.zeros([2, 3]), gamma_regularizer=tf.nn.l2_loss,
                                  beta_regularizer=tf.nn.l2_loss)  # fmt: skip
    losses = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
    print([t.name for t in losses])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(sess.run(losses))


def case_bn_errors(tf, expect_error):
    expect_error(lambda: tf.layers.batch_normalization(tf.zeros([2, 3]), axis=2))
    expect_error(lambda: tf.layers.batch_normalization(tf.placeholder(tf.float32, [2, None])))
    expect_error(lambda: tf.layers.batch_normalization(tf.zeros([2, 4, 4, 3]), axis=2, fused=True))
    expect_error(lambda: tf.layers.BatchNormalization(axis="x"))
    expect_error(lambda: tf.layers.batch_normalization(tf.zeros([4, 3]), virtual_batch_size=0))


def case_bn_renorm_variables_and_values(tf, show):
    xv = _x([6, 3])
    x = tf.placeholder(tf.float32, [None, 3])
    y = tf.layers.batch_normalization(
        x,
        training=True,
        renorm=True,
        momentum=0.8,
        renorm_momentum=0.7,
        renorm_clipping={"rmax": 1.5, "rmin": 0.5, "dmax": 0.3},
    )
    print(y.name)
    _vars(tf)
    upd = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    loss = tf.reduce_sum(y * tf.constant(_x([6, 3], 2)))
    grads = tf.gradients(loss, [x, *tf.trainable_variables()])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(sess.run(tf.global_variables()))
        for i in range(3):
            out, _ = sess.run([y, upd], {x: xv * (i + 1)})
        show(out)
        show(sess.run(tf.global_variables()))
        show(sess.run(grads, {x: xv}), decimals=3)


def case_bn_renorm_tensor_training(tf, show):
    xv = _x([4, 2, 2, 3])
    x = tf.placeholder(tf.float32, [None, 2, 2, 3])
    t = tf.placeholder(tf.bool, [])
    y = tf.layers.batch_normalization(x, training=t, renorm=True, renorm_momentum=0.5)
    print(y.name)
    upd = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(sess.run([y, upd], {x: xv, t: True})[0])
        show(sess.run([y, upd], {x: xv * 2, t: False})[0])
        show(sess.run(tf.global_variables()))


def case_training_none_uses_keras_learning_phase(tf, show):
    x = tf.placeholder(tf.float32, [None, 3])
    with tf.variable_scope("s"):
        a = tf.layers.dropout(x, training=None)
        b = tf.layers.batch_normalization(x, training=None)
        c = tf.layers.batch_normalization(
            tf.placeholder(tf.float32, [None, 2, 2, 3]), training=None
        )
    ops = tf.get_default_graph().get_operations()
    print(a, b, c, [op.name for op in ops if "learning" in op.name])
    print([u.name for u in tf.get_collection(tf.GraphKeys.UPDATE_OPS)])
    phase = tf.get_default_graph().get_tensor_by_name("keras_learning_phase:0")
    xv = _x([4, 3])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(sess.run(b, {x: xv}), sess.run(b, {x: xv, phase: True}))


def case_bn_half_and_double_inputs(tf, show):
    xv = _x([4, 2, 2, 3])
    outs = []
    for dtype in (tf.float16, tf.float64):
        for shape in ([4, 2, 2, 3], [16, 3]):
            x = tf.constant(xv.reshape(shape), dtype=dtype)
            y = tf.layers.batch_normalization(x, training=True)
            print(y.name, y.dtype.name)
            outs.append(y)
    print([(v.name, v.dtype.base_dtype.name) for v in tf.global_variables()][::4])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show([o[:2] for o in sess.run(outs)], decimals=2)
