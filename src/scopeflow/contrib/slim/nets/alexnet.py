"""``slim.nets.alexnet``: AlexNet v2. Re-exports only."""

from scopeflow.contrib.slim.nets._classic import alexnet_v2, alexnet_v2_arg_scope

__all__ = ["alexnet_v2", "alexnet_v2_arg_scope"]
