"""tf.strings.split (TF1: SparseTensor from StringSplitV2; sep, maxsplit, source)."""


def case_strings_split(tf, show):
    x = tf.constant(["hello world", "a  b c", "", "x"])
    s3 = tf.strings.split(x, sep=" ")
    print(
        [t.name for t in (s3.indices, s3.values, s3.dense_shape)],
        s3.indices.op.type,
        sorted(s3.indices.op.node_def.attr),
        s3.indices.shape,
        s3.values.shape,
        s3.dense_shape.shape,
    )
    print([o.name for o in tf.get_default_graph().get_operations()])
    s4 = tf.strings.split(x)
    s5 = tf.strings.split(source=x, sep="b", maxsplit=1, name="sp")
    s6 = tf.strings.split(["a<>b<>", "<>"], sep="<>")
    print(s5.values.name)
    with tf.Session() as sess:
        for r in sess.run([s3, s4, s5, s6]):
            show(r)


def case_strings_split_errors(tf, expect_error):
    expect_error(lambda: tf.strings.split(["a"], input=["b"], source=["c"]), message=False)


def case_to_hash_bucket_strong(tf, show):
    x = tf.constant(["", "hello", "abcdefgh", "The quick brown fox jumps", "é"])
    a = tf.strings.to_hash_bucket_strong(x, 10, [1, 2])
    b = tf.string_to_hash_bucket_strong(x, 1000, [123, 456], name="h")
    c = tf.string_to_hash_bucket_strong([["a", "b"]], 2**40, [-5, 7])
    print(
        a.name, a.shape, a.dtype, b.name, c.shape, sorted(a.op.node_def.attr), a.op.get_attr("key")
    )
    with tf.Session() as sess:
        show(sess.run([a, b, c]))
