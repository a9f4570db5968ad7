"""§5: get_variable checks in order, value and callable initializers, shape and dtype forms."""

import numpy as np


def _value(tf, show, v):
    with tf.Session() as sess:
        sess.run(v.initializer)
        show(sess.run(v))


def _describe(v):
    print(v.name, v.get_shape(), v.dtype)


def case_full_signature_positional(tf):
    v = tf.get_variable("v", [2], tf.float64, tf.zeros_initializer())
    _describe(v)


def case_get_local_variable_same_signature(tf):
    v = tf.get_local_variable("v", [2], tf.float64, tf.zeros_initializer())
    _describe(v)
    print(v.trainable)


def case_error_dtype_mismatch_before_existence(tf, expect_error):
    expect_error(lambda: tf.get_variable("x", initializer=1.0, dtype=tf.float64))
    with tf.variable_scope("s", reuse=True):
        expect_error(lambda: tf.get_variable("missing", initializer=1, dtype=tf.float32))


def case_error_dtype_mismatch_string_dtype(tf, expect_error):
    expect_error(lambda: tf.get_variable("x", initializer=1, dtype="float64"))


def case_value_initializer_numpy_matches_dtype(tf):
    _describe(tf.get_variable("x", initializer=np.float64(1.0), dtype=tf.float64))


def case_error_custom_getter_not_callable(tf, expect_error):
    expect_error(lambda: tf.get_variable("x", [1], custom_getter=3))


def case_error_scope_custom_getter_not_callable_at_get(tf, expect_error):
    with tf.variable_scope("s", custom_getter=3) as s:
        print(s.name)
        expect_error(lambda: tf.get_variable("x", [1]))


def case_error_partitioner_not_callable(tf, expect_error):
    expect_error(lambda: tf.get_variable("x", [4], partitioner=3))


def case_error_constant_initializer_with_shape(tf, expect_error):
    expect_error(lambda: tf.get_variable("x", [1], initializer=1.0))


def case_error_constant_initializer_with_shape_on_reuse(tf, expect_error):
    tf.get_variable("x", initializer=1.0)
    with tf.variable_scope(tf.get_variable_scope(), reuse=True):
        expect_error(lambda: tf.get_variable("x", [], initializer=1.0))


def case_error_scope_constant_initializer_with_shape(tf, expect_error):
    with tf.variable_scope("s", initializer=2.0):
        expect_error(lambda: tf.get_variable("x", [1]))
        print(tf.get_variable("y").name)


def case_error_no_initializer_no_shape(tf, expect_error):
    expect_error(lambda: tf.get_variable("noshape"))


def case_error_no_default_initializer_complex(tf, expect_error):
    expect_error(lambda: tf.get_variable("c_complex64", [1], dtype=tf.complex64))


def case_error_negative_dimension(tf, expect_error):
    expect_error(lambda: tf.get_variable("x", [-1, 2]))


def case_error_unknown_shape_default_initializer(tf, expect_error):
    expect_error(lambda: tf.get_variable("x", [None, 3]))


def case_error_callable_needs_args_no_shape(tf, expect_error):
    expect_error(lambda: tf.get_variable("x", initializer=tf.zeros_initializer()))


def case_error_lambda_shape_only(tf, expect_error):
    expect_error(lambda: tf.get_variable("x", [2], initializer=lambda shape: tf.zeros(shape)))  # noqa: PLW0108


def case_error_zero_arg_lambda_with_shape(tf, expect_error):
    expect_error(lambda: tf.get_variable("x", [2], initializer=lambda: [1.0, 2.0]), message=False)


def case_error_synchronization(tf, expect_error):
    expect_error(lambda: tf.get_variable("s1", [1], synchronization="bogus"))


def case_error_aggregation(tf, expect_error):
    expect_error(lambda: tf.get_variable("s2", [1], aggregation="bogus"))


def case_error_dict_initializer(tf, expect_error):
    expect_error(lambda: tf.get_variable("x", initializer={}), message=False)


def case_value_initializer_python_int(tf, show):
    v = tf.get_variable("x", initializer=4)
    _describe(v)
    _value(tf, show, v)


def case_value_initializer_python_float(tf, show):
    v = tf.get_variable("x", initializer=4.0)
    _describe(v)
    _value(tf, show, v)


def case_value_initializer_python_list(tf, show):
    v = tf.get_variable("x", initializer=[1, 2, 3])
    _describe(v)
    _value(tf, show, v)


def case_value_initializer_nested_float_list(tf, show):
    v = tf.get_variable("x", initializer=[[1.0, 2.0], [3.0, 4.0]])
    _describe(v)
    _value(tf, show, v)


def case_value_initializer_numpy_int(tf):
    _describe(tf.get_variable("x", initializer=np.array([1, 2, 3])))


def case_value_initializer_numpy_float(tf):
    _describe(tf.get_variable("x", initializer=np.array([1.0, 2.0])))


def case_value_initializer_numpy_float32(tf):
    _describe(tf.get_variable("x", initializer=np.zeros([2, 2], np.float32)))


def case_value_initializer_bool(tf, show):
    v = tf.get_variable("x", initializer=True)
    _describe(v)
    _value(tf, show, v)


def case_value_initializer_tensor(tf, show):
    v = tf.get_variable("x", initializer=tf.constant([[1, 2], [3, 4]], dtype=tf.int64))
    _describe(v)
    _value(tf, show, v)


def case_value_initializer_ignores_scope_dtype(tf):
    with tf.variable_scope("s", dtype=tf.float64):
        _describe(tf.get_variable("x", initializer=[1.0, 2.0]))
        _describe(tf.get_variable("y", initializer=3))


def case_value_initializer_explicit_matching_dtype(tf):
    _describe(tf.get_variable("x", initializer=4, dtype=tf.int32))
    _describe(tf.get_variable("y", initializer=4.0, dtype=tf.float32))


def case_callable_class_instantiated(tf, show):
    v = tf.get_variable("x", [2], initializer=tf.zeros_initializer)
    _describe(v)
    _value(tf, show, v)


def case_callable_all_defaults_no_shape(tf, show):
    v = tf.get_variable("x", initializer=lambda: [2])
    _describe(v)
    _value(tf, show, v)
    w = tf.get_variable("y", initializer=lambda x=True: [2.5, 3.5])
    _describe(w)


def case_callable_receives_shape_and_dtype(tf):
    seen = []

    def init(shape, dtype=None, partition_info=None):
        seen.append((shape, repr(dtype), partition_info))
        return tf.zeros(shape, dtype)

    _describe(tf.get_variable("x", [2, 3], initializer=init))
    _describe(tf.get_variable("y", (4,), dtype=tf.float64, initializer=init))
    print(seen)


def case_callable_without_partition_info(tf):
    seen = []

    def init(shape, dtype):
        seen.append(shape)
        return tf.ones(shape, dtype)

    _describe(tf.get_variable("x", [3], initializer=init))
    print(seen)


def case_callable_kwargs_only(tf):
    seen = []

    def init(shape, **kwargs):
        seen.append(sorted(kwargs))
        return tf.ones(shape, kwargs["dtype"])

    tf.get_variable("x", [3], initializer=init)
    print(seen)


def case_shape_forms(tf):
    for i, shape in enumerate([[2, 3], (2, 3), tf.TensorShape([2, 3]), 5, np.array([2, 3]), []]):
        v = tf.get_variable(f"v{i}", shape)
        print(v.get_shape(), v.get_shape().as_list())


def case_shape_zero_dimension(tf):
    _describe(tf.get_variable("x", [0, 3]))


def case_scalar_shapes(tf):
    _describe(tf.get_variable("a", []))
    _describe(tf.get_variable("b", ()))
    _describe(tf.get_variable("c", tf.TensorShape([])))


def case_dtype_forms(tf):
    for i, dtype in enumerate([tf.float64, "float64", np.float64, tf.int32, "int64", tf.bool]):
        print(tf.get_variable(f"v{i}", [1], dtype=dtype).dtype)


def case_string_variable_default_initializer(tf, show):
    v = tf.get_variable("s", [2], dtype=tf.string)
    print(v.dtype)
    _value(tf, show, v)


def case_int_and_bool_default_initializer(tf, show):
    _value(tf, show, tf.get_variable("i", [2], dtype=tf.int32))
    _value(tf, show, tf.get_variable("b", [2], dtype=tf.bool))
    _value(tf, show, tf.get_variable("u", [2], dtype=tf.uint8))


def case_float_default_initializer_bounds(tf):
    v = tf.get_variable("w", [300, 500])
    with tf.Session() as sess:
        sess.run(v.initializer)
        x = sess.run(v)
    limit = np.sqrt(6.0 / 800)
    print(x.dtype, x.shape, bool(np.abs(x).max() <= limit), bool(np.abs(x).max() > 0.9 * limit))


def case_default_initializer_new_instance_per_variable(tf):
    a = tf.get_variable("a", [50])
    b = tf.get_variable("b", [50])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        x, y = sess.run([a, b])
    print(bool((x != y).any()))


def case_trainable_default_and_false(tf):
    a = tf.get_variable("a", [1])
    b = tf.get_variable("b", [1], trainable=False)
    print(a.trainable, b.trainable, [v.name for v in tf.trainable_variables()])


def case_synchronization_on_read_not_trainable(tf):
    a = tf.get_variable("a", [1], synchronization=tf.VariableSynchronization.ON_READ)
    b = tf.get_variable(
        "b", [1], synchronization=tf.VariableSynchronization.ON_READ, trainable=True
    )
    print(a.trainable, b.trainable, [v.name for v in tf.trainable_variables()])


def case_synchronization_int_value(tf):
    v = tf.get_variable("a", [1], synchronization=1)
    print(v.trainable)


def case_synchronization_enum_values(tf):
    print([int(m.value) for m in tf.VariableSynchronization])
    print([m.name for m in tf.VariableSynchronization])
    print([(m.name, int(m.value)) for m in tf.VariableAggregation])


def case_validate_shape_false(tf):
    v = tf.get_variable("x", [2], validate_shape=False)
    print(v.get_shape())


def case_get_variable_returns_same_object_on_reuse(tf):
    with tf.variable_scope("s"):
        v = tf.get_variable("v", [1])
    with tf.variable_scope("s", reuse=True):
        print(tf.get_variable("v") is v)
