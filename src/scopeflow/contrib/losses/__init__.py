"""``tf.contrib.losses`` (also ``tf.contrib.slim.losses``). Re-exports only.

Differences from TensorFlow: ``mean_pairwise_squared_error`` and ``metric_learning`` are not
provided (use ``tf.losses.mean_pairwise_squared_error``).
"""

from scopeflow.contrib.losses import _loss_ops
from scopeflow.contrib.losses._loss_ops import *  # noqa: F403

__all__ = [*_loss_ops.__all__]  # noqa: PLE0604
