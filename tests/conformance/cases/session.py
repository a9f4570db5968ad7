"""Session basics: fetch structures, feeds, initialization errors, default sessions."""

import collections

import numpy as np

Pair = collections.namedtuple("Pair", ["first", "second"])


def case_run_single_and_list(tf, show):
    a = tf.constant(1.0)
    b = tf.constant([1, 2])
    with tf.Session() as sess:
        show(sess.run(a))
        show(sess.run([a, b]))
        show(sess.run((a, b)))
        show(sess.run([a]))


def case_run_nested_structures(tf, show):
    a = tf.constant(1.0)
    b = tf.constant(2)
    with tf.Session() as sess:
        show(sess.run({"a": a, "nested": [b, (a, b)]}))
        show(sess.run(Pair(first=a, second=[b])))
        show(sess.run([{"x": a}, Pair(a, b)]))


def case_run_fetch_by_name(tf, show):
    tf.constant(3.0, name="c")
    with tf.Session() as sess:
        show(sess.run("c:0"))


def case_run_fetch_operation_returns_none(tf, show):
    v = tf.Variable(1.0)
    with tf.Session() as sess:
        show(sess.run(v.initializer))
        show(sess.run([v.initializer, v]))


def case_run_same_tensor_twice(tf, show):
    a = tf.constant(5)
    with tf.Session() as sess:
        show(sess.run([a, a]))


def case_feed_placeholder(tf, show):
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    y = x * 2.0
    print(x.name, x.get_shape(), y.name)
    with tf.Session() as sess:
        show(sess.run(y, feed_dict={x: [[1, 2, 3]]}))
        show(sess.run(y, {x: np.ones([2, 3])}))
        show(sess.run(y, feed_dict={"x:0": [[0, 0, 1]]}))


def case_feed_non_placeholder(tf, show):
    a = tf.constant(1.0)
    b = a + 1.0
    with tf.Session() as sess:
        show(sess.run(b, feed_dict={a: 10.0}))


def case_placeholder_not_fed(tf, expect_error):
    x = tf.placeholder(tf.float32, [2], name="p")
    with tf.Session() as sess:
        expect_error(lambda: sess.run(x * 2))


def case_feed_wrong_shape(tf, expect_error):
    x = tf.placeholder(tf.float32, [None, 3])
    with tf.Session() as sess:
        expect_error(lambda: sess.run(x, feed_dict={x: [1.0, 2.0]}))


def case_placeholder_with_default(tf, show):
    x = tf.placeholder_with_default(tf.constant([1.0, 2.0]), [None], name="pd")
    print(x.name, x.get_shape())
    with tf.Session() as sess:
        show(sess.run(x))
        show(sess.run(x, {x: [5.0]}))


def case_placeholder_unknown_shape(tf):
    x = tf.placeholder(tf.int32)
    print(x.name, x.get_shape(), x.dtype)
    print(x.get_shape().ndims)


def case_uninitialized_variable_error(tf, expect_error):
    v = tf.Variable([1.0], name="v")
    with tf.Session() as sess:
        expect_error(lambda: sess.run(v))


def case_uninitialized_get_variable_error(tf, expect_error):
    with tf.variable_scope("s"):
        v = tf.get_variable("w", [1])
    with tf.Session() as sess:
        expect_error(lambda: sess.run(v + 1.0))


def case_global_variables_initializer(tf, show):
    a = tf.get_variable("a", initializer=[1.0, 2.0])
    b = tf.Variable(3, name="b")
    init = tf.global_variables_initializer()
    print(init.name, init.type)
    with tf.Session() as sess:
        sess.run(init)
        show(sess.run([a, b]))


def case_global_initializer_no_variables(tf, show):
    init = tf.global_variables_initializer()
    print(init.name)
    with tf.Session() as sess:
        show(sess.run(init))


def case_local_variables_initializer(tf, show):
    loc = tf.get_local_variable("loc", initializer=[4.0])
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        show(sess.run(loc))


def case_eval_with_session_context(tf, show):
    v = tf.Variable([1.0, 2.0])
    t = v * 3.0
    with tf.Session() as sess:
        sess.run(v.initializer)
        show(t.eval())
        show(v.eval())
        print(tf.get_default_session() is sess)


def case_eval_with_as_default(tf, show):
    c = tf.constant([4, 5])
    sess = tf.Session()
    with sess.as_default():
        show(c.eval())
        print(tf.get_default_session() is sess)
    print(tf.get_default_session() is None)
    sess.close()


def case_eval_without_session(tf, expect_error):
    c = tf.constant(1)
    expect_error(c.eval)


def case_operation_run(tf, show):
    v = tf.Variable(1.0)
    with tf.Session():
        v.initializer.run()
        show(v.eval())


def case_interactive_session(tf, show):
    sess = tf.InteractiveSession()
    v = tf.Variable([2.0])
    v.initializer.run()
    show(v.eval(), (v + 1.0).eval())
    print(tf.get_default_session() is sess)
    sess.close()


def case_session_graph_and_closed(tf, expect_error):
    c = tf.constant(1)
    sess = tf.Session()
    print(sess.graph is tf.get_default_graph())
    sess.close()
    expect_error(lambda: sess.run(c))


def case_session_config(tf, show):
    config = tf.ConfigProto()
    config.gpu_options.allow_growth = True
    config.allow_soft_placement = True
    with tf.Session(config=config) as sess:
        show(sess.run(tf.constant(7)))


def case_session_with_explicit_graph(tf, show):
    g = tf.Graph()
    with g.as_default():
        c = tf.constant(2.0) * 3.0
    with tf.Session(graph=g) as sess:
        show(sess.run(c))


def case_fetch_from_other_graph(tf, expect_error):
    g = tf.Graph()
    with g.as_default():
        c = tf.constant(2.0)
    tf.constant(1.0)
    with tf.Session() as sess:
        expect_error(lambda: sess.run(c))


def case_fetch_invalid_type(tf, expect_error):
    with tf.Session() as sess:
        expect_error(lambda: sess.run(3), message=False)


def case_variable_state_persists_across_runs(tf, show):
    v = tf.Variable(0, name="counter")
    inc = tf.assign_add(v, 1)
    with tf.Session() as sess:
        sess.run(v.initializer)
        for _ in range(3):
            sess.run(inc)
        show(sess.run(v))


def case_variable_state_per_session(tf, show):
    v = tf.Variable(0, name="counter")
    inc = tf.assign_add(v, 5)
    with tf.Session() as s1:
        s1.run(v.initializer)
        s1.run(inc)
        show(s1.run(v))
    with tf.Session() as s2:
        s2.run(v.initializer)
        show(s2.run(v))


def case_control_dependencies(tf, show):
    v = tf.Variable(1.0)
    inc = tf.assign_add(v, 1.0)
    with tf.control_dependencies([inc]):
        out = tf.identity(v)
    with tf.Session() as sess:
        sess.run(v.initializer)
        show(sess.run(out))
        show(sess.run(v))


def case_group_and_no_op(tf, show):
    a = tf.Variable(1.0)
    b = tf.Variable(2.0)
    g = tf.group(a.initializer, b.initializer, name="init_all")
    print(g.name, g.type, tf.no_op(name="nothing").name)
    with tf.Session() as sess:
        show(sess.run(g))
        show(sess.run([a, b]))


def case_fetch_scalar_types(tf, show):
    with tf.Session() as sess:
        show(sess.run(tf.constant(1.5, dtype=tf.float64)))
        show(sess.run(tf.constant(True)))
        show(sess.run(tf.constant("hi")))
        show(sess.run(tf.constant([b"a", b"bc"])))
