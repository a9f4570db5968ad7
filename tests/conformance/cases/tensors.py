"""Tensor and TensorShape API, constants, operator overloads and their op names."""

import numpy as np


def case_constant_names(tf):
    print([tf.constant(1.0).name for _ in range(2)], tf.constant(1.0, name="k").name)
    a = tf.constant(1.0)
    print(a.op.name, a.op.type, a.value_index, a.graph is tf.get_default_graph())


def case_constant_dtype_inference(tf):
    values = [1, 1.0, True, "s", b"b", [1, 2], [1.0, 2], [[1], [2]], np.int64(3)]
    values += [np.float64(1.0), np.array([1.0], np.float16), np.array([1], np.uint8)]
    for value in values:
        c = tf.constant(value)
        print(c.dtype, c.get_shape())


def case_constant_explicit_dtype(tf, show):
    c = tf.constant([1, 2], dtype=tf.float32)
    d = tf.constant(3, dtype=tf.int64)
    print(c.dtype, d.dtype)
    with tf.Session() as sess:
        show(sess.run(c), sess.run(d))


def case_constant_shape_broadcast_scalar(tf, show):
    c = tf.constant(7.0, shape=[2, 3])
    print(c.get_shape())
    with tf.Session() as sess:
        show(sess.run(c))


def case_constant_shape_reshape_list(tf, show):
    c = tf.constant([1, 2, 3, 4, 5, 6], shape=[2, 3])
    with tf.Session() as sess:
        show(sess.run(c))


def case_constant_large_int_dtype(tf):
    print(tf.constant(2**40).dtype)


def case_constant_bad_cast(tf, expect_error):
    expect_error(lambda: tf.constant(1.5, dtype=tf.int32))


def case_tensor_repr_and_str(tf):
    c = tf.constant([[1.0, 2.0]], name="c")
    print(repr(c))
    print(str(c))
    p = tf.placeholder(tf.float32, [None, 3], name="p")
    print(p)
    print(tf.placeholder(tf.int32, name="u"))


def case_tensor_shape_api(tf):
    p = tf.placeholder(tf.float32, [None, 3])
    s = p.get_shape()
    print(s, repr(s), s.as_list(), s.ndims, len(s), s.is_fully_defined())
    print(p.shape == s, s[1], repr(s[1]), s[0], repr(s[0]))
    print(s.dims, [d.value for d in s.dims])
    print(tf.dimension_value(s[0]), tf.dimension_value(s.dims[1]))


def case_tensor_shape_unknown_rank(tf, expect_error):
    s = tf.placeholder(tf.float32).get_shape()
    print(s, repr(s), s.ndims, s.dims, s.is_fully_defined())
    expect_error(s.as_list)


def case_tensor_shape_construction(tf):
    print(tf.TensorShape([2, 3]), tf.TensorShape([]), tf.TensorShape(None), tf.TensorShape([None]))
    print(tf.TensorShape([2, None]).merge_with(tf.TensorShape([None, 4])))
    print(tf.TensorShape([2, 3]).is_compatible_with(tf.TensorShape([2, None])))
    print(tf.TensorShape([2, 3]).is_compatible_with([3, 3]))
    print(tf.TensorShape([2, 3]).num_elements(), tf.TensorShape([None, 3]).num_elements())
    print(tf.TensorShape([1, 2]).concatenate([3]))
    print(tf.TensorShape([1]) == tf.TensorShape([1]), tf.TensorShape([1]) == [1])


def case_dimension_api(tf):
    d = tf.Dimension(3)
    u = tf.Dimension(None)
    print(d, repr(d), u, repr(u), d.value, u.value, int(d))
    print(d == 3, d + 1, d * 2, repr(u + 1), d.is_compatible_with(u))


def case_tensor_shape_merge_error(tf, expect_error):
    expect_error(lambda: tf.TensorShape([2]).merge_with(tf.TensorShape([3])))


def case_set_shape(tf):
    p = tf.placeholder(tf.float32, [None, None])
    p.set_shape([2, None])
    print(p.get_shape())


def case_set_shape_incompatible(tf, expect_error):
    p = tf.placeholder(tf.float32, [None, 3])
    expect_error(lambda: p.set_shape([2, 4]))


def case_operator_overload_names(tf):
    a = tf.constant(2.0)
    b = tf.constant(3.0)
    ops = [a + b, a - b, a * b, a / b, a // b, a % b, a**b, -a, abs(a), a < b, a <= b, a > b]
    ops += [a >= b]
    print([t.name for t in ops])
    print([t.op.type for t in ops])


def case_operator_overload_values(tf, show):
    a = tf.constant([7.0, -2.0])
    b = tf.constant([2.0, 4.0])
    with tf.Session() as sess:
        show(sess.run([a + b, a - b, a * b, a / b, a // b, a % b, a**2, -a, abs(a)]))
        show(sess.run([a < b, a >= b]))


def case_integer_division_dtypes(tf, show):
    a = tf.constant([7, -7])
    b = tf.constant([2, 2])
    ops = [a / b, a // b, a % b, a * b]
    print([t.dtype for t in ops], [t.name for t in ops])
    with tf.Session() as sess:
        show(sess.run(ops))


def case_reflected_operators(tf, show):
    a = tf.constant(2.0)
    ops = [1.0 + a, 1.0 - a, 3.0 * a, 1.0 / a, 2.0**a]
    print([t.name for t in ops])
    with tf.Session() as sess:
        show(sess.run(ops))


def case_python_scalar_conversion_dtype(tf):
    a = tf.constant([1, 2])
    print((a + 1).dtype, (a * 2).dtype)
    f = tf.constant(1.0, dtype=tf.float64)
    print((f + 1).dtype, (f * 2.5).dtype)


def case_mixed_dtype_error(tf, expect_error):
    a = tf.constant(1)
    b = tf.constant(1.0)
    expect_error(lambda: a + b)
    expect_error(lambda: a + 1.5, message=False)


def case_logical_and_bitwise_ops(tf, show):
    t = tf.constant([True, False])
    f = tf.constant([True, True])
    ops = [t & f, t | f, ~t, t ^ f]
    print([x.name for x in ops])
    with tf.Session() as sess:
        show(sess.run(ops))


def case_matmul_operator(tf, show):
    a = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    m = a @ a
    print(m.name, m.get_shape())
    with tf.Session() as sess:
        show(sess.run(m))


def case_getitem_names_and_values(tf, show):
    c = tf.constant([[1, 2, 3], [4, 5, 6]])
    slices = [c[0], c[1, 2], c[:, 1], c[0, ::-1], c[..., :2], c[:, None, 0]]
    print([s.name for s in slices])
    print([s.get_shape().as_list() for s in slices])
    with tf.Session() as sess:
        show(sess.run(slices))


def case_getitem_tensor_index(tf, show):
    c = tf.constant([10, 20, 30])
    i = tf.constant(1)
    with tf.Session() as sess:
        show(sess.run(c[i]))


def case_tensor_not_iterable_bool(tf, expect_error):
    c = tf.constant(True)
    expect_error(lambda: bool(c), message=False)


def case_tensor_hashable_in_dict(tf, show):
    a = tf.constant(1.0)
    d = {a: 1}
    print(d[a])


def case_tensor_equality_is_identity(tf):
    a = tf.constant(1.0)
    b = tf.constant(1.0)
    print(a is a, a.name == b.name, tf.math.equal(a, b).name)


def case_convert_to_tensor(tf):
    t = tf.convert_to_tensor([1.0, 2.0])
    print(t.name, t.dtype, t.get_shape())
    print(tf.convert_to_tensor(np.array([1, 2], np.int64)).dtype)
    print(tf.convert_to_tensor(3, dtype=tf.float32).dtype)
    print(tf.convert_to_tensor(t) is t)


def case_basic_math_op_names(tf):
    a = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    ops = [tf.add(a, a), tf.multiply(a, a), tf.matmul(a, a), tf.reduce_sum(a), tf.reduce_mean(a)]
    ops += [tf.reshape(a, [4]), tf.transpose(a), tf.identity(a), tf.nn.relu(a), tf.square(a)]
    ops += [
        tf.zeros([2]),
        tf.ones([2]),
        tf.zeros_like(a),
        tf.concat([a, a], 0),
        tf.cast(a, tf.int32),
    ]
    print([t.name for t in ops])


def case_basic_math_values(tf, show):
    a = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    with tf.Session() as sess:
        show(sess.run([tf.reduce_sum(a), tf.reduce_sum(a, axis=0), tf.reduce_mean(a, 1)]))
        show(sess.run([tf.matmul(a, a), tf.transpose(a), tf.reshape(a, [-1])]))
        show(sess.run([tf.concat([a, a], 1), tf.cast(a, tf.int32), tf.square(a)]))


def case_shape_op_and_static_shapes(tf, show):
    p = tf.placeholder(tf.float32, [None, 3])
    s = tf.shape(p)
    print(s.name, s.dtype, s.get_shape())
    r = tf.reshape(p, [-1])
    print(r.get_shape(), tf.reduce_sum(p, 1).get_shape(), tf.matmul(p, tf.ones([3, 2])).get_shape())
    with tf.Session() as sess:
        show(sess.run(s, {p: np.zeros([4, 3])}))


def case_op_api(tf):
    a = tf.constant(1.0, name="a")
    b = tf.add(a, a, name="b")
    op = b.op
    print(op.name, op.type, [t.name for t in op.inputs], [t.name for t in op.outputs])
    print(op.outputs[0] is b, tf.get_default_graph().get_operation_by_name("b") is op)
    print(tf.get_default_graph().get_tensor_by_name("a:0") is a)


def case_get_tensor_by_name_missing(tf, expect_error):
    expect_error(lambda: tf.get_default_graph().get_tensor_by_name("nope:0"))


def case_graph_finalize(tf, expect_error):
    g = tf.get_default_graph()
    tf.constant(1.0)
    g.finalize()
    print(g.finalized)
    expect_error(lambda: tf.constant(2.0))
    g._unsafe_unfinalize()
