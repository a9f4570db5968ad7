"""§2.1–2.3: the case-insensitive uniquifier, name_scope and output names."""


def _scopes(tf, names):
    out = []
    for name in names:
        with tf.name_scope(name) as scope:
            out.append(scope)
    print(out)


def case_uniquifier_sequence_case_insensitive(tf):
    _scopes(tf, ["foo", "foo", "foo", "Foo", "FOO_1"])


def case_uniquifier_skips_existing_op_name(tf):
    tf.constant(0, name="foo_1")
    _scopes(tf, ["foo", "foo", "foo"])


def case_uniquifier_nested_full_path(tf):
    with tf.name_scope("a"), tf.name_scope("b") as s:
        print(s)
    with tf.name_scope("a"):
        with tf.name_scope("b") as s:
            print(s)
        with tf.name_scope("b") as s:
            print(s)
    with tf.name_scope("a/b") as s:
        print(s)


def case_constants_same_name(tf):
    print([tf.constant(1, name="c").name for _ in range(3)])


def case_constants_default_names(tf):
    print([tf.constant(1).name for _ in range(3)])


def case_constant_name_case_insensitive(tf):
    print(tf.constant(1, name="abc").name, tf.constant(1, name="ABC").name)
    print(tf.constant(1, name="Abc_1").name)


def case_op_name_then_scope_of_same_name(tf):
    tf.constant(1, name="x")
    with tf.name_scope("x") as s:
        print(s)
        print(tf.constant(1, name="c").name)


def case_scope_then_op_of_same_name(tf):
    with tf.name_scope("x"):
        pass
    print(tf.constant(1, name="x").name)


def case_empty_scope_marks_name_used(tf):
    with tf.name_scope("conv1"):
        pass
    with tf.name_scope("conv1") as s:
        print(s)


def case_name_scope_none_resets_to_root(tf):
    with tf.name_scope("outer"):
        with tf.name_scope(None) as s:
            print(repr(s))
            print(tf.constant(1, name="c").name)
        print(tf.constant(1, name="c").name)


def case_name_scope_empty_string_resets_to_root(tf):
    with tf.name_scope("outer"), tf.name_scope("") as s:
        print(repr(s))
        print(tf.constant(1, name="c").name)


def case_absolute_reentry_trailing_slash(tf):
    with tf.name_scope("x") as captured:
        print(tf.constant(1, name="c").name)
    with tf.name_scope(captured) as s:
        print(s, tf.constant(1, name="c").name)
    with tf.name_scope("x/") as s:
        print(s, tf.constant(1, name="d").name)
    with tf.name_scope("x") as s:
        print(s)


def case_absolute_reentry_from_inside_other_scope(tf):
    with tf.name_scope("y"), tf.name_scope("x/") as s:
        print(s, tf.constant(1, name="c").name)


def case_absolute_reentry_not_marked_used(tf):
    with tf.name_scope("never/") as s:
        print(s)
    with tf.name_scope("never") as s:
        print(s)


def case_nested_name_scope_names(tf):
    with tf.name_scope("a") as a, tf.name_scope("b") as b, tf.name_scope("c") as c:
        print(a, b, c)
        print(tf.constant(1).name)


def case_invalid_root_name_underscore(tf, expect_error):
    def enter():
        with tf.name_scope("_"):
            pass

    expect_error(enter)


def case_invalid_root_name_space(tf, expect_error):
    def enter():
        with tf.name_scope("a b"):
            pass

    expect_error(enter)


def case_invalid_nested_name_space(tf, expect_error):
    def enter():
        with tf.name_scope("ok"), tf.name_scope("a b"):
            pass

    expect_error(enter)


def case_leading_underscore_allowed_when_nested(tf):
    with tf.name_scope("ok"), tf.name_scope("_x") as s:
        print(s)


def case_valid_special_characters(tf):
    for name in ["a.b", "a-b", "a>b", ".x", "9z", "a_b"]:
        with tf.name_scope(name) as s:
            print(s)


def case_invalid_root_name_dash_start(tf, expect_error):
    def enter():
        with tf.name_scope("-x"):
            pass

    expect_error(enter)


def case_name_scope_default_name(tf):
    with tf.name_scope(None, "Default", []) as s:
        print(s)
    with tf.name_scope(None, "Default", []) as s:
        print(s)
    with tf.name_scope("given", "Default", []) as s:
        print(s)


def case_name_scope_no_name_no_default_with_values(tf, expect_error):
    def enter():
        with tf.name_scope(None, None, [tf.constant(1)]):
            pass

    expect_error(enter)


def case_name_scope_values_select_graph(tf):
    c = tf.constant(1)
    with tf.name_scope("s", values=[c]) as s:
        print(s, tf.constant(2).name)


def case_ops_inside_name_scope(tf):
    with tf.name_scope("block"):
        a = tf.constant(1.0)
        b = tf.constant(2.0)
        print(a.name, b.name, (a + b).name, (a * b).name, tf.nn.relu(a).name)
        print(a.op.name, (a + b).op.name)


def case_op_name_kwarg_inside_scope(tf):
    with tf.name_scope("s"):
        print(tf.add(1.0, 2.0, name="total").name)
        print(tf.add(1.0, 2.0, name="total").name)


def case_variable_and_op_names(tf):
    with tf.variable_scope("foo"):
        v = tf.get_variable("v", [1])
    print(v.name, v.op.name)
    print(repr(v.name))


def case_variable_repr_and_str(tf):
    with tf.name_scope("nsc1"):
        v1 = tf.Variable([1], name="v1")
    v2 = tf.get_variable("s", [], dtype=tf.float64)
    v3 = tf.get_variable("m", [5, 5, 32, 32])
    print(repr(v1))
    print(str(v1))
    print(v2)
    print(v3)


def case_variable_repr_unknown_shape(tf):
    p = tf.placeholder(tf.float32)
    v = tf.Variable(p, validate_shape=False)
    print(v)


def case_get_unique_name_graph_api(tf):
    g = tf.get_default_graph()
    print(g.unique_name("foo"), g.unique_name("foo"), g.unique_name("FOO"))
    print(g.unique_name("bar", mark_as_used=False), g.unique_name("bar"))


def case_get_name_scope(tf):
    g = tf.get_default_graph()
    print(repr(g.get_name_scope()))
    with tf.name_scope("a"), tf.name_scope("b"):
        print(repr(g.get_name_scope()))
