"""``tf.train.AdagradOptimizer``, ``ProximalAdagradOptimizer`` and ``AdagradDAOptimizer``.

Must not import ``scopeflow.compat``.
"""

from __future__ import annotations

from typing import Any

from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.ops import training_ops
from scopeflow.ops.array_ops import identity
from scopeflow.ops.constant_op import constant
from scopeflow.ops.init_ops import constant_initializer
from scopeflow.ops.math_ops import cast
from scopeflow.train.optimizer import Optimizer

__all__ = ["AdagradDAOptimizer", "AdagradOptimizer", "ProximalAdagradOptimizer"]


class AdagradOptimizer(Optimizer):
    """``accum += grad**2; var -= lr * grad / sqrt(accum)`` (slot ``accumulator``).

    >>> import scopeflow.compat.v1 as tf
    >>> w = tf.Variable([1.0], name="w")
    >>> opt = tf.train.AdagradOptimizer(0.1)
    >>> _ = opt.minimize(w * w)
    >>> print(opt.get_slot(w, "accumulator").name)
    w/Adagrad:0
    """

    def __init__(
        self,
        learning_rate: Any,
        initial_accumulator_value: float = 0.1,
        use_locking: bool = False,
        name: str = "Adagrad",
    ) -> None:
        if initial_accumulator_value <= 0.0:
            raise ValueError(
                f"initial_accumulator_value must be positive: {initial_accumulator_value}"
            )
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._initial_accumulator_value = initial_accumulator_value
        self._learning_rate_tensor: Any = None

    def _create_slots(self, var_list: list[Any]) -> None:
        for v in var_list:
            dtype = v.dtype.base_dtype
            init = constant_initializer(self._initial_accumulator_value, dtype=dtype)
            self._get_or_make_slot_with_initializer(
                v, init, v.get_shape(), dtype, "accumulator", self._name
            )

    def _prepare(self) -> None:
        lr = self._call_if_callable(self._learning_rate)
        self._learning_rate_tensor = convert_to_tensor(lr, name="learning_rate")

    def _apply_dense(self, grad: Any, var: Any) -> Any:
        return training_ops.apply_adagrad(
            var,
            self.get_slot(var, "accumulator"),
            cast(self._learning_rate_tensor, var.dtype.base_dtype),
            grad,
            use_locking=self._use_locking,
        )

    def _apply_sparse(self, grad: Any, var: Any) -> Any:
        return training_ops.sparse_apply_adagrad(
            var,
            self.get_slot(var, "accumulator"),
            cast(self._learning_rate_tensor, var.dtype.base_dtype),
            grad.values,
            grad.indices,
            use_locking=self._use_locking,
        )


class ProximalAdagradOptimizer(Optimizer):
    """Adagrad with FOBOS L1/L2 shrinkage (slot ``accumulator``).

    >>> import scopeflow.compat.v1 as tf
    >>> w = tf.Variable([1.0], name="w")
    >>> print(tf.train.ProximalAdagradOptimizer(0.1).minimize(w * w).name)
    ProximalAdagrad
    """

    def __init__(
        self,
        learning_rate: Any,
        initial_accumulator_value: float = 0.1,
        l1_regularization_strength: float = 0.0,
        l2_regularization_strength: float = 0.0,
        use_locking: bool = False,
        name: str = "ProximalAdagrad",
    ) -> None:
        if initial_accumulator_value <= 0.0:
            raise ValueError(
                f"initial_accumulator_value must be positive: {initial_accumulator_value}"
            )
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._initial_accumulator_value = initial_accumulator_value
        self._l1_regularization_strength = l1_regularization_strength
        self._l2_regularization_strength = l2_regularization_strength
        self._learning_rate_tensor: Any = None
        self._l1_regularization_strength_tensor: Any = None
        self._l2_regularization_strength_tensor: Any = None

    def _create_slots(self, var_list: list[Any]) -> None:
        for v in var_list:
            val = constant(
                self._initial_accumulator_value, shape=v.get_shape(), dtype=v.dtype.base_dtype
            )
            self._get_or_make_slot(v, val, "accumulator", self._name)

    def _prepare(self) -> None:
        self._learning_rate_tensor = convert_to_tensor(self._learning_rate, name="learning_rate")
        self._l1_regularization_strength_tensor = convert_to_tensor(
            self._l1_regularization_strength, name="l1_regularization_strength"
        )
        self._l2_regularization_strength_tensor = convert_to_tensor(
            self._l2_regularization_strength, name="l2_regularization_strength"
        )

    def _apply_dense(self, grad: Any, var: Any) -> Any:
        return training_ops.apply_proximal_adagrad(
            var,
            self.get_slot(var, "accumulator"),
            self._learning_rate_tensor,
            self._l1_regularization_strength_tensor,
            self._l2_regularization_strength_tensor,
            grad,
            use_locking=self._use_locking,
        )

    def _apply_sparse(self, grad: Any, var: Any) -> Any:
        return training_ops.sparse_apply_proximal_adagrad(
            var,
            self.get_slot(var, "accumulator"),
            self._learning_rate_tensor,
            self._l1_regularization_strength_tensor,
            self._l2_regularization_strength_tensor,
            grad.values,
            grad.indices,
            use_locking=self._use_locking,
        )


class AdagradDAOptimizer(Optimizer):
    """Adagrad dual averaging; slots ``gradient_accumulator`` and ``gradient_squared_accumulator``.

    The update uses ``global_step + 1`` (read when the step runs).

    >>> import scopeflow.compat.v1 as tf
    >>> w = tf.Variable([1.0], name="w")
    >>> gs = tf.train.get_or_create_global_step()
    >>> opt = tf.train.AdagradDAOptimizer(0.1, gs)
    >>> _ = opt.minimize(w * w)
    >>> print([v.name for v in opt.variables()])
    ['w/AdagradDA:0', 'w/AdagradDA_1:0']
    """

    def __init__(
        self,
        learning_rate: Any,
        global_step: Any,
        initial_gradient_squared_accumulator_value: float = 0.1,
        l1_regularization_strength: float = 0.0,
        l2_regularization_strength: float = 0.0,
        use_locking: bool = False,
        name: str = "AdagradDA",
    ) -> None:
        if initial_gradient_squared_accumulator_value <= 0.0:
            raise ValueError(
                "initial_gradient_squared_accumulator_value must be positive: "
                f"{initial_gradient_squared_accumulator_value}"
            )
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._initial_gradient_squared_accumulator_value = (
            initial_gradient_squared_accumulator_value
        )
        self._learning_rate_tensor: Any = None
        self._l1_regularization_strength = l1_regularization_strength
        self._l2_regularization_strength = l2_regularization_strength
        self._global_step = global_step
        self._global_step_on_worker: Any = None

    def _create_slots(self, var_list: list[Any]) -> None:
        for v in var_list:
            g_val = constant(0.0, shape=v.get_shape(), dtype=v.dtype.base_dtype)
            gg_val = constant(
                self._initial_gradient_squared_accumulator_value,
                shape=v.get_shape(),
                dtype=v.dtype.base_dtype,
            )
            self._get_or_make_slot(v, g_val, "gradient_accumulator", self._name)
            self._get_or_make_slot(v, gg_val, "gradient_squared_accumulator", self._name)

    def _prepare(self) -> None:
        self._learning_rate_tensor = convert_to_tensor(self._learning_rate, name="learning_rate")
        self._global_step_on_worker = identity(self._global_step) + 1

    def _args(self, var: Any) -> tuple[Any, ...]:
        dt = var.dtype.base_dtype
        return (
            cast(self._learning_rate_tensor, dt),
            cast(self._l1_regularization_strength, dt),
            cast(self._l2_regularization_strength, dt),
            identity(self._global_step_on_worker),
        )

    def _apply_dense(self, grad: Any, var: Any) -> Any:
        g_acc = self.get_slot(var, "gradient_accumulator")
        gg_acc = self.get_slot(var, "gradient_squared_accumulator")
        lr, l1, l2, step = self._args(var)
        return training_ops.apply_adagrad_da(
            var, g_acc, gg_acc, grad, lr, l1, l2, step, use_locking=self._use_locking
        )

    def _apply_sparse(self, grad: Any, var: Any) -> Any:
        g_acc = self.get_slot(var, "gradient_accumulator")
        gg_acc = self.get_slot(var, "gradient_squared_accumulator")
        lr, l1, l2, step = self._args(var)
        return training_ops.sparse_apply_adagrad_da(
            var,
            g_acc,
            gg_acc,
            grad.values,
            grad.indices,
            lr,
            l1,
            l2,
            step,
            use_locking=self._use_locking,
        )
