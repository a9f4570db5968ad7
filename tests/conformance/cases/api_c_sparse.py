"""tf.sparse_add / tf.sparse.add (sparse+sparse with thresh, sparse+dense) and tf.sparse_concat /
tf.sparse.concat (expand_nonconcat_dim): names, static shapes, values, gradients, errors."""


def _ab(tf):
    a = tf.SparseTensor([[0, 1], [1, 0], [2, 2]], [1.0, 2.0, 3.0], [3, 3])
    b = tf.SparseTensor([[0, 1], [1, 1], [2, 2]], [0.5, -2.0, -3.0], [3, 3])
    return a, b


def case_sparse_add(tf, show):
    a, b = _ab(tf)
    c = tf.sparse_add(a, b)
    print([t.name for t in (c.indices, c.values, c.dense_shape)], c.indices.op.type)
    print(c.indices.shape, c.values.shape, c.dense_shape.shape, c.shape)
    print([i.name for i in c.indices.op.inputs], sorted(c.indices.op.node_def.attr))
    d = tf.sparse.add(a, b, thresh=0.6)
    d2 = tf.sparse_add(a, b, threshold=2.0)
    e = tf.sparse_add(a, tf.ones([3, 3]))
    e2 = tf.sparse.add(tf.ones([3, 3]), a)
    print(e.name, e.shape, e.op.type, [i.name for i in e.op.inputs], e2.name)
    p = tf.sparse_placeholder(tf.float32)
    f = tf.sparse_add(p, a)
    print(f.dense_shape.name, f.indices.shape)
    gv = tf.gradients(tf.reduce_sum(d.values * d.values), [a.values, b.values])
    ge = tf.gradients(tf.reduce_sum(e * e), a.values)
    ia = tf.SparseTensor([[0], [2]], [1, 2], [4])
    ib = tf.SparseTensor([[1], [2]], [5, -2], [4])
    with tf.Session() as sess:
        show(sess.run([c, d, d2, e, e2]))
        show(sess.run([gv, ge]))
        show(sess.run(tf.sparse_add(ia, ib, thresh=1)))


def case_sparse_add_errors(tf, expect_error):
    a, _ = _ab(tf)
    expect_error(lambda: tf.sparse_add(tf.ones([2]), tf.ones([2])))
    expect_error(lambda: tf.sparse_add(a, tf.SparseTensor([[0]], [1], [3])), message=False)
    bad = tf.sparse_add(a, tf.ones([3, 4]))
    p = tf.sparse_placeholder(tf.float32)
    bad2 = tf.sparse_add(a, p)
    with tf.Session() as sess:
        expect_error(lambda: sess.run(bad), message=False)
        expect_error(
            lambda: sess.run(bad2, {p: tf.SparseTensorValue([[0, 0]], [1.0], [3, 4])}),
            message=False,
        )


def case_sparse_concat(tf, show):
    a, b = _ab(tf)
    cc = tf.sparse_concat(1, [a, b])
    print(
        [t.name for t in (cc.indices, cc.values, cc.dense_shape)],
        cc.indices.shape,
        cc.values.shape,
        cc.indices.op.type,
        sorted(cc.indices.op.node_def.attr),
        cc.indices.op.get_attr("concat_dim"),
    )
    c = tf.SparseTensor([[0, 0]], [9.0], [1, 2])
    cc2 = tf.sparse.concat(0, [a, c], expand_nonconcat_dim=True)
    print(cc2.dense_shape.name, cc2.shape)
    cc3 = tf.sparse_concat(-1, [a, b, a], name="cat")
    print(cc3.indices.name, cc3.shape, cc3.indices.op.get_attr("concat_dim"))
    p = tf.sparse_placeholder(tf.float32, shape=[None, 3])
    cc4 = tf.sparse_concat(0, [a, p])
    print(cc4.dense_shape.name, cc4.indices.shape)
    g = tf.gradients(tf.reduce_sum(cc.values * tf.range(6, dtype=tf.float32)), [a.values, b.values])
    with tf.Session() as sess:
        show(sess.run([cc, cc2, cc3]))
        show(sess.run(cc4, {p: tf.SparseTensorValue([[1, 2], [0, 1]], [7.0, 8.0], [2, 3])}))
        q = tf.sparse_placeholder(tf.float32, shape=[3, None])
        show(
            sess.run(
                tf.sparse_concat(1, [q, a]),
                {q: tf.SparseTensorValue([[1, 1], [0, 0]], [7.0, 8.0], [3, 2])},
            )
        )
    print(g)


def case_sparse_concat_errors(tf, expect_error):
    a, _ = _ab(tf)
    c = tf.SparseTensor([[0, 0]], [9.0], [1, 2])
    bad = tf.sparse_concat(0, [a, c])
    expect_error(lambda: tf.sparse_concat(0, a))
    expect_error(lambda: tf.sparse_concat(0, [a, tf.ones([3, 3])]))
    with tf.Session() as sess:
        expect_error(lambda: sess.run(bad), message=False)


def case_sparse_maximum_minimum(tf, show):
    a = tf.SparseTensor([[0, 1], [1, 0], [2, 2]], [1.0, -2.0, 3.0], [3, 3])
    b = tf.SparseTensor([[0, 1], [1, 1], [2, 2]], [0.5, -2.0, 5.0], [3, 3])
    m = tf.sparse_maximum(a, b)
    n = tf.sparse.minimum(a, b, name="mn")
    print(
        [t.name for t in (m.indices, m.values, m.dense_shape)],
        m.indices.shape,
        m.values.shape,
        sorted(m.indices.op.node_def.attr),
    )
    print([t.name for t in (n.indices, n.values, n.dense_shape)])
    # (TF has no working gradient for these ops: TF 1.15's raises NotImplementedError)
    with tf.Session() as sess:
        show(sess.run([m, n]))
        show(
            sess.run(
                tf.sparse_maximum(
                    tf.SparseTensor([[0], [2]], [4, -1], [3]), tf.SparseTensor([[1]], [-7], [3])
                )
            )
        )


def case_sparse_softmax(tf, show):
    a = tf.SparseTensor([[0, 1], [1, 0], [2, 2]], [1.0, -2.0, 3.0], [3, 3])
    s = tf.sparse_softmax(a)
    print(
        [t.name for t in (s.indices, s.values, s.dense_shape)],
        s.values.shape,
        sorted(s.values.op.node_def.attr),
    )
    c = tf.SparseTensor(
        [[0, 0, 1], [0, 0, 3], [1, 2, 0], [1, 2, 1], [1, 3, 2]],
        [1.0, 2.0, 3.0, -1.0, 7.0],
        [2, 4, 4],
    )
    sc = tf.sparse.softmax(c, name="smx")
    print(sc.values.name)
    g = tf.gradients(tf.reduce_sum(sc.values * tf.constant([1.0, 2.0, 3.0, 4.0, 5.0])), c.values)
    with tf.Session() as sess:
        show(sess.run([s, sc, g]))


def case_sparse_eye(tf, show, expect_error):
    e = tf.sparse.eye(3, 2)
    print(
        [t.name for t in (e.indices, e.values, e.dense_shape)],
        e.values.dtype,
        e.shape,
        e.indices.shape,
    )
    print([o.name for o in tf.get_default_graph().get_operations()])
    n = tf.placeholder(tf.int32, [])
    e2 = tf.sparse.eye(n, dtype=tf.int32, name="ey")
    print(e2.values.name, e2.values.dtype, e2.shape)
    with tf.Session() as sess:
        show(sess.run(e), sess.run(e2, {n: 3}))
    expect_error(lambda: tf.sparse.eye(2.5))
