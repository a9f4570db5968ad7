"""``tf.losses`` (regularization-loss accessors; the loss functions come with the layers issue)."""

from scopeflow.ops.losses_impl import get_regularization_loss, get_regularization_losses

__all__ = ["get_regularization_loss", "get_regularization_losses"]
