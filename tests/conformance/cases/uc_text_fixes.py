"""What the "text" user codebases (gpt-2, char-rnn, cnn-text-classification, transformer, gcn,
ptb, nmt) needed from scopeflow: each fix as a case whose printed text must be TF's."""

import numpy as np


def case_feed_nested_state_tuple(tf, expect_error):
    # char-rnn's Model.sample: feed_dict={self.initial_state: state} with the MultiRNNCell's
    # (LSTMStateTuple(c, h), ...) state as the key and sess.run's value of it as the value
    cell = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.BasicLSTMCell(3) for _ in range(2)])
    state = cell.zero_state(1, tf.float32)
    x = tf.placeholder(tf.float32, [1, 2])
    _, new_state = cell(x, state)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run([v.assign(tf.fill(tf.shape(v), 0.1)) for v in tf.global_variables()])
        s = sess.run(new_state, {x: [[1.0, 2.0]]})
        print(type(s).__name__, [type(t).__name__ for t in s])
        s2 = sess.run(new_state, {x: [[1.0, 2.0]], state: s})
        print(np.round(np.asarray(s2), 5).tolist())
        a, b = tf.placeholder(tf.float32, []), tf.placeholder(tf.float32, [])
        print(sess.run(a + b, {(a, (b,)): (1.0, [2.0])}))
        expect_error(lambda: sess.run(a + b, {(a, b): (1.0,)}))
        expect_error(lambda: sess.run(a + b, {(a, b): (1.0, 2.0), a: 3.0}))


def case_from_generator_args(tf, expect_error):
    # Kyubyong/transformer's input_fn: from_generator(fn, types, shapes, args=(sents1, sents2,
    # vocab_fpath)); the generator gets NumPy values (bytes for a string scalar)
    def gen(words, n, path):
        print(type(words).__name__, words.dtype.kind, type(path).__name__, path, int(n))
        for i, w in enumerate(words[: int(n)]):
            yield [i] * (i + 1), w.decode() + "!"

    ds = tf.data.Dataset.from_generator(
        gen,
        output_types=(tf.int32, tf.string),
        output_shapes=([None], ()),
        args=(["a", "bc", "d"], 2, "vocab.txt"),
    )
    ds = ds.padded_batch(2, ([None], ()), (0, ""))
    it = ds.make_initializable_iterator()
    nxt = it.get_next()
    print(nxt[0].shape, nxt[1].shape, ds.output_types)
    with tf.Session() as sess:
        sess.run(it.initializer)
        print(sess.run(nxt))
        expect_error(lambda: sess.run(nxt))
        n = tf.placeholder(tf.int32, [])
        it2 = tf.data.Dataset.from_generator(
            lambda *a: (x for x, _ in gen(*a)),
            tf.int32,
            tf.TensorShape([None]),
            args=(["x"], n, "p"),
        ).make_initializable_iterator()
        sess.run(it2.initializer, {n: 1})
        print(sess.run(it2.get_next()))


def case_linear_operator_lower_triangular(tf, expect_error):
    # Kyubyong/transformer's causal mask: LinearOperatorLowerTriangular(ones).to_dense()
    x = tf.reshape(tf.range(1.0, 10.0), [3, 3])
    op = tf.linalg.LinearOperatorLowerTriangular(x)
    dense = op.to_dense()
    dense2 = tf.linalg.LinearOperatorLowerTriangular(tf.ones([2, 2, 2]), name="tri").to_dense()
    prod = op.matmul(tf.ones([3, 1]))
    prod_adj = op.matmul(tf.ones([3, 1]), adjoint=True)
    for t in (dense, dense2, prod, prod_adj):
        print(t.name, t.shape, t.dtype.name)
    print(op.name, op.shape, op.dtype.name)
    with tf.Session() as sess:
        print(sess.run([dense, dense2, prod, prod_adj]))
    expect_error(lambda: tf.linalg.LinearOperatorLowerTriangular(tf.ones([3])))
    expect_error(lambda: tf.linalg.LinearOperatorLowerTriangular(x, is_square=False))


def case_sparse_dense_matmul_and_cwise(tf, expect_error):
    # tkipf/gcn: tf.sparse_tensor_dense_matmul(support, x) and sparse_dropout's
    # tf.sparse_retain(x, mask) * (1. / keep_prob), with gradients
    sp = tf.SparseTensor([[0, 1], [1, 0], [2, 2]], [2.0, 3.0, -1.0], [3, 3])
    w = tf.Variable(tf.reshape(tf.range(6.0), [3, 2]), name="w")
    out = tf.sparse_tensor_dense_matmul(sp, w)
    out_adj = tf.sparse_tensor_dense_matmul(sp, tf.ones([2, 3]), adjoint_a=True, adjoint_b=True)
    keep = tf.placeholder_with_default(0.5, shape=())
    scaled = sp * (1.0 / keep)
    div = sp / tf.constant([1.0, 2.0, 4.0])
    col = sp * tf.constant([[10.0], [20.0], [30.0]])
    for t in (out, out_adj, scaled.values, div.values, col.values):
        print(t.name, t.op.type, t.shape, [i.name for i in t.op.inputs])
    print(type(scaled).__name__, scaled.indices.name, scaled.dense_shape.name)
    grad = tf.gradients(tf.reduce_sum(out * out), [w])[0]
    ph = tf.sparse_placeholder(tf.float32)
    out_ph = tf.sparse_tensor_dense_matmul(ph, w)
    print(out_ph.shape)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        print(sess.run([out, out_adj, scaled.values, div.values, col.values, grad]))
        feed = {ph: ([[0, 0], [3, 2]], [1.0, 2.0], [4, 3])}
        print(sess.run(out_ph, feed))
        expect_error(lambda: sess.run(out_ph, {ph: ([[0, 0]], [1.0], [4, 5])}))
    expect_error(lambda: tf.sparse_tensor_dense_matmul(tf.ones([2, 2]), w))


def case_dataset_shard_and_tensor_padding(tf, expect_error):
    # tensorflow/nmt's iterator_utils: dataset.shard(num_shards, shard_index) and padded_batch
    # with padding values that are tensors (an id looked up in the vocabulary table)
    ds = tf.data.Dataset.range(10).shard(3, 1)
    nxt = ds.make_one_shot_iterator().get_next()
    pad = tf.cast(tf.constant(7, tf.int64), tf.int32)
    words = tf.data.Dataset.from_tensor_slices(tf.constant([[1, 2, 3], [4, 5, 6]]))
    words = words.map(lambda x: (x[: tf.cast(x[0], tf.int32)], tf.size(x)))
    batched = words.padded_batch(2, ([None], []), (pad, 0))
    b = batched.make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        print([sess.run(nxt) for _ in range(3)])
        expect_error(lambda: sess.run(nxt))
        print(sess.run(b))
        for bad in (tf.data.Dataset.range(3).shard(0, 0), tf.data.Dataset.range(3).shard(2, 2)):
            bad_next = bad.make_one_shot_iterator().get_next()
            expect_error(lambda t=bad_next: sess.run(t))
    expect_error(lambda: words.padded_batch(2, ([None], []), (tf.constant(1.0), 0)))


def case_group_by_window(tf, expect_error):
    # tensorflow/nmt's bucketing (tf.contrib.data.group_by_window is the same function; the
    # oracle has it as tf.data.experimental's): windows of equal keys reduced by padded_batch
    # when full, the rest at the end of the input in increasing key order
    ds = tf.data.Dataset.range(11).map(lambda x: (tf.fill([x % 4], x), x))
    ds = ds.apply(
        tf.data.experimental.group_by_window(
            key_func=lambda v, x: x % 3,
            reduce_func=lambda key, window: window.padded_batch(2, ([None], [])),
            window_size=2,
        )
    )
    nxt = ds.make_one_shot_iterator().get_next()
    print(nxt[0].shape, nxt[1].shape)
    with tf.Session() as sess:
        for _ in range(6):
            print(sess.run(nxt))
        expect_error(lambda: sess.run(nxt))
    # an int32 key: the message names the key tensor, traced in a function graph by TF (its
    # name differs), so only the text before the name is compared
    try:
        to_int32 = lambda x: tf.cast(x, tf.int32)  # noqa: E731
        tf.data.Dataset.range(3).apply(
            tf.data.experimental.group_by_window(to_int32, lambda k, w: w, 2)
        )
    except ValueError as e:
        print("ValueError", str(e).split(": <")[0])
