"""Benchmark ``tf.estimator.Estimator`` train / evaluate / predict: scopeflow vs TensorFlow.

A ``model_fn`` MLP (784 -> 2 x ``--width`` relu -> 10, softmax cross-entropy, Adam) fed by
``numpy_input_fn`` (batch 64, ``shuffle=False``) on random data: ``train(steps=--steps)`` with
checkpoints and summaries every 100 steps, ``evaluate`` over 1280 examples, ``predict`` over 1280.
Each phase is timed as a whole (graph building, session creation, checkpoint restore and the
steps), median over ``--repeats`` fresh model directories; ``train_cpu`` is the training phase's
process CPU time (all threads), less sensitive to other load on the machine. TF runs the same
code in a subprocess of ``--tf-python`` with TF 1.15's estimator source (``TF_ESTIMATOR_SRC``,
see ``tools/tf_estimator_shim.py``), which TF 2 no longer ships::

    TF_ESTIMATOR_SRC=/tmp/tfe15 .venv/bin/python benchmarks/bench_estimator.py \\
        --tf-python .tf-oracle/bin/python
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import textwrap
from pathlib import Path

WORKLOAD = textwrap.dedent(
    """
    import shutil, tempfile, time
    import numpy as np

    def run(tf, width, steps, repeats):
        rng = np.random.RandomState(0)
        x = rng.rand(1280, 784).astype(np.float32)
        y = rng.randint(0, 10, 1280).astype(np.int32)

        def model_fn(features, labels, mode):
            h = features["x"]
            for _ in range(2):
                h = tf.layers.dense(h, width, activation=tf.nn.relu)
            logits = tf.layers.dense(h, 10)
            if mode == tf.estimator.ModeKeys.PREDICT:
                return tf.estimator.EstimatorSpec(mode, predictions=tf.argmax(logits, 1))
            loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
            train_op = tf.train.AdamOptimizer(1e-3).minimize(
                loss, global_step=tf.train.get_global_step())
            acc = tf.metrics.accuracy(labels, tf.argmax(logits, 1))
            return tf.estimator.EstimatorSpec(
                mode, loss=loss, train_op=train_op, eval_metric_ops={"acc": acc})

        def inp(num_epochs, labels=True):
            return tf.estimator.inputs.numpy_input_fn(
                {"x": x}, y if labels else None, batch_size=64, num_epochs=num_epochs,
                shuffle=False)

        times = {"train": [], "evaluate": [], "predict": [], "train_cpu": []}
        for _ in range(repeats):
            d = tempfile.mkdtemp()
            config = tf.estimator.RunConfig(
                tf_random_seed=1, save_checkpoints_steps=100, save_summary_steps=100)
            est = tf.estimator.Estimator(model_fn, d, config=config)
            t0, c0 = time.perf_counter(), time.process_time()
            est.train(inp(None), steps=steps)
            t1, c1 = time.perf_counter(), time.process_time()
            est.evaluate(inp(1))
            t2 = time.perf_counter()
            n = sum(1 for _ in est.predict(inp(1, labels=False)))
            t3 = time.perf_counter()
            assert n == 1280, n
            times["train"].append(t1 - t0)
            times["train_cpu"].append(c1 - c0)
            times["evaluate"].append(t2 - t1)
            times["predict"].append(t3 - t2)
            shutil.rmtree(d)
        return times
    """
)

TF_PRELUDE = """
import json, logging, sys
sys.path.insert(0, {tools!r})
import tensorflow.compat.v1 as tf
tf.disable_eager_execution(); tf.disable_resource_variables(); tf.disable_v2_behavior()
tf.get_logger().setLevel(logging.ERROR)
import tf_estimator_shim
tf_estimator_shim.install(tf)
"""


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--tf-python", default=None)
    p.add_argument("--width", type=int, default=256)
    p.add_argument("--steps", type=int, default=300)
    p.add_argument("--repeats", type=int, default=3)
    args = p.parse_args()
    ns: dict[str, object] = {}
    exec(WORKLOAD, ns)
    import scopeflow.compat.v1 as tf

    ours = ns["run"](tf, args.width, args.steps, args.repeats)  # type: ignore[operator]
    theirs = None
    if args.tf_python:
        tools = str(Path(__file__).resolve().parents[1] / "tools")
        code = (
            TF_PRELUDE.format(tools=tools)
            + WORKLOAD
            + f"\nprint(json.dumps(run(tf, {args.width}, {args.steps}, {args.repeats})))\n"
        )
        env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", TF_USE_LEGACY_KERAS="1")
        out = subprocess.run(
            [args.tf_python, "-c", code], capture_output=True, text=True, check=True, env=env
        )
        theirs = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"MLP 784-{args.width}-{args.width}-10, batch 64, {args.steps} train steps")
    print("| phase | scopeflow | TensorFlow | ratio |")
    print("|---|---|---|---|")
    for phase, times in ours.items():
        mine = statistics.median(times)
        if theirs:
            tf_time = statistics.median(theirs[phase])
            print(f"| {phase} | {mine:.2f} s | {tf_time:.2f} s | {mine / tf_time:.2f} |")
        else:
            print(f"| {phase} | {mine:.2f} s | | |")


if __name__ == "__main__":
    sys.exit(main())
