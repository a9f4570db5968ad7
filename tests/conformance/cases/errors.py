"""§13: one case per row of the error catalogue, in the catalogue's order."""


def case_already_exists(tf, expect_error):
    with tf.variable_scope("foo"):
        tf.get_variable("v", [1])
        expect_error(lambda: tf.get_variable("v", [1]))


def case_does_not_exist(tf, expect_error):
    with tf.variable_scope("foo", reuse=True):
        expect_error(lambda: tf.get_variable("u", [1]))


def case_shape_mismatch_on_share(tf, expect_error):
    with tf.variable_scope("s"):
        tf.get_variable("v", [2, 3])
    with tf.variable_scope("s", reuse=True):
        expect_error(lambda: tf.get_variable("v", [3, 2]))


def case_dtype_mismatch_on_share(tf, expect_error):
    with tf.variable_scope("s"):
        tf.get_variable("v", [1])
    with tf.variable_scope("s", reuse=True):
        expect_error(lambda: tf.get_variable("v", [1], dtype=tf.float64))


def case_constant_initializer_with_shape(tf, expect_error):
    expect_error(lambda: tf.get_variable("v", [2], initializer=[1.0, 2.0]))


def case_initializer_dtype_mismatch(tf, expect_error):
    expect_error(lambda: tf.get_variable("v", initializer=1, dtype=tf.float32))


def case_no_initializer_no_shape(tf, expect_error):
    expect_error(lambda: tf.get_variable("noshape"))


def case_no_default_initializer_for_dtype(tf, expect_error):
    expect_error(lambda: tf.get_variable("c_complex64", [2], dtype=tf.complex64))
    expect_error(lambda: tf.get_variable("q", [2], dtype=tf.qint8))


def case_callable_needs_arguments_shape_unknown(tf, expect_error):
    expect_error(lambda: tf.get_variable("v", initializer=tf.glorot_uniform_initializer()))


def case_invalid_reuse_value(tf, expect_error):
    def enter():
        with tf.variable_scope("s", reuse="yes"):
            pass

    expect_error(enter)


def case_default_name_with_reuse(tf, expect_error):
    def enter():
        with tf.variable_scope(None, default_name="d", reuse=True):
            pass

    expect_error(enter)


def case_no_name_no_default_name(tf, expect_error):
    def enter():
        with tf.variable_scope(None):
            pass

    expect_error(enter)


def case_bad_name_or_scope_type(tf, expect_error):
    def enter():
        with tf.variable_scope(1.5):
            pass

    expect_error(enter)


def case_bad_auxiliary_name_scope(tf, expect_error):
    def enter():
        with tf.variable_scope("s", auxiliary_name_scope="x"):
            pass

    expect_error(enter)


def case_out_of_order_exit(tf, expect_error):
    a = tf.variable_scope("a")
    b = tf.variable_scope("b")
    a.__enter__()
    b.__enter__()
    expect_error(lambda: a.__exit__(None, None, None))


def case_invalid_root_name(tf, expect_error):
    expect_error(lambda: tf.get_variable("_", [1]))


def case_invalid_nested_name(tf, expect_error):
    def enter():
        with tf.name_scope("n"), tf.name_scope("a b"):
            pass

    expect_error(enter)


def case_non_callable_custom_getter(tf, expect_error):
    expect_error(lambda: tf.get_variable("v", [1], custom_getter=3))


def case_non_callable_partitioner(tf, expect_error):
    expect_error(lambda: tf.get_variable("v", [2], partitioner=3))


def case_bad_synchronization_and_aggregation(tf, expect_error):
    expect_error(lambda: tf.get_variable("s1", [1], synchronization="bogus"))
    expect_error(lambda: tf.get_variable("s2", [1], aggregation="bogus"))


def case_collections_not_a_list(tf, expect_error):
    expect_error(lambda: tf.get_variable("v", [1], collections="mine"))


def case_non_callable_constraint(tf, expect_error):
    expect_error(lambda: tf.get_variable("v", [1], constraint=3))


def case_negative_dimension(tf, expect_error):
    expect_error(lambda: tf.get_variable("v", [-1]))


def case_template_name_none(tf, expect_error):
    expect_error(lambda: tf.make_template(None, lambda: None))


def case_template_trainable_on_later_call(tf, expect_error):
    t = tf.make_template("bad", lambda: tf.Variable(1.0, name="v"))
    t()
    expect_error(t)


def case_errors_are_builtin_subclasses(tf):
    try:
        tf.get_variable("v")
    except ValueError as e:
        print(isinstance(e, ValueError), isinstance(e, Exception))


def case_op_error_classes(tf):
    print(issubclass(tf.errors.FailedPreconditionError, tf.errors.OpError))
    print(issubclass(tf.errors.InvalidArgumentError, tf.errors.OpError))
    print(issubclass(tf.errors.OpError, Exception))
    e = tf.errors.FailedPreconditionError(None, None, "msg")
    print(e.message, e.node_def, e.op, e.error_code)
