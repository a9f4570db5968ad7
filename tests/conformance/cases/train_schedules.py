"""tf.train learning-rate schedules: result names and values at chosen steps."""

import numpy as np

STEPS = [0, 1, 5, 10, 15, 37, 100, 250]


def _run(tf, show, make):
    step = tf.placeholder(tf.int64, [], name="step")
    lr = make(tf, step)
    print(lr.name, lr.dtype.name)
    with tf.Session() as sess:
        show(np.array([sess.run(lr, {step: s}) for s in STEPS]), decimals=6)


def case_exponential(tf, show):
    _run(tf, show, lambda tf, s: tf.train.exponential_decay(0.1, s, 10, 0.9))


def case_exponential_staircase_named(tf, show):
    _run(
        tf,
        show,
        lambda tf, s: tf.train.exponential_decay(0.5, s, 7, 0.5, staircase=True, name="lr_sched"),
    )


def case_natural_exp(tf, show):
    _run(tf, show, lambda tf, s: tf.train.natural_exp_decay(0.1, s, 10, 0.3))


def case_natural_exp_staircase(tf, show):
    _run(tf, show, lambda tf, s: tf.train.natural_exp_decay(0.1, s, 10, 0.3, staircase=True))


def case_inverse_time(tf, show):
    _run(tf, show, lambda tf, s: tf.train.inverse_time_decay(0.1, s, 10, 0.5))


def case_inverse_time_staircase(tf, show):
    _run(tf, show, lambda tf, s: tf.train.inverse_time_decay(0.1, s, 10, 0.5, staircase=True))


def case_polynomial(tf, show):
    _run(tf, show, lambda tf, s: tf.train.polynomial_decay(0.1, s, 100, 0.001, power=2.0))


def case_polynomial_cycle(tf, show):
    _run(tf, show, lambda tf, s: tf.train.polynomial_decay(0.1, s, 30, 0.01, power=0.5, cycle=True))


def case_cosine(tf, show):
    _run(tf, show, lambda tf, s: tf.train.cosine_decay(0.1, s, 100, alpha=0.1))


def case_cosine_restarts(tf, show):
    _run(tf, show, lambda tf, s: tf.train.cosine_decay_restarts(0.1, s, 10))


def case_cosine_restarts_t_mul_1(tf, show):
    _run(
        tf,
        show,
        lambda tf, s: tf.train.cosine_decay_restarts(0.1, s, 10, t_mul=1.0, m_mul=0.8, alpha=0.05),
    )


def case_linear_cosine(tf, show):
    _run(tf, show, lambda tf, s: tf.train.linear_cosine_decay(0.1, s, 100, num_periods=2.0))


def case_noisy_linear_cosine_names(tf, show):
    lr = tf.train.noisy_linear_cosine_decay(0.1, tf.constant(3, tf.int64), 100)
    print(lr.name, lr.dtype.name, lr.shape)


def case_piecewise_constant(tf, show):
    _run(tf, show, lambda tf, s: tf.train.piecewise_constant(s, [5, 37], [1.0, 0.5, 0.1]))


def case_piecewise_constant_int32_boundaries_errors(tf, show, expect_error):
    s = tf.placeholder(tf.int64, [])
    lr = tf.train.piecewise_constant(s, [10, 20, 30], [0.4, 0.3, 0.2, 0.1])
    with tf.Session() as sess:
        show(np.array([sess.run(lr, {s: v}) for v in [0, 10, 11, 25, 30, 31]]))
    expect_error(lambda: tf.train.piecewise_constant(s, [1.5], [1.0, 0.5]))
    expect_error(lambda: tf.train.piecewise_constant(s, [1], [1.0, 2]))
    expect_error(lambda: tf.train.piecewise_constant(s, [1, 2], [1.0, 2.0]))


def case_float64_learning_rate_and_global_step_variable(tf, show):
    gs = tf.train.get_or_create_global_step()
    lr = tf.train.exponential_decay(tf.constant(0.1, tf.float64), gs, 3, 0.5)
    inc = tf.assign_add(gs, 4)
    print(lr.dtype.name)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(inc)
        show(sess.run(lr), decimals=8)


def case_schedule_drives_optimizer(tf, show):
    w = tf.Variable([1.0, -2.0], name="w")
    gs = tf.train.get_or_create_global_step()
    lr = tf.train.polynomial_decay(0.5, gs, 4, 0.05)
    train = tf.train.GradientDescentOptimizer(lr).minimize(tf.reduce_sum(w * w), global_step=gs)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(6):
            sess.run(train)
            show(sess.run([w, lr, gs]), decimals=5)
