"""A DCGAN-shaped generator and discriminator written with ``tf.layers`` (our own model code,
after the published DCGAN architecture), shared by ``tools/record_layers_golden.py`` (run under
TensorFlow) and ``test_tf_checkpoint.py`` (run under scopeflow). Takes the ``tf`` module."""

from __future__ import annotations

from typing import Any

import numpy as np


def z_value(seed: int) -> np.ndarray:
    return np.random.RandomState(seed).uniform(-1, 1, [3, 6]).astype(np.float32)


def build(tf: Any) -> dict[str, Any]:
    z = tf.placeholder(tf.float32, [None, 6], name="z")
    training = tf.placeholder_with_default(True, [], name="training")
    with tf.variable_scope("generator"):
        h = tf.layers.dense(z, 2 * 2 * 8, name="g_h0_lin")
        h = tf.reshape(h, [-1, 2, 2, 8])
        h = tf.nn.relu(tf.layers.batch_normalization(h, training=training, name="g_bn0"))
        h = tf.layers.conv2d_transpose(h, 4, 5, strides=2, padding="same", name="g_h1")
        h = tf.nn.relu(tf.layers.batch_normalization(h, training=training, name="g_bn1"))
        h = tf.layers.conv2d_transpose(h, 1, 5, strides=2, padding="same", name="g_h2")
        fake = tf.nn.tanh(h)
    with tf.variable_scope("discriminator"):
        h = tf.nn.leaky_relu(tf.layers.conv2d(fake, 4, 5, strides=2, padding="same", name="d_h0"))
        h = tf.layers.conv2d(h, 8, 5, strides=2, padding="same", name="d_h1")
        h = tf.layers.batch_normalization(h, training=training, fused=False, name="d_bn1")
        h = tf.layers.dropout(tf.nn.leaky_relu(h), 0.3, training=False)
        d_fake = tf.layers.dense(tf.layers.flatten(h), 1, name="d_h2_lin")
    updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    return {"z": z, "training": training, "d_fake": d_fake, "updates": updates}
