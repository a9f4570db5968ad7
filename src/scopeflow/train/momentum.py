"""``tf.train.MomentumOptimizer`` (slot ``momentum``; ``ApplyMomentum``/``SparseApplyMomentum``).

Must not import ``scopeflow.compat``.
"""

from __future__ import annotations

from typing import Any

from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.ops import training_ops
from scopeflow.ops.math_ops import cast
from scopeflow.train.optimizer import Optimizer

__all__ = ["MomentumOptimizer"]


class MomentumOptimizer(Optimizer):
    """``accum = accum * momentum + grad; var -= lr * accum`` (Nesterov with ``use_nesterov``).

    >>> import scopeflow.compat.v1 as tf
    >>> w = tf.Variable([1.0], name="w")
    >>> opt = tf.train.MomentumOptimizer(0.1, 0.9)
    >>> _ = opt.minimize(w * w)
    >>> print(opt.get_slot(w, "momentum").name)
    w/Momentum:0
    """

    def __init__(
        self,
        learning_rate: Any,
        momentum: Any,
        use_locking: bool = False,
        name: str = "Momentum",
        use_nesterov: bool = False,
    ) -> None:
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._momentum = momentum
        self._use_nesterov = use_nesterov

    def _create_slots(self, var_list: list[Any]) -> None:
        for v in var_list:
            self._zeros_slot(v, "momentum", self._name)

    def _prepare(self) -> None:
        lr = self._call_if_callable(self._learning_rate)
        self._learning_rate_tensor = convert_to_tensor(lr, name="learning_rate")
        momentum = self._call_if_callable(self._momentum)
        self._momentum_tensor = convert_to_tensor(momentum, name="momentum")

    def _apply_dense(self, grad: Any, var: Any) -> Any:
        dt = var.dtype.base_dtype
        return training_ops.apply_momentum(
            var,
            self.get_slot(var, "momentum"),
            cast(self._learning_rate_tensor, dt),
            grad,
            cast(self._momentum_tensor, dt),
            use_locking=self._use_locking,
            use_nesterov=self._use_nesterov,
        ).op

    def _apply_sparse(self, grad: Any, var: Any) -> Any:
        dt = var.dtype.base_dtype
        return training_ops.sparse_apply_momentum(
            var,
            self.get_slot(var, "momentum"),
            cast(self._learning_rate_tensor, dt),
            grad.values,
            grad.indices,
            cast(self._momentum_tensor, dt),
            use_locking=self._use_locking,
            use_nesterov=self._use_nesterov,
        ).op
