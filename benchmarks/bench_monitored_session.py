"""Benchmark the per-step cost of a ``MonitoredTrainingSession`` loop: scopeflow vs TensorFlow.

A small MLP (batch 32, 64 -> 128 -> 10, softmax cross-entropy, SGD) trains for ``--steps``
steps twice: in a plain ``Session`` loop, and in ``MonitoredTrainingSession`` with TF's default
chief hooks (StepCounterHook and SummarySaverHook every 100 steps, CheckpointSaverHook every 600
s: saves at the start and end) plus StopAtStepHook and a LoggingTensorHook every 100 steps.
Reported: microseconds per step (median of ``--repeats``) and the monitored/plain ratio, i.e. what
the hooks cost on top of the training step. TF runs the same code in a subprocess of
``--tf-python`` (TF 1.x mode).

    .venv/bin/python benchmarks/bench_monitored_session.py --tf-python .tf-oracle/bin/python
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import textwrap

LOOPS = textwrap.dedent(
    """
    import shutil, tempfile, time
    import numpy as np

    def build(tf):
        rng = np.random.RandomState(0)
        x = tf.constant(rng.randn(32, 64).astype(np.float32))
        y = tf.constant(rng.randint(0, 10, 32).astype(np.int64))
        step = tf.train.get_or_create_global_step()
        h = tf.layers.dense(x, 128, activation=tf.nn.relu)
        logits = tf.layers.dense(h, 10)
        loss = tf.losses.sparse_softmax_cross_entropy(y, logits)
        tf.summary.scalar("loss", loss)
        train_op = tf.train.GradientDescentOptimizer(0.01).minimize(loss, global_step=step)
        return step, loss, train_op

    def plain(tf, steps):
        with tf.Graph().as_default():
            _, _, train_op = build(tf)
            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())
                sess.run(train_op)
                t0 = time.perf_counter()
                for _ in range(steps):
                    sess.run(train_op)
                return time.perf_counter() - t0

    def monitored(tf, steps):
        d = tempfile.mkdtemp()
        try:
            with tf.Graph().as_default():
                step, loss, train_op = build(tf)
                hooks = [tf.train.StopAtStepHook(last_step=steps + 1),
                         tf.train.LoggingTensorHook({"loss": loss}, every_n_iter=100)]
                with tf.train.MonitoredTrainingSession(checkpoint_dir=d, hooks=hooks) as sess:
                    sess.run(train_op)
                    t0 = time.perf_counter()
                    while not sess.should_stop():
                        sess.run(train_op)
                    elapsed = time.perf_counter() - t0
                return elapsed
        finally:
            tf.summary.FileWriterCache.clear()
            shutil.rmtree(d)

    def run(tf, steps, repeats):
        return ([plain(tf, steps) for _ in range(repeats)],
                [monitored(tf, steps) for _ in range(repeats)])
    """
)


def report(name: str, steps: int, times: tuple[list[float], list[float]]) -> tuple[float, float]:
    plain = statistics.median(times[0]) / steps * 1e6
    monitored = statistics.median(times[1]) / steps * 1e6
    print(f"{name}: plain {plain:.0f} us/step, monitored {monitored:.0f} us/step, "
          f"monitored/plain {monitored / plain:.2f}")  # fmt: skip
    return plain, monitored


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--tf-python", default=None)
    p.add_argument("--steps", type=int, default=500)
    p.add_argument("--repeats", type=int, default=3)
    args = p.parse_args()
    ns: dict[str, object] = {}
    exec(LOOPS, ns)
    import scopeflow.compat.v1 as tf

    ours = report("scopeflow", args.steps, ns["run"](tf, args.steps, args.repeats))  # type: ignore[operator]
    if args.tf_python:
        code = (
            "import json\n"
            "import tensorflow.compat.v1 as tf\n"
            "tf.disable_eager_execution(); tf.disable_resource_variables(); "
            "tf.disable_v2_behavior()\n"
            + LOOPS
            + f"\nprint(json.dumps(run(tf, {args.steps}, {args.repeats})))\n"
        )
        env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", TF_USE_LEGACY_KERAS="1")
        out = subprocess.run(
            [args.tf_python, "-c", code], capture_output=True, text=True, check=True, env=env
        )
        theirs = report("TensorFlow", args.steps, json.loads(out.stdout.strip().splitlines()[-1]))
        print(f"ratio scopeflow/TF per step: plain {ours[0] / theirs[0]:.2f}, "
              f"monitored {ours[1] / theirs[1]:.2f}")  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
