"""``tf.app``: ``run`` and ``flags``. Re-exports only."""

from scopeflow.app import flags
from scopeflow.app.app import run

__all__ = ["flags", "run"]
