"""tf.strings.format (StringFormat) and tf.strings.unsorted_segment_join (UnsortedSegmentJoin):
names, attrs, shapes, values, errors."""


def case_format(tf, show):
    f = tf.strings.format("x={} y={}", [tf.constant([1, 2, 3, 4, 5]), tf.constant(2.5)])
    f2 = tf.strings.format("{}", tf.reshape(tf.range(30.0), [5, 6]), summarize=2)
    f3 = tf.strings.format(
        "<>: <>", [tf.constant(["a", "b"]), tf.constant(True)], placeholder="<>", name="fmt"
    )
    f4 = tf.strings.format("all: {}", [tf.range(10)], summarize=-1)
    f5 = tf.strings.format("no tensors", [])
    p = tf.placeholder(tf.int64, [None])
    f6 = tf.strings.format("p {} !", p)
    for t in (f, f2, f3, f4, f5, f6):
        print(
            t.name,
            t.op.type,
            t.shape,
            t.dtype.name,
            sorted(t.op.node_def.attr),
            [i.name for i in t.op.inputs],
        )
    print(f.op.get_attr("T"), f3.op.get_attr("placeholder"), f2.op.get_attr("summarize"))
    with tf.Session() as sess:
        show(sess.run([f, f2, f3, f4, f5]))
        show(sess.run(f6, {p: list(range(9))}))


def case_format_errors(tf, expect_error):
    expect_error(lambda: tf.strings.format("{} {}", [tf.constant(1)]), message=False)
    expect_error(lambda: tf.strings.format("{}", [tf.constant(1), tf.constant(2)]), message=False)


def case_unsorted_segment_join(tf, show):
    j = tf.strings.unsorted_segment_join(["a", "b", "c", "d"], [0, 1, 0, 3], 4, separator="-")
    j2 = tf.strings.unsorted_segment_join(
        [["a", "b"], ["c", "d"], ["e", "f"]], [1, 1, 0], 2, name="seg"
    )
    j3 = tf.strings.unsorted_segment_join([["x", "y"], ["z", "w"]], [[0, 1], [1, 1]], 3, ",")
    n = tf.placeholder(tf.int32, [])
    j4 = tf.strings.unsorted_segment_join(["p", "q"], [1, 0], n)
    for t in (j, j2, j3, j4):
        print(t.name, t.op.type, t.shape, t.dtype.name, sorted(t.op.node_def.attr))
    with tf.Session() as sess:
        show(sess.run([j, j2, j3]))
        show(sess.run(j4, {n: 3}))


def case_unsorted_segment_join_errors(tf, expect_error):
    expect_error(lambda: tf.strings.unsorted_segment_join(["a"], [0.5], 1))
    bad = tf.strings.unsorted_segment_join(["a", "b"], [0, 5], 2)
    bad2 = tf.strings.unsorted_segment_join(["a", "b"], [0, -1], 2)
    with tf.Session() as sess:
        expect_error(lambda: sess.run(bad))
        expect_error(lambda: sess.run(bad2))
