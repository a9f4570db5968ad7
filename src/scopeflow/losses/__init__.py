"""``scopeflow.losses``: TF 1.15's ``tf.losses`` library. Re-exports only.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from scopeflow.losses import _losses_impl
from scopeflow.losses._losses_impl import *  # noqa: F403

__all__ = [*_losses_impl.__all__]  # noqa: PLE0604
