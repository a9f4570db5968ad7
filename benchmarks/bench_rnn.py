"""Benchmark a training step of ``dynamic_rnn`` models: scopeflow against TensorFlow.

Two workloads (the targets of issue 9), each one training step = forward, ``tf.gradients`` of
a softmax cross-entropy loss and a plain SGD update (``assign_sub``) of every variable:

* ``lstm128``: ``dynamic_rnn`` over ``LSTMCell(128)``, 28 steps of 28 features, batch 64, and a
  dense layer to 10 classes (the MNIST-rows classifier);
* ``lm2x256``: a 2-layer ``MultiRNNCell`` of ``LSTMCell(256)`` language model, 35 steps, batch
  20, embeddings and softmax over a 10,000-word vocabulary (PTB-small shaped);
* ``cudnn2x256`` (not in the default set): the same language model on
  ``tf.contrib.cudnn_rnn.CudnnLSTM(2, 256)`` in scopeflow, against TF's CPU replacement for it
  (``CudnnCompatibleLSTMCell`` math, i.e. ``LSTMCell(forget_bias=0)``, in ``dynamic_rnn``):
  TF has no CPU kernel for ``CudnnLSTM``.

The same model code is built with ``scopeflow.compat.v1`` here and with ``tensorflow.compat.v1``
in a subprocess (``--tf-python``); the median of ``--repeats`` steps after warm-up is reported.
Usage::

    .venv/bin/python benchmarks/bench_rnn.py --tf-python .tf-oracle/bin/python
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

MODEL = textwrap.dedent(
    """
    import json, statistics, sys, time
    import numpy as np

    def lstm128(tf):
        x = tf.placeholder(tf.float32, [64, 28, 28])
        y = tf.placeholder(tf.int32, [64])
        out, _ = tf.nn.dynamic_rnn(tf.nn.rnn_cell.LSTMCell(128), x, dtype=tf.float32)
        w = tf.get_variable("w", [128, 10])
        b = tf.get_variable("b", [10], initializer=tf.zeros_initializer())
        logits = tf.matmul(out[:, -1], w) + b
        loss = tf.reduce_mean(
            tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
        rng = np.random.RandomState(0)
        feed = {x: rng.randn(64, 28, 28).astype(np.float32), y: rng.randint(0, 10, 64)}
        return loss, feed

    def lm2x256(tf):
        vocab, steps, batch, units = 10000, 35, 20, 256
        ids = tf.placeholder(tf.int32, [batch, steps])
        tgt = tf.placeholder(tf.int32, [batch, steps])
        emb = tf.get_variable("embedding", [vocab, units])
        inp = tf.nn.embedding_lookup(emb, ids)
        cell = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.LSTMCell(units) for _ in range(2)])
        out, _ = tf.nn.dynamic_rnn(cell, inp, dtype=tf.float32)
        w = tf.get_variable("softmax_w", [units, vocab])
        b = tf.get_variable("softmax_b", [vocab], initializer=tf.zeros_initializer())
        logits = tf.matmul(tf.reshape(out, [-1, units]), w) + b
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=tf.reshape(tgt, [-1]), logits=logits))
        rng = np.random.RandomState(0)
        feed = {ids: rng.randint(0, vocab, (batch, steps)),
                tgt: rng.randint(0, vocab, (batch, steps))}
        return loss, feed

    def cudnn2x256(tf):
        # scopeflow: tf.contrib.cudnn_rnn.CudnnLSTM (one CudnnRNN op). TF has no CPU kernel for
        # it, so TF runs its CPU replacement: CudnnCompatibleLSTMCell's math (LSTMCell with
        # forget_bias=0) in a MultiRNNCell under a time-major dynamic_rnn.
        vocab, steps, batch, units = 10000, 35, 20, 256
        ids = tf.placeholder(tf.int32, [steps, batch])
        tgt = tf.placeholder(tf.int32, [steps, batch])
        emb = tf.get_variable("embedding", [vocab, units])
        inp = tf.nn.embedding_lookup(emb, ids)
        contrib = getattr(tf, "contrib", None)
        if contrib is not None and hasattr(contrib, "cudnn_rnn"):
            out, _ = contrib.cudnn_rnn.CudnnLSTM(2, units)(inp)
        else:
            cells = [tf.nn.rnn_cell.LSTMCell(units, forget_bias=0.0) for _ in range(2)]
            out, _ = tf.nn.dynamic_rnn(tf.nn.rnn_cell.MultiRNNCell(cells), inp,
                                       dtype=tf.float32, time_major=True)
        w = tf.get_variable("softmax_w", [units, vocab])
        b = tf.get_variable("softmax_b", [vocab], initializer=tf.zeros_initializer())
        logits = tf.matmul(tf.reshape(out, [-1, units]), w) + b
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=tf.reshape(tgt, [-1]), logits=logits))
        rng = np.random.RandomState(0)
        feed = {ids: rng.randint(0, vocab, (steps, batch)),
                tgt: rng.randint(0, vocab, (steps, batch))}
        return loss, feed

    def run(tf, name, repeats):
        g = tf.Graph()
        with g.as_default():
            tf.set_random_seed(0)
            loss, feed = {"lstm128": lstm128, "lm2x256": lm2x256,
                          "cudnn2x256": cudnn2x256}[name](tf)
            tvars = tf.trainable_variables()
            grads = tf.gradients(loss, tvars)
            train = tf.group(*[tf.assign_sub(v, 0.01 * tf.convert_to_tensor(gr))
                           for v, gr in zip(tvars, grads)])
            sess = tf.Session(graph=g)
            sess.run(tf.global_variables_initializer())
            for _ in range(3):
                sess.run([train, loss], feed)
            times = []
            for _ in range(repeats):
                t = time.perf_counter()
                sess.run([train, loss], feed)
                times.append(time.perf_counter() - t)
        return statistics.median(times)
    """
)

TF_MAIN = textwrap.dedent(
    """
    import os
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    os.environ["TF_USE_LEGACY_KERAS"] = "1"
    import tensorflow.compat.v1 as tf
    tf.disable_eager_execution(); tf.disable_resource_variables(); tf.disable_v2_behavior()
    names, repeats = sys.argv[1].split(","), int(sys.argv[2])
    print(json.dumps({n: run(tf, n, repeats) for n in names}))
    """
)


def main() -> None:
    """Runs the workloads and prints a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tf-python", help="python of a virtualenv with tensorflow installed")
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--workloads", default="lstm128,lm2x256")
    args = parser.parse_args()
    names = args.workloads.split(",")
    sys.path.insert(0, str(REPO / "src"))
    import scopeflow.compat.v1 as sf

    scope: dict[str, object] = {}
    exec(MODEL, scope)
    ours = {n: scope["run"](sf, n, args.repeats) for n in names}  # type: ignore[operator]
    theirs: dict[str, float] = {}
    if args.tf_python:
        out = subprocess.run(
            [args.tf_python, "-c", MODEL + TF_MAIN, ",".join(names), str(args.repeats)],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if out.returncode:
            raise RuntimeError(f"TensorFlow run failed:\n{out.stderr[-3000:]}")
        theirs = json.loads(out.stdout.strip().splitlines()[-1])
    print("| workload | scopeflow | TensorFlow | ratio |")
    print("|---|---|---|---|")
    for n in names:
        tf_t = theirs.get(n)
        ratio = f"{ours[n] / tf_t:.2f}" if tf_t else "-"
        tf_s = f"{tf_t * 1e3:.1f} ms" if tf_t else "-"
        print(f"| {n} | {ours[n] * 1e3:.1f} ms | {tf_s} | {ratio} |")


if __name__ == "__main__":
    main()
