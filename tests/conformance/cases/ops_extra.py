"""Remaining TF1 op surface: TensorArray, variable scatter ops, SparseTensor/IndexedSlices,
version strings, and the smaller array/linalg/image ops.

Each case prints op names, static shapes, dtypes and values, or the error TF raises.
"""

import numpy as np


def _desc(ts):
    return [(t.name, str(t.get_shape()), t.dtype.name) for t in ts]


# --- TensorArray --------------------------------------------------------------------------------


def case_tensor_array_while_loop_and_gradient(tf, show):
    x = tf.constant(np.arange(6, dtype=np.float32).reshape(3, 2))
    n = 3
    ta = tf.TensorArray(tf.float32, size=n)
    print(_desc([ta.handle, ta.flow]))
    _, ta2 = tf.while_loop(
        lambda i, ta: i < n, lambda i, ta: (i + 1, ta.write(i, x[i] * 2.0)), [0, ta]
    )
    y = ta2.stack()
    print(_desc([ta2.flow, y]), y.op.type, [i.name for i in y.op.inputs])
    g = tf.gradients(tf.reduce_sum(y * y), x)[0]
    with tf.Session() as sess:
        show(*sess.run([y, g]))


def case_tensor_array_methods(tf, show):
    ta = tf.TensorArray(tf.float32, size=2)
    w = ta.write(0, [1.0, 2.0]).write(1, [3.0, 4.0])
    r = w.read(1)
    s = w.stack()
    c = w.concat()
    gt = w.gather([1, 0])
    sz = w.size()
    print(_desc([w.flow, r, s, c, gt, sz]))
    print([(o.name, o.type) for o in tf.get_default_graph().get_operations()])
    with tf.Session() as sess:
        for t in [r, s, c, gt, sz]:
            show(sess.run(t))


def case_tensor_array_unstack_scatter_split(tf, show):
    x = tf.constant(np.arange(6, dtype=np.float32).reshape(3, 2))
    u = tf.TensorArray(tf.float32, size=0, dynamic_size=True).unstack(x)
    sc = tf.TensorArray(tf.float32, size=2).scatter([1, 0], [[1.0, 2.0], [3.0, 4.0]])
    sp = tf.TensorArray(tf.float32, size=3).split([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], [2, 2, 2])
    sp2 = tf.TensorArray(tf.float32, size=2, infer_shape=False).split([1.0, 2.0, 3.0], [1, 2])
    outs = [u.stack(), u.size(), sc.stack(), sp.stack(), sp2.concat()]
    print(_desc([u.flow, sc.flow, sp.flow, *outs]))
    with tf.Session() as sess:
        for t in outs:
            show(sess.run(t))


def case_tensor_array_static_shapes(tf):
    a = tf.TensorArray(tf.float32, 2, element_shape=[None, 3]).write(0, tf.zeros([2, 3]))
    b = tf.TensorArray(tf.float32, 2, dynamic_size=True).write(0, tf.zeros([2, 3]))
    c = tf.TensorArray(tf.float32, tf.placeholder(tf.int32, [])).write(0, tf.zeros([2]))
    d = tf.TensorArray(tf.float32, 2)
    print(a.stack().shape, b.stack().shape, c.stack().shape, d.read(0).shape, d.stack().shape)
    print(b.size().op.type, a.size().op.type, a.concat().shape)
    print(tf.TensorArray(tf.float32, 3, tensor_array_name="foo").handle.name)
    print(tf.TensorArray(tf.float32, 3, name="bar").handle.name)


def case_tensor_array_build_errors(tf, expect_error):
    ta = tf.TensorArray(tf.float32, size=3)
    expect_error(lambda: ta.write(0, [1.0, 2.0]).write(1, [1.0, 2.0, 3.0]))
    expect_error(lambda: tf.TensorArray(tf.float32, size=3, element_shape=[3]).write(0, [1.0, 2.0]))
    expect_error(lambda: tf.TensorArray(tf.float32))
    expect_error(lambda: tf.TensorArray(tf.float32, size=2, handle=ta.handle))


def case_tensor_array_run_errors(tf, expect_error, show):
    def ta():
        return tf.TensorArray(tf.float32, size=3)

    with tf.Session() as sess:
        expect_error(lambda: sess.run(ta().write(0, [1.0]).write(0, [1.0]).flow), message=False)
        expect_error(lambda: sess.run(ta().write(5, [1.0, 2.0]).flow), message=False)
        expect_error(lambda: sess.run(ta().write(0, [1.0, 2.0]).read(4)))
        show(sess.run(ta().write(0, [1.0, 2.0]).read(1)))
        show(sess.run(ta().write(0, [1.0, 2.0]).stack()))
        u = tf.TensorArray(tf.float32, size=3, infer_shape=False).write(0, [1.0]).write(1, [2.0])
        expect_error(lambda: sess.run(u.stack()), message=False)
        expect_error(lambda: sess.run(tf.TensorArray(tf.float32, size=0).stack()))
        d = tf.TensorArray(tf.float32, size=0, dynamic_size=True).write(2, [1.0, 2.0])
        show(*sess.run([d.stack(), d.size()]))
        expect_error(
            lambda: sess.run(tf.TensorArray(tf.float32, 2).scatter([0, 2], [1.0, 2.0]).flow)
        )
        expect_error(
            lambda: sess.run(tf.TensorArray(tf.float32, 3).split([1.0, 2.0, 3.0], [1, 1, 2]).flow)
        )
        twice = tf.TensorArray(tf.float32, 2).unstack([1.0, 2.0])
        r0 = twice.read(0)
        with tf.control_dependencies([r0]):
            r1 = twice.read(0)
        expect_error(lambda: sess.run(r1), message=False)
        keep = tf.TensorArray(tf.float32, 2, clear_after_read=False).unstack([[1.0], [2.0]])
        show(sess.run(keep.gather([1, 1, 0])))


# --- variable scatter ops -----------------------------------------------------------------------


def case_scatter_ops(tf, show):
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], name="v")
    ops = [
        tf.scatter_update(v, [0, 2], [[9.0, 9.0], [8.0, 8.0]]),
        tf.scatter_add(v, 1, [1.0, 1.0]),
        tf.scatter_sub(v, [1], [[1.0, 1.0]]),
        tf.scatter_mul(v, [0, 0], [[2.0, 3.0], [2.0, 1.0]]),
        tf.scatter_div(v, [0], [[2.0, 3.0]]),
        tf.scatter_max(v, [0, 0], [[7.0, 0.0], [1.0, 80.0]]),
        tf.scatter_min(v, [2], [[0.0, 10.0]]),
        tf.scatter_nd_update(v, [[0, 1]], [5.0]),
        tf.scatter_nd_add(v, [[1], [1]], [[10.0, 10.0], [1.0, 1.0]]),
        tf.scatter_nd_sub(v, [[2, 0], [2, 0]], [1.0, 1.0]),
    ]
    for o in ops:
        print(o.name, o.op.type, str(o.shape), o.dtype.name, [i.name for i in o.op.inputs],
              o.op.get_attr("use_locking"))  # fmt: skip
    with tf.Session() as sess:
        sess.run(v.initializer)
        r = v.read_value() if hasattr(v, "read_value") else v.value()
        for o in ops:
            show(sess.run(o))
        show(sess.run(tf.scatter_update(v, [0, 0], [[1.0, 1.0], [2.0, 2.0]])))
        iv = tf.Variable([10, 20, 30])
        sess.run(iv.initializer)
        show(sess.run(tf.scatter_div(iv, [0, 1], [3, -3])))
        _ = r


def case_scatter_variable_methods(tf, show):
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], name="v")
    m = [
        v.scatter_update(tf.IndexedSlices(tf.constant([[0.0, 0.0]]), tf.constant([1]))),
        v.scatter_add(tf.IndexedSlices(tf.constant([[1.0, 1.0]]), tf.constant([1]))),
        v.scatter_sub(tf.IndexedSlices(tf.constant([[1.0, 1.0]]), tf.constant([2]))),
        v.scatter_nd_update([[0, 0]], [3.0]),
        v.scatter_nd_add([[0, 0]], [3.0]),
        v.scatter_nd_sub([[0, 1]], [3.0]),
        v.scatter_max(tf.IndexedSlices(tf.constant([[7.0, 1.0]]), tf.constant([1]))),
    ]
    for o in m:
        print(o.name, o.op.type, o.op.get_attr("use_locking"))
    with tf.Session() as sess:
        sess.run(v.initializer)
        for o in m:
            show(sess.run(o))


def case_scatter_errors(tf, expect_error):
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], name="v")
    expect_error(lambda: tf.scatter_update(v, [0], [1.0, 2.0, 3.0]))
    expect_error(lambda: v.scatter_update([1.0]))
    expect_error(lambda: tf.scatter_nd_update(v, [[0]], [1.0]))
    expect_error(lambda: tf.scatter_nd_update(v, [[0], [1]], [[1.0, 2.0]]))
    expect_error(lambda: tf.scatter_add(v, [0.5], [[1.0, 1.0]]))
    expect_error(lambda: tf.scatter_add(v, [0], tf.constant([[1, 1]])))
    with tf.Session() as sess:
        sess.run(v.initializer)
        expect_error(lambda: sess.run(tf.scatter_update(v, [5], [[1.0, 1.0]])))
        expect_error(lambda: sess.run(tf.scatter_add(v, [-1], [[1.0, 1.0]])))
        expect_error(lambda: sess.run(tf.scatter_nd_update(v, [[5, 0]], [1.0])))
        u = tf.Variable(tf.zeros([2]), name="u")
        expect_error(lambda: sess.run(tf.scatter_update(u, [0], [1.0])))


# --- SparseTensor / IndexedSlices -----------------------------------------------------------------


def case_sparse_tensor(tf, show, expect_error):
    sp = tf.SparseTensor(indices=[[0, 0], [1, 2]], values=[1.0, 2.0], dense_shape=[3, 4])
    print(sp)
    print(sp.op.name, sp.shape, sp.dtype.name, sp.get_shape())
    d = tf.sparse_tensor_to_dense(sp)
    d2 = tf.sparse.to_dense(sp, default_value=-1.0)
    print(_desc([d, d2]), d.op.type, [i.name for i in d.op.inputs])
    ph = tf.sparse_placeholder(tf.float32, shape=[None, 5], name="sp")
    print(ph)
    print(tf.sparse_placeholder(tf.float32))
    print(tf.sparse_placeholder(tf.float32, shape=[3, 5]))
    sp2 = tf.SparseTensor(
        tf.placeholder(tf.int64, [None, 2]),
        tf.placeholder(tf.float32, [None]),
        tf.placeholder(tf.int64, [2]),
    )
    print(sp2.shape)
    expect_error(lambda: tf.SparseTensor([[0, 0]], [1.0, 2.0], [3, 4]))
    with tf.Session() as sess:
        show(*sess.run([d, d2]))
        feed = {ph.indices: [[0, 1]], ph.values: [5.0], ph.dense_shape: [2, 5]}
        show(sess.run(tf.sparse.to_dense(ph), feed))
        bad = [
            tf.SparseTensor([[5, 0]], [1.0], [3, 4]),
            tf.SparseTensor([[0, 0], [0, 0]], [1.0, 2.0], [3, 4]),
        ]
        for b in bad:
            expect_error(lambda b=b: sess.run(tf.sparse.to_dense(b)))
        unordered = tf.SparseTensor([[1, 0], [0, 0]], [1.0, 2.0], [3, 4])
        show(sess.run(tf.sparse.to_dense(unordered, validate_indices=False)))


def case_sparse_to_dense_gradient(tf, show):
    vals = tf.constant([1.0, 2.0])
    sp = tf.SparseTensor([[0, 0], [1, 2]], vals, [3, 4])
    d = tf.sparse_tensor_to_dense(sp)
    g = tf.gradients(tf.reduce_sum(d * d), vals)[0]
    with tf.Session() as sess:
        show(sess.run(g))


def case_indexed_slices(tf, show, expect_error):
    isl = tf.IndexedSlices(tf.constant([[1.0, 2.0], [3.0, 4.0]]), tf.constant([0, 2]),
                           tf.constant([4, 2]))  # fmt: skip
    print(isl)
    print(isl.name, isl.dtype.name, isl.op.name)
    t = tf.convert_to_tensor(isl)
    print(_desc([t]), t.op.type)
    expect_error(
        lambda: tf.convert_to_tensor(tf.IndexedSlices(tf.constant([[1.0, 2.0]]), tf.constant([0])))
    )
    with tf.Session() as sess:
        show(sess.run(t))


# --- version strings and review fixes -------------------------------------------------------------


def case_version_strings(tf):
    print(tf.__version__ == tf.VERSION, tf.__version__.split(".")[0] in ("1", "2"))
    print(isinstance(tf.GIT_VERSION, str), isinstance(tf.COMPILER_VERSION, str))


def case_unknown_dimension_errors(tf, expect_error):
    x = tf.constant([[1.0, 2.0, 3.0]])
    expect_error(lambda: x[tf.Dimension(None)])
    print(x[tf.Dimension(0)])
    expect_error(lambda: tf.zeros([None, 3]))
    expect_error(lambda: tf.ones((2, None), tf.int64))
    expect_error(lambda: tf.zeros([None, 3000]))
    expect_error(lambda: tf.zeros(tf.TensorShape([None, 3])))
    print(tf.zeros([tf.Dimension(2), 3]))


# --- small array / linalg / image ops -------------------------------------------------------------


def case_depth_space_diag_band(tf, show, expect_error):
    x = tf.constant(np.arange(32, dtype=np.float32).reshape(1, 2, 2, 8))
    m = tf.constant(np.array([[4.0, 1.0, 2.0], [1.0, 5.0, 3.0], [2.0, 3.0, 6.0]], np.float32))
    outs = [
        tf.depth_to_space(x, 2),
        tf.space_to_depth(tf.depth_to_space(x, 2), 2),
        tf.diag([1.0, 2.0]),
        tf.diag([[1, 2], [3, 4]]),
        tf.diag_part(m),
        tf.matrix_diag([[1.0, 2.0]]),
        tf.matrix_diag_part(m),
        tf.matrix_set_diag(m, [7.0, 8.0, 9.0]),
        tf.matrix_band_part(m, 0, -1),
        tf.linalg.band_part(m, 1, 0),
        tf.linalg.band_part(tf.ones([2, 3, 4]), 1, 2),
    ]
    print([(str(o.shape), o.dtype.name) for o in outs])
    print([o.name for o in outs[:5]], outs[8].name, outs[8].op.type)
    with tf.Session() as sess:
        for o in outs:
            show(sess.run(o))
    expect_error(lambda: tf.depth_to_space(x, 3))
    expect_error(lambda: tf.space_to_depth(x, 3))
    expect_error(lambda: tf.diag_part(tf.zeros([2, 3])))
    print(tf.depth_to_space(tf.placeholder(tf.float32, [None, 2, None, 8]), 2).shape)


def case_sort_argsort(tf, show, expect_error):
    outs = [
        tf.sort([3.0, 1.0, 2.0]),
        tf.sort([3, 1, 2], direction="DESCENDING"),
        tf.sort([3, 1, 2]),
        tf.argsort([3.0, 1.0, 2.0]),
        tf.argsort([3.0, 1.0, 3.0], direction="DESCENDING", stable=True),
        tf.argsort([3.0, 1.0, 3.0, 1.0]),
        tf.sort(tf.constant([[3.0, 1.0], [0.0, 5.0], [2.0, 2.0]]), axis=0),
        tf.argsort(tf.constant([[3.0, 1.0], [0.0, 5.0], [2.0, 2.0]]), axis=0),
        tf.sort(tf.constant([3, 200, 7], tf.uint8)),
    ]
    print([(o.name, str(o.shape), o.dtype.name) for o in outs])
    x = tf.constant([[3.0, 1.0, 2.0]])
    g = tf.gradients(tf.reduce_sum(tf.sort(x) * [1.0, 2.0, 3.0]), x)[0]
    with tf.Session() as sess:
        for o in [*outs, g]:
            show(sess.run(o))
    expect_error(lambda: tf.sort([1.0], direction="UP"))
    expect_error(lambda: tf.sort([1.0], axis=tf.placeholder(tf.int32, [])))


def case_decompositions(tf, show, expect_error):
    m = tf.constant(np.array([[4.0, 1.0, 2.0], [1.0, 5.0, 3.0], [2.0, 3.0, 6.0]], np.float32))
    ch = tf.cholesky(m)
    sol = tf.matrix_solve(m, tf.ones([3, 1]))
    sol2 = tf.linalg.solve(m, tf.ones([3, 2]), adjoint=True)
    s, u, v = tf.svd(m)
    s2 = tf.linalg.svd(tf.zeros([2, 4, 3]), full_matrices=True)
    s3 = tf.svd(tf.zeros([4, 3]), compute_uv=False)
    e, ev = tf.self_adjoint_eig(m)
    ev2 = tf.self_adjoint_eigvals(m)
    print([(t.name, str(t.shape)) for t in (ch, sol, sol2, s, u, v, *s2, s3, e, ev, ev2)])
    a = tf.constant(np.random.RandomState(0).rand(4, 3).astype(np.float32))
    sa, ua, va = tf.svd(a)
    recon = tf.matmul(ua * sa, va, transpose_b=True)
    gch = tf.gradients(tf.reduce_sum(tf.cholesky(m)), m)[0]
    with tf.Session() as sess:
        for t in (ch, sol, sol2, s, tf.abs(u), tf.abs(v), e, ev2, recon, a, gch):
            show(sess.run(t))
        show(sess.run(tf.abs(ev)), decimals=3)
        bad = tf.cholesky(tf.constant([[[1.0, 0.0], [0.0, 1.0]], [[-1.0, 0.0], [0.0, 1.0]]]))
        show(sess.run(tf.is_nan(tf.matrix_band_part(bad, -1, 0))))
    expect_error(lambda: tf.cholesky(tf.zeros([2, 3])))
    expect_error(lambda: tf.matrix_solve(m, tf.ones([2, 1])))


def case_zero_fraction(tf, show):
    z = tf.nn.zero_fraction([0.0, 1.0, 0.0, 2.0])
    z2 = tf.nn.zero_fraction(tf.constant([[0, 1, 0], [0, 0, 3]]))
    print(z.name, z.shape, z.dtype.name, z2.name)
    with tf.Session() as sess:
        show(*sess.run([z, z2]))


def case_crop_and_resize(tf, show):
    img = tf.constant(np.arange(2 * 5 * 6 * 2, dtype=np.float32).reshape(2, 5, 6, 2))
    boxes = [
        [0.0, 0.0, 1.0, 1.0],
        [0.1, 0.2, 0.7, 0.9],
        [-0.2, 0.5, 0.6, 1.3],
        [0.4, 0.4, 0.4, 0.4],
    ]
    ind = [0, 1, 1, 0]
    bl = tf.image.crop_and_resize(img, boxes, ind, [3, 4])
    nn = tf.image.crop_and_resize(img, boxes, ind, [3, 4], method="nearest",
                                  extrapolation_value=-1.0)  # fmt: skip
    one = tf.image.crop_and_resize(img, boxes, ind, [1, 1])
    ib = tf.image.crop_and_resize(tf.constant(np.arange(16, dtype=np.int32).reshape(1, 4, 4, 1)),
                                  [[0.0, 0.0, 0.5, 0.5]], [0], [2, 2])  # fmt: skip
    print([(t.name, str(t.shape), t.dtype.name) for t in (bl, nn, one, ib)])
    bt = tf.constant(boxes)
    g_img, g_box = tf.gradients(tf.reduce_sum(tf.image.crop_and_resize(img, bt, ind, [3, 4])),
                                [img, bt])  # fmt: skip
    with tf.Session() as sess:
        for t in (bl, nn, one, ib, g_img, g_box):
            show(sess.run(t))


def case_sparse_tensor_fetch_and_feed(tf, show):
    sp = tf.SparseTensor(indices=[[0, 0], [1, 2]], values=[1.0, 2.0], dense_shape=[3, 4])
    ph = tf.sparse_placeholder(tf.float32)
    dense = tf.sparse_tensor_to_dense(ph)
    with tf.Session() as sess:
        got = sess.run(sp)
        print(type(got).__name__)
        show(got.indices, got.values, got.dense_shape)
        show(sess.run(dense, {ph: tf.SparseTensorValue([[0, 1]], [5.0], [2, 2])}))
        pair = sess.run([sp, ph], {ph: ([[1, 1]], [7.0], [2, 2])})
        show(pair[1].indices, pair[1].values, pair[1].dense_shape)
