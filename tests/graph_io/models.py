"""Models built the same way under TF (tools/record_graphio_golden.py) and scopeflow (tests)."""

from __future__ import annotations

from typing import Any


def simple_model(tf: Any) -> dict[str, Any]:
    """Placeholders, Const, conv2d, bias_add, relu, reshape, MatMul, softmax and variables."""
    x = tf.placeholder(tf.float32, [None, 6, 6, 2], name="x")
    w = tf.get_variable("conv/w", [3, 3, 2, 4], initializer=tf.constant_initializer(0.1))
    b = tf.Variable(tf.constant([0.1, -0.2, 0.3, -0.4]), name="conv/b")
    h = tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(x, w, [1, 2, 2, 1], "SAME"), b))
    h = tf.reshape(h, [-1, 3 * 3 * 4])
    k = tf.Variable(tf.reshape(tf.range(36 * 5, dtype=tf.float32) / 100.0, [36, 5]), name="fc/k")
    logits = tf.matmul(h, k) + tf.constant([1.0, 0.0, -1.0, 0.5, 0.25])
    y = tf.nn.softmax(logits, name="y")
    k2 = tf.get_variable("out/k", [5, 3], initializer=tf.glorot_uniform_initializer(seed=3))
    k3 = tf.get_variable("out/k3", [3, 2], initializer=tf.truncated_normal_initializer(seed=4))
    z = tf.matmul(tf.matmul(y, k2), k3, name="z")
    return {"x": x, "y": y, "logits": logits, "z": z}
