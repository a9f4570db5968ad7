"""§2.4–2.6: get_variable display names vs store keys, tf.Variable naming, edge-case names."""


def case_get_variable_ignores_name_scope(tf):
    with tf.name_scope("ns"), tf.variable_scope("vs"):
        v = tf.get_variable("gv", [1])
        tv = tf.Variable(1.0, name="tv")
    print(v.name, tv.name)


def case_get_variable_at_root(tf):
    print(tf.get_variable("v", [1]).name)


def case_get_variable_inside_name_scope_only(tf):
    with tf.name_scope("ns"):
        print(tf.get_variable("v", [1]).name)


def case_seed003_name_and_variable_scope(tf):
    with tf.name_scope("nsc1"):
        v1 = tf.Variable([1], name="v1")
        with tf.variable_scope("vsc1"):
            v2 = tf.Variable([1], name="v2")
            v3 = tf.get_variable(name="v3", shape=[])
    with tf.name_scope("nsc1"):
        v4 = tf.Variable([1], name="v4")
    for v in (v1, v2, v3, v4):
        print(v.name)


def case_display_name_after_constant(tf):
    tf.constant(0, name="v")
    v = tf.get_variable("v", [1])
    print(v.name, v.op.name)
    with tf.variable_scope(tf.get_variable_scope(), reuse=True):
        again = tf.get_variable("v", [1])
    print(again is v, again.name)


def case_display_name_after_tf_variable_in_name_scope(tf):
    with tf.name_scope("foo"):
        tf.Variable(1.0, name="v")
    with tf.variable_scope("foo"):
        v = tf.get_variable("v", [1])
    print(v.name)


def case_store_key_case_sensitive(tf, expect_error):
    big = tf.get_variable("V", [1])
    small = tf.get_variable("v", [1])
    print(big.name, small.name, big is small)
    tf.get_variable("Abc", [1])

    def reuse_lower():
        with tf.variable_scope(tf.get_variable_scope(), reuse=True):
            tf.get_variable("abc", [1])

    expect_error(reuse_lower)


def case_display_name_suffix_after_name_scope(tf):
    with tf.name_scope("w"):
        pass
    v = tf.get_variable("w", [1])
    print(v.name)


def case_variable_side_ops(tf):
    with tf.variable_scope("foo"):
        v = tf.get_variable("v", [1])
    print(v.initializer.name, v.value().name, v.op.type)
    print(v.initial_value.name.startswith("foo/v/Initializer/"))


def case_tf_variable_default_names(tf):
    print([tf.Variable(1.0).name for _ in range(3)])


def case_tf_variable_inside_variable_scope(tf):
    with tf.variable_scope("vs"):
        a = tf.Variable(1.0, name="x")
        b = tf.Variable(1.0, name="x")
        c = tf.Variable(1.0)
    print(a.name, b.name, c.name)


def case_tf_variable_uses_name_scope_on_reopen(tf):
    with tf.variable_scope("s"):
        tf.Variable(1.0, name="y")
    with tf.variable_scope("s"):
        y = tf.Variable(1.0, name="y")
        z = tf.get_variable("z", [1])
    print(y.name, z.name)


def case_tf_variable_factory_twice(tf):
    def make():
        return [
            tf.Variable(tf.zeros([2]), name="conv1_weights"),
            tf.Variable(tf.zeros([2]), name="conv1_biases"),
        ]

    print([v.name for v in make() + make()])


def case_tf_variable_not_in_store(tf, expect_error):
    with tf.variable_scope("s"):
        tf.Variable(1.0, name="a")

    def fetch():
        with tf.variable_scope("s", reuse=True):
            tf.get_variable("a", [])

    expect_error(fetch)
    with tf.variable_scope("s"):
        print(tf.get_variable("a", []).name)


def case_tf_variable_ignores_reuse(tf):
    with tf.variable_scope("r", reuse=True):
        a = tf.Variable(1.0, name="a")
        b = tf.Variable(1.0, name="a")
    print(a.name, b.name, a is b)


def case_tf_variable_ignores_scope_initializer(tf, show):
    with tf.variable_scope("s", initializer=tf.constant_initializer(7.0)):
        v = tf.Variable(1.0, name="v")
        g = tf.get_variable("g", [])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(sess.run([v, g]))


def case_tf_variable_class_name(tf):
    v = tf.Variable(1.0)
    g = tf.get_variable("g", [])
    print(isinstance(v, tf.Variable), isinstance(g, tf.Variable))


def case_edge_variable_scope_with_slash(tf):
    with tf.variable_scope("a/b") as s:
        print(s.name, s.original_name_scope)
        print(tf.get_variable("v", [1]).name)


def case_edge_get_variable_with_slash(tf):
    print(tf.get_variable("x/y", [1]).name)


def case_edge_empty_variable_scope_nested(tf):
    with tf.variable_scope("p"), tf.variable_scope("") as s:
        print(repr(s.name), repr(s.original_name_scope))
        print(tf.get_variable("v", [1]).name)
        print(tf.constant(1, name="c").name)


def case_edge_empty_variable_scope_root(tf):
    root = tf.get_variable_scope()
    with tf.variable_scope("") as s:
        print(repr(s.name), repr(s.original_name_scope), s is root)
        print(tf.constant(1, name="c").name)
        print(tf.get_variable("v", [1]).name)


def case_edge_variable_scope_trailing_slash_nested(tf):
    tf.constant(1, name="foo/c")
    with tf.variable_scope("bar"), tf.variable_scope("foo/") as s:
        print(repr(s.name), repr(s.original_name_scope))
        print(tf.constant(1, name="c").name)
        print(tf.get_variable("v", [1]).name)


def case_edge_get_variable_leading_underscore(tf, expect_error):
    expect_error(lambda: tf.get_variable("_x", [1]))
    with tf.variable_scope("ok2"):
        print(tf.get_variable("_x", [1]).name)


def case_edge_get_variable_invalid_char(tf, expect_error):
    expect_error(lambda: tf.get_variable("a b", [1]))
