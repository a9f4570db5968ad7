"""Candidate samplers and compute_accidental_hits: TF's exact seeded samples and expected counts
(graph + op seeds, unique rejection loop, repeated runs, new sessions), names, shapes, dtypes and
errors."""

import numpy as np


def _names(*tensors):
    print(" ".join(f"{t.name}{t.get_shape()}{t.dtype.name}" for t in tensors))


def _labels(tf, rows, num_true=1, dtype=None):
    return tf.constant(np.array(rows, dtype=np.int64).reshape(-1, num_true), dtype=dtype)


def case_sampler_names_shapes(tf):
    x = tf.placeholder(tf.int64, [None, 2])
    for fn in (
        tf.nn.uniform_candidate_sampler,
        tf.nn.log_uniform_candidate_sampler,
        tf.nn.learned_unigram_candidate_sampler,
        tf.random.uniform_candidate_sampler,
        tf.random.log_uniform_candidate_sampler,
    ):
        r = fn(x, 2, 5, True, 20)
        _names(*r)
        print(type(r).__name__, r._fields)
    r = tf.nn.fixed_unigram_candidate_sampler(x, 2, 3, False, 4, unigrams=[1, 2, 3, 4],
                                              name="fixed")  # fmt: skip
    _names(*r)
    r = tf.nn.all_candidate_sampler(x, 2, 7, True, name="everything")
    _names(*r)
    h = tf.nn.compute_accidental_hits(x, r.sampled_candidates, 2)
    _names(*h)
    print(type(h).__name__, h._fields)
    print(sorted(r[0].op.node_def.attr) if hasattr(r[0].op, "node_def") else None)


def case_log_uniform_seeded(tf, show):
    tf.set_random_seed(1)
    labels = _labels(tf, [1, 2, 7, 40])
    a = tf.nn.log_uniform_candidate_sampler(labels, 1, 5, True, 100)
    b = tf.nn.log_uniform_candidate_sampler(labels, 1, 8, False, 100, seed=5)
    c = tf.nn.log_uniform_candidate_sampler(labels, 1, 40, True, 50, seed=9)
    with tf.Session() as sess:
        for _ in range(3):
            show(sess.run(a), decimals=6)
        show(sess.run(b), decimals=6)
        show(sess.run(c), decimals=6)
    with tf.Session() as sess:
        show(sess.run(a), decimals=6)


def case_log_uniform_large_range(tf, show):
    tf.set_random_seed(123)
    labels = _labels(tf, [[3, 17], [500, 49999]], num_true=2)
    r = tf.nn.log_uniform_candidate_sampler(labels, 2, 64, True, 50000)
    with tf.Session() as sess:
        v = sess.run(r)
        show(v, decimals=7)
        show(sess.run(r), decimals=7)


def case_uniform_seeded(tf, show):
    tf.set_random_seed(4)
    labels = _labels(tf, [[0, 9], [3, 3]], num_true=2)
    a = tf.nn.uniform_candidate_sampler(labels, 2, 6, True, 10)
    b = tf.nn.uniform_candidate_sampler(labels, 2, 6, False, 10, seed=2)
    c = tf.nn.uniform_candidate_sampler(labels, 2, 10, True, 10, seed=3)
    d = tf.random.uniform_candidate_sampler(labels, 2, 4, True, 2**40, seed=4)
    e = tf.nn.uniform_candidate_sampler(labels, 2, 3, False, 16, seed=4)
    with tf.Session() as sess:
        show(sess.run([a, b]), decimals=6)
        show(sess.run([a, c, d, e]), decimals=6)


def case_op_seed_only(tf, show):
    labels = _labels(tf, [1, 2])
    a = tf.nn.log_uniform_candidate_sampler(labels, 1, 4, True, 30, seed=17)
    b = tf.nn.uniform_candidate_sampler(labels, 1, 4, True, 30, seed=17)
    with tf.Session() as sess:
        show(sess.run([a, b]), decimals=6)


def case_learned_unigram(tf, show):
    tf.set_random_seed(8)
    labels = tf.placeholder(tf.int64, [None, 1])
    r = tf.nn.learned_unigram_candidate_sampler(labels, 1, 4, True, 12)
    s = tf.nn.learned_unigram_candidate_sampler(labels, 1, 6, False, 12, seed=1)
    with tf.Session() as sess:
        for rows in ([[3], [3], [5]], [[3], [4], [3]], [[11], [3], [3]], [[0], [3], [3]]):
            show(sess.run([r, s], {labels: rows}), decimals=6)
    with tf.Session() as sess:
        show(sess.run(r, {labels: [[1], [2], [3]]}), decimals=6)


def case_fixed_unigram(tf, show):
    tf.set_random_seed(6)
    labels = _labels(tf, [[0, 4], [2, 3]], num_true=2)
    uni = [1.0, 2.0, 30.0, 4.0, 0.5, 7.0]
    ts = [
        tf.nn.fixed_unigram_candidate_sampler(labels, 2, 5, False, 6, unigrams=uni),
        tf.nn.fixed_unigram_candidate_sampler(labels, 2, 4, True, 6, unigrams=uni, seed=3),
        tf.nn.fixed_unigram_candidate_sampler(labels, 2, 4, True, 6, unigrams=uni,
                                              distortion=0.75, seed=4),
        tf.nn.fixed_unigram_candidate_sampler(labels, 2, 3, True, 8, unigrams=uni,
                                              num_reserved_ids=2, seed=5),
        tf.random.fixed_unigram_candidate_sampler(labels, 2, 2, False, 5, unigrams=[*uni, 1, 2],
                                                  num_reserved_ids=2, num_shards=2, shard=1),
    ]  # fmt: skip
    with tf.Session() as sess:
        show(sess.run(ts), decimals=6)
        show(sess.run(ts[:3]), decimals=6)


def case_fixed_unigram_vocab_file(tf, show):
    import tempfile
    from pathlib import Path

    d = Path(tempfile.mkdtemp())
    path = d / "vocab.csv"
    path.write_text("the,50\nof,20\nand,15\ncat,2\nzebra,1\n")
    tf.set_random_seed(2)
    labels = _labels(tf, [1, 4])
    r = tf.nn.fixed_unigram_candidate_sampler(labels, 1, 4, True, 5, vocab_file=str(path),
                                              distortion=0.5)  # fmt: skip
    with tf.Session() as sess:
        show(sess.run(r), decimals=6)
    path.unlink()
    d.rmdir()


def case_all_sampler(tf, show):
    labels = _labels(tf, [[1, 2], [0, 3]], num_true=2)
    r = tf.nn.all_candidate_sampler(labels, 2, 5, False)
    with tf.Session() as sess:
        show(sess.run(r))


def case_accidental_hits(tf, show):
    labels = _labels(tf, [[1, 2], [0, 7], [2, 2]], num_true=2)
    sampled = tf.constant([2, 5, 7, 0, 9], tf.int64)
    h = tf.nn.compute_accidental_hits(labels, sampled, 2)
    dup = tf.nn.compute_accidental_hits(labels, tf.constant([2, 2, 1], tf.int64), 2)
    none = tf.nn.compute_accidental_hits(labels, tf.constant([8], tf.int64), 2)
    with tf.Session() as sess:
        show(sess.run([h, dup, none]))


def case_sampler_errors(tf, expect_error):
    labels = _labels(tf, [1, 2])
    expect_error(lambda: tf.nn.uniform_candidate_sampler(labels, 1, 0, True, 10))
    expect_error(lambda: tf.nn.uniform_candidate_sampler(labels, 1, 3, True, 0))
    expect_error(lambda: tf.nn.uniform_candidate_sampler(tf.constant([1, 2], tf.int64), 1, 3,
                                                         True, 10))  # fmt: skip
    x = tf.placeholder(tf.int64)
    r = tf.nn.uniform_candidate_sampler(x, 1, 5, True, 4, seed=1)
    q = tf.nn.log_uniform_candidate_sampler(x, 2, 2, False, 4, seed=1)
    f = tf.nn.fixed_unigram_candidate_sampler(labels, 1, 2, False, 3, unigrams=[1, 2], seed=1)
    g = tf.nn.fixed_unigram_candidate_sampler(labels, 1, 2, False, 3, seed=1)
    with tf.Session() as sess:
        expect_error(lambda: sess.run(r, {x: [[1], [2]]}))
        expect_error(lambda: sess.run(q, {x: [[1], [2]]}))
        expect_error(lambda: sess.run(q, {x: [1, 2]}))
        expect_error(lambda: sess.run(q, {x: [[1, 9]]}))
        expect_error(lambda: sess.run(f))
        expect_error(lambda: sess.run(g))
        h = tf.nn.compute_accidental_hits(x, tf.constant([1], tf.int64), 2)
        expect_error(lambda: sess.run(h, {x: [[1]]}))


def case_sampler_no_gradient(tf):
    w = tf.Variable(tf.ones([3]))
    r = tf.nn.log_uniform_candidate_sampler(tf.constant([[1]], tf.int64), 1, 2, True, 5)
    loss = tf.reduce_sum(r.sampled_expected_count) + tf.reduce_sum(w)
    print(tf.gradients(loss, [w])[0] is not None)
    print(tf.gradients(tf.reduce_sum(r.true_expected_count), [w]))
