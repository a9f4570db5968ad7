"""A TF1 canned-estimator program (``import tensorflow as tf``) run by ``scopeflow run``.

The program follows TF's "premade estimator" getting-started pattern (a ``DNNClassifier`` over
numeric columns fed by ``tf.data``, then evaluate and predict) and also imports the wide-n-deep
estimator through ``tensorflow_estimator``'s private module path.
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
import numpy as np
import tensorflow as tf
from tensorflow_estimator.python.estimator.canned import dnn_linear_combined

NAMES = ["a", "b", "c", "d"]


def data(n, seed):
    rng = np.random.RandomState(seed)
    y = rng.randint(0, 3, size=n)
    x = rng.randn(n, 4).astype(np.float32) * 0.3 + y[:, None].astype(np.float32)
    return {k: x[:, i] for i, k in enumerate(NAMES)}, y


def train_input_fn(features, labels, batch_size):
    ds = tf.data.Dataset.from_tensor_slices((dict(features), labels))
    return ds.shuffle(1000).repeat().batch(batch_size).make_one_shot_iterator().get_next()


def eval_input_fn(features, labels, batch_size):
    inputs = dict(features) if labels is None else (dict(features), labels)
    ds = tf.data.Dataset.from_tensor_slices(inputs).batch(batch_size)
    return ds.make_one_shot_iterator().get_next()


def main(_):
    (train_x, train_y), (test_x, test_y) = data(300, 0), data(60, 1)
    columns = [tf.feature_column.numeric_column(key=k) for k in NAMES]
    classifier = tf.estimator.DNNClassifier(
        feature_columns=columns, hidden_units=[10, 10], n_classes=3,
        config=tf.estimator.RunConfig(tf_random_seed=3))
    classifier.train(input_fn=lambda: train_input_fn(train_x, train_y, 32), steps=150)
    result = classifier.evaluate(input_fn=lambda: eval_input_fn(test_x, test_y, 32))
    print("accuracy>0.9", result["accuracy"] > 0.9, "steps", result["global_step"])
    predict_x = {"a": [0.0, 1.0, 2.0], "b": [0.0, 1.0, 2.0], "c": [0.1, 0.9, 2.1],
                 "d": [-0.1, 1.1, 1.9]}
    preds = classifier.predict(input_fn=lambda: eval_input_fn(predict_x, None, 32))
    print([int(p["class_ids"][0]) for p in preds])
    print(dnn_linear_combined.DNNLinearCombinedClassifier is
          tf.estimator.DNNLinearCombinedClassifier)


if __name__ == "__main__":
    tf.app.run(main)
"""


@pytest.mark.slow
def test_premade_dnn_script_runs_unmodified(tmp_path: Path) -> None:
    script = tmp_path / "premade.py"
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
    assert out.stdout.splitlines() == ["accuracy>0.9 True steps 150", "[0, 1, 2]", "True"]
