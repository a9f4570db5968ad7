"""tf.layers convolutions and pooling: variables, op names, static shapes with unknown batch,
seeded initial values, forward values and gradients.

Recorded with ``TF_USE_LEGACY_KERAS=1`` (TF 2.21's ``tf.compat.v1.layers`` is tf_keras's).
"""

import numpy as np


def _vars(tf):
    for v in tf.global_variables():
        print(v.name, v.shape.as_list(), v.dtype.base_dtype.name)


def _ops(tf):
    print(
        [
            op.name
            for op in tf.get_default_graph().get_operations()
            if "/Initializer/" not in op.name
            and not op.name.endswith(("/Assign", "/read"))
            # scopeflow names but does not create these constants of tf.nn.separable_conv2d
            and not op.name.endswith(("/separable_conv2d/Shape", "/separable_conv2d/dilation_rate"))
        ]
    )


def _x(shape, seed=0):
    return np.random.RandomState(seed).uniform(-1, 1, shape).astype(np.float32)


def _run_values(tf, show, y, x=None, xv=None):
    loss = tf.reduce_sum(y * y)
    params = tf.trainable_variables()
    grads = tf.gradients(loss, params + ([x] if x is not None else []))
    feed = {x: xv} if x is not None else None
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(sess.run(params), decimals=7)
        show(sess.run(y, feed), decimals=4)
        show(sess.run(grads, feed), decimals=3)


def case_conv1d(tf, show):
    tf.set_random_seed(1)
    x = tf.placeholder(tf.float32, [None, 6, 2])
    y = tf.layers.conv1d(x, 3, 3, padding="same", activation=tf.nn.relu)
    z = tf.layers.conv1d(y, 2, 2, strides=2)
    print(y, z)
    _vars(tf)
    _ops(tf)
    _run_values(tf, show, z, x, _x([2, 6, 2]))


def case_conv1d_causal_and_dilated(tf, show):
    tf.set_random_seed(2)
    x = tf.constant(_x([1, 7, 2]))
    y = tf.layers.conv1d(x, 2, 3, padding="causal", dilation_rate=2)
    print(y)
    _run_values(tf, show, y)


def case_conv2d(tf, show):
    tf.set_random_seed(3)
    x = tf.placeholder(tf.float32, [None, 5, 5, 2])
    y = tf.layers.conv2d(x, 3, 3, strides=2, padding="same", activation=tf.nn.relu)
    z = tf.layers.conv2d(y, 2, (2, 1), use_bias=False)
    print(y, z)
    _vars(tf)
    _ops(tf)
    _run_values(tf, show, z, x, _x([2, 5, 5, 2]))


def case_conv2d_channels_first_shapes(tf):
    x = tf.placeholder(tf.float32, [None, 2, 5, 5])
    y = tf.layers.conv2d(x, 3, 3, data_format="channels_first")
    print(y)
    _vars(tf)


def case_conv2d_reuse_and_regularizer(tf, show):
    x = tf.ones([1, 3, 3, 1])
    a = tf.layers.conv2d(x, 1, 2, name="c", kernel_initializer=tf.ones_initializer(),
                         kernel_regularizer=tf.nn.l2_loss)  # fmt: skip
    b = tf.layers.conv2d(x, 1, 2, name="c", reuse=True, kernel_regularizer=tf.nn.l2_loss)
    print(a.name, b.name, [t.name for t in tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(sess.run([a, b]))


def case_conv2d_errors(tf, expect_error):
    expect_error(lambda: tf.layers.conv2d(tf.zeros([2, 5, 5]), 3, 3))
    expect_error(lambda: tf.layers.conv2d(tf.placeholder(tf.float32, [1, 5, 5, None]), 3, 3))
    expect_error(lambda: tf.layers.Conv2D(3, 0))
    expect_error(lambda: tf.layers.Conv2D(3, 3, padding="causal"))
    expect_error(lambda: tf.layers.Conv2D(3, 3, padding="full"))


def case_conv3d(tf, show):
    tf.set_random_seed(4)
    x = tf.placeholder(tf.float32, [None, 4, 4, 4, 2])
    y = tf.layers.conv3d(x, 2, 3, strides=(1, 2, 1), padding="same")
    print(y)
    _vars(tf)
    _ops(tf)
    _run_values(tf, show, y, x, _x([1, 4, 4, 4, 2]))


def case_conv2d_transpose(tf, show):
    tf.set_random_seed(5)
    x = tf.placeholder(tf.float32, [None, 3, 3, 2])
    y = tf.layers.conv2d_transpose(x, 2, 3, strides=2, padding="same")
    z = tf.layers.conv2d_transpose(y, 1, 2, strides=1)
    print(y, z)
    _vars(tf)
    _ops(tf)
    _run_values(tf, show, z, x, _x([2, 3, 3, 2]))


def case_conv2d_transpose_unknown_spatial(tf):
    x = tf.placeholder(tf.float32, [None, None, 4, 2])
    print(tf.layers.conv2d_transpose(x, 3, 3, strides=2))
    _ops(tf)


def case_conv3d_transpose(tf, show):
    tf.set_random_seed(6)
    x = tf.placeholder(tf.float32, [None, 2, 3, 2, 2])
    y = tf.layers.conv3d_transpose(x, 2, 2, strides=(2, 1, 2))
    z = tf.layers.conv3d_transpose(y, 1, 3, padding="same")
    print(y, z)
    _vars(tf)
    _ops(tf)
    _run_values(tf, show, z, x, _x([1, 2, 3, 2, 2]))


def case_separable_conv1d(tf, show):
    tf.set_random_seed(7)
    x = tf.placeholder(tf.float32, [None, 6, 2])
    y = tf.layers.separable_conv1d(x, 3, 3, depth_multiplier=2, padding="same")
    print(y)
    _vars(tf)
    _ops(tf)
    _run_values(tf, show, y, x, _x([2, 6, 2]))


def case_separable_conv2d(tf, show):
    tf.set_random_seed(8)
    x = tf.placeholder(tf.float32, [None, 5, 5, 2])
    y = tf.layers.separable_conv2d(x, 3, 3, strides=2, activation=tf.nn.relu)
    print(y)
    _vars(tf)
    _ops(tf)
    _run_values(tf, show, y, x, _x([2, 5, 5, 2]))


def case_pooling_names_shapes_values(tf, show):
    x1 = tf.placeholder(tf.float32, [None, 6, 2])
    x2 = tf.placeholder(tf.float32, [None, 5, 5, 2])
    x3 = tf.placeholder(tf.float32, [None, 4, 4, 4, 2])
    outs = [
        tf.layers.max_pooling1d(x1, 2, 2),
        tf.layers.average_pooling1d(x1, 3, 1, padding="same"),
        tf.layers.max_pooling2d(x2, 3, 2, padding="same"),
        tf.layers.average_pooling2d(x2, 2, 2),
        tf.layers.max_pooling3d(x3, 2, 2),
        tf.layers.average_pooling3d(x3, (2, 1, 2), 1, padding="same"),
        tf.layers.MaxPooling2D(2, 1)(x2),
    ]
    for o in outs:
        print(o)
    _ops(tf)
    feed = {x1: _x([1, 6, 2]), x2: _x([1, 5, 5, 2]), x3: _x([1, 4, 4, 4, 2])}
    with tf.Session() as sess:
        show(sess.run(outs[:4], feed))
        show(sess.run(tf.gradients(tf.reduce_sum(outs[2]), x2), feed))


def case_pooling_channels_first_3d(tf, show):
    x = tf.constant(_x([1, 2, 4, 4, 4]))
    y = tf.layers.max_pooling3d(x, 2, 2, data_format="channels_first")
    print(y.shape)
    with tf.Session() as sess:
        show(sess.run(y))


def case_pooling_errors(tf, expect_error):
    expect_error(lambda: tf.layers.max_pooling2d(tf.zeros([2, 5, 5]), 2, 2))
    expect_error(lambda: tf.layers.MaxPooling2D(2, 2, padding="full"))


def case_conv2d_dilated(tf, show):
    tf.set_random_seed(9)
    x = tf.placeholder(tf.float32, [None, 7, 7, 2])
    layer = tf.layers.Conv2D(3, 3, dilation_rate=2, padding="same", name="c")
    a = layer(x)
    b = layer(x)
    print(a, a.op.inputs[0].name, b.op.inputs[0].name)
    _run_values(tf, show, a, x, _x([1, 7, 7, 2]))
