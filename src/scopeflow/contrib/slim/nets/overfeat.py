"""``slim.nets.overfeat``: OverFeat. Re-exports only."""

from scopeflow.contrib.slim.nets._classic import overfeat, overfeat_arg_scope

__all__ = ["overfeat", "overfeat_arg_scope"]
