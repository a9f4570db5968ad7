"""Give TF 2's ``tf.compat.v1`` a ``tf.contrib`` built from tf_slim (TF 1.15's contrib code).

Used by ``tools/record_tf_golden.py`` for the ``contrib_*`` conformance topics and by the tools
that record contrib goldens. Needs TensorFlow and tf-slim installed (never scopeflow dependencies).

tf_slim 1.1.0 imports two paths that TF 2.x moved: ``tensorflow.python.framework.ops.Tensor``
(now ``tf.Tensor``) and ``tf_keras.legacy_tf_layers`` (now ``tf_keras.src.legacy_tf_layers``);
both are aliased here before tf_slim is imported.
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType, SimpleNamespace
from typing import Any

_LEGACY = ("base", "convolutional", "core", "normalization", "pooling", "variable_scope_shim")


def _alias_legacy_layers() -> None:
    package = importlib.import_module("tf_keras.src.legacy_tf_layers")
    sys.modules.setdefault("tf_keras.legacy_tf_layers", package)
    for name in _LEGACY:
        module = importlib.import_module(f"tf_keras.src.legacy_tf_layers.{name}")
        sys.modules.setdefault(f"tf_keras.legacy_tf_layers.{name}", module)


def build_contrib(tf: ModuleType) -> SimpleNamespace:
    """A ``tf.contrib`` namespace with ``slim``, ``layers``, ``framework`` and ``losses``."""
    import tensorflow.python.framework.ops as framework_ops

    framework_ops.Tensor = tf.Tensor
    _alias_legacy_layers()
    import tf_slim
    import tf_slim.nets
    from tensorflow.python.ops import variable_scope as tf_variable_scope
    from tf_slim.layers import initializers, normalization, regularizers
    from tf_slim.layers import layers as layers_module
    from tf_slim.layers import utils as layers_utils
    from tf_slim.ops import variables as slim_variables

    # TF 2 dropped variable_scope.variable (slim's local_variable/global_variable use it).
    tf_variable_scope.variable = tf.Variable
    # ... and control_flow_ops.cond (slim's smart_cond with a tensor predicate uses it).
    from tensorflow.python.ops import control_flow_ops

    control_flow_ops.cond = tf.cond
    # ... and control_flow_ops.case (slim's tfexample_decoder.Image uses it; slimdata)
    control_flow_ops.case = tf.case
    from tensorflow.python.ops import array_ops

    array_ops.stack = tf.stack  # (TF 2.21 moved it to array_ops_stack)
    # slimlearn: slim's metrics and learning read ops.IndexedSlices (moved in TF 2.x)
    framework_ops.IndexedSlices = tf.IndexedSlices
    names: dict[str, Any] = {}
    for module in (tf_slim.layers, layers_module, initializers, regularizers, normalization):
        names.update({k: getattr(module, k) for k in dir(module) if not k.startswith("_")})
    layers = SimpleNamespace(**names)
    for name in ("instance_norm", "group_norm"):
        setattr(tf_slim, name, names[name])
    layers.utils = layers_utils
    tf_slim.layers.utils = layers_utils
    # tf.contrib.layers re-exported these in TF 1.15 (from tensorflow/contrib/layers/__init__.py).
    for name in ("arg_scope", "add_arg_scope", "model_variable", "variable"):
        setattr(layers, name, getattr(tf_slim, name))
    framework: dict[str, Any] = {k: getattr(slim_variables, k) for k in slim_variables.__all__}
    for name in (
        "arg_scope",
        "add_arg_scope",
        "current_arg_scope",
        "has_arg_scope",
        "arg_scoped_arguments",
    ):
        framework[name] = getattr(tf_slim, name)
    # and contrib/framework/python/ops/ops.py's two functions (tf_slim's ops.framework_ops)
    from tf_slim.ops import framework_ops as slim_framework_ops

    for name in ("get_graph_from_inputs", "get_name_scope"):
        framework[name] = getattr(slim_framework_ops, name)
    # TF 2 keeps contrib.factorization's KMeans graph as core clustering_ops (its
    # training_graph() returns 6 values: TF 1.15's without cluster_centers_var)
    from tensorflow.python.ops import clustering_ops

    # slimlearn: contrib.training's training loop and evaluation (tf_slim.training is TF 1.15's
    # contrib/training/python/training/{training,evaluation}.py) and contrib.metrics
    from tf_slim.training import evaluation as training_evaluation
    from tf_slim.training import training as training_training

    training = {
        name: getattr(module, name)
        for module in (training_training, training_evaluation)
        for name in module.__all__
    }
    # slimtrain: contrib.deprecated is TF 1.x's home of the TF 0.12 summary functions, which TF
    # 2.21 still defines in logging_ops
    from tensorflow.python.ops import logging_ops

    deprecated = SimpleNamespace(
        **{
            name: getattr(logging_ops, name)
            for name in (
                "audio_summary",
                "histogram_summary",
                "image_summary",
                "merge_all_summaries",
                "merge_summary",
                "scalar_summary",
            )
        }
    )
    return SimpleNamespace(
        deprecated=deprecated,
        training=SimpleNamespace(**training),
        metrics=tf_slim.metrics,
        factorization=SimpleNamespace(KMeans=clustering_ops.KMeans),
        slim=tf_slim,
        layers=layers,
        framework=SimpleNamespace(**framework),
        losses=tf_slim.losses,
    )


def install(tf: ModuleType) -> None:
    """Attach ``tf.contrib`` to the ``tf.compat.v1`` module."""
    tf.contrib = build_contrib(tf)
