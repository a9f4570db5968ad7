"""Gradients taken after an ordered in-place update of a variable their forward pass read.

pix2pix takes the generator's gradient under ``control_dependencies([discriminator_train])``,
through the discriminator's forward pass computed before that update. TF 1's ref variables are
buffers: the ``read`` identity aliases the variable, so a gradient op that reads a forward op's
variable input (``MatMul``'s, ``Conv2D``'s filter, ``FusedBatchNormV3``'s scale) sees the
updated value, while activations (outputs of other ops, computed before the update) keep their
old values. Each case shows the gradient (or losses) with the update ordered before it, and
the variables afterwards.
"""

import numpy as np


def _x(shape, scale=1.0, seed=0):
    rng = np.random.RandomState(seed)
    return (rng.uniform(-1, 1, shape) * scale).astype(np.float32)


def _matmul_net(tf):
    x = tf.constant(_x([4, 3]))
    with tf.variable_scope("generator"):
        v = tf.get_variable("v", initializer=_x([3, 3], seed=1))
    with tf.variable_scope("discriminator"):
        w = tf.get_variable("w", initializer=_x([3, 2], 2.0, seed=2))
    p = tf.sigmoid(tf.matmul(tf.matmul(x, v), w))
    d_loss = tf.reduce_mean(-tf.log(1.0 - p))
    g_loss = tf.reduce_mean(-tf.log(p))
    d_train = tf.train.GradientDescentOptimizer(2.0).minimize(d_loss, var_list=[w])
    return v, w, g_loss, d_train


def case_matmul_input_gradient_reads_the_updated_weight(tf, show):
    v, w, g_loss, d_train = _matmul_net(tf)
    with tf.control_dependencies([d_train]):
        (g,) = tf.gradients(g_loss, [v])
    (before,) = tf.gradients(g_loss, [v])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(sess.run(before))
        show(sess.run(g))
        show(sess.run(w))
        show(sess.run(g))  # a second update, a second gradient


def case_gradient_of_the_updated_variable_itself(tf, show):
    _v, w, g_loss, d_train = _matmul_net(tf)
    with tf.control_dependencies([d_train]):
        (g,) = tf.gradients(g_loss, [w])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(sess.run(g))
        show(sess.run(w))


def case_assign_sub_then_gradient_through_tanh(tf, show):
    with tf.variable_scope("g"):
        x = tf.get_variable("x", initializer=_x([2, 3], seed=3))
    w = tf.get_variable("w", initializer=_x([3, 4], seed=4))
    y = tf.tanh(tf.matmul(x, w))
    loss = tf.reduce_sum(y * y)
    with tf.control_dependencies([y]):
        update = w.assign_sub(tf.ones_like(w))
    with tf.control_dependencies([update]):
        gx, gw = tf.gradients(loss, [x, w])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(sess.run([gx, gw]))
        show(sess.run(w))


def case_gradient_through_an_op_of_the_variable_reading_its_output(tf, show):
    x = tf.constant(_x([2, 3], seed=5))
    w = tf.get_variable("w", initializer=_x([3], 2.0, seed=6))
    t = tf.tanh(w)
    loss = tf.reduce_sum(tf.square(x * t))
    with tf.control_dependencies([t]):
        update = w.assign_add(tf.ones_like(w))
    with tf.control_dependencies([update]):
        (gw,) = tf.gradients(loss, [w])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(sess.run(gw))


def case_dense_layers_with_adam(tf, show):
    x = tf.constant(_x([5, 4], seed=7))
    with tf.variable_scope("generator"):
        h = tf.layers.dense(x, 6, activation=tf.nn.relu, name="g1")
        out = tf.layers.dense(h, 3, name="g2")
    with tf.variable_scope("discriminator"):
        d = tf.layers.dense(
            out,
            4,
            activation=tf.nn.leaky_relu,
            name="d1",
            kernel_initializer=tf.random_normal_initializer(0, 1.0, seed=3),
        )
        logit = tf.layers.dense(
            d, 1, name="d2", kernel_initializer=tf.random_normal_initializer(0, 1.0, seed=4)
        )
    p = tf.sigmoid(logit)
    d_loss = tf.reduce_mean(-tf.log(1.0 - p + 1e-12))
    g_loss = tf.reduce_mean(-tf.log(p + 1e-12))
    d_vars = [v for v in tf.trainable_variables() if v.name.startswith("discriminator")]
    g_vars = [v for v in tf.trainable_variables() if v.name.startswith("generator")]
    d_train = tf.train.AdamOptimizer(0.3, 0.5).minimize(d_loss, var_list=d_vars)
    with tf.control_dependencies([d_train]):
        g_opt = tf.train.AdamOptimizer(0.01, 0.5)
        g_gv = g_opt.compute_gradients(g_loss, var_list=g_vars)
        g_train = g_opt.apply_gradients(g_gv)
    with tf.Session() as sess:
        tf.set_random_seed(0)
        sess.run(tf.variables_initializer(tf.global_variables()))
        for v in g_vars:
            sess.run(v.assign(_x(v.shape.as_list(), seed=len(v.name))))
        for _ in range(3):
            losses, grads, _ = sess.run([[d_loss, g_loss], [g for g, _ in g_gv], g_train])
            show(losses)
            show(grads)
        show(sess.run(tf.trainable_variables()))


def case_pix2pix_like_conv_batch_norm_adam(tf, show):
    inputs = tf.constant(_x([2, 8, 8, 2], seed=8))
    targets = tf.constant(_x([2, 8, 8, 1], seed=9))
    init = tf.random_normal_initializer(0, 0.3, seed=1)
    with tf.variable_scope("generator"):
        out = tf.tanh(tf.layers.conv2d(inputs, 1, 3, padding="same", kernel_initializer=init))

    def discriminator(a, b):
        x = tf.concat([a, b], axis=3)
        x = tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]])
        with tf.variable_scope("layer_1"):
            # No bias before the batch norm: its gradient is rounding noise around 0, which
            # Adam's first steps blow up to +-lr in either library.
            x = tf.layers.conv2d(
                x,
                4,
                4,
                strides=2,
                padding="valid",
                use_bias=False,
                kernel_initializer=tf.random_normal_initializer(0, 0.5, seed=2),
            )
            x = tf.layers.batch_normalization(
                x,
                axis=3,
                epsilon=1e-5,
                momentum=0.1,
                training=True,
                gamma_initializer=tf.random_normal_initializer(1.0, 0.5, seed=3),
            )
            x = tf.identity(x)
            x = 0.6 * x + 0.4 * tf.abs(x)
        with tf.variable_scope("layer_2"):
            x = tf.layers.conv2d(
                tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]]),
                1,
                4,
                padding="valid",
                kernel_initializer=tf.random_normal_initializer(0, 0.5, seed=4),
            )
        return tf.sigmoid(x)

    with tf.variable_scope("discriminator"):
        real = discriminator(inputs, targets)
    with tf.variable_scope("discriminator", reuse=True):
        fake = discriminator(inputs, out)
    d_loss = tf.reduce_mean(-(tf.log(real + 1e-12) + tf.log(1 - fake + 1e-12)))
    g_loss = tf.reduce_mean(-tf.log(fake + 1e-12)) + 10.0 * tf.reduce_mean(tf.abs(targets - out))
    d_vars = [v for v in tf.trainable_variables() if v.name.startswith("discriminator")]
    g_vars = [v for v in tf.trainable_variables() if v.name.startswith("generator")]
    d_opt = tf.train.AdamOptimizer(0.2, 0.5)
    d_train = d_opt.apply_gradients(d_opt.compute_gradients(d_loss, var_list=d_vars))
    with tf.control_dependencies([d_train]):
        g_opt = tf.train.AdamOptimizer(0.05, 0.5)
        g_gv = g_opt.compute_gradients(g_loss, var_list=g_vars)
        g_train = g_opt.apply_gradients(g_gv)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            losses, grads, _ = sess.run([[d_loss, g_loss], [g for g, _ in g_gv], g_train])
            show(losses)
            show(grads)
        show(sess.run(tf.trainable_variables()))


def case_transposed_depthwise_and_batched_products(tf, show):
    x = tf.constant(_x([2, 4, 4, 2], seed=10))
    with tf.variable_scope("generator"):
        g = tf.get_variable("g", initializer=_x([2, 4, 4, 2], seed=11))
    with tf.variable_scope("discriminator"):
        up = tf.get_variable("up", initializer=_x([3, 3, 3, 2], seed=12))
        dw = tf.get_variable("dw", initializer=_x([3, 3, 3, 2], seed=13))
        bm = tf.get_variable("bm", initializer=_x([2, 6, 3], seed=14))
        scale = tf.get_variable("scale", initializer=_x([3], seed=15) + 1.5)
    h = tf.nn.conv2d_transpose(x * g, up, [2, 8, 8, 3], [1, 2, 2, 1], padding="SAME")
    h = tf.nn.depthwise_conv2d(h, dw, [1, 2, 2, 1], padding="SAME")  # [2, 4, 4, 6]
    h = tf.matmul(tf.reshape(h, [2, 16, 6]), bm) * scale  # BatchMatMulV2, Mul
    p = tf.sigmoid(tf.reduce_mean(h, axis=[1, 2]))
    d_vars = [up, dw, bm, scale]
    d_train = tf.train.MomentumOptimizer(0.5, 0.9).minimize(tf.reduce_mean(p), var_list=d_vars)
    with tf.control_dependencies([d_train]):
        (gg,) = tf.gradients(100.0 * tf.reduce_mean(-tf.log(p)), [g])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(2):
            show(sess.run(gg))
