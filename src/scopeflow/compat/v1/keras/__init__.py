"""``tf.keras`` (TF1 model code uses only ``tf.keras.initializers`` here): re-exports only."""

from scopeflow.compat.v1.keras import initializers, regularizers

__all__ = ["initializers", "regularizers"]
