"""``tf.queue``. Re-exports only."""

from scopeflow.ops.data_flow_ops import FIFOQueue

__all__ = ["FIFOQueue"]
