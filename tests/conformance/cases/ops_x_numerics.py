"""tf.check_numerics, tf.verify_tensor_all_finite and tf.add_check_numerics_ops against TF."""

import numpy as np


def _text(attr):
    return attr.decode()


def case_check_numerics_passes_finite_values(tf, expect_error):
    x = tf.placeholder(tf.float32, [3], name="x")
    y = tf.check_numerics(x * 2.0, "doubled")
    print(y.name, y.op.type, y.shape, y.dtype.name, _text(y.op.get_attr("message")))
    with tf.Session() as sess:
        print(sess.run(y, {x: [1.0, -2.0, 0.5]}).tolist())
        for bad in ([1.0, np.nan, 0.0], [np.inf, 1.0, 0.0], [np.nan, -np.inf, 0.0]):
            expect_error(lambda bad=bad: sess.run(y, {x: bad}))
    expect_error(lambda: tf.check_numerics(tf.constant([1, 2]), "ints"))


def case_check_numerics_names_and_dtypes(tf, expect_error):
    with tf.name_scope("outer"):
        a = tf.check_numerics(tf.constant([1.0], tf.float64), "a")
        b = tf.check_numerics(tf.constant([1.0], tf.float16), "b", name="named")
    print(a.name, a.dtype.name, b.name, b.dtype.name)
    with tf.Session() as sess:
        print(sess.run(a).tolist(), sess.run(b).tolist())


def case_check_numerics_gradient(tf, expect_error):
    x = tf.placeholder(tf.float32, [2], name="x")
    up = tf.placeholder(tf.float32, [2], name="up")
    y = tf.check_numerics(x * 3.0, "tripled")
    (g,) = tf.gradients(y, [x], grad_ys=up)
    with tf.Session() as sess:
        print(sess.run(g, {x: [1.0, 4.0], up: [1.0, 0.5]}).tolist())
        expect_error(lambda: sess.run(g, {x: [1.0, 4.0], up: [np.nan, 0.5]}))
        expect_error(lambda: sess.run(g, {x: [1.0, 4.0], up: [np.inf, 0.5]}))


def case_verify_tensor_all_finite(tf, expect_error):
    x = tf.placeholder(tf.float32, [2], name="x")
    y = tf.verify_tensor_all_finite(x, "x is bad")
    print(y.name, y.op.type, sorted(op.name for op in tf.get_default_graph().get_operations()))
    with tf.Session() as sess:
        print(sess.run(y, {x: [1.0, 2.0]}).tolist())
        expect_error(lambda: sess.run(y, {x: [np.inf, 2.0]}))


def case_add_check_numerics_ops(tf, expect_error):
    x = tf.placeholder(tf.float32, [2], name="x")
    y = tf.sqrt(x, name="root")
    z = tf.add(y, 1.0, name="plus")
    n = tf.constant([1, 2], name="ints")
    check = tf.add_check_numerics_ops()
    print(check.name, check.type)
    graph = tf.get_default_graph()
    checks = [op for op in graph.get_operations() if op.type == "CheckNumerics"]
    for op in checks:
        print(op.name, _text(op.get_attr("message")), [c.name for c in op.control_inputs])
    print(n.name)
    with tf.Session() as sess:
        print(sess.run([z, check], {x: [4.0, 9.0]})[0].tolist())
        expect_error(lambda: sess.run([z, check], {x: [-1.0, 9.0]}))
