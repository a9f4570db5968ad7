"""§3.1–3.3: variable_scope arguments, validation, the enter algorithm and naming table."""


def _enter(tf, *args, **kwargs):
    def run():
        with tf.variable_scope(*args, **kwargs):
            pass

    return run


def _report(tf, scope):
    print(repr(scope.name), repr(scope.original_name_scope), repr(tf.constant(0, name="c").name))


def case_error_no_name_no_default(tf, expect_error):
    expect_error(_enter(tf, None))


def case_error_reuse_int_one(tf, expect_error):
    expect_error(_enter(tf, "s", reuse=1))


def case_error_reuse_int_zero(tf, expect_error):
    expect_error(_enter(tf, "s", reuse=0))


def case_error_reuse_string(tf, expect_error):
    expect_error(_enter(tf, "s", reuse="yes"))


def case_reuse_false_is_none(tf):
    with tf.variable_scope("s", reuse=False) as s:
        print(s.reuse)


def case_error_auxiliary_name_scope_not_bool(tf, expect_error):
    expect_error(_enter(tf, "s", auxiliary_name_scope="x"))
    expect_error(_enter(tf, "s", auxiliary_name_scope=1))


def case_error_name_or_scope_bad_type(tf, expect_error):
    expect_error(_enter(tf, 3))


def case_error_default_name_with_reuse_true(tf, expect_error):
    expect_error(_enter(tf, None, default_name="d", reuse=True))


def case_error_default_name_with_auto_reuse(tf, expect_error):
    expect_error(_enter(tf, None, default_name="d", reuse=tf.AUTO_REUSE))


def case_error_invalid_root_scope_name(tf, expect_error):
    expect_error(_enter(tf, "_bad"))
    expect_error(_enter(tf, "a b"))


def case_error_invalid_nested_scope_name(tf, expect_error):
    def nested():
        with tf.variable_scope("ok"), tf.variable_scope("a b"):
            pass

    expect_error(nested)


def case_error_state_after_failed_enter(tf, expect_error):
    expect_error(_enter(tf, "a b"))
    print(repr(tf.get_variable_scope().name), repr(tf.get_default_graph().get_name_scope()))


def case_error_improper_nesting(tf, expect_error):
    outer = tf.variable_scope("outer")
    inner = tf.variable_scope("inner")
    outer.__enter__()
    inner.__enter__()
    expect_error(lambda: outer.__exit__(None, None, None))


def case_enter_returns_new_object_each_time(tf):
    with tf.variable_scope("foo") as foo:
        pass
    with tf.variable_scope(foo) as again:
        print(again is foo, again.name)
    with tf.variable_scope(foo) as again2:
        print(again2 is again)


def case_string_scope_twice_at_root(tf):
    for _ in range(3):
        with tf.variable_scope("foo") as s:
            _report(tf, s)


def case_captured_scope_reentered_at_root(tf):
    with tf.variable_scope("foo") as foo:
        _report(tf, foo)
    with tf.variable_scope(foo) as s:
        _report(tf, s)
    with tf.variable_scope(foo) as s:
        _report(tf, s)


def case_captured_nested_reentered_inside_other(tf):
    with tf.variable_scope("x"), tf.variable_scope("y") as y:
        pass
    with tf.variable_scope("z"), tf.variable_scope(y) as s:
        _report(tf, s)
        with tf.variable_scope("inner") as inner:
            _report(tf, inner)
            print(tf.get_variable("v", [1]).name)


def case_captured_outer_reentered_inside_itself(tf):
    with tf.variable_scope("outer") as outer:
        with tf.variable_scope(outer) as s:
            _report(tf, s)
        with tf.variable_scope(outer) as s:
            _report(tf, s)


def case_tower_reentered_inside_other_tower(tf):
    with tf.variable_scope("tower4") as tower4:
        pass
    with tf.variable_scope("tower6"), tf.variable_scope(tower4) as s:
        _report(tf, s)


def case_root_scope_reentered_inside_name_scope(tf):
    root = tf.get_variable_scope()
    with tf.name_scope("ns"), tf.variable_scope(root) as s:
        _report(tf, s)
        print(tf.get_variable("v", [1]).name)


def case_name_scope_then_variable_scope(tf):
    with tf.name_scope("ns"), tf.variable_scope("vs") as s:
        _report(tf, s)


def case_variable_name_variable_scope_interleaved(tf):
    with tf.variable_scope("vs2"), tf.name_scope("ns2"), tf.variable_scope("inner") as s:
        _report(tf, s)
        print(tf.get_variable("v", [1]).name)


def case_default_name_three_times(tf):
    for _ in range(3):
        with tf.variable_scope(None, default_name="layer") as s:
            _report(tf, s)


def case_default_name_after_name_scope_used(tf):
    with tf.name_scope("layer"):
        pass
    with tf.variable_scope(None, default_name="layer") as s:
        _report(tf, s)


def case_explicit_after_default_names(tf):
    for _ in range(3):
        with tf.variable_scope(None, default_name="layer"):
            pass
    with tf.variable_scope("layer") as s:
        _report(tf, s)
    with tf.variable_scope(None, default_name="layer") as s:
        _report(tf, s)


def case_default_name_interleaved_substrings(tf):
    names = []
    for default in ["defaultScope1", "defaultScope1", "defaultScope", "defaultScope1"]:
        with tf.variable_scope(None, default_name=default) as s:
            names.append(s.name)
    print(names)


def case_default_name_skips_counted_explicit(tf):
    with tf.variable_scope("bar_1"):
        pass
    names = []
    for _ in range(2):
        with tf.variable_scope(None, default_name="bar") as s:
            names.append(s.name)
    print(names)


def case_default_name_counters_reset_on_string_exit(tf):
    with tf.variable_scope("foo"):
        for _ in range(2):
            with tf.variable_scope(None, default_name="bar") as s:
                _report(tf, s)
    with tf.variable_scope("foo"), tf.variable_scope(None, default_name="bar") as s:
        _report(tf, s)


def case_default_name_counters_snapshot_on_captured(tf):
    with tf.variable_scope("foo") as foo:
        for _ in range(2):
            with tf.variable_scope(None, default_name="bar") as s:
                _report(tf, s)
    with tf.variable_scope(foo), tf.variable_scope(None, default_name="bar") as s:
        _report(tf, s)
    with tf.variable_scope("foo"), tf.variable_scope(None, default_name="bar") as s:
        _report(tf, s)


def case_default_name_jump_into_same_scope(tf):
    names = []
    with tf.variable_scope(None, default_name="default") as default:
        for _ in range(2):
            with tf.variable_scope(None, default_name="layer") as s:
                names.append(s.name)
        with tf.variable_scope(default), tf.variable_scope(None, default_name="layer") as s:
            names.append(s.name)
    print(names)


def case_default_name_after_exception(tf):
    try:
        with tf.variable_scope(None, default_name="L"):
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    print(repr(tf.get_variable_scope().name))
    with tf.variable_scope(None, default_name="L") as s:
        _report(tf, s)


def case_same_context_manager_entered_twice(tf):
    cm = tf.variable_scope("cm")
    with cm as a:
        _report(tf, a)
    with cm as b:
        _report(tf, b)
    print(a is b)


def case_root_counters_never_reset(tf):
    with tf.variable_scope(None, default_name="d"):
        pass
    with tf.variable_scope("x"):
        pass
    with tf.variable_scope(None, default_name="d") as s:
        print(s.name)


def case_default_name_ignores_store(tf, expect_error):
    tf.get_variable("layer/w", [1])

    def make():
        with tf.variable_scope(None, default_name="layer") as s:
            print(s.name)
            tf.get_variable("w", [1])

    expect_error(make)


def case_default_name_with_values(tf):
    c = tf.constant(1.0)
    with tf.variable_scope(None, default_name="d", values=[c]) as s:
        _report(tf, s)


def case_name_takes_precedence_over_default(tf):
    with tf.variable_scope("given", default_name="d") as s:
        _report(tf, s)


def case_nested_string_scopes(tf):
    with tf.variable_scope("foo"), tf.variable_scope("bar") as s:
        _report(tf, s)
        print(tf.get_variable("v", [1]).name)


def case_ops_in_reopened_scope(tf):
    for _ in range(3):
        with tf.variable_scope("foo"):
            print(tf.constant(1.0, name="c").name)


def case_reopened_scope_op_names_captured(tf):
    with tf.variable_scope("foo") as foo_scope:
        print(tf.constant(1.0, name="c").name)
    with tf.variable_scope(foo_scope):
        print(tf.constant(1.0, name="c").name)
    with tf.variable_scope(foo_scope):
        print(tf.constant(1.0, name="c").name)
    print(foo_scope.original_name_scope)
