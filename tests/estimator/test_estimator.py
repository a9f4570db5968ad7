"""tf.estimator.Estimator beyond the recorded conformance cases (``estimator_core``): argument
introspection, hooks and saving listeners, input_fn forms, unsupported parts."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import numpy as np
import pytest

import scopeflow.compat.v1 as tf
from scopeflow.errors import UnsupportedError, UnsupportedEstimatorError
from scopeflow.estimator._fn_args import fn_args
from scopeflow.train.basic_session_run_hooks import CheckpointSaverListener
from scopeflow.train.session_run_hook import SessionRunHook

X = np.linspace(0.0, 1.0, 8, dtype=np.float32).reshape(8, 1)
Y = 3.0 * X - 1.0


def linear_model_fn(features, labels, mode, params, config):
    w = tf.get_variable("w", [1, 1], initializer=tf.zeros_initializer())
    b = tf.get_variable("b", [1], initializer=tf.zeros_initializer())
    x = features["x"] if isinstance(features, dict) else features
    pred = tf.matmul(x, w) + b
    if mode == tf.estimator.ModeKeys.PREDICT:
        return tf.estimator.EstimatorSpec(mode, predictions=pred)
    loss = tf.losses.mean_squared_error(labels, pred)
    train_op = tf.train.GradientDescentOptimizer(params.get("lr", 0.5)).minimize(
        loss, global_step=tf.train.get_global_step()
    )
    return tf.estimator.EstimatorSpec(mode, predictions=pred, loss=loss, train_op=train_op)


def numpy_fn(batch_size=4, num_epochs=1):
    return tf.estimator.inputs.numpy_input_fn(
        {"x": X}, Y, batch_size=batch_size, num_epochs=num_epochs, shuffle=False
    )


class _Recorder(SessionRunHook):
    def __init__(self):
        self.calls = []

    def begin(self):
        self.calls.append("begin")

    def after_create_session(self, session, coord):
        self.calls.append("create")

    def after_run(self, run_context, run_values):
        self.calls.append("run")

    def end(self, session):
        self.calls.append("end")


class _Listener(CheckpointSaverListener):
    def __init__(self):
        self.saves = []

    def after_save(self, session, global_step_value):
        self.saves.append(int(global_step_value))


def test_fn_args_follows_tf_function_utils():
    def f(features, labels, mode):
        return features

    class Callable:
        def __call__(self, features, params):
            return features

    class Model:
        def model_fn(self, features, config):
            return features

    assert fn_args(f) == ("features", "labels", "mode")
    assert fn_args(functools.partial(f, 1)) == ("labels", "mode")
    assert fn_args(functools.partial(f, mode=1)) == ("features", "labels")
    assert fn_args(Callable()) == ("features", "params")
    assert fn_args(Model().model_fn) == ("features", "config")


def test_hooks_listeners_and_config_reach_the_model(tmp_path):
    seen = {}

    def model_fn(features, labels, mode, params, config):
        seen[mode] = (params, config.save_checkpoints_steps, type(config).__name__)
        return linear_model_fn(features, labels, mode, params, config)

    config = tf.estimator.RunConfig(save_checkpoints_steps=2)
    est = tf.estimator.Estimator(model_fn, str(tmp_path), config=config, params={"lr": 0.5})
    hook, listener = _Recorder(), _Listener()
    est.train(numpy_fn(batch_size=2), hooks=[hook], saving_listeners=[listener])
    assert seen["train"] == ({"lr": 0.5}, 2, "RunConfig")
    assert hook.calls[:2] == ["begin", "create"]
    assert hook.calls.count("run") == 4
    assert hook.calls[-1] == "end"
    assert listener.saves == [0, 2, 4]
    assert est.get_variable_value("global_step") == 4


def test_train_max_steps_and_input_fn_params(tmp_path):
    calls = []

    def input_fn(params, mode, config):
        calls.append((params["lr"], mode, config.model_dir))
        return numpy_fn(num_epochs=None)()

    est = tf.estimator.Estimator(linear_model_fn, str(tmp_path), params={"lr": 0.5})
    est.train(input_fn, max_steps=5)
    est.train(input_fn, max_steps=5)  # already there: skipped, input_fn not called
    assert est.get_variable_value("global_step") == 5
    assert calls == [(0.5, "train", str(tmp_path))]
    est.train(input_fn, steps=2)
    assert est.get_variable_value("global_step") == 7


def test_dataset_input_fn_and_non_dict_predictions(tmp_path):
    def input_fn():
        return tf.data.Dataset.from_tensor_slices((X, Y)).repeat(20).batch(4)

    est = tf.estimator.Estimator(linear_model_fn, str(tmp_path), params={})
    est.train(input_fn)
    w = est.get_variable_value("w")
    assert abs(float(w[0, 0]) - 3.0) < 0.3
    preds = list(est.predict(lambda: tf.data.Dataset.from_tensor_slices(X).batch(3)))
    assert len(preds) == 8
    assert preds[0].shape == (1,)
    assert abs(float(preds[-1][0]) - 2.0) < 0.3
    with pytest.raises(ValueError, match="predict_keys argument is not valid"):
        next(est.predict(lambda: tf.data.Dataset.from_tensor_slices(X).batch(3), ["p"]))


def test_evaluate_without_checkpoint_runs_initialization(tmp_path):
    est = tf.estimator.Estimator(linear_model_fn, str(tmp_path), params={})
    res = est.evaluate(numpy_fn())
    assert res["global_step"] == 0
    expected = float(np.mean(Y**2))
    assert abs(res["loss"] - expected) < 1e-6
    assert (tmp_path / "eval").is_dir()
    assert not list(tmp_path.glob("model.ckpt*"))


def test_evaluate_averages_the_per_batch_loss_as_tf(tmp_path):
    # TF's evaluate loss is tf.metrics.mean over the batch losses: batches of 3, 3, 2 weigh alike.
    est = tf.estimator.Estimator(linear_model_fn, str(tmp_path), params={})
    res = est.evaluate(numpy_fn(batch_size=3))
    batch_losses = [float(np.mean(Y[i : i + 3] ** 2)) for i in (0, 3, 6)]
    assert abs(res["loss"] - np.mean(batch_losses)) < 1e-6


def test_subclasses_cannot_override_members(tmp_path):
    class Bad(tf.estimator.Estimator):
        def train(self, *args, **kwargs):
            return self

    class Good(tf.estimator.Estimator):
        def extra(self):
            return 1

    with pytest.raises(ValueError, match="cannot override members of Estimator"):
        Bad(linear_model_fn, str(tmp_path), params={})
    assert Good(linear_model_fn, str(tmp_path), params={}).extra() == 1


def test_unbuilt_parts_raise_naming_them(tmp_path):
    assert not hasattr(tf.estimator, "BoostedTreesClassifier")
    with pytest.raises(UnsupportedEstimatorError, match=r"tf\.estimator\.BoostedTreesRegressor"):
        tf.estimator.BoostedTreesRegressor  # noqa: B018
    est = tf.estimator.Estimator(linear_model_fn, str(tmp_path), params={})
    with pytest.raises(ValueError, match="Couldn't find trained model at"):
        est.export_saved_model(str(tmp_path / "export"), lambda: None)
    with pytest.raises(TypeError, match="`exporters` must be an Exporter"):
        tf.estimator.EvalSpec(numpy_fn(), exporters=[object()])
    with pytest.raises(UnsupportedError, match="vocab"):
        tf.estimator.Estimator(
            linear_model_fn,
            str(tmp_path / "b"),
            params={},
            warm_start_from=tf.estimator.WarmStartSettings(
                str(tmp_path), var_name_to_vocab_info={"w": tf.estimator.VocabInfo("a", 1, 0, "b")}
            ),
        ).evaluate(numpy_fn())


def test_warm_start_with_renamed_variable(tmp_path):
    a = tmp_path / "a"
    est_a = tf.estimator.Estimator(linear_model_fn, str(a), params={})
    est_a.train(numpy_fn(num_epochs=3))

    def renamed_model_fn(features, labels, mode, params):
        with tf.variable_scope("new"):
            return linear_model_fn(features, labels, mode, params, None)

    ws = tf.estimator.WarmStartSettings(
        str(a), vars_to_warm_start="new/w", var_name_to_prev_var_name={"new/w": "w"}
    )
    est_b = tf.estimator.Estimator(
        renamed_model_fn, str(tmp_path / "b"), params={"lr": 0.0}, warm_start_from=ws
    )
    est_b.train(numpy_fn(), steps=1)
    assert est_b.get_variable_names() == ["global_step", "new/b", "new/w"]
    np.testing.assert_array_equal(est_b.get_variable_value("new/w"), est_a.get_variable_value("w"))
    np.testing.assert_array_equal(est_b.get_variable_value("new/b"), [0.0])  # not warm-started
    bad = tf.estimator.WarmStartSettings(
        str(a), "new/w", var_name_to_prev_var_name={"new/w": "w", "nope": "b"}
    )
    est_c = tf.estimator.Estimator(
        renamed_model_fn, str(tmp_path / "c"), params={}, warm_start_from=bad
    )
    with pytest.raises(ValueError, match="var_name_to_prev_var_name that were not used"):
        est_c.train(numpy_fn(), steps=1)
    assert Path(est_a.latest_checkpoint()).name == "model.ckpt-6"


def test_users_run_config_is_not_modified(tmp_path):
    config = tf.estimator.RunConfig(save_checkpoints_steps=3)
    est = tf.estimator.Estimator(linear_model_fn, str(tmp_path), config=config, params={})
    assert config.model_dir is None
    assert config.session_config is None
    assert est.config.model_dir == str(tmp_path)
    assert est.config.session_config.allow_soft_placement is True
    assert est.config is not est.config  # a copy each time, as TF


def test_tf_config_local_and_cluster(monkeypatch, tmp_path):
    monkeypatch.setenv("TF_CONFIG", json.dumps({"model_dir": str(tmp_path)}))
    assert tf.estimator.RunConfig().model_dir == str(tmp_path)
    monkeypatch.setenv("TF_CONFIG", '{"task": {"type": "evaluator"}}')
    with pytest.raises(ValueError, match="task type must be WORKER"):
        tf.estimator.RunConfig()
    monkeypatch.setenv("TF_CONFIG", '{"cluster": {"chief": ["h:1"]}, "task": {"type": "chief"}}')
    with pytest.raises(UnsupportedError, match="TF_CONFIG cluster"):
        tf.estimator.RunConfig()


def test_experimental_names_not_built_raise():
    assert callable(tf.estimator.experimental.stop_if_no_decrease_hook)
    with pytest.raises(UnsupportedEstimatorError, match=r"tf\.estimator\.experimental\.KMeans"):
        tf.estimator.experimental.KMeans  # noqa: B018
