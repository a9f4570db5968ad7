"""``tf.contrib.opt``: decoupled weight decay (AdamW, MomentumW), LazyAdam, MovingAverageOptimizer.

TF 1.15's ``tf.contrib.opt`` classes, built on :mod:`scopeflow.train`'s optimizers with TF 1.15's
update rules and names.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from scopeflow.contrib.opt._lazy_adam import LazyAdamOptimizer
from scopeflow.contrib.opt._moving_average_optimizer import MovingAverageOptimizer
from scopeflow.contrib.opt._weight_decay import (
    AdamWOptimizer,
    DecoupledWeightDecayExtension,
    MomentumWOptimizer,
    extend_with_decoupled_weight_decay,
)

__all__ = [
    "AdamWOptimizer",
    "DecoupledWeightDecayExtension",
    "LazyAdamOptimizer",
    "MomentumWOptimizer",
    "MovingAverageOptimizer",
    "extend_with_decoupled_weight_decay",
]
