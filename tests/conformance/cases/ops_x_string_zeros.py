"""Zeros of string tensors: ``tf.zeros_like`` of a string tensor is empty strings, and
``tf.sparse.from_dense`` of strings keeps the non-empty ones, as in TF."""


def case_zeros_like_and_from_dense_of_strings(tf, expect_error):
    p = tf.placeholder(tf.string, [2, 2], name="p")
    z = tf.zeros_like(p)
    sp = tf.sparse.from_dense(p)
    print(z.dtype.name, z.shape, sp.values.dtype.name)
    with tf.Session() as sess:
        got_z, got_sp = sess.run([z, sp], {p: [["a", ""], ["", "bc"]]})
    print(got_z.tolist())
    print(got_sp.indices.tolist(), got_sp.values.tolist(), got_sp.dense_shape.tolist())
