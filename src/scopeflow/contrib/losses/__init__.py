"""``tf.contrib.losses`` (also ``tf.contrib.slim.losses``). Re-exports only.

Differences from TensorFlow: ``metric_learning`` is not provided.
"""

from scopeflow.contrib.losses import _loss_ops
from scopeflow.contrib.losses._loss_ops import *  # noqa: F403

__all__ = [*_loss_ops.__all__]  # noqa: PLE0604
