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

# slimdata: TF 1.15's slim data modules and queues
from scopeflow.contrib.slim import data, model_analyzer, nets, queues
from scopeflow.contrib.slim.data import (
    data_decoder,
    data_provider,
    dataset,
    dataset_data_provider,
    parallel_reader,
    prefetch_queue,
    tfexample_decoder,
)

# slimlearn: slim.learning, slim.evaluation, slim.summaries, slim.metrics (= tf.contrib.metrics)
from scopeflow.contrib import metrics  # isort: skip
from scopeflow.contrib.slim import evaluation, learning  # isort: skip

# ``slim.summaries`` is slim's module, not the ``contrib.layers.summaries`` the star import
# bound (``from package import name`` would return that attribute without loading slim's).
import scopeflow.contrib.slim.summaries as summaries  # type: ignore[no-redef]  # noqa: PLR0402  # isort: skip
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
    # slimdata
    "data",
    "data_decoder",
    "data_provider",
    "dataset",
    "dataset_data_provider",
    "parallel_reader",
    "prefetch_queue",
    "queues",
    "tfexample_decoder",
    # slimlearn
    "evaluation",
    "learning",
    "metrics",
    "summaries",
]
