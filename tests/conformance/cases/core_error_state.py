"""State after errors: stacks, uniquifier counters and the store are what TF leaves (issue 13).

Each case makes something fail inside the scope machinery, catches it, and prints the names that
later ops, variables and scopes get, which shows the name stack, the variable-scope stack, the
``default_name`` counters and the variable store as the failure left them.
"""


def _state(tf):
    g = tf.get_default_graph()
    print("state", repr(g.get_name_scope()), repr(tf.get_variable_scope().name))


def case_get_variable_bad_root_name_inside_name_scope(tf, expect_error):
    with tf.name_scope("foo"):
        print(tf.Variable(1.0).name)
        expect_error(lambda: tf.get_variable("_bad", [1]))
        _state(tf)
        print(tf.Variable(1.0).name, tf.constant(1.0).name)
        expect_error(lambda: tf.get_local_variable("_bad2", [1]))
        print(tf.Variable(1.0).name)
    _state(tf)


def case_get_variable_bad_root_name_nested(tf, expect_error):
    with tf.name_scope("a"), tf.name_scope("b"):
        expect_error(lambda: tf.get_variable("_v", [1], initializer=tf.zeros_initializer()))
        _state(tf)
        print(tf.constant(0.0).name)
    with tf.variable_scope("s"), tf.name_scope("n"):
        print(tf.get_variable("_v", [1]).name)  # nested under "s": a valid name
        print(tf.constant(0.0).name)


def case_invalid_name_scope_leaves_stack(tf, expect_error):
    def enter(name):
        with tf.name_scope(name):
            pass

    expect_error(lambda: enter("_x"))
    _state(tf)
    with tf.name_scope("outer"):
        expect_error(lambda: enter("a b"))
        _state(tf)
        print(tf.constant(1.0).name)
    print(tf.constant(1.0).name)


def case_invalid_variable_scope_names(tf, expect_error):
    def enter(*args, **kwargs):
        with tf.variable_scope(*args, **kwargs):
            pass

    expect_error(lambda: enter("_s"))
    expect_error(lambda: enter("_s", initializer=tf.zeros_initializer()))
    expect_error(lambda: enter(None, default_name="_d"))
    _state(tf)
    with tf.variable_scope("ok") as vs:
        expect_error(lambda: enter("a b"))
        _state(tf)
        print(vs.name, tf.get_variable("v", [1]).name)
    with tf.variable_scope(None, default_name="d") as d:
        print(d.name, d.original_name_scope)


def case_error_in_body_restores_scopes(tf, expect_error):
    class Boom(Exception):
        pass

    def body(cm):
        with cm:
            tf.constant(1.0, name="c")
            raise Boom

    for cm in (
        lambda: tf.name_scope("n"),
        lambda: tf.variable_scope("v"),
        lambda: tf.variable_scope(None, default_name="d"),
        lambda: tf.variable_scope("x", auxiliary_name_scope=False),
        lambda: tf.variable_scope("i", initializer=tf.ones_initializer()),
    ):
        expect_error(lambda cm=cm: body(cm()), message=False)
        _state(tf)
    with tf.variable_scope(None, default_name="d") as d:
        print(d.name, d.original_name_scope)
    print(tf.constant(1.0, name="c").name)


def case_error_in_reentered_captured_scope(tf, expect_error):
    with tf.variable_scope("cap") as cap, tf.variable_scope(None, default_name="d") as d:
        print(d.name)

    def body():
        with tf.variable_scope(cap), tf.variable_scope(None, default_name="d") as d2:
            print(d2.name)
            tf.get_variable("v", [1])
            tf.get_variable("v", [1])  # already exists

    expect_error(body)
    _state(tf)
    with tf.variable_scope(cap), tf.variable_scope(None, default_name="d") as d3:
        print(d3.name, d3.original_name_scope)


def case_failed_variable_initial_value_consumes_names(tf, expect_error):
    def bad():
        raise ZeroDivisionError("initial value")

    with tf.name_scope("s"):
        expect_error(lambda: tf.Variable(bad))
        expect_error(lambda: tf.Variable(bad, name="w"))
        expect_error(lambda: tf.Variable(None))
        print(tf.Variable(1.0).name, tf.Variable(1.0, name="w").name)
    print([v.name for v in tf.global_variables()])


def case_failed_get_variable_initializer(tf, expect_error):
    def bad(shape, dtype=None, partition_info=None):
        raise ZeroDivisionError("initializer")

    with tf.variable_scope("s"):
        expect_error(lambda: tf.get_variable("v", [2], initializer=bad))
        _state(tf)
        print(tf.get_variable("v", [2]).name)
    print([v.name for v in tf.global_variables()])


def case_failed_regularizer_keeps_variable(tf, expect_error):
    def bad(v):
        raise ZeroDivisionError("regularizer")

    with tf.variable_scope("s"):
        expect_error(lambda: tf.get_variable("r", [2], regularizer=bad))
        _state(tf)
        print([v.name for v in tf.global_variables()])
        print(len(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)))
        expect_error(lambda: tf.get_variable("r", [2]))
    with tf.variable_scope("s", reuse=True):
        print(tf.get_variable("r", [2]).name)


def case_failed_shard_keeps_earlier_shards(tf, expect_error):
    calls = []

    def init(shape, dtype=None, partition_info=None):
        calls.append(shape)
        if len(calls) == 2:
            raise RuntimeError("second shard fails")
        return tf.zeros(shape, dtype)

    part = tf.fixed_size_partitioner(2)
    expect_error(lambda: tf.get_variable("p", [4, 2], initializer=init, partitioner=part))
    print([v.name for v in tf.global_variables()])
    expect_error(lambda: tf.get_variable("p", [4, 2], partitioner=part))
    with tf.variable_scope("q", reuse=tf.AUTO_REUSE):
        calls.clear()
        expect_error(lambda: tf.get_variable("p", [4, 2], initializer=init, partitioner=part))
        expect_error(lambda: tf.get_variable("p", [4, 2], partitioner=part))
    _state(tf)


def case_failed_custom_getter_and_partitioner(tf, expect_error):
    def bad_getter(getter, name, *args, **kwargs):
        raise ZeroDivisionError("getter")

    def bad_partitioner(shape, dtype):
        raise ZeroDivisionError("partitioner")

    with tf.name_scope("n"):
        with tf.variable_scope("g", custom_getter=bad_getter):
            expect_error(lambda: tf.get_variable("v", [1]))
            _state(tf)
        with tf.variable_scope("p", partitioner=bad_partitioner):
            expect_error(lambda: tf.get_variable("v", [4]))
            _state(tf)
        print(tf.Variable(0.0).name)
    print([v.name for v in tf.global_variables()])


def case_reuse_errors_keep_scopes(tf, expect_error):
    with tf.name_scope("n"):
        with tf.variable_scope("s"):
            tf.get_variable("v", [2])
        with tf.variable_scope("s", reuse=True) as s:
            expect_error(lambda: tf.get_variable("missing", [1]))
            expect_error(lambda: tf.get_variable("v", [3]))
            expect_error(lambda: tf.get_variable("v", [2], dtype=tf.int32))
            _state(tf)
            print(s.original_name_scope, tf.constant(0.0).name)
        print(tf.constant(0.0).name)


def case_template_failure_then_retry(tf, expect_error):
    state = {"fail": True}

    def fn():
        v = tf.get_variable("v", [1])
        if state["fail"]:
            raise ZeroDivisionError("template body")
        return v

    t = tf.make_template("tmpl", fn)
    expect_error(t)
    _state(tf)
    state["fail"] = False
    expect_error(lambda: print(t().name))
    print([v.name for v in tf.global_variables()])


def case_initializer_dtype_mismatch_keeps_name_scope(tf, expect_error):
    with tf.name_scope("n"):
        expect_error(lambda: tf.get_variable("v", initializer=1, dtype=tf.float32))
        _state(tf)
        print(tf.constant(0.0).name)


# --- float initializers on empty variables (issue 13, item 3) -----------------------------------


def case_float_initializer_empty_int_variable(tf, show):
    with tf.variable_scope("s", initializer=tf.constant_initializer(0.5)):
        vs = [
            tf.get_variable("i32", [0, 3], dtype=tf.int32),
            tf.get_variable("i64", [3, 0], dtype=tf.int64),
            tf.get_variable("u8", [0], dtype=tf.uint8),
            tf.get_variable("b", [2, 0], dtype=tf.bool),
        ]
    with tf.variable_scope("l", initializer=tf.constant_initializer([0.5, 1.5])):
        vs.append(tf.get_variable("i32", [0, 2], dtype=tf.int32))
    for v in vs:
        print(v.name, v.shape, v.dtype.name)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(*sess.run(vs))


def case_float_initializer_nonempty_int_variable_fails(tf, expect_error):
    with tf.variable_scope("s", initializer=tf.constant_initializer(0.5)):
        expect_error(lambda: tf.get_variable("i32", [2], dtype=tf.int32))
        expect_error(lambda: tf.get_variable("b", [1], dtype=tf.bool))
        expect_error(lambda: tf.get_variable("str", [0], dtype=tf.string))
        print(tf.get_variable("f", [0], dtype=tf.float16).name)


def case_constant_with_empty_shape(tf, expect_error, show):
    cs = [
        tf.constant(0.5, dtype=tf.int32, shape=[0]),
        tf.constant([0.5, 1.5, 2.5], dtype=tf.int32, shape=[0], verify_shape=True),
        tf.constant("x", dtype=tf.int32, shape=[2, 0]),
        tf.constant([1, 2, 3], shape=[0]),
        tf.constant(["a"], shape=[0]),
        tf.constant(1.5, dtype=tf.bool, shape=[2, 0]),
        tf.constant(1.5, dtype=tf.complex64, shape=[0, 1]),
        tf.constant(["a", "b"], dtype=tf.string, shape=[0]),
    ]
    for c in cs:
        print(c.name, c.dtype.name, c.shape)
    expect_error(lambda: tf.constant(None, dtype=tf.int32, shape=[0]))
    expect_error(lambda: tf.constant(1, dtype=tf.string, shape=[0, 3]))
    with tf.Session() as sess:
        show(*sess.run(cs[:7]))


def case_ones_and_zeros_of_strings(tf, expect_error):
    print(tf.zeros([0, 3], tf.string).name, tf.zeros([2], tf.string).name)
    expect_error(lambda: tf.ones([0, 3], tf.string))
    expect_error(lambda: tf.ones([2, 2], tf.string))
    print(tf.ones([1]).name)


def case_random_initializers_reject_dtypes(tf, expect_error):
    for init in (
        tf.random_uniform_initializer(),
        tf.glorot_uniform_initializer(),
        tf.uniform_unit_scaling_initializer(),
    ):
        for dtype in (tf.bool, tf.uint8, tf.string):
            expect_error(lambda init=init, dtype=dtype: init([0, 3], dtype=dtype))


def case_orthogonal_float16(tf, show):
    init = tf.orthogonal_initializer(seed=1)
    a = tf.get_variable("a", [0, 3], dtype=tf.float16, initializer=init)
    b = tf.get_variable("b", [3, 0], dtype=tf.float16, initializer=init)
    print(a.name, a.shape, b.name, b.shape)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(*sess.run([a, b]))


# --- _PartitionInfo (issue 13, item 3) ----------------------------------------------------------


def case_partition_info_single_slice_dim(tf, expect_error):
    seen = []

    def init(shape, dtype=None, partition_info=None):
        seen.append(partition_info)
        return tf.zeros(shape, dtype)

    tf.get_variable("p", [5, 4], initializer=init, partitioner=tf.fixed_size_partitioner(2))
    for info in seen:
        print(info.full_shape, info.var_offset)
        print(info.single_slice_dim([3, 4]) if info.var_offset[0] == 0 else "-")
        print(info.single_offset([2, 4]))
        expect_error(lambda info=info: info.single_slice_dim([6, 4]))
        expect_error(lambda info=info: info.single_slice_dim([4, 5]))
        expect_error(lambda info=info: info.single_slice_dim([1, 1]))
        expect_error(lambda info=info: info.single_slice_dim([5]))
        expect_error(lambda info=info: info.single_slice_dim(5))
        expect_error(lambda info=info: info.single_offset([9, 4]))
    print(seen[0].single_slice_dim([5, 4]))


def case_partitioned_variable_with_empty_dimension(tf, expect_error):
    part = tf.fixed_size_partitioner(2)
    expect_error(lambda: tf.get_variable("e", [0, 4], partitioner=part))
    expect_error(lambda: tf.get_variable("f", [4, 0], partitioner=tf.fixed_size_partitioner(2, 1)))
    print([v.name for v in tf.global_variables()])
