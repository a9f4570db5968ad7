"""Eager-looking misuse of a TF1 graph: TF's error types and first lines, and the fixes the
explanations suggest (issue 11: ``tf.get_variable`` outside any scope, ``if tensor:``)."""


def _build(tf):
    w = tf.get_variable("w", [2, 3])
    b = tf.get_variable("b", [3])
    return w, b


def case_get_variable_twice_in_a_loop_at_root(tf, expect_error, show):
    for step in range(2):
        if step == 0:
            show([v.name for v in _build(tf)])
        else:
            expect_error(lambda: _build(tf))


def case_rerun_after_reset_default_graph(tf, show):
    _build(tf)
    tf.reset_default_graph()
    show([v.name for v in _build(tf)])
    show([v.name for v in tf.global_variables()])


def case_rerun_in_a_new_graph(tf, show):
    _build(tf)
    with tf.Graph().as_default():
        show([v.name for v in _build(tf)])
    show([v.name for v in tf.global_variables()])


def case_rerun_under_auto_reuse(tf, show):
    names = []
    for _ in range(2):
        with tf.variable_scope("model", reuse=tf.AUTO_REUSE):
            names.append([v.name for v in _build(tf)])
    show(names)
    show([v.name for v in tf.global_variables()])


# TF 2's text for ``bool(tensor)`` is longer than TF 1.15's (which scopeflow gives); the kind
# is compared here, TF 1.15's text in tests/core/test_explain_eager_misuse.py.
def case_bool_of_a_graph_tensor(tf, expect_error):
    t = tf.constant(1.0)
    expect_error(lambda: bool(t), message=False)
    expect_error(lambda: 1 if t else 0, message=False)


def case_python_while_on_a_graph_tensor(tf, expect_error):
    i = tf.constant(0)

    def loop():
        n = 0
        while i < 3:
            n += 1
        return n

    expect_error(loop, message=False)
