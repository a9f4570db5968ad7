"""``tf.random``: re-exports only."""

from scopeflow.ops.random_ops import (
    categorical,
    get_seed,
    multinomial,
    set_random_seed,
    truncated_normal,
)
from scopeflow.ops.random_ops import random_normal as normal
from scopeflow.ops.random_ops import random_shuffle as shuffle
from scopeflow.ops.random_ops import random_uniform as uniform

__all__ = [
    "categorical",
    "get_seed",
    "multinomial",
    "normal",
    "set_random_seed",
    "shuffle",
    "truncated_normal",
    "uniform",
]
