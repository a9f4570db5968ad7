"""Math ops: reductions, arg/top_k/cumulative, unary, division, casts, matmul, clipping, dtypes."""

import numpy as np


def _desc(*ts):
    for t in ts:
        print(t.name, t.op.type, t.get_shape(), t.dtype.name)


# --- reductions ----------------------------------------------------------------------------------


def case_reduce_names_shapes(tf):
    x = tf.placeholder(tf.float32, [None, 3, 4])
    _desc(
        tf.reduce_sum(x),
        tf.reduce_sum(x, 1),
        tf.reduce_mean(x, [0, -1], keepdims=True),
        tf.reduce_max(x, axis=tf.constant(1)),
        tf.reduce_min(x, reduction_indices=[2], keep_dims=True),
        tf.reduce_prod(x, axis=tf.placeholder(tf.int32)),
        tf.reduce_prod(x, axis=tf.placeholder(tf.int32), keepdims=True),
        tf.reduce_all(tf.cast(x, tf.bool), 0),
        tf.reduce_any(tf.cast(x, tf.bool)),
        tf.reduce_sum(x, [], name="noaxes"),
    )
    print([op.name for op in tf.get_default_graph().get_operations()])


def case_reduce_unknown_rank(tf):
    u = tf.placeholder(tf.float32)
    _desc(tf.reduce_sum(u, 1), tf.reduce_mean(u, 0, keepdims=True))


def case_reduce_values(tf, show):
    x = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 7.0]])
    i = tf.constant([[1, 2, 3], [4, 5, 7]])
    b = tf.constant([[True, False], [True, True]])
    with tf.Session() as sess:
        show(sess.run([tf.reduce_sum(x), tf.reduce_sum(x, 0), tf.reduce_mean(x, 1)]))
        show(sess.run([tf.reduce_max(x, 1, keepdims=True), tf.reduce_min(x), tf.reduce_prod(x, 1)]))
        show(sess.run([tf.reduce_sum(i, 1), tf.reduce_prod(i), tf.reduce_max(i, 0)]))
        show(sess.run([tf.reduce_all(b, 1), tf.reduce_any(b, 0), tf.reduce_all(b)]))
        show(sess.run(tf.reduce_sum(x, [0, 1], keep_dims=True)))


def case_reduce_mean_integer_truncates(tf, show):
    with tf.Session() as sess:
        show(sess.run([tf.reduce_mean(tf.constant([[1, 2, 3], [4, 5, 7]])),
                       tf.reduce_mean(tf.constant([[1, 2], [4, 7]]), 1),
                       tf.reduce_mean(tf.constant([-1, -2])),
                       tf.reduce_mean(tf.constant([-3, -4], tf.int64))]))  # fmt: skip


def case_reduce_empty(tf, show):
    with tf.Session() as sess:
        e = tf.zeros([0])
        ei = tf.zeros([0], tf.int32)
        show(sess.run([tf.reduce_sum(e), tf.reduce_max(e), tf.reduce_min(ei), tf.reduce_prod(e)]))
        show(sess.run([tf.reduce_mean(e), tf.reduce_mean(ei)]))
        show(sess.run(tf.reduce_max(tf.zeros([2, 0]), 1)))


def case_reduce_nan(tf, show):
    x = tf.constant([1.0, np.nan, 3.0])
    with tf.Session() as sess:
        show(sess.run([tf.reduce_max(x), tf.reduce_min(x), tf.reduce_sum(x)]))


def case_reduce_fed_axis(tf, show):
    x = tf.constant([[1, 2, 3], [4, 5, 7]])
    p = tf.placeholder(tf.int32)
    s = tf.reduce_sum(x, p)
    print(s.get_shape())
    with tf.Session() as sess:
        show(sess.run(s, {p: [0, -1]}), sess.run(s, {p: 1}))


def case_reduce_errors(tf, expect_error):
    x = tf.constant([[1, 2, 3], [4, 5, 7]])
    expect_error(lambda: tf.reduce_sum(x, 2))
    expect_error(lambda: tf.reduce_sum(x, -3))
    expect_error(lambda: tf.reduce_sum(x, 1.0))
    expect_error(lambda: tf.reduce_sum(tf.constant([True])))
    expect_error(lambda: tf.reduce_all(x))
    expect_error(lambda: tf.reduce_sum(x, 1, keepdims=True, keep_dims=True))
    expect_error(lambda: tf.reduce_sum(x, axis=1, reduction_indices=1))
    expect_error(lambda: tf.reduce_mean(tf.constant(["a"])))
    expect_error(lambda: tf.reduce_max(tf.constant([1j])))


def case_reduce_runtime_errors(tf, expect_error):
    x = tf.constant([[1, 2, 3], [4, 5, 7]])
    p = tf.placeholder(tf.int32)
    s = tf.reduce_sum(x, p)
    with tf.Session() as sess:
        expect_error(lambda: sess.run(s, {p: 5}))
        expect_error(lambda: sess.run(s, {p: [0, 0]}))


def case_reduce_logsumexp(tf, show):
    x = tf.constant([[1.0, 2.0, 3.0], [-np.inf, -np.inf, -np.inf]])
    big = tf.constant([[1e30, 2e30], [5.0, 5.0]])
    outs = [tf.reduce_logsumexp(x, 1), tf.reduce_logsumexp(x[:1]),
            tf.reduce_logsumexp(big, axis=1, keepdims=True)]  # fmt: skip
    _desc(*outs)
    with tf.Session() as sess:
        show(sess.run(outs))


# --- argmax / top_k / cumsum ---------------------------------------------------------------------


def case_argmax_argmin(tf, show):
    x = tf.constant([[3.0, 1.0, 3.0], [0.0, 5.0, -1.0]])
    outs = [tf.argmax(x, 1), tf.argmin(x, dimension=0, output_type=tf.int32), tf.argmax(x),
            tf.argmax(x, axis=-1, name="am"), tf.math.argmin(x, 1)]  # fmt: skip
    _desc(*outs)
    with tf.Session() as sess:
        show(sess.run(outs))
        show(sess.run([tf.argmax(tf.constant([1.0, np.nan, 3.0])),
                       tf.argmax(tf.constant([True, False, True]))]))  # fmt: skip


def case_argmax_errors(tf, expect_error):
    x = tf.constant([[1, 2, 3], [4, 5, 7]])
    expect_error(lambda: tf.argmax(x, 1, dimension=1))
    expect_error(lambda: tf.argmax(x, 2))
    expect_error(lambda: tf.argmax(x, [0, 1]))
    expect_error(lambda: tf.argmax(x, output_type=tf.float32))
    expect_error(lambda: tf.argmax(x, 1.0))
    with tf.Session() as sess:
        expect_error(lambda: sess.run(tf.argmax(tf.zeros([0]))))


def case_top_k(tf, show):
    x = tf.constant([[1.0, 3.0, 3.0, 2.0], [4.0, -1.0, 0.0, 4.0]])
    v, i = tf.math.top_k(x, 2)
    _desc(v, i)
    p = tf.placeholder(tf.float32, [None, 5])
    _desc(*tf.math.top_k(p, k=3))
    with tf.Session() as sess:
        show(sess.run([v, i]))
        show(sess.run(tf.math.top_k(tf.constant([5, 1, 5, 7]), 3)))


def case_top_k_errors(tf, expect_error):
    expect_error(lambda: tf.math.top_k(tf.constant([1.0, 2.0]), 3))
    expect_error(lambda: tf.math.top_k(tf.constant(1.0), 1))


def case_cumsum_cumprod(tf, show):
    x = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    outs = [tf.cumsum(x), tf.cumsum(x, 1, exclusive=True), tf.cumsum(x, axis=1, reverse=True),
            tf.cumsum(x, 1, exclusive=True, reverse=True), tf.cumprod(x, 1),
            tf.cumprod(x, 1, exclusive=True), tf.cumprod(x, 0, reverse=True),
            tf.cumsum(tf.constant([1, 2, 3]))]  # fmt: skip
    _desc(outs[0], outs[-1])
    with tf.Session() as sess:
        show(sess.run(outs))


# --- unary ---------------------------------------------------------------------------------------


def case_unary_names(tf):
    x = tf.constant([1.0, 2.0])
    ops = [tf.abs(x), tf.negative(x), tf.square(x), tf.sqrt(x), tf.rsqrt(x), tf.exp(x),
           tf.expm1(x), tf.log(x), tf.log1p(x), tf.sign(x), tf.floor(x), tf.ceil(x),
           tf.round(x), tf.rint(x), tf.reciprocal(x), tf.sin(x), tf.cos(x), tf.tan(x),
           tf.asin(x), tf.acos(x), tf.atan(x), tf.sinh(x), tf.cosh(x), tf.tanh(x),
           tf.sigmoid(x), tf.erf(x), tf.erfc(x), tf.lgamma(x), tf.digamma(x), tf.is_nan(x),
           tf.is_inf(x), tf.is_finite(x), tf.atan2(x, x), tf.square(3.0)]  # fmt: skip
    print([t.name for t in ops])
    print([t.op.type for t in ops])
    print([t.dtype.name for t in ops])


def case_unary_values(tf, show):
    x = tf.constant([-2.5, -0.5, 0.0, 0.5, 1.5, 2.5])
    p = tf.constant([0.25, 1.0, 4.0])
    with tf.Session() as sess:
        show(sess.run([tf.abs(x), tf.negative(x), tf.square(x), tf.sign(x), tf.floor(x)]))
        show(sess.run([tf.ceil(x), tf.round(x), tf.rint(x), tf.sin(x), tf.cos(x), tf.tanh(x)]))
        show(sess.run([tf.sigmoid(x), tf.erf(x), tf.erfc(x), tf.atan(x), tf.sinh(x)]))
        show(
            sess.run(
                [tf.sqrt(p), tf.rsqrt(p), tf.exp(p), tf.expm1(p * 0.5), tf.log(p), tf.log1p(p)]
            )
        )
        show(sess.run([tf.reciprocal(p), tf.lgamma(p), tf.digamma(p), tf.asin(p * 0.5)]))
        show(sess.run([tf.acos(p * 0.5), tf.tan(p), tf.cosh(p), tf.atan2(p, -p)]))


def case_unary_edge_values(tf, show):
    x = tf.constant([0.0, -1.0, np.inf, -np.inf, np.nan])
    with tf.Session() as sess:
        show(sess.run([tf.sqrt(x), tf.rsqrt(x), tf.log(x), tf.reciprocal(x)]))
        show(sess.run([tf.is_nan(x), tf.is_inf(x), tf.is_finite(x)]))
        i = tf.constant([-3, 0, 4])
        show(sess.run([tf.abs(i), tf.square(i), tf.sign(i), tf.round(i)]))


def case_unary_type_errors(tf, expect_error):
    i = tf.constant([1, 2])
    expect_error(lambda: tf.sqrt(i))
    expect_error(lambda: tf.exp(i))
    expect_error(lambda: tf.floor(i))
    expect_error(lambda: tf.abs(tf.constant([True])))
    expect_error(lambda: tf.is_nan(i))
    expect_error(lambda: tf.sigmoid(i))


# --- binary arithmetic and division -------------------------------------------------------------


def case_integer_division_semantics(tf, show):
    a = tf.constant([7, -7, 7, -7])
    b = tf.constant([2, 2, -2, -2])
    ops = [tf.floordiv(a, b), tf.floormod(a, b), tf.mod(a, b), tf.truncatediv(a, b),
           tf.truncatemod(a, b), tf.div(a, b), tf.truediv(a, b), tf.divide(a, b), a // b,
           a % b, a / b]  # fmt: skip
    print([t.name for t in ops])
    print([t.op.type for t in ops])
    print([t.dtype.name for t in ops])
    with tf.Session() as sess:
        show(sess.run(ops))


def case_float_division_semantics(tf, show):
    a = tf.constant([7.5, -7.5, 7.5, -7.5])
    b = tf.constant([2.0, 2.0, -2.0, -2.0])
    ops = [tf.floordiv(a, b), tf.floormod(a, b), tf.truncatemod(a, b), tf.div(a, b),
           tf.truncatediv(a, b), a // b, a % b]  # fmt: skip
    with tf.Session() as sess:
        show(sess.run(ops))
        show(sess.run([a / 0.0, -a / 0.0, tf.floordiv(a, 0.0)]))


def case_integer_division_by_zero(tf, expect_error):
    a = tf.constant([7, 1])
    z = tf.constant([2, 0])
    with tf.Session() as sess:
        expect_error(lambda: sess.run(tf.floordiv(a, z)))
        expect_error(lambda: sess.run(tf.floormod(a, z)))
        expect_error(lambda: sess.run(tf.truncatediv(a, z)))
        expect_error(lambda: sess.run(tf.div(a, z)))
        expect_error(lambda: sess.run(a // z))


def case_division_dtypes(tf):
    for dt in [tf.int8, tf.int16, tf.int32, tf.int64, tf.uint8, tf.float16, tf.float64]:
        c = tf.constant([4, 2], dtype=dt)
        print(dt.name, (c / c).dtype.name, tf.div(c, c).dtype.name, tf.divide(c, c).dtype.name)


def case_division_type_errors(tf, expect_error):
    i = tf.constant([1, 2])
    f = tf.constant([1.0, 2.0])
    expect_error(lambda: tf.truediv(i, f))
    expect_error(lambda: tf.div(i, f))
    expect_error(lambda: i / 1.5)
    expect_error(lambda: tf.floordiv(i, f))
    expect_error(lambda: i + f)
    expect_error(lambda: tf.maximum(i, f))
    expect_error(lambda: tf.pow(f, i))
    expect_error(lambda: f * 2**40)


def case_binary_names_values(tf, show):
    x = tf.constant([1.0, 5.0, -2.0])
    y = tf.constant([3.0, 5.0, 4.0])
    ops = [tf.pow(x, 2.0), tf.maximum(x, y), tf.minimum(x, y), tf.squared_difference(x, y),
           tf.add(x, y), tf.subtract(x, y), tf.multiply(x, y), tf.realdiv(x, y),
           tf.pow(tf.constant([2, 3]), 3), tf.atan2(y, x)]  # fmt: skip
    print([t.name for t in ops])
    with tf.Session() as sess:
        show(sess.run(ops))


def case_integer_pow_negative(tf, expect_error):
    with tf.Session() as sess:
        expect_error(lambda: sess.run(tf.pow(tf.constant([2, 3]), tf.constant([1, -1]))))


def case_broadcast_shape_error(tf, expect_error):
    expect_error(lambda: tf.maximum(tf.zeros([2]), tf.zeros([3])))
    expect_error(lambda: tf.zeros([2, 3]) * tf.zeros([4, 3]))


# --- comparisons and logical ---------------------------------------------------------------------


def case_comparisons_logical(tf, show):
    a = tf.constant([1, 2, 3])
    b = tf.constant([3, 2, 1])
    t = tf.constant([True, True, False, False])
    f = tf.constant([True, False, True, False])
    ops = [tf.equal(a, b), tf.not_equal(a, b), tf.less(a, b), tf.less_equal(a, b),
           tf.greater(a, b), tf.greater_equal(a, b), tf.logical_and(t, f), tf.logical_or(t, f),
           tf.logical_not(t), tf.logical_xor(t, f), t & f, t | f, ~t, t ^ f]  # fmt: skip
    print([o.name for o in ops])
    with tf.Session() as sess:
        show(sess.run(ops))
        show(sess.run(tf.equal(tf.constant(["a", "b"]), "a")))


def case_logical_type_error(tf, expect_error):
    expect_error(lambda: tf.logical_and(tf.constant([1]), tf.constant([1])))
    expect_error(lambda: tf.less(tf.constant([True]), tf.constant([False])))


# --- casts ---------------------------------------------------------------------------------------


def case_cast_names_and_values(tf, show):
    f = tf.constant([1.7, -1.7, 0.0, 2.5])
    i = tf.constant([1, 0, -3])
    ops = [tf.cast(f, tf.int32), tf.to_float(i), tf.to_double(i), tf.to_int32(f), tf.to_int64(f),
           tf.cast(i, tf.bool), tf.cast(f, tf.float16), tf.to_bfloat16(f),
           tf.cast(i, "float64", name="c")]  # fmt: skip
    print([t.name for t in ops], [t.op.type for t in ops])
    print(tf.cast(f, tf.float32) is f, tf.to_float(f) is f)
    with tf.Session() as sess:
        show(sess.run(ops[:6]))
        show(sess.run(tf.cast(tf.constant([1 + 2j]), tf.float32)))


def case_saturate_cast(tf, show):
    x = tf.constant([-300.0, 12.7, 300.0])
    s = tf.saturate_cast(x, tf.uint8)
    print(s.name, s.dtype.name)
    with tf.Session() as sess:
        show(sess.run([s, tf.dtypes.saturate_cast(tf.constant([-200, 5, 200]), tf.int8)]))


# --- add_n / matmul / tensordot / einsum / linalg ----------------------------------------------


def case_add_n_accumulate_n(tf, show, expect_error):
    a = tf.constant([1.0, 2.0])
    b = tf.constant([3.0, 4.0])
    outs = [tf.add_n([a, b, a]), tf.add_n([a]), tf.add_n([a], name="one"),
            tf.accumulate_n([a, b]), tf.math.add_n([a, b])]  # fmt: skip
    print([t.name for t in outs])
    with tf.Session() as sess:
        show(sess.run(outs))
    expect_error(lambda: tf.add_n([]))
    expect_error(lambda: tf.add_n([a, tf.constant([1, 2])]))
    expect_error(lambda: tf.add_n([a, tf.constant([1.0, 2.0, 3.0])]))


def case_matmul(tf, show):
    a = tf.constant(np.arange(6, dtype=np.float32).reshape(2, 3))
    b = tf.constant(np.arange(12, dtype=np.float32).reshape(3, 4))
    bb = tf.placeholder(tf.float32, [5, None, 2, 3])
    outs = [tf.matmul(a, b), tf.matmul(a, a, transpose_b=True), tf.matmul(a, a, adjoint_a=True),
            tf.matmul(bb, b), tf.matmul(tf.placeholder(tf.float32), b),
            tf.linalg.matmul(a, b, name="mm")]  # fmt: skip
    _desc(*outs)
    batch = tf.constant(np.arange(24, dtype=np.float32).reshape(2, 3, 4))
    with tf.Session() as sess:
        show(sess.run([outs[0], outs[1], outs[2]]))
        show(
            sess.run([tf.matmul(batch, tf.ones([4, 2])), tf.matmul(batch, batch, transpose_b=True)])
        )
        show(sess.run(tf.matmul(tf.constant([[1, 2]]), tf.constant([[3], [4]]))))


def case_matmul_errors(tf, expect_error):
    a = tf.constant(np.ones([2, 3], np.float32))
    expect_error(lambda: tf.matmul(a, a))
    expect_error(lambda: tf.matmul(a, tf.constant(np.ones([3, 4]))))
    expect_error(lambda: tf.matmul(tf.constant([1.0, 2.0]), a))
    expect_error(lambda: tf.matmul(tf.placeholder(tf.float32, [5, 2, 3]), a))
    expect_error(lambda: tf.matmul(a, a, transpose_a=True, adjoint_a=True))
    expect_error(lambda: tf.matmul(tf.constant([[True]]), tf.constant([[True]])))


def case_tensordot_einsum(tf, show):
    a = tf.constant(np.arange(6, dtype=np.float32).reshape(2, 3))
    b = tf.constant(np.arange(12, dtype=np.float32).reshape(3, 4))
    c = tf.constant(np.arange(24, dtype=np.float32).reshape(2, 3, 4))
    outs = [tf.tensordot(a, b, 1), tf.tensordot(a, b, [[1], [0]]),
            tf.tensordot(c, a, [[0, 1], [0, 1]]),
            tf.einsum("ij,jk->ik", a, b), tf.einsum("bij->bji", c), tf.einsum("ij->", a),
            tf.einsum("...j,jk->...k", c, tf.ones([4, 2]))]  # fmt: skip
    _desc(*outs)
    with tf.Session() as sess:
        show(sess.run(outs))


def case_linalg_basics(tf, show):
    m = tf.constant([[4.0, 7.0], [2.0, 6.0]])
    batch = tf.constant([[[2.0, 0.0], [0.0, 2.0]], [[1.0, 2.0], [3.0, 4.0]]])
    outs = [tf.matrix_inverse(m), tf.linalg.inv(batch), tf.matrix_determinant(m),
            tf.linalg.det(batch), tf.trace(m), tf.linalg.trace(batch)]  # fmt: skip
    _desc(*outs)
    with tf.Session() as sess:
        show(sess.run(outs))


def case_linalg_errors(tf, expect_error):
    expect_error(lambda: tf.matrix_inverse(tf.ones([2, 3])))
    expect_error(lambda: tf.matrix_inverse(tf.ones([3])))
    expect_error(lambda: tf.matrix_determinant(tf.ones([2, 2], tf.int32)))
    with tf.Session() as sess:
        expect_error(lambda: sess.run(tf.matrix_inverse(tf.zeros([2, 2]))))


def case_norm(tf, show):
    x = tf.constant([[3.0, -4.0], [1.0, 2.0]])
    outs = [tf.norm(x), tf.norm(x, axis=1), tf.norm(x, ord=1), tf.norm(x, ord=np.inf, axis=0),
            tf.norm(x, axis=[0, 1]), tf.norm(x, ord=1, axis=[0, 1], keepdims=True),
            tf.linalg.norm(x, ord=3, axis=-1), tf.norm(x, keep_dims=True)]  # fmt: skip
    _desc(*outs)
    with tf.Session() as sess:
        show(sess.run(outs))


# --- clipping ------------------------------------------------------------------------------------


def case_clip_by_value(tf, show, expect_error):
    x = tf.constant([[-2.0, 0.5], [3.0, 1.0]])
    outs = [tf.clip_by_value(x, -1.0, 1.0), tf.clip_by_value(x, [0.0, 1.0], 2.0),
            tf.clip_by_value(tf.constant([5, -5]), 0, 3, name="c")]  # fmt: skip
    print([t.name for t in outs], [op.name for op in tf.get_default_graph().get_operations()])
    with tf.Session() as sess:
        show(sess.run(outs))
    expect_error(lambda: tf.clip_by_value(tf.constant([1.0]), [0.0, 0.0], 1.0))


def case_clip_by_norm(tf, show):
    x = tf.constant([[3.0, 4.0], [0.0, 0.0]])
    outs = [tf.clip_by_norm(x, 2.5), tf.clip_by_norm(x, 2.5, axes=[1]), tf.clip_by_norm(x, 10.0)]
    print([t.name for t in outs])
    with tf.Session() as sess:
        show(sess.run(outs))


def case_global_norm_and_clip(tf, show):
    a = tf.constant([3.0, 4.0])
    b = tf.constant([[12.0]])
    gn = tf.global_norm([a, None, b])
    clipped, norm = tf.clip_by_global_norm([a, None, b], 6.5)
    print(gn.name, norm.name, [None if t is None else t.name for t in clipped])
    c2, n2 = tf.clip_by_global_norm([a], 100.0, use_norm=tf.constant(5.0))
    with tf.Session() as sess:
        show(sess.run([gn, norm, clipped[0], clipped[2]]))
        show(sess.run([c2, n2]))


def case_global_norm_errors(tf, expect_error):
    expect_error(lambda: tf.clip_by_global_norm("abc", 1.0))


# --- dtypes --------------------------------------------------------------------------------------


def case_dtype_attributes(tf):
    for d in [tf.float16, tf.bfloat16, tf.float32, tf.float64, tf.int8, tf.uint8, tf.int16,
              tf.uint16, tf.int32, tf.uint32, tf.int64, tf.uint64, tf.bool, tf.complex64,
              tf.complex128, tf.string]:  # fmt: skip
        print(d.name, d.is_floating, d.is_integer, d.is_unsigned, d.is_complex, d.is_bool,
              d.is_quantized, d.size, d.base_dtype.name, d.real_dtype.name,
              d.as_numpy_dtype.__name__, d.as_datatype_enum)  # fmt: skip


def case_dtype_limits(tf, expect_error):
    for d in [tf.float16, tf.bfloat16, tf.float32, tf.float64]:
        print(d.name, float(d.min), float(d.max))
    for d in [tf.int8, tf.uint8, tf.int16, tf.uint16, tf.int32, tf.uint32, tf.int64, tf.uint64]:
        print(d.name, int(d.min), int(d.max), d.limits)
    print(tf.float32.limits, tf.bool.limits)
    expect_error(lambda: tf.float16.limits)
    expect_error(lambda: tf.string.max)
    expect_error(lambda: tf.complex64.min)
    expect_error(lambda: tf.qint8.min)


def case_dtype_as_dtype_forms(tf, expect_error):
    print(tf.as_dtype("float"), tf.as_dtype("double"), tf.as_dtype("half"), tf.as_dtype(1))
    print(tf.as_dtype(np.dtype("S3")), tf.as_dtype(np.array([1, 2])), tf.as_dtype(object))
    print(tf.as_dtype("float32_ref"), tf.as_dtype(101), tf.dtypes.as_dtype(np.uint16))
    print(tf.dtypes.float32 is tf.float32, tf.dtypes.DType is tf.DType)
    expect_error(lambda: tf.as_dtype(str))
    expect_error(lambda: tf.as_dtype(complex))
    expect_error(lambda: tf.as_dtype(None))


def case_dtypes_namespace(tf, show):
    x = tf.constant([1.6, -1.6])
    with tf.Session() as sess:
        show(sess.run([tf.dtypes.cast(x, tf.dtypes.int32), tf.math.floor(x), tf.math.log1p(x * 0)]))
