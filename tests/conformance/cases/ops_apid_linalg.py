"""tf.linalg.expm (TF 1.15's scaling-and-squaring Pade method): scope, static shapes, values
for every Pade order and with squarings, float32/float64/complex64, batches, unknown shapes,
gradients, errors."""

import numpy as np


def _mats():
    rng = np.random.RandomState(3)
    base = rng.randn(4, 3, 3)
    scales = np.array([0.05, 0.5, 1.5, 6.0]).reshape(4, 1, 1)
    return base * scales


def case_expm_values(tf, show):
    m = _mats()
    e32 = tf.linalg.expm(tf.constant(m, tf.float32))
    e64 = tf.linalg.expm(tf.constant(m, tf.float64), name="e64")
    m64 = np.concatenate([m, m[:1] * 0.2, m[:1] * 20.0], 0)
    e64b = tf.linalg.expm(tf.constant(m64, tf.float64))
    ec = tf.linalg.expm(tf.complex(tf.constant(m[1], tf.float32), tf.constant(m[2], tf.float32)))
    e2 = tf.linalg.expm(tf.constant(m.reshape(2, 2, 3, 3), tf.float32))
    z = tf.linalg.expm(tf.zeros([2, 0, 0]))
    for t in (e32, e64, e64b, ec, e2, z):
        print(t.name.split("/")[0], t.shape, t.dtype.name)
    with tf.Session() as sess:
        r32, r64, r64b, rc, r2 = sess.run([e32, e64, e64b, ec, e2])
    show(r32 / np.maximum(1.0, np.abs(r32).max(axis=(1, 2), keepdims=True)), decimals=4)
    show(r64 / np.maximum(1.0, np.abs(r64).max(axis=(1, 2), keepdims=True)), decimals=6)
    show(r64b / np.maximum(1.0, np.abs(r64b).max(axis=(1, 2), keepdims=True)), decimals=6)
    show(rc, decimals=3)
    show(r2 / np.maximum(1.0, np.abs(r2).max(axis=(2, 3), keepdims=True)), decimals=4)


def case_expm_unknown_shapes(tf, show):
    p = tf.placeholder(tf.float32, [None, 2, 2])
    q = tf.placeholder(tf.float64)
    ep, eq = tf.linalg.expm(p), tf.linalg.expm(q)
    print(ep.shape, eq.shape)
    with tf.Session() as sess:
        show(sess.run(ep, {p: [[[0.0, 1.0], [-1.0, 0.0]], [[1.0, 0.0], [0.0, 2.0]]]}))
        show(sess.run(eq, {q: [[[[0.0, 3.0], [0.0, 0.0]]]]}))


def case_expm_gradients(tf, show):
    x = tf.constant(_mats()[1:3], tf.float32)
    e = tf.linalg.expm(x)
    g = tf.gradients(tf.reduce_sum(e * tf.constant([[1.0, 2.0, 0.0]] * 3)), x)[0]
    y = tf.constant(_mats()[3], tf.float64)
    gy = tf.gradients(tf.reduce_sum(tf.linalg.expm(y)), y)[0]
    with tf.Session() as sess:
        rg, rgy = sess.run([g, gy])
    show(rg, decimals=3)
    show(rgy / np.abs(rgy).max(), decimals=5)


def case_expm_errors(tf, expect_error):
    expect_error(lambda: tf.linalg.expm(tf.constant([[1, 2], [3, 4]])))


def _operators(tf):
    m = tf.constant([[2.0, 1.0], [0.5, 3.0]])
    return [
        tf.linalg.LinearOperatorFullMatrix(m),
        tf.linalg.LinearOperatorDiag([2.0, -3.0]),
        tf.linalg.LinearOperatorIdentity(2),
        tf.linalg.LinearOperatorScaledIdentity(2, -1.5),
        tf.linalg.LinearOperatorFullMatrix(
            [[[1.0, 2.0], [3.0, 5.0]], [[2.0, 0.0], [1.0, 1.0]]], is_non_singular=True, name="batch"
        ),
        tf.linalg.LinearOperatorDiag([[1.0, 4.0], [0.5, 2.0]], name="bdiag"),
        tf.linalg.LinearOperatorIdentity(2, batch_shape=[2], dtype=tf.float64),
        tf.linalg.LinearOperatorScaledIdentity(2, [2.0, -0.5]),
    ]


def case_linear_operators(tf, show):
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    for o in _operators(tf):
        print(
            o.name,
            o.shape,
            o.dtype.name,
            o.batch_shape,
            o.domain_dimension,
            o.range_dimension,
            o.tensor_rank,
            o.is_square,
            o.is_non_singular,
            o.is_self_adjoint,
            o.is_positive_definite,
        )
        xx = tf.cast(x, o.dtype)
        outs = [
            o.to_dense(),
            o.matmul(xx),
            o.matmul(xx, adjoint=True),
            o.matmul(xx, adjoint_arg=True),
            o.solve(xx),
            o.solve(xx, adjoint=True),
            o.determinant(),
            o.log_abs_determinant(),
            o.matvec(tf.cast([1.0, 2.0], o.dtype)),
            o.solvevec(tf.cast([1.0, 2.0], o.dtype)),
            o.shape_tensor(),
            o.trace(),
            o.diag_part(),
            o.add_to_tensor(xx + tf.zeros(o.batch_shape.concatenate([2, 2]), o.dtype)),
        ]
        print([t.shape for t in outs])
        with tf.Session() as sess:
            show(sess.run(outs), decimals=4)


def case_linear_operator_gradients(tf, show):
    m = tf.constant([[2.0, 1.0], [0.5, 3.0]])
    d = tf.constant([2.0, -3.0])
    s = tf.constant(1.5)
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    loss = (
        tf.reduce_sum(tf.linalg.LinearOperatorFullMatrix(m).solve(x))
        + tf.linalg.LinearOperatorDiag(d).log_abs_determinant()
        + tf.reduce_sum(tf.linalg.LinearOperatorScaledIdentity(2, s).matmul(x))
    )
    with tf.Session() as sess:
        show(sess.run(tf.gradients(loss, [m, d, s])), decimals=4)


def case_linear_operator_errors(tf, expect_error):
    expect_error(lambda: tf.linalg.LinearOperatorFullMatrix([1.0, 2.0]), message=False)
    expect_error(lambda: tf.linalg.LinearOperatorFullMatrix([[1, 2], [3, 4]]), message=False)
    expect_error(lambda: tf.linalg.LinearOperatorDiag(1.0))
    expect_error(lambda: tf.linalg.LinearOperatorIdentity(-1))
    expect_error(lambda: tf.linalg.LinearOperatorIdentity(2.0))
    expect_error(lambda: tf.linalg.LinearOperatorDiag([1.0], is_self_adjoint=False))
