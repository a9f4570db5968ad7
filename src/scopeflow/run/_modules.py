"""The TensorFlow module tree as seen by a script run with ``scopeflow run``.

Every ``tensorflow[.x.y]`` module is a ``TFModule``: a module object whose attributes come from
one or more scopeflow modules (its *sources*). A public path (``tensorflow.nn``,
``tensorflow.compat.v1.train``) has the matching ``scopeflow.compat.v1`` module as its source;
a commonly imported private path (``tensorflow.python.ops.array_ops``) has the scopeflow modules
that implement its names (the ``PRIVATE_MODULES`` table). A name none of the sources has raises
``TFAttributeNotImplementedError`` naming the TF API (``scopeflow does not implement tf.foo``).

Must only be imported by ``scopeflow.run`` and ``scopeflow.cli``.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

from scopeflow.errors import TFAttributeNotImplementedError, TFModuleNotImplementedError

ROOT = "tensorflow"
_V1 = "scopeflow.compat.v1"
_PUBLIC_FALLBACK = (
    _V1,
    f"{_V1}.nn",
    f"{_V1}.math",
    f"{_V1}.linalg",
    f"{_V1}.image",
    f"{_V1}.random",
    f"{_V1}.sparse",
    f"{_V1}.train",
)
_FRAMEWORK_OPS = (
    "scopeflow.graph.graph",
    "scopeflow.graph.tensor",
    "scopeflow.graph.conversion",
    "scopeflow._core.graph_keys",
    "scopeflow._core.name_scope",
    _V1,
)


def _ops(name: str) -> tuple[str, ...]:
    return (f"scopeflow.ops.{name}", *_PUBLIC_FALLBACK)


_SLIM_LAYERS = ("layers", "initializers", "regularizers", "normalization")
_SLIM_OPS = ("arg_scope", "variables")

# TF private module -> the scopeflow modules its commonly used names are looked up in, in order.
PRIVATE_MODULES: dict[str, tuple[str, ...]] = {
    "tensorflow.python": (),
    "tensorflow.python.ops": (),
    "tensorflow.python.framework": (),
    "tensorflow.python.platform": (),
    "tensorflow.python.training": (),
    "tensorflow.python.util": (),
    "tensorflow.python.client": (),
    "tensorflow.python.lib": (),
    "tensorflow.python.lib.io": (),
    **{
        f"tensorflow.python.ops.{name}": _ops(name)
        for name in (
            "array_ops",
            "math_ops",
            "nn_ops",
            "init_ops",
            "state_ops",
            "random_ops",
            "clip_ops",
            "control_flow_ops",
            "embedding_ops",
            "functional_ops",
            "gradients_impl",
            "image_ops",
            "linalg_ops",
            "logging_ops",
            "script_ops",
            "sparse_ops",
            "tensor_array_ops",
            "custom_gradient",
        )
    },
    "tensorflow.python.ops.nn": _ops("nn_ops"),
    # imageops: tf.image's implementation module (slim/object-detection preprocessing)
    "tensorflow.python.ops.image_ops_impl": _ops("image_ops"),
    "tensorflow.python.ops.nn_impl": _ops("nn_ops"),
    "tensorflow.python.ops.gradients": _ops("gradients_impl"),
    "tensorflow.python.ops.standard_ops": _PUBLIC_FALLBACK,
    "tensorflow.python.ops.variable_scope": ("scopeflow._core.variable_scope", *_PUBLIC_FALLBACK),
    "tensorflow.python.ops.variables": ("scopeflow.graph.variables", *_PUBLIC_FALLBACK),
    "tensorflow.python.ops.partitioned_variables": ("scopeflow._core.partitioners",),
    "tensorflow.python.ops.template": ("scopeflow._core.template",),
    "tensorflow.python.ops.losses.losses": (f"{_V1}.losses",),
    "tensorflow.python.ops.losses": (f"{_V1}.losses",),
    "tensorflow.python.framework.ops": _FRAMEWORK_OPS,
    "tensorflow.python.framework.dtypes": ("scopeflow._core.dtypes",),
    "tensorflow.python.framework.tensor_shape": ("scopeflow._core.tensor_shape",),
    "tensorflow.python.framework.constant_op": ("scopeflow.ops.constant_op",),
    "tensorflow.python.framework.errors": ("scopeflow.errors",),
    "tensorflow.python.framework.errors_impl": ("scopeflow.errors",),
    "tensorflow.python.framework.sparse_tensor": ("scopeflow.ops.sparse_ops",),
    "tensorflow.python.framework.random_seed": ("scopeflow.ops.random_ops",),
    "tensorflow.python.platform.tf_logging": ("scopeflow.app.logging",),
    "tensorflow.python.platform.gfile": ("scopeflow.app.gfile",),
    "tensorflow.python.platform.flags": ("scopeflow.app.flags",),
    "tensorflow.python.platform.app": ("scopeflow.app.app",),
    "tensorflow.python.lib.io.file_io": ("scopeflow.app.gfile",),
    "tensorflow.python.util.nest": ("scopeflow.ops.nest",),
    "tensorflow.python.util.compat": ("scopeflow.app.compat",),
    "tensorflow.python.client.session": ("scopeflow.graph.session",),
    "tensorflow.python.training.saver": ("scopeflow.train.saver", f"{_V1}.train"),
    "tensorflow.python.training.training": (f"{_V1}.train",),
    "tensorflow.python.training.training_util": ("scopeflow.train.training_util",),
    "tensorflow.python.training.checkpoint_utils": ("scopeflow.train.checkpoint_utils",),
    "tensorflow.python.ops.parsing_ops": ("scopeflow.ops.parsing_ops", *_PUBLIC_FALLBACK),
    "tensorflow.python.lib.io.tf_record": ("scopeflow.data.tf_record",),
    "tensorflow.python.data": (),
    "tensorflow.python.data.ops": (),
    "tensorflow.python.data.ops.dataset_ops": ("scopeflow.data.dataset_ops",),
    "tensorflow.python.data.ops.iterator_ops": ("scopeflow.data.iterator_ops",),
    "tensorflow.python.data.ops.readers": ("scopeflow.data.readers",),
    "tensorflow.core": (),
    "tensorflow.core.example": (),
    "tensorflow.core.example.example_pb2": ("scopeflow.protos.example_pb2",),
    "tensorflow.core.example.feature_pb2": ("scopeflow.protos.feature_pb2",),
    "tensorflow.python.training.checkpoint_management": ("scopeflow.train.checkpoint_management",),
    # --- check_ops2 (checkops) ---
    "tensorflow.python.ops.check_ops": _ops("check_ops"),
    # --- end check_ops2 ---
    # --- saved_model (issue 12) ---
    "tensorflow.python.saved_model": (f"{_V1}.saved_model",),
    "tensorflow.python.saved_model.builder": (f"{_V1}.saved_model.builder",),
    "tensorflow.python.saved_model.builder_impl": ("scopeflow.saved_model.builder",),
    "tensorflow.python.saved_model.constants": ("scopeflow.saved_model.constants",),
    "tensorflow.python.saved_model.loader": (f"{_V1}.saved_model.loader",),
    "tensorflow.python.saved_model.loader_impl": ("scopeflow.saved_model.loader",),
    "tensorflow.python.saved_model.main_op": ("scopeflow.saved_model.main_op",),
    "tensorflow.python.saved_model.main_op_impl": ("scopeflow.saved_model.main_op",),
    "tensorflow.python.saved_model.simple_save": ("scopeflow.saved_model.builder",),
    "tensorflow.python.saved_model.signature_constants": (
        "scopeflow.saved_model.signature_constants",
    ),
    "tensorflow.python.saved_model.signature_def_utils": ("scopeflow.saved_model.signature_defs",),
    "tensorflow.python.saved_model.signature_def_utils_impl": (
        "scopeflow.saved_model.signature_defs",
    ),
    "tensorflow.python.saved_model.tag_constants": ("scopeflow.saved_model.tag_constants",),
    "tensorflow.python.saved_model.utils": ("scopeflow.saved_model.tensor_info",),
    "tensorflow.python.saved_model.utils_impl": ("scopeflow.saved_model.tensor_info",),
    # --- monitored sessions and hooks (issue 10) ---
    "tensorflow.python.training.basic_loops": ("scopeflow.train.basic_loops",),
    "tensorflow.python.training.session_run_hook": ("scopeflow.train.session_run_hook",),
    "tensorflow.python.training.basic_session_run_hooks": (
        "scopeflow.train.basic_session_run_hooks",
    ),
    "tensorflow.python.training.monitored_session": ("scopeflow.train.monitored_session",),
    "tensorflow.python.training.session_manager": ("scopeflow.train.session_manager",),
    "tensorflow.python.training.supervisor": ("scopeflow.train.supervisor",),
    "tensorflow.python.training.coordinator": ("scopeflow.train.coordinator",),
    # tf.estimator's private paths (TF 1.15's tensorflow/python/estimator forwards to
    # tensorflow_estimator); the public tf.estimator namespace backs each of them up.
    "tensorflow.python.estimator": (f"{_V1}.estimator",),
    "tensorflow.python.estimator.estimator": (
        "scopeflow.estimator.estimator",
        "scopeflow.estimator.warm_starting",
        f"{_V1}.estimator",
    ),
    "tensorflow.python.estimator.estimator_lib": (f"{_V1}.estimator",),
    "tensorflow.python.estimator.model_fn": (
        "scopeflow.estimator.model_fn",
        "scopeflow.estimator.mode_keys",
    ),
    "tensorflow.python.estimator.mode_keys": ("scopeflow.estimator.mode_keys",),
    "tensorflow.python.estimator.run_config": ("scopeflow.estimator.run_config",),
    "tensorflow.python.estimator.training": ("scopeflow.estimator.training",),
    "tensorflow.python.estimator.early_stopping": ("scopeflow.estimator.early_stopping",),
    "tensorflow.python.estimator.extenders": ("scopeflow.estimator.extenders",),
    "tensorflow.python.estimator.inputs": ("scopeflow.estimator.inputs",),
    "tensorflow.python.estimator.inputs.numpy_io": ("scopeflow.estimator.inputs.numpy_io",),
    "tensorflow.python.estimator.inputs.pandas_io": ("scopeflow.estimator.inputs.pandas_io",),
    # estexport: SavedModel export of Estimators (TF 1.15's export package, exporters, and
    # core's saved_model.model_utils)
    "tensorflow.python.estimator.export": ("scopeflow.estimator.export",),
    "tensorflow.python.estimator.export.export": ("scopeflow.estimator.export.export",),
    "tensorflow.python.estimator.export.export_output": (
        "scopeflow.estimator.export.export_output",
    ),
    "tensorflow.python.estimator.export.export_lib": (
        "scopeflow.estimator.export.export",
        "scopeflow.saved_model.model_utils",
    ),
    "tensorflow.python.estimator.exporter": ("scopeflow.estimator.exporter",),
    "tensorflow.python.saved_model.model_utils": ("scopeflow.saved_model.model_utils",),
    "tensorflow.python.saved_model.model_utils.export_output": (
        "scopeflow.saved_model.model_utils.export_output",
    ),
    "tensorflow.python.saved_model.model_utils.export_utils": (
        "scopeflow.saved_model.model_utils.export_utils",
    ),
    # the canned estimators' modules (dnn, dnn_linear_combined, linear, baseline, parsing_utils)
    "tensorflow.python.estimator.canned": ("scopeflow.estimator.canned",),
    **{
        f"tensorflow.python.estimator.canned.{name}": (f"scopeflow.estimator.canned._{name}",)
        for name in ("dnn", "dnn_linear_combined", "linear", "baseline", "parsing_utils")
    },
    # graph_import (issue 12): string ops of input signatures
    "tensorflow.python.ops.string_ops": ("scopeflow.ops.string_ops", *_PUBLIC_FALLBACK),
    # tf_slim's own module paths (``from tf_slim.layers import layers as layers_lib``) and TF
    # 1.15's contrib paths for the same code, as the slim nets import them.
    **{
        f"{package}.{name}": (source,)
        for package, names, source in (
            ("tensorflow.contrib.slim.layers", _SLIM_LAYERS, "scopeflow.contrib.layers"),
            ("tensorflow.contrib.layers.python.layers", _SLIM_LAYERS, "scopeflow.contrib.layers"),
            ("tensorflow.contrib.slim.ops", _SLIM_OPS, "scopeflow.contrib.framework"),
            ("tensorflow.contrib.framework.python.ops", _SLIM_OPS, "scopeflow.contrib.framework"),
        )
        for name in names
    },
    "tensorflow.contrib.slim.layers": ("scopeflow.contrib.layers",),
    "tensorflow.contrib.slim.ops": (),
    "tensorflow.contrib.layers.python": (),
    "tensorflow.contrib.layers.python.layers": ("scopeflow.contrib.layers",),
    "tensorflow.contrib.framework.python": (),
    "tensorflow.contrib.framework.python.ops": ("scopeflow.contrib.framework",),
    "tensorflow.contrib.slim.layers.utils": ("scopeflow.contrib.layers.utils",),
    "tensorflow.contrib.layers.python.layers.utils": ("scopeflow.contrib.layers.utils",),
    # NVlabs/stylegan's tflib.Optimizer sums per-GPU gradients with nccl_ops.all_sum
    "tensorflow.python.ops.nccl_ops": ("scopeflow.ops.nccl_ops",),
    # queues and queue input (issue 10, queues)
    "tensorflow.python.ops.data_flow_ops": ("scopeflow.ops.data_flow_ops",),
    "tensorflow.python.ops.io_ops": ("scopeflow.data.reader_ops", "scopeflow.ops.raw_io_ops"),
    "tensorflow.python.training.input": ("scopeflow.train.input",),
    "tensorflow.python.training.queue_runner": ("scopeflow.train.queue_runner",),
    "tensorflow.python.training.queue_runner_impl": ("scopeflow.train.queue_runner",),
    # contrib RNN libraries' private module paths (TF 1.15 layout).
    "tensorflow.contrib.cudnn_rnn.python": (),
    "tensorflow.contrib.cudnn_rnn.python.ops": (),
    "tensorflow.contrib.cudnn_rnn.python.ops.cudnn_rnn_ops": ("scopeflow.contrib.cudnn_rnn",),
    "tensorflow.contrib.cudnn_rnn.python.layers": (),
    "tensorflow.contrib.cudnn_rnn.python.layers.cudnn_rnn": ("scopeflow.contrib.cudnn_rnn",),
    "tensorflow.contrib.legacy_seq2seq.python": (),
    "tensorflow.contrib.legacy_seq2seq.python.ops": (),
    "tensorflow.contrib.legacy_seq2seq.python.ops.seq2seq": ("scopeflow.contrib.legacy_seq2seq",),
    # nnextra: tf.contrib.crf and tf.contrib.training private paths (TF 1.15 layout)
    "tensorflow.contrib.crf.python": (),
    "tensorflow.contrib.crf.python.ops": (),
    "tensorflow.contrib.crf.python.ops.crf": ("scopeflow.contrib.crf",),
    "tensorflow.contrib.training.python": (),
    "tensorflow.contrib.training.python.training": ("scopeflow.contrib.training",),
    "tensorflow.contrib.training.python.training.hparam": ("scopeflow.contrib.training",),
    # realcode: tf.contrib.factorization's private paths (TF 1.15 layout)
    "tensorflow.contrib.factorization.python": (),
    "tensorflow.contrib.factorization.python.ops": (),
    "tensorflow.contrib.factorization.python.ops.clustering_ops": (
        "scopeflow.contrib.factorization",
    ),
    # MNIST's reader (issue 11, dpar): TF 1.15's contrib.learn path and the tutorials' one
    "tensorflow.contrib.learn.python": (),
    "tensorflow.contrib.learn.python.learn": ("scopeflow.contrib.learn",),
    "tensorflow.contrib.learn.python.learn.datasets": ("scopeflow.contrib.learn.datasets",),
    "tensorflow.contrib.learn.python.learn.datasets.mnist": (
        "scopeflow.contrib.learn.datasets.mnist",
    ),
    "tensorflow.examples": (),
    "tensorflow.examples.tutorials": (),
    "tensorflow.examples.tutorials.mnist": (),
    "tensorflow.examples.tutorials.mnist.input_data": ("scopeflow.contrib.learn.datasets.mnist",),
    # feature columns (featcol): TF 1.15's private feature-column and lookup module paths
    "tensorflow.python.feature_column": (f"{_V1}.feature_column",),
    "tensorflow.python.feature_column.feature_column": (
        "scopeflow.feature_column._base",
        "scopeflow.feature_column._categorical",
        "scopeflow.feature_column._dense",
        "scopeflow.feature_column._models",
        f"{_V1}.feature_column",
    ),
    "tensorflow.python.feature_column.feature_column_v2": (
        "scopeflow.feature_column._categorical",
        "scopeflow.feature_column._dense",
        f"{_V1}.feature_column",
    ),
    "tensorflow.python.feature_column.feature_column_lib": (f"{_V1}.feature_column",),
    "tensorflow.python.ops.lookup_ops": ("scopeflow.ops.lookup_ops",),
    "tensorflow.contrib.lookup": ("scopeflow.contrib.lookup",),
    # uctext: ptb_word_lm.py counts GPUs with device_lib
    "tensorflow.python.client.device_lib": ("scopeflow.graph.devices",),
    # tf.test: TF1 projects' own test files
    "tensorflow.python.platform.test": (f"{_V1}.test",),
    "tensorflow.python.platform.googletest": ("absl.testing.absltest", f"{_V1}.test"),
    "tensorflow.python.framework.test_util": ("scopeflow.testing.test_util",),
    "tensorflow.python.ops.gradient_checker": ("scopeflow.testing.gradient_checker",),
    # ucs2s: google/seq2seq's private imports (Defun, tensor_util, layers base, distributions)
    "tensorflow.python.framework.function": ("scopeflow.ops.function",),
    "tensorflow.python.framework.tensor_util": ("scopeflow.ops.tensor_util",),
    "tensorflow.python.training.moving_averages": ("scopeflow.train.moving_averages",),
    "tensorflow.python.layers": (f"{_V1}.layers",),
    "tensorflow.python.layers.base": ("scopeflow.layers._base",),
    "tensorflow.contrib.rnn.python": (),
    "tensorflow.contrib.rnn.python.ops": (),
    "tensorflow.contrib.rnn.python.ops.rnn": ("scopeflow.contrib.rnn._stack",),
    "tensorflow.contrib.slim.python": (),
    "tensorflow.contrib.slim.python.slim": (),
    "tensorflow.contrib.slim.python.slim.nets": ("scopeflow.contrib.slim.nets",),
    "tensorflow.contrib.slim.python.slim.nets.inception_v3": (
        "scopeflow.contrib.slim.nets.inception_v3",
    ),
    "tensorflow.contrib.distributions.python": (),
    "tensorflow.contrib.distributions.python.ops": (),
    "tensorflow.contrib.distributions.python.ops.bernoulli": ("scopeflow.contrib.distributions",),
    "tensorflow.contrib.distributions.python.ops.categorical": ("scopeflow.contrib.distributions",),
    # slimtests: tf-slim's own test files' modules (tf_slim.X is tensorflow.contrib.slim.X)
    "tensorflow.contrib.slim.losses": ("scopeflow.contrib.losses",),
    "tensorflow.contrib.slim.losses.loss_ops": ("scopeflow.contrib.losses",),
    "tensorflow.contrib.slim.layers.optimizers": (
        "scopeflow.train.optimize_loss",
        "scopeflow.train.adaptive_clipping",  # slimfix
    ),
    "tensorflow.contrib.layers.python.layers.optimizers": (
        "scopeflow.train.optimize_loss",
        "scopeflow.train.adaptive_clipping",  # slimfix
    ),
    "tensorflow.contrib.slim.ops.framework_ops": ("scopeflow.contrib.framework._framework_ops",),
    "tensorflow.contrib.framework.python.ops.ops": ("scopeflow.contrib.framework._framework_ops",),
    "tensorflow.python.ops.resource_variables_toggle": (_V1,),
    **{
        f"tensorflow.python.training.{name}": (f"scopeflow.train.{name}", f"{_V1}.train")
        for name in ("gradient_descent", "momentum", "adam", "adagrad", "adadelta", "rmsprop")
    },
    # layers.py's private _inner_flatten, which tf-slim's layers_test calls
    **{
        f"{package}.layers": ("scopeflow.contrib.layers", "scopeflow.contrib.layers._more_layers")
        for package in ("tensorflow.contrib.slim.layers", "tensorflow.contrib.layers.python.layers")
    },
    # end slimtests
    # slimfix: contrib.layers' summaries and sparse_ops modules (tf_slim.layers.X)
    **{
        f"{package}.{name}": (f"scopeflow.contrib.layers.{name}",)
        for package in ("tensorflow.contrib.slim.layers", "tensorflow.contrib.layers.python.layers")
        for name in ("summaries", "sparse_ops")
    },
    "tensorflow.contrib.layers.python.ops": (),
    "tensorflow.contrib.layers.python.ops.sparse_ops": ("scopeflow.contrib.layers.sparse_ops",),
    # slim's ops/variables_test imports these (ResourceVariable: a variable made with
    # use_resource=True; see scopeflow.graph.variables)
    "tensorflow.python.ops.resource_variable_ops": ("scopeflow.graph.variables",),
    # end slimfix
    # --- apid: tf.signal's private module paths (TF 1.15 layout) ---
    "tensorflow.python.ops.signal": (f"{_V1}.signal",),
    **{
        f"tensorflow.python.ops.signal.{name}": (
            "scopeflow.ops.fft_ops",
            "scopeflow.ops.signal_ops",
        )
        for name in (
            "fft_ops",
            "shape_ops",
            "window_ops",
            "spectral_ops",
            "reconstruction_ops",
            "mel_ops",
            "mfcc_ops",
            "dct_ops",
            "signal",
        )
    },
    "tensorflow.python.ops.spectral_ops": ("scopeflow.ops.fft_ops", "scopeflow.ops.signal_ops"),
    "tensorflow.python.ops.sets": ("scopeflow.ops.set_ops",),
    "tensorflow.python.ops.sets_impl": ("scopeflow.ops.set_ops",),
    "tensorflow.python.ops.linalg": (f"{_V1}.linalg",),
    "tensorflow.python.ops.distributions": ("scopeflow.contrib.distributions",),
    **{
        f"tensorflow.python.ops.distributions.{name}": ("scopeflow.contrib.distributions",)
        for name in (
            "distribution",
            "distributions",
            "kullback_leibler",
            "normal",
            "bernoulli",
            "beta",
            "categorical",
            "dirichlet",
            "dirichlet_multinomial",
            "exponential",
            "gamma",
            "laplace",
            "multinomial",
            "student_t",
            "uniform",
        )
    },
    "tensorflow.python.ops.linalg.linalg_impl": ("scopeflow.ops.linalg_expm_ops", f"{_V1}.linalg"),
    # --- end apid ---
    # slimdata: TF 1.15's slim data modules and queues at their contrib paths (tf_slim.data.X
    # and tensorflow.contrib.slim.data.X resolve through scopeflow.contrib.slim.data)
    "tensorflow.contrib.slim.python.slim.queues": ("scopeflow.contrib.slim.queues",),
    "tensorflow.contrib.slim.python.slim.data": ("scopeflow.contrib.slim.data",),
    **{
        f"tensorflow.contrib.slim.python.slim.data.{name}": (f"scopeflow.contrib.slim.data.{name}",)
        for name in (
            "data_decoder",
            "data_provider",
            "dataset",
            "dataset_data_provider",
            "parallel_reader",
            "prefetch_queue",
            "test_utils",
            "tfexample_decoder",
        )
    },
    "tensorflow.python.ops.control_flow_case": ("scopeflow.ops.control_flow_ops",),
    # end slimdata
    # slimlearn: slim.learning/evaluation/summaries/metrics, tf.contrib.training and
    # tf.contrib.metrics (TF 1.15 and tf_slim paths), and the TF private modules their tests use
    "tensorflow.contrib.slim.metrics": ("scopeflow.contrib.metrics",),
    "tensorflow.contrib.slim.metrics.metric_ops": (
        "scopeflow.contrib.metrics._metric_ops",
        "scopeflow.contrib.metrics._concat_metrics",  # ssassign
    ),
    "tensorflow.contrib.slim.training": ("scopeflow.contrib.training",),
    "tensorflow.contrib.slim.training.training": ("scopeflow.contrib.training._training",),
    "tensorflow.contrib.slim.training.evaluation": ("scopeflow.contrib.training._evaluation",),
    "tensorflow.contrib.training.python.training.training": (
        "scopeflow.contrib.training._training",
    ),
    "tensorflow.contrib.training.python.training.evaluation": (
        "scopeflow.contrib.training._evaluation",
    ),
    "tensorflow.contrib.metrics.python": (),
    "tensorflow.contrib.metrics.python.ops": (),
    "tensorflow.contrib.metrics.python.ops.metric_ops": (
        "scopeflow.contrib.metrics._metric_ops",
        "scopeflow.contrib.metrics._concat_metrics",  # ssassign
    ),
    **{
        f"tensorflow.contrib.slim.python.slim.{name}": (f"scopeflow.contrib.slim.{name}",)
        for name in ("learning", "evaluation", "summaries")
    },
    "tensorflow.python.summary": (f"{_V1}.summary",),
    "tensorflow.python.summary.summary": ("scopeflow.summary.summary", f"{_V1}.summary"),
    "tensorflow.python.summary.summary_iterator": ("scopeflow.summary.summary_iterator",),
    "tensorflow.python.ops.metrics": ("scopeflow.metrics",),
    "tensorflow.python.ops.metrics_impl": ("scopeflow.metrics", "scopeflow.metrics._common"),
    "tensorflow.python.ops.variable_v1": ("scopeflow.graph.variables", _V1),
    "tensorflow.python.framework.indexed_slices": ("scopeflow.ops.sparse_ops",),
    "tensorflow.python.training.optimizer": ("scopeflow.train.optimizer",),
    "tensorflow.python.training.evaluation": ("scopeflow.estimator._evaluation",),
    "tensorflow.python.checkpoint": (),
    "tensorflow.python.checkpoint.checkpoint_management": (
        "scopeflow.train.checkpoint_management",
    ),
    "tensorflow.core.protobuf": (),
    "tensorflow.core.protobuf.config_pb2": ("scopeflow.protos.config_pb2",),
    "tensorflow.core.protobuf.saver_pb2": ("scopeflow.protos.saver_pb2",),
    # tfdbg is not built: its modules exist so that importing them works, and every name read
    # from them raises TFAttributeNotImplementedError naming it
    "tensorflow.python.debug": (),
    "tensorflow.python.debug.lib": (),
    "tensorflow.python.debug.lib.debug_data": (),
    "tensorflow.python.debug.wrappers": (),
    "tensorflow.python.debug.wrappers.hooks": (),
    # end slimlearn
    # timeline: Chrome traces of traced runs (RunOptions.trace_level, RunMetadata.step_stats)
    "tensorflow.python.client.timeline": ("scopeflow.graph.timeline",),
    "tensorflow.core.framework": (),
    "tensorflow.core.framework.step_stats_pb2": ("scopeflow.protos.step_stats_pb2",),
    # end timeline
    # devplace: device placement (tf.device functions, replica_device_setter, ClusterSpec)
    "tensorflow.python.training.device_setter": ("scopeflow.train.device_setter",),
    "tensorflow.python.training.server_lib": ("scopeflow.train.server_lib",),
    "tensorflow.python.framework.device": ("scopeflow.graph.device_functions",),
    "tensorflow.python.framework.device_spec": ("scopeflow.graph.api_c_device_spec",),
    "tensorflow.core.protobuf.cluster_pb2": ("scopeflow.protos.cluster_pb2",),
    # end devplace
}


def resolve_alias(fullname: str) -> str | None:
    """The ``tensorflow.*`` path an aliased module stands for (None if not aliased).

    ``ALIASES`` maps whole names; a submodule of ``tf_slim`` (``tf_slim.layers.layers``) is the
    same submodule of ``tensorflow.contrib.slim``.
    """
    if fullname in ALIASES:
        return ALIASES[fullname]
    if fullname.startswith("tf_slim."):
        return "tensorflow.contrib.slim." + fullname[len("tf_slim.") :]
    return None


# Other top-level packages scripts import for TF1 code: ``tf_slim`` is TF 1.15's contrib.slim;
# ``tensorflow_estimator`` (``.estimator`` is ``tf.estimator``) and its private modules.
ALIASES = {
    "tf_slim": "tensorflow.contrib.slim",
    "tensorflow_estimator": "tensorflow.python.estimator",
    "tensorflow_estimator.python": "tensorflow.python",
    **{
        f"tensorflow_estimator.python.{name}": f"tensorflow.python.{name}"
        for name in (
            "estimator",
            "estimator.estimator",
            "estimator.estimator_lib",
            "estimator.model_fn",
            "estimator.mode_keys",
            "estimator.run_config",
            "estimator.training",
            "estimator.early_stopping",
            "estimator.extenders",
            "estimator.inputs",
            "estimator.inputs.numpy_io",
            "estimator.inputs.pandas_io",
            "estimator.export",
            "estimator.export.export",
            "estimator.export.export_output",
            "estimator.export.export_lib",
            "estimator.exporter",
            "estimator.canned",
            "estimator.canned.dnn",
            "estimator.canned.dnn_linear_combined",
            "estimator.canned.linear",
            "estimator.canned.baseline",
            "estimator.canned.parsing_utils",
        )
    },
}

# Submodules whose package ``__init__`` star-imports them in TF 1.15, so that the package's
# attribute of that name is the submodule's function, not the submodule:
# ``from tensorflow.contrib.framework.python.ops import arg_scope`` is the ``arg_scope`` context
# manager (openai/glow's ``tfops.py``), while ``import ...ops.arg_scope`` is still the module.
_SHADOWED_SUBMODULES = frozenset({"tensorflow.contrib.framework.python.ops.arg_scope"})

# Third-party packages TF1 scripts import, served by scopeflow modules as they are.
EXTERNAL_MODULES = {
    "horovod": "scopeflow.distributed.horovod",
    "horovod.tensorflow": "scopeflow.distributed.horovod.tensorflow",
}


def tf_display_name(fullname: str) -> str:
    """``tf.foo.bar`` for a public ``tensorflow.foo.bar``; private paths stay as written."""
    if fullname == ROOT:
        return "tf"
    if fullname.startswith(f"{ROOT}.") and not fullname.startswith(
        (f"{ROOT}.python", f"{ROOT}.core")
    ):
        return "tf" + fullname[len(ROOT) :]
    return fullname


# set by importlib on the module itself; never borrowed from the scopeflow sources
_IMPORT_MACHINERY = frozenset(
    ("__spec__", "__loader__", "__path__", "__file__", "__package__", "__cached__", "__builtins__")
)


class TFModule(types.ModuleType):
    """A ``tensorflow.*`` module whose attributes are looked up in scopeflow modules."""

    def __init__(self, name: str, sources: tuple[types.ModuleType, ...]) -> None:
        super().__init__(name)
        self.__dict__["_sf_sources"] = sources
        doc = sources[0].__doc__ if sources else None
        self.__doc__ = f"scopeflow's {tf_display_name(name)}." + (f"\n\n{doc}" if doc else "")

    def __getattr__(self, attr: str) -> Any:
        if attr in _IMPORT_MACHINERY:
            raise AttributeError(attr)
        child = f"{self.__name__}.{attr}"
        if child in PRIVATE_MODULES and child not in _SHADOWED_SUBMODULES:
            return import_tf_module(child)
        for source in self.__dict__["_sf_sources"]:
            try:
                value = getattr(source, attr)
            except AttributeError:
                continue
            if isinstance(value, types.ModuleType) and value.__name__.startswith("scopeflow."):
                value = _proxy_for(child, (value,))
            self.__dict__[attr] = value  # later reads skip __getattr__
            return value
        if child.startswith(f"{ROOT}.contrib"):
            try:
                return import_tf_module(child)
            except TFModuleNotImplementedError:
                pass
        if attr.startswith("__"):
            raise AttributeError(attr)
        raise TFAttributeNotImplementedError(tf_display_name(child))

    def __dir__(self) -> list[str]:
        names = set(self.__dict__)
        for source in self.__dict__["_sf_sources"]:
            names.update(getattr(source, "__all__", None) or dir(source))
        return sorted(names)


def _proxy_for(name: str, sources: tuple[types.ModuleType, ...]) -> TFModule:
    module = sys.modules.get(name)
    if isinstance(module, TFModule):
        return module
    module = TFModule(name, sources)
    # A package, as TF's modules are: ``import tensorflow.contrib.x.python.ops`` after
    # ``from tensorflow.contrib import x`` needs the parent's ``__path__``.
    module.__dict__["__path__"] = []
    sys.modules[name] = module
    return module


def _import_optional(names: tuple[str, ...]) -> tuple[types.ModuleType, ...]:
    out = []
    for name in names:
        try:
            out.append(importlib.import_module(name))
        except ModuleNotFoundError as e:
            if e.name is None or not name.startswith(e.name):
                raise  # a real missing dependency inside an existing module
    return tuple(out)


def _contrib_source(fullname: str) -> types.ModuleType | None:
    """``scopeflow.contrib[.x]`` for ``tensorflow.contrib[.x]``, or None if not built."""
    target = "scopeflow" + fullname[len(ROOT) :]
    try:
        return importlib.import_module(target)
    except ModuleNotFoundError as e:
        if e.name is not None and target.startswith(e.name):
            return None
        raise


def import_tf_module(fullname: str) -> TFModule:
    """The ``TFModule`` for ``tensorflow.<path>`` (created and put in ``sys.modules`` once).

    Raises:
        TFModuleNotImplementedError: scopeflow has no module for that path.
    """
    existing = sys.modules.get(fullname)
    if isinstance(existing, TFModule):
        return existing
    if fullname in PRIVATE_MODULES:
        return _proxy_for(fullname, _import_optional(PRIVATE_MODULES[fullname]))
    if fullname == ROOT:
        from scopeflow.app.logging import get_logger  # noqa: PLC0415

        get_logger()  # TF sets up its logger when tensorflow is imported
        return _proxy_for(ROOT, (importlib.import_module(_V1),))
    if fullname == f"{ROOT}.contrib" or fullname.startswith(f"{ROOT}.contrib."):
        source = _contrib_source(fullname)
        if source is None:
            raise TFModuleNotImplementedError(tf_display_name(fullname))
        return _proxy_for(fullname, (source,))
    if fullname.startswith((f"{ROOT}.python.", f"{ROOT}.core.")):
        raise TFModuleNotImplementedError(fullname)
    parent_name, _, attr = fullname.rpartition(".")
    parent = import_tf_module(parent_name)
    try:
        value = getattr(parent, attr)
    except TFAttributeNotImplementedError:
        raise TFModuleNotImplementedError(tf_display_name(fullname)) from None
    if not isinstance(value, TFModule):
        raise TFModuleNotImplementedError(tf_display_name(fullname))
    return value
