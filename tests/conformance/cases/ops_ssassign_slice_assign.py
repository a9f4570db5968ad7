"""Sliced variable assignment (``v[...].assign(x)``, op ``StridedSliceAssign``): op names in and
out of name scopes, inputs and mask attrs, the variable after each write (positive and negative
strides, shrink, new and ellipsis axes, strings), the ref it returns, run-time errors (shape
mismatch, index out of range, uninitialized variable), build-time dtype errors, no gradient, and
a GraphDef round trip.
"""

import numpy as np

_MASKS = ("begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask", "shrink_axis_mask")


def _describe(op):
    print(op.name, op.type, [t.name for t in op.inputs], op.outputs[0].dtype, op.outputs[0].shape)
    print([op.get_attr(m) for m in _MASKS], op.get_attr("T"), op.get_attr("Index"))


def case_writes_and_masks(tf, show):
    v = tf.Variable(np.arange(12, dtype=np.float32).reshape(3, 4), name="v")
    writes = [
        v[1:3].assign(tf.zeros([2, 4])),
        v[:, 0].assign([7.0, 8.0, 9.0]),
        v[0, ::-1].assign([1.0, 2.0, 3.0, 4.0]),
        v[::-2, 1::2].assign([[10.0, 11.0], [12.0, 13.0]]),
        v[..., 2:3].assign(tf.fill([3, 1], -1.0)),
        v[tf.newaxis, 1, 1:3].assign([[5.0, 6.0]]),
        v[-1, -1].assign(42.0),
        v[2:0:-1, ::3].assign([[1.5, 2.5], [3.5, 4.5]]),
    ]
    for w in writes:
        _describe(w.op)
    with tf.Session() as sess:
        sess.run(v.initializer)
        for w in writes:
            show(sess.run(w))
        show(sess.run(v))


def case_names_in_scopes(tf, show):
    v = tf.Variable(tf.zeros([4]), name="v")
    with tf.name_scope("outer"):
        s = v[1:3]
        inner = s.assign([1.0, 2.0])
        named = v[0].assign(5.0, name="put")
    later = s.assign([3.0, 4.0])
    direct = tf.strided_slice(v, [3], [4], var=v, name="ss").assign([9.0])
    print(s.name, inner.name, named.name, later.name, direct.name)
    print([t.name for t in direct.op.inputs])
    plus = inner + 1.0
    print(plus.name, plus.dtype)
    with tf.Session() as sess:
        sess.run(v.initializer)
        show(sess.run(plus))
        show(sess.run([later, direct]))
        show(sess.run(named))


def case_unnamed_strided_slice_assign(tf, expect_error):
    v = tf.Variable(tf.zeros([4]), name="v")
    expect_error(lambda: tf.strided_slice(v, [0], [1], var=v).assign([1.0]))


def case_integer_and_2d_values(tf, show):
    v = tf.Variable(tf.zeros([2, 3, 4], tf.int32), name="iv")
    x = tf.placeholder(tf.int32, [None, 4])
    w = v[1, :2].assign(x)
    w2 = v[:, 2, 1:].assign(tf.reshape(tf.range(6), [2, 3]))
    _describe(w.op)
    with tf.Session() as sess:
        sess.run(v.initializer)
        show(sess.run(w, {x: [[1, 2, 3, 4], [5, 6, 7, 8]]}))
        show(sess.run(w2))


def case_strings(tf, show):
    v = tf.Variable(["a", "b", "c", "d"], name="sv")
    w = v[1:3].assign(["x", "y"])
    w2 = v[::-3].assign(["P", "Q"])
    with tf.Session() as sess:
        sess.run(v.initializer)
        show(sess.run(w))
        show(sess.run(w2))


def case_run_time_errors(tf, show, expect_error):
    v = tf.Variable(np.ones([3, 2], np.float32), name="v")
    x = tf.placeholder(tf.float32)
    i = tf.placeholder(tf.int32, [])
    bad_shape = v[0:2].assign(x)
    bad_index = v[i].assign([1.0, 2.0])
    empty = v[2:1].assign(x)
    with tf.Session() as sess:
        expect_error(lambda: sess.run(bad_shape, {x: np.zeros([3, 2])}))
        sess.run(v.initializer)
        expect_error(lambda: sess.run(bad_shape, {x: np.zeros([3, 2])}))
        expect_error(lambda: sess.run(bad_shape, {x: np.zeros([2])}))
        expect_error(lambda: sess.run(bad_shape, {x: 1.0}))
        expect_error(lambda: sess.run(bad_index, {i: 3}))
        expect_error(lambda: sess.run(bad_index, {i: -4}))
        show(sess.run(bad_index, {i: -1}))
        show(sess.run(empty, {x: np.zeros([5, 7])}))


def case_build_time_errors(tf, expect_error):
    v = tf.Variable(np.ones([3], np.float32), name="v")
    expect_error(lambda: v[0].assign(tf.constant(1)))
    expect_error(lambda: v[0:2].assign(tf.constant(["a", "b"])))
    expect_error(lambda: v[0, 1].assign(1.0))
    expect_error(lambda: v[::0].assign(1.0))


def case_no_gradient(tf, expect_error):
    v = tf.Variable(np.ones([3], np.float32), name="v")
    x = tf.placeholder(tf.float32, [2])
    y = tf.reduce_sum(v[0:2].assign(x * 2.0) * 3.0)
    expect_error(lambda: tf.gradients(y, x))


def case_graph_def_round_trip(tf, show):
    g = tf.Graph()
    with g.as_default():
        v = tf.Variable(np.arange(6, dtype=np.float32).reshape(2, 3), name="v")
        w = v[:, 1:].assign([[-1.0, -2.0], [-3.0, -4.0]])
        print(w.name)
    gd = g.as_graph_def()
    print(sorted(n.op for n in gd.node if n.name.startswith("strided_slice")))
    tf.import_graph_def(gd, name="imp")
    graph = tf.get_default_graph()
    op = graph.get_operation_by_name("imp/strided_slice/_assign")
    _describe(op)
    with tf.Session() as sess:
        sess.run("imp/v/Assign")
        show(sess.run(op.outputs[0]))
        show(sess.run("imp/v:0"))
