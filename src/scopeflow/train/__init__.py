"""``scopeflow.train``: TF1's ``tf.train`` checkpoint API over :mod:`scopeflow.checkpoint`.

``Saver``, ``latest_checkpoint``/``get_checkpoint_state``/``checkpoint_exists``,
``list_variables``/``load_variable``/``load_checkpoint``/``NewCheckpointReader``,
``init_from_checkpoint``, the global-step helpers, and safetensors import/export
(``save_safetensors``/``restore_safetensors``). The library never prints.

Must not import ``scopeflow.compat``.
"""

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
from scopeflow.train.restore_check import (
    CheckpointMismatchError,
    CheckpointMismatchInvalidArgumentError,
    CheckpointMismatchNotFoundError,
)
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
    "CheckpointMismatchError",
    "CheckpointMismatchInvalidArgumentError",
    "CheckpointMismatchNotFoundError",
    "CheckpointReader",
    "NewCheckpointReader",
    "Saver",
    "SaverDef",
    "bundle_to_safetensors",
    "checkpoint_exists",
    "create_global_step",
    "get_checkpoint_state",
    "get_global_step",
    "get_or_create_global_step",
    "init_from_checkpoint",
    "latest_checkpoint",
    "list_variables",
    "load_checkpoint",
    "load_variable",
    "restore_safetensors",
    "safetensors_to_bundle",
    "save_safetensors",
]
