"""``slim.nets.inception_v1``: Inception v1. Re-exports only."""

from scopeflow.contrib.slim.nets._inception import (
    inception_v1,
    inception_v1_arg_scope,
    inception_v1_base,
)

__all__ = ["inception_v1", "inception_v1_arg_scope", "inception_v1_base"]
