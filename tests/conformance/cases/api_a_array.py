"""TF 1.15 top-level array functions missing from the first API comparison (apia, group 1):
op types and names, static shapes, values, gradients and TF's errors."""

import numpy as np


def _desc(t):
    print(t.name, t.op.type, t.dtype.name, t.shape)


def case_dynamic_partition(tf, show, expect_error):
    x = tf.constant([1.0, 2.0, 3.0, 4.0, 5.0], name="x")
    p = tf.constant([0, 1, 1, 2, 0], name="p")
    parts = tf.dynamic_partition(x, p, 3)
    for t in parts:
        _desc(t)
    m = tf.dynamic_partition(tf.ones([4, 2]), [0, 1, 0, 1], 2, name="dp")
    _desc(m[0])
    ph = tf.placeholder(tf.int32, [None])
    _desc(tf.dynamic_partition(tf.ones([3, 2]), ph, 2)[1])
    g = tf.gradients(tf.reduce_sum(parts[1] * 3.0) + tf.reduce_sum(parts[0]), x)[0]
    with tf.Session() as sess:
        show(sess.run(parts), sess.run(g))
        expect_error(lambda: sess.run(tf.dynamic_partition(x, [0, 1, 5, 0, 0], 2)))
    expect_error(lambda: tf.dynamic_partition(x, [[0, 1]], 2))
    expect_error(lambda: tf.dynamic_partition(x, p, 0))


def case_dynamic_stitch(tf, show, expect_error):
    idx = [tf.constant([0, 2], name="i0"), tf.constant([1, 3], name="i1")]
    data = [tf.constant([[1.0], [2.0]]), tf.constant([[3.0], [4.0]])]
    y = tf.dynamic_stitch(idx, data)
    _desc(y)
    z = tf.dynamic_stitch(idx, data, name="pds")
    _desc(z)
    w = tf.dynamic_stitch([[0, 1], [1]], [[1, 2], [7]])
    with tf.Session() as sess:
        show(sess.run([y, z, w]))
        g = tf.gradients(tf.reduce_sum(y * [[1.0], [2.0], [3.0], [4.0]]), data)
        show(sess.run(g))
    expect_error(lambda: tf.dynamic_stitch([[0, 1]], [[1.0], [2.0]]))


def case_meshgrid_linspace_roll(tf, show, expect_error):
    a, b = tf.meshgrid([1, 2, 3], [4, 5])
    print(a.shape, b.shape, a.dtype.name)
    c, d = tf.meshgrid([1.0, 2.0], [3.0, 4.0, 5.0], indexing="ij")
    print(c.shape, d.shape)
    # TF 1.15 builds one LinSpace op, TF 2.x a composite: compare dtypes, shapes and values
    ls = tf.lin_space(0.0, 1.0, 5)
    print(ls.dtype.name, ls.shape)
    ls2 = tf.linspace(tf.constant(1.0, tf.float64), 3.0, 3, name="ls")
    print(ls2.dtype.name, ls2.shape)
    n = tf.placeholder(tf.int32, [])
    print(tf.linspace(0.0, 1.0, n).shape)
    r = tf.roll([[1, 2, 3], [4, 5, 6]], shift=1, axis=1)
    _desc(r)
    r2 = tf.roll([[1, 2, 3], [4, 5, 6]], shift=[1, -1], axis=[0, 1], name="rr")
    r3 = tf.manip.roll(tf.constant([1.0, 2.0, 3.0]), 2, 0)
    with tf.Session() as sess:
        show(sess.run([a, b, c, d, ls, ls2, r, r2, r3]))
        show(sess.run(tf.linspace(0.0, 1.0, n), {n: 1}))
        rx = tf.constant([1.0, 2.0, 3.0])
        show(sess.run(tf.gradients(tf.reduce_sum(tf.roll(rx, 1, 0) * [1.0, 2.0, 3.0]), rx)))
    expect_error(lambda: tf.roll([1, 2], [1, 2], 0))
    expect_error(lambda: tf.meshgrid([1, 2], [3], indexing="xx"))


def case_segments(tf, show):
    data = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, -6.0], [7.0, 8.0]], name="data")
    ids = tf.constant([0, 0, 2, 2], name="ids")
    outs = [f(data, ids) for f in (tf.segment_max, tf.segment_mean, tf.segment_min,
                                   tf.segment_prod, tf.math.segment_sum)]  # fmt: skip
    for t in outs:
        _desc(t)
    uids = tf.constant([2, 0, 2, 0], name="uids")
    ufns = (tf.unsorted_segment_max, tf.unsorted_segment_min, tf.unsorted_segment_prod,
            tf.unsorted_segment_mean, tf.unsorted_segment_sqrt_n)  # fmt: skip
    uouts = [f(data, uids, 3) for f in ufns]
    for t in uouts:
        print(t.name, t.op.type, t.shape)
    with tf.Session() as sess:
        show(sess.run(outs), sess.run(uouts))
        show(sess.run(tf.gradients([tf.reduce_sum(t) for t in outs[:4]], data)))
        show(sess.run(tf.gradients([tf.reduce_sum(t) for t in uouts], data)))
        show(sess.run(tf.segment_max(tf.constant([1, 5, 2]), [0, 0, 1])))


def case_index_functions(tf, show, expect_error):
    ip = tf.invert_permutation([3, 4, 0, 2, 1])
    _desc(ip)
    u = tf.unique_with_counts([1, 1, 2, 4, 4, 4, 7, 8, 8])
    for t in u:
        _desc(t)
    u64 = tf.unique_with_counts([3.0, 1.0, 3.0], out_idx=tf.int64, name="uwc")
    sd = tf.setdiff1d([1, 2, 3, 4, 5, 6], [1, 3, 5])
    for t in sd:
        _desc(t)
    ur = tf.unravel_index([22, 41, 37], (7, 6))
    _desc(ur)
    ur0 = tf.unravel_index(5, [2, 3], name="ur")
    _desc(ur0)
    with tf.Session() as sess:
        show(sess.run([ip, u, u64, sd, ur, ur0]))
        expect_error(lambda: sess.run(tf.invert_permutation([0, 0, 1])))
        expect_error(lambda: sess.run(tf.unravel_index([7], [2, 3])))
    expect_error(lambda: tf.invert_permutation([[0]]))
    expect_error(lambda: tf.invert_permutation([0.0]))


def case_count_bincount(tf, show):
    x = tf.constant([[0, 1, 0], [2, 0, 3]], name="x")
    c = tf.count_nonzero(x)
    _desc(c)
    c1 = tf.count_nonzero(x, axis=1, keepdims=True, dtype=tf.int32)
    print(c1.dtype.name, c1.shape)
    c2 = tf.math.count_nonzero(tf.constant([0.0, 1.5, 0.0]), name="cnz")
    print(c2.name.split("/")[0], c2.dtype.name)
    c3 = tf.count_nonzero(x, reduction_indices=[0])
    s = tf.count_nonzero(tf.constant(["", "a", "b"]))
    b = tf.bincount(tf.constant([1, 1, 3, 5]))
    print(b.dtype.name, b.shape)
    b2 = tf.math.bincount([1, 2, 2], minlength=5, dtype=tf.float32)
    b3 = tf.bincount([1, 2, 2], weights=[0.5, 1.0, 2.0], maxlength=2)
    b4 = tf.bincount(tf.constant([], tf.int32))
    with tf.Session() as sess:
        show(sess.run([c, c1, c2, c3, s, b, b2, b3, b4]))


def case_confusion_matrix(tf, show, expect_error):
    cm = tf.confusion_matrix([0, 1, 2, 1], [0, 2, 2, 1])
    print(cm.dtype.name, cm.shape, cm.name.split("/")[0])
    cm2 = tf.math.confusion_matrix([0, 1], [1, 1], num_classes=3, dtype=tf.float32,
                                   weights=[2.0, 3.0], name="cm")  # fmt: skip
    print(cm2.dtype.name, cm2.shape, cm2.name.split("/")[0])
    with tf.Session() as sess:
        show(sess.run([cm, cm2]))
        expect_error(lambda: sess.run(tf.confusion_matrix([0, 3], [0, 1], num_classes=2)), False)


def case_searchsorted(tf, show, expect_error):
    seq = tf.constant([[0.0, 3.0, 9.0, 9.0, 10.0], [1.0, 2.0, 3.0, 4.0, 5.0]], name="seq")
    vals = tf.constant([[2.0, 4.0, 9.0], [0.0, 2.0, 6.0]], name="vals")
    lo = tf.searchsorted(seq, vals)
    _desc(lo)
    r = tf.searchsorted(seq, vals, side="right", out_type=tf.int64, name="ss")
    _desc(r)
    one = tf.searchsorted([1, 3, 5], [0, 3, 6])
    _desc(one)
    with tf.Session() as sess:
        show(sess.run([lo, r, one]))
    expect_error(lambda: tf.searchsorted(seq, vals, side="middle"))


def case_identity_parallel_stack(tf, show):
    a = tf.constant([1.0, 2.0], name="a")
    b = tf.constant(3, name="b")
    ys = tf.identity_n([a, b])
    for t in ys:
        _desc(t)
    ps = tf.parallel_stack([a, a * 2.0])
    _desc(ps)
    ps2 = tf.parallel_stack([tf.constant(1), tf.constant(2)], name="pst")
    _desc(ps2)
    with tf.Session() as sess:
        show(sess.run([ys, ps, ps2]))
        show(sess.run(tf.gradients(tf.reduce_sum(tf.identity_n([a * 1.0])[0] * 2.0), a)))


def case_tensor_scatter(tf, show, expect_error):
    t = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], name="t")
    idx = tf.constant([[0], [2]], name="idx")
    upd = tf.constant([[10.0, 20.0], [30.0, 40.0]], name="upd")
    outs = [tf.tensor_scatter_update(t, idx, upd), tf.tensor_scatter_add(t, idx, upd),
            tf.tensor_scatter_sub(t, idx, upd), tf.tensor_scatter_nd_update(t, idx, upd),
            tf.tensor_scatter_nd_add(t, idx, upd), tf.tensor_scatter_nd_sub(t, idx, upd),
            tf.tensor_scatter_nd_max(t, idx, upd),
            tf.tensor_scatter_nd_min(t, idx, upd)]  # fmt: skip
    for o in outs:
        _desc(o)
    el = tf.tensor_scatter_update(t, [[1, 1]], [-1.0], name="el")
    with tf.Session() as sess:
        show(sess.run(outs), sess.run(el))
        show(
            sess.run(tf.gradients(tf.reduce_sum(outs[0] * 2.0) + tf.reduce_sum(outs[1]), [t, upd]))
        )
        expect_error(lambda: sess.run(tf.tensor_scatter_update(t, [[5]], [[1.0, 1.0]])))
    expect_error(lambda: tf.tensor_scatter_update(t, idx, [[1.0, 2.0, 3.0]]))


def case_batch_gather_scalar_mul_repeat(tf, show):
    p = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], name="p")
    bg = tf.batch_gather(p, [[2, 0], [1, 1]])
    print(bg.shape, bg.dtype.name)
    sm = tf.scalar_mul(2.0, p)
    _desc(sm)
    sm2 = tf.math.scalar_mul(3, tf.constant([1, 2]))
    rp = tf.repeat([[1, 2], [3, 4]], 2)
    print(rp.shape)
    rp2 = tf.repeat([[1, 2], [3, 4]], [1, 2], axis=0)
    print(rp2.shape)
    rp3 = tf.repeat(tf.constant([[1.0, 2.0]]), 3, axis=1)
    print(rp3.shape)
    with tf.Session() as sess:
        show(sess.run([bg, sm, sm2, rp, rp2, rp3]))
        g = tf.gradients(tf.reduce_sum(tf.repeat(p, [1, 2], axis=0) * 2.0), p)[0]
        show(sess.run(tf.convert_to_tensor(g)))


def case_ensure_shape_static_value(tf, show, expect_error):
    ph = tf.placeholder(tf.float32, [None, 3], name="ph")
    e = tf.ensure_shape(ph, [2, None])
    _desc(e)
    e2 = tf.ensure_shape(ph, [None, 3], name="es")
    _desc(e2)
    expect_error(lambda: tf.ensure_shape(ph, [2, 4]))
    with tf.Session() as sess:
        show(sess.run(e, {ph: np.ones([2, 3])}))
        expect_error(lambda: sess.run(e, {ph: np.ones([4, 3])}), False)
    print(tf.get_static_value(tf.constant([1, 2])))
    print(tf.get_static_value(ph))
    print(tf.get_static_value(tf.shape(ph)))
    print(tf.get_static_value(tf.shape(tf.ones([2, 5]))))
    print(tf.get_static_value(3.0))


def case_histogram_fixed_width(tf, show, expect_error):
    v = tf.constant([-1.0, 0.0, 1.5, 2.0, 5.0, 15.0], name="v")
    h = tf.histogram_fixed_width(v, [0.0, 5.0], nbins=5)
    _desc(h)
    h2 = tf.histogram_fixed_width(v, [0.0, 5.0], nbins=3, dtype=tf.int64, name="hh")
    _desc(h2)
    hb = tf.histogram_fixed_width_bins(v, [0.0, 5.0], nbins=5)
    print(hb.dtype.name, hb.shape)
    with tf.Session() as sess:
        show(sess.run([h, h2, hb]))
    expect_error(lambda: tf.histogram_fixed_width(v, [0.0, 5.0, 6.0]))


def case_space_to_batch(tf, show, expect_error):
    x = tf.reshape(tf.range(16.0), [1, 4, 4, 1], name="x")
    s = tf.space_to_batch_nd(x, [2, 2], [[0, 0], [0, 0]])
    _desc(s)
    s2 = tf.space_to_batch(x, [[1, 1], [1, 1]], block_size=2)
    _desc(s2)
    b = tf.batch_to_space_nd(s, [2, 2], [[0, 0], [0, 0]])
    _desc(b)
    b2 = tf.batch_to_space(s2, [[1, 1], [1, 1]], block_size=2, name="bts")
    _desc(b2)
    pads, crops = tf.required_space_to_batch_paddings(
        [5, 7], [2, 3], base_paddings=[[1, 0], [0, 0]]
    )
    with tf.Session() as sess:
        show(sess.run([s, s2, b, b2, pads, crops]))
        show(sess.run(tf.gradients(tf.reduce_sum(s2 * s2), x)))
    expect_error(lambda: tf.space_to_batch_nd(x, [3, 3], [[0, 0], [0, 0]]))


def case_extract_image_patches(tf, show):
    x = tf.reshape(tf.range(32.0), [1, 4, 4, 2], name="x")
    p = tf.extract_image_patches(x, [1, 2, 2, 1], [1, 2, 2, 1], [1, 1, 1, 1], "VALID")
    _desc(p)
    p2 = tf.extract_image_patches(x, ksizes=[1, 3, 3, 1], strides=[1, 1, 1, 1],
                                  rates=[1, 1, 1, 1], padding="SAME", name="eip")  # fmt: skip
    _desc(p2)
    p3 = tf.image.extract_image_patches(x, [1, 2, 2, 1], [1, 1, 1, 1], [1, 2, 2, 1], "VALID")
    _desc(p3)
    with tf.Session() as sess:
        show(sess.run([p, p2, p3]))
        show(sess.run(tf.gradients(tf.reduce_sum(p2 * p2), x)))


def case_extract_volume_patches(tf, show):
    x = tf.reshape(tf.range(54.0), [1, 3, 3, 3, 2], name="x")
    p = tf.extract_volume_patches(x, [1, 2, 2, 2, 1], [1, 1, 1, 1, 1], "VALID")
    _desc(p)
    p2 = tf.extract_volume_patches(x, [1, 2, 3, 2, 1], [1, 2, 1, 2, 1], "SAME", name="evp")
    _desc(p2)
    with tf.Session() as sess:
        show(sess.run([p, p2]))
        show(sess.run(tf.gradients(tf.reduce_sum(p2 * p2), x)))


def case_timestamp_get_seed(tf, show):
    t = tf.timestamp()
    _desc(t)
    with tf.Session() as sess:
        print(sess.run(t) > 1.5e9)
    print(tf.get_seed(None))
    print(tf.get_seed(5))
    tf.set_random_seed(7)
    print(tf.get_seed(None))
    print(tf.get_seed(3))


def case_broadcast_shapes_clip_average(tf, show, expect_error):
    print(tf.broadcast_static_shape(tf.TensorShape([2, 1, 3]), tf.TensorShape([4, 1])))
    print(tf.broadcast_static_shape(tf.TensorShape([None, 3]), tf.TensorShape(None)))
    expect_error(lambda: tf.broadcast_static_shape(tf.TensorShape([2]), tf.TensorShape([3])))
    d = tf.broadcast_dynamic_shape(tf.constant([2, 1, 3]), tf.constant([4, 1]))
    _desc(d)
    p = tf.placeholder(tf.int32, [None])
    d2 = tf.broadcast_dynamic_shape(p, [1, 5])
    _desc(d2)
    t = tf.constant([[3.0, 4.0], [6.0, 8.0]], name="t")
    c = tf.clip_by_average_norm(t, 2.0)
    print(c.name, c.shape)
    with tf.Session() as sess:
        show(sess.run([d, c]), sess.run(d2, {p: [3, 1]}))
        expect_error(lambda: sess.run(d2, {p: [3, 2]}), False)
