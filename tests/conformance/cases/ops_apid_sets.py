"""tf.sets (TF 1.15): set_intersection / set_union / set_difference / set_size and the short
aliases over dense and sparse operands: op types, attrs, static shapes, sorted sparse results,
strings, errors."""


def _operands(tf):
    a = tf.constant([[1, 2, 2, 3], [4, 5, 6, 4]])
    b = tf.constant([[3, 2, 7, 7], [6, 9, 4, 1]])
    sa = tf.SparseTensor([[0, 0], [0, 1], [1, 0], [1, 2]], [3, 1, 9, 4], [2, 4])
    sb = tf.SparseTensor([[0, 1], [1, 0], [1, 1]], [5, 4, 9], [2, 3])
    return a, b, sa, sb


def _describe(r):
    op = r.indices.op
    print(
        r.indices.name,
        r.values.name,
        r.dense_shape.name,
        op.type,
        op.get_attr("set_operation"),
        op.get_attr("validate_indices"),
        r.indices.shape,
        r.values.shape,
        r.dense_shape.shape,
        r.values.dtype.name,
        [i.name for i in op.inputs],
    )


def case_dense_dense(tf, show):
    a, b, _, _ = _operands(tf)
    outs = [
        tf.sets.set_intersection(a, b),
        tf.sets.set_union(a, b),
        tf.sets.set_difference(a, b),
        tf.sets.set_difference(a, b, aminusb=False),
        tf.sets.intersection(a, b, validate_indices=False),
        tf.sets.union(tf.cast(a, tf.int64), tf.cast(b, tf.int64)),
        tf.sets.difference(a, a),
    ]
    for r in outs:
        _describe(r)
    with tf.Session() as sess:
        show(sess.run(outs))


def case_dense_sparse(tf, show):
    a, _, sa, _ = _operands(tf)
    outs = [
        tf.sets.set_union(a, sa),
        tf.sets.set_intersection(a, sa),
        tf.sets.set_difference(sa, a),
        tf.sets.set_difference(a, sa),
        tf.sets.difference(sa, a, aminusb=False),
        tf.sets.intersection(sa, a),
    ]
    for r in outs:
        _describe(r)
    with tf.Session() as sess:
        show(sess.run(outs))


def case_sparse_sparse(tf, show):
    _, _, sa, _ = _operands(tf)
    sc = tf.SparseTensor([[0, 0], [0, 2], [1, 3]], [1, 8, 4], [2, 4])
    outs = [
        tf.sets.set_union(sa, sc),
        tf.sets.set_intersection(sa, sc),
        tf.sets.set_difference(sa, sc),
        tf.sets.difference(sa, sc, aminusb=False),
        tf.sets.set_difference(sa, sa),
    ]
    for r in outs:
        _describe(r)
    with tf.Session() as sess:
        show(sess.run(outs))


def case_rank3_and_strings(tf, show):
    x = tf.constant([[[1, 2], [3, 3]], [[5, 1], [2, 2]]])
    y = tf.constant([[[2, 2], [1, 3]], [[1, 0], [0, 9]]])
    s = tf.constant([["a", "b", "c"], ["b", "b", "z"]])
    t = tf.constant([["c", "", ""], ["a", "z", "y"]])
    st = tf.SparseTensor([[0, 0, 0], [0, 1, 1], [1, 0, 0]], [4, 3, 1], [2, 2, 2])
    p = tf.placeholder(tf.int32, [None, None, 3])
    outs = [
        tf.sets.set_union(x, y),
        tf.sets.set_intersection(x, y),
        tf.sets.set_union(s, t),
        tf.sets.set_difference(s, t),
        tf.sets.set_intersection(x, st),
    ]
    for r in outs:
        _describe(r)
    u = tf.sets.union(p, p)
    print(u.indices.shape, u.dense_shape.shape)
    with tf.Session() as sess:
        show(sess.run(outs))
        show(sess.run(tf.sets.set_difference(p, tf.ones_like(p)), {p: [[[1, 2, 3]], [[1, 1, 1]]]}))


def case_set_size(tf, show):
    _, _, sa, _ = _operands(tf)
    dup = tf.SparseTensor([[0, 0, 0], [0, 0, 1], [1, 2, 0], [1, 2, 3]], [7, 7, 1, 2], [2, 3, 4])
    strs = tf.SparseTensor([[0, 0], [0, 1], [2, 0]], ["x", "y", "x"], [3, 2])
    outs = [tf.sets.set_size(sa), tf.sets.size(dup), tf.sets.size(strs, validate_indices=False)]
    for o in outs:
        print(
            o.name,
            o.op.type,
            o.shape,
            o.dtype.name,
            sorted(o.op.node_def.attr),
            [i.name for i in o.op.inputs],
        )
    with tf.Session() as sess:
        show(sess.run(outs))
        show(
            sess.run(
                tf.sets.set_size(tf.sets.set_union(sa, tf.constant([[1, 1, 1, 1], [2, 2, 2, 2]])))
            )
        )


def case_set_errors(tf, expect_error):
    a, _, sa, _ = _operands(tf)
    expect_error(lambda: tf.sets.set_union(tf.constant([1.0]), tf.constant([1.0])), message=False)
    expect_error(lambda: tf.sets.set_union(tf.constant([[1]]), tf.constant([[1]], tf.int64)))
    expect_error(lambda: tf.sets.set_size(a))
    expect_error(lambda: tf.sets.set_size(tf.SparseTensor([[0, 0]], [1.0], [1, 1])), message=False)
    expect_error(lambda: tf.sets.set_union(tf.constant(1), tf.constant(1)))
    expect_error(lambda: tf.sets.set_union(tf.constant([1, 2]), tf.constant([1])))
    expect_error(lambda: tf.sets.set_union(tf.constant([[1, 2]]), tf.constant([[1, 2], [3, 4]])))
    expect_error(lambda: tf.sets.set_union(tf.constant([1, 2]), sa))
    bad = tf.sets.set_union(a, tf.SparseTensor([[0, 1], [0, 0]], [1, 2], [2, 2]))
    bad2 = tf.sets.set_size(tf.SparseTensor([[0, 5]], [1], [2, 2]))
    bad3 = tf.sets.set_union(a, tf.SparseTensor([[0, 0]], [1], [3, 2]))
    ok = tf.sets.set_union(
        a, tf.SparseTensor([[0, 1], [0, 0]], [1, 2], [2, 2]), validate_indices=False
    )
    with tf.Session() as sess:
        expect_error(lambda: sess.run(bad), message=False)
        expect_error(lambda: sess.run(bad2), message=False)
        expect_error(lambda: sess.run(bad3), message=False)
        expect_error(lambda: sess.run(ok).values)
