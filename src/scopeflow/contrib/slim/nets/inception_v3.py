"""``slim.nets.inception_v3``: Inception v3. Re-exports only."""

from scopeflow.contrib.slim.nets._inception import (
    inception_v3,
    inception_v3_arg_scope,
    inception_v3_base,
)

__all__ = ["inception_v3", "inception_v3_arg_scope", "inception_v3_base"]
