"""SavedModel test models, built the same way under TF (``tools/record_tf_saved_models.py``,
``tools/tf_verify_saved_model.py``) and scopeflow (the tests). Each takes the ``tf`` module,
builds into the default graph, and returns its named tensors; ``export(tf, sess, d, t)`` writes
the model's SavedModel as TF1 code would.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np


def mlp(tf: Any) -> dict[str, Any]:
    """Two dense layers (seeded glorot kernels, constant biases), relu, softmax."""
    x = tf.placeholder(tf.float32, [None, 4], name="x")
    w1 = tf.get_variable("mlp/w1", [4, 8], initializer=tf.glorot_uniform_initializer(seed=1))
    b1 = tf.get_variable("mlp/b1", [8], initializer=tf.constant_initializer(0.1))
    w2 = tf.get_variable("mlp/w2", [8, 3], initializer=tf.glorot_uniform_initializer(seed=2))
    b2 = tf.get_variable("mlp/b2", [3], initializer=tf.constant_initializer(-0.05))
    h = tf.nn.relu(tf.matmul(x, w1) + b1, name="mlp/h")
    logits = tf.add(tf.matmul(h, w2), b2, name="mlp/logits")
    probs = tf.nn.softmax(logits, name="mlp/probs")
    return {"x": x, "logits": logits, "probs": probs}


def export_mlp(tf: Any, sess: Any, export_dir: str, t: dict[str, Any]) -> None:
    tf.saved_model.simple_save(sess, export_dir, {"x": t["x"]},
                               {"logits": t["logits"], "probs": t["probs"]})  # fmt: skip


def convnet(tf: Any) -> dict[str, Any]:
    """conv 3x3 SAME + bias + relu, 2x2 max-pool, flatten, dense."""
    x = tf.placeholder(tf.float32, [None, 8, 8, 3], name="images")
    init = tf.truncated_normal_initializer(stddev=0.2, seed=3)
    k = tf.get_variable("conv/kernel", [3, 3, 3, 4], initializer=init)
    b = tf.get_variable("conv/bias", [4], initializer=tf.constant_initializer(0.05))
    h = tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(x, k, [1, 1, 1, 1], "SAME"), b), name="conv/relu")
    p = tf.nn.max_pool(h, [1, 2, 2, 1], [1, 2, 2, 1], "VALID", name="pool")
    flat = tf.reshape(p, [-1, 4 * 4 * 4], name="flat")
    w = tf.get_variable("fc/w", [64, 5], initializer=tf.glorot_uniform_initializer(seed=4))
    scores = tf.matmul(flat, w, name="fc/scores")
    classes = tf.argmax(scores, axis=1, name="classes")
    return {"x": x, "scores": scores, "classes": classes}


def export_convnet(tf: Any, sess: Any, export_dir: str, t: dict[str, Any]) -> None:
    """Builder with two signatures and a second meta graph (tag ``train``), saved as text."""
    sm = tf.saved_model
    info = sm.utils.build_tensor_info
    predict = sm.signature_def_utils.predict_signature_def(
        {"images": t["x"]}, {"scores": t["scores"], "classes": t["classes"]}
    )
    scores_only = sm.signature_def_utils.build_signature_def(
        {"images": info(t["x"])}, {"scores": info(t["scores"])},
        sm.signature_constants.PREDICT_METHOD_NAME,
    )  # fmt: skip
    b = sm.builder.SavedModelBuilder(export_dir)
    b.add_meta_graph_and_variables(
        sess, [sm.tag_constants.SERVING],
        signature_def_map={"serving_default": predict, "scores": scores_only},
    )  # fmt: skip
    b.add_meta_graph([sm.tag_constants.TRAINING])
    b.save(as_text=True)


ASSET_TEXT = "scopeflow vocabulary\n"


def asset_model(tf: Any, asset_dir: str) -> dict[str, Any]:
    """An asset file and a table-free main op that reads its (load-time) path into a variable
    and sets a local ``scale`` variable; ``y = x * scale``."""
    path = str(Path(asset_dir) / "vocab.txt")
    Path(path).write_text(ASSET_TEXT)
    asset = tf.constant(path, name="asset_path")
    tf.add_to_collection(tf.GraphKeys.ASSET_FILEPATHS, asset)
    seen = tf.Variable("", name="seen_asset_path", trainable=False)
    scale = tf.Variable(1.0, name="scale", trainable=False,
                        collections=[tf.GraphKeys.LOCAL_VARIABLES])  # fmt: skip
    x = tf.placeholder(tf.float32, [None], name="x")
    y = tf.multiply(x, scale, name="y")
    main_op = tf.group(tf.assign(seen, asset), tf.assign(scale, 2.5), name="main_op")
    return {"x": x, "y": y, "seen": seen, "main_op": main_op}


def export_asset_model(tf: Any, sess: Any, export_dir: str, t: dict[str, Any]) -> None:
    tf.saved_model.simple_save(sess, export_dir, {"x": t["x"]}, {"y": t["y"]},
                               legacy_init_op=t["main_op"])  # fmt: skip


INPUTS = {
    "mlp": {"x": np.random.default_rng(0).normal(size=(3, 4)).astype(np.float32)},
    "convnet": {"images": np.random.default_rng(1).normal(size=(2, 8, 8, 3)).astype(np.float32)},
    "asset": {"x": np.array([1.0, -2.0, 4.0], np.float32)},
}
