"""Ops under TF 1.x feature columns: Fingerprint64 hash buckets over many lengths, sparse
reshape / fill_empty_rows / retain / reorder, segment reductions and their gradients,
(safe_)embedding_lookup_sparse, Bucketize, lookup tables and the v1 column protocol."""

import tempfile
from pathlib import Path


def _run(tf, fetches, feed=None):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(tf.tables_initializer())
        return sess.run(fetches, feed)


def case_fingerprint_lengths(tf, show):
    strs = [bytes((i * 7 + j) % 256 for j in range(i)) for i in range(150)]
    out = _run(tf, tf.string_to_hash_bucket_fast(tf.constant(strs), 2**63 - 1))
    show(out)


def case_sparse_reshape_fill_retain(tf, show):
    sp = tf.SparseTensor([[0, 0, 1], [0, 1, 0], [2, 1, 1]], [1.0, 2.0, 3.0], [3, 2, 2])
    r = tf.sparse_reshape(sp, [-1, 4])
    r2 = tf.sparse.reshape(sp, [3, 4])
    print(r.shape, r2.shape)
    flat = tf.SparseTensor([[1, 0], [1, 2], [3, 1]], tf.constant([5, 6, 7], tf.int64), [5, 3])
    filled, empty = tf.sparse_fill_empty_rows(flat, -1)
    kept = tf.sparse_retain(flat, [True, False, True])
    unordered = tf.SparseTensor([[2, 0], [0, 1], [1, 1]], [1.0, 2.0, 3.0], [3, 2])
    reordered = tf.sparse_reorder(unordered)
    out = _run(tf, [r, r2, filled, empty, kept, reordered])
    for v in out:
        if hasattr(v, "indices"):
            show(v.indices, v.values, v.dense_shape)
        else:
            show(v)


def case_segment_ops_and_grads(tf, show):
    data = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    idx = tf.constant([0, 2, 2, 1])
    seg = tf.constant([0, 0, 1, 3])
    outs = [
        tf.segment_sum(data, [0, 0, 2]),
        tf.sparse_segment_sum(data, idx, seg),
        tf.sparse_segment_mean(data, idx, seg),
        tf.sparse_segment_sqrt_n(data, idx, seg),
    ]
    grads = [tf.gradients(tf.reduce_sum(o * o), data)[0] for o in outs]
    show(_run(tf, outs + [tf.convert_to_tensor(g) for g in grads]))


def case_embedding_lookup_sparse(tf, show):
    params = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 7.0], [0.5, -1.0]])
    ids = tf.SparseTensor(
        [[0, 0], [0, 1], [2, 0], [2, 1], [3, 0]], tf.constant([1, 3, 0, 0, 2], tf.int64), [4, 2]
    )
    w = tf.SparseTensor(
        [[0, 0], [0, 1], [2, 0], [2, 1], [3, 0]], [2.0, 1.0, 0.5, 3.0, -1.0], [4, 2]
    )
    # every row has an id for the unsafe lookups (TF 2's div_no_nan differs from TF 1.15's
    # divide for a row without ids)
    full = tf.SparseTensor(
        [[0, 0], [0, 1], [1, 0], [2, 0]], tf.constant([1, 3, 0, 2], tf.int64), [3, 2]
    )
    full_w = tf.SparseTensor(full.indices, [2.0, 1.0, 0.5, -1.0], [3, 2])
    outs = []
    for combiner in ("sum", "mean", "sqrtn"):
        outs.append(tf.nn.embedding_lookup_sparse(params, full, None, combiner=combiner))
        outs.append(tf.nn.embedding_lookup_sparse(params, full, full_w, combiner=combiner))
        outs.append(tf.nn.safe_embedding_lookup_sparse(params, ids, combiner=combiner))
        outs.append(tf.nn.safe_embedding_lookup_sparse(params, ids, w, combiner=combiner))
    ids3 = tf.SparseTensor([[0, 0, 0], [1, 1, 0]], tf.constant([1, -1], tf.int64), [2, 2, 1])
    outs.append(tf.nn.safe_embedding_lookup_sparse(params, ids3, default_id=3))
    print([o.shape for o in outs])
    show(_run(tf, outs))


def case_lookup_tables(tf, show, expect_error):
    init = tf.lookup.KeyValueTensorInitializer(["a", "b"], tf.constant([7, 8], tf.int64))
    table = tf.lookup.StaticHashTable(init, -1)
    out = table.lookup(tf.constant([["b", "q"], ["a", "a"]]))
    sp = table.lookup(tf.SparseTensor([[0, 1]], tf.constant(["a"]), [1, 2]))
    size = table.size()
    print(out.shape, sp.values.shape)
    with tf.Session() as sess:
        expect_error(lambda: sess.run(out))
        sess.run(tf.tables_initializer())
        sess.run(tf.tables_initializer())
        show(sess.run([out, sp.values, size]))
    path = Path(tempfile.mkdtemp()) / "kv.txt"
    path.write_text("7\tseven\n9\tnine\n")
    init2 = tf.lookup.TextFileInitializer(str(path), tf.int64, 0, tf.string, 1)
    table2 = tf.lookup.StaticHashTable(init2, "?")
    show(_run(tf, table2.lookup(tf.constant([9, 8, 7], tf.int64))))


def case_bucketize_and_columns_protocol(tf, show):
    fc = tf.feature_column
    age = fc.numeric_column("age", shape=2, dtype=tf.int64)
    b = fc.bucketized_column(age, [0.0, 10.0, 20.0])
    ids = fc.categorical_column_with_identity("i", 5, default_value=0)
    h = fc.categorical_column_with_hash_bucket("n", 10, dtype=tf.int64)
    v = fc.categorical_column_with_vocabulary_list("v", [5, 9, 11], num_oov_buckets=2)
    x = fc.crossed_column([b, "s", v], 17, hash_key=123)
    feats = {
        "age": tf.constant([[-1, 10], [25, 3]], tf.int64),
        "i": tf.SparseTensor([[0, 0], [1, 0], [1, 1]], tf.constant([2, 7, 4], tf.int64), [2, 2]),
        "n": tf.constant([[3, -1], [42, 8]], tf.int64),
        "v": tf.constant([[9, 12], [5, -1]], tf.int64),
        "s": tf.constant([["p"], ["q"]]),
    }
    trans = _transform(tf, feats, [b, ids, h, v, x])
    dense = fc.input_layer(feats, [fc.indicator_column(c) for c in (b, ids, h, v, x)] + [b])
    out = _run(tf, [dense, trans])
    show(out[0])
    for k in sorted(out[1]):
        val = out[1][k]
        if hasattr(val, "indices"):
            show(k, val.indices, val.values, val.dense_shape)
        else:
            show(k, val)


def _transform(tf, feats, cols):
    # TF 1.x's private _LazyBuilder-driven transform, as canned estimators call it
    import importlib

    try:
        mod = importlib.import_module("tensorflow.python.feature_column.feature_column")
    except ImportError:
        mod = importlib.import_module("scopeflow.feature_column._base")
    builder = mod._LazyBuilder(feats)
    return {c.name: builder.get(c) for c in cols}


def case_vocabulary_file_column(tf, show):
    fc = tf.feature_column
    path = Path(tempfile.mkdtemp()) / "vocab.txt"
    path.write_text("red\ngreen\nblue\n")
    c1 = fc.categorical_column_with_vocabulary_file("color", str(path))
    c2 = fc.categorical_column_with_vocabulary_file("color", str(path), num_oov_buckets=3)
    c3 = fc.categorical_column_with_vocabulary_file("color", str(path), vocabulary_size=2,
                                                    default_value=1)  # fmt: skip
    print(c1._num_buckets, c2._num_buckets, c3._num_buckets)
    feats = {"color": tf.constant([["blue", "pink"], ["red", ""]])}
    out = [fc.input_layer(feats, [fc.indicator_column(c)]) for c in (c1, c2, c3)]
    show(_run(tf, out))


def case_parse_example_to_input_layer(tf, show):
    fc = tf.feature_column
    cols = [
        fc.numeric_column("x", shape=2, default_value=[0.5, 0.25]),
        fc.embedding_column(fc.categorical_column_with_hash_bucket("tags", 6), 2,
                            combiner="sum", initializer=tf.constant_initializer(0.1)),
    ]  # fmt: skip
    spec = fc.make_parse_example_spec(cols)

    def example(**kw):
        feats = {}
        for k, v in kw.items():
            if isinstance(v[0], float):
                feats[k] = tf.train.Feature(float_list=tf.train.FloatList(value=v))
            else:
                feats[k] = tf.train.Feature(bytes_list=tf.train.BytesList(value=v))
        return tf.train.Example(features=tf.train.Features(feature=feats)).SerializeToString()

    serialized = [example(x=[1.0, 2.0], tags=[b"a", b"b", b"c"]), example(tags=[b"zz"]), example()]
    parsed = tf.parse_example(tf.constant(serialized), spec)
    out = fc.input_layer(parsed, cols)
    show(_run(tf, out))


def case_ckpt_to_load_from(tf, show):
    fc = tf.feature_column
    path = str(Path(tempfile.mkdtemp()) / "emb.ckpt")
    with tf.Graph().as_default():
        v = tf.get_variable(
            "old/emb", initializer=tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
        )
        with tf.Session() as sess:
            sess.run(v.initializer)
            tf.train.Saver([v]).save(sess, path)
    col = fc.embedding_column(fc.categorical_column_with_identity("i", 3), 2,
                              ckpt_to_load_from=path, tensor_name_in_ckpt="old/emb")  # fmt: skip
    out = fc.input_layer({"i": tf.constant([[2], [0]], tf.int64)}, [col])
    show(_run(tf, out))


def case_partitioned_linear_model_one_string_cell(tf, show):
    fc = tf.feature_column
    part = tf.min_max_variable_partitioner(max_partitions=0, min_slice_size=64 << 20)
    with tf.variable_scope("linear", partitioner=part):
        out = fc.linear_model(
            {"x": tf.constant([[1.0, 2.0]]), "b": tf.constant([["a"]])},
            [
                fc.numeric_column("x", shape=2),
                fc.categorical_column_with_vocabulary_list("b", ["a", "c"]),
            ],
        )
    step = tf.train.FtrlOptimizer(0.2).minimize(
        tf.reduce_sum(out), global_step=tf.train.get_or_create_global_step()
    )
    print([v.name for v in tf.global_variables()])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(tf.tables_initializer())
        sess.run(step)
        show(sess.run(out), sess.run(tf.gather_nd(tf.constant([["a"]]), [[0, 0]])))
