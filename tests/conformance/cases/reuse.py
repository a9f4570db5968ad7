"""§4: reuse values, the inheritance matrix, reuse_variables() and reuse's effect in the store."""

ARGS = ["None", "False", "True", "AUTO_REUSE"]


def _val(tf, text):
    return {"None": None, "False": False, "True": True, "AUTO_REUSE": tf.AUTO_REUSE}[text]


def _parent(tf, text):
    return tf.variable_scope("p", reuse=_val(tf, text))


def case_auto_reuse_repr_and_truthiness(tf):
    print(repr(tf.AUTO_REUSE), bool(tf.AUTO_REUSE))
    print(str(tf.AUTO_REUSE))


def case_string_child_matrix(tf):
    for parent in ["None", "True", "AUTO_REUSE"]:
        row = []
        for child in ARGS:
            with _parent(tf, parent), tf.variable_scope("c", reuse=_val(tf, child)) as c:
                row.append(str(c.reuse))
        print(parent, row)


def case_captured_child_matrix(tf):
    captured = {}
    for text in ["None", "True", "AUTO_REUSE"]:
        with tf.variable_scope("cap_" + text, reuse=_val(tf, text)) as s:
            captured[text] = s
    for parent in ["None", "True", "AUTO_REUSE"]:
        for cap in ["None", "True", "AUTO_REUSE"]:
            row = []
            for child in ARGS:
                with (
                    _parent(tf, parent),
                    tf.variable_scope(captured[cap], reuse=_val(tf, child)) as c,
                ):
                    row.append(str(c.reuse))
            print(parent, cap, row)


def case_default_name_child_inherits_reuse(tf):
    for parent in ["None", "True", "AUTO_REUSE"]:
        with _parent(tf, parent), tf.variable_scope(None, default_name="d") as d:
            print(parent, d.name, d.reuse)


def case_default_name_under_reuse_reuses(tf):
    with tf.variable_scope("net"), tf.variable_scope(None, default_name="fc"):
        w = tf.get_variable("w", [1])
    with tf.variable_scope("net", reuse=True), tf.variable_scope(None, default_name="fc") as s:
        again = tf.get_variable("w", [1])
        print(s.name, s.reuse)
    print(again is w)


def case_string_scope_reuse_default_false(tf):
    with tf.variable_scope("a") as a:
        print(a.reuse)


def case_reuse_true_cannot_be_undone(tf):
    with tf.variable_scope("root"):
        print(tf.get_variable_scope().reuse)
        with tf.variable_scope("foo"):
            print(tf.get_variable_scope().reuse)
        with tf.variable_scope("foo", reuse=True):
            print(tf.get_variable_scope().reuse)
            with tf.variable_scope("bar"):
                print(tf.get_variable_scope().reuse)
            with tf.variable_scope("bar", reuse=False):
                print(tf.get_variable_scope().reuse)
        print(tf.get_variable_scope().reuse)


def case_captured_non_reusing_inside_reuse_scope(tf):
    with tf.variable_scope("a") as a:
        pass
    with tf.variable_scope("r", reuse=True), tf.variable_scope(a) as s:
        print(s.reuse)
        print(tf.get_variable("v", [1]).name)


def case_reuse_true_shares(tf):
    with tf.variable_scope("foo"):
        v = tf.get_variable("v", [1])
    with tf.variable_scope("foo", reuse=True):
        v1 = tf.get_variable("v", [1])
    print(v1 is v, v1.name)


def case_reuse_true_missing_variable(tf, expect_error):
    def get():
        with tf.variable_scope("foo", reuse=True):
            tf.get_variable("u", [1])

    expect_error(get)


def case_reuse_false_existing_variable(tf, expect_error):
    with tf.variable_scope("foo"):
        tf.get_variable("v", [1])

    def get():
        with tf.variable_scope("foo"):
            tf.get_variable("v", [1])

    expect_error(get)


def case_auto_reuse_get_or_create(tf):
    with tf.variable_scope("foo", reuse=tf.AUTO_REUSE):
        a = tf.get_variable("v", [1])
        b = tf.get_variable("v", [1])
    with tf.variable_scope("foo", reuse=tf.AUTO_REUSE):
        c = tf.get_variable("v", [1])
    print(a is b, b is c, a.name, len(tf.global_variables()))


def case_auto_reuse_shape_check(tf, expect_error):
    with tf.variable_scope("s", reuse=tf.AUTO_REUSE):
        tf.get_variable("v", [2, 3])
        expect_error(lambda: tf.get_variable("v", [3, 2]))


def case_auto_reuse_dtype_check(tf, expect_error):
    with tf.variable_scope("s", reuse=tf.AUTO_REUSE):
        tf.get_variable("v", [1])
        expect_error(lambda: tf.get_variable("v", [1], dtype=tf.float64))


def case_auto_reuse_int_initializer_gotcha(tf, expect_error):
    with tf.variable_scope("s", reuse=tf.AUTO_REUSE):
        v = tf.get_variable("n", initializer=4)
        print(v.dtype)
        expect_error(lambda: tf.get_variable("n", initializer=4))
        print(tf.get_variable("n", initializer=4, dtype=tf.int32) is v)


def case_reuse_variables_sets_flag(tf):
    with tf.variable_scope("foo") as scope:
        v = tf.get_variable("v", [1])
        print(scope.reuse)
        tf.get_variable_scope().reuse_variables()
        print(scope.reuse, tf.get_variable_scope().reuse)
        v1 = tf.get_variable("v", [1])
        with tf.variable_scope("child") as child:
            print(child.reuse)
    print(v1 is v)


def case_reuse_variables_sticky_on_captured(tf):
    with tf.variable_scope("foo") as foo:
        v = tf.get_variable("v", [1])
        foo.reuse_variables()
    print(foo.reuse)
    with tf.variable_scope(foo) as again:
        print(again.reuse, tf.get_variable("v", [1]) is v)
    with tf.variable_scope("foo") as by_string:
        print(by_string.reuse)


def case_reuse_variables_on_reentered_copy(tf):
    with tf.variable_scope("foo") as foo:
        pass
    with tf.variable_scope(foo) as copy:
        copy.reuse_variables()
        print(copy.reuse)
    print(foo.reuse)


def case_reuse_variables_on_root(tf):
    v = tf.get_variable("v", [1])
    tf.get_variable_scope().reuse_variables()
    with tf.variable_scope("any") as s:
        print(s.reuse)
    print(tf.get_variable("v", [1]) is v)


def case_reuse_pattern_image_filters(tf):
    def conv_relu(kernel_shape, bias_shape):
        tf.get_variable("weights", kernel_shape, initializer=tf.random_normal_initializer())
        tf.get_variable("biases", bias_shape, initializer=tf.constant_initializer(0.0))

    def my_image_filter():
        with tf.variable_scope("conv1"):
            conv_relu([5, 5, 32, 32], [32])
        with tf.variable_scope("conv2"):
            conv_relu([5, 5, 32, 32], [32])

    with tf.variable_scope("image_filters") as scope:
        my_image_filter()
        scope.reuse_variables()
        my_image_filter()
    for v in tf.trainable_variables():
        print(v)


def case_reuse_does_not_touch_op_names(tf):
    x = tf.ones([1, 4, 4, 1])

    def layer(inp):
        with tf.variable_scope("conv"):
            w = tf.get_variable("w", [1, 1, 1, 1])
            return tf.nn.relu(tf.nn.conv2d(inp, w, strides=[1, 1, 1, 1], padding="SAME"))

    with tf.variable_scope("f") as scope:
        a = layer(x)
        scope.reuse_variables()
        b = layer(x)
    print(a.name, b.name, len(tf.global_variables()))


def case_failed_call_uses_up_name_scope(tf, expect_error):
    def make():
        with tf.variable_scope("conv1"):
            tf.get_variable("w", [1])
            tf.constant(1.0, name="c")

    make()
    expect_error(make)
    with tf.variable_scope("conv1", reuse=True):
        print(tf.constant(1.0, name="c").name)


def case_shape_compatible_unknown_dim_on_reuse(tf):
    with tf.variable_scope("s"):
        v = tf.get_variable("v", [2, 3])
    with tf.variable_scope("s", reuse=True):
        print(tf.get_variable("v", [2, None]) is v)
        print(tf.get_variable("v") is v)


def case_reuse_ignores_other_arguments(tf):
    with tf.variable_scope("s"):
        v = tf.get_variable("v", [1], trainable=False)
    with tf.variable_scope("s", reuse=True):
        again = tf.get_variable(
            "v", [1], trainable=True, initializer=tf.ones_initializer(), collections=["x"]
        )
    print(again is v, tf.get_collection("x"), len(tf.trainable_variables()))


def case_reuse_with_ref_dtype(tf):
    with tf.variable_scope("s"):
        v = tf.get_variable("v", [1])
    with tf.variable_scope("s", reuse=True):
        print(tf.get_variable("v", [1], dtype=v.dtype) is v)
