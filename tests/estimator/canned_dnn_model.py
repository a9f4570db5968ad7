"""The DNN / wide-n-deep canned-estimator program recorded from TF 1.15 and replayed by scopeflow.

``run(tf, estimators)`` trains each configuration of ``RUNS`` for 3 steps with seeded graphs
(``RunConfig(tf_random_seed=42)``), recording the training loss of every step, then evaluates
and predicts; it returns, per run, the losses, the evaluate dict, the first prediction, every
checkpoint variable (rounded) and the training graph's variable and summary op names in
creation order. ``estimators`` also carries ``regression_head`` (a canned
regression head for the ``*Estimator`` classes).

Also covers ``weight_column`` and ``label_vocabulary`` of the linear and baseline estimators.
"""

from __future__ import annotations

import tempfile
from typing import Any

import numpy as np

X = np.array([[1.0, 2.0], [2.0, 1.0], [3.0, 0.0], [0.0, 3.0], [1.5, 1.5], [0.5, 2.5]], np.float32)
Y = np.array([[1.0], [0.0], [1.0], [0.0], [1.0], [0.0]], np.float32)
Y2 = np.array([[1.0, -1.0], [0.5, 2.0], [1.0, 0.0], [0.0, 1.5], [2.0, 1.0], [0.0, 0.0]], np.float32)
Y3 = np.array([[2], [0], [1], [2], [2], [1]], np.int64)
YS = np.array([["yes"], ["no"], ["yes"], ["no"], ["yes"], ["no"]])
YS3 = np.array([["c"], ["a"], ["b"], ["c"], ["c"], ["b"]])
W = np.array([[1.0], [2.0], [0.5], [1.0], [0.0], [3.0]], np.float32)
B = [["a"], ["c"], ["a"], ["q"], ["c"], ["a"]]
C = [["u", "v"], ["w", ""], ["u", ""], ["", ""], ["v", "w"], ["x", "u"]]

# name, class, labels, kwargs key (see _kwargs)
RUNS = [
    ("DNNClassifier/default", "DNNClassifier", Y, "dnn"),
    ("DNNClassifier3/SGD-tanh", "DNNClassifier", Y3, "dnn3"),
    ("DNNRegressor/dropout-Adam", "DNNRegressor", Y, "dropout"),
    ("DNNRegressor2/batch_norm-GD", "DNNRegressor", Y2, "batch_norm"),
    ("DNNEstimator/regression_head", "DNNEstimator", Y, "dnn_head"),
    ("DNNLinearCombinedClassifier/default", "DNNLinearCombinedClassifier", Y, "wnd"),
    ("DNNLinearCombinedClassifier3/SGD", "DNNLinearCombinedClassifier", Y3, "wnd3"),
    ("DNNLinearCombinedRegressor/dnn_only", "DNNLinearCombinedRegressor", Y, "wnd_dnn"),
    ("DNNLinearCombinedRegressor/linear_only", "DNNLinearCombinedRegressor", Y, "wnd_linear"),
    ("DNNLinearCombinedEstimator/regression_head", "DNNLinearCombinedEstimator", Y, "wnd_head"),
    ("DNNClassifier/weighted", "DNNClassifier", Y, "dnn_weighted"),
    ("DNNRegressor/weighted_column", "DNNRegressor", Y, "dnn_weighted_column"),
    ("LinearClassifier/weighted", "LinearClassifier", Y, "linear_weighted"),
    ("BaselineRegressor/weighted", "BaselineRegressor", Y, "baseline_weighted"),
    ("DNNClassifier/vocabulary", "DNNClassifier", YS, "dnn_vocab"),
    ("LinearClassifier3/vocabulary", "LinearClassifier", YS3, "linear_vocab3"),
    ("BaselineClassifier/vocabulary-weighted", "BaselineClassifier", YS, "baseline_vocab"),
    ("DNNClassifier/input_partitioned", "DNNClassifier", Y, "dnn_partitioned"),
    ("DNNRegressor/mean_reduction", "DNNRegressor", Y, "dnn_mean"),
    ("DNNClassifier3/mean_reduction-weighted", "DNNClassifier", Y3, "dnn3_mean"),
    ("DNNEstimator/contrib_multi_class_head-named", "DNNEstimator", Y3, "dnn_contrib_head"),
    (
        "DNNLinearCombinedEstimator/contrib_binary_head-vocabulary",
        "DNNLinearCombinedEstimator",
        YS,
        "wnd_contrib_head",
    ),
    ("LinearEstimator/regression_head", "LinearEstimator", Y2, "linear_head"),
    ("BaselineEstimator/regression_head", "BaselineEstimator", Y, "baseline_head"),
]


def _dnn_columns(tf: Any) -> list[Any]:
    fc = tf.feature_column
    b = fc.categorical_column_with_vocabulary_list("b", ["a", "c"], num_oov_buckets=1)
    c = fc.categorical_column_with_hash_bucket("c", 5)
    x = fc.numeric_column("x", shape=2)
    return [
        x,
        fc.embedding_column(b, 3),
        fc.indicator_column(c),
        fc.bucketized_column(x, [0.5, 1.5, 2.5]),
    ]


def _linear_columns(tf: Any) -> list[Any]:
    fc = tf.feature_column
    b = fc.categorical_column_with_vocabulary_list("b", ["a", "c"], num_oov_buckets=1)
    c = fc.categorical_column_with_hash_bucket("c", 5)
    return [fc.numeric_column("x", shape=2), b, c, fc.crossed_column([b, "c"], 7)]


def _kwargs(tf: Any, estimators: Any, key: str) -> dict[str, Any]:
    dnn, linear = _dnn_columns(tf), _linear_columns(tf)
    table: dict[str, dict[str, Any]] = {
        "dnn": {"hidden_units": [4, 3], "feature_columns": dnn},
        "dnn3": {
            "hidden_units": [5],
            "feature_columns": dnn,
            "n_classes": 3,
            "optimizer": "SGD",
            "activation_fn": tf.nn.tanh,
        },
        "dropout": {
            "hidden_units": [6, 4],
            "feature_columns": dnn,
            "dropout": 0.25,
            "optimizer": lambda: tf.train.AdamOptimizer(0.01),
        },
        "batch_norm": {
            "hidden_units": [4],
            "feature_columns": dnn,
            "label_dimension": 2,
            "batch_norm": True,
            "optimizer": tf.train.GradientDescentOptimizer(0.1),
        },
        "dnn_head": {
            "head": estimators.regression_head(),
            "hidden_units": [3],
            "feature_columns": dnn,
        },
        "wnd": {
            "linear_feature_columns": linear,
            "dnn_feature_columns": dnn,
            "dnn_hidden_units": [4, 2],
        },
        "wnd3": {
            "linear_feature_columns": linear,
            "dnn_feature_columns": dnn,
            "dnn_hidden_units": [3],
            "n_classes": 3,
            "linear_optimizer": "SGD",
            "dnn_optimizer": "SGD",
        },
        "wnd_dnn": {"dnn_feature_columns": dnn, "dnn_hidden_units": [3]},
        "wnd_linear": {"linear_feature_columns": linear},
        "wnd_head": {
            "head": estimators.regression_head(),
            "linear_feature_columns": linear,
            "dnn_feature_columns": dnn,
            "dnn_hidden_units": [2],
        },
        "dnn_weighted": {"hidden_units": [3], "feature_columns": dnn, "weight_column": "w"},
        "dnn_weighted_column": {
            "hidden_units": [3],
            "feature_columns": dnn,
            "weight_column": tf.feature_column.numeric_column("w"),
        },
        "linear_weighted": {"feature_columns": linear, "weight_column": "w"},
        "baseline_weighted": {"weight_column": "w"},
        "dnn_vocab": {
            "hidden_units": [3],
            "feature_columns": dnn,
            "label_vocabulary": ["no", "yes"],
        },
        "linear_vocab3": {
            "feature_columns": linear,
            "n_classes": 3,
            "label_vocabulary": ["a", "b", "c"],
        },
        "baseline_vocab": {"label_vocabulary": ["no", "yes"], "weight_column": "w"},
        "dnn_partitioned": {
            "hidden_units": [3],
            "feature_columns": dnn,
            "input_layer_partitioner": tf.fixed_size_partitioner(2),
            "optimizer": "SGD",
        },
        "dnn_mean": {
            "hidden_units": [3],
            "feature_columns": dnn,
            "loss_reduction": tf.losses.Reduction.SUM_OVER_BATCH_SIZE,
        },
        "dnn3_mean": {
            "hidden_units": [3],
            "feature_columns": dnn,
            "n_classes": 3,
            "weight_column": "w",
            "loss_reduction": tf.losses.Reduction.SUM_BY_NONZERO_WEIGHTS,
        },
        "dnn_contrib_head": {
            "head": estimators.multi_class_head(3, weight_column="w", name="task"),
            "hidden_units": [4],
            "feature_columns": dnn,
        },
        "wnd_contrib_head": {
            "head": estimators.binary_classification_head(label_vocabulary=["no", "yes"]),
            "linear_feature_columns": linear,
            "dnn_feature_columns": dnn,
            "dnn_hidden_units": [3],
        },
        "linear_head": {
            "head": estimators.regression_head(label_dimension=2, weight_column="w"),
            "feature_columns": linear,
        },
        "baseline_head": {"head": estimators.regression_head(), "optimizer": "SGD"},
    }
    return table[key]


def _input_fn(tf: Any, labels: Any) -> Any:
    def input_fn() -> Any:
        feats = {
            "x": tf.constant(X),
            "b": tf.constant(B),
            "c": tf.constant(C),
            "w": tf.constant(W),
        }
        return feats, tf.constant(labels)

    return input_fn


def _round(v: Any) -> Any:
    a = np.asarray(v)
    if a.dtype.kind == "f":
        return np.round(a.astype(np.float64), 5).tolist()
    if a.dtype.kind in "SOU":
        return [x.decode() if isinstance(x, bytes) else str(x) for x in a.reshape(-1)]
    return a.tolist()


def _recording_hook(tf: Any, losses: list[float], names: dict[str, list[str]]) -> Any:
    """Records the training loss of each step, and the variable and summary op names."""

    class RecordingHook(tf.train.SessionRunHook):
        def begin(self) -> None:
            graph = tf.get_default_graph()
            ops = graph.get_operations()
            loss = [
                o
                for o in ops
                if o.type == "ScalarSummary" and (o.name == "loss" or o.name.startswith("loss/"))
            ]
            self._loss = loss[0].inputs[1]
            names["variables"] = [o.name for o in ops if o.type in ("VariableV2", "VarHandleOp")]
            names["summaries"] = [
                o.name for o in ops if o.type in ("ScalarSummary", "HistogramSummary")
            ]

        def before_run(self, run_context: Any) -> Any:
            return tf.train.SessionRunArgs(self._loss)

        def after_run(self, run_context: Any, run_values: Any) -> None:
            losses.append(round(float(run_values.results), 5))

    return RecordingHook()


def run(tf: Any, estimators: Any, only: Any = None) -> dict[str, Any]:
    """Train/evaluate/predict every run of ``RUNS`` (or the names in ``only``); the results."""
    out: dict[str, Any] = {}
    for name, cls_name, labels, key in RUNS:
        if only is not None and name not in only:
            continue
        model_dir = tempfile.mkdtemp()
        est = getattr(estimators, cls_name)(
            model_dir=model_dir,
            config=tf.estimator.RunConfig(tf_random_seed=42),
            **_kwargs(tf, estimators, key),
        )
        losses: list[float] = []
        names: dict[str, list[str]] = {}
        est.train(_input_fn(tf, labels), steps=3, hooks=[_recording_hook(tf, losses, names)])
        metrics = est.evaluate(_input_fn(tf, labels), steps=1)
        preds = est.predict(_input_fn(tf, labels))
        first = next(preds)
        preds.close()
        out[name] = {
            "losses": losses,
            "evaluate": {k: _round(v) for k, v in sorted(metrics.items())},
            "predict": {k: _round(v) for k, v in sorted(first.items())},
            "variables": {v: _round(est.get_variable_value(v)) for v in est.get_variable_names()},
            "graph": names,
        }
    return out


def _spec_entry(spec: Any) -> list[Any]:
    entry: list[Any] = [type(spec).__name__]
    for field in ("shape", "dtype", "default_value"):
        value = getattr(spec, field, None)
        if field == "dtype":
            value = value.name
        elif field == "shape" and value is not None:
            value = list(value)
        elif field == "default_value" and value is not None:
            value = _round(value)
        entry.append(value)
    return entry


def parse_specs(tf: Any, classifier_spec: Any, regressor_spec: Any) -> dict[str, Any]:
    """``classifier_parse_example_spec`` / ``regressor_parse_example_spec`` of a few columns."""
    fc = tf.feature_column
    cols = [*_dnn_columns(tf), fc.numeric_column("n", default_value=0.5)]
    cases = {
        "classifier": classifier_spec(cols, label_key="y"),
        "classifier_weighted": classifier_spec(
            cols, "y", label_dtype=tf.string, label_default="no", weight_column="w"
        ),
        "regressor": regressor_spec(cols, label_key="y", label_dimension=3),
        "regressor_weighted": regressor_spec(
            cols, "y", label_default=0.0, weight_column=fc.numeric_column("w", shape=2)
        ),
    }
    return {
        name: {k: _spec_entry(v) for k, v in sorted(spec.items())} for name, spec in cases.items()
    }
