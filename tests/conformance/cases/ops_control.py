"""Control flow: cond (names, shapes, structures, errors, only the taken branch runs), case,
while_loop (names, invariants, maximum_iterations, errors), map_fn/scan/foldl/foldr,
control_dependencies/tuple/group, py_func, tf.print, tf.nest."""

import collections
import tempfile
from pathlib import Path

import numpy as np


def case_cond_names_shapes_values(tf, show):
    p = tf.placeholder(tf.bool, [], name="p")
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    c = tf.cond(p, lambda: x * 2.0, lambda: x * 3.0)
    print(c.name, c.shape, c.op.type, len(c.op.outputs))
    print(
        [
            o.name
            for o in tf.get_default_graph().get_operations()
            if o.name in ("cond/mul", "cond/mul_1")
        ]
    )
    d = tf.cond(p, lambda: x[0], lambda: tf.zeros([2, 3]))
    e = tf.cond(p, lambda: tf.zeros([2, 3]), lambda: tf.ones([2, 4]), name="mycond")
    print(d.name, d.shape, e.name, e.shape)
    xv = np.arange(6, dtype=np.float32).reshape(2, 3)
    with tf.Session() as sess:
        show(sess.run(c, {p: True, x: xv}), sess.run(c, {p: False, x: xv}))
        show(sess.run(e, {p: False}))


def case_cond_only_taken_branch_runs(tf, show):
    v = tf.Variable(0.0, name="v")
    p = tf.placeholder(tf.bool, [])

    def t():
        return tf.assign_add(v, 1.0) * 10.0

    def f():
        return tf.assign_sub(v, 5.0) * 100.0

    c = tf.cond(p, t, f)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(sess.run(c, {p: True}), sess.run(v))
        show(sess.run(c, {p: True}), sess.run(v))
        show(sess.run(c, {p: False}), sess.run(v))


def case_cond_structures(tf, show):
    p = tf.placeholder(tf.bool, [])
    x = tf.constant([1.0, 2.0])
    pt = collections.namedtuple("Pt", "a b")
    r1 = tf.cond(p, lambda: {"b": x, "a": 1.0}, lambda: {"b": x * 2.0, "a": 2.0})
    print(sorted((k, v.name) for k, v in r1.items()))
    r2 = tf.cond(p, lambda: pt(x, 1), lambda: pt(x, 2))
    print(type(r2).__name__, r2.a.name, r2.b.name, r2.b.dtype)
    r3 = tf.cond(p, lambda: [x], lambda: [x])
    r4 = tf.cond(p, lambda: [x], lambda: [x], strict=True)
    r5 = tf.cond(p, lambda: (x, x + 1.0), lambda: (x - 1.0, x))
    print(r3.name, type(r4).__name__, [t.name for t in r4], type(r5).__name__)
    r6 = tf.cond(p, lambda: 1, lambda: 2)
    print(r6.name, r6.dtype, r6.shape)
    with tf.Session() as sess:
        show(sess.run(r1, {p: False}), sess.run(r2, {p: False}), sess.run(r5, {p: True}))


def case_cond_errors(tf, expect_error):
    p = tf.placeholder(tf.bool, [])
    x = tf.constant([1.0])
    expect_error(lambda: tf.cond(True, lambda: x, lambda: x))
    expect_error(lambda: tf.cond(p, lambda: x, lambda: tf.constant(1)))
    expect_error(lambda: tf.cond(p, lambda: 1, lambda: 2.0))
    expect_error(lambda: tf.cond(p, lambda: None, lambda: x))
    expect_error(lambda: tf.cond(tf.constant(1), lambda: x, lambda: x))
    expect_error(lambda: tf.cond(p, None, lambda: x))
    expect_error(lambda: tf.cond(p, lambda: (x, x), lambda: x), message=False)
    expect_error(lambda: tf.cond(p, lambda: [x, x], lambda: (x, x)), message=False)


def case_cond_variables_inside(tf, show, expect_error):
    p = tf.placeholder(tf.bool, [])
    expect_error(
        lambda: tf.cond(p, lambda: tf.Variable(tf.zeros([2]), name="vv"), lambda: tf.zeros([2]))
    )

    def uses_var():
        v = tf.get_variable("gv", [2], initializer=tf.ones_initializer())
        return v + 1.0

    r = tf.cond(p, uses_var, lambda: tf.zeros([2]))
    print(r.name, [v.name for v in tf.global_variables()])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(sess.run(r, {p: True}), sess.run(r, {p: False}))


def case_nested_cond_and_case(tf, show):
    x = tf.placeholder(tf.int32, [])
    r = tf.cond(x > 0, lambda: tf.cond(x > 5, lambda: 2, lambda: 1), lambda: 0)
    c = tf.case([(tf.equal(x, 1), lambda: 10), (tf.equal(x, 2), lambda: 20)], default=lambda: 30)
    print(r.name, c.name)
    with tf.Session() as sess:
        show([sess.run([r, c], {x: v}) for v in (-1, 1, 2, 7)])


def case_while_loop_names_values(tf, show):
    i0 = tf.constant(0)
    x0 = tf.constant([1.0, 2.0])
    r = tf.while_loop(lambda i, x: i < 3, lambda i, x: (i + 1, x * 2.0), [i0, x0])
    print([t.name for t in r], type(r).__name__, [str(t.shape) for t in r])
    single = tf.while_loop(lambda i: i < 10, lambda i: i + 3, [i0])
    same = tf.while_loop(lambda i: i < 10, lambda i: [i + 3], [i0], return_same_structure=True)
    print(single.name, type(same).__name__, same[0].name)
    m = tf.while_loop(lambda i: i < 100, lambda i: i + 1, [i0], maximum_iterations=7, name="mw")
    print(m.name)
    d = tf.while_loop(lambda s, k: s["i"] < 4,
                      lambda s, k: ({"i": s["i"] + 1, "x": s["x"] + 1.0}, k * 2),
                      ({"i": i0, "x": x0}, 1))  # fmt: skip
    print(type(d).__name__, sorted(d[0]), d[1].name)
    with tf.Session() as sess:
        show(sess.run(r), sess.run(single), sess.run(same), sess.run(m), sess.run(d))


def case_while_loop_shape_invariants(tf, show, expect_error):
    i0 = tf.constant(0)
    x0 = tf.constant([1.0, 2.0])

    def grow(i, x):
        return i + 1, tf.concat([x, x], 0)

    expect_error(lambda: tf.while_loop(lambda i, x: i < 3, grow, [i0, x0]))
    r = tf.while_loop(lambda i, x: i < 3, grow, [i0, x0],
                      shape_invariants=[i0.shape, tf.TensorShape([None])])  # fmt: skip
    print(r[1].shape)
    bad = [i0.shape, tf.TensorShape([3])]
    expect_error(lambda: tf.while_loop(lambda i, x: i < 3, lambda i, x: (i + 1, x), [i0, x0],
                                       shape_invariants=bad))  # fmt: skip
    with tf.Session() as sess:
        show(sess.run(r))


def case_while_loop_errors(tf, expect_error):
    i0 = tf.constant(0)
    expect_error(lambda: tf.while_loop(lambda s: s["i"] < 4, lambda s: {"i": s["i"] + 1},
                                       [{"i": i0}]))  # fmt: skip
    expect_error(lambda: tf.while_loop(lambda i: i, lambda i: i + 1, [i0]))
    expect_error(lambda: tf.while_loop(lambda i: i < 3, lambda i: i + 1, []))
    expect_error(lambda: tf.while_loop(lambda i: i < 3, 5, [i0]))
    expect_error(lambda: tf.while_loop(5, lambda i: i, [i0]))
    expect_error(lambda: tf.while_loop(lambda i, x: i < 3, lambda i, x: (i + 1,), [i0, i0]),
                 message=False)  # fmt: skip


def case_while_loop_captures_and_variable(tf, show):
    v = tf.Variable(2.0)
    n = tf.placeholder(tf.int32, [])
    r = tf.while_loop(lambda i, a: i < n, lambda i, a: (i + 1, a * v), [0, 1.0])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(sess.run(r, {n: 0}), sess.run(r, {n: 5}))


def case_map_fn_scan_fold(tf, show):
    e = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    m = tf.map_fn(lambda r: r * 2.0, e)
    m2 = tf.map_fn(tf.reduce_sum, e)
    m3 = tf.map_fn(lambda r: (r[0], r[1][0]), (e, e), dtype=(tf.float32, tf.float32))
    m4 = tf.map_fn(lambda r: tf.cast(r, tf.int32), e, dtype=tf.int32)
    s1 = tf.scan(lambda a, x: a + x, e)
    s2 = tf.scan(lambda a, x: a * x, e, initializer=tf.ones([2]), reverse=True)
    f1 = tf.foldl(lambda a, x: a + x, e)
    f2 = tf.foldr(lambda a, x: a * 2.0 + x, e, initializer=tf.zeros([2]))
    outs = [m, m2, m3[0], m3[1], m4, s1, s2, f1, f2]
    print([(t.name, str(t.shape), t.dtype.name) for t in outs])
    with tf.Session() as sess:
        show(*sess.run(outs))


def case_control_dependencies_tuple_group(tf, show):
    v = tf.Variable(1.0, name="v")
    inc = tf.assign_add(v, 1.0)
    with tf.control_dependencies([inc]):
        r = tf.identity(v)
        n = tf.no_op(name="after")
    print(r.name, [c.name for c in r.op.control_inputs], [c.name for c in n.control_inputs])
    a, b = tf.tuple([tf.constant(1.0), v.value()])
    print(a.name, b.name, [c.name for c in a.op.control_inputs])
    g = tf.group(inc, r, name="grp")
    print(g.name, g.type, sorted(c.name for c in g.control_inputs))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(sess.run(r), sess.run(v))
        sess.run(g)
        show(sess.run(v))


def case_py_func(tf, show, expect_error):
    e = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    y = tf.py_func(lambda a, b: a * b, [e, 2.0], tf.float32)
    ys = tf.py_func(lambda a: (a, a.sum(axis=0)), [e], [tf.float32, tf.float32], name="two")
    z = tf.numpy_function(lambda a: a.astype(np.int64), [e], tf.int64)
    st = tf.py_func(lambda a: a + 1, [e], tf.float32, stateful=False)
    print(y.name, y.shape, y.op.type, [t.name for t in ys], st.op.type, y.op.inputs[1].name)

    def boom(a):
        raise ValueError("boom")

    def index_error(a):
        raise IndexError("ix")

    with tf.Session() as sess:
        show(sess.run(y), sess.run(ys), sess.run(z))
        expect_error(lambda: sess.run(tf.py_func(boom, [e], tf.float32)))
        expect_error(lambda: sess.run(tf.py_func(index_error, [e], tf.float32)))
        expect_error(lambda: sess.run(tf.py_func(lambda a: a.astype(np.int32), [e], tf.float32)),
                     message=False)  # fmt: skip
        expect_error(lambda: sess.run(tf.py_func(lambda a: [a, a], [e], tf.float32)), message=False)


def case_print_v2_to_file(tf, show):
    path = tempfile.mktemp()
    f32 = tf.constant([0.1, 1 / 3, 1e-5, 123456789.0, -2.5, float("nan"), float("inf")])
    i = tf.constant([[1, 2, 3, 4, 5], [6, 7, 8, 9, 10]])
    st = tf.constant(["a", "b\n"])
    ops = [
        tf.print(f32, tf.constant([0.1, 1 / 3], tf.float64), tf.constant([True, False]), i, st,
                 tf.constant(3.5), output_stream="file://" + path),
        tf.print("lit", {"k": i, "j": 2}, [1, i], summarize=1, sep="|", end="$\n",
                 output_stream="file://" + path),
        tf.print(tf.zeros([2, 3, 2]), summarize=-1, output_stream="file://" + path),
        tf.print(tf.zeros([2, 0]), tf.zeros([0]), output_stream="file://" + path),
    ]  # fmt: skip
    print(ops[0].type)
    with tf.Session() as sess:
        for op in ops:
            sess.run(op)
    print(Path(path).read_text(encoding="utf-8"))
    Path(path).unlink()
    p = tf.Print(f32, [i], "msg")
    print(p.name, p.op.type, p.shape)


def case_nest(tf, expect_error):
    pt = collections.namedtuple("Pt", "x y")
    print(tf.nest.flatten({"b": 1, "a": [2, None]}), tf.nest.flatten(None), tf.nest.flatten("ab"))
    print(tf.nest.flatten(pt(1, {"b": 2, "a": 3})), tf.nest.is_nested([]), tf.nest.is_nested("x"))
    print(tf.nest.pack_sequence_as({"b": 0, "a": [0, 0]}, [1, 2, 3]))
    print(tf.nest.pack_sequence_as(pt(0, [0]), [7, 8]))
    od = collections.OrderedDict([("b", 1), ("a", 2)])
    print(tf.nest.flatten(od), tf.nest.pack_sequence_as(od, [5, 6]))
    print(
        tf.nest.map_structure(lambda a, b: a + b, {"x": 1, "y": (2, 3)}, {"x": 10, "y": (20, 30)})
    )
    expect_error(lambda: tf.nest.assert_same_structure([1, 2], (1, 2)))
    expect_error(lambda: tf.nest.assert_same_structure([1, [2]], [1, 2]))
    expect_error(lambda: tf.nest.assert_same_structure({"a": 1}, {"b": 1}))
    expect_error(lambda: tf.nest.assert_same_structure([1], [1, 2]))
    print(tf.nest.assert_same_structure([1, 2], (1, 2), check_types=False))
    expect_error(lambda: tf.nest.pack_sequence_as([1, 2], [1]))
    expect_error(lambda: tf.nest.pack_sequence_as([1, 2], 5))
    expect_error(lambda: tf.nest.map_structure(lambda a: a, [1], foo=1))
