"""``tf.version``: the TensorFlow API version scopeflow emulates and TF 1.15's GraphDef versions.

Re-exports only (see ``_ns_misc`` and ``ops.framework_extra_ops``).
"""

from scopeflow.compat.v1._ns_misc import COMPILER_VERSION, GIT_VERSION, VERSION
from scopeflow.ops.framework_extra_ops import (
    GRAPH_DEF_VERSION,
    GRAPH_DEF_VERSION_MIN_CONSUMER,
    GRAPH_DEF_VERSION_MIN_PRODUCER,
)

__all__ = [
    "COMPILER_VERSION",
    "GIT_VERSION",
    "GRAPH_DEF_VERSION",
    "GRAPH_DEF_VERSION_MIN_CONSUMER",
    "GRAPH_DEF_VERSION_MIN_PRODUCER",
    "VERSION",
]
