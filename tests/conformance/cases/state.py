"""§1 state model: the root variable scope and what reset_default_graph resets."""


def case_root_scope_attributes(tf):
    scope = tf.get_variable_scope()
    print(repr(scope.name), repr(scope.original_name_scope), scope.reuse)
    print(scope.dtype)
    for attr in (
        "initializer",
        "regularizer",
        "caching_device",
        "partitioner",
        "custom_getter",
        "use_resource",
        "constraint",
    ):
        print(attr, getattr(scope, attr))


def case_root_scope_is_live_object(tf):
    a = tf.get_variable_scope()
    b = tf.get_variable_scope()
    print(a is b)
    a.reuse_variables()
    print(tf.get_variable_scope().reuse)


def case_get_variable_scope_inside_scope(tf):
    with tf.variable_scope("foo") as foo:
        inner = tf.get_variable_scope()
        print(inner is foo, inner.name)
    print(repr(tf.get_variable_scope().name))


def case_reset_clears_root_reuse(tf):
    tf.get_variable_scope().reuse_variables()
    print(tf.get_variable_scope().reuse)
    tf.reset_default_graph()
    print(tf.get_variable_scope().reuse)


def case_reset_clears_variable_store(tf):
    with tf.variable_scope("foo"):
        tf.get_variable("v", [1])
    tf.reset_default_graph()
    with tf.variable_scope("foo"):
        v = tf.get_variable("v", [1])
    print(v.name)


def case_reset_clears_names_in_use(tf):
    print(tf.constant(1, name="c").name)
    print(tf.constant(1, name="c").name)
    tf.reset_default_graph()
    print(tf.constant(1, name="c").name)


def case_reset_clears_default_name_counters(tf):
    with tf.variable_scope(None, default_name="layer") as s:
        print(s.name)
    with tf.variable_scope(None, default_name="layer") as s:
        print(s.name)
    tf.reset_default_graph()
    with tf.variable_scope(None, default_name="layer") as s:
        print(s.name)


def case_reset_clears_collections(tf):
    tf.get_variable("v", [1])
    tf.add_to_collection("mine", 1)
    print(len(tf.global_variables()), tf.get_collection("mine"))
    tf.reset_default_graph()
    print(len(tf.global_variables()), tf.get_collection("mine"))


def case_reset_gives_new_default_graph(tf):
    g1 = tf.get_default_graph()
    tf.reset_default_graph()
    g2 = tf.get_default_graph()
    print(g1 is g2)


def case_graph_as_default_isolates_store(tf):
    tf.get_variable("v", [1])
    g = tf.Graph()
    with g.as_default():
        v = tf.get_variable("v", [1])
        print(v.name, v.graph is g)
        print(len(tf.global_variables()))
    print(len(tf.global_variables()))


def case_captured_scope_reentered_in_other_graph(tf):
    with tf.variable_scope("foo") as foo:
        tf.get_variable("v", [1])
    g = tf.Graph()
    with g.as_default(), tf.variable_scope(foo):
        v = tf.get_variable("v", [1])
        print(v.name)


def _in_thread(fn):
    import threading

    out = []
    thread = threading.Thread(target=lambda: out.append(fn()))
    thread.start()
    thread.join()
    return out[0] if out else None


def case_thread_starts_at_root_scope(tf):
    graph = tf.get_default_graph()

    def body():
        with graph.as_default():
            scope = tf.get_variable_scope()
            return repr(scope.name), repr(graph.get_name_scope()), tf.constant(1, name="c").name

    with tf.variable_scope("main"), tf.name_scope("ns"):
        print(_in_thread(body))


def case_thread_shares_variable_store(tf):
    graph = tf.get_default_graph()
    tf.get_variable("shared", [1])

    def body():
        with graph.as_default():
            try:
                tf.get_variable("shared", [1])
            except ValueError as e:
                return str(e).split(" Originally defined at:")[0]
            return "created"

    print(_in_thread(body))


def case_thread_reenters_captured_scope(tf):
    graph = tf.get_default_graph()
    with tf.variable_scope("main") as main:
        pass

    def body():
        with graph.as_default(), tf.variable_scope(main):
            return tf.get_variable("v", [1]).name

    print(_in_thread(body))
