"""``tf.sparse_split`` and ``tf.sparse_slice`` against TF: op names, shapes, values, errors."""


def _sp(tf):
    return tf.SparseTensor(
        [[0, 1], [0, 6], [1, 0], [1, 5], [2, 3]], tf.constant([1.0, 2.0, 3.0, 4.0, 5.0]), [3, 7]
    )


def case_sparse_split(tf, expect_error):
    sp = _sp(tf)
    parts = tf.sparse_split(sp_input=sp, num_split=3, axis=1)
    rows = tf.sparse.split(sp_input=sp, num_split=2, axis=0, name="rows")
    neg = tf.sparse_split(sp_input=sp, num_split=2, axis=-1)
    print([(p.indices.name, p.indices.shape, p.values.shape, p.dense_shape.shape) for p in parts])
    print([p.values.name for p in rows], [p.dense_shape.name for p in neg])
    with tf.Session() as sess:
        for group in (parts, rows, neg):
            for p in sess.run(group):
                print(p.indices.tolist(), p.values.tolist(), p.dense_shape.tolist())
        expect_error(lambda: sess.run(tf.sparse_split(sp_input=sp, num_split=9, axis=1)))
    expect_error(lambda: tf.sparse_split(sp, 2, 1))
    expect_error(lambda: tf.sparse_split(sp_input=sp, num_split=2))
    expect_error(lambda: tf.gradients(parts[0].values, sp.values))


def case_sparse_split_of_strings(tf, expect_error):
    sp = tf.SparseTensor([[0, 0], [1, 2]], tf.constant(["a", "b"]), [2, 3])
    parts = tf.sparse_split(sp_input=sp, num_split=2, axis=0)
    with tf.Session() as sess:
        print([p.values.tolist() for p in sess.run(parts)])


def case_sparse_slice(tf, expect_error):
    sp = _sp(tf)
    s = tf.sparse_slice(sp, [0, 1], [2, 5])
    wide = tf.sparse.slice(sp, [1, 4], [9, 9], name="wide")
    empty = tf.sparse_slice(sp, [3, 0], [2, 2])
    print(s.indices.name, s.indices.shape, s.values.shape, s.dense_shape.shape, wide.values.name)
    grad = tf.gradients(tf.reduce_sum(s.values * 2.0), sp.values)[0]
    with tf.Session() as sess:
        for x in sess.run([s, wide, empty]):
            print(x.indices.tolist(), x.values.tolist(), x.dense_shape.tolist())
        print(sess.run(grad).tolist())
        expect_error(lambda: sess.run(tf.sparse_slice(sp, [0], [1, 1])))
