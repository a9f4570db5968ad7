"""tf.feature_column (TF 1.x): column values through input_layer / linear_model, variable names,
parse specs, lookup tables with OOV buckets, Fingerprint64 hashing and hashed crosses."""

import importlib
import tempfile
from pathlib import Path


def _run(tf, fetches):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(tf.tables_initializer())
        return sess.run(fetches)


def _var_names(tf):
    return sorted(v.op.name for v in tf.global_variables())


def case_hash_bucket_and_cross(tf, show):
    s = tf.constant(["", "a", "hello world", "x" * 40, "y" * 100])
    a = tf.SparseTensor([[0, 0], [0, 1], [1, 0]], tf.constant(["a", "b", "c"]), [2, 2])
    b = tf.SparseTensor([[0, 0], [0, 1], [1, 0]], tf.constant([3, 4, -6], tf.int64), [2, 2])
    d = tf.constant([["x"], ["y"]])
    c1 = tf.sparse.cross_hashed([a, d, b], num_buckets=0)
    c2 = tf.sparse.cross_hashed([a, b], num_buckets=1000, hash_key=7)
    c3 = tf.sparse.cross([a, b, d])
    out = _run(tf, [tf.string_to_hash_bucket_fast(s, 1000), c1, c2, c3])
    show(out[0])
    for sp in out[1:]:
        show(sp.indices, sp.values, sp.dense_shape)


def case_index_tables(tf, show):
    lk = (
        tf.contrib.lookup
        if hasattr(tf, "contrib")
        else importlib.import_module("tensorflow.python.ops.lookup_ops")
    )  # TF 2's home of TF 1.15's contrib.lookup functions
    t1 = lk.index_table_from_tensor(["a", "b", "c"], num_oov_buckets=3)
    t2 = lk.index_table_from_tensor(
        tf.constant([10, 20], tf.int64), num_oov_buckets=2, dtype=tf.int64
    )
    t3 = lk.index_table_from_tensor(["a", "b"], default_value=-7)
    path = Path(tempfile.mkdtemp()) / "vocab.txt"
    path.write_text("x\ny\nz\nw\n")
    t4 = lk.index_table_from_file(str(path), vocab_size=3)
    t5 = lk.index_table_from_file(str(path), num_oov_buckets=2)
    keys = tf.constant(["a", "c", "zz", "q", "b", "w"])
    out = _run(
        tf,
        [
            t1.lookup(keys),
            t2.lookup(tf.constant([20, 5, 10, 7], tf.int64)),
            t3.lookup(keys),
            t4.lookup(tf.constant(["z", "x", "w"])),
            t5.lookup(tf.constant(["w", "v", "y"])),
        ],
    )
    for v in out:
        show(v)


def _features(tf):
    return {
        "a": tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]),
        "age": tf.constant([17.0, 30.0, 70.0]),
        "b": tf.constant([["x", ""], ["q", "y"], ["z", "x"]]),
        "c": tf.SparseTensor([[0, 0], [1, 0], [1, 1]], tf.constant(["u", "v", "w"]), [3, 2]),
        "i": tf.constant([[1], [3], [2]], tf.int64),
        "j": tf.constant([[0, 1], [-1, -1], [3, -1]], tf.int64),
        "w": tf.constant([[2.0], [0.5], [1.0]]),
    }


def case_input_layer_dense(tf, show):
    fc = tf.feature_column
    f = _features(tf)
    a = fc.numeric_column("a", shape=2, normalizer_fn=lambda x: x * 2.0)
    age = fc.numeric_column("age")
    bucket = fc.bucketized_column(age, [18.0, 65.0])
    b = fc.categorical_column_with_vocabulary_list("b", ["x", "y", "z"])
    c = fc.categorical_column_with_hash_bucket("c", 5)
    i = fc.categorical_column_with_identity("i", 4)
    iw = fc.weighted_categorical_column(i, "w")
    cols = [a, age, bucket, fc.indicator_column(b), fc.indicator_column(c), fc.indicator_column(iw)]
    out = fc.input_layer(f, cols)
    print(out.name, out.shape)
    show(_run(tf, out))


def case_input_layer_embeddings(tf, show):
    fc = tf.feature_column
    f = _features(tf)
    b = fc.categorical_column_with_vocabulary_list("b", ["x", "y", "z"], num_oov_buckets=2)
    i = fc.categorical_column_with_identity("i", 4)
    init = tf.constant_initializer([[0.1 * k + 0.01 * j for j in range(3)] for k in range(5)])
    cols = [fc.embedding_column(b, 3, combiner=cb, initializer=init) for cb in ("mean",)]
    cols += [
        fc.embedding_column(
            fc.weighted_categorical_column(i, "w"),
            2,
            combiner="sqrtn",
            initializer=tf.constant_initializer(0.5),
        )
    ]
    shared = fc.shared_embedding_columns(
        [fc.categorical_column_with_identity("i", 4), fc.categorical_column_with_identity("j", 4)],
        2,
        combiner="sum",
        initializer=tf.truncated_normal_initializer(seed=3),
    )
    out = fc.input_layer(f, cols + shared)
    print(out.name, out.shape)
    print(_var_names(tf))
    print(sorted(k for k in tf.get_default_graph().get_all_collection_keys()))
    show(_run(tf, out))


def case_default_embedding_initializer(tf, show):
    fc = tf.feature_column
    col = fc.embedding_column(fc.categorical_column_with_identity("i", 400), 16)
    out = fc.input_layer({"i": tf.constant([[1], [2]], tf.int64)}, [col])
    w = tf.global_variables()[0]
    val = _run(tf, w)
    print(w.name, w.shape)
    show(round(float(abs(val).max() <= 2.0 / 16**0.5), 1), round(float(val.std() * 4), 1))
    print(out.shape)


def case_linear_model(tf, show):
    fc = tf.feature_column
    f = _features(tf)
    a = fc.numeric_column("a", shape=2)
    b = fc.categorical_column_with_vocabulary_list("b", ["x", "y", "z"])
    x = fc.crossed_column([b, "c"], 11)
    i = fc.weighted_categorical_column(fc.categorical_column_with_identity("i", 4), "w")
    cols_to_vars = {}
    out = fc.linear_model(f, [a, b, x, i], units=2, cols_to_vars=cols_to_vars)
    out2 = fc.linear_model(f, [a, b], sparse_combiner="mean")
    print(out.name, out.shape, out2.name)
    print(_var_names(tf))
    print(
        sorted(
            (k if isinstance(k, str) else k.name, [v.op.name for v in vs])
            for k, vs in cols_to_vars.items()
        )
    )
    assigns = [
        tf.assign(v, tf.reshape(tf.range(tf.size(v), dtype=tf.float32) / 10.0, v.shape))
        for v in tf.global_variables()
    ]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(tf.tables_initializer())
        sess.run(assigns)
        show(sess.run([out, out2]))


def case_linear_model_training(tf, show):
    fc = tf.feature_column
    f = _features(tf)
    cols = [
        fc.bucketized_column(fc.numeric_column("age"), [18.0, 65.0]),
        fc.embedding_column(
            fc.categorical_column_with_hash_bucket("c", 5),
            2,
            initializer=tf.constant_initializer(0.2),
        ),
    ]
    logits = fc.linear_model(f, cols[:1]) + tf.reduce_sum(fc.input_layer(f, cols[1:]), 1, True)
    loss = tf.reduce_mean(tf.square(logits - tf.constant([[1.0], [0.0], [2.0]])))
    step = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(tf.tables_initializer())
        for _ in range(3):
            sess.run(step)
        show(sess.run(loss))
        show(sess.run(tf.trainable_variables()))


def case_parse_spec_and_reprs(tf, show):
    fc = tf.feature_column
    a = fc.numeric_column("a", shape=(2,), default_value=0.0)
    b = fc.categorical_column_with_vocabulary_list("b", ["x", "y"])
    c = fc.categorical_column_with_hash_bucket("c", 7, dtype=tf.int64)
    e = fc.embedding_column(b, 3)
    x = fc.crossed_column([b, "d"], 5)
    w = fc.weighted_categorical_column(c, "wt")
    spec = fc.make_parse_example_spec([a, e, x, w, fc.bucketized_column(a, [1.0])])
    for k in sorted(spec):
        print(k, spec[k])
    print(a)
    print(b)
    print(x)
    print(w.name, x.name, e.name, fc.indicator_column(c).name, x._num_buckets, b._num_buckets)


def case_errors(tf, expect_error):
    fc = tf.feature_column
    expect_error(lambda: fc.numeric_column("a", shape=0))
    expect_error(lambda: fc.bucketized_column(fc.numeric_column("a"), [2.0, 1.0]))
    expect_error(lambda: fc.categorical_column_with_hash_bucket("c", 0))
    expect_error(lambda: fc.categorical_column_with_vocabulary_list("b", ["x", "x"]))
    expect_error(
        lambda: fc.categorical_column_with_vocabulary_list(
            "b", ["x"], default_value=3, num_oov_buckets=2
        )
    )
    expect_error(lambda: fc.categorical_column_with_identity("i", 3, default_value=3))
    expect_error(lambda: fc.crossed_column(["a"], 10))
    expect_error(
        lambda: fc.crossed_column([fc.categorical_column_with_hash_bucket("c", 3), "d"], 3)
    )
    expect_error(lambda: fc.embedding_column(fc.categorical_column_with_identity("i", 3), 0))
    expect_error(
        lambda: fc.input_layer(
            {"i": tf.constant([[1]])}, [fc.categorical_column_with_identity("i", 3)]
        )
    )
    expect_error(lambda: fc.input_layer({"a": tf.constant(1.0)}, [fc.numeric_column("a")]))
    expect_error(lambda: fc.input_layer({}, [fc.numeric_column("a")]))
    expect_error(
        lambda: fc.make_parse_example_spec(
            [fc.numeric_column("a"), fc.categorical_column_with_hash_bucket("a", 3)]
        )
    )


def case_input_layer_single_column_names(tf, show):
    fc = tf.feature_column
    x = fc.input_layer({"a": [[1.0], [2.0]]}, [fc.numeric_column("a")])
    y = fc.input_layer({"a": tf.constant([3.0, 4.0])}, [fc.numeric_column("a")])
    print(x.name, y.name, x.shape, y.shape)
    print([o.name for o in tf.get_default_graph().get_operations()])
    show(_run(tf, [x, y]))
