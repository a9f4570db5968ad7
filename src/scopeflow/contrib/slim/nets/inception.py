"""``slim.nets.inception``: Inception v1, v2 and v3. Re-exports only."""

from scopeflow.contrib.slim.nets._inception import (
    inception_v1,
    inception_v1_arg_scope,
    inception_v1_base,
    inception_v2,
    inception_v2_arg_scope,
    inception_v2_base,
    inception_v3,
    inception_v3_arg_scope,
    inception_v3_base,
)

__all__ = [
    "inception_v1",
    "inception_v1_arg_scope",
    "inception_v1_base",
    "inception_v2",
    "inception_v2_arg_scope",
    "inception_v2_base",
    "inception_v3",
    "inception_v3_arg_scope",
    "inception_v3_base",
]
