"""tf.train.ExponentialMovingAverage: shadow names, collections, values, num_updates,
zero_debias on tensors, variables_to_restore, and assign_moving_average through training."""

import numpy as np


def _vars(tf):
    with tf.variable_scope("net"):
        w = tf.get_variable("w", initializer=np.array([[1.0, -2.0], [0.5, 3.0]], np.float32))
        b = tf.get_variable("b", initializer=np.array([0.25, -0.75], np.float32))
    return w, b


def case_shadow_names_and_values(tf, show):
    w, b = _vars(tf)
    ema = tf.train.ExponentialMovingAverage(0.9)
    op = ema.apply([w, b])
    print(op.name, op.type)
    print([v.name for v in tf.global_variables()])
    print([v.name for v in tf.moving_average_variables()])
    print([v.name for v in tf.trainable_variables()])
    print(ema.average(w).name, ema.average_name(b), ema.name)
    upd = [tf.assign(w, w * 2.0 + 1.0), tf.assign(b, b - 0.5)]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            sess.run(upd)
            sess.run(op)
        show(*sess.run([ema.average(w), ema.average(b)]))


def case_num_updates_and_custom_name(tf, show):
    w, b = _vars(tf)
    step = tf.Variable(0, trainable=False, name="step")
    ema = tf.train.ExponentialMovingAverage(0.999, num_updates=step, name="EMA")
    op = ema.apply()
    print([v.name for v in tf.global_variables()])
    inc = tf.assign_add(step, 1)
    upd = tf.assign_add(w, tf.ones_like(w))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(4):
            sess.run([upd, inc])
            sess.run(op)
        show(*sess.run([ema.average(w), ema.average(b)]))


def case_tensor_zero_debias(tf, show):
    x = tf.placeholder(tf.float32, [2], name="x")
    y = tf.identity(x * 2.0, name="y")
    ema = tf.train.ExponentialMovingAverage(0.8, zero_debias=True)
    op = ema.apply([y])
    print([v.name for v in tf.global_variables()])
    print(ema.average(y).name)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for i in range(3):
            sess.run(op, {x: [1.0 + i, -1.0 * i]})
            show(sess.run(ema.average(y)))


def case_tensor_no_debias(tf, show):
    x = tf.placeholder(tf.float32, [], name="x")
    ema = tf.train.ExponentialMovingAverage(0.5)
    op = ema.apply([x])
    print([v.name for v in tf.global_variables()], ema.average(x).name)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for i in range(3):
            sess.run(op, {x: 4.0 + i})
            show(sess.run(ema.average(x)))


def case_variables_to_restore(tf, show):
    w, b = _vars(tf)
    tf.train.get_or_create_global_step()
    ema = tf.train.ExponentialMovingAverage(0.9)
    print(sorted((k, v.name) for k, v in ema.variables_to_restore().items()))
    ema.apply([w])
    print(sorted((k, v.name) for k, v in ema.variables_to_restore().items()))
    print(sorted((k, v.name) for k, v in ema.variables_to_restore([b]).items()))
    print(ema.average(b), ema.average_name(b))


def case_ema_with_optimizer_control_deps(tf, show):
    w, b = _vars(tf)
    loss = tf.reduce_sum(tf.square(tf.matmul(tf.ones([1, 2]), w) + b))
    gs = tf.train.get_or_create_global_step()
    opt_op = tf.train.MomentumOptimizer(0.05, 0.9).minimize(loss, global_step=gs)
    ema = tf.train.ExponentialMovingAverage(0.9, num_updates=gs)
    with tf.control_dependencies([opt_op]):
        train = tf.group(ema.apply(tf.trainable_variables()))
    print([v.name for v in tf.global_variables()])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(4):
            sess.run(train)
        show(*sess.run([w, b, ema.average(w), ema.average(b), gs]))


def case_errors(tf, show, expect_error):
    v = tf.Variable(1, name="int_var")
    expect_error(lambda: tf.train.ExponentialMovingAverage(0.9).apply([v]))
