"""``tf.train.RMSPropOptimizer``: slots ``rms`` (starts at ONES, as TF1), ``mg``, ``momentum``.

Must not import ``scopeflow.compat``.
"""

from __future__ import annotations

from typing import Any

from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.ops import training_ops
from scopeflow.ops.array_ops import ones_like
from scopeflow.ops.init_ops import ones_initializer
from scopeflow.ops.math_ops import cast
from scopeflow.train.optimizer import Optimizer

__all__ = ["RMSPropOptimizer"]


class RMSPropOptimizer(Optimizer):
    """RMSProp with momentum; ``centered=True`` normalizes by the gradient's variance.

    >>> import scopeflow.compat.v1 as tf
    >>> w = tf.Variable([1.0], name="w")
    >>> opt = tf.train.RMSPropOptimizer(0.01, centered=True)
    >>> _ = opt.minimize(w * w)
    >>> print([v.name for v in opt.variables()])
    ['w/RMSProp:0', 'w/RMSProp_1:0', 'w/RMSProp_2:0']
    """

    def __init__(
        self,
        learning_rate: Any,
        decay: Any = 0.9,
        momentum: Any = 0.0,
        epsilon: Any = 1e-10,
        use_locking: bool = False,
        centered: bool = False,
        name: str = "RMSProp",
    ) -> None:
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._decay = decay
        self._momentum = momentum
        self._epsilon = epsilon
        self._centered = centered

    def _create_slots(self, var_list: list[Any]) -> None:
        for v in var_list:
            dt = v.dtype.base_dtype
            if v.get_shape().is_fully_defined():
                init_rms: Any = ones_initializer(dtype=dt)
            else:
                init_rms = ones_like(v)
            self._get_or_make_slot_with_initializer(
                v, init_rms, v.get_shape(), dt, "rms", self._name
            )
            if self._centered:
                self._zeros_slot(v, "mg", self._name)
            self._zeros_slot(v, "momentum", self._name)

    def _prepare(self) -> None:
        c = self._call_if_callable
        self._learning_rate_tensor = convert_to_tensor(c(self._learning_rate), name="learning_rate")
        self._decay_tensor = convert_to_tensor(c(self._decay), name="decay")
        self._momentum_tensor = convert_to_tensor(c(self._momentum), name="momentum")
        self._epsilon_tensor = convert_to_tensor(c(self._epsilon), name="epsilon")

    def _hyper(self, var: Any) -> tuple[Any, Any, Any, Any]:
        dt = var.dtype.base_dtype
        return (
            cast(self._learning_rate_tensor, dt),
            cast(self._decay_tensor, dt),
            cast(self._momentum_tensor, dt),
            cast(self._epsilon_tensor, dt),
        )

    def _apply_dense(self, grad: Any, var: Any) -> Any:
        rms, mom = self.get_slot(var, "rms"), self.get_slot(var, "momentum")
        if self._centered:
            return training_ops.apply_centered_rms_prop(
                var,
                self.get_slot(var, "mg"),
                rms,
                mom,
                *self._hyper(var),
                grad,
                use_locking=self._use_locking,
            ).op
        return training_ops.apply_rms_prop(
            var, rms, mom, *self._hyper(var), grad, use_locking=self._use_locking
        ).op

    def _apply_sparse(self, grad: Any, var: Any) -> Any:
        rms, mom = self.get_slot(var, "rms"), self.get_slot(var, "momentum")
        if self._centered:
            return training_ops.sparse_apply_centered_rms_prop(
                var,
                self.get_slot(var, "mg"),
                rms,
                mom,
                *self._hyper(var),
                grad.values,
                grad.indices,
                use_locking=self._use_locking,
            )
        return training_ops.sparse_apply_rms_prop(
            var,
            rms,
            mom,
            *self._hyper(var),
            grad.values,
            grad.indices,
            use_locking=self._use_locking,
        )
