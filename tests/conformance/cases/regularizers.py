"""§7: regularizers, REGULARIZATION_LOSSES, and when the regularizer is called."""


def case_regularizer_op_names(tf):
    with tf.variable_scope("r"):
        tf.get_variable("w", [2], regularizer=lambda v: tf.reduce_sum(v) * 0.5)
    with tf.variable_scope("q"):
        tf.get_variable("k", [2], regularizer=tf.nn.l2_loss)
    print([t.name for t in tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)])


def case_regularizer_ops_ignore_name_scope(tf):
    with tf.name_scope("ns"), tf.variable_scope("q"):
        tf.get_variable("k", [2], regularizer=tf.nn.l2_loss)
    print([t.name for t in tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)])


def case_regularizer_called_twice_at_creation(tf):
    calls = []

    def reg(v):
        calls.append(v.name)
        return tf.nn.l2_loss(v)

    tf.get_variable("w", [2], regularizer=reg)
    print(calls)


def case_regularizer_not_called_on_reuse(tf):
    calls = []

    def reg(v):
        calls.append(v.name)
        return tf.nn.l2_loss(v)

    with tf.variable_scope("s", regularizer=reg):
        tf.get_variable("w", [2])
    with tf.variable_scope("s", reuse=True):
        tf.get_variable("w", [2], regularizer=reg)
    print(len(calls), len(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)))


def case_regularizer_lazy_call_on_loss(tf):
    calls = []

    def reg(v):
        calls.append(v.name)
        return tf.nn.l2_loss(v)

    tf.get_variable("w", [2], regularizer=reg)
    before = len(calls)
    loss = tf.losses.get_regularization_loss()
    print(before, len(calls), loss.name)


def case_regularizer_returning_none_adds_nothing(tf):
    calls = []

    def reg(v):
        calls.append(v.name)

    tf.get_variable("w", [2], regularizer=reg)
    print(len(calls), tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES))


def case_regularizer_not_applied_to_tf_variable(tf):
    with tf.variable_scope("s", regularizer=tf.nn.l2_loss):
        tf.Variable([1.0], name="tv")
        tf.get_variable("gv", [1])
    print(len(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)))


def case_regularization_loss_value(tf, show):
    with tf.variable_scope("s", regularizer=lambda v: tf.reduce_sum(v) * 2.0):
        tf.get_variable("a", initializer=[1.0, 2.0])
        tf.get_variable("b", initializer=[3.0])
    loss = tf.losses.get_regularization_loss()
    losses = tf.losses.get_regularization_losses()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(sess.run(loss))
        show(sess.run(losses))


def case_regularization_loss_empty(tf, show):
    loss = tf.losses.get_regularization_loss()
    print(loss.name, loss.dtype)
    with tf.Session() as sess:
        show(sess.run(loss))


def case_regularization_losses_scope_filter(tf):
    with tf.variable_scope("a", regularizer=tf.nn.l2_loss):
        tf.get_variable("w", [1])
    with tf.variable_scope("b", regularizer=tf.nn.l2_loss):
        tf.get_variable("w", [1])
    print(len(tf.losses.get_regularization_losses()))
    print(len(tf.losses.get_regularization_losses(scope="a")))
    print(len(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES, "b")))


def case_regularizer_with_partitioned_variable(tf):
    calls = []

    def reg(v):
        calls.append(v.name)
        return tf.nn.l2_loss(v)

    tf.get_variable("p", [4, 2], regularizer=reg, partitioner=tf.fixed_size_partitioner(2))
    print(calls, len(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)))


def case_contrib_style_l2_regularizer_value(tf, show):
    def l2(scale):
        return lambda v: scale * tf.nn.l2_loss(v)

    tf.get_variable("w", initializer=[3.0, 4.0], regularizer=l2(0.1))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(sess.run(tf.losses.get_regularization_loss()))
