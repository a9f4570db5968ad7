"""§9: custom getters (arguments, chaining, replacement, return values) and variable creators."""


def _tagging_getter(tag, log):
    def getter(getter, name, *args, **kwargs):
        log.append(tag)
        return getter(name + "_" + tag, *args, **kwargs)

    return getter


def case_getter_kwargs(tf):
    seen = {}

    def getter(getter, *args, **kwargs):
        seen["args"] = args
        seen.update(kwargs)
        return getter(*args, **kwargs)

    with tf.variable_scope("s", custom_getter=getter):
        tf.get_variable("v", [2])
    print(seen["args"])
    print(sorted(k for k in seen if k != "args"))
    print(seen["name"], seen["shape"], seen["dtype"], seen["reuse"], seen["trainable"])
    print(seen["collections"], seen["use_resource"], seen["initializer"], seen["partitioner"])
    print(seen["validate_shape"], seen["regularizer"], seen["caching_device"])


def case_getter_constraint_only_if_accepted(tf):
    seen = []

    def no_constraint(getter, name, shape=None, dtype=None, initializer=None, **_unused):
        seen.append("constraint" in _unused)
        return getter(name, shape=shape, dtype=dtype, initializer=initializer)

    def explicit(getter, name, constraint=None, **kwargs):
        seen.append(constraint)
        return getter(name, constraint=constraint, **kwargs)

    tf.get_variable("a", [1], custom_getter=no_constraint)
    tf.get_variable("b", [1], custom_getter=explicit)
    print(seen)


def case_getter_reuse_value_passed(tf):
    seen = []

    def getter(getter, name, *args, **kwargs):
        seen.append(str(kwargs["reuse"]))
        return getter(name, *args, **kwargs)

    with tf.variable_scope("s", custom_getter=getter):
        tf.get_variable("v", [1])
    with tf.variable_scope("s", custom_getter=getter, reuse=True):
        tf.get_variable("v", [1])
    with tf.variable_scope("s", custom_getter=getter, reuse=tf.AUTO_REUSE):
        tf.get_variable("v", [1])
    print(seen)


def case_nested_getters_chain_innermost_first(tf):
    log = []
    with (
        tf.variable_scope("A", custom_getter=_tagging_getter("A", log)),
        tf.variable_scope("B", custom_getter=_tagging_getter("B", log)),
        tf.variable_scope("C"),
    ):
        v = tf.get_variable("v", [1])
    print(log, v.name)


def case_nested_getters_sum_prod(tf):
    def sum_getter(getter, name, *args, **kwargs):
        return getter(name + "/sum_i", *args, **kwargs) + getter(name + "/sum_j", *args, **kwargs)

    def prod_getter(getter, name, *args, **kwargs):
        return getter(name + "/prod_k", *args, **kwargs) * 2.0

    with (
        tf.variable_scope("p", custom_getter=prod_getter),
        tf.variable_scope("s", custom_getter=sum_getter),
    ):
        out = tf.get_variable("v", [1])
    print(out.name, sorted(v.name for v in tf.global_variables()))


def case_get_variable_getter_replaces_scope_getter(tf):
    log = []
    with tf.variable_scope("A", custom_getter=_tagging_getter("A", log)):
        v = tf.get_variable("v", [1], custom_getter=_tagging_getter("X", log))
    print(log, v.name)


def case_captured_reentry_getter_wraps_captured(tf):
    log = []
    with tf.variable_scope("A", custom_getter=_tagging_getter("A", log)) as a:
        pass
    with (
        tf.variable_scope("Z", custom_getter=_tagging_getter("Z", log)),
        tf.variable_scope(a, custom_getter=_tagging_getter("N", log)),
    ):
        v = tf.get_variable("v", [1])
    print(log, v.name)


def case_captured_reentry_keeps_captured_getter(tf):
    log = []
    with tf.variable_scope("A", custom_getter=_tagging_getter("A", log)) as a:
        pass
    with tf.variable_scope("Z", custom_getter=_tagging_getter("Z", log)), tf.variable_scope(a):
        v = tf.get_variable("v", [1])
    print(log, v.name)


def case_getter_returns_transformed_tensor(tf):
    def getter(getter, name, *args, **kwargs):
        return tf.identity(getter(name, *args, **kwargs), name="not_reused")

    with tf.variable_scope("s", custom_getter=getter):
        a = tf.get_variable("v", [1])
    print(a.name)


def case_getter_return_names_at_root_scope(tf):
    def getter(getter, name, *args, **kwargs):
        return tf.identity(getter(name, *args, **kwargs), name="reused")

    with tf.name_scope("ns"), tf.variable_scope("s", custom_getter=getter):
        a = tf.get_variable("v", [1])
    with tf.variable_scope("s", custom_getter=getter, reuse=True):
        b = tf.get_variable("v", [1])
    print(a.name, b.name)


def case_getter_sum_of_variables_value(tf, show):
    def getter(getter, name, *args, **kwargs):
        kwargs["initializer"] = tf.ones_initializer()
        return getter(name + "_a", *args, **kwargs) + getter(name + "_b", *args, **kwargs)

    with tf.variable_scope("custom_getter", custom_getter=getter):
        out = tf.get_variable("v", [2])
    print(out.name, [v.name for v in tf.global_variables()])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(sess.run(out))


def case_getter_called_on_reuse(tf):
    calls = []

    def getter(getter, *args, **kwargs):
        calls.append(kwargs["name"])
        return getter(*args, **kwargs)

    with tf.variable_scope("s", custom_getter=getter):
        v = tf.get_variable("v", [1])
    with tf.variable_scope("s", custom_getter=getter, reuse=True):
        w = tf.get_variable("v", [1])
    with tf.variable_scope("s", custom_getter=getter, reuse=True):
        x = tf.get_variable("v", [1])
    print(calls, v is w is x)


def case_getter_called_once_when_partitioned(tf):
    calls = []

    def getter(getter, name, *args, **kwargs):
        calls.append((name, kwargs["partitioner"] is not None))
        return getter(name, *args, **kwargs)

    v = tf.get_variable("p", [4, 1], partitioner=tf.fixed_size_partitioner(2), custom_getter=getter)
    print(calls, [s.name for s in v])


def case_getter_can_change_dtype_and_trainable(tf):
    def getter(getter, name, *args, **kwargs):
        kwargs["dtype"] = tf.float64
        kwargs["trainable"] = False
        return getter(name, *args, **kwargs)

    v = tf.get_variable("v", [1], custom_getter=getter)
    print(v.dtype, v.trainable, len(tf.trainable_variables()))


def case_getter_sees_scope_dtype_and_initializer(tf):
    seen = []

    def getter(getter, name, *args, **kwargs):
        seen.append((str(kwargs["dtype"]), kwargs["initializer"] is not None))
        return getter(name, *args, **kwargs)

    with tf.variable_scope(
        "s", custom_getter=getter, dtype=tf.float64, initializer=tf.zeros_initializer()
    ):
        tf.get_variable("v", [1])
    print(seen)


def case_set_custom_getter_wraps_nothing(tf):
    log = []
    with tf.variable_scope("A", custom_getter=_tagging_getter("A", log)) as a:
        a.set_custom_getter(_tagging_getter("S", log))
        v = tf.get_variable("v", [1])
    print(log, v.name)


def case_variable_creator_scope_tf_variable(tf):
    seen = []

    def creator(next_creator, **kwargs):
        seen.append(kwargs["name"])
        return next_creator(**kwargs)

    with tf.variable_creator_scope(creator):
        tf.Variable(1.0, name="tv")
        tf.get_variable("gv", [1])
    print(seen)


def case_variable_creator_kwargs(tf):
    seen = {}

    def creator(next_creator, **kwargs):
        seen.update(kwargs)
        return next_creator(**kwargs)

    with tf.variable_creator_scope(creator):
        tf.Variable(1.0, name="tv")
    documented = ["initial_value", "trainable", "collections", "validate_shape", "caching_device"]
    documented += ["name", "dtype", "constraint", "use_resource", "synchronization", "aggregation"]
    print([k for k in [*documented, "shape"] if k not in seen])
    print(seen["trainable"], seen["collections"], seen["validate_shape"], seen["dtype"])


def case_variable_creator_nesting_order(tf):
    log = []

    def make(tag):
        def creator(next_creator, **kwargs):
            log.append(tag)
            return next_creator(**kwargs)

        return creator

    with tf.variable_creator_scope(make("outer")), tf.variable_creator_scope(make("inner")):
        tf.Variable(1.0)
    print(log)


def case_variable_creator_can_rename(tf):
    def creator(next_creator, **kwargs):
        kwargs["name"] = "renamed"
        return next_creator(**kwargs)

    with tf.variable_creator_scope(creator):
        v = tf.Variable(1.0, name="orig")
    print(v.name)


def case_variable_creator_nesting_error(tf, expect_error):
    def creator(next_creator, **kwargs):
        return next_creator(**kwargs)

    outer = tf.variable_creator_scope(creator)
    inner = tf.variable_creator_scope(creator)
    outer.__enter__()
    inner.__enter__()
    expect_error(lambda: outer.__exit__(None, None, None), message=False)
