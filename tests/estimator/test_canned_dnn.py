"""Canned DNN and wide-n-deep estimators against TF 1.15's.

Recorded by ``tools/record_canned_dnn.py`` (TF 1.15's ``tensorflow_estimator`` source on the TF
oracle). The same program (``canned_dnn_model.py``) trains each configuration for 3 seeded
steps, evaluates and predicts: the per-step training losses, metric dicts, predictions, every
checkpoint variable (TF's names, including the ``t_0`` optimizer slots TF's slot naming gives
partitioned layers) and the variable/summary op names in creation order must match TF 1.15's.
Also covers ``weight_column`` and ``label_vocabulary`` of the linear and baseline estimators.
"""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path

import numpy as np
import pytest

import scopeflow.compat.v1 as tf
from scopeflow.estimator.canned._head import RegressionHead

HERE = Path(__file__).parent
GOLDEN = json.loads((HERE / "fixtures" / "canned_dnn.json").read_text(encoding="utf-8"))
sys.path.insert(0, str(HERE))
import canned_dnn_model  # noqa: E402


def _estimators() -> types.SimpleNamespace:
    names = {n for _, n, _, _ in canned_dnn_model.RUNS}
    ns = types.SimpleNamespace(**{n: getattr(tf.estimator, n) for n in names})
    ns.regression_head = RegressionHead
    ns.multi_class_head = tf.contrib.estimator.multi_class_head
    ns.binary_classification_head = tf.contrib.estimator.binary_classification_head
    return ns


def _close(a: object, b: object, path: str) -> None:
    if isinstance(a, dict):
        assert isinstance(b, dict), path
        assert sorted(a) == sorted(b), f"{path}: keys {sorted(b)} != TF's {sorted(a)}"
        for k in a:
            _close(a[k], b[k], f"{path}/{k}")
    elif isinstance(a, list) and a and isinstance(a[0], str):
        assert a == b, path
    else:
        np.testing.assert_allclose(
            np.asarray(b, float), np.asarray(a, float), rtol=2e-4, atol=2e-5, err_msg=path
        )


@pytest.mark.slow
@pytest.mark.parametrize("run", sorted(GOLDEN))
def test_canned_dnn_matches_tf115(run: str) -> None:
    result = canned_dnn_model.run(tf, _estimators(), only=[run])[run]
    assert result["graph"] == GOLDEN[run]["graph"]
    _close(GOLDEN[run], result, run)


def _train(est: object, labels: object, features: dict | None = None) -> None:
    def input_fn() -> object:
        feats = {"x": [[1.0], [2.0]], "w": [[1.0], [2.0]]} if features is None else features
        return {k: tf.constant(v) for k, v in feats.items()}, tf.constant(labels)

    est.train(input_fn, steps=1)  # type: ignore[attr-defined]


def test_label_dtype_errors(tmp_path: Path) -> None:
    cols = [tf.feature_column.numeric_column("x")]
    est = tf.estimator.DNNClassifier([2], cols, n_classes=3, model_dir=str(tmp_path / "a"))
    with pytest.raises(ValueError, match=r"Labels dtype should be integer\. Instead got"):
        _train(est, [["a"], ["b"]])
    est = tf.estimator.DNNClassifier(
        [2], cols, n_classes=3, label_vocabulary=["a", "b", "c"], model_dir=str(tmp_path / "b")
    )
    with pytest.raises(ValueError, match="Labels dtype should be string if there is a vocab"):
        _train(est, [[0], [1]])
    est = tf.estimator.DNNClassifier(
        [2], cols, label_vocabulary=["a", "b"], model_dir=str(tmp_path / "c")
    )
    with pytest.raises(TypeError, match=r"Signature mismatch\. Keys must be dtype"):
        _train(est, [[0], [1]])


def test_weight_column_type_error(tmp_path: Path) -> None:
    cols = [tf.feature_column.numeric_column("x")]
    bucket = tf.feature_column.categorical_column_with_identity("w", 3)
    est = tf.estimator.DNNRegressor([2], cols, weight_column=bucket, model_dir=str(tmp_path))
    with pytest.raises(TypeError, match="Weight column must be either a string or _NumericColumn"):
        _train(est, [[0.0], [1.0]])


def test_combined_needs_columns() -> None:
    with pytest.raises(ValueError, match="Either linear_feature_columns or dnn_feature_columns"):
        tf.estimator.DNNLinearCombinedRegressor()
    cols = [tf.feature_column.numeric_column("x")]
    est = tf.estimator.DNNLinearCombinedRegressor(dnn_feature_columns=cols)
    with pytest.raises(ValueError, match="dnn_hidden_units must be defined"):
        _train(est, [[0.0], [1.0]])


def test_parse_example_specs_match_tf115() -> None:
    golden = json.loads((HERE / "fixtures" / "canned_parse_spec.json").read_text("utf-8"))
    specs = canned_dnn_model.parse_specs(
        tf,
        tf.estimator.classifier_parse_example_spec,
        tf.estimator.regressor_parse_example_spec,
    )
    assert specs == golden


def test_parse_example_spec_errors() -> None:
    cols = [tf.feature_column.numeric_column("x")]
    with pytest.raises(ValueError, match="label should not be used as feature"):
        tf.estimator.classifier_parse_example_spec(cols, label_key="x")
    with pytest.raises(ValueError, match="weight_column should not be used as feature"):
        tf.estimator.regressor_parse_example_spec(cols, label_key="y", weight_column="x")
    with pytest.raises(ValueError, match="weight_column should be an instance of"):
        tf.estimator.regressor_parse_example_spec(cols, label_key="y", weight_column=3)


def test_warm_start_from_partitioned_dnn(tmp_path: Path) -> None:
    """``warm_start_from`` restores the partitioned ``dnn/...`` layers (regex-selected)."""
    b = tf.feature_column.categorical_column_with_vocabulary_list("b", ["a", "c"])
    cols = [tf.feature_column.numeric_column("x"), tf.feature_column.embedding_column(b, 2)]
    feats = {"x": [[1.0], [2.0]], "b": [["a"], ["c"]]}
    first = tf.estimator.DNNClassifier([3], cols, model_dir=str(tmp_path / "a"))
    _train(first, [[1], [0]], feats)
    settings = tf.estimator.WarmStartSettings(str(tmp_path / "a"), vars_to_warm_start=".*hidden")
    second = tf.estimator.DNNClassifier(
        [3],
        cols,
        model_dir=str(tmp_path / "b"),
        optimizer=tf.train.GradientDescentOptimizer(0.0),
        warm_start_from=settings,
    )
    _train(second, [[1], [0]], feats)
    for name in ("dnn/hiddenlayer_0/kernel", "dnn/hiddenlayer_0/bias"):
        np.testing.assert_array_equal(
            second.get_variable_value(name), first.get_variable_value(name)
        )
    assert not np.array_equal(
        second.get_variable_value("dnn/logits/kernel"),
        first.get_variable_value("dnn/logits/kernel"),
    )


@pytest.mark.parametrize("n_classes", [2, 3])
def test_invalid_loss_reduction(n_classes: int) -> None:
    cols = [tf.feature_column.numeric_column("x")]
    with pytest.raises(ValueError, match="Invalid loss_reduction: none"):
        tf.estimator.DNNClassifier([2], cols, n_classes=n_classes, loss_reduction="none")
    with pytest.raises(ValueError, match="Invalid loss_reduction: bad"):
        tf.estimator.DNNRegressor([2], cols, loss_reduction="bad")


def test_logit_fn_builders_build_the_canned_networks() -> None:
    """Names as TF 1.15's builders give them (checked once on the TF oracle with this code)."""
    b = tf.feature_column.categorical_column_with_vocabulary_list("b", ["a", "c"])
    cols = [tf.feature_column.numeric_column("x"), tf.feature_column.embedding_column(b, 2)]
    feats = {"x": tf.ones([2, 1]), "b": tf.constant([["a"], ["c"]])}
    dnn_fn = tf.estimator.experimental.dnn_logit_fn_builder(
        3, [4], cols, tf.nn.relu, None, None, False
    )
    with tf.variable_scope("dnn"):
        logits = dnn_fn(feats, tf.estimator.ModeKeys.TRAIN)
    linear_fn = tf.estimator.experimental.linear_logit_fn_builder(3, [b])
    with tf.variable_scope("linear"):
        linear = linear_fn(feats)
    assert logits.shape.as_list() == [2, 3]
    assert linear.shape.as_list() == [2, 3]
    assert [v.op.name for v in tf.global_variables()] == [
        "dnn/input_from_feature_columns/input_layer/b_embedding/embedding_weights",
        "dnn/hiddenlayer_0/kernel",
        "dnn/hiddenlayer_0/bias",
        "dnn/logits/kernel",
        "dnn/logits/bias",
        "linear/linear_model/b/weights",
        "linear/linear_model/bias_weights",
    ]
    summaries = [s.op.name for s in tf.get_collection(tf.GraphKeys.SUMMARIES)]
    assert summaries == [
        "dnn/dnn/hiddenlayer_0/fraction_of_zero_values",
        "dnn/dnn/hiddenlayer_0/activation",
        "dnn/dnn/logits/fraction_of_zero_values",
        "dnn/dnn/logits/activation",
        "linear/bias",
        "linear/fraction_of_zero_weights",
    ]
