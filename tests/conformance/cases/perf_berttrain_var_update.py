"""Variable updates a plan computes in the variable's own buffer (``graph.var_donation``).

BERT's ``AdamWeightDecayOptimizer`` update from fed gradients (elementwise float32 math, the
same bits in both libraries) over two steps, the variables' bits shown; the assigned value read
after its ``Assign``; an intermediate of the update read after the ``Assign`` (scopeflow keeps
the copying ``Assign`` there); and a variable assigned to itself.
"""

import numpy as np


def case_adam_weight_decay_from_fed_gradients(tf, show):
    rng = np.random.RandomState(0)
    shapes = [(300, 40), (40,), (7, 3)]
    params = [tf.Variable(rng.randn(*s).astype(np.float32), name=f"p{i}") for i, s in
              enumerate(shapes)]  # fmt: skip
    grads = [tf.placeholder(tf.float32, s) for s in shapes]
    assignments = []
    for g, p in zip(grads, params, strict=True):
        m = tf.Variable(np.zeros(p.shape.as_list(), np.float32), name=p.op.name + "_m")
        v = tf.Variable(np.zeros(p.shape.as_list(), np.float32), name=p.op.name + "_v")
        next_m = tf.multiply(0.9, m) + tf.multiply(0.1, g)
        next_v = tf.multiply(0.999, v) + tf.multiply(0.001, tf.square(g))
        update = next_m / (tf.sqrt(next_v) + 1e-6)
        update += 0.01 * p
        assignments += [p.assign(p - 1e-3 * update), m.assign(next_m), v.assign(next_v)]
    train = tf.group(*assignments)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(2):
            sess.run(train, {g: rng.randn(*s).astype(np.float32)
                             for g, s in zip(grads, shapes, strict=True)})  # fmt: skip
        for val in sess.run(tf.global_variables()):
            show(val)


def case_assigned_value_read_after_the_assign(tf, show):
    w = tf.Variable(np.arange(6, dtype=np.float32))
    new = w * 0.5 + 1.0
    a = w.assign(new)
    with tf.control_dependencies([a]):
        after = new * 2.0
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(sess.run(after))
        show(sess.run(w))


def case_intermediate_read_after_the_assign(tf, show):
    w = tf.Variable(np.arange(6, dtype=np.float32))
    half = w * 0.5
    a = w.assign(half + 1.0)
    with tf.control_dependencies([a]):
        after = half * 2.0
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(sess.run(after))
        show(sess.run(w))


def case_variable_assigned_to_itself(tf, show):
    w = tf.Variable(np.arange(4, dtype=np.float32))
    a = w.assign(w)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(sess.run(a))
        show(sess.run(w))
