"""``tf.train.GradientDescentOptimizer`` and ``tf.train.ProximalGradientDescentOptimizer``.

Must not import ``scopeflow.compat``.
"""

from __future__ import annotations

from typing import Any

from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.ops import training_ops
from scopeflow.ops.math_ops import cast
from scopeflow.ops.sparse_ops import IndexedSlices
from scopeflow.train.optimizer import Optimizer

__all__ = ["GradientDescentOptimizer", "ProximalGradientDescentOptimizer"]


class GradientDescentOptimizer(Optimizer):
    """``var -= learning_rate * grad`` (op ``ApplyGradientDescent``; ``ScatterSub`` if sparse).

    >>> import scopeflow.compat.v1 as tf
    >>> w = tf.Variable([1.0], name="w")
    >>> print(tf.train.GradientDescentOptimizer(0.5).minimize(w * w).name)
    GradientDescent
    """

    def __init__(
        self, learning_rate: Any, use_locking: bool = False, name: str = "GradientDescent"
    ) -> None:
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._learning_rate_tensor: Any = None

    def _apply_dense(self, grad: Any, var: Any) -> Any:
        return training_ops.apply_gradient_descent(
            var,
            cast(self._learning_rate_tensor, var.dtype.base_dtype),
            grad,
            use_locking=self._use_locking,
        ).op

    def _apply_sparse_duplicate_indices(self, grad: Any, var: Any) -> Any:
        delta = IndexedSlices(
            grad.values * cast(self._learning_rate_tensor, var.dtype.base_dtype),
            grad.indices,
            grad.dense_shape,
        )
        return var.scatter_sub(delta, use_locking=self._use_locking)

    def _prepare(self) -> None:
        lr = self._call_if_callable(self._learning_rate)
        self._learning_rate_tensor = convert_to_tensor(lr, name="learning_rate")


class ProximalGradientDescentOptimizer(Optimizer):
    """FOBOS with L1/L2 shrinkage (ops ``ApplyProximalGradientDescent`` and its sparse form).

    >>> import scopeflow.compat.v1 as tf
    >>> w = tf.Variable([1.0], name="w")
    >>> print(tf.train.ProximalGradientDescentOptimizer(0.5).minimize(w * w).name)
    ProximalGradientDescent
    """

    def __init__(
        self,
        learning_rate: Any,
        l1_regularization_strength: float = 0.0,
        l2_regularization_strength: float = 0.0,
        use_locking: bool = False,
        name: str = "ProximalGradientDescent",
    ) -> None:
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._l1_regularization_strength = l1_regularization_strength
        self._l2_regularization_strength = l2_regularization_strength
        self._l1_regularization_strength_tensor: Any = None
        self._l2_regularization_strength_tensor: Any = None

    def _apply_dense(self, grad: Any, var: Any) -> Any:
        return training_ops.apply_proximal_gradient_descent(
            var,
            self._learning_rate_tensor,
            self._l1_regularization_strength_tensor,
            self._l2_regularization_strength_tensor,
            grad,
            use_locking=self._use_locking,
        ).op

    def _apply_sparse(self, grad: Any, var: Any) -> Any:
        return training_ops.sparse_apply_proximal_gradient_descent(
            var,
            self._learning_rate_tensor,
            self._l1_regularization_strength_tensor,
            self._l2_regularization_strength_tensor,
            grad.values,
            grad.indices,
            use_locking=self._use_locking,
        ).op

    def _prepare(self) -> None:
        self._learning_rate_tensor = convert_to_tensor(self._learning_rate, name="learning_rate")
        self._l1_regularization_strength_tensor = convert_to_tensor(
            self._l1_regularization_strength, name="l1_regularization_strength"
        )
        self._l2_regularization_strength_tensor = convert_to_tensor(
            self._l2_regularization_strength, name="l2_regularization_strength"
        )
