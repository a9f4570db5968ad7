"""Training steps of the sampled-loss, CTC and CRF APIs, scopeflow vs TensorFlow in the same run.

Workloads (each one ``sess.run(train_op, feed)``, wall and process CPU time, median of
``--repeats`` steps after 3 warm-up steps):

- ``word2vec``: skip-gram embeddings ``[50000, 128]``, batch 128, ``tf.nn.nce_loss`` with 64
  log-uniform negative samples (``unique=True``), ``GradientDescentOptimizer(1.0)`` (the
  TensorFlow word2vec tutorial's model);
- ``sampled_softmax``: the same model with ``tf.nn.sampled_softmax_loss``;
- ``ctc``: a dense layer over ``[50, 16, 40]`` features to 30 classes, ``tf.nn.ctc_loss``, Adam;
- ``crf``: ``tf.contrib.crf.crf_log_likelihood`` over ``[32, 40, 9]`` unary scores from a dense
  layer, Adam (TF 2 has no contrib: TensorFlow runs the TF-ops transcription of TF 1.15's crf.py
  in ``tests/conformance/cases/_crf_tf115.py``).

    PYTHONPATH=src .venv/bin/python benchmarks/bench_nn_extra.py --tf-python .tf-oracle/bin/python

Rounds alternate scopeflow and TensorFlow (a subprocess of ``--tf-python`` with TF 2.21
``compat.v1`` in TF 1.x mode).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

WORKLOADS = ("word2vec", "sampled_softmax", "ctc", "crf")
_HERE = Path(__file__).resolve().parent


def _crf(tf: Any) -> Any:
    contrib = getattr(tf, "contrib", None)
    if contrib is not None:
        return contrib.crf
    path = _HERE.parent / "tests" / "conformance" / "cases" / "_crf_tf115.py"
    spec = importlib.util.spec_from_file_location("_crf_tf115", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.crf_module(tf)


def _build(tf: Any, workload: str, rs: np.random.RandomState) -> tuple[Any, dict[Any, Any]]:
    if workload in ("word2vec", "sampled_softmax"):
        vocab, dim, batch = 50000, 128, 128
        inputs = tf.placeholder(tf.int32, [batch])
        labels = tf.placeholder(tf.int32, [batch, 1])
        emb = tf.Variable(tf.random_uniform([vocab, dim], -1.0, 1.0))
        w = tf.Variable(tf.truncated_normal([vocab, dim], stddev=1.0 / np.sqrt(dim)))
        b = tf.Variable(tf.zeros([vocab]))
        embed = tf.nn.embedding_lookup(emb, inputs)
        fn = tf.nn.nce_loss if workload == "word2vec" else tf.nn.sampled_softmax_loss
        loss = tf.reduce_mean(fn(weights=w, biases=b, labels=labels, inputs=embed,
                                 num_sampled=64, num_classes=vocab))  # fmt: skip
        op = tf.train.GradientDescentOptimizer(1.0).minimize(loss)
        feed = {inputs: rs.randint(0, vocab, batch), labels: rs.randint(0, vocab, (batch, 1))}
        return op, feed
    if workload == "ctc":
        t, batch, feat, classes = 50, 16, 40, 30
        x = tf.placeholder(tf.float32, [t, batch, feat])
        w = tf.get_variable("w", [feat, classes])
        logits = tf.reshape(tf.matmul(tf.reshape(x, [-1, feat]), w), [t, batch, classes])
        rows = [rs.randint(0, classes - 1, rs.randint(5, 15)) for _ in range(batch)]
        idx = np.array([[i, j] for i, r in enumerate(rows) for j in range(len(r))], np.int64)
        vals = np.concatenate(rows).astype(np.int32)
        labels = tf.SparseTensor(idx, vals, [batch, 15])
        loss = tf.reduce_mean(tf.nn.ctc_loss(labels, logits, [t] * batch))
        op = tf.train.AdamOptimizer(0.01).minimize(loss)
        return op, {x: rs.normal(size=(t, batch, feat)).astype(np.float32)}
    batch, t, feat, tags = 32, 40, 64, 9
    x = tf.placeholder(tf.float32, [batch, t, feat])
    y = tf.placeholder(tf.int32, [batch, t])
    lengths = tf.placeholder(tf.int32, [batch])
    w = tf.get_variable("w", [feat, tags])
    scores = tf.reshape(tf.matmul(tf.reshape(x, [-1, feat]), w), [batch, t, tags])
    ll, _ = _crf(tf).crf_log_likelihood(scores, y, lengths)
    op = tf.train.AdamOptimizer(0.01).minimize(tf.reduce_mean(-ll))
    feed = {x: rs.normal(size=(batch, t, feat)).astype(np.float32),
            y: rs.randint(0, tags, (batch, t)), lengths: rs.randint(10, t + 1, batch)}  # fmt: skip
    return op, feed


def run(tf: Any, workload: str, repeats: int) -> dict[str, float]:
    """Median wall and CPU seconds of one training step of ``workload``."""
    tf.reset_default_graph()
    tf.set_random_seed(1)
    op, feed = _build(tf, workload, np.random.RandomState(0))
    wall, cpu = [], []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            sess.run(op, feed)
        for _ in range(repeats):
            w0, c0 = time.perf_counter(), time.process_time()
            sess.run(op, feed)
            wall.append(time.perf_counter() - w0)
            cpu.append(time.process_time() - c0)
    return {"wall_s": statistics.median(wall), "cpu_s": statistics.median(cpu)}


def _tf_run(tf_python: str, workload: str, repeats: int) -> dict[str, float]:
    code = (
        f"import json, sys; sys.path[:0] = [{str(_HERE)!r}]; import bench_nn_extra as b; "
        "import tensorflow.compat.v1 as tf; tf.disable_eager_execution(); "
        "tf.disable_resource_variables(); tf.disable_v2_behavior(); "
        f"print('RESULT' + json.dumps(b.run(tf, {workload!r}, {repeats})))"
    )
    env = {**os.environ, "TF_USE_LEGACY_KERAS": "1", "TF_CPP_MIN_LOG_LEVEL": "3"}
    proc = subprocess.run([tf_python, "-c", code], capture_output=True, text=True, env=env,
                          check=True)  # fmt: skip
    line = next(x for x in proc.stdout.splitlines() if x.startswith("RESULT"))
    return json.loads(line[len("RESULT") :])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tf-python", default=None)
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--workloads", default=",".join(WORKLOADS))
    args = parser.parse_args()
    import scopeflow.compat.v1 as sf

    for workload in args.workloads.split(","):
        for r in range(args.rounds):
            ours = run(sf, workload, args.repeats)
            line = (f"{workload} round {r}: scopeflow {ours['wall_s'] * 1e3:.1f} ms wall "
                    f"{ours['cpu_s'] * 1e3:.1f} ms CPU")  # fmt: skip
            if args.tf_python:
                theirs = _tf_run(args.tf_python, workload, args.repeats)
                line += (f"; TF {theirs['wall_s'] * 1e3:.1f} ms wall "
                         f"{theirs['cpu_s'] * 1e3:.1f} ms CPU; ratio "
                         f"{ours['wall_s'] / theirs['wall_s']:.2f} wall "
                         f"{ours['cpu_s'] / theirs['cpu_s']:.2f} CPU")  # fmt: skip
            print(line, flush=True)
    print("loadavg", Path("/proc/loadavg").read_text().split()[:3])


if __name__ == "__main__":
    sys.exit(main())
