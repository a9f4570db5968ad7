"""``tf.sparse_reset_shape``, ``tf.sparse.expand_dims`` and ``tf.sparse_mask`` against TF."""

import numpy as np


def _names(tf):
    return [op.name for op in tf.get_default_graph().get_operations()]


def case_sparse_reset_shape(tf, expect_error):
    sp = tf.SparseTensor([[0, 1], [2, 0]], [1.0, 2.0], [5, 6])
    tight = tf.sparse_reset_shape(sp)
    wider = tf.sparse.reset_shape(sp, [7, 8])
    p = tf.placeholder(tf.int64, [2], name="new_shape")
    fed = tf.sparse_reset_shape(sp, p)
    print(tight.dense_shape.op.type, wider.dense_shape.op.type, fed.dense_shape.op.type)
    with tf.Session() as sess:
        print(sess.run(tight).dense_shape.tolist(), sess.run(wider).dense_shape.tolist())
        print(sess.run(fed, {p: [6, 9]}).dense_shape.tolist())
        expect_error(lambda: sess.run(fed, {p: [4, 9]}))
    expect_error(lambda: tf.sparse_reset_shape(sp, [4, 9]))
    expect_error(lambda: tf.sparse_reset_shape(sp, [4, 9, 1]))


def case_sparse_expand_dims(tf, expect_error):
    sp = tf.SparseTensor([[0, 1], [2, 0]], [1.0, 2.0], [3, 2])
    outs = [tf.sparse.expand_dims(sp, a) for a in (0, 1, -1, None)]
    print(_names(tf)[-12:])
    print([o.indices.name for o in outs], [o.dense_shape.name for o in outs])
    with tf.Session() as sess:
        for o in sess.run(outs):
            print(o.indices.tolist(), o.values.tolist(), o.dense_shape.tolist())
    expect_error(lambda: tf.sparse.expand_dims(sp, 1.5))


def case_sparse_mask(tf, expect_error):
    a = tf.IndexedSlices(
        tf.constant(np.arange(8.0).reshape(4, 2)), tf.constant([12, 26, 37, 45]),
        tf.constant([50, 2]),
    )  # fmt: skip
    kept = tf.sparse_mask(a, [12, 45])
    kept2 = tf.sparse.mask(a, tf.constant([26]), name="m2")
    print(kept.values.name, kept.indices.name, kept2.values.name)
    with tf.Session() as sess:
        v, i = sess.run([kept.values, kept.indices])
        print(v.tolist(), i.tolist())
        print(sess.run(kept2.indices).tolist(), sess.run(kept2.dense_shape).tolist())
