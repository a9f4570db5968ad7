"""``tf.flags`` (absl's flags with TF1's conveniences). Re-exports only."""

from scopeflow.app import flags as _flags
from scopeflow.app.flags import *  # noqa: F403

__all__ = _flags.__all__
