"""Array ops: slicing, reshape/stack/concat/split, shape changes, gather/scatter, where, masks.

Each case prints op names, static shapes (with unknown dims and rank), dtypes and values on small
deterministic inputs, or the build-/run-time error TF raises.
"""

import numpy as np


def _m23(tf):
    return tf.constant([[1, 2, 3], [4, 5, 6]], name="m")


def _desc(ts):
    return [(t.name, str(t.get_shape()), t.dtype.name) for t in ts]


def case_getitem_forms(tf, show):
    c = tf.constant(np.arange(24).reshape(2, 3, 4))
    outs = [c[1], c[-1, -2], c[:, 1:], c[::-1], c[:, ::-2, 1], c[..., 0], c[tf.newaxis, 0],
            c[0, ..., None], c[1:0], c[:, -1:, :2], c[0, 2:0:-1], c[..., ::-3]]  # fmt: skip
    for line in _desc(outs):
        print(line)
    with tf.Session() as sess:
        show(sess.run(outs))


def case_getitem_ops_and_masks(tf):
    c = _m23(tf)
    i = tf.constant(1)
    s = c[i, ::-1]
    ops = tf.get_default_graph().get_operations()
    print([(o.name, o.type) for o in ops])
    print(s.get_shape(), [s.op.get_attr(k) for k in ("begin_mask", "end_mask", "shrink_axis_mask")])


def case_getitem_partial_and_unknown(tf, show):
    p = tf.placeholder(tf.float32, [None, 3, None])
    u = tf.placeholder(tf.float32)
    outs = [p[0], p[:, 1], p[..., 1:], p[:, ::-1, None], u[1:], u[0, ..., 2]]
    print([str(o.get_shape()) for o in outs])
    with tf.Session() as sess:
        val = np.arange(12, dtype=np.float32).reshape(2, 3, 2)
        show(sess.run(outs[:4], {p: val}))


def case_getitem_int64_tensor_index(tf, show):
    c = _m23(tf)
    a = c[tf.constant(1, tf.int64), 1]
    b = c[0 : tf.constant(1, tf.int64)]
    print(a.get_shape(), b.get_shape(), a.op.inputs[1].dtype.name)
    with tf.Session() as sess:
        show(sess.run([a, b]))


def case_getitem_errors(tf, expect_error):
    c = _m23(tf)
    expect_error(lambda: c[5])
    expect_error(lambda: c[0, 0, 0])
    expect_error(lambda: c[..., ...])
    expect_error(lambda: c[::0])
    expect_error(lambda: c["a"])
    expect_error(lambda: c[1.5])
    expect_error(lambda: c[tf.constant([0, 1])])
    expect_error(lambda: tf.constant(3)[0])


def case_getitem_runtime_out_of_bounds(tf, expect_error):
    p = tf.placeholder(tf.float32, [None])
    s = p[3]
    with tf.Session() as sess:
        expect_error(lambda: sess.run(s, {p: np.zeros(2)}))


def case_strided_slice_explicit(tf, show):
    c = tf.constant(np.arange(12).reshape(3, 4))
    a = tf.strided_slice(c, [0, 3], [3, 0], [2, -1])
    b = tf.strided_slice(c, [1], [2], shrink_axis_mask=1)
    d = tf.strided_slice(c, [0, 0], [0, 2], [1, 1], begin_mask=1, end_mask=1, new_axis_mask=0)
    e = tf.strided_slice(c, [0, 0, 1], [0, 0, 3], [1, 1, 1], ellipsis_mask=1, new_axis_mask=2)
    for line in _desc([a, b, d, e]):
        print(line)
    with tf.Session() as sess:
        show(sess.run([a, b, d, e]))


def case_shape_slices_fold_into_reshape(tf, show):
    x = tf.placeholder(tf.float32, [None, 2, 3])
    s = tf.shape(x)
    outs = [
        tf.reshape(x, [s[0], -1]),
        tf.reshape(x, [s[0], 6]),
        tf.reshape(x, [s[0], s[1], 3]),
        tf.reshape(x, s),
        tf.reshape(x, [-1, 3]),
        tf.reshape(x, [s[2], s[0], s[1]]),
        tf.zeros([s[0], 5]),
        tf.fill([s[0], 3], 1.0),
    ]
    print([str(o.get_shape()) for o in outs])
    print(s[1:].get_shape(), tf.reshape(tf.zeros([2, 3]), tf.shape(x)[1:]).get_shape())
    with tf.Session() as sess:
        show(sess.run(outs[1], {x: np.ones([2, 2, 3])}))


def case_shape_of_fully_defined_is_const(tf):
    s = tf.shape(tf.zeros([2, 3]))
    print(s.name, s.op.type, tf.shape(tf.placeholder(tf.float32, [None])).op.type)


def case_reshape_static(tf, expect_error):
    c = _m23(tf)
    y = tf.placeholder(tf.float32, [4, None])
    print(tf.reshape(c, [3, -1]).get_shape(), tf.reshape(y, [2, -1, 2]).get_shape())
    print(tf.reshape(y, [-1, 8]).get_shape(), tf.reshape(c, [-1, -1]).get_shape())
    expect_error(lambda: tf.reshape(c, [4, -1]))
    expect_error(lambda: tf.reshape(c, [4, 2]))
    expect_error(lambda: tf.reshape(c, [-2, 3]))
    expect_error(lambda: tf.reshape(c, [0, -1]))


def case_reshape_runtime_error(tf, expect_error):
    p = tf.placeholder(tf.float32, [None])
    r = tf.reshape(p, [2, -1])
    with tf.Session() as sess:
        expect_error(lambda: sess.run(r, {p: np.zeros(3)}), message=False)


def case_stack_concat(tf, show, expect_error):
    a = tf.constant([1, 2])
    b = tf.constant([3, 4])
    outs = [tf.stack([a, b]), tf.stack([a, b], axis=1), tf.stack([tf.constant(1), 5]),
            tf.concat([a, b], 0), tf.concat([a], 0), tf.concat([[a], [b]], -1)]  # fmt: skip
    for line in _desc(outs):
        print(line)
    print([o.type for o in tf.get_default_graph().get_operations()])
    with tf.Session() as sess:
        show(sess.run(outs))
    expect_error(lambda: tf.stack([a, 5]))
    expect_error(lambda: tf.stack([_m23(tf), a]))
    expect_error(lambda: tf.concat([_m23(tf), a], 0))
    expect_error(lambda: tf.concat([_m23(tf), tf.constant([[1, 2]])], 0))
    expect_error(lambda: tf.concat([_m23(tf), _m23(tf)], 2))


def case_concat_partial(tf):
    p = tf.placeholder(tf.float32, [None, 3])
    q = tf.placeholder(tf.float32, [2, None])
    u = tf.placeholder(tf.float32)
    print(tf.concat([p, q], 0).get_shape(), tf.concat([p, q], 1).get_shape())
    print(tf.concat([p, u], 1).get_shape(), tf.concat([u, u], 0).get_shape())
    print(tf.concat([p, q], tf.placeholder(tf.int32, [])).get_shape())


def case_split_unstack(tf, show, expect_error):
    c = tf.constant(np.arange(12).reshape(2, 6))
    parts = tf.split(c, 3, axis=1) + tf.split(c, [1, -1, 2], 1) + tf.unstack(c, axis=1)[:2]
    for line in _desc(parts):
        print(line)
    with tf.Session() as sess:
        show(sess.run(parts))
    print(_desc(tf.split(tf.placeholder(tf.float32, [None, 4]), 2, 1)))
    print(_desc(tf.unstack(tf.placeholder(tf.float32, [2, None]))))
    m = _m23(tf)
    expect_error(lambda: tf.split(m, 2, axis=1))
    expect_error(lambda: tf.split(m, [1, 1], axis=1))
    expect_error(lambda: tf.split(m, [-1, -1, 1], axis=1))
    expect_error(lambda: tf.split(m, 2, axis=2))
    expect_error(lambda: tf.unstack(m, axis=2))
    expect_error(lambda: tf.unstack(tf.placeholder(tf.float32, [None, 2])))
    expect_error(lambda: tf.unstack(m, num=3))


def case_squeeze_expand_dims(tf, show, expect_error):
    x = tf.constant(np.arange(6).reshape(1, 2, 1, 3))
    outs = [
        tf.squeeze(x),
        tf.squeeze(x, [0]),
        tf.squeeze(x, axis=-2),
        tf.squeeze(x, squeeze_dims=[2]),
        tf.expand_dims(x, 0),
        tf.expand_dims(x, -1),
        tf.expand_dims(x, dim=2),
    ]
    for line in _desc(outs):
        print(line)
    p = tf.placeholder(tf.float32, [None, 1, 3])
    print(
        tf.squeeze(p).get_shape(), tf.squeeze(p, [1]).get_shape(), tf.expand_dims(p, 1).get_shape()
    )
    with tf.Session() as sess:
        show(sess.run(outs[:3]))
    m = _m23(tf)
    expect_error(lambda: tf.squeeze(m, [0]))
    expect_error(lambda: tf.squeeze(m, [2]))
    expect_error(lambda: tf.expand_dims(m, 3))


def case_transpose(tf, show, expect_error):
    x = tf.constant(np.arange(24).reshape(2, 3, 4))
    outs = [tf.transpose(x), tf.transpose(x, [1, 0, 2]), tf.transpose(x, perm=[2, 0, 1])]
    for line in _desc(outs):
        print(line)
    u = tf.transpose(tf.placeholder(tf.float32))
    print(u.get_shape(), [o.name for o in tf.get_default_graph().get_operations()][-7:])
    with tf.Session() as sess:
        show(sess.run(outs))
    m = _m23(tf)
    expect_error(lambda: tf.transpose(m, [0]))
    expect_error(lambda: tf.transpose(m, [0, 2]))


def case_tile_pad(tf, show, expect_error):
    m = _m23(tf)
    outs = [tf.tile(m, [2, 1]), tf.pad(m, [[1, 0], [0, 2]]), tf.pad(m, [[1, 1], [1, 1]],
            constant_values=7), tf.pad(m, [[1, 1], [2, 2]], mode="reflect"),
            tf.pad(m, [[2, 1], [3, 1]], mode="SYMMETRIC")]  # fmt: skip
    for line in _desc(outs):
        print(line)
    p = tf.placeholder(tf.float32, [None, 3])
    print(tf.tile(p, [2, 2]).get_shape(), tf.pad(p, [[1, 1], [0, 1]]).get_shape())
    with tf.Session() as sess:
        show(sess.run(outs))
    expect_error(lambda: tf.tile(m, [2]))
    expect_error(lambda: tf.pad(m, [[1, 1]]))
    expect_error(lambda: tf.pad(m, [[1, 1], [1, 1]], mode="foo"))


def case_mirror_pad_runtime_error(tf, expect_error):
    p = tf.placeholder(tf.float32, [None])
    r = tf.pad(p, [[3, 0]], mode="REFLECT")
    with tf.Session() as sess:
        expect_error(lambda: sess.run(r, {p: np.zeros(2)}))


def case_gather(tf, show, expect_error):
    params = tf.constant(np.arange(12).reshape(3, 4))
    outs = [tf.gather(params, [2, 0]), tf.gather(params, [[1], [2]], axis=1),
            tf.gather(params, 1), tf.gather(params, [[0, 2], [1, 0]], validate_indices=True),
            tf.gather(params, [[3], [0], [1]], axis=1, batch_dims=1)]  # fmt: skip
    for line in _desc(outs):
        print(line)
    with tf.Session() as sess:
        show(sess.run(outs))
    expect_error(lambda: tf.gather(params, [0], axis=2))
    expect_error(lambda: tf.gather(params, [0.0]))


def case_gather_runtime_out_of_range(tf, expect_error):
    i = tf.placeholder(tf.int32, [None])
    g = tf.gather(tf.constant([1.0, 2.0]), i)
    with tf.Session() as sess:
        expect_error(lambda: sess.run(g, {i: [0, 5]}))


def case_gather_nd_scatter_nd(tf, show, expect_error):
    m = _m23(tf)
    outs = [tf.gather_nd(m, [[1, 0], [0, 2]]), tf.gather_nd(m, [[1]]),
            tf.scatter_nd([[1], [0], [1]], [5, 6, 7], [3]),
            tf.scatter_nd([[0, 1]], [[1.5, 2.5]], tf.constant([2, 2, 2]))]  # fmt: skip
    for line in _desc(outs):
        print(line)
    with tf.Session() as sess:
        show(sess.run(outs))
    expect_error(lambda: tf.gather_nd(m, [[0, 0, 0]]))


def case_one_hot_range(tf, show, expect_error):
    outs = [tf.one_hot([1, 0, 3], 3), tf.one_hot([1, 2], 3, on_value=5, off_value=1),
            tf.one_hot([[0, 2]], 3, axis=1, dtype=tf.float64), tf.range(5), tf.range(1, 8, 3),
            tf.range(1.0, 5), tf.range(5, 0, -2), tf.range(0, 3, dtype=tf.int64)]  # fmt: skip
    for line in _desc(outs):
        print(line)
    with tf.Session() as sess:
        show(sess.run(outs))
    expect_error(lambda: tf.one_hot([1, 2], 3, dtype=tf.int32, on_value=1.0))
    expect_error(lambda: tf.one_hot([1.0], 3))
    expect_error(lambda: tf.range(0, 5, 0))
    expect_error(lambda: tf.range(5, 1))


def case_where_select(tf, show, expect_error):
    cond = tf.constant([[True, False], [False, True]])
    a = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    b = tf.constant([[10.0, 20.0], [30.0, 40.0]])
    outs = [tf.where(cond), tf.where(cond, a, b), tf.where([True, False], a, b),
            tf.where_v2([True, False], a, 0.5), tf.where(tf.constant([0, 3, 0, 1]))]  # fmt: skip
    for line in _desc(outs):
        print(line)
    with tf.Session() as sess:
        show(sess.run(outs))
    c2 = tf.constant([True, False])
    expect_error(lambda: tf.where(c2, [1, 2], [1.0, 2.0]))
    expect_error(lambda: tf.where(c2, [[1, 2]], [[3, 4]]))
    expect_error(lambda: tf.where(tf.constant([[True, False]]), [1, 2], [3, 4]))
    expect_error(lambda: tf.where(c2, [1, 2]))


def case_boolean_mask_sequence_mask(tf, show):
    m = _m23(tf)
    outs = [tf.boolean_mask(m, [True, False]), tf.boolean_mask(m, [True, False, True], axis=1),
            m[tf.constant([False, True])], tf.sequence_mask([1, 3], 4),
            tf.sequence_mask(tf.constant([[2], [0]]), 3, dtype=tf.float32)]  # fmt: skip
    for line in _desc(outs):
        print(line)
    with tf.Session() as sess:
        show(sess.run(outs))


def case_reverse_shape_n_broadcast_unique(tf, show, expect_error):
    m = _m23(tf)
    u = tf.unique(tf.constant([4, 1, 4, 2, 1]))
    outs = [tf.reverse(m, [1]), tf.reverse(m, [0, 1]), *tf.shape_n([m, tf.zeros([4], tf.int32)]),
            tf.broadcast_to(tf.constant([1, 2, 3]), [2, 3]), u.y, u.idx,
            tf.reverse_sequence(m, [2, 3], seq_axis=1, batch_axis=0)]  # fmt: skip
    for line in _desc(outs):
        print(line)
    with tf.Session() as sess:
        show(sess.run(outs))
    expect_error(lambda: tf.shape_n([m, tf.zeros([4])]))


def case_fill_zeros_ones_like(tf, show, expect_error):
    x = tf.placeholder(tf.float32, [None, 2])
    outs = [tf.zeros_like(x), tf.ones_like(x, dtype=tf.int32), tf.fill([2, 2], 3),
            tf.zeros([2, 3], tf.int64), tf.ones(tf.shape(x)), tf.identity(x)]  # fmt: skip
    for line in _desc(outs):
        print(line)
    with tf.Session() as sess:
        show(sess.run(outs, {x: np.ones([1, 2])}))
    expect_error(lambda: tf.fill([2, 2], [1]))


def case_size_rank_out_type(tf, show):
    x = tf.placeholder(tf.float32, [None, 3])
    outs = [tf.size(x), tf.size(x, out_type=tf.int64), tf.rank(x), tf.shape(x, out_type=tf.int64)]
    for line in _desc(outs):
        print(line)
    with tf.Session() as sess:
        show(sess.run(outs, {x: np.zeros([2, 3])}))
