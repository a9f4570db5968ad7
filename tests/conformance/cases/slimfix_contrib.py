"""tf-slim's own tests' remaining contrib pieces as conformance cases, against TF 1.15's contrib
code (tf_slim): ``tf.contrib.losses.mean_pairwise_squared_error``, ``tf.contrib.layers.gdn``,
``scale_gradient``, dilated ``tf.nn.pool`` and ``tf.nn.with_space_to_batch``,
``adaptive_clipping_fn``, the summaries helpers and ``dense_to_sparse``.
"""

import contextlib

import numpy as np


def _data(*shape, seed=0, low=-1.0):
    return np.random.RandomState(seed).uniform(low, 1, shape).astype(np.float32)


def _run(tf, show, fetches, feed=None, decimals=5):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for value in sess.run(fetches, feed):
            show(value, decimals=decimals)


def case_mean_pairwise_squared_error(tf, show, expect_error):
    losses = tf.contrib.losses
    p = tf.constant(_data(3, 4, 2))
    y = tf.constant(_data(3, 4, 2, seed=1))
    a = losses.mean_pairwise_squared_error(p, y)
    b = losses.mean_pairwise_squared_error(p, y, weights=tf.constant([1.0, 0.0, 2.5]))
    c = losses.mean_pairwise_squared_error(p, y, weights=0.0, scope="zero")
    d = losses.mean_pairwise_squared_error(p[:, :, 0], y[:, :, 0], weights=tf.constant([[2.0]]))
    ph = tf.placeholder(tf.float32, [None, 4, 2])
    e = losses.mean_pairwise_squared_error(ph, y, weights=tf.placeholder_with_default(2.0, []))
    for t in (a, b, c, d, e):
        print(t.op.name, t.op.type, t.shape.as_list())
    print([t.op.name for t in tf.get_collection(tf.GraphKeys.LOSSES)])
    expect_error(lambda: losses.mean_pairwise_squared_error(p, tf.constant(_data(3, 4))))
    g = tf.gradients(b, [p])[0]
    _run(tf, show, [a, b, c, d, e, g], {ph: _data(3, 4, 2)})


def case_contrib_losses_names(tf):
    # TF 1.15's tf.contrib.losses (loss_ops.__all__; metric_learning is not provided)
    names = [
        "absolute_difference",
        "add_loss",
        "compute_weighted_loss",
        "cosine_distance",
        "get_losses",
        "get_regularization_losses",
        "get_total_loss",
        "hinge_loss",
        "log_loss",
        "mean_pairwise_squared_error",
        "mean_squared_error",
        "sigmoid_cross_entropy",
        "softmax_cross_entropy",
        "sparse_softmax_cross_entropy",
    ]
    print([n for n in names if not callable(getattr(tf.contrib.losses, n, None))])


def _register_gdn_grad(tf):
    # TF 1.15 registered GDN's lower-bound gradient at import; tf_slim (the oracle) dropped that
    # line, so the case registers tf_slim's own GDN._lower_bound_grad (scopeflow already has it).
    with contextlib.suppress(KeyError):
        tf.RegisterGradient("GDNLowerBound")(tf.contrib.layers.GDN._lower_bound_grad)


def case_gdn_graph_and_values(tf, show, expect_error):
    layers = tf.contrib.layers
    x3 = tf.constant(_data(2, 5, 3, low=0.0))
    x4 = tf.placeholder(tf.float32, [None, 3, 4, 2])
    x5 = tf.constant(_data(1, 2, 3, 2, 4, low=0.0))
    a = layers.gdn(x3)
    b = layers.gdn(x4, inverse=True, gamma_init=0.3, name="igdn")
    c = layers.gdn(x5, beta_min=0.5, reparam_offset=0.01)
    for t in (a, b, c):
        print(t.op.name, t.op.type, t.shape.as_list())
    print([(v.op.name, v.shape.as_list()) for v in tf.global_variables()])
    print([v.op.name for v in tf.trainable_variables()])
    # (tf.eye is one constant in scopeflow, a MatrixDiag of ones in TF)
    ops = tf.get_default_graph().get_operations()
    print([op.name for op in ops if "igdn/" in op.name and "Initializer/eye" not in op.name])
    expect_error(lambda: layers.gdn(x3, data_format="NHWC"))
    expect_error(lambda: layers.gdn(tf.placeholder(tf.float32, [None, None, None])))
    expect_error(lambda: layers.gdn(tf.constant(_data(2, 3))), message=False)
    expect_error(lambda: layers.gdn(tf.constant(_data(1, 2, 1, 1, 2, 3))), message=False)
    _run(tf, show, [a, b, c], {x4: _data(2, 3, 4, 2, seed=2, low=0.0)})


def case_gdn_layer_reuse_and_lower_bound_gradient(tf, show):
    _register_gdn_grad(tf)
    layer = tf.contrib.layers.GDN(name="g")
    x = tf.constant(_data(2, 3, 3))
    y = layer(x)
    y2 = layer(x * 2.0)
    print(y.op.name, y2.op.name, [v.op.name for v in layer.variables])
    print(layer.beta.op.name, layer.gamma.op.name)
    beta_var, gamma_var = layer.variables
    low = [
        tf.assign(beta_var, [1e-4, 1.2, -0.5]),
        tf.assign(gamma_var, [[0.3, -0.1, 0.0], [1e-7, 0.5, 0.2], [0.1, -2.0, 0.4]]),
    ]
    loss = tf.reduce_sum(y * tf.constant(_data(2, 3, 3, seed=3)))
    grads = tf.gradients(loss, [beta_var, gamma_var, x])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for value in sess.run([layer.beta, layer.gamma, y, *grads]):
            show(value, decimals=5)
        sess.run(low)
        for value in sess.run([layer.beta, layer.gamma, y, *grads]):
            show(value, decimals=4)


def case_scale_gradient(tf, show):
    x = tf.constant(_data(2, 3))
    m = tf.constant([[2.0], [-0.5]])
    y = tf.contrib.layers.scale_gradient(x, m)
    print(y.shape.as_list(), y.dtype.name)
    z = tf.contrib.layers.scale_gradient(tf.square(x), 3.0)
    grads = tf.gradients([y, z], [x, m], grad_ys=[tf.constant(_data(2, 3, seed=1)), None])
    print(grads[1])
    _run(tf, show, [y, z, grads[0]])


def _optimizers(tf):
    """``tf.contrib.layers`` under scopeflow; tf_slim's optimizers module under the oracle."""
    if tf.__name__.startswith("scopeflow"):
        return tf.contrib.layers
    import tensorflow.python.framework.ops as framework_ops

    framework_ops.IndexedSlices = tf.IndexedSlices
    from tf_slim.layers import optimizers

    return optimizers


def case_adaptive_clipping_fn(tf, show):
    scale = tf.placeholder(tf.float32, [])
    step = tf.placeholder(tf.int32, [])
    g1 = tf.constant(_data(3, 4)) * scale
    g2 = tf.IndexedSlices(tf.constant(_data(2, 4, seed=1)) * scale, tf.constant([0, 2]), [3, 4])
    clip = _optimizers(tf).adaptive_clipping_fn(decay=0.8, global_step=step, static_max_norm=40.0)
    out = clip([(g1, "a"), (g2, "b"), (None, "c")])
    with tf.variable_scope("outer"):
        out2 = _optimizers(tf).adaptive_clipping_fn(std_factor=1.0, name="amn")([(g1, "a")])
    print([v.op.name for v in tf.global_variables()])
    print([isinstance(g, tf.IndexedSlices) for g, _ in out], [v for _, v in out], out[2][0])
    means = [v for v in tf.global_variables() if v.op.name.endswith("mean")]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for i, s in enumerate([1.0, -2.0, 1.5, 100.0, 1.0, 100.0, 100.0]):
            feed = {scale: s, step: i}
            a, b, c = sess.run([out[0][0], out[1][0].values, out2[0][0]], feed)
            show(a, b, c, decimals=4)
            show(sess.run(means), decimals=4)


def case_optimize_loss_adaptive_clipping(tf, show):
    x = tf.placeholder(tf.float32, [])
    var = tf.get_variable("test", [], initializer=tf.constant_initializer(10.0))
    loss = tf.abs(var * x)
    step = tf.get_variable("global_step", [], tf.int64, tf.zeros_initializer(), trainable=False)
    train = _optimizers(tf).optimize_loss(
        loss, step, learning_rate=0.1, optimizer="SGD",
        clip_gradients=_optimizers(tf).adaptive_clipping_fn(), summaries=[],
    )  # fmt: skip
    print([v.op.name for v in tf.global_variables()])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for value in (5.0, 3.0, 50.0):
            sess.run(train, {x: value})
            show(sess.run([var, step]), decimals=5)


def _op_names(tf, prefix):
    return [op.name for op in tf.get_default_graph().get_operations() if op.name.startswith(prefix)]


def case_dilated_pool(tf, show, expect_error):
    # error texts are TF 1.15's in scopeflow, reworded in TF 2 (the oracle): kinds only
    x = tf.constant(_data(2, 5, 8, 3))
    a = tf.nn.pool(x, [2, 3], "AVG", "VALID", dilation_rate=[1, 2])
    b = tf.nn.pool(x, [2, 2], "MAX", "VALID", dilation_rate=[2, 3], name="mp")
    c = tf.nn.pool(tf.constant(_data(2, 3, 5, 8)), [2, 3], "MAX", "VALID", dilation_rate=[2, 1],
                   data_format="NCHW")  # fmt: skip
    d = tf.nn.pool(tf.constant(_data(2, 9, 3)), [3], "AVG", "VALID", dilation_rate=[2])
    e = tf.nn.pool(tf.constant(_data(2, 9, 3)), [2], "MAX", "SAME", strides=[2])
    ph = tf.placeholder(tf.float32, [None, None, 8, 3])
    f = tf.nn.pool(ph, [2, 2], "AVG", "VALID", dilations=[2, 2])
    g = tf.nn.pool(tf.constant(_data(1, 4, 5, 6, 2)), [2, 2, 2], "AVG", "VALID",
                   dilation_rate=[1, 2, 2])  # fmt: skip
    h = tf.nn.pool(x, [3, 3], "MAX", "SAME", strides=[2, 2])
    for t in (a, b, c, d, e, f, g, h):
        print(t.op.name, t.op.type, t.shape.as_list())
    print(_op_names(tf, "avg_pool/"))
    print(_op_names(tf, "avg_pool_1/"))
    print(_op_names(tf, "avg_pool_2/"))
    print(_op_names(tf, "max_pool_1/"))
    expect_error(lambda: tf.nn.pool(x, [2, 2], "AVG", "SAME", dilation_rate=[2, 2]), message=False)
    expect_error(
        lambda: tf.nn.pool(x, [2, 2], "AVG", "VALID", dilation_rate=[2, 2], strides=[2, 2]),
        message=False,
    )
    expect_error(lambda: tf.nn.pool(x, [2, 2], "AVG", "VALID", strides=[3, 1]), message=False)
    expect_error(lambda: tf.nn.pool(x, [2, 2], "AVG", "VALID", dilation_rate=[2]), message=False)
    expect_error(lambda: tf.nn.pool(x, [2, 2, 2, 2], "AVG", "VALID"), message=False)
    expect_error(lambda: tf.nn.pool(x, [2], "AVG", "VALID"), message=False)
    expect_error(lambda: tf.nn.pool(x, [2, 2], "SUM", "VALID"))
    expect_error(
        lambda: tf.nn.pool(tf.zeros([2, 9, 3]), [2], "AVG", "VALID", data_format="NHWC"),
        message=False,
    )
    expect_error(lambda: tf.nn.pool(x, [2, 2], "AVG", "VALID", dilation_rate=[0, 1]), message=False)
    _run(tf, show, [a, b, c, d, e, f, g, h, tf.gradients(tf.reduce_sum(b * b), x)[0]],
         {ph: _data(2, 6, 8, 3, seed=4)})  # fmt: skip


def case_with_space_to_batch(tf, show, expect_error):
    x = tf.constant(_data(2, 7, 6, 3))

    def op(inp, num_spatial_dims, padding):
        print("op", inp.shape.as_list(), num_spatial_dims, padding)
        return tf.nn.avg_pool(inp, [1, 3, 2, 1], [1, 1, 1, 1], padding)

    a = tf.nn.with_space_to_batch(x, [2, 3], "SAME", op, filter_shape=[3, 2])
    b = tf.nn.with_space_to_batch(x, [1, 1], "SAME", op)
    c = tf.nn.with_space_to_batch(x, tf.constant([2, 2]), "VALID", op)
    ph = tf.placeholder(tf.float32, [None, None, None, 3])
    d = tf.nn.with_space_to_batch(ph, [3, 2], "SAME", op, filter_shape=[3, 2])
    rate = tf.placeholder(tf.int32, [2])
    e = tf.nn.with_space_to_batch(x, rate, "VALID", op)

    def op_nc(inp, num_spatial_dims, padding):
        return tf.nn.max_pool(tf.transpose(inp, [0, 2, 3, 1]), [1, 2, 2, 1], [1, 1, 1, 1], padding)

    f = tf.nn.with_space_to_batch(tf.constant(_data(2, 3, 7, 6)), [2, 2], "VALID", op_nc,
                                  data_format="NCHW")  # fmt: skip
    g = tf.nn.with_space_to_batch(x, [2], "VALID", lambda inp, n, p: inp * 2.0, spatial_dims=[2])
    for t in (a, b, c, d, e, f, g):
        print(t.op.name, t.op.type, t.shape.as_list())
    print([op.name for op in tf.get_default_graph().get_operations()][:30])
    expect_error(lambda: tf.nn.with_space_to_batch(x, [2, 2], "SAME", op), message=False)
    expect_error(lambda: tf.nn.with_space_to_batch(x, [2, 2], "FULL", op), message=False)
    expect_error(lambda: tf.nn.with_space_to_batch(x, [[2, 2]], "VALID", op), message=False)
    expect_error(lambda: tf.nn.with_space_to_batch(x, [0, 2], "VALID", op), message=False)
    expect_error(
        lambda: tf.nn.with_space_to_batch(x, [2, 2], "VALID", op, spatial_dims=[2, 1]),
        message=False,
    )
    expect_error(
        lambda: tf.nn.with_space_to_batch(x, [2, 2], "VALID", op, spatial_dims=[3, 4]),
        message=False,
    )
    feed = {ph: _data(2, 5, 4, 3, seed=5), rate: [3, 2]}
    _run(tf, show, [a, b, c, d, e, f, g], feed)


def _summaries(tf):
    if tf.__name__.startswith("scopeflow"):
        return tf.contrib.layers
    from tf_slim.layers import summaries

    return summaries


def case_layers_summaries(tf, show):
    layers = _summaries(tf)
    x = tf.constant(_data(2, 3))
    relu = tf.nn.relu(x, name="r")
    relu6 = tf.nn.relu6(x * 8.0, name="r6")
    soft = tf.nn.softplus(x, name="sp")
    for t in (relu, relu6, soft, tf.tanh(x, name="th")):
        tf.add_to_collection(tf.GraphKeys.ACTIVATIONS, t)
    outs = [
        layers.summarize_tensor(tf.constant(1.5, name="scalar")),
        layers.summarize_tensor(x, tag="my_tag"),
        layers.summarize_tensor(tf.constant("s")),
        layers.summarize_tensor(tf.constant([True])),
        layers.summarize_tensor(tf.placeholder(tf.float32, name="unknown")),
    ]
    print([None if s is None else s.op.name for s in outs])
    print([s.op.name for s in layers.summarize_activations()])
    print([s.op.name for s in layers.summarize_activations(name_filter="r6|th")])
    tf.get_variable("w", [2], collections=[tf.GraphKeys.GLOBAL_VARIABLES, tf.GraphKeys.WEIGHTS])
    tf.get_variable("b", [], collections=[tf.GraphKeys.GLOBAL_VARIABLES, tf.GraphKeys.BIASES])
    print([s.op.name for s in layers.summarize_variables()])
    print([s.op.name for s in layers.summarize_weights()])
    print([s.op.name for s in layers.summarize_biases()])
    print([s.op.name for s in layers.summarize_collection("nothing")])
    print([s.op.name for s in layers.summarize_tensors([x, relu])])
    print([t.op.name for t in tf.get_collection(tf.GraphKeys.SUMMARIES)])
    zeros = [s for s in tf.get_collection(tf.GraphKeys.SUMMARIES) if "zeros" in s.op.name]
    sixes = [s for s in tf.get_collection(tf.GraphKeys.SUMMARIES) if "sixes" in s.op.name]
    with tf.Session() as sess:
        for blob in sess.run(zeros + sixes):
            summary = tf.Summary.FromString(blob)
            print([(v.tag, round(v.simple_value, 5)) for v in summary.value])


def _sparse_ops(tf):
    if tf.__name__.startswith("scopeflow"):
        from scopeflow.contrib.layers import sparse_ops
    else:
        from tf_slim.layers import sparse_ops
    return sparse_ops


def case_layers_sparse_ops(tf, show, expect_error):
    ops = _sparse_ops(tf)
    a = ops.dense_to_sparse_tensor(tf.constant([[0.0, 1.5], [2.0, 0.0]]))
    b = ops.dense_to_sparse_tensor(tf.constant([["", "x"], ["y", "q"]]), ignore_value="q")
    ph = tf.placeholder(tf.int32, [None, None, 2])
    c = ops.dense_to_sparse_tensor(ph)
    d = ops.indicators_to_sparse_ids(tf.constant([[[0, 0, 1, 0], [0, 0, 0, 0]],
                                                  [[1, 0, 1, 1], [0, 0, 1, 0]]]))  # fmt: skip
    e = ops.indicators_to_sparse_ids([["", "A", "B"], ["C", "", ""]], dtype=tf.int32)
    f = ops.indicators_to_sparse_ids(tf.constant([[2, -1, -1], [-1, 3, 4]]), ignore_value=-1)
    st = tf.SparseTensor([[0, 1], [2, 0], [2, 2], [3, 3]], [1, 1, 1, 1], [5, 4])
    g = ops.sparse_row_envelope(st)
    h = ops.sparse_row_envelope(st, row_axis=1, col_axis=0, name="env")
    for sp in (a, b, c, d, e, f):
        print(sp.indices.op.name, sp.values.op.name, sp.dense_shape.op.name, sp.values.dtype.name)
    print(g.op.name, h.op.name)
    expect_error(lambda: ops.indicators_to_sparse_ids([[1]], dtype=tf.float32))
    expect_error(lambda: ops.sparse_row_envelope(st, 1, 1))
    expect_error(lambda: ops.sparse_row_envelope(st, 0.5, 1))
    feed = {ph: np.array([[[0, 1], [2, 0]]], np.int32)}
    with tf.Session() as sess:
        for sp in (a, b, c, d, e, f):
            show(*sess.run([sp.indices, sp.values, sp.dense_shape], feed))
        show(*sess.run([g, h]))


def case_filter_variables(tf):
    names = ["conv1/weights", "conv1/biases", "conv2/weights", "fc/weights", "fc/biases"]
    vs = [tf.get_variable(n, []) for n in names]
    fw = tf.contrib.framework

    def show_names(variables):
        print([v.op.name for v in variables])

    show_names(fw.filter_variables(vs))
    show_names(fw.filter_variables(vs, include_patterns=["conv", "weights"]))
    show_names(fw.filter_variables(vs, exclude_patterns=["biases"]))
    show_names(fw.filter_variables(vs, ["conv1"], ["biases"]))
    show_names(fw.filter_variables(vs, ["weights"], reg_search=False))
    show_names(fw.filter_variables(vs, ["fc/w"], reg_search=False))
    show_names(fw.filter_variables(iter(vs), [r"conv\d/b"]))


def case_dilated_convolutions_through_space_to_batch(tf, show):
    x = tf.constant(_data(2, 9, 8, 3))
    w = tf.constant(_data(3, 2, 3, 4, seed=1))
    a = tf.nn.convolution(x, w, "VALID", dilation_rate=[2, 3])
    b = tf.nn.convolution(x, w, "SAME", dilation_rate=[3, 2], name="same")
    c = tf.nn.atrous_conv2d(x, tf.constant(_data(3, 3, 3, 2, seed=2)), 2, "SAME")
    d = tf.nn.depthwise_conv2d(x, tf.constant(_data(3, 3, 3, 2, seed=3)), [1, 1, 1, 1], "VALID",
                               rate=[2, 2])  # fmt: skip
    e = tf.nn.separable_conv2d(x, tf.constant(_data(2, 2, 3, 2, seed=4)),
                               tf.constant(_data(1, 1, 6, 5, seed=5)), [1, 1, 1, 1], "SAME",
                               rate=[2, 1])  # fmt: skip
    f = tf.nn.convolution(tf.constant(_data(1, 5, 6, 7, 2)), tf.constant(_data(2, 2, 2, 2, 3)),
                          "SAME", dilation_rate=[2, 1, 2])  # fmt: skip
    ph = tf.placeholder(tf.float32, [None, None, None, 3])
    g = tf.nn.convolution(ph, w, "SAME", dilation_rate=[2, 2])
    for t in (a, b, c, d, e, f, g):
        print(t.op.name, t.shape.as_list())
    ops = tf.get_default_graph().get_operations()
    print([op.name for op in ops if op.name.startswith(("same", "separable_conv2d"))])
    grads = tf.gradients(tf.reduce_sum(a * a) + tf.reduce_sum(e), [x, w])
    # (gradient sums reach ~50: float32 accumulation order shows in the 4th decimal)
    _run(tf, show, [a, b, c, d, e, f, g, *grads], {ph: _data(1, 7, 5, 3, seed=6)}, decimals=3)
