"""``tf.contrib.metrics`` (also ``tf.contrib.slim.metrics``): TF 1.15's streaming metrics.

Re-exports only. Differences from TensorFlow: ``streaming_concat`` is not provided (it assigns
to a slice of a variable, ``StridedSliceAssign``, which scopeflow does not build), nor are
``streaming_dynamic_auc``, ``auc_with_confidence_intervals``, ``accuracy``, ``f1_score`` and
``auc_using_histogram``.
"""

from scopeflow.contrib.metrics import _metric_ops
from scopeflow.contrib.metrics._metric_ops import *  # noqa: F403

__all__ = [*_metric_ops.__all__]  # noqa: PLE0604
