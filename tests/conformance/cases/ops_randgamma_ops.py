"""tf.random.gamma / tf.random_gamma (RandomGamma) and tf.random.poisson / tf.random_poisson
(RandomPoissonV2): graph names, static shapes (with unknown dimensions), dtypes, seeded values
bit for bit (printed as the bytes of the result), the stream continuing across runs and
restarting per session, alpha/beta gradients, and errors.

A constant ``beta`` other than 1 is fed through a placeholder where bits are printed: TF's
grappler rewrites ``sample / const`` into ``sample * (1 / const)``, one ulp away from the
division TF itself does with a fed ``beta`` (and scopeflow always does); the raw RandomGamma
output is printed for the constant case."""

import numpy as np


def _bits(x):
    x = np.asarray(x)
    return f"{x.dtype.name}{list(x.shape)}:{x.tobytes().hex()}"


def _ops_under(tf, prefix):
    return [(op.name, op.type) for op in tf.get_default_graph().get_operations()
            if op.name.startswith(prefix)]  # fmt: skip


def case_gamma_graph(tf, show):
    s = tf.random_gamma([10], [0.5, 1.5])
    print(s.name, s.shape, s.dtype.name)
    print(_ops_under(tf, "random_gamma"))
    rg = tf.get_default_graph().get_operation_by_name("random_gamma/RandomGamma")
    print(rg.get_attr("T"), rg.get_attr("S"), rg.get_attr("seed"), rg.get_attr("seed2"))
    print([t.shape for t in rg.inputs], rg.outputs[0].shape)
    s2 = tf.random.gamma([7, 5], alpha=[[1.0], [3.0], [5.0]], beta=[[3.0, 4.0]], name="g2")
    print(s2.name, s2.shape)
    s3 = tf.random.gamma([], 2.0, dtype=tf.float64, seed=3)
    print(s3.name, s3.shape, s3.dtype.name)


def case_gamma_unknown_shapes(tf, show):
    a = tf.placeholder(tf.float32, [None, 3])
    n = tf.placeholder(tf.int32, [2])
    s = tf.random.gamma([4], a)
    s2 = tf.random.gamma(n, [1.0, 2.0])
    b = tf.placeholder(tf.float32, [None])
    s3 = tf.random.gamma([2, 2], [1.0, 2.0], beta=b)
    print(s.shape, s2.shape, s3.shape)
    with tf.Session() as sess:
        r = sess.run([s, s2, s3], {a: np.ones([2, 3]), n: [2, 1], b: [2.0, 3.0]})
        print([x.shape for x in r])


def case_gamma_values_float32(tf, show):
    alpha = [[0.3, 1.0, 2.5], [1.0, 7.0, 0.05]]
    s = tf.random.gamma([3, 2], alpha, seed=11)
    with tf.Session() as sess:
        print(_bits(sess.run(s)))
        print(_bits(sess.run(s)))  # the stream continues
    with tf.Session() as sess:
        print(_bits(sess.run(s)))  # a new session restarts it


def case_gamma_values_beta_and_dtypes(tf, show):
    tf.set_random_seed(5)
    beta = tf.placeholder(tf.float32, [4])
    s32 = tf.random.gamma([40], [0.5, 1.5, 30.0, 1.0], beta=beta)
    s64 = tf.random.gamma([25, 2], [[0.2, 4.0], [1.0, 0.9]], dtype=tf.float64)
    s16 = tf.random.gamma([30], [0.7, 2.0, 1.0], dtype=tf.float16, seed=2)
    big = tf.random.gamma([5], [1000.0, 1e-3, 0.999], seed=9)
    const_beta = tf.random.gamma([10], [1.0, 2.5], beta=[3.0, 0.7], seed=6)
    with tf.Session() as sess:
        for v in sess.run([s32, s64, s16, big, const_beta.op.inputs[1].op.inputs[0]],
                          {beta: [2.0, 0.5, 1.0, 3.0]}):  # fmt: skip
            print(_bits(v))


def case_gamma_tiny_floor(tf, show):
    s = tf.random.gamma([50], [0.01, 0.02], dtype=tf.float32, seed=4)
    with tf.Session() as sess:
        v = sess.run(s)
        print(_bits(v), float(v.min()) == float(np.finfo(np.float32).tiny))


def case_gamma_many_samples_moments(tf, show):
    s = tf.random.gamma([4000], [0.5, 2.0, 9.0], beta=[1.0, 2.0, 3.0], seed=21)
    with tf.Session() as sess:
        v = sess.run(s)
    show(v.mean(0), v.var(0), decimals=3)


def case_gamma_gradients(tf, show):
    alpha = tf.constant([0.5, 2.0, 1.0, 7.5])
    beta = tf.placeholder_with_default([1.0, 2.0, 0.5, 3.0], [4])
    s = tf.random.gamma([6], alpha, beta=beta, seed=13)
    loss = tf.reduce_sum(tf.square(s))
    ga, gb = tf.gradients(loss, [alpha, beta])
    print(ga.shape, gb.shape)
    a64 = tf.constant([[0.3], [4.0]], tf.float64)
    s64 = tf.random.gamma(
        [3], a64, beta=tf.constant([1.0, 2.0], tf.float64), dtype=tf.float64, seed=1
    )
    g64 = tf.gradients(tf.reduce_mean(s64), a64)[0]
    with tf.Session() as sess:
        v, gav, gbv, g64v = sess.run([s, ga, gb, g64])
        print(_bits(v))
        show(gav, gbv, decimals=3)
        show(g64v, decimals=5)


def case_gamma_errors(tf, show, expect_error):
    expect_error(lambda: tf.random.gamma([2], [1, 2], dtype=tf.int32))
    expect_error(lambda: tf.random.gamma([2], [1.0], dtype=tf.bfloat16))
    expect_error(lambda: tf.random.gamma([2], [[1.0, 2.0]], beta=[1.0, 2.0, 3.0]))
    n = tf.placeholder(tf.int32, [None])
    s = tf.random.gamma(n, [1.0])
    with tf.Session() as sess:
        print(sess.run(s, {n: [0, 3]}).shape)
        expect_error(lambda: sess.run(s, {n: [-2]}))


def case_poisson_graph(tf, show):
    s = tf.random_poisson([0.5, 1.5], [10])
    print(s.name, s.shape, s.dtype.name)
    print(_ops_under(tf, "random_poisson"))
    op = s.op
    print(op.get_attr("R"), op.get_attr("dtype"), op.get_attr("S"), op.get_attr("seed"),
          op.get_attr("seed2"))  # fmt: skip
    s2 = tf.random.poisson(tf.constant([[1.0], [2.0]]), [3, 2], dtype=tf.int32, name="pz")
    print(s2.name, s2.shape, s2.dtype.name, s2.op.get_attr("R"))
    s3 = tf.random.poisson([1, 2], [4], dtype=tf.int64)
    print(s3.shape, s3.dtype.name, s3.op.get_attr("R"))
    lam = tf.placeholder(tf.float32, [None, 2])
    n = tf.placeholder(tf.int32, [3])
    print(tf.random.poisson(lam, [5]).shape, tf.random.poisson([1.0], n).shape)


def case_poisson_values(tf, show):
    rates = [0.0, 0.3, 2.0, 9.99, 10.0, 25.0, 300.0, 1e5]
    s = tf.random.poisson(rates, [20], seed=17)
    s_i = tf.random.poisson(tf.constant(rates, tf.float32), [6, 2], dtype=tf.int32, seed=3)
    s_h = tf.random.poisson(tf.constant([4.0, 40.0], tf.float16), [10], dtype=tf.float16,
                            seed=8)  # fmt: skip
    s_d = tf.random.poisson(tf.constant([3, 50], tf.int64), [10], dtype=tf.float64, seed=8)
    with tf.Session() as sess:
        for v in sess.run([s, s_i, s_h, s_d]):
            print(_bits(v))
        print(_bits(sess.run(s)))
    with tf.Session() as sess:
        print(_bits(sess.run(s_i)))


def case_poisson_graph_seed_and_moments(tf, show):
    tf.set_random_seed(1234)
    s = tf.random.poisson([1.5, 12.0, 80.0], [3000])
    with tf.Session() as sess:
        v = sess.run(s)
    show(v.mean(0), v.var(0), decimals=3)


def case_poisson_errors(tf, show, expect_error):
    expect_error(lambda: tf.random.poisson([1.0], [2], dtype=tf.bool))
    expect_error(lambda: tf.random.poisson(tf.constant([True]), [2]))
    n = tf.placeholder(tf.int32, [None])
    s = tf.random.poisson([1.0, 2.0], n)
    with tf.Session() as sess:
        print(sess.run(s, {n: [0]}).shape)
        expect_error(lambda: sess.run(s, {n: [-1]}))
