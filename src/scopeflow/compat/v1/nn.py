"""``tf.nn``: re-exports only."""

from scopeflow.compat.v1 import _ns_nn
from scopeflow.compat.v1._ns_nn import *  # noqa: F403

__all__ = [*_ns_nn.__all__]  # noqa: PLE0604
