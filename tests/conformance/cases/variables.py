"""§11 and the Variable API: construction errors, properties, assign ops, initial values."""

import numpy as np


def case_initial_value_required(tf, expect_error):
    expect_error(tf.Variable)
    expect_error(lambda: tf.Variable(None))


def case_callable_initial_value(tf, show):
    v = tf.Variable(lambda: tf.ones([2]), name="cv")
    print(v.name, v.get_shape(), v.dtype)
    print(v.initial_value.name.startswith("cv/Initializer/"))
    with tf.Session() as sess:
        sess.run(v.initializer)
        show(sess.run(v))


def case_constraint_not_callable(tf, expect_error):
    expect_error(lambda: tf.Variable(1.0, constraint=3))


def case_constraint_stored_not_applied(tf, show):
    def con(x):
        return x * 0.0

    v = tf.Variable([1.0, 2.0], constraint=con)
    print(v.constraint is con)
    with tf.Session() as sess:
        sess.run(v.initializer)
        show(sess.run(v))


def case_validate_shape_unknown_initial_value(tf, expect_error):
    p = tf.placeholder(tf.float32, [None])
    expect_error(lambda: tf.Variable(p))


def case_validate_shape_false_unknown(tf):
    p = tf.placeholder(tf.float32, [None])
    v = tf.Variable(p, validate_shape=False)
    print(v.get_shape(), v.shape)


def case_variable_dtype_argument_casts(tf, show):
    v = tf.Variable([1, 2], dtype=tf.float32)
    print(v.dtype, v.dtype.base_dtype)
    with tf.Session() as sess:
        sess.run(v.initializer)
        show(sess.run(v))


def case_variable_inferred_dtypes(tf):
    for value in [1, 1.0, [1, 2], [1.0], True, np.float64(2.0), np.array([1], np.int64), "s"]:
        print(tf.Variable(value).dtype)


def case_variable_trainable_flag(tf):
    a = tf.Variable(1.0)
    b = tf.Variable(1.0, trainable=False)
    print(a.trainable, b.trainable, [v.name for v in tf.trainable_variables()])


def case_variable_properties(tf):
    with tf.variable_scope("s"):
        v = tf.get_variable("v", [2, 3])
    print(v.name, v.op.name, v.shape, v.get_shape(), v.dtype, v.device == "")
    print(v.graph is tf.get_default_graph(), v.shape.as_list(), v.shape.ndims)
    print(v.initializer.name, v.initializer.type, v.value().name, v.read_value().name)


def case_variable_to_tensor_conversion(tf):
    v = tf.Variable([1.0, 2.0], name="v")
    t = tf.convert_to_tensor(v)
    print(t.dtype, t.get_shape())
    print((v + 1.0).name, (v * 2.0).dtype)


def case_assign_values(tf, show):
    v = tf.Variable([1.0, 2.0], name="v")
    a = tf.assign(v, [5.0, 6.0])
    b = v.assign_add([1.0, 1.0])
    c = v.assign_sub([0.5, 0.5])
    d = v.assign([0.0, 0.0])
    print(a.name, b.name, c.name, d.name, a.dtype)
    with tf.Session() as sess:
        sess.run(v.initializer)
        show(sess.run(a))
        show(sess.run(b))
        show(sess.run(c))
        show(sess.run(v))
        show(sess.run(d))


def case_assign_add_sub_functions(tf, show):
    v = tf.Variable(10, name="counter")
    inc = tf.assign_add(v, 3)
    dec = tf.assign_sub(v, 1)
    with tf.Session() as sess:
        sess.run(v.initializer)
        show(sess.run(inc), sess.run(dec), sess.run(v))


def case_assign_shape_mismatch(tf, expect_error):
    v = tf.Variable([1.0, 2.0])
    expect_error(lambda: v.assign([1.0, 2.0, 3.0]), message=False)


def case_assign_validate_shape_false(tf, show):
    v = tf.Variable([1.0, 2.0], validate_shape=False)
    a = tf.assign(v, [1.0, 2.0, 3.0], validate_shape=False)
    with tf.Session() as sess:
        sess.run(v.initializer)
        show(sess.run(a))


def case_initialized_value(tf, show):
    v = tf.Variable([1.0, 2.0], name="v")
    w = tf.Variable(v.initialized_value() * 2.0, name="w")
    with tf.Session() as sess:
        sess.run(v.initializer)
        sess.run(w.initializer)
        show(sess.run(w))


def case_initial_value_attribute(tf, show):
    v = tf.Variable([3.0, 4.0], name="v")
    print(v.initial_value.dtype, v.initial_value.get_shape())
    with tf.Session() as sess:
        show(sess.run(v.initial_value))


def case_variable_eval_in_session(tf, show):
    v = tf.Variable([1.5], name="v")
    with tf.Session() as sess:
        sess.run(v.initializer)
        show(v.eval())
        show(v.eval(session=sess))


def case_variable_load(tf, show):
    v = tf.Variable([1.0, 2.0])
    with tf.Session() as sess:
        sess.run(v.initializer)
        v.load([7.0, 8.0], sess)
        show(sess.run(v))


def case_variable_getitem(tf, show):
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0]], name="v")
    s = v[1]
    print(s.name, s.get_shape())
    with tf.Session() as sess:
        sess.run(v.initializer)
        show(sess.run(s), sess.run(v[:, 0]))


def case_variable_set_shape_not_available(tf):
    v = tf.Variable([1.0])
    print(v.get_shape().is_fully_defined())


def case_is_variable_initialized(tf, show):
    v = tf.Variable(1.0)
    check = tf.is_variable_initialized(v)
    with tf.Session() as sess:
        show(sess.run(check))
        sess.run(v.initializer)
        show(sess.run(check))


def case_report_uninitialized_variables(tf, show):
    a = tf.Variable(1.0, name="a")
    tf.Variable(1.0, name="b")
    report = tf.report_uninitialized_variables()
    with tf.Session() as sess:
        show(sess.run(report))
        sess.run(a.initializer)
        show(sess.run(report))


def case_variables_initializer_subset(tf, show):
    a = tf.Variable(1.0, name="a")
    b = tf.Variable(2.0, name="b")
    init = tf.variables_initializer([a])
    print(init.name, init.type)
    with tf.Session() as sess:
        sess.run(init)
        show(sess.run(a))
        show(sess.run(tf.is_variable_initialized(b)))


def case_global_and_local_initializer_names(tf):
    tf.Variable(1.0)
    print(tf.global_variables_initializer().name, tf.local_variables_initializer().name)
    print(tf.initializers.global_variables().name)


def case_variable_count_and_sizes(tf):
    tf.get_variable("a", [3, 4])
    tf.get_variable("b", [5])
    total = sum(int(np.prod(v.get_shape().as_list())) for v in tf.trainable_variables())
    print(total)


def case_variable_hash_and_eq_identity(tf):
    v = tf.Variable(1.0)
    d = {v: "x"}
    print(d[v], v in [v])


def case_ref_variable_dtype_repr(tf):
    v = tf.Variable(1, name="i")
    print(v.dtype, repr(v.dtype), v.dtype.base_dtype, v.dtype.is_integer)
    print(v.value().dtype)
