"""``tf.train`` (TF1): Saver, checkpoint utilities, global step. Re-exports only.

>>> import scopeflow.compat.v1 as tf
>>> tf.train.latest_checkpoint("/nonexistent") is None
True
"""

from scopeflow.checkpoint import CheckpointState
from scopeflow.train.checkpoint_management import (
    checkpoint_exists,
    get_checkpoint_mtimes,
    get_checkpoint_state,
    latest_checkpoint,
    meta_graph_filename,
    remove_checkpoint,
    update_checkpoint_state,
)
from scopeflow.train.checkpoint_utils import (
    CheckpointReader,
    NewCheckpointReader,
    init_from_checkpoint,
    list_variables,
    load_checkpoint,
    load_variable,
)
from scopeflow.train.safetensors_io import restore_safetensors, save_safetensors
from scopeflow.train.saver import Saver, SaverDef
from scopeflow.train.training_util import (
    assert_global_step,
    create_global_step,
    get_global_step,
    get_or_create_global_step,
    global_step,
)

__all__ = [
    "CheckpointReader",
    "CheckpointState",
    "NewCheckpointReader",
    "Saver",
    "SaverDef",
    "assert_global_step",
    "checkpoint_exists",
    "create_global_step",
    "get_checkpoint_mtimes",
    "get_checkpoint_state",
    "get_global_step",
    "get_or_create_global_step",
    "global_step",
    "init_from_checkpoint",
    "latest_checkpoint",
    "list_variables",
    "load_checkpoint",
    "load_variable",
    "meta_graph_filename",
    "remove_checkpoint",
    "restore_safetensors",
    "save_safetensors",
    "update_checkpoint_state",
]

# --- programs (issue 10): tf.train.Example and friends --------------------------------------------
from scopeflow.protos.feature_pb2 import (
    BytesList,
    Example,
    Feature,
    FeatureList,
    FeatureLists,
    Features,
    FloatList,
    Int64List,
    SequenceExample,
)
from scopeflow.train.coordinator import Coordinator
from scopeflow.train.input import batch
from scopeflow.train.queue_runner import (
    QueueRunner,
    add_queue_runner,
    start_queue_runners,
)

__all__ += [
    "Coordinator",
    "QueueRunner",
    "add_queue_runner",
    "batch",
    "start_queue_runners",
    "BytesList",
    "Example",
    "Feature",
    "FeatureList",
    "FeatureLists",
    "Features",
    "FloatList",
    "Int64List",
    "SequenceExample",
]
