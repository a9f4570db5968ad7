"""``slim.nets.inception_v2``: Inception v2. Re-exports only."""

from scopeflow.contrib.slim.nets._inception import (
    inception_v2,
    inception_v2_arg_scope,
    inception_v2_base,
)

__all__ = ["inception_v2", "inception_v2_arg_scope", "inception_v2_base"]
