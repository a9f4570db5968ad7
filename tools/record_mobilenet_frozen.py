"""A frozen MobileNet-v1-shaped inference graph, made by TensorFlow (run under the TF oracle).

    TF_USE_LEGACY_KERAS=1 .tf-oracle/bin/python tools/record_mobilenet_frozen.py --fixture
    TF_USE_LEGACY_KERAS=1 .tf-oracle/bin/python tools/record_mobilenet_frozen.py --out DIR

The network follows MobileNet v1 (Howard et al. 2017, as ``models/research/slim``'s
``mobilenet_v1`` lays it out): a 3x3 stride-2 convolution, then 13 depthwise separable blocks
(3x3 ``DepthwiseConv2dNative`` and 1x1 ``Conv2D``, each followed by a fused batch norm and
``relu6``), a global average pool, a 1x1 convolution with biases as the classifier, ``Squeeze``
and ``Softmax``; the layers are ``tf.contrib.slim``'s (``separable_conv2d`` with no pointwise
outputs for the depthwise step, ``batch_norm`` with ``scale=True``, inference mode). Weights and
batch-norm statistics are seeded random values; ``convert_variables_to_constants`` freezes it.

``--fixture`` writes the small variant the tests use (depth multiplier 0.125, 64x64 inputs, 16
classes): ``tests/graph_import/golden/mobilenet_v1_small.pb`` and ``mobilenet_v1_small.npz`` (the
input batch and TF's ``logits`` and ``probs``). ``--out DIR`` writes the full-width 224x224,
1001-class graph (~17 MB, too large to commit) as ``DIR/mobilenet_v1.pb`` with
``DIR/mobilenet_v1.json`` (the input and output tensor names); ``benchmarks/bench_inference.py``
calls ``write_frozen`` the same way at benchmark time.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "graph_import" / "golden" / "mobilenet_v1_small"

# (kind, stride, depth) of MobileNet v1's 14 feature layers.
_LAYERS = [("conv", 2, 32)] + [
    ("sep", s, d)
    for s, d in [(1, 64), (2, 128), (1, 128), (2, 256), (1, 256), (2, 512)]
    + [(1, 512)] * 5
    + [(2, 1024), (1, 1024)]
]


def mobilenet_v1(tf: Any, slim: Any, x: Any, multiplier: float, classes: int) -> tuple[Any, Any]:
    """MobileNet v1's logits and softmax for the NHWC image batch ``x`` (inference mode)."""
    bn = {"is_training": False, "center": True, "scale": True, "epsilon": 0.001}
    with tf.variable_scope("MobilenetV1"):
        with slim.arg_scope(
            [slim.conv2d, slim.separable_conv2d],
            normalizer_fn=slim.batch_norm,
            normalizer_params=bn,
            activation_fn=tf.nn.relu6,
            padding="SAME",
        ):
            net = x
            for i, (kind, stride, depth) in enumerate(_LAYERS):
                d = max(int(depth * multiplier), 8)
                if kind == "conv":
                    net = slim.conv2d(net, d, [3, 3], stride=stride, scope=f"Conv2d_{i}")
                else:
                    scope = f"Conv2d_{i}_depthwise"
                    net = slim.separable_conv2d(net, None, [3, 3], 1, stride=stride, scope=scope)
                    net = slim.conv2d(net, d, [1, 1], stride=1, scope=f"Conv2d_{i}_pointwise")
        with tf.variable_scope("Logits"):
            k = net.shape.as_list()[1:3]
            net = slim.avg_pool2d(net, k, padding="VALID", scope="AvgPool_1a")
            net = slim.conv2d(net, classes, [1, 1], activation_fn=None, normalizer_fn=None,
                              scope="Conv2d_1c_1x1")  # fmt: skip
            logits = tf.squeeze(net, [1, 2], name="SpatialSqueeze")
        probs = tf.nn.softmax(logits, name="Predictions")
    return logits, probs


def write_frozen(tf: Any, slim: Any, path: Path, multiplier: float, size: int, classes: int,
                 batch: int = 0) -> dict[str, Any]:  # fmt: skip
    """Builds, initialises (seeded) and freezes the network; writes ``path`` (a ``.pb``).

    Returns the input/logits/probs tensor names and, with ``batch`` > 0, a seeded input batch
    and TF's outputs for it.
    """
    import numpy as np

    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(0)
        x = tf.placeholder(tf.float32, [None, size, size, 3], name="input")
        logits, probs = mobilenet_v1(tf, slim, x, multiplier, classes)
        rng = np.random.default_rng(0)
        with tf.Session(graph=g) as sess:
            sess.run(tf.global_variables_initializer())
            for v in tf.global_variables():  # non-trivial batch norms
                shape = v.shape.as_list()
                if "moving_variance" in v.name:
                    v.load(rng.uniform(0.5, 1.5, shape).astype(np.float32), sess)
                elif "moving_mean" in v.name or "beta" in v.name:
                    v.load(rng.normal(0, 0.1, shape).astype(np.float32), sess)
                elif "gamma" in v.name:
                    v.load(rng.uniform(0.7, 1.3, shape).astype(np.float32), sess)
            frozen = tf.graph_util.convert_variables_to_constants(
                sess, g.as_graph_def(), [probs.op.name]
            )
            out: dict[str, Any] = {"input": x.name, "logits": logits.name, "probs": probs.name}
            if batch:
                feed = rng.uniform(-1, 1, (batch, size, size, 3)).astype(np.float32)
                lg, pr = sess.run([logits, probs], {x: feed})
                out["arrays"] = {"input": feed, "logits": lg, "probs": pr}
    path.write_bytes(frozen.SerializeToString())
    ops = sorted({n.op for n in frozen.node})
    print(f"wrote {path} ({len(frozen.node)} nodes: {', '.join(ops)})", file=sys.stderr)
    return out


def _tf() -> tuple[Any, Any]:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflow.compat.v1 as tf

    tf.disable_eager_execution()
    tf.disable_resource_variables()
    tf.disable_v2_behavior()
    sys.path.insert(0, str(REPO / "tools"))
    import tf_contrib_shim

    tf_contrib_shim.install(tf)
    return tf, tf.contrib.slim


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--fixture", action="store_true", help="write the small test fixture")
    p.add_argument("--out", help="a directory for the full-width graph")
    args = p.parse_args()
    tf, slim = _tf()
    if args.fixture:
        import numpy as np

        got = write_frozen(tf, slim, FIXTURE.with_suffix(".pb"), 0.125, 64, 16, batch=2)
        names = {f"{k}_name": np.array(got[k]) for k in ("input", "logits", "probs")}
        np.savez(FIXTURE.with_suffix(".npz"), **got["arrays"], **names)
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        got = write_frozen(tf, slim, out / "mobilenet_v1.pb", 1.0, 224, 1001)
        (out / "mobilenet_v1.json").write_text(json.dumps([got["input"], got["probs"]]))


if __name__ == "__main__":
    main()
