"""``tf.saved_model.main_op``. Re-exports only."""

from scopeflow.saved_model.main_op import main_op, main_op_with_restore

__all__ = ["main_op", "main_op_with_restore"]
