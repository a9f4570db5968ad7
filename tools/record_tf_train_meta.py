"""Record TF1 *training* graphs as ``model.ckpt.meta`` + checkpoint and K training steps.

Run with the TensorFlow oracle virtualenv (TensorFlow is never a scopeflow dependency)::

    TF_USE_LEGACY_KERAS=1 .tf-oracle/bin/python tools/record_tf_train_meta.py [name ...]

Each setup is built with TF 2.21's ``tf.compat.v1`` in graph mode (``disable_v2_behavior``,
reference variables, control flow v1), initialized, saved with ``tf.train.Saver`` after 0 steps
to ``tests/graph_import/golden/train_meta/<name>/model.ckpt{.meta,.index,.data-*}`` (the
``.meta`` rewritten with a deterministic field order), then trained K steps with fixed fed
batches. ``expected.npz`` holds the batches (``feed<k>:<tensor>``), the loss of each step
(``loss``, computed in the same ``run`` as the train op) and the values of every global variable
after the K steps (``var:<name>``), and for a graph with a ``training`` flag the loss of the first
batch after training with the flag fed False (``eval_loss``: moving averages, no dropout);
``case.json`` names the loss and the train op.
``grad_ops.pb``/``grad_ops.npz`` hold a frozen graph of more TF gradient ops (``EluGrad``,
``AvgPoolGrad``, inference-mode and NCHW ``FusedBatchNormGradV3``...) with its feeds and outputs.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "tests" / "graph_import" / "golden" / "train_meta"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow.compat.v1 as tf  # noqa: E402

STEPS = 3


def _mlp(optimizer: Any) -> Callable[[np.random.RandomState], tuple[Any, list[dict[Any, Any]]]]:
    def build(rng: np.random.RandomState) -> tuple[Any, list[dict[Any, Any]]]:
        x = tf.placeholder(tf.float32, [None, 3], name="x")
        y = tf.placeholder(tf.float32, [None, 4], name="y")
        h = tf.layers.dense(x, 5, activation=tf.nn.relu, name="hidden")
        h = tf.layers.dense(h, 5, activation=tf.nn.tanh, name="hidden2")
        logits = tf.layers.dense(h, 4, name="logits")
        xent = tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=logits)
        w_reg = 1e-3 * tf.add_n([tf.nn.l2_loss(v) for v in tf.trainable_variables()])
        loss = tf.add(tf.reduce_mean(xent), w_reg, name="loss")
        train_op = optimizer().minimize(loss, global_step=tf.train.get_or_create_global_step())
        tf.add_to_collection("train_op", train_op)
        feeds = []
        for _ in range(STEPS):
            labels = np.eye(4, dtype=np.float32)[rng.randint(0, 4, size=6)]
            feeds.append({x: rng.randn(6, 3).astype(np.float32), y: labels})
        return loss, feeds

    return build


def _conv_adam(rng: np.random.RandomState) -> tuple[Any, list[dict[Any, Any]]]:
    x = tf.placeholder(tf.float32, [None, 6, 6, 2], name="images")
    labels = tf.placeholder(tf.int64, [None], name="labels")
    keep = tf.placeholder_with_default(1.0, [], name="keep_prob")
    # No bias before batch norm: its gradient is rounding noise, which Adam would amplify.
    net = tf.layers.conv2d(x, 3, 3, padding="same", use_bias=False, name="conv1")
    net = tf.layers.batch_normalization(net, training=True, name="bn1")
    net = tf.nn.relu(net)
    net = tf.nn.max_pool(net, [1, 2, 2, 1], [1, 2, 2, 1], "VALID")
    net = tf.layers.conv2d(net, 4, 2, padding="valid", activation=tf.nn.sigmoid, name="conv2")
    net = tf.nn.dropout(net, keep_prob=keep)
    net = tf.reshape(net, [-1, 2 * 2 * 4])
    logits = tf.layers.dense(net, 3, name="logits")
    loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
    loss = tf.identity(loss, name="loss")
    update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    with tf.control_dependencies(update_ops):
        train_op = tf.train.AdamOptimizer(0.01).minimize(
            loss, global_step=tf.train.get_or_create_global_step()
        )
    tf.add_to_collection("train_op", train_op)
    feeds = [
        {x: rng.randn(4, 6, 6, 2).astype(np.float32), labels: rng.randint(0, 3, size=4)}
        for _ in range(STEPS)
    ]
    return loss, feeds


def _conv_cond(rng: np.random.RandomState) -> tuple[Any, list[dict[Any, Any]]]:
    """Batch norm and dropout switched by a fed ``training`` flag (``tf.cond`` and its gradient)."""
    x = tf.placeholder(tf.float32, [None, 5, 5, 2], name="images")
    y = tf.placeholder(tf.float32, [None, 2], name="y")
    training = tf.placeholder_with_default(True, [], name="training")
    net = tf.layers.conv2d(x, 3, 3, use_bias=False, name="conv")
    net = tf.layers.batch_normalization(net, training=training, fused=False, name="bn")
    net = tf.nn.relu(net)
    net = tf.layers.dropout(net, rate=0.0, training=training)
    net = tf.layers.average_pooling2d(net, 3, 1)
    logits = tf.layers.dense(tf.layers.flatten(net), 2, name="logits")
    loss = tf.identity(tf.losses.softmax_cross_entropy(y, logits), name="loss")
    with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
        train_op = tf.train.MomentumOptimizer(0.1, 0.9).minimize(
            loss, global_step=tf.train.get_or_create_global_step()
        )
    tf.add_to_collection("train_op", train_op)
    feeds = [
        {x: rng.randn(3, 5, 5, 2).astype(np.float32),
         y: np.eye(2, dtype=np.float32)[rng.randint(0, 2, size=3)]}
        for _ in range(STEPS)
    ]  # fmt: skip
    return loss, feeds


def _lstm(optimizer: Any) -> Callable[[np.random.RandomState], tuple[Any, list[dict[Any, Any]]]]:
    def build(rng: np.random.RandomState) -> tuple[Any, list[dict[Any, Any]]]:
        ids = tf.placeholder(tf.int32, [None, 5], name="ids")
        target = tf.placeholder(tf.int32, [None], name="target")
        emb = tf.get_variable("embedding", [7, 3])
        inputs = tf.nn.embedding_lookup(emb, ids)
        cell = tf.nn.rnn_cell.LSTMCell(4, name="lstm")
        _, state = tf.nn.dynamic_rnn(cell, inputs, dtype=tf.float32)
        logits = tf.layers.dense(state.h, 7, name="out")
        loss = tf.reduce_mean(
            tf.nn.sparse_softmax_cross_entropy_with_logits(labels=target, logits=logits)
        )
        loss = tf.identity(loss, name="loss")
        params = tf.trainable_variables()
        grads, _ = tf.clip_by_global_norm(tf.gradients(loss, params), 1.0)
        step = tf.train.get_or_create_global_step()
        train_op = optimizer().apply_gradients(zip(grads, params, strict=True), global_step=step)
        tf.add_to_collection("train_op", train_op)
        feeds = [
            {ids: rng.randint(0, 7, size=(3, 5)), target: rng.randint(0, 7, size=3)}
            for _ in range(STEPS)
        ]
        return loss, feeds

    return build


def _grad_ops() -> None:
    """TF's gradient ops the training setups lack, frozen: ``grad_ops.pb`` + ``grad_ops.npz``."""
    g = tf.Graph()
    rng = np.random.RandomState(11)
    with g.as_default():
        x = tf.placeholder(tf.float32, [2, 4, 4, 3], name="x")
        pos = tf.placeholder(tf.float32, [2, 4, 4, 3], name="pos")
        scale = tf.constant([0.5, 1.5, -1.0])
        offset = tf.constant([0.1, 0.0, -0.2])
        mean = tf.constant([0.2, -0.1, 0.3])
        var = tf.constant([1.5, 0.5, 2.0])
        parts = {
            "elu": tf.nn.elu(x),
            "softplus": tf.nn.softplus(x),
            "relu6": tf.nn.relu6(3 * x),
            "leaky_relu": tf.nn.leaky_relu(x, alpha=0.3),
            "rsqrt": tf.math.rsqrt(pos),
            "sqrt": tf.sqrt(pos),
            "reciprocal": tf.math.reciprocal(pos),
            "avg_pool": tf.nn.avg_pool(x, [1, 3, 3, 1], [1, 2, 2, 1], "SAME"),
            "bn_inference": tf.nn.fused_batch_norm(x, scale, offset, mean, var, is_training=False)[
                0
            ],
            "bn_nchw": tf.nn.fused_batch_norm(
                tf.transpose(x, [0, 3, 1, 2]), scale, offset, data_format="NCHW"
            )[0],
        }
        fetches = []
        weights = tf.constant(rng.randn(2, 4, 4, 3).astype(np.float32))
        for key, y in parts.items():
            w = weights if y.shape.as_list() == [2, 4, 4, 3] else tf.ones_like(y) * 0.7
            dx, dp = tf.gradients(tf.reduce_sum(y * w), [x, pos])
            fetches.append(tf.identity(dx if dx is not None else dp, name=f"grad_{key}"))
        feeds = {
            x: rng.randn(2, 4, 4, 3).astype(np.float32),
            pos: rng.uniform(0.5, 2.0, (2, 4, 4, 3)).astype(np.float32),
        }
        with tf.Session(graph=g) as sess:
            values = sess.run(fetches, feeds)
        gd = tf.graph_util.extract_sub_graph(g.as_graph_def(), [t.op.name for t in fetches])
    (OUT / "grad_ops.pb").write_bytes(gd.SerializeToString(deterministic=True))
    arrays = {f"in:{t.name}": v for t, v in feeds.items()}
    arrays.update({f"out:{t.name}": v for t, v in zip(fetches, values, strict=True)})
    np.savez(OUT / "grad_ops.npz", **arrays)
    print("grad_ops:", sorted({n.op for n in gd.node}))


def _embed(optimizer: Any) -> Callable[[np.random.RandomState], tuple[Any, list[dict[Any, Any]]]]:
    """Embedding rows updated sparsely; a sum over a fed axis (``DynamicStitch`` gradient)."""

    def build(rng: np.random.RandomState) -> tuple[Any, list[dict[Any, Any]]]:
        ids = tf.placeholder(tf.int32, [None, 4], name="ids")
        target = tf.placeholder(tf.float32, [None, 2], name="target")
        axis = tf.placeholder_with_default(1, [], name="axis")
        emb = tf.get_variable("embedding", [9, 3])
        pooled = tf.reshape(tf.reduce_sum(tf.nn.embedding_lookup(emb, ids), axis=axis), [-1, 3])
        pred = tf.layers.dense(pooled, 2, name="out")
        loss = tf.reduce_mean(tf.squared_difference(pred, target), name="loss")
        train_op = optimizer().minimize(loss, global_step=tf.train.get_or_create_global_step())
        tf.add_to_collection("train_op", train_op)
        feeds = [
            {ids: rng.randint(0, 9, size=(3, 4)), target: rng.randn(3, 2).astype(np.float32)}
            for _ in range(STEPS)
        ]
        return loss, feeds

    return build


SETUPS: dict[str, Callable[[np.random.RandomState], tuple[Any, list[dict[Any, Any]]]]] = {
    "mlp_sgd": _mlp(lambda: tf.train.GradientDescentOptimizer(0.5)),
    "mlp_rmsprop": _mlp(lambda: tf.train.RMSPropOptimizer(0.05, momentum=0.5)),
    "mlp_adagrad": _mlp(lambda: tf.train.AdagradOptimizer(0.3)),
    "mlp_momentum": _mlp(lambda: tf.train.MomentumOptimizer(0.1, 0.9, use_nesterov=True)),
    "mlp_adadelta": _mlp(lambda: tf.train.AdadeltaOptimizer(1.0)),
    "mlp_ftrl": _mlp(lambda: tf.train.FtrlOptimizer(0.3, l1_regularization_strength=0.01)),
    "mlp_centered_rmsprop": _mlp(lambda: tf.train.RMSPropOptimizer(0.05, centered=True)),
    "conv_adam": _conv_adam,
    "conv_cond_momentum": _conv_cond,
    "embed_sgd": _embed(lambda: tf.train.GradientDescentOptimizer(0.3)),
    "embed_adam": _embed(lambda: tf.train.AdamOptimizer(0.05)),
    "embed_adagrad": _embed(lambda: tf.train.AdagradOptimizer(0.3)),
    "lstm_momentum": _lstm(lambda: tf.train.MomentumOptimizer(0.5, 0.9)),
    "lstm_rmsprop": _lstm(lambda: tf.train.RMSPropOptimizer(0.05)),
}


def _record(name: str, build: Callable[[np.random.RandomState], Any]) -> None:
    out = OUT / name
    out.mkdir(parents=True, exist_ok=True)
    for old in out.iterdir():
        old.unlink()
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(7)
        loss, feeds = build(np.random.RandomState(len(name)))
        train_op = tf.get_collection("train_op")[0]
        # As MonitoredTrainingSession / Estimator do, the Saver is in the ``savers`` collection;
        # a second one saves the trainable variables only (``save_1/``).
        saver = tf.train.Saver()
        tf.add_to_collection(tf.GraphKeys.SAVERS, saver)
        tf.add_to_collection(tf.GraphKeys.SAVERS, tf.train.Saver(tf.trainable_variables()))
        with tf.Session(graph=g) as sess:
            sess.run(tf.global_variables_initializer())
            saver.save(sess, str(out / "model.ckpt"), write_state=False)
            losses = [sess.run([loss, train_op], f)[0] for f in feeds]
            evals = {}
            if any(op.name == "training" for op in g.get_operations()):
                flag = g.get_tensor_by_name("training:0")
                evals["eval_loss"] = sess.run(loss, {**feeds[0], flag: False})
            variables = {f"var:{v.op.name}": sess.run(v) for v in tf.global_variables()}
    meta = tf.MetaGraphDef()
    meta.ParseFromString((out / "model.ckpt.meta").read_bytes())
    (out / "model.ckpt.meta").write_bytes(meta.SerializeToString(deterministic=True))
    arrays: dict[str, Any] = {"loss": np.array(losses, np.float32), **variables, **evals}
    for k, f in enumerate(feeds):
        arrays.update({f"feed{k}:{t.name}": v for t, v in f.items()})
    np.savez(out / "expected.npz", **arrays)
    case = {"loss": loss.name, "train_op": train_op.name, "steps": STEPS}
    (out / "case.json").write_text(json.dumps(case, indent=1, sort_keys=True) + "\n")
    ops = sorted({n.op for n in meta.graph_def.node})
    print(f"{name}: {len(meta.graph_def.node)} nodes, losses {losses}, op types {ops}")


def main() -> None:
    tf.disable_eager_execution()
    tf.disable_resource_variables()
    tf.disable_v2_behavior()
    tf.disable_control_flow_v2()
    for name, build in SETUPS.items():
        if len(sys.argv) < 2 or name in sys.argv[1:]:
            _record(name, build)
    if len(sys.argv) < 2 or "grad_ops" in sys.argv[1:]:
        _grad_ops()


if __name__ == "__main__":
    main()
