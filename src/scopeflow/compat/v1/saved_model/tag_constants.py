"""``tf.saved_model.tag_constants``. Re-exports only."""

from scopeflow.saved_model.tag_constants import GPU, SERVING, TPU, TRAINING

__all__ = ["GPU", "SERVING", "TPU", "TRAINING"]
