"""Forward inference of slim nets (resnet_v1_50, inception_v3) in scopeflow and TensorFlow.

    .venv/bin/python benchmarks/bench_slim_nets.py --tf-python /work/tfenv/bin/python

Each net is built under its arg scope with ``is_training=False`` and seeded random weights; the
timed call is ``Session.run(logits, feed)`` (median of ``--repeats`` calls after 2 warm-ups). Graph
building time (CPU) is reported too. TensorFlow runs the same code in a subprocess with
``tf.contrib`` built from tf_slim (``tools/tf_contrib_shim.py``).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
CASES = [("resnet_v1_50", 224, 1), ("resnet_v1_50", 224, 8), ("inception_v3", 299, 1),
         ("inception_v3", 299, 8)]  # fmt: skip


def _build(tf, name, size):
    nets = tf.contrib.slim.nets
    x = tf.placeholder(tf.float32, [None, size, size, 3])
    if name == "resnet_v1_50":
        with tf.contrib.slim.arg_scope(nets.resnet_v1.resnet_arg_scope()):
            logits, _ = nets.resnet_v1.resnet_v1_50(x, 1000, is_training=False)
    else:
        with tf.contrib.slim.arg_scope(nets.inception.inception_v3_arg_scope()):
            logits, _ = nets.inception.inception_v3(x, 1000, is_training=False)
    return x, logits


def measure(tf, repeats: int) -> list[dict[str, object]]:
    rows = []
    for name, size, batch in CASES:
        tf.reset_default_graph()
        tf.set_random_seed(0)
        t0 = time.process_time()
        x, logits = _build(tf, name, size)
        build = time.process_time() - t0
        feed = {
            x: np.random.RandomState(0).uniform(-1, 1, [batch, size, size, 3]).astype(np.float32)
        }
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(2):
                sess.run(logits, feed)
            times = []
            for _ in range(repeats):
                t = time.perf_counter()
                sess.run(logits, feed)
                times.append(time.perf_counter() - t)
        rows.append({"net": name, "batch": batch, "build_s": build,
                     "run_ms": 1000 * statistics.median(times)})  # fmt: skip
    return rows


def _tf_worker(repeats: int) -> None:
    import tensorflow.compat.v1 as tf

    tf.disable_eager_execution()
    tf.disable_resource_variables()
    tf.disable_v2_behavior()
    sys.path.insert(0, str(ROOT / "tools"))
    import tf_contrib_shim

    tf_contrib_shim.install(tf)
    print(json.dumps(measure(tf, repeats)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tf-python")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--tf-worker", action="store_true")
    args = parser.parse_args()
    if args.tf_worker:
        _tf_worker(args.repeats)
        return
    import scopeflow.compat.v1 as tf

    ours = measure(tf, args.repeats)
    theirs = None
    if args.tf_python:
        proc = subprocess.run(
            [args.tf_python, __file__, "--tf-worker", "--repeats", str(args.repeats)],
            capture_output=True, text=True, check=True,
            env={"TF_CPP_MIN_LOG_LEVEL": "3", "PATH": "/usr/bin:/bin"},
        )  # fmt: skip
        theirs = json.loads(proc.stdout.strip().splitlines()[-1])
    print("| net | batch | scopeflow run | TF run | ratio | scopeflow build | TF build |")
    print("|---|---|---|---|---|---|---|")
    for i, row in enumerate(ours):
        tf_row = theirs[i] if theirs else None
        ratio = f"{row['run_ms'] / tf_row['run_ms']:.2f}" if tf_row else "-"
        print(f"| {row['net']} | {row['batch']} | {row['run_ms']:.1f} ms | "
              f"{tf_row['run_ms'] if tf_row else 0:.1f} ms | {ratio} | {row['build_s']:.2f} s | "
              f"{tf_row['build_s'] if tf_row else 0:.2f} s |")  # fmt: skip


if __name__ == "__main__":
    main()
