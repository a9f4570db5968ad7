"""``tf.contrib.slim``. Re-exports only.

``tf.contrib.slim``: the contrib layers, ``arg_scope`` and the variable helpers in one
namespace, as TF 1.15's ``slim``. Re-exports only.

>>> import scopeflow.compat.v1 as tf
>>> slim = tf.contrib.slim
>>> slim.conv2d is tf.contrib.layers.conv2d
True
"""

from scopeflow.contrib import framework, layers, losses
from scopeflow.contrib.framework import *  # noqa: F403
from scopeflow.contrib.layers import *  # noqa: F403
from scopeflow.contrib.layers import initializers, regularizers
from scopeflow.contrib.slim import model_analyzer, nets

# slimlearn: slim.learning, slim.evaluation, slim.summaries, slim.metrics (= tf.contrib.metrics)
from scopeflow.contrib import metrics  # isort: skip
from scopeflow.contrib.slim import evaluation, learning, summaries  # isort: skip
# end slimlearn

__all__ = [  # noqa: PLE0604
    *layers.__all__,
    *framework.__all__,
    "framework",
    "initializers",
    "layers",
    "losses",
    "model_analyzer",
    "nets",
    "regularizers",
    # slimlearn
    "evaluation",
    "learning",
    "metrics",
    "summaries",
]
