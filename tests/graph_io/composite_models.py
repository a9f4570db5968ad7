"""A model using the ops scopeflow builds as fused composites that export as TF subgraphs.

Built by scopeflow in ``tests/graph_io/test_tf_subgraphs.py`` and in
``tools/tf_verify_graph_export.py`` (whose TF side imports the written GraphDef and compares).
"""

from __future__ import annotations

from typing import Any

import numpy as np

FEED = np.random.default_rng(5).normal(size=(3, 4)).astype(np.float32)


def composite_model(tf: Any) -> dict[str, Any]:
    """l2_normalize, moments, batch_normalization, crelu, sigmoid and weighted CE,
    embedding_lookup, per_image_standardization."""
    x = tf.placeholder(tf.float32, [None, 4], name="x")
    m, v = tf.nn.moments(x, axes=[0])
    mk, vk = tf.nn.moments(x, axes=[1], keep_dims=True, name="mk")
    labels = tf.constant(np.linspace(0, 1, 8, dtype=np.float32).reshape(2, 4), name="labels")
    table = np.arange(30, dtype=np.float32).reshape(10, 3) / 7.0
    emb = tf.get_variable("emb", [10, 3], initializer=tf.constant_initializer(table))
    scale = tf.constant([1.0, 2.0, 3.0, 4.0], name="scale")
    return {
        "x": x,
        "l2": tf.nn.l2_normalize(x, axis=1),
        "l2all": tf.nn.l2_normalize(x, name="l2all"),
        "mean": m,
        "var": v,
        "mean_keep": mk,
        "var_keep": vk,
        "bn": tf.nn.batch_normalization(x, m, v, tf.constant(0.5), scale, 1e-3),
        "bn_plain": tf.nn.batch_normalization(x, m, v, None, None, 1e-3),
        "crelu": tf.nn.crelu(x),
        "sce": tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=x[:2]),
        "emb": tf.nn.embedding_lookup(emb, tf.constant([1, 5, 9])),
        "emb_ready": tf.is_variable_initialized(emb),
        "uninitialized": tf.report_uninitialized_variables(),
        "wce": tf.nn.weighted_cross_entropy_with_logits(labels, x[:2], 2.5),
        "wce_t": tf.nn.weighted_cross_entropy_with_logits(labels, x[:2], tf.constant(0.5)),
        "std": tf.image.per_image_standardization(tf.reshape(x, [1, 3, 2, 2])),
        "std_u": tf.image.per_image_standardization(tf.reshape(x, [-1, 1, 2, 2])),
        "softmax_xent": tf.nn.softmax_cross_entropy_with_logits_v2(
            labels=tf.nn.softmax(x), logits=x
        ),
        "softmax_xent_v1": tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=x[:2]),
        "softmax_xent_3d": tf.nn.softmax_cross_entropy_with_logits_v2(
            labels=tf.reshape(labels, [2, 2, 2]), logits=tf.reshape(x[:2], [2, 2, 2])
        ),
    }


def renamed_model(tf: Any) -> dict[str, Any]:
    """Ops written as TF's subgraph under scopeflow's names (TF's own names differ)."""
    w = tf.get_variable("w_iv", initializer=tf.constant([1.0, 2.0]))
    return {
        "init_value": tf.multiply(w.initialized_value(), 3.0, name="init_value"),
        "mt": tf.linalg.matrix_transpose(tf.reshape(w, [1, 2, 1])),
    }
