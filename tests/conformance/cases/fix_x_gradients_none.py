"""``tf.gradients`` gives ``None`` exactly where TF does: for an ``x`` that reaches ``ys`` only
through ops without a gradient (``ops.NotDifferentiable`` types, gradient functions returning
``None`` such as ``Round``/``ArgMax``/``FloorDiv``) or through integer/boolean tensors, outside
and inside ``while_loop``, ``cond``, ``map_fn``, ``scan`` and ``foldl``/``foldr``, including
TF's zero gradients for a loop's unused exits. Prints the None/tensor pattern, then the values."""

import numpy as np


def _grads(tf, ys, xs):
    grads = tf.gradients(ys, xs)
    print(["None" if g is None else "tensor" for g in grads])
    present = [g for g in grads if g is not None]
    if present:
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            print(*(np.round(v, 4).tolist() for v in sess.run(present)))


def _inputs(tf):
    x = tf.constant([1.0, 3.0, 2.0])
    v = tf.Variable(0.5, name="v")
    a0 = tf.constant([0.1, 0.2, 0.3])
    return x, v, a0


def _loop(tf, body_fn, init, n=3):
    return tf.while_loop(
        lambda i, a: i < n, lambda i, a: (i + 1, body_fn(a)), [tf.constant(0), init]
    )[1]


def case_non_differentiable_ops(tf):
    x, v, _ = _inputs(tf)
    y = x * v
    for out in [
        tf.cast(tf.argmax(y), tf.float32),
        tf.cast(tf.argmin(y), tf.float32),
        tf.cast(tf.cast(y, tf.int32), tf.float32),
        tf.round(y),
        tf.floor(y),
        tf.ceil(y),
        tf.rint(y),
        tf.floordiv(y, 2.0),
        tf.cast(tf.truncatediv(tf.cast(y, tf.int32), 2), tf.float32),
        tf.cast(tf.equal(x, v), tf.float32),
        tf.cast(x > v, tf.float32),
        tf.one_hot(tf.argmax(y), 3),
        tf.one_hot(tf.constant([0, 2]), 3, on_value=v),
        tf.cast(tf.nn.top_k(y, 2).indices, tf.float32),
        tf.cast(tf.shape(y), tf.float32),
        tf.zeros_like(y),
        tf.ones_like(y),
        tf.random_shuffle(y),
        tf.cast(tf.unique(y).idx, tf.float32),
        tf.cast(tf.is_finite(y), tf.float32),
        tf.stop_gradient(y),
        tf.cast(tf.sequence_mask(tf.cast(y, tf.int32), 3), tf.float32),
        tf.range(tf.reduce_sum(y)),
        tf.range(0.0, tf.reduce_sum(y), 1.0),
    ]:
        _grads(tf, out, [x, v])


def case_differentiable_neighbours(tf):
    x, v, _ = _inputs(tf)
    y = x * v
    _grads(tf, tf.sign(y), [x, v])
    _grads(tf, tf.floormod(y, 2.0), [x, v])
    _grads(tf, tf.nn.top_k(y, 2).values, [x, v])
    _grads(tf, tf.where(x > v, x, x * 2.0), [x, v])
    _grads(tf, tf.round(y) + x, [x, v])


def case_while_loop(tf):
    x, v, a0 = _inputs(tf)
    xs = [x, v, a0]
    _grads(tf, _loop(tf, lambda a: a + tf.one_hot(tf.argmax(x * v + a), 3), a0), xs)
    _grads(tf, _loop(tf, lambda a: a + tf.cast(tf.cast(x * v, tf.int32), tf.float32), a0), xs)
    _grads(tf, _loop(tf, lambda a: a + tf.round(x * v), a0), xs)
    _grads(tf, _loop(tf, lambda a: a + x * v, a0), xs)
    _grads(tf, _loop(tf, lambda a: a + tf.round(x) * v, a0), xs)
    _grads(tf, _loop(tf, lambda a: a, a0), xs)
    _grads(tf, _loop(tf, lambda a: tf.round(a) + x * v, a0), xs)
    _grads(tf, _loop(tf, lambda a: tf.round(a * v), a0), xs)
    _grads(tf, _loop(tf, tf.round, x * v), xs)


def case_while_loop_integer_result(tf):
    x, v, _ = _inputs(tf)
    i, _ = tf.while_loop(
        lambda i, a: i < 3,
        lambda i, a: (i + tf.cast(tf.reduce_sum(a), tf.int32), a * v),
        [tf.constant(0), x],
    )
    _grads(tf, tf.cast(i, tf.float32), [x, v])


def case_while_loop_condition_only(tf):
    x, v, a0 = _inputs(tf)
    out = tf.while_loop(
        lambda i, a: tf.reduce_sum(a * x) < 10.0,
        lambda i, a: (i + 1, a + 1.0),
        [tf.constant(0), a0],
    )[1]
    _grads(tf, out, [x, v, a0])


def case_while_loop_unused_exits(tf):
    x, v, a0 = _inputs(tf)
    xs = [x, v, a0]
    _, ra, rb = tf.while_loop(
        lambda i, a, b: i < 3,
        lambda i, a, b: (i + 1, a * v, b + a),
        [tf.constant(0), a0, x],
    )
    _grads(tf, rb, xs)
    _grads(tf, ra, xs)
    _, _ra, rb = tf.while_loop(
        lambda i, a, b: i < 3,
        lambda i, a, b: (i + 1, a * v, b + tf.round(a)),
        [tf.constant(0), a0, x],
    )
    _grads(tf, rb, xs)


def case_nested_loops_and_cond_in_loop(tf):
    x, v, a0 = _inputs(tf)
    xs = [x, v, a0]

    def inner(a):
        return tf.while_loop(
            lambda j, c: j < 2,
            lambda j, c: (j + 1, tf.round(c) + a * 0.0),
            [tf.constant(0), a],
        )[1]

    _grads(tf, _loop(tf, lambda a: tf.round(inner(a) * v), a0), xs)
    _grads(tf, _loop(tf, lambda a: inner(a) * v + x, a0), xs)
    _grads(
        tf,
        _loop(
            tf,
            lambda a: tf.cond(tf.reduce_sum(a) > 0.0, lambda: tf.round(a * v), lambda: a * x),
            a0,
        ),
        xs,
    )


def case_tensor_array_in_loop(tf):
    x, v, a0 = _inputs(tf)
    for fn in (lambda e: tf.round(e * v), lambda e: e * v):
        ta = tf.TensorArray(tf.float32, size=3)
        _, out = tf.while_loop(
            lambda i, t: i < 3,
            lambda i, t, fn=fn: (i + 1, t.write(i, fn(x[i]))),
            [tf.constant(0), ta],
        )
        _grads(tf, out.stack(), [x, v, a0])


def case_cond(tf):
    x, v, _ = _inputs(tf)
    p = tf.placeholder_with_default(True, [])
    xs = [x, v]
    _grads(tf, tf.cond(p, lambda: tf.cast(tf.argmax(x * v), tf.float32), lambda: 0.0), xs)
    _grads(tf, tf.cond(p, lambda: tf.round(x * v), lambda: tf.zeros([3])), xs)
    _grads(tf, tf.cond(p, lambda: tf.round(x * v), lambda: x), xs)
    _grads(tf, tf.cond(x[0] * v > 0.0, lambda: tf.constant(1.0), lambda: tf.constant(2.0)), xs)


def case_map_fn_scan_fold(tf):
    x, v, a0 = _inputs(tf)
    xs = [x, v, a0]
    _grads(tf, tf.map_fn(lambda e: tf.round(e * v), x), xs)
    _grads(tf, tf.map_fn(lambda e: tf.cast(tf.argmax(tf.stack([e, v])), tf.float32), x), xs)
    _grads(tf, tf.map_fn(lambda e: e * v, x), xs)
    _grads(tf, tf.map_fn(lambda e: tf.round(e[0]) + e[1], (x * v, a0), dtype=tf.float32), xs)
    _grads(tf, tf.scan(lambda a, e: a + tf.round(e * v), x), xs)
    _grads(tf, tf.scan(lambda a, e: a + e * v, x), xs)
    _grads(tf, tf.scan(lambda a, e: tf.round(a) + e, x, initializer=a0[0] * v), xs)
    _grads(tf, tf.scan(lambda a, e: tf.round(a + e), x, initializer=a0[0] * v), xs)
    ints = tf.scan(lambda a, e: a + tf.cast(e * v, tf.int32), x, initializer=tf.constant(0))
    _grads(tf, tf.cast(ints, tf.float32), xs)
    _grads(tf, tf.foldl(lambda a, e: a + tf.round(e * v), x, initializer=tf.constant(0.0)), xs)
    _grads(tf, tf.foldr(lambda a, e: tf.round(a) + e * v, x), xs)
    _grads(tf, tf.foldl(lambda a, e: tf.round(a * e), x), xs)


def case_back_prop_false(tf):
    x, v, a0 = _inputs(tf)
    out = tf.while_loop(
        lambda i, a: i < 3, lambda i, a: (i + 1, a * v), [tf.constant(0), a0], back_prop=False
    )[1]
    _grads(tf, out, [x, v, a0])


def case_ops_without_gradient(tf, expect_error):
    x, v, _ = _inputs(tf)
    expect_error(lambda: tf.gradients(tf.unique(x * v).y, [x, v]))
    expect_error(lambda: tf.gradients(tf.truncatemod(x * v, 2.0), [x]))
    image = tf.reshape(x, [1, 3, 1, 1])
    expect_error(lambda: tf.gradients(tf.image.resize_area(image, [2, 2]), [x]))
    off_path = tf.unique(tf.constant([1.0, 2.0, 1.0])).y
    _grads(tf, tf.reduce_sum(off_path) + x * v, [x, v])
    _grads(tf, tf.stop_gradient(tf.unique(x).y), [x])
