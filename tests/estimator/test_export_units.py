"""Estimator export details that the TF 1.15 recording does not reach: export directory names,
signature exclusion, export errors, warm-start export, exporter garbage collection and the
``BestExporter``'s best result read back from event files. Messages are TF 1.15's
(``tensorflow_estimator`` v1.15.0 and core ``saved_model/model_utils``)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import scopeflow.compat.v1 as tf
from scopeflow.estimator.exporter import _garbage_collect_exports
from scopeflow.saved_model.model_utils import export_utils

X = np.array([[1.0, 2.0], [2.0, 1.0], [3.0, 0.0], [0.0, 3.0]], np.float32)
Y = X[:, :1] - X[:, 1:]


def _model_fn(features: Any, labels: Any, mode: str) -> Any:
    x = features["x"] if isinstance(features, dict) else features
    w = tf.get_variable("w", [2, 1], initializer=tf.zeros_initializer())
    y = tf.matmul(x, w, name="y")
    if mode == tf.estimator.ModeKeys.PREDICT:
        return tf.estimator.EstimatorSpec(mode, predictions={"y": y})
    loss = tf.losses.mean_squared_error(labels, y)
    train_op = tf.train.GradientDescentOptimizer(0.1).minimize(
        loss, global_step=tf.train.get_global_step()
    )
    return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)


def _input_fn() -> Any:
    return {"x": tf.constant(X)}, tf.constant(Y)


def _raw_fn() -> Any:
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    return tf.estimator.export.ServingInputReceiver({"x": x}, {"x": x})


def _trained(tmp_path: Path, steps: int = 2) -> Any:
    est = tf.estimator.Estimator(_model_fn, model_dir=str(tmp_path / "model"))
    est.train(_input_fn, steps=steps)
    return est


def test_timestamped_export_dir_waits_for_a_free_second(tmp_path: Path, monkeypatch: Any) -> None:
    clock = iter([1500000000, 1500000000, 1500000001])
    sleeps: list[float] = []
    monkeypatch.setattr(export_utils.time, "time", lambda: next(clock))
    monkeypatch.setattr(export_utils.time, "sleep", sleeps.append)
    (tmp_path / "1500000000").mkdir()
    got = export_utils.get_timestamped_export_dir(str(tmp_path))
    assert got == os.fsencode(tmp_path / "1500000001")
    assert sleeps == [1]
    assert export_utils.get_temp_export_dir(got) == os.fsencode(tmp_path / "temp-1500000001")


def test_timestamped_export_dir_gives_up(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setattr(export_utils.time, "time", lambda: 1500000000)
    monkeypatch.setattr(export_utils.time, "sleep", lambda s: None)
    (tmp_path / "1500000000").mkdir()
    with pytest.raises(RuntimeError, match="after 10 attempts"):
        export_utils.get_timestamped_export_dir(str(tmp_path))


def test_signatures_that_cannot_serve_are_left_out() -> None:
    f = tf.placeholder(tf.float32, [None, 2], name="f")
    s = tf.placeholder(tf.string, [None], name="s")
    outputs = {
        "serving_default": tf.estimator.export.RegressionOutput(tf.reduce_sum(f, 1)),
        "p": tf.estimator.export.PredictOutput(f),
    }
    assert sorted(export_utils.build_all_signature_defs({"f": f}, outputs)) == ["p"]
    sigs = export_utils.build_all_signature_defs(s, outputs, {"alt": f, "two": {"a": s}})
    assert sorted(sigs) == ["alt:p", "p", "serving_default", "two:p", "two:serving_default"]
    assert list(sigs["p"].inputs) == ["input"]
    with pytest.raises(ValueError, match="export_outputs must be a dict"):
        export_utils.build_all_signature_defs(s, [outputs["p"]])


def test_export_errors(tmp_path: Path) -> None:
    est = tf.estimator.Estimator(_model_fn, model_dir=str(tmp_path / "empty"))
    with pytest.raises(ValueError, match="Couldn't find trained model at"):
        est.export_saved_model(str(tmp_path / "e"), _raw_fn)
    est = _trained(tmp_path)
    with pytest.raises(ValueError, match="An input_receiver_fn must be defined"):
        est.export_saved_model(str(tmp_path / "e"), None)
    with pytest.raises(ValueError, match="An input_receiver_fn must be defined"):
        est.export_savedmodel(str(tmp_path / "e"), None)
    with pytest.raises(ValueError, match="No valid modes for exporting found"):
        est.experimental_export_all_saved_models(str(tmp_path / "e"), {})

    def bigger_model_fn(features: Any, labels: Any, mode: str) -> Any:
        tf.get_variable("extra", [1])
        return _model_fn(features, labels, mode)

    other = tf.estimator.Estimator(bigger_model_fn, model_dir=est.model_dir)
    with pytest.raises(ValueError, match="Could not load all requested variables"):
        other.export_saved_model(str(tmp_path / "e"), _raw_fn)
    # nothing half-written is left behind under a timestamp
    assert not [p for p in (tmp_path / "e").iterdir() if p.name.isdigit()]


def test_export_from_warm_start_checkpoint(tmp_path: Path) -> None:
    trained = _trained(tmp_path)
    fresh = tf.estimator.Estimator(
        _model_fn, model_dir=str(tmp_path / "fresh"), warm_start_from=trained.model_dir
    )
    path = fresh.export_saved_model(str(tmp_path / "e"), _raw_fn).decode()
    want = trained.get_variable_value("w")
    got = tf.train.load_variable(f"{path}/variables/variables", "w")
    np.testing.assert_array_equal(got, want)


def test_tensor_serving_input_receiver_feeds_the_tensor(tmp_path: Path) -> None:
    est = _trained(tmp_path)

    def fn() -> Any:
        x = tf.placeholder(tf.float32, [None, 2], name="x")
        return tf.estimator.export.TensorServingInputReceiver(x, {"x": x})

    path = est.export_saved_model(str(tmp_path / "e"), fn).decode()
    predict = tf.contrib.predictor.from_saved_model(path)
    got = predict({"x": X})["y"]
    np.testing.assert_allclose(got, X @ est.get_variable_value("w"), rtol=1e-6)


def test_garbage_collection_keeps_the_newest_timestamps(tmp_path: Path) -> None:
    for name in ("1500000001", "1500000003", "1500000002", "temp-1500000004", "12345"):
        (tmp_path / name).mkdir()
    _garbage_collect_exports(str(tmp_path), 2)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "12345",
        "1500000002",
        "1500000003",
        "temp-1500000004",
    ]
    _garbage_collect_exports(str(tmp_path), None)
    assert len(list(tmp_path.iterdir())) == 4


def test_best_exporter_reads_the_best_loss_from_eval_events(tmp_path: Path) -> None:
    est = _trained(tmp_path, steps=3)
    metrics = est.evaluate(_input_fn, steps=1)
    ckpt = est.latest_checkpoint()
    exporter = tf.estimator.BestExporter("best", _raw_fn)
    base = str(tmp_path / "best")
    worse = {"loss": metrics["loss"] + 1.0, "global_step": 3}
    assert exporter.export(est, base, ckpt, worse, False) is None
    better = {"loss": metrics["loss"] - 1.0, "global_step": 3}
    assert exporter.export(est, base, ckpt, better, False) is not None
    # the best is now the exported result, not the event file's
    assert (
        exporter.export(est, base, ckpt, {"loss": metrics["loss"], "global_step": 3}, True) is None
    )
    final = tf.estimator.FinalExporter("final", _raw_fn)
    assert final.export(est, str(tmp_path / "final"), ckpt, metrics, False) is None
    assert final.export(est, str(tmp_path / "final"), ckpt, metrics, True) is not None
