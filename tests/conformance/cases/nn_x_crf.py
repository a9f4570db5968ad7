"""tf.contrib.crf (TF 1.15): scores, log-likelihood, log-norm, decoding, cells and the NER-style
training loop (variable ``transitions``, Adam). TF 2 has no contrib, so the goldens come from
``tools/record_tf_golden.py nn_x_crf`` running our own transcription of TF 1.15's crf.py onto TF
ops under the TensorFlow oracle (``_crf_tf115.py``); scopeflow runs its ``tf.contrib.crf``."""

import importlib.util
import sys
from pathlib import Path

import numpy as np


def _crf(tf):
    name = "_conformance_crf_tf115"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).parent / "_crf_tf115.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name].crf_module(tf)


def _data(batch=3, length=5, tags=4, seed=0):
    rs = np.random.RandomState(seed)
    x = rs.normal(size=(batch, length, tags)).astype(np.float32)
    y = rs.randint(0, tags, size=(batch, length)).astype(np.int32)
    trans = rs.normal(size=(tags, tags)).astype(np.float32)
    return x, y, trans


def case_scores_and_norm(tf, show):
    crf = _crf(tf)
    x, y, trans = _data()
    lengths = tf.constant([5, 3, 1])
    ts = [
        crf.crf_unary_score(tf.constant(y), lengths, tf.constant(x)),
        crf.crf_binary_score(tf.constant(y), lengths, tf.constant(trans)),
        crf.crf_sequence_score(tf.constant(x), tf.constant(y), lengths, tf.constant(trans)),
        crf.crf_log_norm(tf.constant(x), lengths, tf.constant(trans)),
        crf.crf_sequence_score(tf.constant(x), tf.constant(y, tf.int64), lengths,
                               tf.constant(trans)),
        crf.crf_log_norm(tf.constant(x), tf.constant([5, 0, 2]), tf.constant(trans)),
    ]  # fmt: skip
    with tf.Session() as sess:
        show(sess.run(ts), decimals=5)


def case_single_step(tf, show):
    crf = _crf(tf)
    x, y, trans = _data(length=1, seed=1)
    lengths = tf.constant([1, 1, 0])
    px = tf.placeholder(tf.float32, [None, None, 4])
    ts = [
        crf.crf_sequence_score(tf.constant(x), tf.constant(y), lengths, tf.constant(trans)),
        crf.crf_log_norm(tf.constant(x), lengths, tf.constant(trans)),
        crf.crf_decode(tf.constant(x), tf.constant(trans), lengths),
        crf.crf_log_norm(px, lengths, tf.constant(trans)),
    ]
    with tf.Session() as sess:
        show(sess.run(ts, {px: x}), decimals=5)


def case_log_likelihood_variable_and_grads(tf, show):
    crf = _crf(tf)
    x, y, _ = _data(seed=2)
    inputs = tf.Variable(x, name="unary")
    with tf.variable_scope("crf_layer"):
        ll, trans = crf.crf_log_likelihood(inputs, tf.constant(y), tf.constant([5, 4, 2]))
    print(trans.name, trans.shape, [v.name for v in tf.global_variables()])
    loss = tf.reduce_mean(-ll)
    g_in, g_tr = tf.gradients(loss, [inputs, trans])
    with tf.Session() as sess:
        sess.run(tf.variables_initializer([inputs]))
        sess.run(trans.assign(_data(seed=3)[2]))
        show(sess.run([ll, loss]), decimals=5)
        show(sess.run([g_in, g_tr]), decimals=5)


def case_given_transitions(tf, show):
    crf = _crf(tf)
    x, y, trans = _data(batch=2, length=6, tags=3, seed=4)
    ll, t = crf.crf_log_likelihood(tf.constant(x), tf.constant(y), tf.constant([6, 3]),
                                   tf.constant(trans))  # fmt: skip
    with tf.Session() as sess:
        show(sess.run([ll, t]), decimals=5)
    print(tf.global_variables())


def case_decode_and_viterbi(tf, show):
    crf = _crf(tf)
    x, _, trans = _data(batch=4, length=7, tags=5, seed=5)
    lengths = np.array([7, 4, 1, 5], np.int32)
    tags, score = crf.crf_decode(tf.constant(x), tf.constant(trans), tf.constant(lengths))
    print(tags.dtype.name, tags.shape, score.shape)
    with tf.Session() as sess:
        t, s = sess.run([tags, score])
    show(t, s, decimals=5)
    for b in range(4):
        seq, vs = crf.viterbi_decode(x[b, : lengths[b]], trans)
        show([int(v) for v in seq], float(vs), decimals=5)
        print(type(seq).__name__, type(vs).__name__)


def case_cells(tf, show):
    crf = _crf(tf)
    _, _, trans = _data(tags=3, seed=6)
    rs = np.random.RandomState(7)
    inp = tf.constant(rs.normal(size=(2, 3)).astype(np.float32))
    st = tf.constant(rs.normal(size=(2, 3)).astype(np.float32))
    fwd = crf.CrfForwardRnnCell(tf.constant(trans))
    dec = crf.CrfDecodeForwardRnnCell(tf.constant(trans))
    bwd = crf.CrfDecodeBackwardRnnCell(3)
    print(fwd.state_size, fwd.output_size, dec.state_size, bwd.state_size, bwd.output_size)
    a = fwd(inp, st)
    b = dec(inp, st)
    c = bwd(tf.constant([[2, 0, 1], [1, 1, 0]]), tf.constant([[0], [2]]))
    with tf.Session() as sess:
        show(sess.run([a, b, c]), decimals=5)


def case_multitag(tf, show):
    crf = _crf(tf)
    x, y, trans = _data(seed=8)
    bitmap = np.random.RandomState(9).rand(3, 5, 4) > 0.5
    bitmap[np.arange(3)[:, None], np.arange(5)[None, :], y] = True
    s = crf.crf_multitag_sequence_score(tf.constant(x), tf.constant(bitmap),
                                        tf.constant([5, 2, 3]), tf.constant(trans))  # fmt: skip
    with tf.Session() as sess:
        show(sess.run(s), decimals=5)


def case_ner_training(tf, show):
    crf = _crf(tf)
    tf.set_random_seed(3)
    rs = np.random.RandomState(10)
    words = tf.placeholder(tf.float32, [None, None, 6], name="word_embeddings")
    labels = tf.placeholder(tf.int32, [None, None], name="labels")
    lengths = tf.placeholder(tf.int32, [None], name="sequence_lengths")
    with tf.variable_scope("proj"):
        w = tf.get_variable("W", [6, 4], initializer=tf.glorot_uniform_initializer())
        b = tf.get_variable("b", [4], initializer=tf.zeros_initializer())
        nsteps = tf.shape(words)[1]
        pred = tf.matmul(tf.reshape(words, [-1, 6]), w) + b
        logits = tf.reshape(pred, [-1, nsteps, 4])
    log_likelihood, trans_params = crf.crf_log_likelihood(logits, labels, lengths)
    loss = tf.reduce_mean(-log_likelihood)
    train = tf.train.AdamOptimizer(0.05).minimize(loss)
    viterbi, _ = crf.crf_decode(logits, trans_params, lengths)
    print([v.name for v in tf.trainable_variables()])
    feed = {words: rs.normal(size=(3, 6, 6)).astype(np.float32),
            labels: rs.randint(0, 4, size=(3, 6)), lengths: [6, 4, 5]}  # fmt: skip
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(trans_params.assign(np.zeros([4, 4], np.float32)))
        for _ in range(5):
            show(sess.run([train, loss], feed)[1], decimals=4)
        show(sess.run(viterbi, feed), sess.run(trans_params), decimals=4)
