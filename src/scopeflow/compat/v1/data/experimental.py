"""``tf.data.experimental``: the commonly used names. Re-exports only."""

from scopeflow.data.dataset_ops import AUTOTUNE, group_by_window

__all__ = ["AUTOTUNE", "group_by_window"]
