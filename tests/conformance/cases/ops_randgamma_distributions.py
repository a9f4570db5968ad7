"""tf.distributions sampling built on RandomGamma / multinomial (TF 1.15's Gamma, Beta, Dirichlet,
StudentT, Multinomial, DirichletMultinomial ``sample``) and Normal.quantile: sample names,
static shapes, dtypes, seeded values bit for bit, moments over many samples, gradients.

Parameters that a sample is divided by are fed (placeholder_with_default) where bits are printed:
TF's grappler rewrites a division by a constant into a multiplication by its reciprocal (one ulp
away from the division scopeflow does, and TF does with a fed value). Multinomial.sample runs a
map_fn whose iterations TF may run in parallel, so the order in which they draw from the op's
stream is TF's scheduling: its case prints invariants (shapes, counts summing to total_count)."""

import numpy as np


def _bits(x):
    x = np.asarray(x)
    return f"{x.dtype.name}{list(x.shape)}:{x.tobytes().hex()}"


def case_gamma_sample(tf, show):
    conc = tf.constant([2.0, 0.5])
    rate = tf.placeholder_with_default([3.0, 1.0], [2])
    d = tf.distributions.Gamma(concentration=conc, rate=rate)
    s = d.sample([3], seed=5)
    s2 = d.sample(seed=2, name="draw")
    print(s.name, s.shape, s2.name, s2.shape)
    g = tf.gradients(tf.reduce_sum(s), [conc, rate])
    with tf.Session() as sess:
        v, v2, gv = sess.run([s, s2, g])
        print(_bits(v), _bits(v2))
        show(gv, decimals=3)


def case_beta_sample(tf, show):
    d = tf.distributions.Beta(concentration1=[[0.5, 2.0, 1.0]], concentration0=[[3.0], [1.0]])
    s = d.sample([4], seed=7)
    s_none = d.sample(2)
    print(s.name, s.shape, s_none.shape)
    with tf.Session() as sess:
        print(_bits(sess.run(s)))
        print(sess.run(s_none).shape)


def case_dirichlet_sample(tf, show):
    d = tf.distributions.Dirichlet([[1.0, 2.0, 3.0], [0.3, 0.3, 5.0]])
    s = d.sample([5], seed=3)
    print(s.name, s.shape, s.dtype.name)
    d64 = tf.distributions.Dirichlet(np.array([0.5, 1.5], np.float64))
    s64 = d64.sample(4, seed=1)
    with tf.Session() as sess:
        v, v64 = sess.run([s, s64])
        print(_bits(v), _bits(v64))
        show(v.sum(-1), decimals=5)


def case_student_t_sample(tf, show):
    df = tf.placeholder_with_default([3.0, 10.0], [2])
    d = tf.distributions.StudentT(df=df, loc=[0.0, 1.0], scale=[1.0, 2.0])
    s = d.sample([6], seed=11)
    print(s.name, s.shape)
    # TF's CPU Rsqrt (Eigen's vectorized rsqrt) can be an ulp or two off the rounded value.
    with tf.Session() as sess:
        show(sess.run(s), decimals=5)


def case_multinomial_sample(tf, show):
    d = tf.distributions.Multinomial(total_count=[4.0, 7.0], logits=[[0.0, 1.0, -1.0],
                                                                     [2.0, 0.0, 0.5]])  # fmt: skip
    s = d.sample([3], seed=9)
    print(s.name, s.shape, s.dtype.name)
    with tf.Session() as sess:
        v = sess.run(s)
        print(v.sum(-1).tolist(), bool((v >= 0).all()), bool((v == np.round(v)).all()))


def case_dirichlet_multinomial_sample(tf, show):
    conc = [[1.0, 2.0, 0.5], [3.0, 3.0, 3.0]]
    d = tf.distributions.DirichletMultinomial(total_count=5.0, concentration=conc)
    s = d.sample([4], seed=13)
    print(s.name, s.shape, s.dtype.name)
    with tf.Session() as sess:
        v = sess.run(s)
        print(v.tolist())


def case_sample_moments(tf, show):
    g = tf.distributions.Gamma(concentration=[0.7, 4.0], rate=[2.0, 0.5])
    b = tf.distributions.Beta(2.0, 5.0)
    t = tf.distributions.StudentT(df=6.0, loc=1.0, scale=2.0)
    with tf.Session() as sess:
        gv, bv, tv = sess.run([g.sample(3000, seed=1), b.sample(3000, seed=2),
                               t.sample(3000, seed=3)])  # fmt: skip
    show(gv.mean(0), gv.var(0), bv.mean(), bv.var(), tv.mean(), tv.var(), decimals=3)


def case_normal_quantile(tf, show):
    d = tf.distributions.Normal(loc=[0.0, 1.0, -2.0], scale=[1.0, 2.0, 0.5])
    q = d.quantile([0.5, 0.975, 0.01])
    print(q.name, q.shape, q.dtype.name)
    d64 = tf.distributions.Normal(np.float64(1.0), np.float64(3.0))
    q64 = d64.quantile([1e-10, 0.3, 0.999999])
    with tf.Session() as sess:
        show(sess.run(q), decimals=4)
        show(sess.run(q64), decimals=6)
