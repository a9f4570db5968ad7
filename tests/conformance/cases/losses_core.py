"""tf.losses (TF 1.15's tf.compat.v1.losses): values, reductions, weights, op names, the LOSSES
collection, get_total_loss, label smoothing and gradients."""

import numpy as np


def _d(*shape, seed=0, lo=-1.0, hi=1.0):
    return np.random.RandomState(seed).uniform(lo, hi, shape).astype(np.float32)


def _show_all(tf, show, tensors, decimals=5):
    with tf.Session() as sess:
        for value in sess.run(tensors):
            show(value, decimals=decimals)


def case_regression_losses_and_names(tf, show):
    labels, preds = tf.constant(_d(3, 4)), tf.constant(_d(3, 4, seed=1))
    out = [
        tf.losses.absolute_difference(labels, preds),
        tf.losses.mean_squared_error(labels, preds, weights=2.0),
        tf.losses.huber_loss(labels, preds, delta=0.3),
        tf.losses.hinge_loss(tf.constant(_d(3, 4, seed=2, lo=0, hi=1) > 0.5), preds),
        tf.losses.log_loss(
            tf.constant(_d(3, 4, seed=3, lo=0, hi=1)),
            tf.constant(_d(3, 4, seed=4, lo=0.01, hi=0.99)),
        ),
        tf.losses.cosine_distance(
            tf.nn.l2_normalize(labels, 1), tf.nn.l2_normalize(preds, 1), axis=1
        ),
    ]
    print([t.name for t in out])
    print([t.name for t in tf.losses.get_losses()])
    _show_all(tf, show, out)


def case_reductions_and_weights(tf, show):
    labels, preds = tf.constant(_d(3, 2)), tf.constant(_d(3, 2, seed=1))
    w = tf.constant([[1.0], [0.0], [2.0]])
    R = tf.losses.Reduction
    out = [
        tf.losses.absolute_difference(labels, preds, weights=w, reduction=r)
        for r in (R.NONE, R.SUM, R.MEAN, R.SUM_OVER_BATCH_SIZE, R.SUM_BY_NONZERO_WEIGHTS)
    ]
    out.append(tf.losses.mean_squared_error(labels, preds, weights=0.0))
    out.append(tf.losses.mean_squared_error(labels, preds, weights=tf.zeros([3, 2])))
    print([t.name for t in out], sorted(R.all()))
    _show_all(tf, show, out)


def case_cross_entropies(tf, show):
    logits = tf.constant(_d(4, 3, seed=5) * 3)
    onehot = tf.one_hot([0, 2, 1, 2], 3)
    out = [
        tf.losses.softmax_cross_entropy(onehot, logits),
        tf.losses.softmax_cross_entropy(
            onehot, logits, weights=[1.0, 2.0, 0.0, 1.0], label_smoothing=0.2
        ),
        tf.losses.sparse_softmax_cross_entropy([0, 2, 1, 2], logits),
        tf.losses.sparse_softmax_cross_entropy(
            [[0], [2], [1], [2]], logits, weights=[[1.0], [0.5], [0.0], [1.0]]
        ),
        tf.losses.sigmoid_cross_entropy(tf.constant(_d(4, 3, seed=6, lo=0, hi=1) > 0.5), logits),
        tf.losses.sigmoid_cross_entropy(
            tf.constant(_d(4, 3, seed=6, lo=0, hi=1) > 0.5),
            logits,
            label_smoothing=0.1,
            scope="smooth",
        ),
    ]
    print([t.name for t in out])
    grads = tf.gradients(tf.add_n(out), logits)
    _show_all(tf, show, [*out, *grads])


def case_collections_total_loss(tf, show, expect_error):
    x = tf.constant(_d(2, 3))
    with tf.variable_scope("m"):
        tf.get_variable(
            "w",
            [3],
            initializer=tf.ones_initializer(),
            regularizer=lambda v: tf.reduce_sum(v) * 0.1,
        )
    a = tf.losses.mean_squared_error(x, tf.zeros_like(x), loss_collection=None)
    b = tf.losses.absolute_difference(x, tf.zeros_like(x), scope="m/abs")
    tf.losses.add_loss(tf.constant(3.0))
    print(
        a.name,
        b.name,
        [t.name for t in tf.losses.get_losses()],
        [t.name for t in tf.losses.get_losses("m")],
    )
    total = tf.losses.get_total_loss()
    total_m = tf.losses.get_total_loss(scope="m", name="tm")
    no_reg = tf.losses.get_total_loss(add_regularization_losses=False, name="nr")
    print(total.name, total_m.name, no_reg.name, tf.losses.get_regularization_loss().name)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(sess.run([total, total_m, no_reg]))
    expect_error(lambda: tf.losses.absolute_difference(None, x))
    expect_error(lambda: tf.losses.cosine_distance(x, x))
    expect_error(lambda: tf.losses.compute_weighted_loss(x, reduction="bogus"))


def case_compute_weighted_loss(tf, show):
    losses = tf.constant(_d(2, 3, lo=0, hi=2))
    out = [
        tf.losses.compute_weighted_loss(losses),
        tf.losses.compute_weighted_loss(losses, weights=[[1.0, 0.0, 2.0]]),
        tf.losses.compute_weighted_loss(
            losses, weights=[[0.5], [0.0]], reduction=tf.losses.Reduction.MEAN
        ),
        tf.losses.compute_weighted_loss(tf.constant([1.0, 2.0], tf.float64), scope="f64"),
    ]
    print(out)
    _show_all(tf, show, out)


def case_mean_pairwise_squared_error(tf, show):
    labels = tf.constant(_d(3, 4))
    preds = tf.placeholder(tf.float32, [None, 4])
    a = tf.losses.mean_pairwise_squared_error(labels, preds)
    b = tf.losses.mean_pairwise_squared_error(
        tf.constant(_d(2, 2, 3)), tf.constant(_d(2, 2, 3, seed=2)), weights=[[[1.0]], [[0.0]]]
    )
    print(a, b, [t.name for t in tf.losses.get_losses()])
    grads = tf.gradients(a, preds)
    with tf.Session() as sess:
        show(sess.run([a, b, *grads], {preds: _d(3, 4, seed=1)}), decimals=5)
