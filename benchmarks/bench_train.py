"""Training-step benchmarks (issue 8), scopeflow vs TensorFlow measured in the same run.

One ``sess.run(train_op)`` of ``AdamOptimizer(1e-3).minimize(loss, global_step=...)`` for:

* ``mlp_adam_step_ms``: a 4-layer MLP of width 1,024 (ReLU, softmax cross-entropy over 10
  classes), batch 64;
* ``cnn_adam_step_ms``: the classic MNIST CNN (conv 32x5x5, max-pool, conv 64x3x3, max-pool,
  dense 1,024, dropout 0.5, dense 10), batch 64, NHWC.

Models are built from ``get_variable`` + ops (seeded initializers), the same code under both
libraries. Inputs are fed from NumPy each step, as a training loop does.

    .venv/bin/python benchmarks/bench_train.py --tf-python /work/tfenv/bin/python

Medians of ``--repeats`` timed steps after warm-up.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any


def _median_wall(fn: Any, n: int, warmup: int = 5) -> float:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def _dense(tf: Any, x: Any, n_in: int, n_out: int, name: str, act: Any = None) -> Any:
    with tf.variable_scope(name):
        w = tf.get_variable(
            "kernel", [n_in, n_out], initializer=tf.glorot_uniform_initializer(seed=1)
        )
        b = tf.get_variable("bias", [n_out], initializer=tf.zeros_initializer())
    y = tf.matmul(x, w) + b
    return act(y) if act is not None else y


def _conv(tf: Any, x: Any, k: int, c_in: int, c_out: int, name: str) -> Any:
    with tf.variable_scope(name):
        w = tf.get_variable(
            "kernel", [k, k, c_in, c_out], initializer=tf.glorot_uniform_initializer(seed=2)
        )
        b = tf.get_variable("bias", [c_out], initializer=tf.zeros_initializer())
    return tf.nn.relu(tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME") + b)


def _pool(tf: Any, x: Any) -> Any:
    return tf.nn.max_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], "SAME")


def _step(tf: Any, loss: Any, x: Any, y: Any, xs: Any, ys: Any, repeats: int) -> float:
    gs = tf.train.get_or_create_global_step()
    train = tf.train.AdamOptimizer(1e-3).minimize(loss, global_step=gs)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    feed = {x: xs, y: ys}
    ms = _median_wall(lambda: sess.run(train, feed), repeats) * 1e3
    sess.close()
    return ms


def run_all(tf: Any, repeats: int) -> dict[str, float]:
    """The workloads on one ``tf`` module."""
    import numpy as np

    rng = np.random.RandomState(0)
    out: dict[str, float] = {}
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [64, 1024], name="x")
        y = tf.placeholder(tf.int64, [64], name="y")
        h = x
        for i in range(4):
            h = _dense(tf, h, 1024, 1024, f"dense_{i}", tf.nn.relu)
        logits = _dense(tf, h, 1024, 10, "logits")
        loss = tf.reduce_mean(
            tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits)
        )
        out["mlp_adam_step_ms"] = _step(
            tf, loss, x, y, rng.randn(64, 1024).astype(np.float32), rng.randint(0, 10, 64), repeats
        )
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [64, 28, 28, 1], name="x")
        y = tf.placeholder(tf.int64, [64], name="y")
        h = _pool(tf, _conv(tf, x, 5, 1, 32, "conv1"))
        h = _pool(tf, _conv(tf, h, 3, 32, 64, "conv2"))
        h = tf.reshape(h, [64, 7 * 7 * 64])
        h = _dense(tf, h, 7 * 7 * 64, 1024, "fc1", tf.nn.relu)
        h = tf.nn.dropout(h, keep_prob=0.5, seed=3)
        logits = _dense(tf, h, 1024, 10, "logits")
        loss = tf.reduce_mean(
            tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits)
        )
        out["cnn_adam_step_ms"] = _step(
            tf,
            loss,
            x,
            y,
            rng.rand(64, 28, 28, 1).astype(np.float32),
            rng.randint(0, 10, 64),
            repeats,
        )
    return out


def _tf_results(tf_python: str, repeats: int) -> dict[str, float]:
    here = str(Path(__file__).parent)
    code = (
        f"import json, sys; sys.path.insert(0, {here!r}); import bench_train as b; "
        "import tensorflow.compat.v1 as tf; tf.disable_eager_execution(); "
        "tf.disable_resource_variables(); tf.disable_v2_behavior(); "
        f"print('RESULT' + json.dumps(b.run_all(tf, {repeats})))"
    )
    proc = subprocess.run(
        [tf_python, "-c", code], capture_output=True, text=True, check=True, timeout=3600
    )
    line = next(ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT"))
    return json.loads(line[len("RESULT") :])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--tf-python", default=None)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=1, help="alternate scopeflow/TF rounds")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument(
        "--torch-threads",
        type=int,
        default=None,
        help="torch.set_num_threads for scopeflow (default: torch's own choice)",
    )
    args = parser.parse_args()

    import scopeflow.compat.v1 as sf

    if args.torch_threads:
        import torch

        torch.set_num_threads(args.torch_threads)

    rounds: list[tuple[dict[str, float], dict[str, float]]] = []
    for _ in range(args.rounds):
        ours = run_all(sf, args.repeats)
        theirs = _tf_results(args.tf_python, args.repeats) if args.tf_python else {}
        rounds.append((ours, theirs))
    for i, (ours, theirs) in enumerate(rounds):
        for key, value in ours.items():
            tf_value = theirs.get(key)
            ratio = f"{value / tf_value:.3f}" if tf_value else "-"
            tf_text = f"{tf_value:.2f}" if tf_value else "-"
            print(f"round {i} {key:20s} scopeflow {value:8.2f}  TF {tf_text:>8s}  ratio {ratio}")
    if args.json:
        args.json.write_text(json.dumps(rounds, indent=1))


if __name__ == "__main__":
    sys.exit(main())
