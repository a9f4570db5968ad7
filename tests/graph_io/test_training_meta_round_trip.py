"""scopeflow's own training graphs round-trip through ``.meta`` files.

``tf.gradients`` / ``optimizer.minimize`` add one ``SymbolicGradient`` op (torch autograd at run
time); its NodeDef carries ``_sf_*`` attrs naming which inputs are ``ys``, ``xs``, ``grad_ys``
and stopped tensors, so ``import_meta_graph`` re-creates it and training continues with the same
numbers as in the original graph. TF itself cannot run that node (see docs/graph_io.md).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import scopeflow.compat.v1 as tf

STEPS = 3


def _batches() -> list[dict[str, np.ndarray]]:
    rng = np.random.RandomState(5)
    return [
        {"x:0": rng.randn(4, 3).astype(np.float32), "y:0": rng.randn(4, 2).astype(np.float32)}
        for _ in range(STEPS)
    ]


def _minimize(optimizer: Callable[[], Any]) -> Callable[[], Any]:
    def build() -> Any:
        x = tf.placeholder(tf.float32, [None, 3], name="x")
        y = tf.placeholder(tf.float32, [None, 2], name="y")
        h = tf.layers.dense(x, 4, activation=tf.nn.tanh, name="hidden")
        out = tf.layers.dense(h, 2, name="out")
        loss = tf.identity(tf.reduce_mean(tf.square(out - y)), name="loss")
        step = tf.train.get_or_create_global_step()
        return optimizer().minimize(loss, global_step=step)

    return build


def _raw_gradients() -> Any:
    """``tf.gradients`` with ``grad_ys`` and ``stop_gradients``, applied by hand."""
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    y = tf.placeholder(tf.float32, [None, 2], name="y")
    w = tf.get_variable("w", [3, 2])
    b = tf.get_variable("b", [2], initializer=tf.constant_initializer(0.3))
    pred = tf.matmul(x, w) + b
    frozen = tf.identity(pred * 0.5, name="frozen")
    loss = tf.reduce_sum(tf.square(pred + frozen - y), name="loss")
    gw, gb = tf.gradients([loss], [w, b], grad_ys=[tf.constant(0.05)], stop_gradients=[frozen])
    return tf.group(tf.assign_sub(w, gw), tf.assign_sub(b, gb), name="train")


SETUPS = {
    "sgd": _minimize(lambda: tf.train.GradientDescentOptimizer(0.2)),
    "adam": _minimize(lambda: tf.train.AdamOptimizer(0.05)),
    "momentum": _minimize(lambda: tf.train.MomentumOptimizer(0.1, 0.9)),
    "raw_gradients": _raw_gradients,
}


def _run(sess: Any, train_op: Any, batches: list[dict[str, np.ndarray]]) -> list[float]:
    return [float(sess.run(["loss:0", train_op], b)[0]) for b in batches]


@pytest.mark.parametrize("name", sorted(SETUPS))
def test_import_meta_graph_keeps_training_as_the_original(name: str, tmp_path: Path) -> None:
    batches = _batches()
    with tf.Graph().as_default():
        tf.set_random_seed(1)
        train_op = SETUPS[name]()
        if train_op not in tf.get_collection("train_op"):  # minimize adds it, as TF's does
            tf.add_to_collection("train_op", train_op)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            ckpt = tf.train.Saver().save(sess, str(tmp_path / "model.ckpt"))
            want_losses = _run(sess, train_op, batches)
            want = {v.op.name: sess.run(v) for v in tf.global_variables()}
    with tf.Graph().as_default():
        saver = tf.train.import_meta_graph(ckpt + ".meta")
        (op,) = set(tf.get_collection("train_op"))
        assert op.name == train_op.name
        assert [o.type for o in tf.get_default_graph().get_operations()].count(
            "SymbolicGradient"
        ) == 1
        with tf.Session() as sess:
            saver.restore(sess, ckpt)
            got_losses = _run(sess, op, batches)
            got = {v.op.name: sess.run(v) for v in tf.global_variables()}
    np.testing.assert_array_equal(got_losses, want_losses)
    assert got.keys() == want.keys()
    for key, value in want.items():
        np.testing.assert_array_equal(got[key], value, err_msg=key)


def test_node_def_names_the_gradient_inputs() -> None:
    x = tf.placeholder(tf.float32, [2], name="x")
    s = tf.identity(x * 2.0, name="s")
    (g,) = tf.gradients(x * s, [x], grad_ys=[tf.ones([2])], stop_gradients=[s])
    node = g.op.node_def
    assert node.op == "SymbolicGradient"
    assert list(node.input) == ["mul_1", "x", "ones", "s"]
    assert (node.attr["_sf_num_ys"].i, node.attr["_sf_num_xs"].i) == (1, 1)
    assert node.attr["_sf_num_stops"].i == 1
    assert list(node.attr["_sf_grad_ys_mask"].list.b) == [True]


def test_tf_function_symbolic_gradient_is_rejected_by_name() -> None:
    from scopeflow.errors import UnsupportedError
    from scopeflow.protos import graph_pb2

    gd = graph_pb2.GraphDef()
    gd.node.add(name="x", op="Placeholder").attr["dtype"].type = 1
    gd.node.add(name="g", op="SymbolicGradient", input=["x"])
    with pytest.raises(UnsupportedError, match="SymbolicGradient node 'g'"):
        tf.import_graph_def(gd, name="")
