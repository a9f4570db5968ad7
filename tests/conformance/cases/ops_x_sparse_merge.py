"""``tf.sparse_merge`` and ``tf.sparse_to_indicator`` against TF (op names, values, errors)."""


def _ops(tf):
    return [op.name for op in tf.get_default_graph().get_operations()]


def case_sparse_merge(tf, expect_error):
    ids = tf.SparseTensor([[0, 0], [0, 1], [1, 0]], tf.constant([3, 1, 2], tf.int64), [2, 2])
    ids32 = tf.SparseTensor([[0, 0], [0, 1], [1, 0]], tf.constant([0, 1, 1]), [2, 2])
    vals = tf.SparseTensor([[0, 0], [0, 1], [1, 0]], [-0.5, 1.0, 2.0], [2, 2])
    a = tf.sparse_merge(ids, vals, 4)
    b = tf.sparse_merge([ids, ids32], vals, [4, 2], name="two")
    c = tf.sparse.merge(ids, vals, tf.constant(5), already_sorted=True)
    print(_ops(tf)[-30:])
    print(a.indices.name, a.dense_shape.name, b.values.name, c.indices.name)
    with tf.Session() as sess:
        for x in sess.run([a, b, c]):
            print(x.indices.tolist(), x.values.tolist(), x.dense_shape.tolist())
    expect_error(lambda: tf.sparse_merge(ids, vals, 4.0))
    expect_error(lambda: tf.sparse_merge([ids], vals, [4, 5]))


def case_sparse_to_indicator(tf, expect_error):
    sp = tf.SparseTensor([[0, 0], [0, 1], [1, 0], [1, 1]], tf.constant([2, 0, 1, 1], tf.int64),
                         [3, 2])  # fmt: skip
    ind = tf.sparse_to_indicator(sp, 3)
    ind2 = tf.sparse.to_indicator(sp, 4, name="ind")
    print(ind.name, ind.dtype.name, ind.shape, ind2.name, _ops(tf)[-6:])
    with tf.Session() as sess:
        print(sess.run(ind).tolist(), sess.run(ind2).tolist())
