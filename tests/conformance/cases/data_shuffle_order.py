"""Dataset.shuffle: TF's exact order for set seeds (ShuffleDataset's Philox picks)."""


def _take(tf, sess, nxt, n):
    out = []
    try:
        for _ in range(n):
            v = sess.run(nxt)
            out.append(v.tolist() if hasattr(v, "tolist") else v)
    except tf.errors.OutOfRangeError:
        out.append("end")
    return out


def case_shuffle_graph_seed_reshuffles_each_epoch(tf, show):
    tf.set_random_seed(3)
    ds = tf.data.Dataset.range(10).shuffle(4).repeat(3)
    it = ds.make_initializable_iterator()
    nxt = it.get_next()
    with tf.Session() as sess:
        for _ in range(2):  # initializing again restarts the same sequence
            sess.run(it.initializer)
            show(_take(tf, sess, nxt, 31))


def case_shuffle_op_seed_only_and_fixed(tf, show):
    a = tf.data.Dataset.range(12).shuffle(5, seed=42).repeat(2)
    b = tf.data.Dataset.range(12).shuffle(5, seed=42, reshuffle_each_iteration=False).repeat(2)
    c = tf.data.Dataset.range(6).shuffle(100, seed=1)
    d = tf.data.Dataset.range(6).shuffle(1, seed=1)
    with tf.Session() as sess:
        for ds in (a, b, c, d):
            show(_take(tf, sess, ds.make_one_shot_iterator().get_next(), 30))


def case_shuffle_seed_counter_shared_with_random_ops(tf, show):
    tf.set_random_seed(7)
    u = tf.random_uniform([2], seed=None)
    ds = tf.data.Dataset.range(8).shuffle(8)
    u2 = tf.random_uniform([2])
    ds2 = tf.data.Dataset.range(8).shuffle(3)
    with tf.Session() as sess:
        show(sess.run(u), sess.run(u2))
        show(_take(tf, sess, ds.make_one_shot_iterator().get_next(), 9))
        show(_take(tf, sess, ds2.make_one_shot_iterator().get_next(), 9))


def case_shuffle_structures_and_repeat_first(tf, show):
    tf.set_random_seed(11)
    x = tf.data.Dataset.from_tensor_slices(
        ({"a": [[1, 2], [3, 4], [5, 6], [7, 8], [9, 10]]}, ["p", "q", "r", "s", "t"])
    )
    s = x.shuffle(3).batch(2)
    r = tf.data.Dataset.range(4).repeat(2).shuffle(5)
    m = tf.data.Dataset.range(10).map(lambda v: v * v).shuffle(6, seed=2).batch(3)
    print(s.output_shapes, s.output_types)
    with tf.Session() as sess:
        show(_take(tf, sess, s.make_one_shot_iterator().get_next(), 4))
        show(_take(tf, sess, r.make_one_shot_iterator().get_next(), 9))
        show(_take(tf, sess, m.make_one_shot_iterator().get_next(), 5))
