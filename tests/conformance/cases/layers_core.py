"""tf.layers: the Layer base (naming, reuse, sharing, weights, losses, updates, InputSpec) and
Dense / Dropout / Flatten: variables, collections, op names, static shapes, values, gradients.

Recorded with ``TF_USE_LEGACY_KERAS=1`` (TF 2.21's ``tf.compat.v1.layers`` is tf_keras's).
"""

import numpy as np


def _vars(tf):
    g = tf.get_default_graph()
    trainable = {id(v) for v in tf.trainable_variables()}
    for v in tf.global_variables():
        print(v.name, v.shape.as_list(), v.dtype.base_dtype.name, id(v) in trainable)
    print("REG", [t.name for t in g.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)])
    print("UPD", [u.name for u in g.get_collection(tf.GraphKeys.UPDATE_OPS)])


def _ops(tf):
    print(
        [
            op.name
            for op in tf.get_default_graph().get_operations()
            if "/Initializer/" not in op.name and not op.name.endswith(("/Assign", "/read"))
        ]
    )


def _x(shape, seed=0):
    return np.random.RandomState(seed).uniform(-1, 1, shape).astype(np.float32)


def case_dense_names_and_shapes(tf):
    x = tf.placeholder(tf.float32, [None, 4])
    y = tf.layers.dense(x, 3, activation=tf.nn.relu)
    z = tf.layers.dense(y, 2, use_bias=False)
    print(y, z)
    _vars(tf)
    _ops(tf)


def case_dense_rank3_tensordot(tf):
    x = tf.placeholder(tf.float32, [None, 5, 4])
    y = tf.layers.dense(x, 3)
    print(y)
    _ops(tf)


def case_dense_rank3_static(tf):
    y = tf.layers.dense(tf.zeros([2, 5, 4]), 3, activation=tf.tanh)
    print(y)
    _ops(tf)


def case_dense_seeded_init_values_and_forward(tf, show):
    tf.set_random_seed(42)
    x = tf.constant(_x([3, 4]))
    y = tf.layers.dense(
        x, 5, activation=tf.nn.sigmoid, bias_initializer=tf.constant_initializer(0.1)
    )
    grads = tf.gradients(tf.reduce_sum(y * y), [x, *tf.trainable_variables()])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(sess.run(tf.global_variables()), decimals=8)
        show(sess.run(y), sess.run(grads), decimals=4)


def case_dense_initializers_by_name(tf, show):
    tf.set_random_seed(7)
    x = tf.zeros([1, 3])
    for init in ("he_normal", "lecun_uniform", "glorot_normal", "zeros", "ones"):
        tf.layers.dense(x, 2, kernel_initializer=init, name=init)
    tf.layers.dense(x, 2, kernel_initializer=tf.keras.initializers.RandomNormal(seed=1), name="rn")
    tf.layers.dense(x, 2, kernel_initializer=tf.keras.initializers.uniform(seed=2), name="ru")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(sess.run(tf.trainable_variables()), decimals=7)


def case_keras_initializer_configs(tf):
    k = tf.keras.initializers
    print(k.RandomNormal().get_config(), k.RandomUniform().get_config())
    print(k.TruncatedNormal().get_config(), k.normal().get_config())
    print(type(k.get("glorot_uniform")).__name__, k.get(None))


def case_dense_regularizers(tf, show):
    x = tf.constant(_x([2, 4]))
    y = tf.layers.dense(
        x,
        3,
        kernel_initializer=tf.ones_initializer(),
        bias_initializer=tf.constant_initializer(0.5),
        kernel_regularizer=tf.nn.l2_loss,
        bias_regularizer=lambda b: tf.reduce_sum(tf.abs(b)),
        activity_regularizer=tf.nn.l2_loss,
    )
    print(y)
    _vars(tf)
    _ops(tf)
    losses = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(sess.run(losses))
        show(sess.run(tf.losses.get_regularization_loss()))


def case_dense_constraint_stored_on_variable(tf):
    def con(v):
        return tf.clip_by_value(v, -0.1, 0.1)

    layer = tf.layers.Dense(2, kernel_constraint=con)
    layer(tf.zeros([1, 3]))
    print(layer.kernel.constraint is con, layer.bias.constraint)


def case_layer_object_called_twice_shares_variables(tf):
    layer = tf.layers.Dense(3, name="proj")
    a = layer(tf.zeros([2, 4]))
    b = layer(tf.ones([2, 4]))
    print(a.name, b.name, layer.name, layer.scope_name)
    print([v.name for v in layer.variables], len(tf.global_variables()))
    _ops(tf)


def case_layer_names_uniquified(tf):
    x = tf.zeros([2, 4])
    layers = [tf.layers.Dense(1) for _ in range(3)]
    named = tf.layers.Dense(1, name="dense")
    for layer in [*layers, named]:
        layer(x)
    print([layer.name for layer in [*layers, named]])
    print([layer.scope_name for layer in [*layers, named]])
    print([v.name for v in tf.global_variables()])


def case_dense_name_and_reuse(tf):
    x = tf.zeros([2, 4])
    a = tf.layers.dense(x, 3, name="fc")
    b = tf.layers.dense(x, 3, name="fc", reuse=True)
    print(a.name, b.name, [v.name for v in tf.global_variables()])


def case_dense_reuse_missing_variable_error(tf, expect_error):
    expect_error(lambda: tf.layers.dense(tf.zeros([2, 4]), 3, name="fc", reuse=True))


def case_dense_duplicate_name_error(tf, expect_error):
    tf.layers.dense(tf.zeros([2, 4]), 3, name="fc")
    expect_error(lambda: tf.layers.dense(tf.zeros([2, 4]), 3, name="fc"))


def case_dense_inside_scopes(tf):
    x = tf.zeros([2, 4])
    with tf.variable_scope("enc"):
        a = tf.layers.dense(x, 3)
        b = tf.layers.dense(x, 3)
    with tf.name_scope("ns"):
        c = tf.layers.dense(x, 3)
    with tf.variable_scope("enc", reuse=True):
        d = tf.layers.dense(x, 3, name="dense")
    with tf.variable_scope("shared", reuse=tf.AUTO_REUSE):
        e = tf.layers.dense(x, 3, name="d")
        f = tf.layers.dense(x, 3, name="d")
    print([t.name for t in (a, b, c, d, e, f)])
    print([v.name for v in tf.global_variables()])


def case_dense_layer_in_variable_scope_with_initializer(tf, show):
    with tf.variable_scope("s", initializer=tf.constant_initializer(0.25)):
        tf.layers.dense(tf.zeros([1, 2]), 2)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(sess.run(tf.global_variables()))


def case_layer_not_trainable(tf):
    layer = tf.layers.Dense(2, trainable=False)
    layer(tf.zeros([1, 3]))
    print([v.name for v in layer.trainable_weights], [v.name for v in layer.non_trainable_weights])
    print([v.name for v in layer.weights], tf.trainable_variables())


def case_scope_name_before_call_error(tf, expect_error):
    layer = tf.layers.Dense(2)
    expect_error(lambda: layer.scope_name)


def case_dense_input_spec_errors(tf, expect_error):
    layer = tf.layers.Dense(2)
    layer(tf.zeros([1, 3]))
    expect_error(lambda: layer(tf.zeros([1, 4])))
    expect_error(lambda: tf.layers.dense(tf.zeros([3]), 2))
    expect_error(lambda: tf.layers.dense(tf.placeholder(tf.float32, [2, None]), 2))


def case_dense_float64(tf):
    y = tf.layers.dense(tf.zeros([2, 3], tf.float64), 2)
    print(y, [(v.name, v.dtype.name) for v in tf.global_variables()])


def case_custom_layer_subclass(tf, show):
    class Scale(tf.layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight(
                "w",
                [input_shape[-1]],
                initializer=tf.ones_initializer(),
                regularizer=tf.nn.l2_loss,
            )
            self.count = self.add_variable(
                "count", [], initializer=tf.zeros_initializer(), trainable=False
            )
            super().build(input_shape)

        def call(self, inputs):
            self.add_update(tf.assign_add(self.count, 1.0))
            self.add_loss(tf.reduce_sum(inputs))
            return inputs * self.w

    layer = Scale()
    x = tf.constant([[1.0, 2.0]])
    y = layer(x)
    print(layer.name, y.name, layer.built, layer.dtype)
    print([v.name for v in layer.trainable_weights], [v.name for v in layer.non_trainable_weights])
    print([u.name for u in layer.updates], [t.name for t in layer.losses])
    _vars(tf)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(tf.get_collection(tf.GraphKeys.UPDATE_OPS))
        show(sess.run([y, layer.count]))


def case_input_spec_checks(tf, expect_error):
    class Needs3(tf.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.input_spec = tf.layers.InputSpec(ndim=3, axes={-1: 2})

        def call(self, inputs):
            return inputs

    print(tf.layers.InputSpec(min_ndim=2, axes={-1: 4}), tf.layers.InputSpec(shape=[None, 3]))
    layer = Needs3()
    print(layer(tf.zeros([1, 1, 2])).name)
    expect_error(lambda: layer(tf.zeros([1, 2])))
    expect_error(lambda: layer(tf.zeros([1, 1, 3])))
    spec = tf.layers.InputSpec(max_ndim=2)
    other = Needs3(name="other")
    other.input_spec = spec
    expect_error(lambda: other(tf.zeros([1, 1, 2])))


def case_layer_unknown_kwarg_error(tf, expect_error):
    expect_error(lambda: tf.layers.Dense(2, bogus=1))


def case_dropout_graph_and_names(tf):
    x = tf.placeholder(tf.float32, [None, 4])
    a = tf.layers.dropout(x, 0.3)
    b = tf.layers.dropout(x, 0.3, training=True, seed=3)
    c = tf.layers.dropout(x, 0.3, noise_shape=[None, 4], training=True)
    d = tf.layers.dropout(x, 0.3, training=tf.placeholder(tf.bool, []))
    e = tf.layers.dropout(x, 0.0, training=True)
    print(a, b, c, d, e)


def case_dropout_masks_seeded(tf, show):
    tf.set_random_seed(1)
    x = tf.ones([4, 6])
    layer = tf.layers.Dropout(0.4, seed=5)
    a = layer(x, training=True)
    b = layer(x, training=True)
    c = tf.layers.dropout(x, 0.5, noise_shape=[4, 1], training=True, seed=2)
    t = tf.placeholder(tf.bool, [])
    d = tf.layers.dropout(x, 0.25, training=t, seed=9)
    with tf.Session() as sess:
        show(sess.run([a, b, c]))
        show(sess.run(d, {t: True}), sess.run(d, {t: False}))


def case_dropout_gradient(tf, show):
    tf.set_random_seed(3)
    x = tf.constant(_x([3, 4]))
    y = tf.layers.dropout(x, 0.5, training=True, seed=1)
    with tf.Session() as sess:
        show(sess.run(tf.gradients(tf.reduce_sum(y * x), x)))


def case_dropout_rate_errors(tf, expect_error):
    expect_error(lambda: tf.layers.Dropout(1.5))
    expect_error(lambda: tf.layers.dropout(tf.zeros([2], tf.int32), 0.5, training=True))


def case_flatten_shapes_and_names(tf, show):
    a = tf.layers.flatten(tf.placeholder(tf.float32, [None, 2, 3, 4]))
    b = tf.layers.flatten(tf.zeros([2, 3, 4]))
    c = tf.layers.flatten(tf.placeholder(tf.float32, None))
    d = tf.layers.flatten(tf.placeholder(tf.float32, [3, None, 2]))
    e = tf.layers.flatten(tf.zeros([2, 3, 4]), data_format="channels_first")
    f = tf.layers.Flatten()(tf.zeros([5]))
    print(a, b, c, d, e, f)
    _ops(tf)
    with tf.Session() as sess:
        show(sess.run(tf.shape(e)))


def case_flatten_channels_first_values(tf, show):
    x = tf.constant(np.arange(12, dtype=np.float32).reshape(1, 2, 3, 2))
    with tf.Session() as sess:
        show(sess.run(tf.layers.flatten(x, data_format="channels_first")))


def case_dense_graph_train_step_values(tf, show):
    tf.set_random_seed(11)
    x = tf.constant(_x([4, 3]))
    h = tf.layers.dense(x, 4, activation=tf.nn.relu)
    y = tf.layers.dense(h, 1)
    loss = tf.reduce_mean(tf.square(y))
    grads = tf.gradients(loss, tf.trainable_variables())
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(sess.run(loss), sess.run(grads))


def case_layers_with_partitioner_and_custom_getter(tf, show):
    x = tf.ones([2, 4])
    with tf.variable_scope("p", partitioner=tf.fixed_size_partitioner(2)):
        y = tf.layers.dense(x, 6, kernel_initializer=tf.ones_initializer())
        tf.layers.batch_normalization(tf.ones([2, 6]), training=True)
    print(y, [v.name for v in tf.global_variables()])

    def getter(getter, name, *args, **kwargs):
        print("got", name, kwargs.get("trainable"), kwargs.get("shape"))
        return getter(name, *args, **kwargs)

    with tf.variable_scope("c", custom_getter=getter):
        tf.layers.dense(x, 2)
        tf.layers.dense(x, 2)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(sess.run(y))


def case_layer_weights_roundtrip_and_count(tf, show):
    layer = tf.layers.Dense(2)
    y = layer(tf.ones([1, 3]))
    print(layer.count_params())
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        layer.set_weights([np.full([3, 2], 0.5, np.float32), np.array([1.0, -1.0], np.float32)])
        show(layer.get_weights(), sess.run(y))


def case_layer_call_with_scope_argument(tf):
    class Scoped(tf.layers.Layer):
        def call(self, inputs, scope=None):
            print("scope", scope.name, scope.original_name_scope)
            return tf.identity(inputs)

    layer = Scoped(name="sc")
    print(layer(tf.zeros([1])).name)
    print(layer(tf.zeros([1]), scope="other").name)


def case_layers_in_make_template(tf):
    def net(x):
        h = tf.layers.dense(x, 3, activation=tf.nn.relu)
        return tf.layers.dense(h, 1)

    tmpl = tf.make_template("net", net)
    a = tmpl(tf.zeros([2, 4]))
    b = tmpl(tf.ones([2, 4]))
    print(a.name, b.name, [v.name for v in tf.global_variables()])


def case_nested_layers_are_tracked(tf):
    class Block(tf.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.proj = tf.layers.Dense(3, kernel_regularizer=tf.nn.l2_loss)
            self.norm = tf.layers.BatchNormalization()
            self.extra = [tf.layers.Dense(2), tf.layers.Dropout(0.5)]

        def build(self, input_shape):
            self.scale = self.add_weight("scale", [], initializer=tf.ones_initializer())
            super().build(input_shape)

        def call(self, inputs, training=False):
            h = self.norm(self.proj(inputs), training=training)
            return self.extra[0](self.extra[1](h, training=training)) * self.scale

    block = Block(name="block")
    y = block(tf.ones([2, 4]), training=True)
    print(y.name)
    print([v.name for v in block.trainable_weights])
    print([v.name for v in block.non_trainable_weights])
    print([u.name for u in block.updates], [t.name for t in block.losses])
    print([u.name for u in tf.get_collection(tf.GraphKeys.UPDATE_OPS)])
    print([v.name for v in tf.global_variables()])
    block.trainable = False
    print(block.proj.trainable, block.trainable_weights, len(block.non_trainable_weights))
    print(block.updates)


def case_dropout_tensor_rate_and_noise_shape(tf, show, expect_error):
    tf.set_random_seed(4)
    x = tf.ones([3, 4])
    rate = tf.placeholder_with_default(0.5, [])
    a = tf.layers.dropout(x, rate, training=True, seed=1)
    print(a)
    with tf.Session() as sess:
        show(sess.run(a), sess.run(a, {rate: 0.25}))
    noise = tf.constant([1, 4])
    expect_error(lambda: tf.layers.dropout(x, 0.5, noise_shape=noise, training=True), False)


def case_keras_initializers_serialize(tf):
    k = tf.keras.initializers
    for init in (k.glorot_uniform(seed=1), k.RandomNormal(stddev=0.1), k.Zeros(),
                 k.VarianceScaling(2.0), k.Constant(3)):  # fmt: skip
        print(k.serialize(init))
    config = {"class_name": "RandomUniform", "config": {"minval": -1, "maxval": 1, "seed": None}}
    back = k.deserialize(config)
    print(type(back).__name__, back.get_config())
    print(k.serialize(k.deserialize(k.serialize(k.TruncatedNormal(seed=3)))))
