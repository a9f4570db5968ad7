"""Fixes found running the "big" group of users' codebases (tests/acceptance/user_code_big.py):
each case is the smallest program showing what the real code needed.
"""

import numpy as np


def case_slim_initializers_and_regularizers_modules(tf, show):
    # facenet's inception_resnet_v1: slim.initializers.xavier_initializer() (TF 1.15's slim
    # star-imports contrib.layers' package, whose submodules thereby become slim attributes).
    slim = tf.contrib.slim
    tf.set_random_seed(3)
    x = tf.constant(np.ones([2, 4], np.float32))
    with slim.arg_scope(
        [slim.fully_connected],
        weights_initializer=slim.initializers.xavier_initializer(),
        weights_regularizer=slim.regularizers.l2_regularizer(0.5),
    ):
        y = slim.fully_connected(x, 3, scope="fc")
    print(y.name, y.shape)
    print([v.op.name for v in tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        show(sess.run(tf.trainable_variables()[0]), decimals=5)
        show(sess.run(tf.losses.get_regularization_loss()), decimals=5)
    print(
        slim.initializers.variance_scaling_initializer
        is tf.contrib.layers.variance_scaling_initializer
    )
