"""tf.nn.nce_loss and tf.nn.sampled_softmax_loss: TF's exact values (seeded candidate sampling),
gradients (IndexedSlices for the class weights), names and shapes; remove_accidental_hits,
num_true > 1, sampled_values, sharded weights with both partition strategies, a word2vec-style
training loop with GradientDescentOptimizer, and tf.sparse_to_dense."""

import numpy as np


def _data(num_classes=30, dim=6, batch=5, num_true=1, seed=0):
    rs = np.random.RandomState(seed)
    w = rs.normal(size=(num_classes, dim)).astype(np.float32) * 0.3
    b = rs.normal(size=(num_classes,)).astype(np.float32) * 0.1
    x = rs.normal(size=(batch, dim)).astype(np.float32)
    y = rs.randint(0, num_classes, size=(batch, num_true)).astype(np.int64)
    return w, b, x, y


def case_names_shapes(tf):
    w, b, x, y = _data()
    loss = tf.nn.nce_loss(tf.constant(w), tf.constant(b), tf.constant(y), tf.constant(x), 4, 30)
    soft = tf.nn.sampled_softmax_loss(tf.constant(w), tf.constant(b), tf.constant(y),
                                      tf.constant(x), 4, 30)  # fmt: skip
    print(loss.name, loss.shape, loss.dtype.name)
    print(soft.name, soft.shape, soft.dtype.name)
    ph = tf.placeholder(tf.int64, [None, 2])
    xp = tf.placeholder(tf.float32, [None, 6])
    l2 = tf.nn.nce_loss(tf.constant(w), tf.constant(b), ph, xp, 4, 30, num_true=2, name="nce2")
    print(l2.name, l2.shape)
    ops = [op.type for op in tf.get_default_graph().get_operations()]
    print(ops.count("LogUniformCandidateSampler"), ops.count("ComputeAccidentalHits"))


def case_nce_values_and_grads(tf, show):
    tf.set_random_seed(3)
    w, b, x, y = _data()
    wv = tf.Variable(w, name="nce_w")
    bv = tf.Variable(b, name="nce_b")
    xs = tf.constant(x)
    loss = tf.nn.nce_loss(wv, bv, tf.constant(y), xs, num_sampled=6, num_classes=30)
    gw, gb, gx = tf.gradients(tf.reduce_mean(loss), [wv, bv, xs])
    print(type(gw).__name__, type(gb).__name__, isinstance(gx, tf.Tensor))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(sess.run(loss), decimals=5)
        vw, vb, vx = sess.run([gw, gb, gx])
        show(vw.indices, vw.values, vw.dense_shape, decimals=5)
        show(vb.indices, vb.values, decimals=5)
        show(vx, decimals=5)


def case_sampled_softmax_values_and_grads(tf, show):
    tf.set_random_seed(5)
    w, b, x, y = _data(seed=1)
    wv = tf.Variable(w, name="sm_w")
    bv = tf.Variable(b, name="sm_b")
    xs = tf.constant(x)
    loss = tf.nn.sampled_softmax_loss(wv, bv, tf.constant(y), xs, num_sampled=8, num_classes=30)
    gw, gx = tf.gradients(tf.reduce_sum(loss), [wv, xs])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(sess.run(loss), decimals=5)
        show(sess.run(loss), decimals=5)
        vw, vx = sess.run([gw, gx])
        show(vw.indices, vw.values, decimals=5)
        show(vx, decimals=5)


def case_accidental_hits_num_true(tf, show):
    tf.set_random_seed(7)
    w, b, x, y = _data(num_classes=8, batch=4, num_true=3, seed=2)
    kw = {
        "weights": tf.constant(w),
        "biases": tf.constant(b),
        "labels": tf.constant(y),
        "inputs": tf.constant(x),
        "num_sampled": 5,
        "num_classes": 8,
        "num_true": 3,
    }
    ts = [
        tf.nn.nce_loss(**kw),
        tf.nn.nce_loss(remove_accidental_hits=True, **kw),
        tf.nn.sampled_softmax_loss(**kw),
        tf.nn.sampled_softmax_loss(remove_accidental_hits=False, seed=4, **kw),
    ]
    with tf.Session() as sess:
        show(sess.run(ts), decimals=5)


def case_sampled_values_given(tf, show):
    w, b, x, y = _data(seed=3)
    labels = tf.constant(y)
    sv = (tf.constant([3, 7, 1, 0], tf.int64), tf.constant(np.full((5, 1), 0.25, np.float32)),
          tf.constant([0.5, 0.1, 0.2, 0.4], tf.float32))  # fmt: skip
    ts = [
        tf.nn.nce_loss(tf.constant(w), tf.constant(b), labels, tf.constant(x), 4, 30,
                       sampled_values=sv),
        tf.nn.sampled_softmax_loss(tf.constant(w), tf.constant(b), labels, tf.constant(x), 4, 30,
                                   sampled_values=sv),
        tf.nn.nce_loss(tf.constant(w), tf.constant(b), tf.cast(labels, tf.int32),
                       tf.constant(x), 30, 30,
                       sampled_values=tf.nn.all_candidate_sampler(labels, 1, 30, True)),
    ]  # fmt: skip
    with tf.Session() as sess:
        show(sess.run(ts), decimals=4)


def case_sharded_weights(tf, show):
    tf.set_random_seed(9)
    w, b, x, y = _data(num_classes=31, seed=4)
    for strategy in ("mod", "div"):
        with tf.variable_scope("s_" + strategy):
            pw = tf.get_variable("w", initializer=tf.constant(w),
                                 partitioner=tf.fixed_size_partitioner(3))  # fmt: skip
            pb = tf.get_variable("b", initializer=tf.constant(b),
                                 partitioner=tf.fixed_size_partitioner(2))  # fmt: skip
        loss = tf.nn.nce_loss(pw, pb, tf.constant(y), tf.constant(x), 5, 31,
                              partition_strategy=strategy)  # fmt: skip
        shards = list(pw)
        soft = tf.nn.sampled_softmax_loss(shards, pb, tf.constant(y), tf.constant(x), 5, 31,
                                          partition_strategy=strategy, seed=2)  # fmt: skip
        g = tf.gradients(tf.reduce_sum(loss) + tf.reduce_sum(soft), shards)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            show(sess.run([loss, soft]), decimals=5)
            show([sess.run(tf.convert_to_tensor(t)) for t in g], decimals=5)


def case_word2vec_training(tf, show):
    tf.set_random_seed(1)
    vocabulary_size, embedding_size, batch_size = 40, 8, 6
    rs = np.random.RandomState(0)
    train_inputs = tf.placeholder(tf.int32, shape=[batch_size])
    train_labels = tf.placeholder(tf.int32, shape=[batch_size, 1])
    embeddings = tf.Variable(tf.random_uniform([vocabulary_size, embedding_size], -1.0, 1.0))
    embed = tf.nn.embedding_lookup(embeddings, train_inputs)
    nce_weights = tf.Variable(
        tf.truncated_normal([vocabulary_size, embedding_size],
                            stddev=1.0 / np.sqrt(embedding_size)))  # fmt: skip
    nce_biases = tf.Variable(tf.zeros([vocabulary_size]))
    loss = tf.reduce_mean(tf.nn.nce_loss(weights=nce_weights, biases=nce_biases,
                                         labels=train_labels, inputs=embed, num_sampled=5,
                                         num_classes=vocabulary_size))  # fmt: skip
    optimizer = tf.train.GradientDescentOptimizer(1.0).minimize(loss)
    print([v.name for v in tf.trainable_variables()])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(5):
            feed = {train_inputs: rs.randint(0, vocabulary_size, batch_size),
                    train_labels: rs.randint(0, vocabulary_size, (batch_size, 1))}  # fmt: skip
            _, v = sess.run([optimizer, loss], feed)
            show(v, decimals=5)
        show(sess.run(nce_weights)[:4], sess.run(embeddings)[:3], decimals=5)


def case_sparse_to_dense(tf, show, expect_error):
    a = tf.sparse_to_dense([[0, 1], [2, 0]], [3, 2], [5.0, 6.0])
    b = tf.sparse_to_dense([1, 3], [5], 7, default_value=-1)
    c = tf.sparse_to_dense(tf.constant([[0, 0], [1, 2]], tf.int64), [2, 3], 1.5, name="sd")
    v = tf.Variable([2.0, 3.0])
    d = tf.sparse_to_dense([[1], [0]], [3], v, default_value=0.5, validate_indices=False)
    g = tf.gradients(tf.reduce_sum(d * tf.constant([1.0, 2.0, 3.0])), v)
    print(a.name, a.shape, b.name, b.shape, b.dtype.name, c.name, c.shape)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(sess.run([a, b, c, d]), sess.run(g))
        bad = tf.sparse_to_dense([[1], [0]], [3], [1.0, 2.0])
        expect = tf.sparse_to_dense([[4]], [3], [1.0])
        for t in (bad, expect):
            expect_error(lambda t=t: sess.run(t))
