"""``tf.saved_model.loader``. Re-exports only."""

from scopeflow.saved_model.loader import load, maybe_saved_model_directory

__all__ = ["load", "maybe_saved_model_directory"]
