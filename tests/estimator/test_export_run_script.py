"""An unmodified TF1 export-and-serve program (``import tensorflow as tf``) via ``scopeflow run``.

It follows what TF 1.15 users wrote: ``train_and_evaluate`` with a ``LatestExporter`` whose
serving input parses text rows, ``export_savedmodel`` of a canned ``LinearClassifier`` through a
``tf.Example`` parsing receiver, then serving both exports with ``tf.contrib.predictor``.
"""

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
from tensorflow.python.estimator.export import export_lib

FEATURES = ["a", "b"]


def model_fn(features, labels, mode):
    x = tf.stack([features[k] for k in FEATURES], axis=1)
    logits = tf.layers.dense(x, 2, kernel_initializer=tf.zeros_initializer())
    predictions = {"class": tf.argmax(logits, 1), "probs": tf.nn.softmax(logits)}
    if mode == tf.estimator.ModeKeys.PREDICT:
        return tf.estimator.EstimatorSpec(mode, predictions=predictions, export_outputs={
            "predict": tf.estimator.export.PredictOutput(predictions)})
    loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
    train_op = tf.train.GradientDescentOptimizer(0.5).minimize(
        loss, global_step=tf.train.get_global_step())
    return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)


def text_serving_input_fn():
    rows = tf.placeholder(dtype=tf.string, shape=[None], name="rows")
    values = tf.string_to_number(tf.sparse_tensor_to_dense(tf.string_split(rows, ","), "0"))
    return tf.estimator.export.ServingInputReceiver(
        {"a": values[:, 0], "b": values[:, 1]}, {"rows": rows})


def main(_):
    rng = np.random.RandomState(0)
    x = rng.randn(64, 2).astype(np.float32)
    y = (x[:, 0] > x[:, 1]).astype(np.int32)
    train_fn = tf.estimator.inputs.numpy_input_fn(
        {"a": x[:, 0], "b": x[:, 1]}, y, batch_size=16, num_epochs=None, shuffle=False)
    eval_fn = tf.estimator.inputs.numpy_input_fn(
        {"a": x[:, 0], "b": x[:, 1]}, y, batch_size=64, shuffle=False)
    model_dir = os.path.abspath("model")
    est = tf.estimator.Estimator(model_fn, model_dir,
                                 config=tf.estimator.RunConfig(save_checkpoints_steps=20))
    exporter = tf.estimator.LatestExporter(
        "estimate", serving_input_receiver_fn=text_serving_input_fn, exports_to_keep=1,
        as_text=True)
    tf.estimator.train_and_evaluate(est, tf.estimator.TrainSpec(train_fn, max_steps=40),
                                    tf.estimator.EvalSpec(eval_fn, steps=None, exporters=[exporter],
                                                          throttle_secs=0))
    export_dir = os.path.join(model_dir, "export", "estimate")
    versions = os.listdir(export_dir)
    saved_model_dir = os.path.join(export_dir, versions[-1])
    print(len(versions), sorted(os.listdir(saved_model_dir)))
    predictor_fn = tf.contrib.predictor.from_saved_model(
        export_dir=saved_model_dir, signature_def_key="predict")
    output = predictor_fn({"rows": ["2.0,-1.0", "-3.0,1.0"]})
    print(sorted(output), output["class"].tolist())

    columns = [tf.feature_column.numeric_column(k) for k in FEATURES]
    linear = tf.estimator.LinearClassifier(columns, model_dir=os.path.abspath("linear"))
    linear.train(train_fn, steps=20)
    spec = tf.feature_column.make_parse_example_spec(columns)
    path = linear.export_savedmodel(
        "linear_export", export_lib.build_parsing_serving_input_receiver_fn(spec))
    predict = tf.contrib.predictor.from_saved_model(path.decode())
    examples = []
    for a, b in [(2.0, -1.0), (-3.0, 1.0)]:
        ex = tf.train.Example()
        ex.features.feature["a"].float_list.value.append(a)
        ex.features.feature["b"].float_list.value.append(b)
        examples.append(ex.SerializeToString())
    out = predict({"inputs": examples})
    print(sorted(out), out["classes"].tolist(), out["scores"].shape)


if __name__ == "__main__":
    tf.app.run()
"""


@pytest.mark.slow
def test_tf1_export_script_runs_unmodified(tmp_path: Path) -> None:
    script = tmp_path / "export.py"
    script.write_text(textwrap.dedent(SCRIPT), encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "scopeflow", "run", str(script)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=dict(os.environ, PYTHONPATH=SRC),
        cwd=tmp_path,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    lines = out.stdout.splitlines()
    assert lines[0] == "1 ['assets', 'saved_model.pbtxt', 'variables']" or lines[0] == (
        "1 ['saved_model.pbtxt', 'variables']"
    ), lines
    assert lines[1] == "['class', 'probs'] [1, 0]", lines
    assert lines[2] == "['classes', 'scores'] [[b'0', b'1'], [b'0', b'1']] (2, 2)", lines
