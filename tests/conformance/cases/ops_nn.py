"""tf.nn op family: convolutions, pooling, activations, softmax, losses, normalization, dropout,
embedding lookup and in_top_k -- names, static shapes, values and errors."""

import numpy as np


def _arange(tf, shape, scale=7.0, dtype=np.float32):
    return tf.constant((np.arange(np.prod(shape)) % 23 - 11).reshape(shape).astype(dtype) / scale)


def _kernel(tf, shape):
    return tf.constant(
        ((np.arange(np.prod(shape)) % 7 - 3).reshape(shape) / 4.0).astype(np.float32)
    )


def _run(tf, show, *tensors):
    with tf.Session() as sess:
        show(sess.run(list(tensors)))


def _names(*tensors):
    print(" ".join(f"{t.name}{t.get_shape()}" for t in tensors))


# --- convolutions --------------------------------------------------------------------------------


def case_conv2d_nchw(tf, show):
    x = _arange(tf, [1, 2, 4, 5])
    y = tf.nn.conv2d(x, _kernel(tf, [3, 2, 2, 3]), [1, 1, 2, 1], "SAME", data_format="NCHW")
    _names(y)
    _run(tf, show, y)


def case_conv2d_dilations_and_explicit_padding(tf, show):
    x = _arange(tf, [1, 6, 6, 2])
    w = _kernel(tf, [3, 3, 2, 2])
    a = tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME", dilations=[1, 2, 2, 1])
    b = tf.nn.conv2d(x, w, [1, 2, 2, 1], [[0, 0], [1, 2], [0, 1], [0, 0]])
    c = tf.nn.conv2d(x, w, 2, "VALID", dilations=2)
    _names(a, b, c)
    _run(tf, show, a, b, c)


def case_conv2d_filters_keyword_and_unknown_shapes(tf):
    x = tf.placeholder(tf.float32, [None, None, None, 3])
    y = tf.nn.conv2d(x, filters=tf.zeros([3, 3, 3, 5]), strides=[1, 2, 2, 1], padding="SAME")
    z = tf.nn.conv2d(tf.placeholder(tf.float32), tf.zeros([3, 3, 3, 5]), [1, 1, 1, 1], "VALID")
    _names(y, z)


def case_conv2d_errors(tf, expect_error):
    x = tf.zeros([1, 4, 4, 2])
    expect_error(
        lambda: tf.nn.conv2d(x, tf.zeros([3, 3, 2, 1]), [1, 1, 1, 1], "FULL"), message=False
    )
    expect_error(lambda: tf.nn.conv2d(x, tf.zeros([3, 3, 2, 1]), [2, 1, 1, 1], "SAME"))
    expect_error(
        lambda: tf.nn.conv2d(tf.zeros([4, 4, 2]), tf.zeros([3, 3, 2, 1]), 1, "SAME"), message=False
    )
    expect_error(
        lambda: tf.nn.conv2d(x, tf.zeros([3, 3, 2, 1], tf.float64), 1, "SAME"), message=False
    )


def case_conv1d(tf, show):
    x = _arange(tf, [2, 7, 3])
    y = tf.nn.conv1d(x, _kernel(tf, [3, 3, 2]), stride=2, padding="SAME")
    z = tf.nn.conv1d(tf.placeholder(tf.float32, [None, 10, 3]), tf.zeros([4, 3, 5]), 1, "VALID")
    _names(y, z)
    _run(tf, show, y)


def case_conv3d(tf, show):
    x = _arange(tf, [1, 3, 4, 4, 2])
    y = tf.nn.conv3d(x, _kernel(tf, [2, 2, 2, 2, 3]), [1, 1, 2, 2, 1], "SAME")
    _names(y)
    _run(tf, show, y)


def case_conv2d_transpose(tf, show):
    x = _arange(tf, [1, 3, 3, 2])
    w = _kernel(tf, [3, 3, 4, 2])
    a = tf.nn.conv2d_transpose(x, w, [1, 6, 6, 4], [1, 2, 2, 1], "SAME")
    b = tf.nn.conv2d_transpose(x, w, [1, 5, 5, 4], [1, 2, 2, 1], "SAME")
    c = tf.nn.conv2d_transpose(x, w, [1, 8, 8, 4], [1, 2, 2, 1], "VALID")
    d = tf.nn.conv2d_transpose(x, w, [1, 7, 7, 4], 2, "VALID")
    _names(a, b, c, d)
    _run(tf, show, a, b, c, d)


def case_conv2d_transpose_shapes_and_errors(tf, expect_error):
    w = tf.zeros([3, 3, 5, 3])
    p = tf.placeholder(tf.float32, [None, 8, 8, 3])
    a = tf.nn.conv2d_transpose(p, w, [2, 16, 16, 5], [1, 2, 2, 1])
    b = tf.nn.conv2d_transpose(
        tf.zeros([2, 8, 8, 3]), w, tf.placeholder(tf.int32, [4]), [1, 2, 2, 1]
    )
    # Static shapes differ by design: scopeflow follows TF 1.15 (the output_shape value alone,
    # tests/acceptance/test_own_models.py), TF 2.21 takes the batch from the input.
    print(a.name, b.name, a.get_shape().ndims, b.get_shape().ndims)
    print(a.op.type)
    expect_error(
        lambda: tf.nn.conv2d_transpose(tf.zeros([2, 8, 8, 4]), w, [2, 16, 16, 5], [1, 2, 2, 1]),
        message=False,
    )


def case_depthwise_conv2d(tf, show):
    x = _arange(tf, [1, 5, 5, 2])
    w = _kernel(tf, [3, 3, 2, 2])
    a = tf.nn.depthwise_conv2d(x, w, [1, 1, 1, 1], "SAME")
    b = tf.nn.depthwise_conv2d(x, w, [1, 2, 2, 1], "VALID")
    c = tf.nn.depthwise_conv2d(x, w, [1, 1, 1, 1], "SAME", rate=[2, 2])
    d = tf.nn.depthwise_conv2d_native(x, w, [1, 1, 1, 1], "SAME")
    _names(a, b, c, d)
    _run(tf, show, a, b, c, d)


def case_depthwise_conv2d_nchw(tf, show):
    x = _arange(tf, [1, 2, 4, 4])
    y = tf.nn.depthwise_conv2d_native(
        x, _kernel(tf, [2, 2, 2, 3]), [1, 1, 1, 1], "SAME", data_format="NCHW"
    )
    _names(y)
    _run(tf, show, y)


def case_separable_conv2d(tf, show):
    x = _arange(tf, [1, 5, 5, 2])
    y = tf.nn.separable_conv2d(
        x, _kernel(tf, [3, 3, 2, 2]), _kernel(tf, [1, 1, 4, 3]), [1, 1, 1, 1], "VALID"
    )
    z = tf.nn.separable_conv2d(
        x, _kernel(tf, [3, 3, 2, 1]), _kernel(tf, [1, 1, 2, 3]), [1, 1, 1, 1], "SAME", rate=[2, 2]
    )
    _names(y, z)
    _run(tf, show, y, z)


def case_atrous_conv2d(tf, show):
    x = _arange(tf, [1, 6, 6, 1])
    w = _kernel(tf, [3, 3, 1, 2])
    a = tf.nn.atrous_conv2d(x, w, 2, "SAME")
    b = tf.nn.atrous_conv2d(x, w, 2, "VALID")
    _names(a, b)
    _run(tf, show, a, b)


# --- pooling -------------------------------------------------------------------------------------


def case_pool_same_padding_semantics(tf, show):
    x = _arange(tf, [1, 5, 5, 2])
    mp = tf.nn.max_pool(-tf.abs(x), [1, 2, 2, 1], [1, 2, 2, 1], "SAME")
    ap = tf.nn.avg_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], "SAME")
    ap3 = tf.nn.avg_pool(x, 3, 2, "SAME")
    ap4 = tf.nn.avg_pool(x, 4, 1, "SAME")
    _names(mp, ap, ap3, ap4)
    _run(tf, show, mp, ap, ap3, ap4)


def case_pool_spellings_and_names(tf, show):
    x = tf.placeholder(tf.float32, [None, 8, 8, 3])
    ops = [
        tf.nn.max_pool(x, 2, 2, "SAME"),
        tf.nn.max_pool2d(x, [3, 3], [1, 1], "VALID"),
        tf.nn.avg_pool2d(x, [2, 2], [2, 2], "VALID"),
        tf.nn.pool(x, [2, 2], "MAX", "SAME", strides=[2, 2]),
        tf.nn.pool(x, [3, 3], "AVG", "VALID"),
        tf.nn.max_pool(x, ksize=[1, 3, 3, 1], strides=[1, 2, 2, 1], padding="SAME", name="p"),
    ]
    _names(*ops)
    print([t.op.type for t in ops])


def case_pool_nchw(tf, show):
    x = _arange(tf, [1, 2, 5, 4])
    mp = tf.nn.max_pool(x, [1, 1, 2, 2], [1, 1, 2, 2], "SAME", data_format="NCHW")
    ap = tf.nn.avg_pool(x, [1, 1, 3, 3], [1, 1, 2, 2], "SAME", data_format="NCHW")
    _names(mp, ap)
    _run(tf, show, mp, ap)


def case_pool3d(tf, show):
    x = _arange(tf, [1, 3, 4, 4, 1])
    mp = tf.nn.max_pool3d(x, [1, 2, 2, 2, 1], [1, 2, 2, 2, 1], "SAME")
    ap = tf.nn.avg_pool3d(x, [1, 2, 2, 2, 1], [1, 2, 2, 2, 1], "SAME")
    _names(mp, ap)
    _run(tf, show, mp, ap)


def case_pool_errors(tf, expect_error):
    x = tf.zeros([1, 4, 4, 1])
    expect_error(lambda: tf.nn.max_pool(x, [1, 5, 5, 1], [1, 1, 1, 1], "VALID"), message=False)
    expect_error(lambda: tf.nn.max_pool(x, [2, 2, 2, 1], [1, 1, 1, 1], "VALID"), message=False)
    expect_error(lambda: tf.nn.pool(x, [2, 2], "MIN", "SAME"))


# --- activations ---------------------------------------------------------------------------------


def case_activations(tf, show):
    x = tf.constant([-30.0, -3.0, -0.5, 0.0, 0.5, 3.0, 7.0, 30.0])
    ys = [tf.nn.relu6(x), tf.nn.elu(x), tf.nn.selu(x), tf.nn.leaky_relu(x),
          tf.nn.leaky_relu(x, alpha=0.01), tf.nn.softplus(x), tf.nn.softsign(x),
          tf.nn.crelu(x)]  # fmt: skip
    _names(*ys)
    _run(tf, show, *ys)


def case_activation_dtypes(tf, expect_error):
    print(tf.nn.relu(tf.constant([1, -2])).dtype, tf.nn.relu6(tf.constant([1, -2])).dtype)
    print(tf.nn.leaky_relu(tf.constant([1, -2])).dtype)
    expect_error(lambda: tf.nn.elu(tf.constant([1, -2])))
    expect_error(lambda: tf.nn.softplus(tf.constant([True])))


def case_crelu_axis(tf, show):
    x = tf.constant([[1.0, -2.0], [-3.0, 4.0]])
    a = tf.nn.crelu(x, axis=0)
    b = tf.nn.crelu(tf.placeholder(tf.float32, [None, 3]))
    _names(a, b)
    _run(tf, show, a)


def case_softmax_axes_and_dim(tf, show):
    x = _arange(tf, [2, 3, 4])
    ys = [tf.nn.softmax(x), tf.nn.softmax(x, axis=1), tf.nn.softmax(x, dim=0),
          tf.nn.log_softmax(x), tf.nn.log_softmax(x, axis=-2), tf.nn.softmax(x, 2),
          tf.nn.softmax(x, axis=0, name="sm")]  # fmt: skip
    _names(*ys)
    print(tf.add(x, 1.0).name, tf.nn.softmax(x).name)
    _run(tf, show, *ys)


def case_softmax_errors(tf, expect_error):
    expect_error(lambda: tf.nn.softmax(tf.constant(1.0)), message=False)
    expect_error(lambda: tf.nn.softmax(tf.zeros([2, 3]), axis=2), message=False)
    expect_error(lambda: tf.nn.softmax(tf.constant([1, 2])), message=False)


def case_bias_add_nchw_and_errors(tf, show, expect_error):
    x = _arange(tf, [1, 2, 2, 3])
    a = tf.nn.bias_add(x, tf.constant([1.0, 2.0, 3.0]))
    b = tf.nn.bias_add(_arange(tf, [1, 3, 2]), tf.constant([1.0, 2.0, 3.0]), data_format="NCHW")
    _names(a, b)
    _run(tf, show, a, b)
    expect_error(lambda: tf.nn.bias_add(x, tf.constant([1.0, 2.0])))
    expect_error(lambda: tf.nn.bias_add(tf.constant([1.0]), tf.constant([1.0])), message=False)


def case_xw_plus_b(tf, show):
    x = _arange(tf, [2, 3])
    y = tf.nn.xw_plus_b(x, _kernel(tf, [3, 4]), tf.constant([0.5, -0.5, 1.0, 0.0]))
    z = tf.nn.xw_plus_b(tf.placeholder(tf.float32, [None, 3]), tf.zeros([3, 2]), tf.zeros([2]),
                        name="logits")  # fmt: skip
    _names(y, z)
    print(y.op.type, y.op.inputs[0].name)
    _run(tf, show, y)


# --- losses --------------------------------------------------------------------------------------


def case_l2_loss(tf, show):
    x = tf.constant([[1.0, -2.0], [3.0, 0.5]])
    a = tf.nn.l2_loss(x)
    b = tf.nn.l2_loss(x, name="wd")
    _names(a, b)
    _run(tf, show, a, b, tf.nn.l2_loss(tf.constant([1.0, 2.0], tf.float64)))


def case_softmax_cross_entropy(tf, show):
    logits = _arange(tf, [3, 4])
    labels = tf.constant([[0.0, 1.0, 0.0, 0.0], [0.25, 0.25, 0.25, 0.25], [1.0, 0.0, 0.0, 0.0]])
    a = tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    b = tf.nn.softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits)
    c = tf.nn.softmax_cross_entropy_with_logits_v2(labels, logits, axis=-1, name="xe")
    _names(a, b, c)
    _run(tf, show, a, b, c)


def case_softmax_cross_entropy_shapes(tf, expect_error):
    a = tf.nn.softmax_cross_entropy_with_logits_v2(
        labels=tf.placeholder(tf.float32, [None, 5]), logits=tf.placeholder(tf.float32, [None, 5])
    )
    b = tf.nn.softmax_cross_entropy_with_logits_v2(
        labels=tf.zeros([2, 3, 4]), logits=tf.zeros([2, 3, 4])
    )
    _names(a, b)
    expect_error(
        lambda: tf.nn.softmax_cross_entropy_with_logits_v2(
            labels=tf.zeros([2, 3]), logits=tf.zeros([2, 4])
        ),
        message=False,
    )


def case_sparse_softmax_cross_entropy(tf, show, expect_error):
    logits = _arange(tf, [3, 4])
    a = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=tf.constant([1, 0, 3]),
                                                       logits=logits)  # fmt: skip
    b = tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=tf.constant([1, 0, 3], tf.int64), logits=logits, name="loss"
    )
    p = tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=tf.placeholder(tf.int32, [None]), logits=tf.placeholder(tf.float32, [None, 7])
    )
    _names(a, b, p)
    _run(tf, show, a, b)
    bad = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=tf.constant([1, 5, 0]),
                                                         logits=logits)  # fmt: skip
    with tf.Session() as sess:
        expect_error(lambda: sess.run(bad))


def case_sparse_softmax_cross_entropy_static_errors(tf, expect_error):
    logits = tf.zeros([3, 4])
    expect_error(
        lambda: tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=tf.zeros([3, 1], tf.int32), logits=logits
        )
    )
    expect_error(
        lambda: tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=tf.zeros([2], tf.int32), logits=logits
        )
    )
    expect_error(
        lambda: tf.nn.sparse_softmax_cross_entropy_with_logits(labels=tf.zeros([3]), logits=logits),
        message=False,
    )


def case_sigmoid_cross_entropy(tf, show, expect_error):
    logits = tf.constant([[-40.0, -2.0, 0.0], [0.5, 3.0, 40.0]])
    labels = tf.constant([[0.0, 1.0, 0.5], [1.0, 0.0, 1.0]])
    a = tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits)
    b = tf.nn.weighted_cross_entropy_with_logits(targets=labels, logits=logits, pos_weight=3.0)
    c = tf.nn.weighted_cross_entropy_with_logits(labels=labels, logits=logits, pos_weight=0.5,
                                                 name="w")  # fmt: skip
    _names(a, b, c)
    _run(tf, show, a, b, c)
    expect_error(
        lambda: tf.nn.sigmoid_cross_entropy_with_logits(
            labels=tf.zeros([2, 3]), logits=tf.zeros([3])
        )
    )


# --- normalization -------------------------------------------------------------------------------


def case_moments(tf, show):
    x = _arange(tf, [2, 3, 4])
    m, v = tf.nn.moments(x, [0, 1])
    mk, vk = tf.nn.moments(x, axes=[1], keep_dims=True)
    m2, v2 = tf.nn.moments(x, [-1], keepdims=True, name="stats")
    mp, vp = tf.nn.moments(tf.placeholder(tf.float32, [None, 4, 4, 3]), [0, 1, 2])
    _names(m, v, mk, vk, m2, v2, mp, vp)
    _run(tf, show, m, v, mk, vk, m2, v2)


def case_l2_normalize(tf, show):
    x = tf.constant([[3.0, 4.0], [0.0, 0.0], [1.0, -1.0]])
    a = tf.nn.l2_normalize(x, 1)
    b = tf.nn.l2_normalize(x, dim=0)
    c = tf.nn.l2_normalize(x)
    d = tf.nn.l2_normalize(x, axis=[0, 1], epsilon=1e-3, name="n")
    _names(a, b, c, d)
    _run(tf, show, a, b, c, d)


def case_batch_normalization(tf, show):
    x = _arange(tf, [2, 2, 3])
    mean, var = tf.nn.moments(x, [0, 1])
    a = tf.nn.batch_normalization(x, mean, var, tf.constant([0.0, 1.0, -1.0]),
                                  tf.constant([1.0, 2.0, 0.5]), 1e-3)  # fmt: skip
    b = tf.nn.batch_normalization(x, mean, var, None, None, 1e-5, name="bn")
    _names(a, b)
    _run(tf, show, a, b)


def case_fused_batch_norm(tf, show):
    x = _arange(tf, [2, 2, 2, 3])
    scale, offset = tf.constant([1.0, 2.0, 0.5]), tf.constant([0.0, 1.0, -1.0])
    y, m, v = tf.nn.fused_batch_norm(x, scale, offset)
    yi, mi, vi = tf.nn.fused_batch_norm(
        x,
        scale,
        offset,
        mean=tf.constant([0.1, 0.0, -0.1]),
        variance=tf.constant([1.0, 2.0, 0.5]),
        is_training=False,
    )
    _names(y, m, v, yi)
    print(mi.shape, vi.shape)
    _run(tf, show, y, m, v, yi)


# --- dropout -------------------------------------------------------------------------------------


def case_dropout_graph(tf):
    x = tf.placeholder(tf.float32, [None, 3])
    a = tf.nn.dropout(x, keep_prob=0.5)
    b = tf.nn.dropout(x, rate=0.25, name="drop")
    kp = tf.placeholder(tf.float32, name="kp")
    c = tf.nn.dropout(x, keep_prob=kp)
    d = tf.nn.dropout(x, 1.0)
    e = tf.nn.dropout(tf.zeros([4, 5]), 0.5, noise_shape=[4, 1])
    _names(a, b, c, e)
    print(d is x, [op.name for op in tf.get_default_graph().get_operations()])


def case_dropout_values(tf):
    x = tf.ones([100, 50])
    y = tf.nn.dropout(x, keep_prob=0.25, seed=3)
    kp = tf.placeholder(tf.float32)
    z = tf.nn.dropout(x, keep_prob=kp)
    n = tf.nn.dropout(tf.ones([100, 50]), 0.5, noise_shape=[100, 1])
    with tf.Session() as sess:
        a, b, c = sess.run([y, z, n], feed_dict={kp: 0.5})
        full = sess.run(z, feed_dict={kp: 1.0})
    print(sorted(set(np.unique(a).tolist())), 0.15 < (a != 0).mean() < 0.35)
    print(sorted(set(np.unique(b).tolist())), 0.4 < (b != 0).mean() < 0.6)
    print(bool(((c == 0) | (c == 2)).all()), bool((c == c[:, :1]).all()), bool((full == 1).all()))


def case_dropout_seeded_reproducible(tf):
    tf.set_random_seed(7)
    y = tf.nn.dropout(tf.ones([20, 20]), keep_prob=0.5)
    with tf.Session() as s1:
        a = s1.run(y)
    with tf.Session() as s2:
        b = s2.run(y)
    print(bool((a == b).all()))


def case_dropout_errors(tf, expect_error):
    x = tf.ones([3])
    expect_error(lambda: tf.nn.dropout(x, keep_prob=0.0))
    expect_error(lambda: tf.nn.dropout(x, keep_prob=1.5))
    expect_error(lambda: tf.nn.dropout(x, rate=1.0))
    expect_error(lambda: tf.nn.dropout(x))
    expect_error(lambda: tf.nn.dropout(tf.constant([1, 2]), 0.5))
    expect_error(
        lambda: tf.nn.dropout(tf.placeholder(tf.float32, [None, 3]), 0.5, noise_shape=[None, 1])
    )


# --- embedding lookup ----------------------------------------------------------------------------


def case_embedding_lookup_single(tf, show, expect_error):
    params = _arange(tf, [5, 3])
    a = tf.nn.embedding_lookup(params, [[1, 4], [0, 0]])
    ids = tf.placeholder(tf.int32, [None])
    b = tf.nn.embedding_lookup(params, ids)
    c = tf.nn.embedding_lookup(params, tf.constant([2, 3], tf.int64), max_norm=0.5, name="emb")
    _names(a, b, c)
    with tf.Session() as sess:
        show(sess.run([a, b, c], feed_dict={ids: [3, 1, 3]}))
        expect_error(lambda: sess.run(b, feed_dict={ids: [1, 7]}))


def case_embedding_lookup_variable(tf, show):
    with tf.variable_scope("emb"):
        e = tf.get_variable("E", initializer=_arange(tf, [4, 2]))
    y = tf.nn.embedding_lookup(e, [3, 0])
    _names(y)
    print(y.op.inputs[0].op.inputs[0].name if y.op.type == "Identity" else y.op.type)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(sess.run(y))


def case_embedding_lookup_sharded(tf, show):
    shards = [_arange(tf, [3, 2]), _arange(tf, [2, 2], scale=3.0), _arange(tf, [2, 2], scale=9.0)]
    ids = [0, 1, 2, 3, 4, 5, 6, 2]
    a = tf.nn.embedding_lookup(shards, ids)
    b = tf.nn.embedding_lookup(shards, ids, partition_strategy="div")
    c = tf.nn.embedding_lookup(shards, [[6, 1], [5, 0]], partition_strategy="div", max_norm=0.3)
    _names(a, b, c)
    _run(tf, show, a, b, c)


def case_embedding_lookup_partitioned_variable(tf, show):
    with tf.variable_scope("p", partitioner=tf.fixed_size_partitioner(2)):
        e = tf.get_variable("E", initializer=_arange(tf, [5, 2]))
    y = tf.nn.embedding_lookup(e, [4, 0, 3], partition_strategy="div")
    z = tf.nn.embedding_lookup(e, [4, 0, 3])
    _names(y, z)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(sess.run([y, z]))


def case_embedding_lookup_errors(tf, expect_error):
    expect_error(lambda: tf.nn.embedding_lookup(tf.zeros([3, 2]), [1], partition_strategy="x"))
    expect_error(lambda: tf.nn.embedding_lookup(tf.zeros([3, 2]), [1.0]), message=False)
    expect_error(lambda: tf.nn.embedding_lookup([], [1]))


# --- top_k / in_top_k ----------------------------------------------------------------------------


def case_top_k_and_in_top_k(tf, show):
    x = tf.constant([[0.1, 0.9, 0.9, 0.3], [5.0, -1.0, 2.0, 2.0]])
    v, i = tf.nn.top_k(x, 2)
    a = tf.nn.in_top_k(x, tf.constant([2, 3]), 1)
    b = tf.nn.in_top_k(x, tf.constant([0, 3]), 2)
    c = tf.nn.in_top_k(tf.constant([[1.0, np.inf, 0.0]]), tf.constant([0]), 2)
    _names(v, i, a, b, c)
    _run(tf, show, v, i, a, b, c)
