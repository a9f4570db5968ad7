"""``tf.losses``: re-exports only."""

from scopeflow.losses import _losses_impl
from scopeflow.losses._losses_impl import *  # noqa: F403

__all__ = [*_losses_impl.__all__]  # noqa: PLE0604
