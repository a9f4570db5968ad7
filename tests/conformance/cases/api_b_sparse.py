"""``tf.sparse_reduce_sum`` / ``sparse_reduce_max`` (and ``tf.sparse.reduce_*``) with dense and
sparse outputs: op names, static shapes (known and unknown dense shapes), empty groups (0, also
for max), negative and multiple axes, keepdims, axis=None, unordered indices, and gradients of
the sum with respect to the values."""

import numpy as np


def _sp(tf):
    return tf.SparseTensor([[0, 0, 1], [0, 2, 0], [2, 1, 1], [2, 1, 0]],
                           [-3.0, -1.0, -2.0, 5.0], [3, 3, 2])  # fmt: skip


def case_reduce_dense(tf, show):
    sp = _sp(tf)
    ops = [
        tf.sparse_reduce_sum(sp),
        tf.sparse_reduce_sum(sp, 1),
        tf.sparse_reduce_max(sp, [1, 2]),
        tf.sparse_reduce_max(sp, [0], keepdims=True),
        tf.sparse.reduce_max(sp, -1),
        tf.sparse.reduce_sum(sp, reduction_axes=[-1, 0], keep_dims=True),
    ]
    print([(o.name, o.shape.as_list()) for o in ops])
    print([op.name for op in tf.get_default_graph().get_operations()])
    (g,) = tf.gradients(tf.reduce_sum(ops[1] * tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])),
                        sp.values)  # fmt: skip
    with tf.Session() as sess:
        show(sess.run(ops))
        show(sess.run(g))


def case_reduce_placeholder(tf, show):
    p = tf.sparse_placeholder(tf.float32)
    a = tf.sparse_reduce_sum(p, 1)
    b = tf.sparse_reduce_max(p, [0, 1])
    print(a.shape, b.shape)
    value = tf.SparseTensorValue([[1, 1], [0, 2]], np.array([4.0, -1.0], np.float32), [2, 3])
    with tf.Session() as sess:
        show(sess.run([a, b], {p: value}))


def case_reduce_sparse_outputs(tf, show):
    sp = _sp(tf)
    s = tf.sparse_reduce_sum_sparse(sp, 1)
    m = tf.sparse.reduce_max_sparse(sp, [0, 2], keepdims=True)
    print(s.indices.name, s.values.name, s.dense_shape.name)
    print(s.indices.shape, s.values.shape, s.dense_shape.shape)
    with tf.Session() as sess:
        for v in sess.run([s, m]):
            print(v.indices.tolist(), v.values.tolist(), v.dense_shape.tolist())


def case_reduce_int_and_errors(tf, show, expect_error):
    sp = tf.SparseTensor([[0, 1], [1, 0]], [3, 7], [2, 2])
    with tf.Session() as sess:
        show(sess.run([tf.sparse_reduce_sum(sp, 0), tf.sparse_reduce_max(sp)]))
    expect_error(lambda: tf.sparse_reduce_sum(tf.constant([1.0])), message=False)
    expect_error(lambda: tf.sparse_reduce_sum(sp, 0, keepdims=True, keep_dims=True))


def case_from_dense(tf, show):
    x = tf.constant([[0.0, 1.5, 0.0], [-2.0, 0.0, 3.0]])
    sp = tf.sparse.from_dense(x)
    print(sp.indices.name, sp.values.name, sp.dense_shape.name, sp.shape)
    print([op.name for op in tf.get_default_graph().get_operations()])
    with tf.Session() as sess:
        v = sess.run(sp)
        print(v.indices.tolist(), v.values.tolist(), v.dense_shape.tolist())


def case_sparse_transpose(tf, show):
    sp = tf.SparseTensor([[0, 0, 1], [0, 2, 0], [1, 1, 1]], [1.0, 2.0, 3.0], [2, 3, 2])
    a = tf.sparse_transpose(sp)
    b = tf.sparse.transpose(sp, [1, 0, 2], name="tp")
    print(a.shape, b.shape, a.indices.name, b.values.name)
    # TF's sparse_reorder also makes an unused SparseTensor_1/dense_shape constant; scopeflow's
    # sparse_reorder (not this case's subject) does not
    names = [op.name for op in tf.get_default_graph().get_operations()]
    print([n for n in names if "SparseTensor_1" not in n])
    p = tf.sparse_placeholder(tf.float32, shape=[None, 3])
    c = tf.sparse_transpose(p)
    print(c.shape)
    with tf.Session() as sess:
        for v in sess.run([a, b]):
            print(v.indices.tolist(), v.values.tolist(), v.dense_shape.tolist())
        v = sess.run(c, {p: tf.SparseTensorValue([[0, 2], [1, 0]], [5.0, 6.0], [2, 3])})
        print(v.indices.tolist(), v.values.tolist(), v.dense_shape.tolist())
