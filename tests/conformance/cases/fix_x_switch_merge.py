"""``control_flow_ops.switch``/``merge`` (TF 1.x's dataflow conditional primitives, which
tf-slim's ``apply_with_random_selector`` calls): names, output structure, static shapes,
errors, and values (only the live ``merge`` input is taken)."""

import importlib

import numpy as np


def _cfo(tf):
    """The ``control_flow_ops`` module of the implementation under test."""
    if tf.__name__.startswith("scopeflow"):
        return importlib.import_module("scopeflow.ops.control_flow_ops")
    return importlib.import_module("tensorflow.python.ops.control_flow_ops")


def _ops(tf):
    for op in tf.get_default_graph().get_operations():
        print(op.name, op.type, [t.name for t in op.inputs])


def case_names_and_structure(tf):
    cfo = _cfo(tf)
    x = tf.constant([1.0, 2.0])
    s = cfo.switch(x, tf.constant(True))
    print(type(s).__name__, s._fields, [t.name for t in s], [t.shape.as_list() for t in s])
    m = cfo.merge([s.output_false * 2.0, s.output_true * 3.0])
    print(type(m).__name__, m._fields, [t.name for t in m], m.value_index.dtype.name)
    cfo.switch([1.0, 2.0], False, name="sw")
    cfo.merge([tf.constant(1), tf.constant(2)], name="m")
    _ops(tf)


def case_values(tf):
    cfo = _cfo(tf)
    p = tf.placeholder(tf.bool, [])
    x = tf.constant([1.0, 2.0, 3.0])
    off, on = cfo.switch(x, p)
    out, index = cfo.merge([off - 1.0, tf.square(on)])
    with tf.Session() as sess:
        for value in (True, False):
            print(*sess.run([out, index], {p: value}))
    sel = tf.placeholder(tf.int32, [])
    branches = [cfo.switch(x, tf.equal(sel, k))[1] * float(k + 1) for k in range(3)]
    chosen = cfo.merge(branches)
    with tf.Session() as sess:
        for k in range(3):
            print(*sess.run(chosen, {sel: k}))


def case_merge_of_live_and_dead(tf):
    cfo = _cfo(tf)
    x = tf.constant([1.0, 2.0])
    dead = cfo.switch(x, tf.constant(False)).output_true
    out, index = cfo.merge([dead * 5.0, x + 1.0])
    print(out.shape.as_list())
    print(*tf.Session().run([out, index]))


def case_merge_shapes(tf):
    cfo = _cfo(tf)
    print(cfo.merge([tf.zeros([2, 3]), tf.zeros([2, 4])]).output.shape)
    print(cfo.merge([tf.zeros([2, 3]), tf.zeros([2])]).output.shape)
    print(cfo.merge([tf.zeros([2, 3]), tf.placeholder(tf.float32)]).output.shape)
    print(cfo.merge([tf.zeros([5]), tf.zeros([5])]).output.shape)


def case_errors(tf, expect_error):
    cfo = _cfo(tf)
    x = tf.constant([1.0, 2.0])
    expect_error(lambda: cfo.switch(x, tf.constant([True, False])))
    expect_error(lambda: cfo.switch(x, 1))
    expect_error(lambda: cfo.merge([x, tf.constant(1)]))
    expect_error(lambda: cfo.merge([x, None]))


def case_random_ops_in_branches(tf):
    cfo = _cfo(tf)
    tf.set_random_seed(3)
    x = tf.constant(np.arange(6, dtype=np.float32).reshape(2, 3))
    choice = tf.random_uniform([], maxval=3, dtype=tf.int32)
    outs = [
        cfo.switch(x, tf.equal(choice, k))[1] + tf.random_normal([2, 3]) * float(k + 1)
        for k in range(3)
    ]
    out, index = cfo.merge(outs)
    with tf.Session() as sess:
        for _ in range(5):
            value, i = sess.run([out, index])
            print(i, np.round(value, 4).tolist())


def case_gradients_through_the_live_branch(tf):
    cfo = _cfo(tf)
    x = tf.constant([1.0, 2.0])
    v = tf.Variable(3.0, name="v")
    p = tf.placeholder(tf.bool, [])
    off, on = cfo.switch(x * v, p)
    out, _ = cfo.merge([off * 2.0, on * on])
    grads = tf.gradients(out, [x, v])
    print(["None" if g is None else "tensor" for g in grads])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for value in (True, False):
            print(*sess.run(grads, {p: value}))
