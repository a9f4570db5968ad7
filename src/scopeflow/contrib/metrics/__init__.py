"""``tf.contrib.metrics`` (also ``tf.contrib.slim.metrics``): TF 1.15's streaming metrics.

Re-exports only. Differences from TensorFlow: ``accuracy``, ``f1_score`` and
``auc_using_histogram`` are not provided.
"""

from scopeflow.contrib.metrics import _concat_metrics, _metric_ops
from scopeflow.contrib.metrics._concat_metrics import *  # noqa: F403
from scopeflow.contrib.metrics._metric_ops import *  # noqa: F403

__all__ = [*_metric_ops.__all__, *_concat_metrics.__all__]  # noqa: PLE0604
