"""``tf.estimator.Estimator``: train, evaluate and predict a ``model_fn`` in fresh graphs.

TF 1.15's Estimator, local (single-process) execution. Each call builds a new graph: the
global step, the ``input_fn``'s tensors (a ``Dataset`` gets an initializable iterator), and the
``model_fn``'s ``EstimatorSpec`` for the mode, then runs it:

- ``train`` in a ``MonitoredTrainingSession`` on ``model_dir``: restores the latest checkpoint,
  saves ``model.ckpt-N`` through a ``CheckpointSaverHook`` (``save_checkpoints_steps``/``secs``,
  always at the end), writes ``graph.pbtxt`` and event files with the ``loss`` summary,
  ``global_step/sec`` and the ``model_fn``'s summaries every ``save_summary_steps``; stops at
  ``steps``/``max_steps`` (``StopAtStepHook``) or at the end of the input.
- ``evaluate`` restores a checkpoint, runs the ``eval_metric_ops`` update ops (plus
  ``loss = tf.metrics.mean(loss)``) over the input or ``steps`` batches, and returns the metric
  values with ``global_step``; they are also written to ``model_dir/eval[_name]``.
- ``predict`` yields the ``predictions`` of each batch, example by example by default.

- ``export_saved_model`` (and TF 1.15's ``export_savedmodel``,
  ``experimental_export_all_saved_models``) writes a timestamped TF1 SavedModel
  (``scopeflow.estimator._export``).

Differences from TensorFlow:
    Distribution strategies and ``TF_CONFIG`` clusters raise ``UnsupportedError``.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import copy
import os
import tempfile
from collections.abc import Callable, Iterator
from typing import Any

from scopeflow._core.graph_keys import GraphKeys
from scopeflow.app import logging
from scopeflow.estimator import _evaluation, _export
from scopeflow.estimator._fn_args import fn_args
from scopeflow.estimator._input_fn import has_dataset_or_queue_runner, parse_input_fn_result
from scopeflow.estimator.mode_keys import ModeKeys
from scopeflow.estimator.model_fn import LOSS_METRIC_KEY, EstimatorSpec
from scopeflow.estimator.run_config import RunConfig, get_default_session_config
from scopeflow.estimator.warm_starting import default_warm_start_settings, warm_start
from scopeflow.graph.graph import Graph, get_default_graph
from scopeflow.metrics import mean as metrics_mean
from scopeflow.ops import random_ops, state_ops
from scopeflow.summary import summary as summary_lib
from scopeflow.train import checkpoint_management, checkpoint_utils, training_util
from scopeflow.train.basic_session_run_hooks import (
    CheckpointSaverHook,
    CheckpointSaverListener,
    LoggingTensorHook,
    NanTensorHook,
    StopAtStepHook,
)
from scopeflow.train.monitored_session import (
    ChiefSessionCreator,
    MonitoredSession,
    MonitoredTrainingSession,
)
from scopeflow.train.saver import Saver
from scopeflow.train.scaffold import Scaffold
from scopeflow.train.session_run_hook import SessionRunHook

__all__ = ["Estimator"]

_VALID_MODEL_FN_ARGS = {"features", "labels", "mode", "params", "self", "config"}


def verify_model_fn_args(model_fn: Callable[..., Any], params: Any) -> None:
    """Check ``model_fn``'s argument names against what an Estimator passes (TF's messages)."""
    args = set(fn_args(model_fn))
    if "features" not in args:
        raise ValueError(f"model_fn ({model_fn}) must include features argument.")
    if params is not None and "params" not in args:
        raise ValueError(
            f"model_fn ({model_fn}) does not include params argument, "
            f"but params ({params}) is passed to Estimator."
        )
    if params is None and "params" in args:
        logging.warning(
            "Estimator's model_fn (%s) includes params argument, but params are not passed to "
            "Estimator.",
            model_fn,
        )
    unexpected = list(args - _VALID_MODEL_FN_ARGS)
    if unexpected:
        raise ValueError(f"model_fn ({model_fn}) has following not expected args: {unexpected}")


def _maybe_overwrite_model_dir_and_session_config(config: Any, model_dir: Any) -> RunConfig:
    if config is None:
        config = RunConfig()
        logging.info("Using default config.")
    if not isinstance(config, RunConfig):
        raise ValueError(f"config must be an instance of `RunConfig`, but provided {config}.")
    if config.session_config is None:
        config = config.replace(session_config=get_default_session_config())
    model_dir = os.fspath(model_dir) if model_dir is not None else None
    if model_dir is not None and config.model_dir is not None and config.model_dir != model_dir:
        raise ValueError(
            "`model_dir` are set both in constructor and `RunConfig`, but with different values. "
            f"In constructor: '{model_dir}', in `RunConfig`: '{config.model_dir}' "
        )
    if model_dir:
        config = config.replace(model_dir=model_dir)
    elif config.model_dir is None:
        model_dir = tempfile.mkdtemp()
        logging.warning("Using temporary folder as model directory: %s", model_dir)
        config = config.replace(model_dir=model_dir)
    return config


def _check_checkpoint_available(model_dir: str) -> None:
    if not checkpoint_management.latest_checkpoint(model_dir):
        raise ValueError(f"Could not find trained model in model_dir: {model_dir}.")


def _check_hooks_type(hooks: Any) -> list[SessionRunHook]:
    hooks = list(hooks or [])
    for h in hooks:
        if not isinstance(h, SessionRunHook):
            raise TypeError(f"Hooks must be a SessionRunHook, given: {h}")
    return hooks


def _check_listeners_type(saving_listeners: Any) -> list[CheckpointSaverListener]:
    listeners = list(saving_listeners or [])
    for listener in listeners:
        if not isinstance(listener, CheckpointSaverListener):
            raise TypeError(
                f"saving_listeners must be a list of CheckpointSaverListener, given: {listener}"
            )
    return listeners


def _load_global_step_from_checkpoint_dir(checkpoint_dir: str) -> int:
    path = checkpoint_management.latest_checkpoint(checkpoint_dir)
    if not path:
        return 0
    try:
        return int(checkpoint_utils.load_variable(path, GraphKeys.GLOBAL_STEP))
    except (ValueError, KeyError, OSError):
        return 0


def _extract_metric_update_ops(eval_dict: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    update_ops = []
    value_ops = {}
    for name, value in sorted(eval_dict.items()):
        value_ops[name] = value[0]
        update_ops.append(value[1])
    update_op = state_ops.group(*update_ops) if update_ops else None
    return update_op, value_ops


def _verify_and_create_loss_metric(eval_metric_ops: dict[str, Any], loss: Any) -> dict[str, Any]:
    if LOSS_METRIC_KEY in eval_metric_ops:
        raise ValueError(
            f'Metric with name "{LOSS_METRIC_KEY}" is not allowed, because Estimator already '
            "defines a default metric with the same name."
        )
    eval_metric_ops[LOSS_METRIC_KEY] = metrics_mean(loss)
    return eval_metric_ops


_ALLOWED_OVERRIDES = {"model_fn", "_create_and_assert_global_step", "_export_all_saved_models"}


class Estimator:
    """Trains, evaluates and predicts with a ``model_fn`` (``tf.estimator.Estimator``).

    Args:
        model_fn: ``model_fn(features, labels, mode, params, config)`` (``mode``, ``params``
            and ``config`` optional) returning an ``EstimatorSpec``.
        model_dir: where checkpoints and summaries go (a temporary directory if neither this
            nor ``config.model_dir`` is set).
        config: a ``RunConfig``.
        params: a dict passed to ``model_fn`` (and to ``input_fn``s that take ``params``).
        warm_start_from: a checkpoint path or ``WarmStartSettings`` to initialize from.

    >>> import numpy as np
    >>> import scopeflow.compat.v1 as tf
    >>> def model_fn(features, labels, mode):
    ...     w = tf.get_variable("w", [1, 1], initializer=tf.zeros_initializer())
    ...     pred = tf.matmul(features["x"], w)
    ...     loss = tf.losses.mean_squared_error(labels, pred)
    ...     train_op = tf.train.GradientDescentOptimizer(0.1).minimize(
    ...         loss, global_step=tf.train.get_global_step())
    ...     return tf.estimator.EstimatorSpec(mode, predictions=pred, loss=loss, train_op=train_op)
    >>> est = tf.estimator.Estimator(model_fn)
    >>> x = np.ones([4, 1], np.float32)
    >>> fn = tf.estimator.inputs.numpy_input_fn({"x": x}, 2 * x, batch_size=2, shuffle=False)
    >>> _ = est.train(fn, steps=1)
    >>> est.get_variable_names()
    ['global_step', 'w']
    """

    def __init__(
        self,
        model_fn: Callable[..., Any],
        model_dir: Any = None,
        config: Any = None,
        params: Any = None,
        warm_start_from: Any = None,
    ) -> None:
        _assert_members_are_not_overridden(Estimator, self)
        self._config = _maybe_overwrite_model_dir_and_session_config(config, model_dir)
        self._model_dir: str = self._config.model_dir  # type: ignore[assignment]
        self._session_config = self._config.session_config
        logging.info("Using config: %s", str(vars(self._config)))
        self._device_fn = self._config.device_fn
        if model_fn is None:
            raise ValueError("model_fn must be provided to Estimator.")
        verify_model_fn_args(model_fn, params)
        self._model_fn = model_fn
        self._params = copy.deepcopy(params or {})
        self._warm_start_settings = default_warm_start_settings(warm_start_from)

    # -- properties --
    @property
    def model_dir(self) -> str:
        """The Estimator's ``model_dir`` (a copy for ``config``/``params``)."""
        return self._model_dir

    @property
    def config(self) -> RunConfig:
        """The Estimator's ``config`` (a copy for ``config``/``params``)."""
        return copy.deepcopy(self._config)

    @property
    def params(self) -> dict[str, Any]:
        """The Estimator's ``params`` (a copy for ``config``/``params``)."""
        return copy.deepcopy(self._params)

    @property
    def model_fn(self) -> Callable[..., Any]:
        """The ``model_fn`` bound to ``params``: ``model_fn(features, labels, mode, config)``."""

        def public_model_fn(features: Any, labels: Any, mode: str, config: Any) -> Any:
            return self._call_model_fn(features, labels, mode, config)

        return public_model_fn

    # -- checkpoint access --
    def get_variable_value(self, name: str) -> Any:
        """The value of variable ``name`` in the latest checkpoint.

        Raises:
            ValueError: the Estimator has not produced a checkpoint yet.
        """
        _check_checkpoint_available(self.model_dir)
        return checkpoint_utils.load_variable(self.model_dir, name)

    def get_variable_names(self) -> list[str]:
        """The names of the variables in the latest checkpoint (sorted, as TF lists them).

        Raises:
            ValueError: the Estimator has not produced a checkpoint yet.
        """
        _check_checkpoint_available(self.model_dir)
        return [name for name, _ in checkpoint_utils.list_variables(self.model_dir)]

    def latest_checkpoint(self) -> str | None:
        """The path of the latest checkpoint in ``model_dir``, or None."""
        return checkpoint_management.latest_checkpoint(self.model_dir)

    def eval_dir(self, name: str | None = None) -> str:
        """The directory evaluation summaries of ``name`` go to: ``model_dir/eval[_name]``."""
        return os.path.join(self._model_dir, "eval" if not name else "eval_" + name)  # noqa: PTH118  (a str path, as TF)

    # -- train --
    def train(
        self,
        input_fn: Callable[..., Any],
        hooks: Any = None,
        steps: int | None = None,
        max_steps: int | None = None,
        saving_listeners: Any = None,
    ) -> Estimator:
        """Train on ``input_fn``'s batches; returns ``self``.

        ``steps`` counts from the current global step; ``max_steps`` is the total (training is
        skipped if the checkpoint already reached it); with neither, until the input ends.

        Raises:
            ValueError: both ``steps`` and ``max_steps``, or a non-positive one.
        """
        if steps is not None and max_steps is not None:
            raise ValueError("Can not provide both steps and max_steps.")
        if steps is not None and steps <= 0:
            raise ValueError(f"Must specify steps > 0, given: {steps}")
        if max_steps is not None and max_steps <= 0:
            raise ValueError(f"Must specify max_steps > 0, given: {max_steps}")
        if max_steps is not None:
            start_step = _load_global_step_from_checkpoint_dir(self._model_dir)
            if max_steps <= start_step:
                logging.info("Skipping training since max_steps has already saved.")
                return self
        hooks = _check_hooks_type(hooks)
        if steps is not None or max_steps is not None:
            hooks.append(StopAtStepHook(steps, max_steps))
        listeners = _check_listeners_type(saving_listeners)
        loss = self._train_model(input_fn, hooks, listeners)
        logging.info("Loss for final step: %s.", loss)
        return self

    def _call_input_fn(self, input_fn: Callable[..., Any], mode: str) -> Any:
        args = fn_args(input_fn)
        kwargs: dict[str, Any] = {}
        if "mode" in args:
            kwargs["mode"] = mode
        if "params" in args:
            kwargs["params"] = self.params
        if "config" in args:
            kwargs["config"] = self.config
        with get_default_graph().device("/cpu:0"):
            return input_fn(**kwargs)

    def _call_model_fn(self, features: Any, labels: Any, mode: str, config: Any) -> EstimatorSpec:
        args = fn_args(self._model_fn)
        kwargs: dict[str, Any] = {}
        if "labels" in args:
            kwargs["labels"] = labels
        elif labels is not None:
            raise ValueError("model_fn does not take labels, but input_fn returns labels.")
        if "mode" in args:
            kwargs["mode"] = mode
        if "params" in args:
            kwargs["params"] = self.params
        if "config" in args:
            kwargs["config"] = config
        logging.info("Calling model_fn.")
        spec = self._model_fn(features=features, **kwargs)
        logging.info("Done calling model_fn.")
        if not isinstance(spec, EstimatorSpec):
            raise ValueError("model_fn should return an EstimatorSpec.")
        return spec

    def _create_global_step(self, graph: Graph) -> Any:
        return training_util.create_global_step(graph)

    def _create_and_assert_global_step(self, graph: Graph) -> Any:
        step = self._create_global_step(graph)
        assert step is training_util.get_global_step()
        assert step.dtype.is_integer
        return step

    def _train_model(
        self,
        input_fn: Callable[..., Any],
        hooks: list[SessionRunHook],
        saving_listeners: list[CheckpointSaverListener],
    ) -> Any:
        worker_hooks: list[SessionRunHook] = []
        with Graph().as_default() as g, g.device(self._device_fn):
            random_ops.set_random_seed(self._config.tf_random_seed)
            global_step_tensor = self._create_and_assert_global_step(g)
            if global_step_tensor is not None:
                training_util._get_or_create_global_step_read(g)
            features, labels, input_hooks = parse_input_fn_result(
                self._call_input_fn(input_fn, ModeKeys.TRAIN)
            )
            worker_hooks.extend(input_hooks)
            spec = self._call_model_fn(features, labels, ModeKeys.TRAIN, self.config)
            global_step_tensor = training_util.get_global_step(g)
            return self._train_with_estimator_spec(
                spec, worker_hooks, hooks, global_step_tensor, saving_listeners
            )

    def _train_with_estimator_spec(
        self,
        spec: EstimatorSpec,
        worker_hooks: list[SessionRunHook],
        hooks: list[SessionRunHook],
        global_step_tensor: Any,
        saving_listeners: list[CheckpointSaverListener],
    ) -> Any:
        if self._warm_start_settings:
            logging.info("Warm-starting with WarmStartSettings: %s", self._warm_start_settings)
            warm_start(*self._warm_start_settings)
        graph = get_default_graph()
        if not any(x.op.name == "loss" for x in graph.get_collection(GraphKeys.SUMMARIES)):
            summary_lib.scalar("loss", spec.loss)
        graph.add_to_collection(GraphKeys.LOSSES, spec.loss)
        worker_hooks.extend(hooks)
        worker_hooks.append(NanTensorHook(spec.loss))
        if self._config.log_step_count_steps is not None:
            worker_hooks.append(
                LoggingTensorHook(
                    {"loss": spec.loss, "step": global_step_tensor},
                    every_n_iter=self._config.log_step_count_steps,
                )
            )
        worker_hooks.extend(spec.training_hooks)
        if not (spec.scaffold.saver or graph.get_collection(GraphKeys.SAVERS)):
            graph.add_to_collection(
                GraphKeys.SAVERS,
                Saver(
                    sharded=True,
                    max_to_keep=self._config.keep_checkpoint_max,
                    keep_checkpoint_every_n_hours=self._config.keep_checkpoint_every_n_hours,
                    defer_build=True,
                    save_relative_paths=True,
                ),
            )
        chief_hooks: list[SessionRunHook] = []
        all_hooks = worker_hooks + list(spec.training_chief_hooks)
        saver_hooks = [h for h in all_hooks if isinstance(h, CheckpointSaverHook)]
        saves = self._config.save_checkpoints_secs or self._config.save_checkpoints_steps
        if saves and not saver_hooks:
            saver_hook = CheckpointSaverHook(
                self._model_dir,
                save_secs=self._config.save_checkpoints_secs,
                save_steps=self._config.save_checkpoints_steps,
                scaffold=spec.scaffold,
            )
            chief_hooks = [saver_hook]
            saver_hooks = [saver_hook]
        if saving_listeners:
            if not saver_hooks:
                raise ValueError(
                    "There should be a CheckpointSaverHook to use saving_listeners. Please set "
                    "one of the RunConfig.save_checkpoints_steps or "
                    "RunConfig.save_checkpoints_secs."
                )
            for listener in saving_listeners:
                if listener not in saver_hooks[0]._listeners:
                    saver_hooks[0]._listeners.append(listener)
        with MonitoredTrainingSession(
            master=self._config.master,
            is_chief=self._config.is_chief,
            checkpoint_dir=self._model_dir,
            scaffold=spec.scaffold,
            hooks=worker_hooks,
            chief_only_hooks=(*chief_hooks, *spec.training_chief_hooks),
            save_checkpoint_secs=0,  # the CheckpointSaverHook above saves
            save_summaries_steps=self._config.save_summary_steps,
            config=self._session_config,
            max_wait_secs=self._config.session_creation_timeout_secs,
            log_step_count_steps=self._config.log_step_count_steps,
        ) as mon_sess:
            loss = None
            any_step_done = False
            while not mon_sess.should_stop():
                _, loss = mon_sess.run([spec.train_op, spec.loss])
                any_step_done = True
        if not any_step_done:
            logging.warning(
                "Training with estimator made no steps. Perhaps input is empty or misspecified."
            )
        return loss

    # -- evaluate --
    def evaluate(
        self,
        input_fn: Callable[..., Any],
        steps: int | None = None,
        hooks: Any = None,
        checkpoint_path: str | None = None,
        name: str | None = None,
    ) -> dict[str, Any]:
        """Evaluate the ``eval_metric_ops`` (and ``loss``) over ``input_fn``'s batches.

        Returns:
            The metric values keyed by name, with ``loss`` (the mean of the per-batch losses)
            and ``global_step`` (the step of the evaluated checkpoint).

        Raises:
            ValueError: ``steps <= 0``, or a metric named ``loss`` or ``global_step``.
        """
        hooks = _check_hooks_type(hooks)
        if steps is not None:
            if steps <= 0:
                raise ValueError(f"Must specify steps > 0, given: {steps}")
            hooks.append(_evaluation.StopAfterNEvalsHook(num_evals=steps))
        if not checkpoint_path:
            latest = checkpoint_management.latest_checkpoint(self._model_dir)
            if not latest:
                logging.info(
                    f"Could not find trained model in model_dir: {self._model_dir}, running "
                    "initialization to evaluate."
                )
            checkpoint_path = latest
        with Graph().as_default():
            scaffold, update_op, eval_dict, all_hooks = self._evaluate_build_graph(
                input_fn, hooks, checkpoint_path
            )
            return self._evaluate_run(
                checkpoint_path, scaffold, update_op, eval_dict, all_hooks, self.eval_dir(name)
            )

    def _evaluate_build_graph(
        self, input_fn: Callable[..., Any], hooks: list[SessionRunHook], checkpoint_path: Any
    ) -> tuple[Any, Any, dict[str, Any], list[SessionRunHook]]:
        graph = get_default_graph()
        random_ops.set_random_seed(self._config.tf_random_seed)
        self._create_and_assert_global_step(graph)
        features, labels, input_hooks = parse_input_fn_result(
            self._call_input_fn(input_fn, ModeKeys.EVAL)
        )
        spec = self._call_model_fn(features, labels, ModeKeys.EVAL, self.config)
        eval_metric_ops = _verify_and_create_loss_metric(spec.eval_metric_ops, spec.loss)
        update_op, eval_dict = _extract_metric_update_ops(eval_metric_ops)
        global_step_tensor = training_util.get_global_step(graph)
        self._maybe_warm_start(checkpoint_path)
        if GraphKeys.GLOBAL_STEP in eval_dict:
            raise ValueError(
                "Metric with name `global_step` is not allowed, because Estimator already "
                "defines a default metric with the same name."
            )
        eval_dict[GraphKeys.GLOBAL_STEP] = global_step_tensor
        all_hooks = [*input_hooks, *hooks, *spec.evaluation_hooks]
        scaffold = spec.scaffold
        if scaffold and scaffold.local_init_op is not None:
            _evaluation.get_or_create_eval_step()
            scaffold = Scaffold(
                local_init_op=state_ops.group(
                    scaffold.local_init_op, Scaffold.default_local_init_op()
                ),
                copy_from_scaffold=scaffold,
            )
        return scaffold, update_op, eval_dict, all_hooks

    def _evaluate_run(
        self,
        checkpoint_path: str | None,
        scaffold: Any,
        update_op: Any,
        eval_dict: dict[str, Any],
        all_hooks: list[SessionRunHook],
        output_dir: str,
    ) -> dict[str, Any]:
        results = _evaluation.evaluate_once(
            checkpoint_path=checkpoint_path,
            master=self._config.evaluation_master,
            scaffold=scaffold,
            eval_ops=update_op,
            final_ops=eval_dict,
            hooks=all_hooks,
            config=self._session_config,
        )
        current_global_step = results[GraphKeys.GLOBAL_STEP]
        _evaluation.write_dict_to_summary(output_dir, results, current_global_step)
        if checkpoint_path:
            _evaluation.write_checkpoint_path_to_summary(
                output_dir, checkpoint_path, current_global_step
            )
        return results  # type: ignore[no-any-return]

    def _maybe_warm_start(self, checkpoint_path: Any) -> None:
        if not checkpoint_path and self._warm_start_settings:
            logging.info("Warm-starting with WarmStartSettings: %s", self._warm_start_settings)
            warm_start(*self._warm_start_settings)

    # -- predict --
    def predict(
        self,
        input_fn: Callable[..., Any],
        predict_keys: Any = None,
        hooks: Any = None,
        checkpoint_path: str | None = None,
        yield_single_examples: bool = True,
    ) -> Iterator[Any]:
        """Yield the ``predictions`` for ``input_fn``'s features until the input ends.

        Raises:
            ValueError: ``predict_keys`` with non-dict predictions or matching none of them, or
                predictions of different batch lengths when ``yield_single_examples``.
        """
        hooks = _check_hooks_type(hooks)
        if not checkpoint_path:
            checkpoint_path = checkpoint_management.latest_checkpoint(self._model_dir)
        if not checkpoint_path:
            logging.info(
                f"Could not find trained model in model_dir: {self._model_dir}, running "
                "initialization to predict."
            )
        with Graph().as_default() as g:
            random_ops.set_random_seed(self._config.tf_random_seed)
            self._create_and_assert_global_step(g)
            features, _, input_hooks = parse_input_fn_result(
                self._call_input_fn(input_fn, ModeKeys.PREDICT)
            )
            if not has_dataset_or_queue_runner(features):
                logging.warning(
                    "Input graph does not use tf.data.Dataset or contain a QueueRunner. That "
                    "means predict yields forever. This is probably a mistake."
                )
            spec = self._call_model_fn(features, None, ModeKeys.PREDICT, self.config)
            self._maybe_warm_start(checkpoint_path)
            predictions = self._extract_keys(spec.predictions, predict_keys)
            all_hooks = [*input_hooks, *hooks, *spec.prediction_hooks]
            creator = ChiefSessionCreator(
                checkpoint_filename_with_path=checkpoint_path,
                master=self._config.master,
                scaffold=spec.scaffold,
                config=self._session_config,
            )
            with MonitoredSession(session_creator=creator, hooks=all_hooks) as mon_sess:
                while not mon_sess.should_stop():
                    preds = mon_sess.run(predictions)
                    if not yield_single_examples:
                        yield preds
                    elif not isinstance(predictions, dict):
                        yield from preds
                    else:
                        for i in range(self._extract_batch_length(preds)):
                            yield {key: value[i] for key, value in preds.items()}

    @staticmethod
    def _extract_batch_length(preds: dict[str, Any]) -> int:
        batch_length = None
        for key, value in preds.items():
            batch_length = batch_length or value.shape[0]
            if value.shape[0] != batch_length:
                raise ValueError(
                    f"Batch length of predictions should be same. {key} has different batch "
                    "length than others."
                )
        return batch_length or 0

    @staticmethod
    def _extract_keys(predictions: Any, predict_keys: Any) -> Any:
        if not predict_keys:
            return predictions
        if not isinstance(predictions, dict):
            raise ValueError("predict_keys argument is not valid in case of non-dict predictions.")
        existing_keys = predictions.keys()
        kept = {k: v for k, v in predictions.items() if k in predict_keys}
        if not kept:
            raise ValueError(
                f"Expected to run at least one output from {existing_keys}, "
                f"provided {predict_keys}."
            )
        return kept

    # -- export --
    def export_saved_model(
        self,
        export_dir_base: Any,
        serving_input_receiver_fn: Any,
        assets_extra: Any = None,
        as_text: bool = False,
        checkpoint_path: Any = None,
        experimental_mode: str = ModeKeys.PREDICT,
    ) -> bytes:
        """Exports the ``experimental_mode`` graph as a SavedModel in ``export_dir_base/<time>``.

        The graph is ``serving_input_receiver_fn``'s tensors fed to the ``model_fn``, with the
        checkpoint (the latest if ``checkpoint_path`` is None) restored; one signature per
        ``export_outputs`` entry (``serving_default`` among them). ``assets_extra`` maps
        paths under ``assets.extra/`` to the files copied there.

        Returns:
            The export directory (bytes, as TF 1.15 returns it).

        Raises:
            ValueError: no ``serving_input_receiver_fn`` or no checkpoint (TF's messages).
        """
        if not serving_input_receiver_fn:
            raise ValueError("An input_receiver_fn must be defined.")
        return self._export_all_saved_models(
            export_dir_base,
            {experimental_mode: serving_input_receiver_fn},
            assets_extra=assets_extra,
            as_text=as_text,
            checkpoint_path=checkpoint_path,
            strip_default_attrs=True,
        )

    def export_savedmodel(
        self,
        export_dir_base: Any,
        serving_input_receiver_fn: Any,
        assets_extra: Any = None,
        as_text: bool = False,
        checkpoint_path: Any = None,
        strip_default_attrs: bool = False,
    ) -> bytes:
        """TF 1.15's older name of :meth:`export_saved_model` (PREDICT mode only).

        Raises:
            ValueError: no ``serving_input_receiver_fn`` or no checkpoint (TF's messages).
        """
        if not serving_input_receiver_fn:
            raise ValueError("An input_receiver_fn must be defined.")
        return self._export_all_saved_models(
            export_dir_base,
            {ModeKeys.PREDICT: serving_input_receiver_fn},
            assets_extra=assets_extra,
            as_text=as_text,
            checkpoint_path=checkpoint_path,
            strip_default_attrs=strip_default_attrs,
        )

    def experimental_export_all_saved_models(
        self,
        export_dir_base: Any,
        input_receiver_fn_map: dict[str, Any],
        assets_extra: Any = None,
        as_text: bool = False,
        checkpoint_path: Any = None,
    ) -> bytes:
        """Exports one meta graph per mode of ``input_receiver_fn_map`` sharing one variable set.

        Raises:
            ValueError: no checkpoint, or no mode with a receiver fn (TF's messages).
        """
        return self._export_all_saved_models(
            export_dir_base,
            input_receiver_fn_map,
            assets_extra=assets_extra,
            as_text=as_text,
            checkpoint_path=checkpoint_path,
            strip_default_attrs=True,
        )

    def _export_all_saved_models(
        self,
        export_dir_base: Any,
        input_receiver_fn_map: dict[str, Any],
        assets_extra: Any = None,
        as_text: bool = False,
        checkpoint_path: Any = None,
        strip_default_attrs: bool = True,
    ) -> bytes:
        return _export.export_all_saved_models(
            self,
            export_dir_base,
            input_receiver_fn_map,
            assets_extra=assets_extra,
            as_text=as_text,
            checkpoint_path=checkpoint_path,
            strip_default_attrs=strip_default_attrs,
        )

    def _add_meta_graph_for_mode(
        self,
        builder: Any,
        input_receiver_fn_map: dict[str, Any],
        checkpoint_path: Any,
        save_variables: bool = True,
        mode: str = ModeKeys.PREDICT,
        export_tags: Any = None,
        check_variables: bool = True,
        strip_default_attrs: bool = True,
    ) -> None:
        _export.add_meta_graph_for_mode(
            self,
            builder,
            input_receiver_fn_map,
            checkpoint_path,
            save_variables=save_variables,
            mode=mode,
            export_tags=export_tags,
            check_variables=check_variables,
            strip_default_attrs=strip_default_attrs,
        )


def _assert_members_are_not_overridden(cls: type, obj: Any) -> None:
    """Subclasses may add methods but not replace Estimator's (TF's rule and message)."""
    estimator_members = {m for m in dir(cls) if not m.startswith("__")}
    subclass_members = set(obj.__class__.__dict__.keys())
    common = estimator_members & subclass_members - _ALLOWED_OVERRIDES
    overridden = [m for m in common if getattr(cls, m) != getattr(obj.__class__, m)]
    if overridden:
        raise ValueError(
            "Subclasses of Estimator cannot override members of Estimator. "
            f"{obj.__class__} does override {overridden}"
        )
