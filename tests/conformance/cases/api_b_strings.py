"""``tf.strings.lower``/``upper`` (ASCII and utf-8), ``strip`` / ``tf.string_strip``,
``regex_full_match`` (static and tensor patterns) and ``tf.reduce_join`` (axis order,
negative axes, keepdims, separator, axis=None, deprecated aliases): op types and names,
static shapes, values and errors."""


def case_lower_upper(tf):
    x = tf.constant([["AbC ÉtÉ", "x1Y"], ["", "ÀB"]])
    ops = [tf.strings.lower(x), tf.strings.upper(x), tf.strings.lower(x, encoding="utf-8"),
           tf.strings.upper(x, encoding="utf-8", name="up")]  # fmt: skip
    print([(o.name, o.op.type, o.shape.as_list(), o.dtype.name) for o in ops])
    with tf.Session() as sess:
        for v in sess.run(ops):
            print(v.tolist())


def case_strip(tf):
    x = tf.constant(["  a b \t\n", "\x0bx\x0c", "", " é "])
    a = tf.strings.strip(x)
    b = tf.string_strip(x, name="s")
    print(a.name, a.op.type, b.name, a.shape.as_list())
    with tf.Session() as sess:
        print(sess.run(a).tolist(), sess.run(b).tolist())


def case_regex_full_match(tf):
    x = tf.constant([["abc", "ab"], ["a1", "xabc"]])
    a = tf.strings.regex_full_match(x, "a.c")
    b = tf.strings.regex_full_match(x, tf.constant("[a-z][0-9]"), name="dyn")
    print(a.name, a.op.type, a.dtype.name, a.shape.as_list())
    print(b.name, b.op.type, b.shape.as_list())
    with tf.Session() as sess:
        print(sess.run(a).tolist(), sess.run(b).tolist())


def case_reduce_join(tf):
    x = tf.constant([["a", "b", "c"], ["d", "e", "f"]])
    ops = [
        tf.reduce_join(x),
        tf.reduce_join(x, [0, 1]),
        tf.reduce_join(x, [1, 0]),
        tf.reduce_join(x, 0, separator="-"),
        tf.reduce_join(x, -1, keep_dims=True),
        tf.reduce_join(x, [1], keepdims=True, separator=","),
        tf.strings.reduce_join(x, reduction_indices=[0], name="rj"),
        tf.reduce_join(x, []),
    ]
    print([(o.name, o.shape.as_list()) for o in ops])
    print([op.name for op in tf.get_default_graph().get_operations()])
    with tf.Session() as sess:
        for v in sess.run(ops):
            print(v if isinstance(v, bytes) else v.tolist())
    y = tf.constant([[["a", "b"], ["c", "d"]], [["e", "f"], ["g", "h"]]])
    z = [tf.reduce_join(y, [2, 0]), tf.reduce_join(y, [0, 2]), tf.reduce_join(y, 1, keep_dims=True)]
    print([o.shape.as_list() for o in z])
    p = tf.placeholder(tf.string, [None, 2])
    q = tf.reduce_join(p, 1)
    print(q.shape.as_list())
    with tf.Session() as sess:
        print([v.tolist() for v in sess.run(z)], sess.run(q, {p: [["x", "y"]]}).tolist())


def case_to_hash_bucket_fast(tf):
    x = tf.constant([["hello", ""], ["world", "tf"]])
    h = tf.strings.to_hash_bucket_fast(x, 1000, name="h")
    print(h.name, h.op.type, h.dtype.name, h.shape.as_list())
    with tf.Session() as sess:
        print(sess.run(h).tolist())
