"""Input-pipeline overhead on a training step (issue 10), scopeflow vs TensorFlow in the same run.

The MNIST CNN of ``bench_train.py`` (Adam, batch 64) trained two ways:

* ``fed_step_ms``: inputs fed from NumPy with ``feed_dict`` each step;
* ``pipeline_step_ms``: inputs from ``Dataset.from_tensor_slices((images, labels))
  .shuffle(10000, seed=1).repeat().batch(64, drop_remainder=True)`` through
  ``make_one_shot_iterator().get_next()`` inside the same ``sess.run(train_op)``.

The issue's target: the pipeline slows the step by at most 10% (``pipeline / fed <= 1.10``).
The data set is 10,000 random 28x28x1 images.

    .venv/bin/python benchmarks/bench_input_pipeline.py --tf-python .tf-oracle/bin/python

Medians of ``--repeats`` timed steps after warm-up; ``--rounds`` alternates the two libraries.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from bench_train import _conv, _dense, _median_wall, _pool

N_EXAMPLES = 10_000


def _cnn_loss(tf: Any, x: Any, y: Any) -> Any:
    h = _pool(tf, _conv(tf, x, 5, 1, 32, "conv1"))
    h = _pool(tf, _conv(tf, h, 3, 32, 64, "conv2"))
    h = tf.reshape(h, [64, 7 * 7 * 64])
    h = _dense(tf, h, 7 * 7 * 64, 1024, "fc1", tf.nn.relu)
    h = tf.nn.dropout(h, keep_prob=0.5, seed=3)
    logits = _dense(tf, h, 1024, 10, "logits")
    return tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))


def _train_op(tf: Any, loss: Any) -> Any:
    gs = tf.train.get_or_create_global_step()
    return tf.train.AdamOptimizer(1e-3).minimize(loss, global_step=gs)


def run_all(tf: Any, repeats: int) -> dict[str, float]:
    """Both ways on one ``tf`` module: step times in milliseconds."""
    import numpy as np

    rng = np.random.RandomState(0)
    images = rng.rand(N_EXAMPLES, 28, 28, 1).astype(np.float32)
    labels = rng.randint(0, 10, N_EXAMPLES).astype(np.int64)
    out: dict[str, float] = {}
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [64, 28, 28, 1], name="x")
        y = tf.placeholder(tf.int64, [64], name="y")
        train = _train_op(tf, _cnn_loss(tf, x, y))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            batches = [
                (images[i : i + 64], labels[i : i + 64]) for i in range(0, N_EXAMPLES - 64, 64)
            ]
            state = {"i": 0}

            def fed() -> None:
                xs, ys = batches[state["i"] % len(batches)]
                state["i"] += 1
                sess.run(train, {x: xs, y: ys})

            out["fed_step_ms"] = _median_wall(fed, repeats) * 1e3
    with tf.Graph().as_default():
        ds = (
            tf.data.Dataset.from_tensor_slices((images, labels))
            .shuffle(10_000, seed=1)
            .repeat()
            .batch(64, drop_remainder=True)
        )
        xb, yb = ds.make_one_shot_iterator().get_next()
        train = _train_op(tf, _cnn_loss(tf, xb, yb))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            out["pipeline_step_ms"] = _median_wall(lambda: sess.run(train), repeats) * 1e3
    out["pipeline_over_fed"] = out["pipeline_step_ms"] / out["fed_step_ms"]
    return out


def _tf_results(tf_python: str, repeats: int) -> dict[str, float]:
    here = str(Path(__file__).parent)
    code = (
        f"import json, sys; sys.path.insert(0, {here!r}); import bench_input_pipeline as b; "
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
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=1, help="alternate scopeflow/TF rounds")
    args = parser.parse_args()

    import scopeflow.compat.v1 as sf

    for i in range(args.rounds):
        ours = run_all(sf, args.repeats)
        theirs = _tf_results(args.tf_python, args.repeats) if args.tf_python else {}
        for key, value in ours.items():
            tf_value = theirs.get(key)
            tf_text = f"{tf_value:8.3f}" if tf_value else "       -"
            print(f"round {i} {key:18s} scopeflow {value:8.3f}  TF {tf_text}")


if __name__ == "__main__":
    sys.exit(main())
