"""Record TF's side of the graph_io tests (GraphDef import/export) with real TensorFlow.

Run with the TensorFlow oracle virtualenv (TensorFlow is never a scopeflow dependency)::

    TF_USE_LEGACY_KERAS=1 /path/to/tfenv/bin/python tools/record_graphio_golden.py

Writes:

- ``src/scopeflow/graph_io/tf_op_attrs.json``: for every op type scopeflow has a kernel for and
  TF defines, the names of the attributes TF's ``OpDef`` declares (the exporter drops
  scopeflow's bookkeeping attributes that TF would reject), and the op types scopeflow has that
  TF lacks (``private``: graphs using them cannot be loaded by TF).
- ``tests/graph_io/golden/frozen_convnet.pb`` + ``frozen_convnet.npz``: a small conv net (conv,
  bias, relu, max-pool, batch norm, dense, softmax) built with ``tf.compat.v1`` in graph mode
  with control flow v1, frozen with ``convert_variables_to_constants``; the npz holds the input
  and TF's outputs.
- ``tests/graph_io/golden/tf_meta/``: that model saved by TF's ``Saver`` (``model-5.meta`` and
  the checkpoint) with its outputs (``expected.npz``).
- ``tests/graph_io/golden/tf_model_graph.pbtxt``: TF's ``as_graph_def(add_shapes=True)`` of the
  model in ``tests/graph_io/models.py``, which scopeflow's export is compared against.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GOLDEN = REPO / "tests" / "graph_io" / "golden"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow.compat.v1 as tf  # noqa: E402
from tensorflow.python.framework import op_def_registry  # noqa: E402

sys.path.insert(0, str(REPO / "tests" / "graph_io"))
import models  # noqa: E402


def _op_attrs() -> None:
    """TF's attr names for scopeflow's op types (scopeflow's list comes from its own venv)."""
    sf_python = os.environ.get(
        "SCOPEFLOW_PYTHON", str(REPO.parent.parent / "main/.venv/bin/python")
    )
    code = (
        "import json, scopeflow.compat.v1\n"
        "from scopeflow.graph.op_registry import registered_op_types\n"
        "print(json.dumps(registered_op_types()))"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    out = subprocess.run(
        [sf_python, "-c", code], check=True, capture_output=True, text=True, env=env
    ).stdout
    table: dict[str, list[str]] = {}
    private: list[str] = []
    for op_type in json.loads(out):
        op_def = op_def_registry.get(op_type)
        if op_def is None:
            private.append(op_type)
        else:
            table[op_type] = sorted(a.name for a in op_def.attr)
    path = REPO / "src" / "scopeflow" / "graph_io" / "tf_op_attrs.json"
    data = {"attrs": table, "private": private}
    path.write_text(json.dumps(data, sort_keys=True, separators=(",", ":")) + "\n")
    print(f"wrote {path} ({len(table)} op types, {len(private)} private)")


def _frozen_convnet() -> None:
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(7)
        x = tf.placeholder(tf.float32, [None, 8, 8, 3], name="input")
        h = tf.layers.conv2d(x, 4, 3, padding="same", activation=tf.nn.relu, name="conv1")
        h = tf.layers.batch_normalization(h, training=False, name="bn1")
        h = tf.layers.max_pooling2d(h, 2, 2, name="pool1")
        h = tf.nn.depthwise_conv2d(
            h, tf.get_variable("dw", [3, 3, 4, 1]), [1, 1, 1, 1], "VALID", name="dw_conv"
        )
        h = tf.nn.relu6(h)
        h = tf.reshape(h, [-1, 2 * 2 * 4], name="flatten")
        logits = tf.layers.dense(h, 5, name="fc")
        probs = tf.nn.softmax(logits, name="probs")
        top = tf.argmax(probs, axis=1, name="top")
        moving = [v for v in tf.global_variables() if "moving" in v.name]
        with tf.Session(graph=g) as sess:
            sess.run(tf.global_variables_initializer())
            rng = np.random.default_rng(5)
            for v in moving:  # non-trivial statistics so the batch norm does something
                shape = v.shape.as_list()
                val = (
                    rng.uniform(0.5, 1.5, shape) if "variance" in v.name else rng.normal(size=shape)
                )
                v.load(val.astype(np.float32), sess)
            frozen = tf.graph_util.convert_variables_to_constants(
                sess, g.as_graph_def(), ["probs", "top"]
            )
            feed = rng.normal(size=(2, 8, 8, 3)).astype(np.float32)
            p, t, lg = sess.run([probs, top, logits], {x: feed})
    (GOLDEN / "frozen_convnet.pb").write_bytes(frozen.SerializeToString())
    np.savez(GOLDEN / "frozen_convnet.npz", input=feed, probs=p, top=t, logits=lg)
    ops = sorted({n.op for n in frozen.node})
    print(f"wrote frozen_convnet.pb ({len(frozen.node)} nodes: {', '.join(ops)})")


def _model_graph() -> None:
    g = tf.Graph()
    with g.as_default():
        models.simple_model(tf)
    text = str(g.as_graph_def(add_shapes=True))
    (GOLDEN / "tf_model_graph.pbtxt").write_text(text)
    print("wrote tf_model_graph.pbtxt")


def _meta_checkpoint() -> None:
    """``models.simple_model`` saved by TF's Saver (``.meta`` + V2 checkpoint) and its outputs."""
    out = GOLDEN / "tf_meta"
    out.mkdir(exist_ok=True)
    g = tf.Graph()
    with g.as_default():
        t = models.simple_model(tf)
        feed = np.random.default_rng(1).normal(size=(2, 6, 6, 2)).astype(np.float32)
        with tf.Session(graph=g) as sess:
            sess.run(tf.global_variables_initializer())
            y, z = sess.run([t["y"], t["z"]], {t["x"]: feed})
            tf.train.Saver().save(sess, str(out / "model"), global_step=5, write_state=False)
    np.savez(out / "expected.npz", x=feed, y=y, z=z)
    print("wrote tf_meta/model-5.{meta,index,data}")


def main() -> None:
    tf.disable_eager_execution()
    tf.disable_resource_variables()
    tf.disable_v2_behavior()
    tf.disable_control_flow_v2()
    GOLDEN.mkdir(parents=True, exist_ok=True)
    _op_attrs()
    _frozen_convnet()
    _model_graph()
    _meta_checkpoint()


if __name__ == "__main__":
    main()
