"""§12: make_template naming, reuse, safety checks and properties."""


def _scale_by_y(tf, x):
    var = tf.get_variable("y", initializer=tf.constant_initializer(2.0), shape=[])
    return x * var


def case_template_names(tf):
    t = tf.make_template("scale_by_y", lambda x: _scale_by_y(tf, x))
    a = t(tf.constant(1.0))
    b = t(tf.constant(2.0))
    print(a.name, b.name, [v.name for v in tf.global_variables()])


def case_template_name_none(tf, expect_error):
    expect_error(lambda: tf.make_template(None, lambda: None))


def case_two_templates_same_name(tf):
    t1 = tf.make_template("scale_by_y", lambda x: _scale_by_y(tf, x))
    t2 = tf.make_template("scale_by_y", lambda x: _scale_by_y(tf, x))
    t1(tf.constant(1.0))
    t2(tf.constant(1.0))
    print([v.name for v in tf.global_variables()])
    print(t1.variable_scope_name, t2.variable_scope_name)


def case_template_kwargs_bound(tf, show):
    def f(x, scale):
        return x * tf.get_variable("w", initializer=scale)

    t = tf.make_template("t", f, scale=3.0)
    out = t(tf.constant(2.0))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(sess.run(out))


def case_template_scope_fixed_at_first_call(tf):
    with tf.variable_scope("outer"):
        t = tf.make_template("tmpl", lambda x: _scale_by_y(tf, x))
    out = t(tf.constant(1.0))
    print(out.name, [v.name for v in tf.global_variables()])


def case_template_first_called_inside_scope(tf):
    t = tf.make_template("tmpl", lambda x: _scale_by_y(tf, x))
    with tf.variable_scope("first"):
        a = t(tf.constant(1.0))
    with tf.variable_scope("second"):
        b = t(tf.constant(1.0))
    print(a.name, b.name, [v.name for v in tf.global_variables()])


def case_template_unique_name(tf):
    t = tf.make_template("tmpl", lambda x: _scale_by_y(tf, x), unique_name_="exact")
    out = t(tf.constant(1.0))
    print(out.name, [v.name for v in tf.global_variables()], t.variable_scope_name)


def case_template_unique_name_twice(tf, expect_error):
    t1 = tf.make_template("tmpl", lambda x: _scale_by_y(tf, x), unique_name_="exact")
    t2 = tf.make_template("tmpl", lambda x: _scale_by_y(tf, x), unique_name_="exact")
    t1(tf.constant(1.0))
    expect_error(lambda: t2(tf.constant(1.0)))


def case_template_unique_name_twice_under_reuse(tf):
    t1 = tf.make_template("tmpl", lambda x: _scale_by_y(tf, x), unique_name_="exact")
    t1(tf.constant(1.0))
    with tf.variable_scope(tf.get_variable_scope(), reuse=True):
        t2 = tf.make_template("tmpl", lambda x: _scale_by_y(tf, x), unique_name_="exact")
        t2(tf.constant(1.0))
    print([v.name for v in tf.global_variables()])


def case_template_reuse_flag_inside(tf):
    flags = []

    def f():
        flags.append(str(tf.get_variable_scope().reuse))
        return tf.get_variable("w", [1])

    t = tf.make_template("t", f)
    a = t()
    b = t()
    c = t()
    print(flags, a is b is c)


def case_template_create_scope_now(tf):
    t = tf.make_template("tmpl", lambda x: _scale_by_y(tf, x), create_scope_now_=True)
    print(repr(t.variable_scope.name), repr(t.variable_scope.original_name_scope))
    a = t(tf.constant(1.0))
    b = t(tf.constant(1.0))
    with tf.variable_scope("elsewhere"):
        c = t(tf.constant(1.0))
    print(a.name, b.name, c.name, [v.name for v in tf.global_variables()])


def case_template_create_scope_now_inside_outer(tf):
    with tf.variable_scope("outer"):
        t = tf.make_template("tmpl", lambda x: _scale_by_y(tf, x), create_scope_now_=True)
    out = t(tf.constant(1.0))
    print(out.name, [v.name for v in tf.global_variables()])


def case_template_create_scope_now_twice(tf):
    t1 = tf.make_template("tmpl", lambda x: _scale_by_y(tf, x), create_scope_now_=True)
    t2 = tf.make_template("tmpl", lambda x: _scale_by_y(tf, x), create_scope_now_=True)
    print(t1.variable_scope_name, t2.variable_scope_name)


def case_template_create_scope_now_reuse_flags(tf):
    flags = []

    def f():
        flags.append(str(tf.get_variable_scope().reuse))
        return tf.get_variable("w", [1])

    t = tf.make_template("t", f, create_scope_now_=True)
    t()
    t()
    print(flags)


def case_template_trainable_variable_on_second_call(tf, expect_error):
    def f():
        return tf.Variable(1.0, name="v")

    t = tf.make_template("bad", f)
    t()
    expect_error(t)


def case_template_non_trainable_on_second_call_allowed(tf):
    def f():
        return tf.Variable(1.0, name="v", trainable=False)

    t = tf.make_template("ok", f)
    a = t()
    b = t()
    print(a.name, b.name)


def case_template_different_name_on_later_call(tf, expect_error):
    names = iter(["a", "b"])

    def f():
        return tf.get_variable(next(names), [1])

    t = tf.make_template("t", f)
    t()
    expect_error(t)


def case_template_exception_has_origin_suffix(tf):
    def f():
        raise ValueError("boom")

    t = tf.make_template("t", f)
    try:
        t()
    except ValueError as e:
        text = str(e.args[0])
        print(text.split("\n", 1)[0], "originally defined at:" in text)


def case_template_retry_after_failed_first_call(tf, expect_error):
    calls = []

    def f():
        calls.append(tf.get_variable_scope().name)
        v = tf.get_variable("w", [1])
        if len(calls) == 1:
            raise ValueError("first")
        return v

    t = tf.make_template("t", f)
    expect_error(t)
    expect_error(t)
    print(calls)


def case_template_redefined_with_reuse_shares(tf):
    def f():
        return tf.get_variable("w", [1])

    with tf.variable_scope("s"):
        a = tf.make_template("t", f)()
    with tf.variable_scope("s", reuse=True):
        b = tf.make_template("t", f)()
    print(a is b, a.name)


def case_nested_templates(tf):
    def inner_fn():
        return tf.get_variable("w", [1])

    inner = tf.make_template("inner", inner_fn)

    def outer_fn():
        return inner()

    outer = tf.make_template("outer", outer_fn)
    a = outer()
    b = outer()
    print(a.name, a is b)


def case_template_properties_before_and_after(tf):
    def f():
        tf.get_variable("w", [1])
        tf.get_variable("n", [1], trainable=False)
        tf.get_local_variable("loc", [1])

    t = tf.make_template("props", f)
    print(t.name, t.variables, t.trainable_variables)
    t()
    print(t.name, t.variable_scope_name, t.variable_scope.name)
    print([v.name for v in t.variables])
    print([v.name for v in t.trainable_variables], [v.name for v in t.non_trainable_variables])
    print([v.name for v in t.global_variables], [v.name for v in t.local_variables])
    print([v.name for v in t.weights], [v.name for v in t.trainable_weights])
    print([v.name for v in t.non_trainable_weights])


def case_template_func_property(tf):
    def f():
        return None

    t = tf.make_template("p", f)
    print(t.func is f)


def case_template_custom_getter(tf):
    log = []

    def getter(getter, name, *args, **kwargs):
        log.append(name)
        return getter(name, *args, **kwargs)

    t = tf.make_template("g", lambda: tf.get_variable("w", [1]), custom_getter_=getter)
    t()
    t()
    print(log)


def case_template_variables_regex_prefix(tf):
    t = tf.make_template("a", lambda: tf.get_variable("w", [1]))
    t()
    with tf.variable_scope("ab"):
        tf.get_variable("w", [1])
    print([v.name for v in t.trainable_variables])
