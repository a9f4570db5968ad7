"""``tf.sparse_matmul`` (``SparseMatMul``) against TF: names, attrs, shapes, values, gradients."""

import numpy as np


def case_sparse_matmul(tf, expect_error):
    a = tf.placeholder(tf.float32, [None, 3], name="a")
    b = tf.constant(np.arange(6.0, dtype=np.float32).reshape(3, 2))
    c = tf.sparse_matmul(a, b, a_is_sparse=True)
    d = tf.sparse_matmul(b, b, transpose_a=True, name="mm")
    e = tf.sparse_matmul(b, tf.cast(b, tf.bfloat16), transpose_b=True, b_is_sparse=True)
    print(c.name, c.shape, c.dtype.name, d.name, d.shape, e.shape, e.dtype.name)
    print(c.op.get_attr("a_is_sparse"), d.op.get_attr("transpose_a"), e.op.get_attr("Tb").name)
    ga, gb = tf.gradients(tf.reduce_sum(c * c), [a, b])
    x = np.array([[1.0, 0.0, 2.0], [0.0, 0.0, -1.0]], np.float32)
    with tf.Session() as sess:
        got = sess.run([c, d, e, ga, gb], {a: x})
    for v in got:
        print(np.round(v, 4).tolist())
    expect_error(lambda: tf.sparse_matmul(tf.constant([[1, 2]]), b))
    expect_error(lambda: tf.sparse_matmul(b, b))
