"""``scopeflow.train``: TF1's ``tf.train``: optimizers, schedules, moving averages, checkpoints.

The ``Optimizer`` base and TF's optimizers (slots named as TF's), learning-rate schedules,
``ExponentialMovingAverage``, and the checkpoint API over :mod:`scopeflow.checkpoint`:

``Saver``, ``latest_checkpoint``/``get_checkpoint_state``/``checkpoint_exists``,
``list_variables``/``load_variable``/``load_checkpoint``/``NewCheckpointReader``,
``init_from_checkpoint``, the global-step helpers, and safetensors import/export
(``save_safetensors``/``restore_safetensors``). The library never prints.

Must not import ``scopeflow.compat``.
"""

from scopeflow.train.adadelta import AdadeltaOptimizer
from scopeflow.train.adagrad import AdagradDAOptimizer, AdagradOptimizer, ProximalAdagradOptimizer
from scopeflow.train.adam import AdamOptimizer
from scopeflow.train.checkpoint_management import (
    checkpoint_exists,
    get_checkpoint_state,
    latest_checkpoint,
)
from scopeflow.train.checkpoint_utils import (
    CheckpointReader,
    NewCheckpointReader,
    init_from_checkpoint,
    list_variables,
    load_checkpoint,
    load_variable,
)
from scopeflow.train.ftrl import FtrlOptimizer
from scopeflow.train.gradient_descent import (
    GradientDescentOptimizer,
    ProximalGradientDescentOptimizer,
)
from scopeflow.train.learning_rate_decay import (
    cosine_decay,
    cosine_decay_restarts,
    exponential_decay,
    inverse_time_decay,
    linear_cosine_decay,
    natural_exp_decay,
    noisy_linear_cosine_decay,
    piecewise_constant,
    polynomial_decay,
)
from scopeflow.train.momentum import MomentumOptimizer
from scopeflow.train.moving_averages import ExponentialMovingAverage, assign_moving_average
from scopeflow.train.optimize_loss import optimize_loss
from scopeflow.train.optimizer import Optimizer
from scopeflow.train.restore_check import (
    CheckpointMismatchError,
    CheckpointMismatchInvalidArgumentError,
    CheckpointMismatchNotFoundError,
)
from scopeflow.train.rmsprop import RMSPropOptimizer
from scopeflow.train.safetensors_io import (
    bundle_to_safetensors,
    restore_safetensors,
    safetensors_to_bundle,
    save_safetensors,
)
from scopeflow.train.saver import Saver, SaverDef
from scopeflow.train.training_util import (
    create_global_step,
    get_global_step,
    get_or_create_global_step,
)

__all__ = [
    "AdadeltaOptimizer",
    "AdagradDAOptimizer",
    "AdagradOptimizer",
    "AdamOptimizer",
    "CheckpointMismatchError",
    "CheckpointMismatchInvalidArgumentError",
    "CheckpointMismatchNotFoundError",
    "CheckpointReader",
    "ExponentialMovingAverage",
    "FtrlOptimizer",
    "GradientDescentOptimizer",
    "MomentumOptimizer",
    "NewCheckpointReader",
    "Optimizer",
    "ProximalAdagradOptimizer",
    "ProximalGradientDescentOptimizer",
    "RMSPropOptimizer",
    "Saver",
    "SaverDef",
    "assign_moving_average",
    "bundle_to_safetensors",
    "checkpoint_exists",
    "cosine_decay",
    "cosine_decay_restarts",
    "create_global_step",
    "exponential_decay",
    "get_checkpoint_state",
    "get_global_step",
    "get_or_create_global_step",
    "init_from_checkpoint",
    "inverse_time_decay",
    "latest_checkpoint",
    "linear_cosine_decay",
    "list_variables",
    "load_checkpoint",
    "load_variable",
    "natural_exp_decay",
    "noisy_linear_cosine_decay",
    "optimize_loss",
    "piecewise_constant",
    "polynomial_decay",
    "restore_safetensors",
    "safetensors_to_bundle",
    "save_safetensors",
]
