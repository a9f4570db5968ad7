"""``tf.estimator.RunConfig``: where an Estimator writes and how often it saves.

TF 1.15's ``RunConfig`` for a local (single-process) run: ``model_dir``, ``tf_random_seed``,
``save_summary_steps`` (100), ``save_checkpoints_steps`` / ``save_checkpoints_secs`` (600 seconds
unless one of them is given), ``keep_checkpoint_max`` (5), ``keep_checkpoint_every_n_hours``,
``log_step_count_steps`` (100), ``session_config``; ``replace`` copies with new values, with
TF's validation messages. The cluster properties have TF's local values (``is_chief`` True,
``master`` ``''``, one worker, no parameter servers, task ``worker`` 0).

Differences from TensorFlow:
    A ``TF_CONFIG`` environment variable naming a ``cluster`` (distributed training) and the
    ``train_distribute`` / ``eval_distribute`` / ``experimental_distribute`` strategies raise
    ``UnsupportedError``. The default ``session_config`` is ``ConfigProto(allow_soft_placement=
    True)`` (TF also sets a graph-rewriter option scopeflow has no use for).

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Callable
from typing import Any

from scopeflow.app import logging
from scopeflow.errors import UnsupportedError
from scopeflow.estimator._fn_args import fn_args
from scopeflow.graph.config import ConfigProto

__all__ = ["RunConfig", "TaskType", "get_default_session_config"]

_USE_DEFAULT: Any = object()

_DEFAULT_REPLACEABLE_LIST = [
    "model_dir",
    "tf_random_seed",
    "save_summary_steps",
    "save_checkpoints_steps",
    "save_checkpoints_secs",
    "session_config",
    "keep_checkpoint_max",
    "keep_checkpoint_every_n_hours",
    "log_step_count_steps",
    "train_distribute",
    "device_fn",
    "protocol",
    "eval_distribute",
    "experimental_distribute",
    "experimental_max_worker_delay_secs",
    "session_creation_timeout_secs",
]

_SAVE_CKPT_ERR = "`save_checkpoints_steps` and `save_checkpoints_secs` cannot be both set."


class TaskType:
    """The task types of a TF cluster (``run_config.TaskType``)."""

    MASTER = "master"
    PS = "ps"
    WORKER = "worker"
    CHIEF = "chief"
    EVALUATOR = "evaluator"


def get_default_session_config() -> ConfigProto:
    """The session config an Estimator uses when ``RunConfig.session_config`` is None."""
    return ConfigProto(allow_soft_placement=True)


def _get_model_dir(tf_config: dict[str, Any], model_dir: str | None) -> str | None:
    if model_dir == "":
        raise ValueError("model_dir should be non-empty.")
    in_config = tf_config.get("model_dir")
    if in_config == "":
        raise ValueError("model_dir in TF_CONFIG should be non-empty.")
    if in_config:
        if model_dir and in_config != model_dir:
            raise ValueError(
                "`model_dir` provided in RunConfig construct, if set, must have the same value "
                f"as the model_dir in TF_CONFIG. model_dir: {model_dir}\n"
                f'TF_CONFIG["model_dir"]: {in_config}.\n'
            )
        logging.info("Using model_dir in TF_CONFIG: %s", in_config)
    return model_dir or in_config


def _validate_properties(config: RunConfig) -> None:
    def check(name: str, cond: Callable[[Any], bool], message: str) -> None:
        value = getattr(config, name)
        if value is not None and not cond(value):
            raise ValueError(message)

    check("model_dir", bool, "model_dir should be non-empty")
    check("save_summary_steps", lambda v: v >= 0, "save_summary_steps should be >= 0")
    check("save_checkpoints_steps", lambda v: v >= 0, "save_checkpoints_steps should be >= 0")
    check("save_checkpoints_secs", lambda v: v >= 0, "save_checkpoints_secs should be >= 0")
    check(
        "session_config",
        lambda v: isinstance(v, ConfigProto),
        "session_config must be instance of ConfigProto",
    )
    check("keep_checkpoint_max", lambda v: v >= 0, "keep_checkpoint_max should be >= 0")
    check(
        "keep_checkpoint_every_n_hours",
        lambda v: v > 0,
        "keep_checkpoint_every_n_hours should be > 0",
    )
    check("log_step_count_steps", lambda v: v > 0, "log_step_count_steps should be > 0")
    check("tf_random_seed", lambda v: isinstance(v, int), "tf_random_seed must be integer.")
    check(
        "experimental_max_worker_delay_secs",
        lambda v: isinstance(v, int),
        "experimental_max_worker_delay_secs must be an integer if set.",
    )
    check(
        "session_creation_timeout_secs",
        lambda v: v > 0,
        "session_creation_timeout_secs should be > 0",
    )
    check(
        "device_fn",
        lambda v: callable(v) and set(fn_args(v)) == {"op"},
        'device_fn must be callable with exactly one argument "op".',
    )
    check(
        "protocol",
        lambda v: v in (None, "grpc", "grpc+verbs"),
        "protocol should be grpc or grpc+verbs",
    )
    for name in ("train_distribute", "eval_distribute", "experimental_distribute"):
        if getattr(config, f"_{name}", None) is not None:
            raise UnsupportedError(
                f"tf.estimator.RunConfig({name}=...)", "Distribution strategies are not built."
            )


class RunConfig:
    """The configuration of an ``Estimator`` run (``tf.estimator.RunConfig``).

    >>> config = RunConfig(model_dir="/tmp/m", save_checkpoints_steps=10)
    >>> config.save_checkpoints_steps, config.save_checkpoints_secs, config.keep_checkpoint_max
    (10, None, 5)
    >>> config.replace(save_checkpoints_secs=30).save_checkpoints_steps is None
    True
    """

    _model_dir: str | None
    _tf_random_seed: int | None
    _save_summary_steps: int
    _save_checkpoints_steps: int | None
    _save_checkpoints_secs: int | None
    _session_config: Any
    _keep_checkpoint_max: int
    _keep_checkpoint_every_n_hours: float
    _log_step_count_steps: int | None
    _device_fn: Any
    _protocol: str | None
    _experimental_max_worker_delay_secs: int | None
    _session_creation_timeout_secs: int

    def __init__(
        self,
        model_dir: Any = None,
        tf_random_seed: int | None = None,
        save_summary_steps: int = 100,
        save_checkpoints_steps: Any = _USE_DEFAULT,
        save_checkpoints_secs: Any = _USE_DEFAULT,
        session_config: Any = None,
        keep_checkpoint_max: int = 5,
        keep_checkpoint_every_n_hours: float = 10000,
        log_step_count_steps: int | None = 100,
        train_distribute: Any = None,
        device_fn: Any = None,
        protocol: str | None = None,
        eval_distribute: Any = None,
        experimental_distribute: Any = None,
        experimental_max_worker_delay_secs: int | None = None,
        session_creation_timeout_secs: int = 7200,
    ) -> None:
        if save_checkpoints_steps is _USE_DEFAULT and save_checkpoints_secs is _USE_DEFAULT:
            save_checkpoints_steps, save_checkpoints_secs = None, 600
        elif save_checkpoints_secs is _USE_DEFAULT:
            save_checkpoints_secs = None
        elif save_checkpoints_steps is _USE_DEFAULT:
            save_checkpoints_steps = None
        elif save_checkpoints_steps is not None and save_checkpoints_secs is not None:
            raise ValueError(_SAVE_CKPT_ERR)

        tf_config = json.loads(os.environ.get("TF_CONFIG", "{}"))
        if tf_config:
            logging.info("TF_CONFIG environment variable: %s", tf_config)
        model_dir = _get_model_dir(tf_config, os.fspath(model_dir) if model_dir else model_dir)
        RunConfig._replace(
            self,
            allowed_properties_list=_DEFAULT_REPLACEABLE_LIST,
            model_dir=model_dir,
            tf_random_seed=tf_random_seed,
            save_summary_steps=save_summary_steps,
            save_checkpoints_steps=save_checkpoints_steps,
            save_checkpoints_secs=save_checkpoints_secs,
            session_config=session_config,
            keep_checkpoint_max=keep_checkpoint_max,
            keep_checkpoint_every_n_hours=keep_checkpoint_every_n_hours,
            log_step_count_steps=log_step_count_steps,
            train_distribute=train_distribute,
            device_fn=device_fn,
            protocol=protocol,
            eval_distribute=eval_distribute,
            experimental_distribute=experimental_distribute,
            experimental_max_worker_delay_secs=experimental_max_worker_delay_secs,
            session_creation_timeout_secs=session_creation_timeout_secs,
        )
        self._init_local_setting(tf_config)

    def _init_local_setting(self, tf_config: dict[str, Any]) -> None:
        if tf_config.get("cluster"):
            raise UnsupportedError(
                "a TF_CONFIG cluster (distributed tf.estimator)",
                "Only local (single-process) Estimator runs are built.",
            )
        service = tf_config.get("service")
        if service is not None and not isinstance(service, dict):
            raise TypeError(
                f'If "service" is set in TF_CONFIG, it must be a dict. Given {type(service)}'
            )
        task_env = tf_config.get("task", {})
        self._service = service
        self._cluster_spec: dict[str, Any] = {}
        self._task_type = task_env.get("type", TaskType.WORKER)
        self._task_id = int(task_env.get("index", 0))
        self._global_id_in_cluster = 0
        if self._task_type != TaskType.WORKER:
            raise ValueError('If "cluster" is not set in TF_CONFIG, task type must be WORKER.')
        if self._task_id != 0:
            raise ValueError('If "cluster" is not set in TF_CONFIG, task index must be 0.')
        self._master = tf_config.get("session_master", "")
        self._evaluation_master = tf_config.get("eval_session_master", "")
        self._is_chief = True
        self._num_ps_replicas = 0
        self._num_worker_replicas = 1

    # -- cluster (local values) --
    @property
    def cluster_spec(self) -> dict[str, Any]:
        """TF's ``RunConfig.cluster_spec``."""
        return self._cluster_spec

    @property
    def evaluation_master(self) -> str:
        """TF's ``RunConfig.evaluation_master``."""
        return self._evaluation_master

    @property
    def is_chief(self) -> bool:
        """TF's ``RunConfig.is_chief``."""
        return self._is_chief

    @property
    def master(self) -> str:
        """TF's ``RunConfig.master``."""
        return self._master

    @property
    def num_ps_replicas(self) -> int:
        """TF's ``RunConfig.num_ps_replicas``."""
        return self._num_ps_replicas

    @property
    def num_worker_replicas(self) -> int:
        """TF's ``RunConfig.num_worker_replicas``."""
        return self._num_worker_replicas

    @property
    def task_id(self) -> int:
        """TF's ``RunConfig.task_id``."""
        return self._task_id

    @property
    def task_type(self) -> str:
        """TF's ``RunConfig.task_type``."""
        return self._task_type

    @property
    def global_id_in_cluster(self) -> int:
        """TF's ``RunConfig.global_id_in_cluster``."""
        return self._global_id_in_cluster

    @property
    def service(self) -> Any:
        """TF's ``RunConfig.service``."""
        return self._service

    # -- run settings --
    @property
    def model_dir(self) -> str | None:
        """TF's ``RunConfig.model_dir``."""
        return self._model_dir

    @property
    def tf_random_seed(self) -> int | None:
        """TF's ``RunConfig.tf_random_seed``."""
        return self._tf_random_seed

    @property
    def save_summary_steps(self) -> int:
        """TF's ``RunConfig.save_summary_steps``."""
        return self._save_summary_steps

    @property
    def save_checkpoints_steps(self) -> int | None:
        """TF's ``RunConfig.save_checkpoints_steps``."""
        return self._save_checkpoints_steps

    @property
    def save_checkpoints_secs(self) -> int | None:
        """TF's ``RunConfig.save_checkpoints_secs``."""
        return self._save_checkpoints_secs

    @property
    def session_config(self) -> Any:
        """TF's ``RunConfig.session_config``."""
        return self._session_config

    @property
    def keep_checkpoint_max(self) -> int:
        """TF's ``RunConfig.keep_checkpoint_max``."""
        return self._keep_checkpoint_max

    @property
    def keep_checkpoint_every_n_hours(self) -> float:
        """TF's ``RunConfig.keep_checkpoint_every_n_hours``."""
        return self._keep_checkpoint_every_n_hours

    @property
    def log_step_count_steps(self) -> int | None:
        """TF's ``RunConfig.log_step_count_steps``."""
        return self._log_step_count_steps

    @property
    def session_creation_timeout_secs(self) -> int:
        """TF's ``RunConfig.session_creation_timeout_secs``."""
        return self._session_creation_timeout_secs

    @property
    def device_fn(self) -> Any:
        """TF's ``RunConfig.device_fn``."""
        return self._device_fn

    @property
    def protocol(self) -> str | None:
        """TF's ``RunConfig.protocol``."""
        return self._protocol

    @property
    def train_distribute(self) -> Any:
        """TF's ``RunConfig.train_distribute``."""
        return None

    @property
    def eval_distribute(self) -> Any:
        """TF's ``RunConfig.eval_distribute``."""
        return None

    @property
    def experimental_max_worker_delay_secs(self) -> int | None:
        """TF's ``RunConfig.experimental_max_worker_delay_secs``."""
        return self._experimental_max_worker_delay_secs

    def replace(self, **kwargs: Any) -> RunConfig:
        """A copy with the given properties replaced (TF's ``RunConfig.replace``).

        Raises:
            ValueError: a property that cannot be replaced, or both checkpoint intervals set.
        """
        return RunConfig._replace(
            copy.deepcopy(self), allowed_properties_list=_DEFAULT_REPLACEABLE_LIST, **kwargs
        )

    @staticmethod
    def _replace(
        config: RunConfig, allowed_properties_list: list[str] | None = None, **kwargs: Any
    ) -> RunConfig:
        allowed = allowed_properties_list or []
        for key, value in kwargs.items():
            if key not in allowed:
                raise ValueError(
                    f"Replacing {key} is not supported. Allowed properties are {allowed}."
                )
            setattr(config, "_" + key, value)
        steps, secs = config.save_checkpoints_steps, config.save_checkpoints_secs
        if "save_checkpoints_steps" in kwargs and "save_checkpoints_secs" in kwargs:
            if steps is not None and secs is not None:
                raise ValueError(_SAVE_CKPT_ERR)
        elif "save_checkpoints_steps" in kwargs and steps is not None:
            config._save_checkpoints_secs = None
        elif "save_checkpoints_secs" in kwargs and secs is not None:
            config._save_checkpoints_steps = None
        _validate_properties(config)
        return config
