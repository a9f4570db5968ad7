"""Op fidelity (issue 13): build-time errors, shape-tensor arguments, static shapes from
partially known shape tensors, gradients at the boundaries of piecewise ops."""

import numpy as np


def _grads(tf, show, ys, xs, grad_ys=None):
    grads = tf.gradients(ys, xs, grad_ys)
    print(["None" if g is None else g.dtype.name for g in grads])
    with tf.Session() as sess:
        show(sess.run([g for g in grads if g is not None]))


# --- errors TF raises while building the graph ----------------------------------------------------


def case_valid_conv_kernel_larger_than_input(tf, expect_error):
    expect_error(lambda: tf.nn.conv2d(tf.zeros([1, 3, 3, 1]), tf.zeros([5, 5, 1, 2]), 1, "VALID"))
    expect_error(lambda: tf.nn.conv2d(tf.zeros([1, 3, 8, 1]), tf.zeros([5, 2, 1, 2]), 1, "VALID"))
    expect_error(
        lambda: tf.nn.conv2d(
            tf.zeros([1, 4, 4, 1]), tf.zeros([3, 3, 1, 1]), 1, "VALID", dilations=[1, 2, 2, 1]
        )
    )
    expect_error(lambda: tf.nn.conv1d(tf.zeros([2, 3, 1]), tf.zeros([4, 1, 2]), 1, "VALID"))
    expect_error(
        lambda: tf.nn.conv3d(
            tf.zeros([1, 2, 5, 5, 1]), tf.zeros([3, 3, 3, 1, 1]), [1, 1, 1, 1, 1], "VALID"
        )
    )
    expect_error(
        lambda: tf.nn.depthwise_conv2d(
            tf.zeros([1, 3, 3, 2]), tf.zeros([4, 4, 2, 1]), [1, 1, 1, 1], "VALID"
        )
    )
    expect_error(
        lambda: tf.nn.separable_conv2d(
            tf.zeros([1, 3, 3, 2]),
            tf.zeros([4, 4, 2, 1]),
            tf.zeros([1, 1, 2, 3]),
            [1, 1, 1, 1],
            "VALID",
        )
    )
    # TF runs dilated depthwise/atrous convs through SpaceToBatchND: the node in the message is
    # TF's inner Conv2D (scopeflow builds one dilated op), so only the error type is compared.
    expect_error(
        lambda: tf.nn.atrous_conv2d(tf.zeros([1, 4, 4, 1]), tf.zeros([3, 3, 1, 1]), 2, "VALID"),
        message=False,
    )
    expect_error(
        lambda: tf.nn.depthwise_conv2d(
            tf.zeros([1, 4, 4, 1]), tf.zeros([3, 3, 1, 1]), [1, 1, 1, 1], "VALID", rate=[2, 2]
        ),
        message=False,
    )
    expect_error(
        lambda: tf.nn.conv2d(
            tf.zeros([1, 3, 3, 1]), tf.zeros([5, 5, 1, 2]), 1, [[0, 0], [1, 0], [0, 0], [0, 0]]
        )
    )
    expect_error(
        lambda: tf.nn.conv2d(
            tf.zeros([1, 3, 3, 1], tf.float64),
            tf.zeros([4, 1, 1, 2], tf.float64),
            [1, 2, 2, 1],
            "VALID",
            data_format="NHWC",
        )
    )
    y = tf.nn.conv2d(tf.zeros([1, 3, 3, 1]), tf.zeros([5, 5, 1, 2]), 1, "SAME")
    z = tf.nn.conv2d(tf.zeros([1, 3, 3, 1]), tf.zeros([3, 3, 1, 2]), 1, "VALID")
    print(y.shape, z.shape)


def case_valid_pool_window_larger_than_input(tf, expect_error):
    x = tf.zeros([1, 3, 3, 1])
    expect_error(lambda: tf.nn.max_pool(x, [1, 4, 4, 1], [1, 1, 1, 1], "VALID"))
    expect_error(lambda: tf.nn.avg_pool(x, [1, 2, 4, 1], [1, 1, 1, 1], "VALID"))
    x3 = tf.zeros([1, 2, 3, 3, 1])
    expect_error(lambda: tf.nn.max_pool3d(x3, [1, 3, 1, 1, 1], [1, 1, 1, 1, 1], "VALID"))
    expect_error(lambda: tf.nn.avg_pool3d(x3, [1, 1, 4, 1, 1], [1, 1, 1, 1, 1], "VALID"))
    expect_error(lambda: tf.nn.pool(x, [4, 4], "MAX", "VALID"))
    print(tf.nn.max_pool(x, [1, 4, 4, 1], [1, 1, 1, 1], "SAME").shape)
    print(tf.nn.max_pool(x, [1, 3, 3, 1], [1, 2, 2, 1], "VALID").shape)


def case_valid_conv_with_unknown_input_builds(tf, show):
    p = tf.placeholder(tf.float32, [None, None, None, 1])
    y = tf.nn.conv2d(p, tf.zeros([5, 5, 1, 2]), 1, "VALID")
    m = tf.nn.max_pool(p, [1, 4, 4, 1], [1, 1, 1, 1], "VALID")
    print(y.shape, m.shape)
    with tf.Session() as sess:
        show(sess.run(y, {p: np.ones([1, 6, 5, 1], np.float32)}).shape)


# --- shapes given as tensors --------------------------------------------------------------------


def case_fill_with_shape_tensor(tf, show):
    x = tf.placeholder(tf.float32, [None, 3])
    a = tf.fill(tf.shape(x), 2.0)
    b = tf.fill(tf.stack([tf.shape(x)[0], 4]), 1)
    c = tf.fill(tf.constant([2, 2]), 0.5)
    d = tf.fill([2, tf.shape(x)[1]], 3.0)
    print(a.shape, b.shape, c.shape, d.shape, b.dtype.name)
    with tf.Session() as sess:
        show(*sess.run([a, b, c, d], {x: np.zeros([2, 3], np.float32)}))


def case_reshape_to_scalar(tf, show, expect_error):
    x = tf.constant([5.0])
    a = tf.reshape(x, [])
    b = tf.reshape(x, ())
    c = tf.reshape(x, tf.constant([], tf.int64))
    d = tf.reshape(x, np.array([], np.int32))
    print(a.shape, b.shape, c.shape, d.shape)
    with tf.Session() as sess:
        show(*sess.run([a, b, c, d]))
    expect_error(lambda: tf.reshape(x, np.array([], np.float32)), message=False)
    expect_error(lambda: tf.reshape(x, tf.constant([], tf.float32)), message=False)
    expect_error(lambda: tf.reshape(tf.constant([1.0, 2.0]), []))


def case_reshape_partially_known_shape_tensor(tf, show):
    x = tf.placeholder(tf.float32, [None, 2, 3])
    n = tf.shape(x)[0]
    a = tf.reshape(x, tf.stack([n, 6]))
    b = tf.reshape(x, [n, 6])
    c = tf.reshape(x, [n, -1])
    d = tf.reshape(x, [-1, 6])
    e = tf.reshape(x, tf.concat([tf.shape(x)[:1], [6]], 0))
    f = tf.reshape(x, tf.shape(x))
    g = tf.reshape(x, [tf.shape(x)[0], tf.shape(x)[1], 3])
    h = tf.reshape(x, tf.placeholder(tf.int32, [3]))
    i = tf.reshape(x, tf.placeholder(tf.int32, [None]))
    j = tf.reshape(x, [-1, tf.shape(x)[1] * 3])
    for t in (a, b, c, d, e, f, g, h, i, j):
        print(t.shape)
    with tf.Session() as sess:
        show(*sess.run([a, c, e, j], {x: np.arange(12, dtype=np.float32).reshape(2, 2, 3)}))


def case_creation_ops_with_tensor_dims(tf, show):
    x = tf.placeholder(tf.float32, [None, 3])
    batch = tf.shape(x)[0]
    outs = [
        tf.zeros([batch, 3]),
        tf.ones(tf.stack([batch, 2])),
        tf.zeros(tf.shape(x)),
        tf.ones([2, batch], tf.int32),
        tf.reshape(x, [batch, -1]),
        tf.tile(x, [batch, 1]),
        tf.tile(x, tf.stack([1, batch])),
        tf.random_normal([batch, 4]),
        tf.random_uniform(tf.stack([batch, 5])),
        tf.truncated_normal([batch, 2]),
        tf.random_uniform([batch], maxval=4, dtype=tf.int32),
        tf.broadcast_to(tf.constant([1.0, 2.0, 3.0]), [batch, 3]),
        tf.eye(batch),
        tf.eye(2, batch),
        tf.range(batch),
        tf.zeros([batch * 2, 3]),
        tf.ones([tf.shape(x)[1] + 1]),
    ]
    for t in outs:
        print(t.shape, t.dtype.name)
    print(outs[12].name, outs[13].name)
    with tf.Session() as sess:
        vals = sess.run(outs, {x: np.ones([2, 3], np.float32)})
    show([v.shape for v in vals])
    show(vals[0], vals[1], vals[3], vals[5], vals[12], vals[14], vals[15].shape)


# --- gradients at boundaries --------------------------------------------------------------------


def case_grad_piecewise_activations_at_boundaries(tf, show):
    x = tf.constant([-1.0, 0.0, 3.0, 6.0, 7.0])
    _grads(tf, show, tf.nn.relu6(x), [x])
    _grads(tf, show, tf.nn.relu(x), [x])
    _grads(tf, show, tf.nn.leaky_relu(x), [x])
    _grads(tf, show, tf.nn.leaky_relu(x, alpha=0.3), [x])
    _grads(tf, show, tf.nn.elu(x), [x])
    _grads(tf, show, tf.nn.selu(x), [x])
    _grads(tf, show, tf.nn.crelu(x), [x])
    _grads(tf, show, tf.nn.softplus(x), [x])


def case_grad_clip_minmax_abs_at_boundaries(tf, show):
    x = tf.constant([-1.0, 0.0, 1.0, 2.0])
    _grads(tf, show, tf.clip_by_value(x, 0.0, 1.0), [x])
    lo = tf.constant([0.0, 0.0, 0.0, 0.0])
    hi = tf.constant([1.0, 1.0, 1.0, 1.0])
    _grads(tf, show, tf.clip_by_value(x, lo, hi), [x, lo, hi])
    _grads(tf, show, tf.maximum(x, 0.0), [x])
    _grads(tf, show, tf.minimum(x, 1.0), [x])
    y = tf.constant([0.0, 0.0, 1.0, 2.0])
    _grads(tf, show, tf.maximum(x, y) + tf.minimum(x, y), [x, y])
    _grads(tf, show, tf.abs(x), [x])
    i = tf.constant([-1, 0, 1])
    print(tf.gradients(tf.abs(tf.cast(i, tf.float32)), [i]))


def case_grad_softmax_cross_entropy_labels(tf, show):
    labels = tf.constant([[0.2, 0.8], [0.5, 0.5]])
    logits = tf.constant([[1.0, 2.0], [0.0, -1.0]])
    v1 = tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    v2 = tf.nn.softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits)
    print(tf.gradients(v1, [labels]), v1.shape)
    _grads(tf, show, v1, [logits])
    _grads(tf, show, v2, [labels, logits])
    sig = tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits)
    _grads(tf, show, sig, [labels, logits])
    v1_dim = tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits, dim=0)
    print(tf.gradients(v1_dim, [labels]))
    _grads(tf, show, v1_dim, [logits])


def case_empty_shape_arguments_are_int32(tf, show, expect_error):
    x = tf.constant([5.0])
    s = tf.constant(3.0)
    outs = [
        tf.fill([], 1.0),
        tf.reduce_sum(x, []),
        tf.reduce_max(x, axis=[]),
        tf.reduce_mean(x, [], keepdims=True),
        tf.transpose(s, []),
        tf.tile(s, []),
        tf.broadcast_to(s, []),
        tf.zeros([]),
        tf.ones(()),
        tf.squeeze(x, []),
        tf.random_normal([]),
    ]
    for t in outs:
        print(t.shape, t.dtype.name)
    with tf.Session() as sess:
        show(sess.run(outs[:-1]))
    expect_error(lambda: tf.pad(s, []))


def case_integer_shape_arithmetic_is_known_statically(tf, show):
    x = tf.placeholder(tf.float32, [None, 3])
    d = tf.shape(x)[1]
    outs = [
        tf.zeros([d * 2]),
        tf.ones([d + 1, d - 1]),
        tf.zeros([d // 2, tf.maximum(d, 5), tf.minimum(d, 1)]),
        tf.reshape(x, [-1, d * 1]),
        tf.fill([d % 2 + 1], 0.0),
        tf.zeros([tf.shape(x)[0] * d]),
    ]
    for t in outs:
        print(t.shape)
    with tf.Session() as sess:
        show([v.shape for v in sess.run(outs, {x: np.zeros([2, 3], np.float32)})])


def case_more_ops_with_tensor_sizes(tf, show):
    x = tf.placeholder(tf.float32, [None, 4])
    n = tf.shape(x)[0]
    lengths = tf.placeholder(tf.int32, [None])
    outs = [
        tf.one_hot(tf.range(n), depth=n),
        tf.one_hot([0, 2], depth=tf.shape(x)[1]),
        tf.sequence_mask(lengths, maxlen=n),
        tf.sequence_mask([1, 2], maxlen=tf.shape(x)[1]),
        tf.slice(x, [0, 1], [n, -1]),
        tf.slice(x, [0, 0], tf.stack([n, 2])),
        tf.pad(x, [[0, n], [1, 1]]),
        tf.reshape(x, tf.concat([tf.shape(x)[:-1], [2, -1]], 0)),
        tf.broadcast_to(tf.constant([1.0]), tf.shape(x)),
        tf.scatter_nd([[0], [1]], [1.0, 2.0], tf.shape(x)[1:]),
        tf.expand_dims(x, tf.constant(1)),
        tf.range(tf.shape(x)[1] * 2),
        tf.strided_slice(x, [0, 0], tf.stack([n, 2])),
        tf.reshape(tf.range(n * 4), [n, 4]),
        tf.random_normal(tf.shape(x)),
        tf.multinomial(tf.zeros([2, 3]), num_samples=tf.shape(x)[1]),
    ]
    for t in outs:
        print(t.shape, t.dtype.name)
    feed = {x: np.zeros([2, 4], np.float32), lengths: [1, 2]}
    with tf.Session() as sess:
        vals = sess.run(outs, feed)
    show([v.shape for v in vals])
    show(vals[0], vals[2], vals[3], vals[9], vals[11])


def case_grad_pool_ties_and_padding(tf, show):
    x = tf.constant(np.array([[1, 1, 2, 2], [1, 1, 0, 2], [3, 3, 3, 3], [0, 0, 0, 0]], np.float32))
    x4 = tf.reshape(x, [1, 4, 4, 1])
    _grads(tf, show, tf.nn.max_pool(x4, [1, 2, 2, 1], [1, 2, 2, 1], "VALID"), [x4])
    _grads(tf, show, tf.nn.max_pool(x4, [1, 3, 3, 1], [1, 2, 2, 1], "SAME"), [x4])
    _grads(tf, show, tf.nn.avg_pool(x4, [1, 3, 3, 1], [1, 2, 2, 1], "SAME"), [x4])
    _grads(tf, show, tf.reduce_max(x, axis=1), [x])
    _grads(tf, show, tf.reduce_min(x, axis=0), [x])
    _grads(tf, show, tf.nn.top_k(x, 2).values, [x])
    _grads(tf, show, tf.norm(x - x), [x])


def case_grad_other_piecewise_ops(tf, show):
    x = tf.constant([-1.0, 0.0, 1.0])
    _grads(tf, show, tf.nn.softsign(x), [x])
    _grads(tf, show, tf.sign(x) * x, [x])
    _grads(tf, show, tf.nn.relu(x) - tf.nn.relu(-x), [x])
    _grads(tf, show, tf.where(x > 0.0, x, tf.zeros_like(x)), [x])
    _grads(tf, show, tf.floormod(x, 1.0), [x])
    _grads(tf, show, tf.sqrt(tf.maximum(x, 0.0)), [x])
    _grads(tf, show, tf.nn.leaky_relu(x, alpha=2.0), [x])
    _grads(tf, show, tf.clip_by_norm(tf.stack([x, x]), 1.0), [x])
    _grads(tf, show, tf.clip_by_value(x, 0.0, 0.0), [x])
    y = tf.constant([[0.0, 0.0], [1.0, 1.0]])
    _grads(tf, show, tf.reduce_max(tf.nn.relu6(y * 6.0)), [y])


def case_window_error_siblings(tf, expect_error):
    x = tf.zeros([1, 3, 3, 2])
    expect_error(lambda: tf.nn.max_pool(x, [2, 1, 1, 1], [1, 1, 1, 1], "VALID"))
    expect_error(
        lambda: tf.nn.max_pool(
            tf.zeros([1, 2, 3, 3]), [1, 1, 4, 4], [1, 1, 1, 1], "VALID", data_format="NCHW"
        )
    )
    expect_error(
        lambda: tf.nn.conv2d(
            tf.zeros([1, 2, 3, 3]), tf.zeros([4, 1, 2, 1]), 1, "VALID", data_format="NCHW"
        )
    )
    k = tf.placeholder(tf.float32, [None, None, 2, 1])
    print(tf.nn.conv2d(x, k, 1, "VALID").shape)
    p = tf.placeholder(tf.float32, [None, 3, None, 2])
    expect_error(lambda: tf.nn.conv2d(p, tf.zeros([4, 1, 2, 1]), 1, "VALID"))
    print(tf.nn.conv2d(p, tf.zeros([3, 9, 2, 1]), 1, "VALID").shape)


def case_reshape_shape_tensor_siblings(tf, show):
    x = tf.placeholder(tf.float32, [None, 6])
    y = tf.placeholder(tf.float32, [None, 2, 3])
    sy = tf.shape(y)
    outs = [
        tf.reshape(y, tf.shape(x)),
        tf.reshape(x, sy),
        tf.reshape(x, tf.concat([[-1], sy[1:]], 0)),
        tf.reshape(x, tf.concat([sy[:1], [3, 2]], axis=0)),
        tf.reshape(x, tf.cast(tf.stack([sy[0], 6]), tf.int64)),
        tf.reshape(x, tf.stack([-1, sy[1] * sy[2]])),
        tf.reshape(x, [sy[0], sy[1], -1]),
        tf.zeros(tf.shape(x)[1:]),
        tf.ones(sy[1:]),
        tf.fill(sy[:2], 1.0),
        tf.tile(y, tf.ones_like(sy)),
    ]
    for t in outs:
        print(t.shape)
    feed = {x: np.zeros([2, 6], np.float32), y: np.zeros([2, 2, 3], np.float32)}
    with tf.Session() as sess:
        show([v.shape for v in sess.run(outs, feed)])
