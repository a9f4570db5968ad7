"""tf.contrib.layers.optimize_loss (TF 1.15's contrib.layers, in TF 2.x's tf_slim): the
learning-rate variable, optimizer names/classes/instances/functions, decay, clipping,
gradient multipliers, increment_global_step and errors. Summaries are off here (they belong
to tf.summary's tests). Under scopeflow the function is scopeflow.train.optimize_loss."""

import numpy as np


def _optimize_loss(tf):
    if tf.__name__.startswith("scopeflow"):
        from scopeflow.train import optimize_loss

        return optimize_loss
    import tensorflow.python.framework.ops as _o

    _o.Tensor = tf.Tensor
    _o.IndexedSlices = tf.IndexedSlices
    import tf_slim

    return tf_slim.optimize_loss


def _model(tf):
    x = tf.constant(np.linspace(-1, 1, 12, dtype=np.float32).reshape(3, 4))
    with tf.variable_scope("dense"):
        w = tf.get_variable(
            "kernel", initializer=np.linspace(-0.5, 0.6, 12, dtype=np.float32).reshape(4, 3)
        )
        b = tf.get_variable("bias", initializer=np.array([0.1, -0.2, 0.3], np.float32))
    emb = tf.get_variable("emb", initializer=np.linspace(-1, 1, 24, dtype=np.float32).reshape(6, 4))
    x = x + tf.reduce_sum(
        tf.nn.embedding_lookup(emb, tf.constant([[1, 3], [3, 0], [5, 1]])), axis=1
    )
    return tf.reduce_mean(tf.square(tf.tanh(tf.matmul(x, w) + b) - 0.25))


def _run(tf, show, steps=3, **kwargs):
    loss = _model(tf)
    gs = tf.train.get_or_create_global_step()
    train = _optimize_loss(tf)(loss, gs, summaries=[], **kwargs)
    print(train.name, [v.name for v in tf.global_variables()])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(steps):
            show(sess.run(train))
        for v in tf.global_variables():
            print(v.op.name)
            show(sess.run(v))


def case_adam_by_name(tf, show):
    _run(tf, show, learning_rate=0.05, optimizer="Adam")


def case_momentum_by_name_clip_and_decay(tf, show):
    _run(
        tf,
        show,
        learning_rate=0.1,
        optimizer="Momentum",
        clip_gradients=0.05,
        learning_rate_decay_fn=lambda lr, gs: tf.train.exponential_decay(lr, gs, 2, 0.5),
    )


def case_class_tensor_lr_multipliers_no_increment(tf, show):
    _run(
        tf,
        show,
        learning_rate=tf.constant(0.2),
        optimizer=tf.train.AdagradOptimizer,
        gradient_multipliers={"dense/kernel:0": 3.0},
        increment_global_step=False,
    )


def case_instance_and_function(tf, show):
    _run(tf, show, learning_rate=None, optimizer=tf.train.RMSPropOptimizer(0.01, momentum=0.5))


def case_function_of_lr_and_name_and_variables(tf, show):
    loss = _model(tf)
    gs = tf.train.get_or_create_global_step()

    def make(lr):
        return tf.train.GradientDescentOptimizer(lr)

    train = _optimize_loss(tf)(
        loss, gs, 0.3, make, variables=tf.trainable_variables()[:1], name="Opt", summaries=[]
    )
    print(train.name, [v.name for v in tf.global_variables()])


def case_errors(tf, show, expect_error):
    loss = _model(tf)
    gs = tf.train.get_or_create_global_step()
    ol = _optimize_loss(tf)
    expect_error(lambda: ol(tf.ones([2]), gs, 0.1, "SGD"))
    expect_error(lambda: ol(loss, gs, -0.1, "SGD"))
    expect_error(lambda: ol(loss, gs, 1, "SGD"))
    expect_error(lambda: ol(loss, gs, 0.1, "Nope", summaries=[]))
    expect_error(lambda: ol(loss, gs, None, "SGD", summaries=[]))
    expect_error(lambda: ol(loss, gs, 0.1, "SGD", summaries=["nope"]))
    expect_error(lambda: ol(loss, gs, 0.1, 42, summaries=[]))
    expect_error(lambda: ol(loss, gs, 0.1, "SGD", clip_gradients=1, summaries=[]))
