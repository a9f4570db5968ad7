"""An unmodified TF1 Estimator program (``import tensorflow as tf``) run by ``scopeflow run``."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

SRC = str(Path(__file__).resolve().parents[2] / "src")

SCRIPT = """
import os

import numpy as np
import tensorflow as tf
import tensorflow_estimator as tfe
from tensorflow.python.estimator import estimator as estimator_lib
from tensorflow.python.estimator.inputs import numpy_io
from tensorflow_estimator.python.estimator import early_stopping

tf.logging.set_verbosity(tf.logging.INFO)
flags = tf.app.flags
flags.DEFINE_string("model_dir", None, "Where checkpoints go.")
flags.DEFINE_integer("max_steps", 60, "Training steps.")
FLAGS = flags.FLAGS


def model_fn(features, labels, mode, params):
    net = tf.layers.dense(features["x"], 8, activation=tf.nn.relu)
    logits = tf.layers.dense(net, 2)
    predictions = {"classes": tf.argmax(logits, 1), "probabilities": tf.nn.softmax(logits)}
    if mode == tf.estimator.ModeKeys.PREDICT:
        return tf.estimator.EstimatorSpec(mode, predictions=predictions)
    loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
    if mode == tf.estimator.ModeKeys.TRAIN:
        opt = tf.train.AdamOptimizer(params["learning_rate"])
        train_op = opt.minimize(loss, global_step=tf.train.get_global_step())
        return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)
    metrics = {"accuracy": tf.metrics.accuracy(labels, predictions["classes"])}
    return tf.estimator.EstimatorSpec(mode, loss=loss, eval_metric_ops=metrics)


def main(_):
    rng = np.random.RandomState(0)
    x = rng.randn(128, 2).astype(np.float32)
    y = (x[:, 0] + x[:, 1] > 0).astype(np.int32)
    config = tf.estimator.RunConfig(tf_random_seed=1, save_checkpoints_steps=20)
    est = tf.estimator.Estimator(
        model_fn, FLAGS.model_dir, config=config, params={"learning_rate": 0.05})
    train_input = tf.estimator.inputs.numpy_input_fn(
        {"x": x}, y, batch_size=16, num_epochs=None, shuffle=True)
    eval_input = numpy_io.numpy_input_fn({"x": x}, y, batch_size=32, shuffle=False)
    stop = early_stopping.stop_if_higher_hook(est, "accuracy", 1.5, run_every_secs=None,
                                              run_every_steps=10)
    metrics, _ = tf.estimator.train_and_evaluate(
        est,
        tf.estimator.TrainSpec(train_input, max_steps=FLAGS.max_steps, hooks=[stop]),
        tf.estimator.EvalSpec(eval_input, steps=None, throttle_secs=0))
    print("global_step", metrics["global_step"], "accurate", metrics["accuracy"] > 0.85)
    preds = list(est.predict(tf.estimator.inputs.numpy_input_fn({"x": x[:5]}, shuffle=False)))
    print(len(preds), sorted(preds[0]), preds[0]["probabilities"].shape)
    print(isinstance(est, estimator_lib.Estimator), tfe.estimator.RunConfig is type(config))
    print(sorted(n for n in os.listdir(FLAGS.model_dir) if not n.startswith("events.")))
    print(sorted(os.listdir(os.path.join(FLAGS.model_dir, "eval")))[0][:20])
    try:
        tf.estimator.BoostedTreesClassifier
    except AttributeError as e:
        print("no", e)


if __name__ == "__main__":
    tf.app.run()
"""


@pytest.mark.slow
def test_tf1_estimator_script_runs_unmodified(tmp_path):
    script = tmp_path / "train.py"
    script.write_text(textwrap.dedent(SCRIPT), encoding="utf-8")
    model_dir = tmp_path / "model"
    out = subprocess.run(
        [sys.executable, "-m", "scopeflow", "run", str(script), f"--model_dir={model_dir}"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=dict(os.environ, PYTHONPATH=SRC),
        cwd=tmp_path,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    lines = out.stdout.splitlines()
    assert lines[0] == "global_step 60 accurate True"
    assert lines[1] == "5 ['classes', 'probabilities'] (2,)"
    assert lines[2] == "True True"
    files = [
        f"model.ckpt-{n}.{ext}"
        for n in (0, 20, 40, 60)
        for ext in ("data-00000-of-00001", "index", "meta")
    ]
    assert lines[3] == str(sorted(["checkpoint", "eval", "graph.pbtxt", *files]))
    assert lines[4] == "events.out.tfevents."
    assert lines[5] == "no scopeflow does not implement tf.estimator.BoostedTreesClassifier."
    assert "Saving dict for global step 60" in out.stderr
