"""``tf.nn``: re-exports only."""

from scopeflow.compat.v1 import _ns_nn
from scopeflow.compat.v1._ns_nn import *  # noqa: F403
from scopeflow.ops.nn_ops import bias_add, conv2d, relu

__all__ = [*_ns_nn.__all__, "bias_add", "conv2d", "relu"]  # noqa: PLE0604
