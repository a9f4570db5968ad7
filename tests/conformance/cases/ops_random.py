"""multinomial/categorical, random_shuffle, random_crop and tf.random aliases: names, static
shapes, dtypes, errors and value properties that do not depend on the generator."""

import numpy as np


def case_multinomial_names_shapes(tf):
    m = tf.multinomial(tf.zeros([2, 3]), 4)
    m32 = tf.multinomial(tf.zeros([2, 3]), 4, output_dtype=tf.int32)
    c = tf.random.categorical(tf.zeros([5, 3]), 2)
    u = tf.multinomial(tf.placeholder(tf.float32, [None, 3]), tf.placeholder(tf.int32, []))
    for t in (m, m32, c, u):
        print(t.name, t.shape, t.dtype.name)


def case_multinomial_values(tf, show):
    logits = tf.constant([[0.0, 100.0, 0.0], [100.0, 0.0, 0.0]])
    m = tf.multinomial(logits, 5, seed=3)
    c = tf.random.categorical(tf.math.log([[0.0, 0.0, 1.0]]), 3, dtype=tf.int32)
    with tf.Session() as sess:
        show(sess.run(m), sess.run(c))


def case_multinomial_errors(tf, expect_error):
    expect_error(lambda: tf.multinomial(tf.zeros([3]), 2))
    expect_error(lambda: tf.random.categorical(tf.zeros([2, 3]), 2, dtype=tf.float32))


def case_random_shuffle(tf, show):
    x = tf.constant(np.arange(12, dtype=np.float32).reshape(6, 2))
    s = tf.random_shuffle(x, seed=1)
    s2 = tf.random.shuffle(x)
    print(s.name, s.shape, s2.name, tf.random_shuffle(tf.placeholder(tf.float32)).shape)
    with tf.Session() as sess:
        v = sess.run(s)
        show(sorted(v[:, 0].tolist()), (v[:, 1] - v[:, 0]).tolist())


def case_random_crop(tf, show, expect_error):
    x = tf.constant(np.arange(12, dtype=np.float32).reshape(3, 4))
    c = tf.random_crop(x, [2, 2], seed=7)
    print(c.name, c.shape)
    print(tf.random_crop(tf.placeholder(tf.float32), [2, 2]).shape)
    print(tf.random_crop(x, tf.placeholder(tf.int32, [2])).shape)
    full = tf.random_crop(x, [3, 4])
    with tf.Session() as sess:
        v = sess.run(c)
        show(v.shape, float(v[1, 0] - v[0, 0]), float(v[0, 1] - v[0, 0]), sess.run(full))
        expect_error(lambda: sess.run(tf.random_crop(x, [4, 1])))
    expect_error(lambda: tf.random_crop(x, [1]))


def case_random_namespace(tf):
    for t in (tf.random.normal([2]), tf.random.truncated_normal([2, 3]),
              tf.random.uniform([2], maxval=3, dtype=tf.int32)):  # fmt: skip
        print(t.name, t.shape, t.dtype.name)
    tf.random.set_random_seed(5)
    print(tf.get_default_graph().seed, tf.random.get_seed(3))


def case_seeded_ops_reproducible(tf, show):
    tf.set_random_seed(11)
    m = tf.multinomial(tf.zeros([1, 10]), 20)
    s = tf.random_shuffle(tf.range(10))
    with tf.Session() as sess:
        a = sess.run([m, s])
    with tf.Session() as sess:
        b = sess.run([m, s])
    show(bool((a[0] == b[0]).all()), bool((a[1] == b[1]).all()), sorted(a[1].tolist()))
