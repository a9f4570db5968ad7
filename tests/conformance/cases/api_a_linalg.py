"""TF 1.15 tf.linalg / top-level linear algebra functions missing from the first API
comparison (apia, group 3): op types and names, static shapes, values, gradients, errors."""


def _desc(t):
    print(t.name, t.op.type, t.dtype.name, t.shape)


def _spd(tf):
    return tf.constant([[4.0, 1.0, 0.5], [1.0, 3.0, 0.2], [0.5, 0.2, 2.0]], name="spd")


def case_cross_matvec_adjoint(tf, show, expect_error):
    a = tf.constant([[1.0, 2.0, 3.0], [0.0, 1.0, 0.0]], name="a")
    b = tf.constant([[4.0, 5.0, 6.0], [1.0, 0.0, 0.0]], name="b")
    c = tf.cross(a, b)
    _desc(c)
    c2 = tf.linalg.cross(a, b, name="cr")
    _desc(c2)
    m = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], name="m")
    mv = tf.linalg.matvec(m, [1.0, -1.0])
    print(mv.shape, mv.dtype.name)
    mv2 = tf.linalg.matvec(m, [1.0, 0.0, 2.0], transpose_a=True)
    adj = tf.linalg.adjoint(m)
    print(adj.shape, adj.op.type)
    with tf.Session() as sess:
        show(sess.run([c, c2, mv, mv2, adj]))
        show(sess.run(tf.gradients(tf.reduce_sum(c * c), [a, b])))
        show(sess.run(tf.gradients(tf.reduce_sum(mv), m)))
    expect_error(lambda: tf.cross(tf.ones([2, 2]), tf.ones([2, 2])))


def case_triangular_cholesky_solve(tf, show, expect_error):
    lo = tf.constant([[2.0, 0.0], [1.0, 3.0]], name="lo")
    rhs = tf.constant([[1.0], [2.0]], name="rhs")
    x = tf.matrix_triangular_solve(lo, rhs)
    _desc(x)
    x2 = tf.linalg.triangular_solve(lo, rhs, lower=False, adjoint=True, name="ts")
    _desc(x2)
    spd = _spd(tf)
    ch = tf.cholesky(spd)
    cs = tf.linalg.cholesky_solve(ch, tf.constant([[1.0], [2.0], [3.0]]))
    print(cs.name, cs.shape)
    with tf.Session() as sess:
        show(sess.run([x, x2, cs]))
        show(sess.run(tf.gradients(tf.reduce_sum(x), [lo, rhs])))
    expect_error(lambda: tf.matrix_triangular_solve(lo, tf.ones([3, 1])))
    expect_error(lambda: tf.matrix_triangular_solve(tf.constant([[1, 0], [0, 1]]), [[1], [1]]))


def case_lstsq(tf, show):
    a = tf.constant([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]], name="a")
    rhs = tf.constant([[1.0], [2.0], [2.0]], name="rhs")
    x = tf.matrix_solve_ls(a, rhs)
    print(x.shape, x.dtype.name)
    x2 = tf.linalg.lstsq(a, rhs, l2_regularizer=0.5)
    x3 = tf.matrix_solve_ls(tf.transpose(a), tf.constant([[1.0], [2.0]]))
    with tf.Session() as sess:
        show(sess.run([x, x2, x3]))
        show(sess.run(tf.gradients(tf.reduce_sum(x), [a, rhs])))


def case_sqrtm_logdet_slogdet(tf, show):
    spd = _spd(tf)
    s = tf.matrix_square_root(spd)
    _desc(s)
    s2 = tf.linalg.sqrtm(spd, name="sq")
    _desc(s2)
    ld = tf.linalg.logdet(spd)
    print(ld.name, ld.shape)
    sign, lad = tf.linalg.slogdet(tf.constant([[1.0, 2.0], [3.0, 4.0]]))
    _desc(sign)
    _desc(lad)
    with tf.Session() as sess:
        show(sess.run([s, s2, ld, sign, lad]))
        show(sess.run(tf.gradients([ld, tf.reduce_sum(s)], spd)))


def case_pinv_rank_normalize(tf, show):
    a = tf.constant([[1.0, 2.0], [2.0, 4.0], [0.0, 1.0]], name="a")
    p = tf.linalg.pinv(a)
    print(p.shape, p.dtype.name)
    r = tf.linalg.matrix_rank(a)
    print(r.shape, r.dtype.name)
    r2 = tf.linalg.matrix_rank(tf.constant([[1.0, 2.0], [2.0, 4.0]]))
    n, nn = tf.linalg.normalize(a)
    print(n.shape, nn.shape)
    n1, nn1 = tf.linalg.normalize(a, ord=1, axis=0)
    print(n1.shape, nn1.shape)
    l2 = tf.linalg.l2_normalize(a, axis=1)
    with tf.Session() as sess:
        show(sess.run([p, r, r2, n, nn, n1, nn1, l2]))


def case_tensor_diag_lu(tf, show):
    d = tf.linalg.tensor_diag([1.0, 2.0])
    _desc(d)
    dp = tf.linalg.tensor_diag_part(tf.reshape(tf.range(16.0), [2, 2, 2, 2]))
    _desc(dp)
    lu, perm = tf.linalg.lu(tf.constant([[1.0, 2.0], [3.0, 4.0]]))
    _desc(lu)
    _desc(perm)
    with tf.Session() as sess:
        show(sess.run([d, dp, lu, perm]))
