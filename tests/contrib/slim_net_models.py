"""Small slim nets shared by the TF recorder (``tools/record_slim_nets_checkpoints.py``) and the
scopeflow test (``test_slim_nets_checkpoint.py``): the same code builds the graph under both.

Must not import tensorflow or scopeflow: the caller passes the ``tf`` module in.
"""

from __future__ import annotations

from typing import Any

import numpy as np

MODELS = ("tiny_resnet_v1", "tiny_resnet_v2", "tiny_inception_v3", "tiny_inception_v1")


def _input(shape: list[int]) -> np.ndarray:
    return np.random.RandomState(1).uniform(-1, 1, shape).astype(np.float32)


def build(tf: Any, name: str) -> dict[str, Any]:
    """Build ``name``; returns the tensors and feeds ``run`` needs."""
    slim = tf.contrib.slim
    nets = slim.nets
    training = tf.placeholder_with_default(False, [], name="training")
    if name.startswith("tiny_resnet"):
        version = nets.resnet_v1 if name.endswith("v1") else nets.resnet_v2
        block = version.resnet_v1_block if name.endswith("v1") else version.resnet_v2_block
        build_fn = version.resnet_v1 if name.endswith("v1") else version.resnet_v2
        blocks = [block("block1", base_depth=2, num_units=2, stride=2),
                  block("block2", base_depth=4, num_units=2, stride=1)]  # fmt: skip
        x = tf.placeholder(tf.float32, [None, 24, 24, 3])
        feed = _input([2, 24, 24, 3])
        with slim.arg_scope(nets.resnet_utils.resnet_arg_scope()):
            logits, end_points = build_fn(x, blocks, num_classes=5, is_training=training,
                                          scope=name)  # fmt: skip
        keys = [f"{name}/block1", f"{name}/block2", "predictions"]
    elif name == "tiny_inception_v3":
        x = tf.placeholder(tf.float32, [None, 120, 120, 3])
        feed = _input([2, 120, 120, 3])
        with slim.arg_scope(nets.inception.inception_v3_arg_scope()):
            logits, end_points = nets.inception.inception_v3(
                x, num_classes=4, is_training=training, depth_multiplier=0.02, min_depth=2,
                dropout_keep_prob=1.0)  # fmt: skip
        keys = ["Mixed_5b", "Mixed_6a", "Mixed_7c", "AuxLogits", "Predictions"]
    else:
        x = tf.placeholder(tf.float32, [None, 32, 32, 3])
        feed = _input([2, 32, 32, 3])
        with (
            slim.arg_scope(nets.inception.inception_v1_arg_scope()),
            slim.arg_scope([slim.batch_norm], is_training=training),
        ):
            net, end_points = nets.inception.inception_v1_base(x, final_endpoint="Conv2d_2b_1x1")
        logits = slim.fully_connected(slim.flatten(net), 3, scope="head")
        keys = ["Conv2d_1a_7x7", "MaxPool_2a_3x3"]
    updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    moving = [v for v in tf.global_variables() if "moving_" in v.op.name]
    return {"x": x, "feed": feed, "training": training, "logits": logits,
            "end_points": [end_points[k] for k in keys], "keys": keys, "updates": updates,
            "moving": moving}  # fmt: skip


def run(sess: Any, g: dict[str, Any]) -> dict[str, np.ndarray]:
    """Inference outputs, training-mode outputs and the moving statistics after one update."""
    out: dict[str, np.ndarray] = {"input": g["feed"]}
    feed = {g["x"]: g["feed"]}
    values = sess.run([g["logits"], *g["end_points"]], feed)
    out["logits"] = values[0]
    for key, value in zip(g["keys"], values[1:], strict=True):
        out["ep:" + key] = value
    train_feed = {**feed, g["training"]: True}
    out["train_logits"] = sess.run(g["logits"], train_feed)
    sess.run(g["updates"], train_feed)
    for i, value in enumerate(sess.run(g["moving"])):
        out[f"moving:{i}"] = value
    return out
