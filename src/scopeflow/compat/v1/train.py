"""``tf.train`` (TF1): Saver, checkpoint utilities, global step. Re-exports only.

>>> import scopeflow.compat.v1 as tf
>>> tf.train.latest_checkpoint("/nonexistent") is None
True
"""

from scopeflow.checkpoint import CheckpointState
from scopeflow.summary.summary_iterator import summary_iterator
from scopeflow.train.adadelta import AdadeltaOptimizer
from scopeflow.train.adagrad import AdagradDAOptimizer, AdagradOptimizer, ProximalAdagradOptimizer
from scopeflow.train.adam import AdamOptimizer
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
from scopeflow.train.moving_averages import ExponentialMovingAverage
from scopeflow.train.optimizer import Optimizer
from scopeflow.train.rmsprop import RMSPropOptimizer
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
    "ExponentialMovingAverage",
    "AdadeltaOptimizer",
    "AdagradDAOptimizer",
    "AdagradOptimizer",
    "AdamOptimizer",
    "CheckpointReader",
    "CheckpointState",
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
    "assert_global_step",
    "checkpoint_exists",
    "cosine_decay",
    "cosine_decay_restarts",
    "create_global_step",
    "exponential_decay",
    "get_checkpoint_mtimes",
    "get_checkpoint_state",
    "get_global_step",
    "get_or_create_global_step",
    "global_step",
    "init_from_checkpoint",
    "inverse_time_decay",
    "latest_checkpoint",
    "linear_cosine_decay",
    "list_variables",
    "load_checkpoint",
    "load_variable",
    "meta_graph_filename",
    "natural_exp_decay",
    "noisy_linear_cosine_decay",
    "piecewise_constant",
    "polynomial_decay",
    "remove_checkpoint",
    "restore_safetensors",
    "save_safetensors",
    "summary_iterator",
    "update_checkpoint_state",
]

# --- graph_io (issue 12): GraphDef / MetaGraphDef files ------------------------------------------
from scopeflow.graph_import.meta_graph import export_meta_graph, import_meta_graph
from scopeflow.graph_io.files import write_graph

# --- programs (issue 10): tf.train.Example and friends --------------------------------------------
from scopeflow.summary._proto_exports import TRAIN_PROTOS as _TRAIN_PROTOS
from scopeflow.summary._proto_exports import lazy_getattr as _lazy_getattr
from scopeflow.train.coordinator import Coordinator
from scopeflow.train.queue_runner import (
    QueueRunner,
    add_queue_runner,
    start_queue_runners,
)

__all__ += [  # noqa: PLE0604
    "Coordinator",
    "QueueRunner",
    "add_queue_runner",
    "start_queue_runners",
    *sorted(_TRAIN_PROTOS),  # tf.train.Example, ... (lazy, see __getattr__)
]

__all__ += ["export_meta_graph", "import_meta_graph", "write_graph"]

# --- monitored sessions and hooks (issue 10) ------------------------------------------------------
from scopeflow.train.basic_loops import basic_train_loop  # noqa: E402
from scopeflow.train.basic_session_run_hooks import (  # noqa: E402
    CheckpointSaverHook,
    CheckpointSaverListener,
    FeedFnHook,
    FinalOpsHook,
    GlobalStepWaiterHook,
    LoggingTensorHook,
    NanLossDuringTrainingError,
    NanTensorHook,
    ProfilerHook,
    SecondOrStepTimer,
    StepCounterHook,
    StopAtStepHook,
    SummarySaverHook,
)
from scopeflow.train.coordinator import LooperThread  # noqa: E402
from scopeflow.train.monitored_session import (  # noqa: E402
    ChiefSessionCreator,
    MonitoredSession,
    MonitoredTrainingSession,
    Scaffold,
    SessionCreator,
    SingularMonitoredSession,
    WorkerSessionCreator,
)
from scopeflow.train.session_manager import SessionManager  # noqa: E402
from scopeflow.train.session_run_hook import (  # noqa: E402
    SessionRunArgs,
    SessionRunContext,
    SessionRunHook,
    SessionRunValues,
)
from scopeflow.train.supervisor import Supervisor  # noqa: E402

__all__ += [
    "CheckpointSaverHook",
    "CheckpointSaverListener",
    "ChiefSessionCreator",
    "FeedFnHook",
    "FinalOpsHook",
    "GlobalStepWaiterHook",
    "LoggingTensorHook",
    "LooperThread",
    "MonitoredSession",
    "MonitoredTrainingSession",
    "NanLossDuringTrainingError",
    "NanTensorHook",
    "ProfilerHook",
    "Scaffold",
    "SecondOrStepTimer",
    "SessionCreator",
    "SessionManager",
    "SessionRunArgs",
    "SessionRunContext",
    "SessionRunHook",
    "SessionRunValues",
    "SingularMonitoredSession",
    "StepCounterHook",
    "StopAtStepHook",
    "SummarySaverHook",
    "Supervisor",
    "WorkerSessionCreator",
    "basic_train_loop",
]

# --- tf.train.warm_start / VocabInfo (TF 1.15's warm_starting_util; issue 10, estimator) ---
from scopeflow.estimator.warm_starting import VocabInfo, warm_start  # noqa: E402

__all__ += ["VocabInfo", "warm_start"]

# tf.train.Example, ... (protobuf classes): loaded on first access, as tf.Summary is
__getattr__ = _lazy_getattr(__name__, _TRAIN_PROTOS)

# --- queue input pipelines (issue 10, queues) ----------------------------------------------------
from scopeflow.train.input import (  # noqa: E402
    batch,
    batch_join,
    input_producer,
    limit_epochs,
    match_filenames_once,
    maybe_batch,
    maybe_batch_join,
    maybe_shuffle_batch,
    maybe_shuffle_batch_join,
    range_input_producer,
    shuffle_batch,
    shuffle_batch_join,
    slice_input_producer,
    string_input_producer,
)

__all__ += [
    "batch",
    "batch_join",
    "input_producer",
    "limit_epochs",
    "match_filenames_once",
    "maybe_batch",
    "maybe_batch_join",
    "maybe_shuffle_batch",
    "maybe_shuffle_batch_join",
    "range_input_producer",
    "shuffle_batch",
    "shuffle_batch_join",
    "slice_input_producer",
    "string_input_producer",
]

# --- devplace: device placement of replicated training (issues 7 and 11) ------------------------
from scopeflow.train.device_setter import replica_device_setter  # noqa: E402
from scopeflow.train.server_lib import ClusterSpec, Server  # noqa: E402

__all__ += ["ClusterSpec", "Server", "replica_device_setter"]
