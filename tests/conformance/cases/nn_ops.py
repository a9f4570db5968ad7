"""Small deterministic NN ops: conv2d padding/strides, relu, bias_add; random ops by shape."""

import numpy as np


def _image(tf, shape):
    return tf.constant(np.arange(np.prod(shape), dtype=np.float32).reshape(shape) / 10.0)


def _kernel(tf, shape):
    values = (np.arange(np.prod(shape), dtype=np.float32) % 5 - 2).reshape(shape) / 4.0
    return tf.constant(values)


def _conv(tf, show, x_shape, k_shape, strides, padding):
    y = tf.nn.conv2d(_image(tf, x_shape), _kernel(tf, k_shape), strides=strides, padding=padding)
    print(y.name, y.get_shape())
    with tf.Session() as sess:
        show(sess.run(y))


def case_conv2d_same_stride1(tf, show):
    _conv(tf, show, [1, 4, 4, 1], [3, 3, 1, 1], [1, 1, 1, 1], "SAME")


def case_conv2d_valid_stride1(tf, show):
    _conv(tf, show, [1, 4, 4, 1], [3, 3, 1, 1], [1, 1, 1, 1], "VALID")


def case_conv2d_same_stride2_even(tf, show):
    _conv(tf, show, [1, 4, 4, 1], [3, 3, 1, 1], [1, 2, 2, 1], "SAME")


def case_conv2d_same_stride2_odd(tf, show):
    _conv(tf, show, [1, 5, 5, 1], [3, 3, 1, 1], [1, 2, 2, 1], "SAME")


def case_conv2d_valid_stride2(tf, show):
    _conv(tf, show, [1, 5, 5, 1], [3, 3, 1, 1], [1, 2, 2, 1], "VALID")


def case_conv2d_same_even_kernel(tf, show):
    _conv(tf, show, [1, 4, 4, 1], [2, 2, 1, 1], [1, 1, 1, 1], "SAME")


def case_conv2d_multi_channel(tf, show):
    _conv(tf, show, [2, 3, 3, 2], [2, 2, 2, 3], [1, 1, 1, 1], "SAME")


def case_conv2d_rectangular_strides(tf, show):
    _conv(tf, show, [1, 4, 6, 1], [1, 3, 1, 2], [1, 1, 2, 1], "SAME")


def case_conv2d_static_shapes(tf):
    x = tf.placeholder(tf.float32, [None, 64, 64, 32])
    w = tf.zeros([5, 5, 32, 32])
    same = tf.nn.conv2d(x, w, strides=[1, 1, 1, 1], padding="SAME")
    valid = tf.nn.conv2d(x, w, strides=[1, 1, 1, 1], padding="VALID")
    strided = tf.nn.conv2d(x, w, strides=[1, 2, 2, 1], padding="SAME")
    print(same.get_shape(), valid.get_shape(), strided.get_shape())
    print(same.name, valid.name, same.op.type)


def case_conv2d_named_in_scope(tf):
    x = tf.zeros([1, 4, 4, 1])
    with tf.variable_scope("conv1"):
        w = tf.get_variable("weights", [3, 3, 1, 2])
        b = tf.get_variable("biases", [2], initializer=tf.constant_initializer(0.0))
        conv = tf.nn.conv2d(x, w, strides=[1, 1, 1, 1], padding="SAME")
        out = tf.nn.relu(conv + b)
    print(conv.name, out.name, out.get_shape())


def case_conv2d_channel_mismatch(tf, expect_error):
    x = tf.zeros([1, 4, 4, 2])
    w = tf.zeros([3, 3, 3, 1])
    expect_error(lambda: tf.nn.conv2d(x, w, strides=[1, 1, 1, 1], padding="SAME"), message=False)


def case_relu_values(tf, show):
    x = tf.constant([-2.0, -0.5, 0.0, 0.5, 3.0])
    with tf.Session() as sess:
        show(sess.run([tf.nn.relu(x), tf.nn.relu6(x * 3.0)]))


def case_bias_add(tf, show):
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    b = tf.constant([10.0, 20.0])
    y = tf.nn.bias_add(x, b)
    print(y.name)
    with tf.Session() as sess:
        show(sess.run(y))


def case_conv_relu_layer_values(tf, show):
    x = _image(tf, [1, 3, 3, 1])
    with tf.variable_scope("layer"):
        w = tf.get_variable("w", initializer=_kernel(tf, [2, 2, 1, 1]))
        b = tf.get_variable("b", [1], initializer=tf.constant_initializer(0.05))
        y = tf.nn.relu(tf.nn.conv2d(x, w, strides=[1, 1, 1, 1], padding="SAME") + b)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(sess.run(y))


def case_max_pool_and_avg_pool(tf, show):
    x = _image(tf, [1, 4, 4, 1])
    mp = tf.nn.max_pool(x, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="VALID")
    ap = tf.nn.avg_pool(x, ksize=[1, 3, 3, 1], strides=[1, 2, 2, 1], padding="SAME")
    print(mp.name, ap.name, mp.get_shape(), ap.get_shape())
    with tf.Session() as sess:
        show(sess.run([mp, ap]))


def case_softmax_and_sigmoid(tf, show):
    x = tf.constant([[1.0, 2.0, 3.0]])
    with tf.Session() as sess:
        show(sess.run([tf.nn.softmax(x), tf.sigmoid(x), tf.tanh(x)]))


def case_random_ops_shapes_dtypes(tf):
    ops = [
        tf.random_normal([5, 5, 32, 32]),
        tf.random_uniform([3], minval=-1, maxval=1),
        tf.truncated_normal([2, 2], stddev=0.1),
        tf.random_normal([2], dtype=tf.float64),
    ]
    for t in ops:
        print(t.name, t.get_shape(), t.dtype)


def case_random_ops_value_bounds(tf):
    u = tf.random_uniform([1000], minval=-1.0, maxval=1.0)
    t = tf.truncated_normal([1000], stddev=0.1)
    with tf.Session() as sess:
        a, b = sess.run([u, t])
    print(a.shape, bool(a.min() >= -1.0), bool(a.max() < 1.0), bool(np.abs(b).max() <= 0.2))


def case_random_seed_graph_level(tf):
    tf.set_random_seed(1)
    a = tf.random_uniform([5])
    with tf.Session() as s1:
        x = s1.run(a)
    with tf.Session() as s2:
        y = s2.run(a)
    print(bool((x == y).all()))


def case_random_normal_in_variable(tf):
    v = tf.Variable(tf.random_normal([5, 5, 32, 32]), name="conv1_weights")
    print(v, v.initial_value.name)
