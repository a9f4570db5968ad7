"""Ops whose inputs live in another graph than the default one (TF's ``_get_graph_from_inputs``).

An op is created in the graph of its inputs, named in that graph's name scope; inputs from two
graphs raise ``ValueError``. A session of one graph refuses another graph's fetches.
"""


def _two_graphs(tf):
    g1 = tf.Graph()
    with g1.as_default():
        a = tf.constant(1.0, name="a")
        v = tf.Variable(3.0, name="v")
    return g1, a, v


def case_op_goes_to_the_inputs_graph(tf):
    g1, a, v = _two_graphs(tf)
    g2 = tf.Graph()
    with g2.as_default(), tf.name_scope("outer"):
        c = tf.identity(a)
        d = tf.assign(v, 5.0)
        print(c.name, c.graph is g1, d.name, d.graph is g1)
        print(len(g2.get_operations()), [op.name for op in g1.get_operations()][-3:])
    with tf.Session(graph=g1) as sess:
        sess.run(v.initializer)
        print(sess.run([c, d]))


def case_inputs_from_two_graphs(tf):
    _, a, _ = _two_graphs(tf)
    g2 = tf.Graph()
    with g2.as_default():
        b = tf.constant(2.0, name="b")
        for fn in (lambda: a + b, lambda: tf.add_n([a, b]), lambda: tf.stack([b, a])):
            try:
                fn()
                print("NO ERROR")
            except ValueError as e:
                print("ValueError", str(e).split(" (graphs are")[0])
        print(len(g2.get_operations()))


def case_session_fetch_from_another_graph(tf, expect_error):
    _, a, _ = _two_graphs(tf)
    g2 = tf.Graph()
    with g2.as_default(), tf.Session() as sess:
        expect_error(lambda: sess.run(a))


def case_assign_value_names(tf):
    v = tf.Variable(1.0, name="v")
    w = tf.Variable([1.0, 2.0], name="w")
    with tf.name_scope("o"):
        tf.assign(v, 3.0)
        v.assign(4.0, name="named")
        v.assign_add(1.0)
        tf.assign_sub(v, 2.0)
        tf.assign(w, tf.constant([5.0, 6.0]))
        tf.assign(w, [7.0, 8.0])
    print([op.name for op in tf.get_default_graph().get_operations()])
