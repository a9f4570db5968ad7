"""``tf.saved_model.builder``. Re-exports only."""

from scopeflow.saved_model.builder import SavedModelBuilder

__all__ = ["SavedModelBuilder"]
