"""tf.serialize_sparse / tf.io.serialize_many_sparse / tf.deserialize_many_sparse (TF 1.15):
op types, attrs, static shapes, the serialized bytes, round trips, errors."""


def _sp(tf):
    return tf.SparseTensor([[0, 1, 0], [1, 0, 2], [1, 2, 1]], [1.5, 2.0, 3.0], [2, 3, 4])


def case_serialize(tf, show):
    sp = _sp(tf)
    s = tf.serialize_sparse(sp)
    m = tf.io.serialize_many_sparse(sp)
    ss = tf.io.serialize_sparse(tf.SparseTensor([[0], [3]], ["a", "bc"], [5]), name="strs")
    m2 = tf.serialize_many_sparse(tf.SparseTensor([[0, 0], [2, 1]], [7, 8], [4, 2]))
    e = tf.serialize_sparse(tf.SparseTensor(tf.zeros([0, 2], tf.int64), tf.zeros([0]), [2, 2]))
    for t in (s, m, ss, m2, e):
        print(
            t.name,
            t.op.type,
            t.shape,
            t.dtype.name,
            sorted(t.op.node_def.attr),
            t.op.get_attr("T"),
            [i.name for i in t.op.inputs],
        )
    with tf.Session() as sess:
        show(sess.run([s, m, ss, m2, e]))


def case_deserialize(tf, show):
    sp = _sp(tf)
    m = tf.io.serialize_many_sparse(sp)
    d = tf.deserialize_many_sparse(m, tf.float32)
    d2 = tf.io.deserialize_many_sparse(m, tf.float32, rank=3, name="des")
    p = tf.placeholder(tf.string, [None, 3])
    d3 = tf.deserialize_many_sparse(p, tf.int32)
    for r in (d, d2, d3):
        print(
            [x.name for x in (r.indices, r.values, r.dense_shape)],
            r.indices.op.type,
            r.indices.shape,
            r.values.shape,
            r.dense_shape.shape,
            sorted(r.indices.op.node_def.attr),
        )
    a = tf.SparseTensor([[0, 0], [0, 2]], [1, 2], [1, 3])
    b = tf.SparseTensor([[0, 1], [1, 4]], [3, 4], [2, 5])
    both = tf.concat([tf.serialize_many_sparse(a), tf.serialize_many_sparse(b)], 0)
    strs = tf.SparseTensor([[0, 0], [1, 1], [1, 2]], ["x", "yy", "z"], [3, 3])
    with tf.Session() as sess:
        show(sess.run([d, d2]))
        show(sess.run(tf.deserialize_many_sparse(both, tf.int32)))
        show(sess.run(tf.deserialize_many_sparse(tf.serialize_many_sparse(strs), tf.string)))
        ser = sess.run(tf.serialize_many_sparse(a))
        show(sess.run(d3, {p: ser}))


def case_serialize_errors(tf, expect_error):
    expect_error(lambda: tf.serialize_sparse(tf.ones([2])))
    expect_error(lambda: tf.deserialize_many_sparse(tf.constant(["a", "b"]), tf.int32))
    a = tf.SparseTensor([[0, 0], [0, 2]], [1, 2], [1, 3])
    wrong = tf.deserialize_many_sparse(tf.serialize_many_sparse(a), tf.int64)
    rank1 = tf.serialize_many_sparse(tf.SparseTensor([[0]], [1], [3]))
    with tf.Session() as sess:
        expect_error(lambda: sess.run(wrong))
        expect_error(lambda: sess.run(rank1))
