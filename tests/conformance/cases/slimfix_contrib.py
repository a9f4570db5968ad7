"""tf-slim's own tests' remaining contrib pieces as conformance cases, against TF 1.15's contrib
code (tf_slim): ``tf.contrib.losses.mean_pairwise_squared_error``, ``tf.contrib.layers.gdn``,
``scale_gradient``, dilated ``tf.nn.pool`` and ``tf.nn.with_space_to_batch``,
``adaptive_clipping_fn``, the summaries helpers and ``dense_to_sparse``.
"""

import numpy as np


def _data(*shape, seed=0, low=-1.0):
    return np.random.RandomState(seed).uniform(low, 1, shape).astype(np.float32)


def _run(tf, show, fetches, feed=None, decimals=5):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for value in sess.run(fetches, feed):
            show(value, decimals=decimals)


def case_mean_pairwise_squared_error(tf, show, expect_error):
    losses = tf.contrib.losses
    p = tf.constant(_data(3, 4, 2))
    y = tf.constant(_data(3, 4, 2, seed=1))
    a = losses.mean_pairwise_squared_error(p, y)
    b = losses.mean_pairwise_squared_error(p, y, weights=tf.constant([1.0, 0.0, 2.5]))
    c = losses.mean_pairwise_squared_error(p, y, weights=0.0, scope="zero")
    d = losses.mean_pairwise_squared_error(p[:, :, 0], y[:, :, 0], weights=tf.constant([[2.0]]))
    ph = tf.placeholder(tf.float32, [None, 4, 2])
    e = losses.mean_pairwise_squared_error(ph, y, weights=tf.placeholder_with_default(2.0, []))
    for t in (a, b, c, d, e):
        print(t.op.name, t.op.type, t.shape.as_list())
    print([t.op.name for t in tf.get_collection(tf.GraphKeys.LOSSES)])
    expect_error(lambda: losses.mean_pairwise_squared_error(p, tf.constant(_data(3, 4))))
    g = tf.gradients(b, [p])[0]
    _run(tf, show, [a, b, c, d, e, g], {ph: _data(3, 4, 2)})


def case_contrib_losses_names(tf):
    # TF 1.15's tf.contrib.losses (loss_ops.__all__; metric_learning is not provided)
    names = [
        "absolute_difference",
        "add_loss",
        "compute_weighted_loss",
        "cosine_distance",
        "get_losses",
        "get_regularization_losses",
        "get_total_loss",
        "hinge_loss",
        "log_loss",
        "mean_pairwise_squared_error",
        "mean_squared_error",
        "sigmoid_cross_entropy",
        "softmax_cross_entropy",
        "sparse_softmax_cross_entropy",
    ]
    print([n for n in names if not callable(getattr(tf.contrib.losses, n, None))])
