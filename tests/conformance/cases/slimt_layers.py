"""tf-slim's own layer tests, made into conformance cases: the layers and helpers they found
missing or different (3-D and N-D pooling, activation shorthands, legacy fully connected layers,
maxout, poincare_normalize, ``tensor.aliases``), against TF 1.15's contrib code (tf_slim).
"""

import numpy as np


def _data(*shape, seed=0):
    return np.random.RandomState(seed).uniform(-1, 1, shape).astype(np.float32)


def _run(tf, show, fetches, decimals=5):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for value in sess.run(fetches):
            show(value, decimals=decimals)


def case_pool3d_names_shapes_values(tf, show, expect_error):
    layers = tf.contrib.layers
    x = tf.constant(_data(2, 4, 5, 6, 3))
    a = layers.max_pool3d(x, [3, 3, 3], padding="SAME")
    b = layers.avg_pool3d(x, 2, stride=1, outputs_collections="outs")
    c = layers.max_pool3d(tf.constant(_data(2, 3, 4, 5, 6)), 2, data_format="NCDHW")
    d = layers.avg_pool3d(tf.constant(_data(2, 3, 4, 5, 6)), 2, data_format="NCDHW", scope="p")
    for t in (a, b, c, d):
        print(t.op.name, t.shape.as_list())
    print(b.aliases, tf.get_collection("outs")[0] is b)
    expect_error(lambda: layers.max_pool3d(x, 2, data_format="NDHWCX"))
    _run(tf, show, [a, b, c, d])


def case_pool_nd(tf, show, expect_error):
    layers = tf.contrib.layers
    x = tf.constant(_data(2, 5, 6, 3))
    a = layers.pool(x, [3, 3], "AVG", padding="SAME", stride=2)
    b = layers.pool(x, 2, "MAX", outputs_collections="outs")
    c = layers.pool(tf.constant(_data(2, 3, 5, 6)), [2, 3], "AVG", data_format="NCHW")
    for t in (a, b, c):
        print(t.op.name, t.shape.as_list())
    print(b.aliases)
    expect_error(lambda: layers.pool(tf.constant(_data(2, 3)), 2, "MAX"))
    _run(tf, show, [a, b, c])


def case_activation_shorthands(tf, show):
    tf.set_random_seed(4)
    layers = tf.contrib.layers
    x = tf.constant(_data(3, 4))
    outs = [layers.relu(x, 3), layers.relu6(x, 2), layers.elu(x, 2), layers.linear(x, 2)]
    for t in outs:
        print(t.op.name, t.shape.as_list())
    print([v.op.name for v in tf.global_variables()])
    _run(tf, show, outs)


def case_legacy_fully_connected(tf, show, expect_error):
    tf.set_random_seed(5)
    layers = tf.contrib.layers
    # rank 2 only: the oracle's tf_slim reshapes rank > 2 inputs with array_ops.unstack, which
    # TF 2's array_ops lacks (tf-slim's own layers_test covers that path)
    x = tf.constant(_data(6, 4))
    a = layers.legacy_relu(x, 5, weight_regularizer=layers.l2_regularizer(0.1))
    b = layers.legacy_linear(tf.constant(_data(3, 4)), 2, bias_init=None, name="lin")
    c = layers.legacy_fully_connected(
        tf.constant(_data(3, 4)), 2, activation_fn=tf.nn.tanh, output_collections=["mine"]
    )
    for t in (a, b, c):
        print(t.op.name, t.shape.as_list())
    for key in ("weights", "biases", "activations", "mine", "regularization_losses"):
        print(key, [t.name for t in tf.get_collection(key)])
    print([v.op.name for v in tf.trainable_variables()])
    expect_error(lambda: layers.legacy_fully_connected(tf.constant([1.0]), 2))
    expect_error(lambda: layers.legacy_fully_connected(tf.placeholder(tf.float32, [2, None]), 2))
    _run(tf, show, [a, b, c, *tf.get_collection("regularization_losses")])


def case_maxout_poincare(tf, show, expect_error):
    layers = tf.contrib.layers
    a = layers.maxout(tf.constant(_data(2, 3, 6)), 3)
    b = layers.maxout(tf.placeholder_with_default(_data(2, 4, 3), [None, 4, 3]), 2, axis=1)
    c = layers.poincare_normalize(tf.constant(_data(3, 4) * 3), axis=[0, 1])
    d = layers.poincare_normalize(tf.constant(_data(3, 4) * 0.1))
    for t in (a, b, c, d):
        print(t.op.name, t.shape.as_list())
    expect_error(lambda: layers.maxout(tf.constant(_data(2, 5)), 2))
    _run(tf, show, [a, b, c, d])


def case_tensor_aliases(tf, show):
    layers = tf.contrib.layers
    t = tf.constant(1.0)
    print(hasattr(t, "aliases"))
    layers.utils.append_tensor_alias(t, "a/")
    layers.utils.append_tensor_alias(t, "b")
    print(t.aliases, layers.utils.get_tensor_aliases(t))
    y = layers.flatten(tf.constant(_data(2, 3, 2)), outputs_collections="c", scope="F")
    print(y.aliases, list(layers.utils.convert_collection_to_dict("c")))


def case_model_analyzer(tf, show):
    analyzer = tf.contrib.slim.model_analyzer
    x = tf.placeholder(tf.float32, [None, 4, 4, 3])
    y = tf.contrib.layers.conv2d(x, 5, 3)
    # an explicit initializer: scopeflow builds the default glorot initializer as one fused op,
    # so analyze_ops' total over its outputs would differ from TF's
    tf.get_variable("h", [2, 3], dtype=tf.float64, initializer=tf.ones_initializer())
    print(analyzer.analyze_vars(tf.global_variables(), print_info=True))
    print(analyzer.analyze_ops(tf.get_default_graph()))
    print(analyzer.tensor_description(y), analyzer.tensor_description(tf.constant(2)))


def case_framework_get_graph_from_inputs(tf, show, expect_error):
    fw = tf.contrib.framework
    g0 = tf.Graph()
    with g0.as_default():
        values = [tf.constant(0.0), tf.constant(1.0)]
        v = tf.Variable(1.0)
    with tf.Graph().as_default() as g2:
        print(fw.get_graph_from_inputs([]) is g2, fw.get_graph_from_inputs([3, "a"]) is g2)
        print(fw.get_graph_from_inputs(values) is g0, fw.get_graph_from_inputs([v, 2]) is g0)
        print(fw.get_graph_from_inputs([values[0].op], g0) is g0)
        with tf.name_scope("s1"), tf.name_scope("s2"):
            print(fw.get_name_scope())
    g1 = tf.Graph()
    expect_error(lambda: fw.get_graph_from_inputs(values, g1))
    expect_error(lambda: fw.get_graph_from_inputs(values, "g"))
    with g1.as_default():
        values.append(tf.constant(2.0))
    # TF 2's message adds the graphs' addresses (TF 1.15's, which scopeflow gives, does not)
    expect_error(lambda: fw.get_graph_from_inputs(values), message=False)
    expect_error(lambda: fw.get_graph_from_inputs(values, g0))


def case_convert_none_is_value_error(tf, show, expect_error):
    # tf-slim's losses tests expect ValueError for weights=None (make_tensor_proto's check)
    expect_error(lambda: tf.convert_to_tensor(None))
    expect_error(lambda: tf.convert_to_tensor(None, dtype=tf.float32))
    expect_error(lambda: tf.constant(None))
    expect_error(lambda: tf.cast(None, tf.float32))
    expect_error(lambda: tf.contrib.losses.mean_squared_error(tf.ones([2]), tf.ones([2]), None))


def case_batch_norm_float16_fused_params_float32(tf, show):
    x = tf.constant(_data(5, 3, 3, 3).astype(np.float16))
    outs = []
    for fused in (None, True):
        with tf.variable_scope(f"f{fused}"):
            outs.append(tf.contrib.layers.batch_norm(x, scale=True, fused=fused, is_training=True))
            print(outs[-1])
    print([(v.op.name, v.dtype.name) for v in tf.global_variables()])
    print([t.name for t in tf.get_collection(tf.GraphKeys.UPDATE_OPS)])
    _run(tf, show, [*outs, *tf.get_collection(tf.GraphKeys.UPDATE_OPS)], decimals=3)


def case_batch_norm_zero_debias_model_variables(tf, show):
    images = tf.constant(_data(5, 3, 3, 3))
    tf.contrib.layers.batch_norm(images, scale=True, zero_debias_moving_mean=True, fused=False)
    t = tf.placeholder_with_default(True, [])
    y = tf.contrib.layers.batch_norm(
        images, zero_debias_moving_mean=True, fused=False, is_training=t, updates_collections=None
    )
    print([v.op.name for v in tf.model_variables()])
    print([v.op.name for v in tf.global_variables()])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(tf.get_collection(tf.GraphKeys.UPDATE_OPS))
        show(sess.run(y)[0, 0], decimals=5)
        for v in tf.model_variables():
            show(sess.run(v), decimals=5)


def case_images_sequences_dense_to_sparse(tf, show, expect_error):
    layers = tf.contrib.layers
    x = tf.constant(_data(2, 3, 4, 5))
    a = layers.images_to_sequence(x)
    b = layers.images_to_sequence(tf.constant(_data(2, 5, 3, 4)), data_format="NCHW", scope="s")
    c = layers.sequence_to_images(a, 3)
    d = layers.sequence_to_images(
        tf.placeholder_with_default(_data(4, 6, 5), [4, None, 5]),
        3,
        output_data_format="channels_first",
    )
    for t in (a, b, c, d):
        print(t.op.name, t.shape.as_list())
    expect_error(lambda: layers.images_to_sequence(x, data_format="CHWN"))
    sp = layers.dense_to_sparse(tf.constant([[1, 0, 2], [0, 0, 3]]), outputs_collections="outs")
    print(sp.indices.op.name, sp.values.op.name, sp.dense_shape.dtype, tf.get_collection("outs"))
    _run(tf, show, [a, b, c, d, sp.indices, sp.values, sp.dense_shape])
    print(tf.float32_ref if hasattr(tf, "float32_ref") else "no tf.float32_ref")


def case_group_norm_mean_close_to_zero(tf, expect_error):
    import numpy as np

    x = tf.constant(np.random.RandomState(3).randn(2, 3, 3, 8).astype(np.float32) + 0.25)
    y = tf.contrib.layers.group_norm(x, groups=4, mean_close_to_zero=True, scope="gn")
    print([v.op.name for v in tf.global_variables()], y.name, y.shape)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        print(np.round(sess.run(y)[0, 0, :2], 5).tolist())


def case_spatial_softmax(tf, expect_error):
    import numpy as np

    x = tf.constant(np.random.RandomState(4).randn(2, 3, 4, 2).astype(np.float32))
    y = tf.contrib.layers.spatial_softmax(x)
    p = tf.placeholder(tf.float32, [None, 2, 5, 3], name="p")
    z = tf.contrib.layers.spatial_softmax(p, temperature=0.5, data_format="NCHW", name="ss")
    print(y.name, y.shape, z.name, z.shape)
    print([(v.op.name, v in tf.model_variables(), v in tf.trainable_variables())
           for v in tf.global_variables()])  # fmt: skip
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        print(np.round(sess.run(y), 5).tolist())
        fed = np.random.RandomState(5).randn(1, 2, 5, 3).astype(np.float32)
        print(np.round(sess.run(z, {p: fed}), 5).tolist())
    expect_error(
        lambda: tf.contrib.layers.spatial_softmax(tf.placeholder(tf.float32, [1, 2, 2, None]))
    )
