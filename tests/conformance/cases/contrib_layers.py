"""tf.contrib.layers / tf.contrib.slim layers: variables (names, shapes, dtypes, collections,
creation order), output names, static shapes, seeded initial values, forward values, gradients,
batch-norm moving statistics and regularization losses, against TF 1.15's contrib code (tf_slim).
"""

import numpy as np

_KEYS = ("variables", "trainable_variables", "model_variables", "local_variables")


def _vars(tf):
    for v in tf.global_variables():
        cols = [k for k in _KEYS if any(v is u for u in tf.get_collection(k))]
        print(v.op.name, v.shape.as_list(), v.dtype.base_dtype.name, cols)


def _data(*shape, seed=0):
    return np.random.RandomState(seed).uniform(-1, 1, shape).astype(np.float32)


def _run(tf, show, fetches, feed=None, decimals=5):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for value in sess.run(fetches, feed):
            show(value, decimals=decimals)


def case_conv2d_variables_names_values_gradients(tf, show):
    tf.set_random_seed(1)
    layers = tf.contrib.layers
    x = tf.placeholder(tf.float32, [None, 5, 5, 3])
    y = layers.conv2d(x, 4, 3)
    z = layers.conv2d(y, 2, [3, 1], stride=2, padding="VALID", activation_fn=tf.nn.tanh, scope="c2")
    w = layers.conv2d(z, 2, 3, rate=2, activation_fn=None)
    _vars(tf)
    print(y, z, w)
    loss = tf.reduce_sum(w * w)
    grads = tf.gradients(loss, tf.trainable_variables())
    _run(tf, show, [tf.trainable_variables()[0], w, *grads], {x: _data(2, 5, 5, 3)})


def case_conv1d_conv3d(tf, show):
    tf.set_random_seed(2)
    layers = tf.contrib.layers
    a = layers.conv1d(tf.constant(_data(2, 6, 3)), 4, 3)
    b = layers.conv3d(tf.constant(_data(1, 3, 3, 3, 2)), 2, 2, activation_fn=None)
    c = layers.convolution(tf.constant(_data(1, 4, 4, 2)), 3, 1)
    _vars(tf)
    print(a, b, c)
    _run(tf, show, [a, b, c])


def case_fully_connected_rank2_rank3(tf, show):
    tf.set_random_seed(3)
    layers = tf.contrib.layers
    x = tf.placeholder(tf.float32, [None, 4])
    y = layers.fully_connected(x, 3)
    x3 = tf.placeholder(tf.float32, [None, 2, 4])
    z = layers.fully_connected(x3, 5, activation_fn=None, biases_initializer=None, scope="fc3")
    _vars(tf)
    print(y, z)
    grads = tf.gradients(tf.reduce_sum(y) + tf.reduce_sum(z * z), [x, x3])
    _run(tf, show, [y, z, *grads], {x: _data(2, 4), x3: _data(3, 2, 4, seed=1)}, decimals=3)


def case_fully_connected_errors(tf, expect_error):
    layers = tf.contrib.layers
    expect_error(lambda: layers.fully_connected(tf.placeholder(tf.float32, [2, 3]), 2.5))
    expect_error(lambda: layers.fully_connected(tf.placeholder(tf.float32, [2, None]), 2), False)


def case_regularizers_and_collections(tf, show):
    tf.set_random_seed(5)
    layers = tf.contrib.layers
    x = tf.ones([2, 4, 4, 3])
    layers.conv2d(
        x,
        2,
        3,
        weights_initializer=tf.ones_initializer(),
        weights_regularizer=layers.l2_regularizer(0.1),
        biases_regularizer=layers.l1_regularizer(0.2),
        variables_collections={"weights": ["W"], "biases": ["B"]},
    )
    layers.fully_connected(
        tf.ones([2, 3]),
        2,
        weights_regularizer=layers.l1_l2_regularizer(0.5, 0.25),
        weights_initializer=tf.constant_initializer(0.5),
        variables_collections=["ALL"],
    )
    layers.separable_conv2d(x, None, 3, weights_regularizer=layers.l2_regularizer(1.0))
    losses = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
    print([t.name for t in losses])
    print([v.op.name for v in tf.get_collection("W")], [v.op.name for v in tf.get_collection("B")])
    print([v.op.name for v in tf.get_collection("ALL")])
    total = layers.apply_regularization(layers.l2_regularizer(0.5), tf.trainable_variables()[:1])
    print(total.name)
    _run(tf, show, [losses, total])


def case_regularizer_errors(tf, expect_error):
    layers = tf.contrib.layers
    expect_error(lambda: layers.l2_regularizer(1))
    expect_error(lambda: layers.l1_regularizer(-0.5))
    print(layers.l2_regularizer(0.0)(tf.ones([2])))
    print(layers.sum_regularizer([None]))


def case_initializers_seeded(tf, show):
    layers = tf.contrib.layers
    a = tf.get_variable("a", [3, 4], initializer=layers.xavier_initializer(seed=5))
    b = tf.get_variable(
        "b", [2, 2, 3, 4], initializer=layers.xavier_initializer(uniform=False, seed=6)
    )
    c = tf.get_variable("c", [5, 3], initializer=layers.variance_scaling_initializer(seed=7))
    d = tf.get_variable(
        "d",
        [4, 3],
        initializer=layers.variance_scaling_initializer(
            factor=1.0, mode="FAN_AVG", uniform=True, seed=8
        ),
    )
    print(a.initializer.inputs[1].op.name, b.initializer.inputs[1].op.name)
    _run(tf, show, [a, b, c, d], decimals=7)


def case_conv2d_transpose_separable_in_plane(tf, show):
    tf.set_random_seed(4)
    layers = tf.contrib.layers
    x = tf.placeholder(tf.float32, [None, 4, 4, 2])
    t1 = layers.conv2d_transpose(x, 3, 3, stride=2)
    t2 = layers.conv2d_transpose(x, 2, [2, 3], stride=[2, 1], padding="VALID", activation_fn=None)
    s1 = layers.separable_conv2d(x, 3, 3, depth_multiplier=2)
    s2 = layers.separable_conv2d(x, None, 3, depth_multiplier=2, rate=2)
    p = layers.conv2d_in_plane(x, 2)
    _vars(tf)
    print(t1, t2, s1, s2, p)
    outs = [t1, t2, s1, s2, p]
    grads = tf.gradients(tf.add_n([tf.reduce_sum(o) for o in outs]), x)
    _run(tf, show, [*outs, *grads], {x: _data(2, 4, 4, 2)}, decimals=3)


def _bn_train(tf, show, y, x, updates, steps=3, extra=()):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for i in range(steps):
            out = sess.run([y, *updates], {x: _data(4, 3, 3, 2, seed=i) * (i + 1) + i})
        show(out[0], decimals=4)
        show(
            sess.run(
                [
                    v
                    for v in tf.global_variables()
                    if "moving" in v.op.name or "biased" in v.op.name or "local_step" in v.op.name
                ]
            ),
            decimals=5,
        )
        for e in extra:
            show(sess.run(e, {x: _data(4, 3, 3, 2, seed=9)}), decimals=4)


def case_batch_norm_default_fused_layer_path(tf, show):
    x = tf.placeholder(tf.float32, [None, 3, 3, 2])
    y = tf.contrib.layers.batch_norm(x, decay=0.9, scale=True)
    _vars(tf)
    print(y, [u.name for u in tf.get_collection(tf.GraphKeys.UPDATE_OPS)])
    z = tf.contrib.layers.batch_norm(
        x, is_training=False, scope="BatchNorm", reuse=True, scale=True
    )
    print(z)
    _bn_train(tf, show, y, x, tf.get_collection(tf.GraphKeys.UPDATE_OPS), extra=[z])


def case_batch_norm_unfused_layer_path(tf, show):
    x = tf.placeholder(tf.float32, [None, 3, 3, 2])
    y = tf.contrib.layers.batch_norm(x, decay=0.9, fused=False, center=False, scale=True)
    _vars(tf)
    print(y, [u.name for u in tf.get_collection(tf.GraphKeys.UPDATE_OPS)])
    _bn_train(tf, show, y, x, tf.get_collection(tf.GraphKeys.UPDATE_OPS))


def case_batch_norm_slim_fused_updates_none(tf, show):
    x = tf.placeholder(tf.float32, [None, 3, 3, 2])
    y = tf.contrib.layers.batch_norm(x, decay=0.8, updates_collections=None, epsilon=1e-3)
    _vars(tf)
    print(y, tf.get_collection(tf.GraphKeys.UPDATE_OPS))
    _bn_train(tf, show, y, x, [])


def case_batch_norm_slim_fused_zero_debias(tf, show):
    x = tf.placeholder(tf.float32, [None, 3, 3, 2])
    y = tf.contrib.layers.batch_norm(x, decay=0.7, zero_debias_moving_mean=True)
    _vars(tf)
    print(y, [u.name for u in tf.get_collection(tf.GraphKeys.UPDATE_OPS)])
    _bn_train(tf, show, y, x, tf.get_collection(tf.GraphKeys.UPDATE_OPS))


def case_batch_norm_slim_unfused_custom_collection(tf, show):
    x = tf.placeholder(tf.float32, [None, 3, 3, 2])
    y = tf.contrib.layers.batch_norm(
        x,
        decay=0.9,
        fused=False,
        updates_collections="upd",
        param_initializers={"beta": tf.constant_initializer(0.5)},
    )
    _vars(tf)
    print(y, [u.name for u in tf.get_collection("upd")])
    _bn_train(tf, show, y, x, tf.get_collection("upd"))


def case_batch_norm_rank2_and_tensor_is_training(tf, show):
    x = tf.placeholder(tf.float32, [None, 3])
    y = tf.contrib.layers.batch_norm(x, decay=0.5, updates_collections=None)
    print(y)
    training = tf.placeholder(tf.bool, [])
    x4 = tf.placeholder(tf.float32, [None, 3, 3, 2])
    z = tf.contrib.layers.batch_norm(x4, decay=0.5, is_training=training, updates_collections=None)
    print(z.shape, [v.op.name for v in tf.global_variables()])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(sess.run(y, {x: _data(4, 3)}), decimals=4)
        for flag in (True, False, True):
            show(sess.run(z, {x4: _data(2, 3, 3, 2, seed=3), training: flag}), decimals=4)
        show(sess.run(tf.global_variables()), decimals=5)


def case_batch_norm_gradients(tf, show):
    x = tf.placeholder(tf.float32, [None, 3, 3, 2])
    a = tf.contrib.layers.batch_norm(x, scale=True, scope="a")
    b = tf.contrib.layers.batch_norm(x, scale=True, fused=False, scope="b")
    c = tf.contrib.layers.batch_norm(x, scale=True, updates_collections=None, scope="c")
    loss = tf.reduce_sum(tf.square(a) * tf.range(18.0, dtype=tf.float32)[:2]) + tf.reduce_sum(b * c)
    grads = tf.gradients(loss, [x, *tf.trainable_variables()])
    _run(tf, show, grads, {x: _data(2, 3, 3, 2)}, decimals=3)


def case_norm_layers(tf, show):
    layers = tf.contrib.layers
    x = tf.placeholder(tf.float32, [None, 3, 3, 4])
    a = layers.layer_norm(x)
    b = layers.layer_norm(x, begin_norm_axis=-1, begin_params_axis=-2, center=False, scope="ln2")
    c = layers.instance_norm(x, activation_fn=tf.nn.relu)
    d = layers.group_norm(x, groups=2)
    _vars(tf)
    print(a, b, c, d)
    grads = tf.gradients(tf.reduce_sum(a * c) + tf.reduce_sum(b * d), x)
    _run(tf, show, [a, b, c, d, *grads], {x: _data(2, 3, 3, 4)}, decimals=3)


def case_dropout_seeded_and_inference(tf, show):
    tf.set_random_seed(11)
    x = tf.ones([3, 4])
    a = tf.contrib.layers.dropout(x, keep_prob=0.6)
    b = tf.contrib.layers.dropout(x, keep_prob=0.5, seed=3, noise_shape=[3, 1])
    c = tf.contrib.layers.dropout(x, is_training=False)
    print(a, b, c)
    _run(tf, show, [a, b, c])


def case_pooling_flatten_misc(tf, show):
    layers = tf.contrib.layers
    x = tf.placeholder(tf.float32, [None, 5, 5, 2])
    outs = [
        layers.max_pool2d(x, 2),
        layers.avg_pool2d(x, [3, 3], stride=1, padding="SAME"),
        layers.max_pool2d(x, 3, stride=2, padding="SAME", scope="mp"),
        layers.flatten(x),
        layers.flatten(tf.placeholder(tf.float32, [None, None, 2])),
        layers.softmax(layers.flatten(x)),
        layers.unit_norm(x, 2),
        layers.one_hot_encoding(tf.constant([0, 2, 1]), 3),
        layers.bias_add(x, activation_fn=tf.nn.relu, initializer=tf.constant_initializer(0.5)),
    ]
    for o in outs:
        print(o)
    _vars(tf)
    _run(tf, show, [o for i, o in enumerate(outs) if i != 4], {x: _data(2, 5, 5, 2)})


def case_repeat_stack_outputs_collections(tf, show):
    tf.set_random_seed(6)
    slim = tf.contrib.slim
    x = tf.placeholder(tf.float32, [None, 4, 4, 2])
    with slim.arg_scope(
        [slim.conv2d], outputs_collections="ends", weights_initializer=tf.ones_initializer()
    ):
        y = slim.repeat(x, 2, slim.conv2d, 2, [3, 3], scope="rep")
        z = slim.stack(y, slim.conv2d, [(2, [1, 1]), (3, [3, 3])], scope="stk")
        w = slim.stack(z, slim.fully_connected, [4, 2])
    print(y, z, w)
    ends = slim.layers.utils.convert_collection_to_dict("ends")
    print(list(ends), [t.name for t in ends.values()])
    _vars(tf)
    _run(tf, show, [w], {x: _data(1, 4, 4, 2)})


def case_arg_scope_semantics(tf, expect_error):
    slim = tf.contrib.slim

    @slim.add_arg_scope
    def f(a, b=1, c=2):
        return (a, b, c)

    print(slim.has_arg_scope(f), slim.has_arg_scope(len), slim.arg_scoped_arguments(f))
    with slim.arg_scope([f], b=10) as sc1:
        print(f(0), f(0, b=5))
        with slim.arg_scope([f], c=20):
            print(f(0))
            with slim.arg_scope([f], b=30):
                print(f(0))
        print(f(0))
    print(f(0))
    with slim.arg_scope(sc1):
        print(f(0))
    expect_error(lambda: slim.arg_scope(sc1, b=3).__enter__())
    expect_error(lambda: slim.arg_scope(f, b=3).__enter__())
    expect_error(lambda: slim.arg_scope([len], b=3).__enter__(), False)
    with (
        slim.arg_scope(
            [slim.conv2d, slim.fully_connected],
            activation_fn=None,
            weights_initializer=tf.zeros_initializer(),
        ),
        slim.arg_scope([slim.conv2d], padding="VALID"),
    ):
        print(slim.conv2d(tf.ones([1, 4, 4, 1]), 1, 3), slim.fully_connected(tf.ones([1, 2]), 2))


def case_variable_helpers(tf, show, expect_error):
    slim = tf.contrib.slim
    with tf.variable_scope("net"):
        slim.conv2d(tf.ones([1, 3, 3, 1]), 2, 1, scope="conv1")
        slim.conv2d(tf.ones([1, 3, 3, 1]), 2, 1, scope="conv2")
        slim.fully_connected(tf.ones([1, 2]), 2, scope="logits")
    with slim.arg_scope([slim.model_variable], device="/cpu:0"):
        m = slim.model_variable("mv", [2], initializer=tf.ones_initializer(), collections=["extra"])
    v = slim.variable("plain", [3], initializer=tf.zeros_initializer())
    loc = slim.local_variable([1.0, 2.0], name="loc")
    glob = slim.global_variable(3, name="glob")
    _vars(tf)
    print([u.op.name for u in tf.get_collection("extra")], v.name, loc.name, glob.name)
    names = lambda vs: [u.op.name for u in vs]  # noqa: E731
    print(names(slim.get_variables_to_restore(exclude=["net/logits", "mv"])))
    print(
        names(
            slim.get_variables_to_restore(
                include=["net/conv1", "net/logits"], exclude=["net/logits/biases"]
            )
        )
    )
    print(
        names(slim.get_variables_by_name("weights")), names(slim.get_variables_by_suffix("biases"))
    )
    print(
        names(slim.get_model_variables("net/conv")),
        names(slim.get_trainable_variables("net/logits")),
    )
    print(names(slim.get_local_variables()), names(slim.get_variables("net", suffix="weights")))
    print(slim.get_unique_variable("net/conv1/weights").name)
    expect_error(lambda: slim.get_unique_variable("net/conv"))
    expect_error(lambda: slim.get_unique_variable("nothing"))
    expect_error(lambda: slim.get_variables_to_restore(include="net"))
    gs = slim.get_or_create_global_step()
    print(gs.name, slim.get_or_create_global_step() is gs)
    op, feed = slim.assign_from_values(
        {
            "net/logits/biases": np.array([1.0, 2.0], np.float32),
            "plain": np.array([[3.0, 4.0, 5.0]], np.float32),
        }
    )
    print(sorted(t.name for t in feed))
    fn = slim.assign_from_values_fn({"mv": np.array([7.0, 8.0], np.float32)})
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(op, feed)
        fn(sess)
        show(sess.run(["net/logits/biases:0", v, m]))
    expect_error(lambda: slim.assign_from_values({"missing": np.zeros(1)}))
