"""The linear canned-estimator program recorded from TF 1.15 and replayed by scopeflow.

``run(tf, estimators)`` trains each canned linear estimator for 5 steps on a small dataset
(numeric, vocabulary-list, hash-bucket and crossed columns), then evaluates and predicts; it
returns the evaluate dict, the first predictions and the variable values (rounded).
"""

from __future__ import annotations

import tempfile
from typing import Any

import numpy as np

X = np.array([[1.0, 2.0], [2.0, 1.0], [3.0, 0.0], [0.0, 3.0], [1.5, 1.5], [0.5, 2.5]], np.float32)
Y = np.array([[1.0], [0.0], [1.0], [0.0], [1.0], [0.0]], np.float32)
Y3 = np.array([[2], [0], [1], [2], [2], [1]], np.int64)  # no tie between class priors
B = [["a"], ["c"], ["a"], ["q"], ["c"], ["a"]]
C = [["u", "v"], ["w", ""], ["u", ""], ["", ""], ["v", "w"], ["x", "u"]]


def _columns(tf: Any) -> list[Any]:
    fc = tf.feature_column
    b = fc.categorical_column_with_vocabulary_list("b", ["a", "c"], num_oov_buckets=1)
    c = fc.categorical_column_with_hash_bucket("c", 5)
    return [fc.numeric_column("x", shape=2), b, c, fc.crossed_column([b, "c"], 7)]


def _input_fn(tf: Any, labels: Any = Y) -> Any:
    def input_fn() -> Any:
        feats = {"x": tf.constant(X), "b": tf.constant(B), "c": tf.constant(C)}
        return feats, tf.constant(labels)

    return input_fn


def _round(v: Any) -> Any:
    a = np.asarray(v)
    if a.dtype.kind == "f":
        return np.round(a.astype(np.float64), 5).tolist()
    if a.dtype.kind in "SOU":
        return [x.decode() if isinstance(x, bytes) else str(x) for x in a.reshape(-1)]
    return a.tolist()


def run(tf: Any, estimators: Any) -> dict[str, Any]:
    """Train/evaluate/predict the linear and baseline estimators; the results."""
    out: dict[str, Any] = {}
    runs = [(n, o) for n in ("LinearRegressor", "LinearClassifier") for o in ("Ftrl", "SGD", None)]
    runs += [
        (n, o) for n in ("BaselineRegressor", "BaselineClassifier") for o in ("Ftrl", "Adagrad")
    ]
    runs += [("LinearClassifier3", "Ftrl"), ("BaselineClassifier3", "SGD")]
    for name, opt in runs:
        cls = getattr(estimators, name.rstrip("3"))
        kwargs: dict[str, Any] = {"model_dir": tempfile.mkdtemp(), "optimizer": opt}
        labels = Y
        if name.endswith("3"):
            kwargs["n_classes"] = 3
            labels = Y3
        est = cls(**kwargs) if name.startswith("Baseline") else cls(_columns(tf), **kwargs)
        est.train(_input_fn(tf, labels), steps=5)
        metrics = est.evaluate(_input_fn(tf, labels), steps=1)
        preds = est.predict(_input_fn(tf, labels))
        first = next(preds)
        preds.close()
        key = f"{name}/{opt}"
        out[key] = {
            "evaluate": {k: _round(v) for k, v in sorted(metrics.items())},
            "predict": {k: _round(v) for k, v in sorted(first.items())},
            "variables": {v: _round(est.get_variable_value(v)) for v in est.get_variable_names()},
        }
    return out
