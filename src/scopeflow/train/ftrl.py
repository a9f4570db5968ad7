"""``tf.train.FtrlOptimizer`` (slots ``accum`` and ``linear``; ``ApplyFtrl``/``ApplyFtrlV2``).

Differences from TensorFlow: TF 2.x's ``beta`` argument (absent from TF 1.15) is not offered.

Must not import ``scopeflow.compat``.
"""

from __future__ import annotations

from typing import Any

from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.ops import training_ops
from scopeflow.ops.constant_op import constant
from scopeflow.ops.math_ops import cast
from scopeflow.train.optimizer import Optimizer

__all__ = ["FtrlOptimizer"]


class FtrlOptimizer(Optimizer):
    """FTRL-proximal with L1, L2 and L2-shrinkage regularization and ``learning_rate_power``.

    >>> import scopeflow.compat.v1 as tf
    >>> w = tf.Variable([1.0], name="w")
    >>> opt = tf.train.FtrlOptimizer(0.1)
    >>> _ = opt.minimize(w * w)
    >>> print([v.name for v in opt.variables()])
    ['w/Ftrl:0', 'w/Ftrl_1:0']
    """

    def __init__(
        self,
        learning_rate: Any,
        learning_rate_power: float = -0.5,
        initial_accumulator_value: float = 0.1,
        l1_regularization_strength: float = 0.0,
        l2_regularization_strength: float = 0.0,
        use_locking: bool = False,
        name: str = "Ftrl",
        accum_name: str | None = None,
        linear_name: str | None = None,
        l2_shrinkage_regularization_strength: float = 0.0,
    ) -> None:
        super().__init__(use_locking, name)
        if initial_accumulator_value < 0.0:
            raise ValueError(
                f"initial_accumulator_value {initial_accumulator_value:f} needs to "
                "be positive or zero"
            )
        if learning_rate_power > 0.0:
            raise ValueError(
                f"learning_rate_power {learning_rate_power:f} needs to be negative or zero"
            )
        if l1_regularization_strength < 0.0:
            raise ValueError(
                f"l1_regularization_strength {l1_regularization_strength:f} needs "
                "to be positive or zero"
            )
        if l2_regularization_strength < 0.0:
            raise ValueError(
                f"l2_regularization_strength {l2_regularization_strength:f} needs "
                "to be positive or zero"
            )
        if l2_shrinkage_regularization_strength < 0.0:
            raise ValueError(
                "l2_shrinkage_regularization_strength "
                f"{l2_shrinkage_regularization_strength:f} needs to be positive or "
                "zero"
            )
        self._learning_rate = learning_rate
        self._learning_rate_power = learning_rate_power
        self._initial_accumulator_value = initial_accumulator_value
        self._l1_regularization_strength = l1_regularization_strength
        self._l2_regularization_strength = l2_regularization_strength
        self._l2_shrinkage_regularization_strength = l2_shrinkage_regularization_strength
        self._accum_name = accum_name
        self._linear_name = linear_name

    def _create_slots(self, var_list: list[Any]) -> None:
        for v in var_list:
            val = constant(
                self._initial_accumulator_value, dtype=v.dtype.base_dtype, shape=v.get_shape()
            )
            self._get_or_make_slot(v, val, "accum", self._accum_name or self._name)
            self._zeros_slot(v, "linear", self._linear_name or self._name)

    def _prepare(self) -> None:
        self._learning_rate_tensor = convert_to_tensor(self._learning_rate, name="learning_rate")
        self._l1_regularization_strength_tensor = convert_to_tensor(
            self._l1_regularization_strength, name="l1_regularization_strength"
        )
        self._l2_regularization_strength_tensor = convert_to_tensor(
            self._l2_regularization_strength, name="l2_regularization_strength"
        )
        self._l2_shrinkage_regularization_strength_tensor = convert_to_tensor(
            self._l2_shrinkage_regularization_strength, name="l2_shrinkage_regularization_strength"
        )
        self._learning_rate_power_tensor = convert_to_tensor(
            self._learning_rate_power, name="learning_rate_power"
        )

    def _hyper(self, var: Any) -> tuple[Any, Any, Any]:
        dt = var.dtype.base_dtype
        return (
            cast(self._learning_rate_tensor, dt),
            cast(self._l1_regularization_strength_tensor, dt),
            cast(self._l2_regularization_strength_tensor, dt),
        )

    def _apply_dense(self, grad: Any, var: Any) -> Any:
        accum, linear = self.get_slot(var, "accum"), self.get_slot(var, "linear")
        power = cast(self._learning_rate_power_tensor, var.dtype.base_dtype)
        if self._l2_shrinkage_regularization_strength <= 0.0:
            return training_ops.apply_ftrl(
                var, accum, linear, grad, *self._hyper(var), power, use_locking=self._use_locking
            )
        shrink = cast(self._l2_shrinkage_regularization_strength_tensor, var.dtype.base_dtype)
        return training_ops.apply_ftrl_v2(
            var,
            accum,
            linear,
            grad,
            *self._hyper(var),
            shrink,
            power,
            use_locking=self._use_locking,
        )

    def _apply_sparse(self, grad: Any, var: Any) -> Any:
        accum, linear = self.get_slot(var, "accum"), self.get_slot(var, "linear")
        power = cast(self._learning_rate_power_tensor, var.dtype.base_dtype)
        if self._l2_shrinkage_regularization_strength <= 0.0:
            return training_ops.sparse_apply_ftrl(
                var,
                accum,
                linear,
                grad.values,
                grad.indices,
                *self._hyper(var),
                power,
                use_locking=self._use_locking,
            )
        shrink = cast(self._l2_shrinkage_regularization_strength_tensor, grad.dtype.base_dtype)
        return training_ops.sparse_apply_ftrl_v2(
            var,
            accum,
            linear,
            grad.values,
            grad.indices,
            *self._hyper(var),
            shrink,
            power,
            use_locking=self._use_locking,
        )
