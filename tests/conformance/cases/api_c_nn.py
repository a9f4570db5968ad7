"""tf.nn convolution gradients: conv2d_backprop_input/filter and
depthwise_conv2d_native_backprop_input/filter (names, shapes, values, their gradients, errors)."""

import numpy as np


def _rand(seed, shape):
    return np.random.RandomState(seed).uniform(-1, 1, shape).astype(np.float32)


def case_conv2d_backprop_names_shapes(tf, show):
    w = tf.constant(_rand(0, [3, 3, 3, 4]))
    x = tf.constant(_rand(1, [2, 5, 5, 3]))
    dy = tf.constant(_rand(2, [2, 3, 3, 4]))
    a = tf.nn.conv2d_backprop_input([2, 5, 5, 3], w, dy, [1, 2, 2, 1], "SAME")
    b = tf.nn.conv2d_backprop_filter(x, [3, 3, 3, 4], dy, [1, 2, 2, 1], "SAME", name="bf")
    print(a.name, a.shape, [i.name for i in a.op.inputs], a.op.get_attr("padding"))
    print(b.name, b.shape, [i.name for i in b.op.inputs], b.op.get_attr("strides"))
    p = tf.placeholder(tf.float32, [None, 5, 5, 3])
    c = tf.nn.conv2d_backprop_filter(p, [3, 3, 3, 4], dy, [1, 2, 2, 1], "SAME")
    # TF 2.x also takes the batch from out_backprop; TF 1.15 (and scopeflow) only input_sizes
    dyp = tf.placeholder(tf.float32, [None, 3, 3, 4])
    d = tf.nn.conv2d_backprop_input(tf.shape(p), w, dyp, [1, 2, 2, 1], "SAME")
    print(c.shape, d.shape)
    e = tf.nn.depthwise_conv2d_native_backprop_input(
        [2, 5, 5, 3], tf.ones([3, 3, 3, 2]), tf.ones([2, 5, 5, 6]), [1, 1, 1, 1], "SAME"
    )
    f = tf.nn.depthwise_conv2d_backprop_filter(
        x, [3, 3, 3, 2], tf.ones([2, 2, 2, 6]), [1, 2, 2, 1], "VALID"
    )
    print(e.name, e.shape, f.name, f.shape, sorted(f.op.node_def.attr))


def _check_conv(tf, show, x_shape, k_shape, strides, padding, dil=(1, 1, 1, 1), fmt="NHWC"):
    xv, wv = _rand(3, x_shape), _rand(4, k_shape)
    x, w = tf.constant(xv), tf.constant(wv)
    y = tf.nn.conv2d(x, w, strides, padding, data_format=fmt, dilations=list(dil))
    dyv = _rand(5, y.shape.as_list())
    dy = tf.constant(dyv)
    a = tf.nn.conv2d_backprop_input(
        x_shape, w, dy, strides, padding, data_format=fmt, dilations=list(dil)
    )
    b = tf.nn.conv2d_backprop_filter(
        x, k_shape, dy, strides, padding, data_format=fmt, dilations=list(dil)
    )
    gx, gw = tf.gradients(y, [x, w], dy)
    ga = tf.gradients(tf.reduce_sum(a * a), [w, dy])
    gb = tf.gradients(tf.reduce_sum(b * b), [x, dy])
    with tf.Session() as sess:
        av, bv, gxv, gwv, gav, gbv = sess.run([a, b, gx, gw, ga, gb])
    show(av, bv, decimals=2)
    print(np.abs(av - gxv).max() < 1e-4, np.abs(bv - gwv).max() < 1e-4)
    show(gav, gbv, decimals=1)


def case_conv2d_backprop_values(tf, show):
    _check_conv(tf, show, [2, 6, 7, 3], [3, 2, 3, 4], [1, 2, 2, 1], "SAME")
    _check_conv(tf, show, [1, 7, 6, 2], [3, 3, 2, 3], [1, 2, 1, 1], "VALID")
    _check_conv(tf, show, [1, 7, 7, 2], [3, 3, 2, 2], [1, 1, 1, 1], "SAME", (1, 2, 2, 1))


def _check_depthwise(tf, show, x_shape, k_shape, strides, padding):
    xv, wv = _rand(6, x_shape), _rand(7, k_shape)
    x, w = tf.constant(xv), tf.constant(wv)
    y = tf.nn.depthwise_conv2d_native(x, w, strides, padding)
    dy = tf.constant(_rand(8, y.shape.as_list()))
    a = tf.nn.depthwise_conv2d_native_backprop_input(x_shape, w, dy, strides, padding)
    b = tf.nn.depthwise_conv2d_native_backprop_filter(x, k_shape, dy, strides, padding)
    gx, gw = tf.gradients(y, [x, w], dy)
    gb = tf.gradients(tf.reduce_sum(b * b), [x, dy])
    with tf.Session() as sess:
        av, bv, gxv, gwv, gbv = sess.run([a, b, gx, gw, gb])
    show(av, bv, decimals=2)
    print(np.abs(av - gxv).max() < 1e-4, np.abs(bv - gwv).max() < 1e-4)
    show(gbv, decimals=1)


def case_depthwise_backprop_values(tf, show):
    _check_depthwise(tf, show, [2, 5, 6, 3], [3, 3, 3, 2], [1, 2, 2, 1], "SAME")
    _check_depthwise(tf, show, [1, 6, 5, 2], [2, 3, 2, 1], [1, 1, 1, 1], "VALID")


def case_conv2d_backprop_errors(tf, expect_error):
    w = tf.ones([3, 3, 3, 4])
    expect_error(
        lambda: tf.nn.conv2d_backprop_input(
            [1, 5, 5, 3], w, tf.ones([1, 3, 3, 4], tf.float64), [1, 1, 1, 1], "SAME"
        )
    )
    expect_error(
        lambda: tf.nn.conv2d_backprop_input(
            [1, 5, 5, 3], w, tf.ones([1, 5, 5, 4]), [1, 1, 1, 1], "SAME", data_format="NCWH"
        )
    )


def case_max_pool_with_argmax(tf, show):
    xv = np.random.RandomState(0).rand(2, 4, 5, 3).astype(np.float32)
    xv[0, 0, 0, 0] = xv[0, 0, 1, 0] = 5.0  # a tie: the first maximum wins
    x = tf.constant(xv)
    o, a = tf.nn.max_pool_with_argmax(x, [1, 2, 2, 1], [1, 2, 2, 1], "SAME")
    print(o.name, o.shape, a.name, a.dtype, a.shape, sorted(a.op.node_def.attr))
    o2, a2 = tf.nn.max_pool_with_argmax(
        x,
        [1, 3, 2, 1],
        [1, 1, 2, 1],
        "VALID",
        include_batch_in_index=True,
        Targmax=tf.int32,
        name="mp",
    )
    print(o2.name, o2.shape, a2.dtype, a2.op.get_attr("include_batch_in_index"))
    o3, a3 = tf.nn.max_pool_with_argmax(
        -x, [1, 3, 3, 1], [1, 2, 2, 1], "SAME", output_dtype=tf.int64
    )
    print(o3.shape, a3.dtype)
    g = tf.gradients(tf.reduce_sum(o * o), x)[0]
    with tf.Session() as sess:
        show(sess.run([o, a, o2, a2, o3, a3, g]))


def case_max_pool_with_argmax_errors(tf, expect_error):
    x = tf.ones([1, 4, 4, 2])
    k = [1, 2, 2, 1]
    # TF 1.15's message is "Data formats other than 'NHWC' are not yet supported"
    expect_error(
        lambda: tf.nn.max_pool_with_argmax(x, k, k, "SAME", data_format="NCHW"), message=False
    )
    expect_error(lambda: tf.nn.max_pool_with_argmax(x, 2, 2, "SAME"))
    expect_error(
        lambda: tf.nn.max_pool_with_argmax(x, k, k, "SAME", Targmax=tf.float32), message=False
    )
    expect_error(lambda: tf.nn.max_pool_with_argmax(tf.ones([4, 4]), k, k, "SAME"), message=False)


def case_pool1d(tf, show):
    xv = np.random.RandomState(1).rand(2, 7, 3).astype(np.float32)
    x = tf.constant(xv)
    p = tf.nn.avg_pool1d(x, 2, 2, "SAME")
    q = tf.nn.max_pool1d(x, [3], [2], "VALID", name="mx")
    r = tf.nn.avg_pool1d(tf.constant(xv.transpose(0, 2, 1)), 3, 1, "SAME", data_format="NCW")
    print(p.name, p.shape, q.name, q.shape, r.name, r.shape)
    print(
        [
            o.name
            for o in tf.get_default_graph().get_operations()
            if "Pool" in o.name or o.name.startswith("mx")
        ]
    )
    print(q.op.inputs[0].op.get_attr("ksize"), r.op.inputs[0].op.get_attr("ksize"))
    with tf.Session() as sess:
        show(sess.run([p, q, r, tf.gradients(tf.reduce_sum(q * p[:, :3]), x)[0]]))


def case_conv1d_transpose(tf, show):
    x = tf.constant(_rand(9, [2, 4, 3]))
    w = tf.constant(_rand(10, [3, 5, 3]))
    y = tf.nn.conv1d_transpose(x, w, [2, 8, 5], 2)
    print(y.name, y.shape, [o.name for o in tf.get_default_graph().get_operations()])
    print(y.op.inputs[0].op.type, y.op.inputs[0].op.get_attr("strides"))
    y2 = tf.nn.conv1d_transpose(x, w, tf.constant([2, 9, 5]), [2], "VALID", name="ct")
    y3 = tf.nn.conv_transpose(x, w, [2, 8, 5], 2)
    y4 = tf.nn.conv_transpose(
        tf.constant(_rand(11, [1, 3, 3, 2])),
        tf.constant(_rand(12, [2, 2, 4, 2])),
        [1, 6, 6, 4],
        [1, 2, 2, 1],
        "VALID",
        name="c2",
    )
    print(y2.name, y2.shape, y3.name, y4.name, y4.shape, y4.op.type)
    g = tf.gradients(tf.reduce_sum(y * y), [x, w])
    with tf.Session() as sess:
        show(sess.run([y, y2, y3, y4]), decimals=2)
        show(sess.run(g), decimals=1)


def case_conv_transpose_errors(tf, expect_error):
    x = tf.ones([2, 4, 3])
    expect_error(lambda: tf.nn.conv_transpose(x, tf.ones([3, 5, 3]), [2, 8], 2))
    expect_error(
        lambda: tf.nn.conv1d_transpose(x, tf.ones([3, 5, 3]), [2, 8, 5], 2, data_format="NHCW")
    )
