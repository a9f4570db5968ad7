"""``tf.data.experimental``: the commonly used names. Re-exports only."""

from scopeflow.data.dataset_ops import AUTOTUNE

__all__ = ["AUTOTUNE"]
