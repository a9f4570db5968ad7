"""tf.gradients values (MLP, conv, matmul, second order), grad_ys, stop_gradients, unconnected
inputs, tf.stop_gradient, tf.hessians, tf.custom_gradient."""

import numpy as np


def _desc(g):
    return None if g is None else (str(g.shape), g.dtype.name)


def case_matmul_variable_and_placeholder(tf, show):
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    w = tf.Variable(np.arange(6, dtype=np.float32).reshape(3, 2) / 4.0, name="w")
    loss = tf.reduce_sum(tf.square(tf.matmul(x, w)))
    g = tf.gradients(loss, [w, x])
    print([_desc(t) for t in g])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(*sess.run(g, {x: np.arange(6, dtype=np.float32).reshape(2, 3) - 2.0}))


def case_mlp_two_layers(tf, show):
    x = tf.constant(np.linspace(-1, 1, 12, dtype=np.float32).reshape(3, 4))
    w1 = tf.Variable(np.linspace(-0.5, 0.5, 20, dtype=np.float32).reshape(4, 5))
    b1 = tf.Variable(np.full([5], 0.1, np.float32))
    w2 = tf.Variable(np.linspace(0.3, -0.3, 10, dtype=np.float32).reshape(5, 2))
    h = tf.nn.relu(tf.matmul(x, w1) + b1)
    y = tf.tanh(tf.matmul(h, w2))
    loss = tf.reduce_mean(tf.square(y - 0.5))
    grads = tf.gradients(loss, [w1, b1, w2])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(*sess.run(grads))


def case_conv2d_gradients(tf, show):
    x = tf.constant(np.linspace(-1, 1, 32, dtype=np.float32).reshape(1, 4, 4, 2))
    k = tf.Variable(np.linspace(-1, 1, 36, dtype=np.float32).reshape(3, 3, 2, 2))
    y = tf.nn.conv2d(x, k, strides=[1, 2, 2, 1], padding="SAME")
    gk, gx = tf.gradients(tf.reduce_sum(y * y), [k, x])
    print(gk.shape, gx.shape)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(*sess.run([gk, gx]), decimals=2)


def case_sum_over_ys_and_grad_ys(tf, show):
    x = tf.constant([1.0, 2.0, 3.0])
    y1 = x * x
    y2 = 3.0 * x
    show(*tf.Session().run(tf.gradients([y1, y2], x)))
    show(*tf.Session().run(tf.gradients([y1, y2], x, grad_ys=[[1.0, 0.0, 2.0], None])))
    show(*tf.Session().run(tf.gradients(y1, x, grad_ys=tf.constant([0.5, 0.5, 0.5]))))


def case_unconnected_and_integer(tf, show):
    x = tf.placeholder(tf.float32, [2], name="x")
    i = tf.placeholder(tf.int32, [2], name="i")
    c = tf.constant(1.0)
    y = x * 2.0
    print(tf.gradients(y, [c]))
    print(tf.gradients(tf.cast(i, tf.float32) * 2.0, i))
    print(tf.gradients(tf.floor(x), x), tf.gradients(tf.zeros_like(x), x))
    print(tf.gradients(tf.cast(tf.argmax(x), tf.float32), x))
    z = tf.gradients(y, [c, x], unconnected_gradients=tf.UnconnectedGradients.ZERO)
    print([_desc(t) for t in z])
    with tf.Session() as sess:
        show(*sess.run(z, {x: [1.0, 2.0]}))


def case_stop_gradient_and_stop_gradients(tf, show):
    x = tf.constant([1.0, 2.0])
    a = x * x
    b = tf.stop_gradient(a)
    print(b.name, b.op.type, b.shape)
    print(tf.gradients(b, x))
    y = a + 2.0 * x
    show(*tf.Session().run(tf.gradients(y * b, x)))
    show(*tf.Session().run(tf.gradients(y, x, stop_gradients=[a])))
    print(tf.gradients(y, x, stop_gradients=[y]) == [None])


def case_intermediate_xs(tf, show):
    x = tf.constant([1.0, 2.0])
    h = x * 3.0
    y = tf.reduce_sum(h * h) + tf.reduce_sum(x)
    show(*tf.Session().run(tf.gradients(y, [h, x])))
    other = x * 5.0
    print(tf.gradients(y, other))


def case_second_order_gradient_penalty(tf, show):
    real = tf.constant(np.linspace(-1, 1, 6, dtype=np.float32).reshape(2, 3))
    fake = tf.constant(np.linspace(1, -0.5, 6, dtype=np.float32).reshape(2, 3))
    w = tf.Variable(np.linspace(-0.4, 0.6, 6, dtype=np.float32).reshape(3, 2))
    v = tf.Variable(np.array([[0.7], [-0.2]], np.float32))
    alpha = tf.constant([[0.25], [0.75]])

    def critic(t):
        return tf.matmul(tf.tanh(tf.matmul(t, w)), v)

    interp = real + alpha * (fake - real)
    g = tf.gradients(critic(interp), [interp])[0]
    slopes = tf.sqrt(tf.reduce_sum(tf.square(g), axis=1))
    penalty = tf.reduce_mean((slopes - 1.0) ** 2)
    loss = tf.reduce_mean(critic(fake)) - tf.reduce_mean(critic(real)) + 10.0 * penalty
    grads = tf.gradients(loss, [w, v])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(*sess.run([g, penalty, *grads]))


def case_gradient_of_gradient_scalar(tf, show):
    x = tf.constant(2.0)
    y = x * x * x
    (dy,) = tf.gradients(y, x)
    (d2y,) = tf.gradients(dy, x)
    show(*tf.Session().run([dy, d2y]))


def case_hessians(tf, show):
    x = tf.constant([1.0, 2.0])
    y = tf.reduce_sum(x * x * x) + x[0] * x[1]
    (h,) = tf.hessians(y, x)
    print(h.shape)
    show(tf.Session().run(h))


def case_gradients_through_cond_and_while(tf, show):
    x = tf.placeholder(tf.float32, [2])
    p = tf.placeholder(tf.bool, [])
    c = tf.cond(p, lambda: x * x, lambda: 3.0 * x)
    (gc,) = tf.gradients(tf.reduce_sum(c), x)
    _, r = tf.while_loop(lambda i, s: i < 3, lambda i, s: (i + 1, s * x), [0, tf.ones([2])])
    (gw,) = tf.gradients(tf.reduce_sum(r), x)
    with tf.Session() as sess:
        show(*sess.run([gc, gw], {x: [1.0, 2.0], p: True}))
        show(sess.run(gc, {x: [1.0, 2.0], p: False}))


def case_gradient_errors(tf, expect_error):
    x = tf.constant([1.0])
    expect_error(lambda: tf.gradients(x * 2.0, x, grad_ys=[1.0, 2.0]))


def case_custom_gradient(tf, show):
    @tf.custom_gradient
    def scaled_identity(t):
        def grad(dy):
            return dy * 0.5

        return tf.identity(t), grad

    x = tf.constant([1.0, 2.0, 3.0])
    y = scaled_identity(x * 2.0)
    (g,) = tf.gradients(tf.reduce_sum(y * y), x)
    with tf.Session() as sess:
        show(*sess.run([y, g]))


def case_multiple_variables_mixed_dtype(tf, show):
    a = tf.Variable([1.0, 2.0], dtype=tf.float64)
    b = tf.Variable(3.0, dtype=tf.float64)
    y = tf.reduce_sum(a * b) + b * b
    g = tf.gradients(y, [a, b])
    print([_desc(t) for t in g])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(*sess.run(g))
