"""Benchmark the per-step cost of TF1 summaries: scopeflow vs TensorFlow, same run.

A training step of a 2-layer MLP (batch 64, 256 -> 512 -> 10, ``tf.gradients`` + ``assign_sub``)
is timed three ways: ``sess.run(train_op)``; ``sess.run([train_op, merged])`` where ``merged``
is ``tf.summary.merge_all()`` over a loss scalar, an accuracy scalar and two weight histograms
(a typical TF1 script), with ``FileWriter.add_summary`` each step; and the summaries alone
(``sess.run(merged)`` + ``add_summary``). The overhead of summaries is the difference of the
first two. Each figure is the median over ``--repeats`` blocks of ``--steps`` steps, best of
``--rounds`` rounds that alternate between scopeflow and TF (a persistent TF worker process).

The same model code runs under both libraries; TF runs in a subprocess of ``--tf-python``
(never imported here). Usage::

    .venv/bin/python benchmarks/bench_summary.py --tf-python .tf-oracle/bin/python
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

MODEL = r"""
import json, statistics, sys, tempfile, time
import numpy as np

def build(tf, steps, repeats):
    rng = np.random.RandomState(0)
    x = tf.placeholder(tf.float32, [64, 256])
    y = tf.placeholder(tf.int64, [64])
    w1 = tf.get_variable("w1", [256, 512])
    b1 = tf.get_variable("b1", [512], initializer=tf.zeros_initializer())
    w2 = tf.get_variable("w2", [512, 10])
    h = tf.nn.relu(tf.matmul(x, w1) + b1)
    logits = tf.matmul(h, w2)
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
    acc = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1), y), tf.float32))
    params = [w1, b1, w2]
    grads = tf.gradients(loss, params)
    train_op = tf.group(*[tf.assign_sub(p, 0.01 * g) for p, g in zip(params, grads)])
    tf.summary.scalar("loss", loss)
    tf.summary.scalar("accuracy", acc)
    tf.summary.histogram("w1", w1)
    tf.summary.histogram("w2", w2)
    merged = tf.summary.merge_all()
    feed = {x: rng.randn(64, 256).astype(np.float32), y: rng.randint(0, 10, 64)}
    sess = tf.Session()
    logdir = tempfile.mkdtemp()
    sess.run(tf.global_variables_initializer())
    writer = tf.summary.FileWriter(logdir, sess.graph)
    def measure():
        out = {}
        def plain():
            sess.run(train_op, feed)
        def with_summary(step=[0]):
            _, s = sess.run([train_op, merged], feed)
            writer.add_summary(s, step[0]); step[0] += 1
        def summary_only(step=[0]):
            writer.add_summary(sess.run(merged, feed), step[0]); step[0] += 1
        for name, fn in (("plain", plain), ("with_summary", with_summary),
                         ("summary_only", summary_only)):
            for _ in range(5):
                fn()
            times = []
            for _ in range(repeats):
                t = time.perf_counter()
                for _ in range(steps):
                    fn()
                times.append((time.perf_counter() - t) / steps)
            out[name] = statistics.median(times)
        return out
    return measure
"""

TF_MAIN = """
import os; os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import tensorflow.compat.v1 as tf
tf.disable_eager_execution(); tf.disable_resource_variables(); tf.disable_v2_behavior()
measure = build(tf, int(sys.argv[1]), int(sys.argv[2]))
for line in sys.stdin:
    print(json.dumps(measure()), flush=True)
"""


def _fmt(seconds: float) -> str:
    return f"{seconds * 1e6:.0f} µs"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--tf-python", help="python of a virtualenv with tensorflow installed")
    args = parser.parse_args()
    sys.path.insert(0, os.environ.get("SCOPEFLOW_SRC", str(REPO / "src")))
    import scopeflow.compat.v1 as tf

    namespace: dict[str, object] = {}
    exec(MODEL, namespace)  # the shared model code, run under scopeflow here
    measure = namespace["build"](tf, args.steps, args.repeats)  # type: ignore[operator]
    worker = None
    if args.tf_python:
        worker = subprocess.Popen(
            [args.tf_python, "-c", MODEL + TF_MAIN, str(args.steps), str(args.repeats)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
    # Rounds alternate between the libraries so that load changes on a shared machine hit both;
    # each figure is the best round's median.
    ours_rounds, theirs_rounds = [], []
    for _ in range(args.rounds):
        ours_rounds.append(measure())
        if worker is not None:
            assert worker.stdin is not None
            assert worker.stdout is not None
            worker.stdin.write("go\n")
            worker.stdin.flush()
            theirs_rounds.append(json.loads(worker.stdout.readline()))
    if worker is not None:
        assert worker.stdin is not None
        worker.stdin.close()
        worker.wait()
    keys = ("plain", "with_summary", "summary_only")
    ours = {k: min(r[k] for r in ours_rounds) for k in keys}
    theirs = {k: min(r[k] for r in theirs_rounds) for k in keys} if theirs_rounds else None
    print("| per step | scopeflow | TensorFlow | ratio |")
    print("|---|---|---|---|")
    rows = [("train step", "plain"), ("train step + merged summary + add_summary", "with_summary"),
            ("merged summary + add_summary alone", "summary_only")]  # fmt: skip
    for label, key in rows:
        tf_t = theirs[key] if theirs else None
        ratio = f"{ours[key] / tf_t:.2f}" if tf_t else "–"
        print(f"| {label} | {_fmt(ours[key])} | {_fmt(tf_t) if tf_t else '–'} | {ratio} |")
    over = ours["with_summary"] - ours["plain"]
    tf_over = theirs["with_summary"] - theirs["plain"] if theirs else None
    print(f"| summary overhead (difference) | {_fmt(over)} | "
          f"{_fmt(tf_over) if tf_over is not None else '–'} | "
          f"{over / tf_over:.2f} |" if tf_over else "| – |")  # fmt: skip


if __name__ == "__main__":
    main()
