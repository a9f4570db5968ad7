"""``tf.gradients`` returns ``IndexedSlices`` where TF does: a tensor or variable whose whole
gradient comes through row gathers (``tf.gather`` axis 0, ``tf.nn.embedding_lookup``); dense
``Tensor`` otherwise (another axis, a dense use besides the gather). Checks the type, the
indices, values and dense_shape (dtypes, static shapes, values), densifying with
``tf.convert_to_tensor`` and the ops BERT's optimizer applies to such a gradient."""

import numpy as np


def _kind(tf, g):
    return "IndexedSlices" if isinstance(g, tf.IndexedSlices) else "Tensor"


def _describe(tf, sess, g):
    print(_kind(tf, g))
    if isinstance(g, tf.IndexedSlices):
        print(
            g.values.dtype.name,
            g.values.shape.as_list(),
            g.indices.dtype.name,
            g.indices.shape.as_list(),
            g.dense_shape.dtype.name,
            g.dense_shape.shape.as_list(),
        )
        values, indices, dense_shape = sess.run([g.values, g.indices, g.dense_shape])
        print(values.tolist(), indices.tolist(), dense_shape.tolist())
    dense = tf.convert_to_tensor(g)
    print(dense.dtype.name, dense.shape.as_list())
    print(np.round(sess.run(dense), 4).tolist())


def _table(tf, name="emb"):
    return tf.get_variable(name, initializer=np.arange(15, dtype=np.float32).reshape(5, 3) / 10)


def case_embedding_lookup_of_variable(tf, show):
    emb = _table(tf)
    ids = tf.constant([[0, 2], [2, 4]])
    e = tf.nn.embedding_lookup(emb, ids)
    (g,) = tf.gradients(tf.reduce_sum(e * e), emb)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        _describe(tf, sess, g)
        value = sess.run(g)
        print(type(value).__name__, value._fields)
        show(value)
        print(sess.run({"g": [g]})["g"][0].indices.tolist())


def case_gather_of_variable_and_int64_ids(tf, show):
    emb = _table(tf)
    y = tf.gather(emb, tf.constant([3, 1, 3], tf.int64))
    (g,) = tf.gradients(tf.reduce_sum(y * tf.constant([1.0, 2.0, 3.0])), [emb])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        _describe(tf, sess, g)


def case_gather_of_placeholder(tf, show):
    p = tf.placeholder(tf.float32, [None, 2])
    y = tf.gather(p, [1, 0])
    (g,) = tf.gradients(tf.reduce_sum(y * 2.0), p)
    print(_kind(tf, g), g.values.shape.as_list())
    with tf.Session() as sess:
        feed = {p: np.ones([3, 2], np.float32)}
        print(sess.run(tf.convert_to_tensor(g), feed).tolist())


def case_dense_when_also_used_densely_or_other_axis(tf, show):
    emb = _table(tf)
    both = tf.reduce_sum(tf.gather(emb, [1])) + tf.reduce_sum(emb)
    axis1 = tf.reduce_sum(tf.gather(emb, [0, 2], axis=1))
    g1, g2 = tf.gradients(both, emb)[0], tf.gradients(axis1, emb)[0]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        _describe(tf, sess, g1)
        _describe(tf, sess, g2)


def case_bert_optimizer_math_on_sparse_gradient(tf, show):
    emb = _table(tf)
    w = tf.get_variable("w", initializer=np.ones([3, 2], np.float32))
    y = tf.matmul(tf.nn.embedding_lookup(emb, [1, 4, 1]), w)
    grads = tf.gradients(tf.reduce_sum(y * y), [emb, w])
    print([_kind(tf, g) for g in grads])
    clipped, norm = tf.clip_by_global_norm(grads, clip_norm=1.0)
    print([_kind(tf, g) for g in clipped])
    m = tf.multiply(0.1, clipped[0])
    v = tf.multiply(0.001, tf.square(clipped[0]))
    update = m / (tf.sqrt(v) + 1e-6)
    print(m.shape.as_list(), v.shape.as_list(), update.shape.as_list())
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(sess.run([norm, update]))


def case_two_gathers_concatenated(tf, show):
    emb = _table(tf)
    a = tf.gather(emb, [4, 0])
    b = tf.nn.embedding_lookup(emb, [[1], [4]])
    (g,) = tf.gradients(tf.reduce_sum(a) + 2.0 * tf.reduce_sum(b), emb)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        _describe(tf, sess, g)
