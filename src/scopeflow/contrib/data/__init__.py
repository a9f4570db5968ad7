"""``tf.contrib.data``: TF 1.15's dataset transformations that code still imports from contrib.

Only ``group_by_window`` (tensorflow/nmt buckets its batches with it).

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from scopeflow.data.dataset_ops import group_by_window

__all__ = ["group_by_window"]
