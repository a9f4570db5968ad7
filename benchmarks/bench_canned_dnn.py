"""Benchmark the canned ``DNNClassifier``: scopeflow vs TensorFlow 1.15's estimator source.

``DNNClassifier([64, 64])`` over a 16-wide numeric column and an 8-dim embedding of a 100-bucket
hash column, fed by ``tf.data`` (batch 64, Adagrad): ``train(steps=--steps)`` (graph building,
session creation and the steps), then ``evaluate`` over 1024 examples. Rounds alternate
scopeflow and TF (``--tf-python`` subprocess running TF 1.15's ``tensorflow_estimator`` from
``TF_ESTIMATOR_SRC``, set up as ``tools/record_canned_estimators.py`` does), each round in a
fresh process; medians of wall and process CPU time (all threads)::

    TF_ESTIMATOR_SRC=/tmp/tfe15 .venv/bin/python benchmarks/bench_canned_dnn.py \\
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

ROOT = Path(__file__).resolve().parents[1]

WORKLOAD = textwrap.dedent(
    """
    import json, tempfile, time
    import numpy as np

    def run(tf, dnn_classifier, steps):
        rng = np.random.RandomState(0)
        x = rng.randn(1024, 16).astype(np.float32)
        words = np.array([["w%d" % i] for i in rng.randint(0, 500, 1024)])
        y = (x.sum(1, keepdims=True) > 0).astype(np.int64)
        fc = tf.feature_column
        cols = [
            fc.numeric_column("x", shape=16),
            fc.embedding_column(fc.categorical_column_with_hash_bucket("w", 100), 8),
        ]

        def input_fn(repeat):
            ds = tf.data.Dataset.from_tensor_slices(({"x": x, "w": words}, y))
            ds = ds.repeat() if repeat else ds
            return ds.batch(64).make_one_shot_iterator().get_next()

        config = tf.estimator.RunConfig(
            tf_random_seed=1, save_summary_steps=100, log_step_count_steps=10**9)
        est = dnn_classifier([64, 64], cols, model_dir=tempfile.mkdtemp(), config=config)
        t0, c0 = time.perf_counter(), time.process_time()
        est.train(lambda: input_fn(True), steps=steps)
        t1, c1 = time.perf_counter(), time.process_time()
        est.evaluate(lambda: input_fn(False))
        t2, c2 = time.perf_counter(), time.process_time()
        return {"train": t1 - t0, "train_cpu": c1 - c0, "evaluate": t2 - t1,
                "evaluate_cpu": c2 - c1}
    """
)

SF_PRELUDE = """
import scopeflow.compat.v1 as tf
dnn_classifier = tf.estimator.DNNClassifier
"""

TF_PRELUDE = """
import logging, sys
sys.path.insert(0, {tools!r})
import record_canned_estimators
tf = record_canned_estimators.setup()
tf.get_logger().setLevel(logging.ERROR)
from tensorflow_estimator.python.estimator.canned import dnn
dnn_classifier = dnn.DNNClassifier
"""


def _round(python: str, prelude: str, steps: int) -> dict[str, float]:
    code = prelude + WORKLOAD + f"\nprint(json.dumps(run(tf, dnn_classifier, {steps})))\n"
    env = dict(
        os.environ,
        TF_CPP_MIN_LOG_LEVEL="3",
        TF_USE_LEGACY_KERAS="1",
        PYTHONPATH=str(ROOT / "src"),
    )
    out = subprocess.run([python, "-c", code], capture_output=True, text=True, check=True, env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--tf-python", default=None)
    p.add_argument("--steps", type=int, default=300)
    p.add_argument("--rounds", type=int, default=3)
    args = p.parse_args()
    tf_prelude = TF_PRELUDE.format(tools=str(ROOT / "tools"))
    ours: list[dict[str, float]] = []
    theirs: list[dict[str, float]] = []
    for _ in range(args.rounds):
        ours.append(_round(sys.executable, SF_PRELUDE, args.steps))
        if args.tf_python:
            theirs.append(_round(args.tf_python, tf_prelude, args.steps))
    load = Path("/proc/loadavg").read_text(encoding="utf-8").split()[:3]
    print(f"DNNClassifier [64, 64], batch 64, {args.steps} train steps, load avg {load}")
    print("| phase | scopeflow | TensorFlow | ratio |")
    print("|---|---|---|---|")
    for phase in ours[0]:
        mine = statistics.median(r[phase] for r in ours)
        if theirs:
            tf_time = statistics.median(r[phase] for r in theirs)
            print(f"| {phase} | {mine:.2f} s | {tf_time:.2f} s | {mine / tf_time:.2f} |")
        else:
            print(f"| {phase} | {mine:.2f} s | | |")


if __name__ == "__main__":
    sys.exit(main())
