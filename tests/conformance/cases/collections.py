"""§8: GraphKeys values, variable collection rules and scope filtering."""


def _names(items):
    return [getattr(x, "name", x) for x in items]


def case_graph_keys_values(tf):
    keys = tf.GraphKeys
    print(keys.GLOBAL_VARIABLES, keys.VARIABLES, keys.TRAINABLE_VARIABLES, keys.LOCAL_VARIABLES)
    print(keys.MODEL_VARIABLES, keys.MOVING_AVERAGE_VARIABLES, keys.REGULARIZATION_LOSSES)
    print(keys.CONCATENATED_VARIABLES, keys.METRIC_VARIABLES, keys.UPDATE_OPS, keys.LOSSES)


def case_default_collections(tf):
    tf.get_variable("a", [1])
    tf.get_variable("b", [1], trainable=False)
    print(_names(tf.global_variables()), _names(tf.trainable_variables()))
    print(_names(tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES)))
    print(_names(tf.local_variables()), _names(tf.model_variables()))


def case_explicit_collections_replace_default(tf):
    tf.get_variable("a", [1], collections=["mine"])
    print(_names(tf.global_variables()), _names(tf.trainable_variables()))
    print(_names(tf.get_collection("mine")))


def case_empty_collections_list(tf):
    tf.get_variable("t9", [1], collections=[])
    tf.get_variable("n9", [1], collections=[], trainable=False)
    print(_names(tf.global_variables()), _names(tf.trainable_variables()))


def case_trainable_not_duplicated(tf):
    tf.get_variable("a", [1], collections=[tf.GraphKeys.TRAINABLE_VARIABLES, "x"])
    print(_names(tf.trainable_variables()), _names(tf.get_collection("x")))


def case_trainable_false_with_explicit_trainable_key(tf):
    v = tf.get_variable("a", [1], trainable=False, collections=[tf.GraphKeys.TRAINABLE_VARIABLES])
    print(v.trainable, _names(tf.trainable_variables()))


def case_collections_tuple_and_set(tf):
    tf.get_variable("a", [1], collections=("t",))
    tf.get_variable("b", [1], collections={"s"})
    print(_names(tf.get_collection("t")), _names(tf.get_collection("s")))


def case_collections_string_error(tf, expect_error):
    expect_error(lambda: tf.get_variable("a", [1], collections="mine"))
    expect_error(lambda: tf.Variable(1.0, collections="mine"))


def case_tf_variable_collections(tf):
    tf.Variable(1.0, name="a")
    tf.Variable(1.0, name="b", trainable=False)
    tf.Variable(1.0, name="c", collections=["mine"])
    print(_names(tf.global_variables()), _names(tf.trainable_variables()))
    print(_names(tf.get_collection("mine")))


def case_insertion_order_is_creation_order(tf):
    for name in ["z", "a", "m"]:
        tf.get_variable(name, [1])
    tf.Variable(1.0, name="b")
    print(_names(tf.global_variables()))


def case_local_variable_collections(tf):
    v = tf.get_local_variable("loc", [1])
    print(v.trainable, _names(tf.local_variables()), _names(tf.global_variables()))
    print(_names(tf.trainable_variables()))


def case_local_variable_trainable_forced_false(tf):
    v = tf.get_local_variable("loc", [1], trainable=True)
    print(v.trainable, _names(tf.trainable_variables()))


def case_local_variable_with_global_key(tf):
    tf.get_local_variable("loc", [1], collections=[tf.GraphKeys.GLOBAL_VARIABLES])
    print(_names(tf.local_variables()), _names(tf.global_variables()))


def case_local_variable_mutates_collections_list(tf):
    cols = ["mine"]
    tf.get_local_variable("loc", [1], collections=cols)
    print(cols)


def case_local_variable_in_scope(tf):
    with tf.variable_scope("s"):
        v = tf.get_local_variable("loc", [1])
    print(v.name)


def case_model_and_moving_average_only_when_listed(tf):
    tf.get_variable("a", [1])
    tf.get_variable("m", [1], collections=[tf.GraphKeys.MODEL_VARIABLES, "variables"])
    tf.get_variable("ma", [1], collections=[tf.GraphKeys.MOVING_AVERAGE_VARIABLES])
    print(_names(tf.model_variables()), _names(tf.moving_average_variables()))
    print(_names(tf.global_variables()))


def _scoped_graph(tf):
    for scope in ["a", "ab", "a.b", "aXb", "b/a"]:
        with tf.variable_scope(scope):
            tf.get_variable("x", [1])


def case_scope_filter_prefix(tf):
    _scoped_graph(tf)
    print(_names(tf.global_variables("a")))


def case_scope_filter_with_slash(tf):
    _scoped_graph(tf)
    print(_names(tf.trainable_variables("a/")))


def case_scope_filter_regex_dot(tf):
    _scoped_graph(tf)
    print(_names(tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, "a.b")))


def case_scope_filter_regex_anywhere(tf):
    _scoped_graph(tf)
    print(_names(tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, ".*a/")))


def case_scope_filter_matches_colon(tf):
    tf.get_variable("x", [1])
    print(_names(tf.global_variables("x:0")), _names(tf.global_variables("x:1")))


def case_scope_filter_skips_items_without_name(tf):
    tf.add_to_collection("mixed", 1)
    tf.add_to_collection("mixed", tf.constant(1.0, name="aconst"))
    print(_names(tf.get_collection("mixed")), _names(tf.get_collection("mixed", "a")))


def case_scope_filter_local_model(tf):
    with tf.variable_scope("a"):
        tf.get_local_variable("l", [1])
        tf.get_variable("m", [1], collections=[tf.GraphKeys.MODEL_VARIABLES])
    with tf.variable_scope("b"):
        tf.get_local_variable("l", [1])
    print(_names(tf.local_variables("a")), _names(tf.model_variables("b")))


def case_get_collection_returns_copy(tf):
    tf.add_to_collection("c", 1)
    items = tf.get_collection("c")
    items.append(2)
    print(tf.get_collection("c"))


def case_get_collection_ref_is_live(tf):
    ref = tf.get_collection_ref("c")
    ref.append(1)
    tf.add_to_collection("c", 2)
    print(tf.get_collection("c"), ref)


def case_add_to_collections_multiple(tf):
    tf.add_to_collections(["c1", "c2"], 5)
    print(tf.get_collection("c1"), tf.get_collection("c2"), tf.get_collection("missing"))


def case_graph_collection_keys(tf):
    tf.get_variable("a", [1])
    tf.add_to_collection("mine", 1)
    keys = tf.get_default_graph().get_all_collection_keys()
    print(sorted(k for k in keys if isinstance(k, str)))


def case_clear_collection(tf):
    tf.add_to_collection("c", 1)
    tf.get_default_graph().clear_collection("c")
    print(tf.get_collection("c"))


def case_partitioned_shards_in_collections(tf):
    tf.get_variable("p", [4], partitioner=tf.fixed_size_partitioner(2))
    print(_names(tf.global_variables()), _names(tf.trainable_variables()))


def case_all_variables_alias(tf):
    tf.get_variable("a", [1])
    print(_names(tf.get_collection(tf.GraphKeys.VARIABLES)))
