"""tf.contrib.losses / slim.losses (TF 1.15's deprecated contrib loss_ops, predictions first)."""

import numpy as np


def _d(*shape, seed=0, lo=-1.0, hi=1.0):
    return np.random.RandomState(seed).uniform(lo, hi, shape).astype(np.float32)


def case_contrib_losses_values_and_names(tf, show):
    losses = tf.contrib.losses
    labels, preds = tf.constant(_d(3, 4)), tf.constant(_d(3, 4, seed=1))
    logits = tf.constant(_d(3, 4, seed=2) * 3)
    onehot = tf.one_hot([0, 3, 1], 4)
    out = [
        losses.absolute_difference(preds, labels),
        losses.mean_squared_error(preds, labels, weights=[1.0, 0.0, 2.0]),
        losses.mean_squared_error(preds, labels, weights=[[1.0], [0.0], [2.0]]),
        losses.mean_squared_error(
            preds, labels, weights=tf.constant(_d(3, 4, seed=5, lo=0, hi=1) > 0.5, tf.float32)
        ),
        losses.log_loss(
            tf.constant(_d(3, 4, seed=3, lo=0.01, hi=0.99)),
            tf.constant(_d(3, 4, seed=4, lo=0, hi=1)),
        ),
        losses.cosine_distance(tf.nn.l2_normalize(preds, 1), tf.nn.l2_normalize(labels, 1), axis=1),
        losses.softmax_cross_entropy(logits, onehot, label_smoothing=0.1),
        losses.sparse_softmax_cross_entropy(logits, tf.constant([[0], [3], [1]]), weights=2.0),
        losses.sigmoid_cross_entropy(logits, tf.cast(labels > 0, tf.float32), weights=0.0),
        losses.hinge_loss(logits, tf.cast(labels > 0, tf.float32)),
    ]
    print([t.name for t in out])
    print([t.name for t in losses.get_losses()], losses.get_total_loss().name)
    print(tf.contrib.slim.losses.softmax_cross_entropy is losses.softmax_cross_entropy)
    with tf.Session() as sess:
        for value in sess.run(out):
            show(value, decimals=5)
