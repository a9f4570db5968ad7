"""tf.distributions (TF 1.15's core distributions): construction scopes, batch/event shapes,
dtypes, reparameterization types, and the values of log_prob/prob/cdf/entropy/moments, seeded
samples (where TF's sampling ops exist here), KL divergences, gradients and errors."""

import numpy as np


def _show_method(show, d, sess, value=None, methods=()):
    outs = []
    for m in methods:
        fn = getattr(d, m)
        t = (
            fn(value)
            if m
            in ("log_prob", "prob", "cdf", "log_cdf", "survival_function", "log_survival_function")
            else fn()
        )
        print(m, t.name.rsplit("/", 1)[0], t.shape, t.dtype.name)
        outs.append(t)
    show(sess.run(outs), decimals=4)


def case_normal(tf, show):
    d = tf.distributions.Normal(loc=[0.0, 1.0, -2.0], scale=[1.0, 2.0, 0.5])
    print(
        d.name,
        d.batch_shape,
        d.event_shape,
        d.dtype.name,
        d.reparameterization_type,
        d.allow_nan_stats,
        d.validate_args,
        sorted(d.parameters),
    )
    x = [0.5, -1.0, -12.0]
    with tf.Session() as sess:
        _show_method(
            show,
            d,
            sess,
            x,
            ["log_prob", "prob", "cdf", "log_cdf", "survival_function", "log_survival_function"],
        )
        _show_method(show, d, sess, None, ["entropy", "mean", "stddev", "variance", "mode"])
        show(sess.run([d.batch_shape_tensor(), d.event_shape_tensor()]))
    d64 = tf.distributions.Normal(np.float64(1.0), np.float64(3.0), name="n64")
    with tf.Session() as sess:
        show(sess.run(d64.log_cdf([-60.0, -30.0, 0.0, 10.0, 50.0])), decimals=4)


def case_normal_sample_and_gradients(tf, show):
    loc = tf.constant([0.0, 1.0])
    scale = tf.constant([1.0, 2.0])
    d = tf.distributions.Normal(loc, scale)
    s = d.sample([3], seed=5)
    s2 = d.sample(seed=3)
    s3 = d.sample([2, 2], seed=7, name="draw")
    print(s.name.rsplit("/", 1)[0], s.shape, s2.shape, s3.shape, s3.name.rsplit("/", 1)[0])
    lp = tf.reduce_sum(d.log_prob([0.3, 0.7]))
    g = tf.gradients(lp, [loc, scale])
    gs = tf.gradients(tf.reduce_sum(s), [loc, scale])
    with tf.Session() as sess:
        show(sess.run([g, gs]), decimals=4)


def case_uniform_laplace(tf, show):
    u = tf.distributions.Uniform(low=[0.0, -1.0], high=[2.0, 3.0])
    lap = tf.distributions.Laplace(loc=[0.0, 1.0], scale=[1.0, 0.5])
    print(u.name, u.batch_shape, lap.name, lap.batch_shape, u.reparameterization_type)
    with tf.Session() as sess:
        _show_method(show, u, sess, [1.0, 3.5], ["log_prob", "prob", "cdf"])
        _show_method(show, u, sess, None, ["entropy", "mean", "stddev", "variance"])
        _show_method(show, lap, sess, [0.5, -1.0], ["log_prob", "prob", "cdf", "log_cdf"])
        _show_method(show, lap, sess, None, ["entropy", "mean", "stddev", "variance", "mode"])
        show(sess.run(u.range()))


def case_gamma_exponential_beta(tf, show):
    g = tf.distributions.Gamma(concentration=[2.0, 0.5], rate=[3.0, 1.0])
    e = tf.distributions.Exponential(rate=[0.5, 2.0])
    b = tf.distributions.Beta(concentration1=[2.0, 0.7], concentration0=[3.0, 1.5])
    for d in (g, e, b):
        print(d.name, d.batch_shape, d.dtype.name, d.reparameterization_type)
    with tf.Session() as sess:
        _show_method(show, g, sess, [0.7, 2.0], ["log_prob", "prob", "cdf"])
        _show_method(show, g, sess, None, ["entropy", "mean", "stddev", "variance", "mode"])
        _show_method(show, e, sess, [0.7, 2.0], ["log_prob", "prob", "cdf"])
        _show_method(show, e, sess, None, ["entropy", "mean", "stddev", "variance", "mode"])
        _show_method(show, b, sess, [0.3, 0.9], ["log_prob", "prob", "cdf"])
        _show_method(show, b, sess, None, ["entropy", "mean", "stddev", "variance", "mode"])


def case_student_t(tf, show):
    t = tf.distributions.StudentT(df=[3.0, 1.5, 0.8], loc=[0.0, 1.0, 2.0], scale=[1.0, 2.0, 0.5])
    print(t.name, t.batch_shape, t.dtype.name)
    with tf.Session() as sess:
        _show_method(show, t, sess, [0.5, -1.0, 3.0], ["log_prob", "prob", "cdf"])
        _show_method(show, t, sess, None, ["entropy", "mean", "variance", "mode"])


def case_bernoulli_categorical(tf, show):
    b = tf.distributions.Bernoulli(logits=[0.3, -1.2, 2.0])
    b2 = tf.distributions.Bernoulli(probs=[0.25, 0.5], dtype=tf.float32, name="coin")
    c = tf.distributions.Categorical(logits=[[0.1, 0.5, -1.0], [2.0, 0.0, 0.3]])
    c2 = tf.distributions.Categorical(probs=[0.2, 0.3, 0.5], dtype=tf.int64)
    for d in (b, b2, c, c2):
        print(
            d.name,
            d.batch_shape,
            d.event_shape,
            d.dtype.name,
            d.reparameterization_type,
            d.probs.name,
            d.logits.name,
        )
    with tf.Session() as sess:
        _show_method(show, b, sess, [1, 0, 1], ["log_prob", "prob"])
        _show_method(show, b, sess, None, ["entropy", "mean", "variance", "stddev", "mode"])
        _show_method(show, b2, sess, [[1.0], [0.0]], ["log_prob"])
        _show_method(show, c, sess, [2, 0], ["log_prob", "prob"])
        _show_method(show, c, sess, [[1], [2]], ["log_prob"])
        _show_method(show, c, sess, None, ["entropy", "mode"])
        _show_method(show, c2, sess, 2, ["log_prob"])
        s = [b.sample([4], seed=2), c.sample(5, seed=3), c2.sample([2, 2], seed=4)]
        print([(t.shape, t.dtype.name) for t in s])
        show(sess.run(s))


def case_multinomial_dirichlet(tf, show):
    m = tf.distributions.Multinomial(
        total_count=[4.0, 5.0], probs=[[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]]
    )
    dr = tf.distributions.Dirichlet([[1.5, 2.0, 3.0], [0.5, 1.0, 4.0]])
    dm = tf.distributions.DirichletMultinomial(total_count=3.0, concentration=[1.0, 2.0, 0.5])
    for d in (m, dr, dm):
        print(d.name, d.batch_shape, d.event_shape, d.dtype.name)
    with tf.Session() as sess:
        _show_method(show, m, sess, [[1.0, 1.0, 2.0], [0.0, 0.0, 5.0]], ["log_prob", "prob"])
        _show_method(show, m, sess, None, ["mean", "variance", "covariance"])
        _show_method(show, dr, sess, [[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]], ["log_prob", "prob"])
        _show_method(show, dr, sess, None, ["entropy", "mean", "variance", "covariance"])
        _show_method(show, dm, sess, [1.0, 1.0, 1.0], ["log_prob", "prob"])
        _show_method(show, dm, sess, None, ["mean", "variance"])


def case_kl_divergence(tf, show):
    d = tf.distributions
    pairs = [
        (d.Normal([0.0, 1.0], [1.0, 2.0]), d.Normal(0.5, 3.0)),
        (d.Bernoulli(logits=[0.3, -1.0]), d.Bernoulli(probs=[0.5, 0.9])),
        (d.Categorical(logits=[[0.1, 0.5, -1.0]]), d.Categorical(probs=[[0.2, 0.3, 0.5]])),
        (d.Beta([2.0, 0.7], [3.0, 1.5]), d.Beta(1.0, 1.0)),
        (d.Gamma([2.0, 0.5], [3.0, 1.0]), d.Gamma(1.0, 2.0)),
        (d.Exponential([0.5, 2.0]), d.Gamma(2.0, 1.0)),
        (d.Dirichlet([1.5, 2.0, 3.0]), d.Dirichlet([1.0, 1.0, 1.0])),
    ]
    outs = [d.kl_divergence(a, b) for a, b in pairs]
    outs.append(pairs[0][0].kl_divergence(pairs[0][1]))
    outs.append(pairs[0][0].cross_entropy(pairs[0][1]))
    outs.append(d.kl_divergence(pairs[1][0], pairs[1][1], name="kl_b"))
    for t in outs:
        print(t.name.rsplit("/", 1)[0], t.shape, t.dtype.name)
    with tf.Session() as sess:
        show(sess.run(outs), decimals=4)


def case_register_kl(tf, show):
    class MyNormal(tf.distributions.Normal):
        pass

    @tf.distributions.RegisterKL(MyNormal, tf.distributions.Normal)
    def _kl(a, b, name=None):
        return tf.identity(a.loc - b.loc, name=name or "my_kl")

    k = tf.distributions.kl_divergence(MyNormal(1.0, 1.0), tf.distributions.Normal(0.25, 1.0))
    k2 = tf.distributions.kl_divergence(tf.distributions.Normal(1.0, 1.0), MyNormal(0.0, 2.0))
    print(k.name, k2.name.rsplit("/", 1)[0])
    with tf.Session() as sess:
        show(sess.run([k, k2]), decimals=4)


def case_distribution_errors(tf, expect_error):
    d = tf.distributions
    expect_error(d.Bernoulli)
    expect_error(lambda: d.Bernoulli(logits=[1.0], probs=[0.5]))
    expect_error(lambda: d.kl_divergence(d.Normal(0.0, 1.0), d.Bernoulli(probs=0.5)))
    expect_error(lambda: d.Categorical(probs=[0.5, 0.5]).mean())
    expect_error(lambda: d.Normal(0.0, 1))
    print(
        d.FULLY_REPARAMETERIZED == d.FULLY_REPARAMETERIZED,
        d.FULLY_REPARAMETERIZED == d.NOT_REPARAMETERIZED,
        repr(d.NOT_REPARAMETERIZED),
    )
