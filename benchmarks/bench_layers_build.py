"""Graph building with ``tf.layers`` (issue 7): a BERT-base-shaped encoder, scopeflow vs TF.

Builds the same graph on scopeflow (in this process) and on TensorFlow 2.21 ``compat.v1`` in TF 1.x
mode with ``TF_USE_LEGACY_KERAS=1`` (in a subprocess of ``--tf-python``) and prints the ratio of
each pair measured in the same run. Times are CPU time (``time.process_time``), medians of
``--repeats`` builds, each in a fresh graph.

Workloads:

* ``bert_base_encoder_s``: 12 layers, width 768, 12 heads, sequence 128: the embedding-output
  placeholder, per layer q/k/v/output/intermediate/output projections with ``tf.layers.dense``
  (on ``[batch * seq, 768]`` as BERT does), attention (reshape, transpose, ``matmul``, scale,
  softmax, ``matmul``), two layer norms written with ``tf.nn.moments`` and
  ``get_variable``, then ``global_variables_initializer`` -- 200 variables, the shape of
  google-research/bert's ``transformer_model``.
* ``dense_call_us`` / ``dense_by_hand_us``: one ``tf.layers.dense`` call, and the same graph built
  by hand (``variable_scope`` + two ``get_variable`` + ``matmul`` + ``bias_add``): the layer's own
  overhead is their ratio.

    .venv/bin/python benchmarks/bench_layers_build.py --tf-python .tf-oracle/bin/python

With ``--forward``, ``bert_base_forward_b8_s`` is the wall time of one forward ``Session.run`` of
the encoder on a batch of 8 (median of ``--repeats`` runs after one warm-up run).

Target (issue 7): the encoder builds at least 5x faster than TF; forward no slower than TF.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import time
from pathlib import Path
from typing import Any

LAYERS, WIDTH, HEADS, SEQ, INTERMEDIATE = 12, 768, 12, 128, 3072


def _median(fn: Any, repeats: int) -> float:
    return statistics.median(fn() for _ in range(repeats))


def build_encoder(tf: Any) -> int:
    """Builds the encoder in the default graph; returns the number of ops."""
    head = WIDTH // HEADS
    init = tf.truncated_normal_initializer(stddev=0.02)

    def layer_norm(x: Any) -> Any:
        with tf.variable_scope("LayerNorm"):
            beta = tf.get_variable("beta", [WIDTH], initializer=tf.zeros_initializer())
            gamma = tf.get_variable("gamma", [WIDTH], initializer=tf.ones_initializer())
            mean, var = tf.nn.moments(x, [-1], keep_dims=True)
            return (x - mean) * tf.rsqrt(var + 1e-12) * gamma + beta

    def heads(t: Any) -> Any:
        t = tf.reshape(t, [-1, SEQ, HEADS, head])
        return tf.transpose(t, [0, 2, 1, 3])

    x = tf.placeholder(tf.float32, [None, SEQ, WIDTH], name="input")
    prev = tf.reshape(x, [-1, WIDTH])
    with tf.variable_scope("bert/encoder"):
        for i in range(LAYERS):
            with tf.variable_scope(f"layer_{i}"):
                with tf.variable_scope("attention"):
                    with tf.variable_scope("self"):
                        q = tf.layers.dense(prev, WIDTH, name="query", kernel_initializer=init)
                        k = tf.layers.dense(prev, WIDTH, name="key", kernel_initializer=init)
                        v = tf.layers.dense(prev, WIDTH, name="value", kernel_initializer=init)
                        scores = tf.matmul(heads(q), heads(k), transpose_b=True)
                        probs = tf.nn.softmax(scores * (1.0 / head**0.5))
                        ctx = tf.transpose(tf.matmul(probs, heads(v)), [0, 2, 1, 3])
                        ctx = tf.reshape(ctx, [-1, WIDTH])
                    with tf.variable_scope("output"):
                        att = tf.layers.dense(ctx, WIDTH, kernel_initializer=init)
                        att = layer_norm(att + prev)
                with tf.variable_scope("intermediate"):
                    mid = tf.layers.dense(att, INTERMEDIATE, activation=tf.nn.relu,
                                          kernel_initializer=init)  # fmt: skip
                with tf.variable_scope("output"):
                    out = tf.layers.dense(mid, WIDTH, kernel_initializer=init)
                    prev = layer_norm(out + att)
    tf.identity(prev, name="encoder_output")
    tf.global_variables_initializer()
    return len(tf.get_default_graph().get_operations())


def run_forward(tf: Any, repeats: int, batch: int = 8) -> float:
    """Median wall time (s) of one forward ``Session.run`` of the encoder, batch 8, seq 128."""
    import numpy as np

    tf.reset_default_graph()
    tf.set_random_seed(0)
    build_encoder(tf)
    graph = tf.get_default_graph()
    x = graph.get_tensor_by_name("input:0")
    y = graph.get_tensor_by_name("encoder_output:0")
    data = np.random.RandomState(0).normal(size=[batch, SEQ, WIDTH]).astype(np.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(y, {x: data})
        times = []
        for _ in range(repeats):
            t = time.perf_counter()
            sess.run(y, {x: data})
            times.append(time.perf_counter() - t)
    return statistics.median(times)


def run_all(tf: Any, repeats: int, forward: bool = False) -> dict[str, float]:
    """All workloads on one ``tf`` module; seconds, or microseconds where named ``_us``."""
    out: dict[str, float] = {}
    if forward:
        out["bert_base_forward_b8_s"] = run_forward(tf, repeats)

    def encoder() -> float:
        tf.reset_default_graph()
        t = time.process_time()
        out["bert_base_encoder_ops"] = build_encoder(tf)
        return time.process_time() - t

    out["bert_base_encoder_s"] = _median(encoder, repeats)
    n = 300

    def dense_calls() -> float:
        tf.reset_default_graph()
        x = tf.placeholder(tf.float32, [None, 64])
        t = time.process_time()
        for _ in range(n):
            tf.layers.dense(x, 64)
        return (time.process_time() - t) / n * 1e6

    def by_hand() -> float:
        tf.reset_default_graph()
        x = tf.placeholder(tf.float32, [None, 64])
        t = time.process_time()
        for _ in range(n):
            with tf.variable_scope(None, default_name="dense"):
                w = tf.get_variable("kernel", [64, 64])
                b = tf.get_variable("bias", [64], initializer=tf.zeros_initializer())
                tf.nn.bias_add(tf.matmul(x, w), b)
        return (time.process_time() - t) / n * 1e6

    out["dense_call_us"] = _median(dense_calls, repeats)
    out["dense_by_hand_us"] = _median(by_hand, repeats)
    return out


def _tf_results(tf_python: str, repeats: int, forward: bool) -> dict[str, float]:
    here = str(Path(__file__).parent)
    code = (
        "import json, sys, warnings; warnings.simplefilter('ignore'); "
        f"sys.path.insert(0, {here!r}); "
        "import bench_layers_build as b; "
        "import tensorflow.compat.v1 as tf; tf.disable_eager_execution(); "
        "tf.disable_resource_variables(); tf.disable_v2_behavior(); "
        "tf.logging.set_verbosity(tf.logging.ERROR); "
        f"print('RESULT' + json.dumps(b.run_all(tf, {repeats}, {forward})))"
    )
    env = dict(os.environ, TF_USE_LEGACY_KERAS="1", TF_CPP_MIN_LOG_LEVEL="3")
    proc = subprocess.run(
        [tf_python, "-c", code], capture_output=True, text=True, check=True, timeout=3600, env=env
    )
    line = next(ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT"))
    return json.loads(line[len("RESULT") :])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tf-python", default=None, help="python of a TensorFlow virtualenv")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", type=Path, default=None, help="also write results here")
    parser.add_argument(
        "--forward", action="store_true", help="also time a forward run, batch 8 (slow)"
    )
    args = parser.parse_args()

    import scopeflow.compat.v1 as sf

    ours = run_all(sf, args.repeats, args.forward)
    theirs = _tf_results(args.tf_python, args.repeats, args.forward) if args.tf_python else {}
    print(f"{'workload':28} {'scopeflow':>12} {'TensorFlow':>12} {'ratio':>8}")
    for key, value in ours.items():
        tf_value = theirs.get(key)
        ratio = f"{value / tf_value:.3f}" if tf_value else "-"
        tf_text = f"{tf_value:.4g}" if tf_value else "-"
        print(f"{key:28} {value:12.4g} {tf_text:>12} {ratio:>8}")
    overhead = ours["dense_call_us"] / ours["dense_by_hand_us"]
    print(f"layer overhead (dense_call / dense_by_hand): {overhead:.2f}")
    if args.json:
        args.json.write_text(json.dumps({"scopeflow": ours, "tensorflow": theirs}, indent=1))


if __name__ == "__main__":
    main()
