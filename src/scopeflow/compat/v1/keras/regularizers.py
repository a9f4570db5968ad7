"""``tf.keras.regularizers`` (the TF 1.15 Keras regularizers TF1 code calls): re-exports."""

from scopeflow.layers._regularizers import L1L2, Regularizer, l1, l1_l2, l2

__all__ = ["L1L2", "Regularizer", "l1", "l1_l2", "l2"]
