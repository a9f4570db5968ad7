"""§3.4–3.6: auxiliary_name_scope=False, defaults carried by scopes, the VariableScope API."""


def _init_value(tf, show, v):
    with tf.Session() as sess:
        sess.run(v.initializer)
        show(sess.run(v))


def case_aux_false_at_root(tf):
    with tf.variable_scope("scope", auxiliary_name_scope=False) as s:
        print(repr(s.name), repr(s.original_name_scope))
        print(tf.constant(1, name="c").name, tf.get_variable("w", [1]).name)
    with tf.name_scope("scope") as ns:
        print(ns)


def case_aux_false_nested(tf):
    with tf.variable_scope("outer"), tf.variable_scope("inner", auxiliary_name_scope=False) as s:
        print(repr(s.name), repr(s.original_name_scope))
        print(tf.constant(1, name="c").name, tf.get_variable("w", [1]).name)


def case_aux_false_default_name(tf):
    with tf.variable_scope(None, default_name="default", auxiliary_name_scope=False) as s:
        print(repr(s.name), repr(s.original_name_scope))
        print(tf.constant(1, name="c").name, tf.get_variable("w", [1]).name)


def case_aux_false_captured(tf):
    with tf.variable_scope("q") as q:
        pass
    with tf.variable_scope("elsewhere"), tf.variable_scope(q, auxiliary_name_scope=False) as s:
        print(repr(s.name), repr(s.original_name_scope))
        print(tf.constant(1, name="c").name)


def case_aux_false_reenter_root(tf):
    root = tf.get_variable_scope()
    with tf.name_scope("ns"), tf.variable_scope(root, auxiliary_name_scope=False) as s:
        print(repr(s.name), repr(s.original_name_scope), tf.constant(1, name="c").name)


def case_aux_false_reentry_idiom(tf):
    with tf.variable_scope("foo") as vs:
        pass
    with (
        tf.variable_scope(vs, auxiliary_name_scope=False) as vs1,
        tf.name_scope(vs1.original_name_scope),
    ):
        print(tf.constant(1, name="c").name, tf.get_variable("v", [1]).name)


def case_aux_false_not_inherited(tf):
    with tf.variable_scope("a", auxiliary_name_scope=False), tf.variable_scope("b") as s:
        print(repr(s.name), repr(s.original_name_scope), tf.constant(1, name="c").name)


def case_initializer_inherited(tf, show):
    with (
        tf.variable_scope("a", initializer=tf.constant_initializer(3.0)),
        tf.variable_scope("b") as b,
    ):
        v = tf.get_variable("v", [2])
        print(b.initializer is not None)
    _init_value(tf, show, v)


def case_initializer_from_captured(tf, show):
    with tf.variable_scope("a", initializer=tf.constant_initializer(5.0)) as a:
        pass
    with (
        tf.variable_scope("other", initializer=tf.constant_initializer(1.0)),
        tf.variable_scope(a),
    ):
        v = tf.get_variable("v", [1])
    _init_value(tf, show, v)


def case_initializer_argument_overrides_scope(tf, show):
    with tf.variable_scope("a", initializer=tf.constant_initializer(5.0)):
        v = tf.get_variable("v", [1], initializer=tf.ones_initializer())
    _init_value(tf, show, v)


def case_dtype_inherited(tf):
    with tf.variable_scope("a", dtype=tf.float64), tf.variable_scope("b") as b:
        print(b.dtype, tf.get_variable("v", [1]).dtype)


def case_dtype_from_captured(tf):
    with tf.variable_scope("a", dtype=tf.float16) as a:
        pass
    with tf.variable_scope("o", dtype=tf.float64), tf.variable_scope(a) as s:
        print(s.dtype, tf.get_variable("v", [1]).dtype)


def case_dtype_argument_overrides_scope(tf):
    with tf.variable_scope("a", dtype=tf.float64):
        print(tf.get_variable("v", [1], dtype=tf.int32).dtype)


def case_regularizer_inherited(tf):
    def reg(v):
        return tf.reduce_sum(v)

    with tf.variable_scope("a", regularizer=reg), tf.variable_scope("b") as b:
        print(b.regularizer is reg)
        tf.get_variable("v", [1])
    print(len(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)))


def case_caching_device_inherited(tf):
    with tf.variable_scope("a", caching_device="/cpu:0"), tf.variable_scope("b") as b:
        print(b.caching_device)


def case_partitioner_inherited(tf):
    part = tf.fixed_size_partitioner(2)
    with tf.variable_scope("a", partitioner=part), tf.variable_scope("b") as b:
        print(b.partitioner is part)


def case_partitioner_from_captured(tf):
    part = tf.fixed_size_partitioner(2)
    with tf.variable_scope("a", partitioner=part) as a:
        pass
    with tf.variable_scope(a) as s:
        print(s.partitioner is part)
        v = tf.get_variable("v", [4, 1])
    print(len(list(v)), [p.name for p in v])


def case_use_resource_inherited(tf):
    with tf.variable_scope("a", use_resource=True), tf.variable_scope("b") as b:
        print(b.use_resource)
        v = tf.get_variable("v", [1])
    print(v)


def case_use_resource_false_scope(tf):
    with tf.variable_scope("a", use_resource=False) as a:
        print(a.use_resource)
        print(tf.get_variable("v", [1]))


def case_constraint_not_inherited(tf):
    def con(x):
        return x

    with tf.variable_scope("a", constraint=con) as a:
        print(a.constraint is con)
        v = tf.get_variable("v", [1])
        print(v.constraint is con)
        with tf.variable_scope("b") as b:
            print(b.constraint)
            print(tf.get_variable("w", [1]).constraint)
    with tf.variable_scope(a) as again:
        print(again.constraint)


def case_constraint_override_on_captured(tf):
    def con(x):
        return x

    with tf.variable_scope("a") as a:
        pass
    with tf.variable_scope(a, constraint=con) as s:
        print(s.constraint is con)


def case_set_methods_affect_object_and_children(tf):
    with tf.variable_scope("a") as a:
        a.set_initializer(tf.ones_initializer())
        a.set_dtype(tf.float64)
        a.set_regularizer(tf.nn.l2_loss)
        a.set_caching_device("/cpu:0")
        a.set_use_resource(False)
        with tf.variable_scope("child") as child:
            print(child.dtype, child.caching_device, child.use_resource)
            print(child.regularizer is tf.nn.l2_loss)
            print(tf.get_variable("v", [1]).dtype)
    with tf.variable_scope("a") as reopened:
        print(reopened.dtype, reopened.caching_device, reopened.initializer)
    with tf.variable_scope(a) as captured:
        print(captured.dtype, captured.caching_device)


def case_set_partitioner_and_custom_getter(tf):
    calls = []

    def getter(getter, name, *args, **kwargs):
        calls.append(name)
        return getter(name, *args, **kwargs)

    with tf.variable_scope("a") as a:
        a.set_custom_getter(getter)
        a.set_partitioner(tf.fixed_size_partitioner(2))
        v = tf.get_variable("v", [4])
    print(calls, [p.name for p in v])


def case_no_set_constraint(tf):
    print(hasattr(tf.get_variable_scope(), "set_constraint"))


def case_no_regularizer_turns_off(tf):
    with tf.variable_scope("a", regularizer=tf.nn.l2_loss):
        tf.get_variable("v", [1])
        tf.get_variable("w", [1], regularizer=tf.no_regularizer)
        with tf.variable_scope("b", regularizer=tf.no_regularizer):
            tf.get_variable("x", [1])
    print(len(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)))
    print(tf.no_regularizer(None))


def case_scope_properties_list(tf):
    def con(x):
        return x

    with tf.variable_scope(
        "s",
        initializer=tf.zeros_initializer(),
        caching_device="/cpu:0",
        dtype=tf.float16,
        use_resource=False,
        constraint=con,
        reuse=tf.AUTO_REUSE,
    ) as s:
        print(s.name, s.original_name_scope, s.reuse, s.dtype, s.use_resource)
        print(s.caching_device, s.constraint is con, s.custom_getter, s.partitioner)


def case_get_collection_methods(tf):
    with tf.variable_scope("a") as a:
        tf.get_variable("x", [1])
        tf.get_variable("nt", [1], trainable=False)
        tf.get_local_variable("loc", [1])
    with tf.variable_scope("ab"):
        tf.get_variable("x", [1])
    print([v.name for v in a.global_variables()])
    print([v.name for v in a.trainable_variables()])
    print([v.name for v in a.local_variables()])
    print([v.name for v in a.get_collection(tf.GraphKeys.GLOBAL_VARIABLES)])


def case_get_collection_at_root(tf):
    with tf.variable_scope("a"):
        tf.get_variable("x", [1])
    tf.get_variable("y", [1])
    print([v.name for v in tf.get_variable_scope().trainable_variables()])


def case_get_collection_regex_scope(tf):
    with tf.variable_scope("a.b") as dotted:
        tf.get_variable("x", [1])
    with tf.variable_scope("aXb"):
        tf.get_variable("x", [1])
    print([v.name for v in dotted.trainable_variables()])


def case_variable_scope_constructor(tf):
    vs = tf.VariableScope(False, name="hand")
    print(repr(vs.name), repr(vs.original_name_scope), vs.reuse, vs.dtype)
    vs2 = tf.VariableScope(True, name="x", name_scope="x/", dtype=tf.float64)
    print(vs2.reuse, vs2.original_name_scope, vs2.dtype)


def case_hand_built_scope_entered(tf):
    vs = tf.VariableScope(False, name="hand")
    with tf.variable_scope(vs) as s:
        print(repr(s.name), repr(s.original_name_scope), tf.constant(1, name="c").name)
        print(tf.get_variable("v", [1]).name)
