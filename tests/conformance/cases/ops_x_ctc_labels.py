"""``tf.nn.collapse_repeated`` and ``tf.nn.ctc_unique_labels`` against TF."""


def case_collapse_repeated(tf, expect_error):
    labels = tf.constant([[1, 1, 2, 2, 1], [1, 2, 3, 4, 5], [7, 7, 7, 0, 0]])
    lengths = tf.constant([5, 4, 2], dtype=tf.int64)
    out, new_len = tf.nn.collapse_repeated(labels, lengths)
    # (out.shape is not compared here: for constant inputs TF's C++ shape inference evaluates
    # the constant subgraph of reduce_max and knows the width, scopeflow's static shapes do not)
    print(out.name, new_len.name, new_len.dtype.name)
    p = tf.placeholder(tf.int32, [None, None], name="p")
    out2, len2 = tf.nn.collapse_repeated(p, [3, 1], name="cr")
    print(out2.name, out2.shape, len2.name)
    with tf.Session() as sess:
        a, b = sess.run([out, new_len])
        print(a.tolist(), b.tolist())
        c, d = sess.run([out2, len2], {p: [[5, 5, 6], [2, 2, 2]]})
        print(c.tolist(), d.tolist())


def case_ctc_unique_labels(tf, expect_error):
    u, idx = tf.nn.ctc_unique_labels(tf.constant([[3, 4, 4, 3], [1, 1, 1, 1], [5, 6, 7, 0]]))
    print(u.name, u.dtype.name, u.shape, idx.name, idx.dtype.name, idx.shape)
    with tf.Session() as sess:
        a, b = sess.run([u, idx])
        print(a.tolist(), b.tolist())
