"""``tf.train.AdamOptimizer``: slots ``m``/``v`` (``w/Adam``, ``w/Adam_1``) and ``beta1_power``.

Dense gradients use the fused ``ApplyAdam`` op; ``IndexedSlices`` gradients TF's sparse
sequence (decay all of ``m``/``v``, ``ScatterAdd`` the new rows, update all of ``var``), with
TF's op names.

Must not import ``scopeflow.compat``.
"""

from __future__ import annotations

from typing import Any

from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.ops import training_ops
from scopeflow.ops.math_ops import cast
from scopeflow.ops.state_ops import assign, group
from scopeflow.ops.state_scatter_ops import scatter_add
from scopeflow.ops.unary_ops import sqrt
from scopeflow.train.optimizer import Optimizer

__all__ = ["AdamOptimizer"]


class AdamOptimizer(Optimizer):
    """Adam with TF's bias correction folded into the step size and epsilon-hat.

    >>> import scopeflow.compat.v1 as tf
    >>> w = tf.Variable([1.0], name="w")
    >>> opt = tf.train.AdamOptimizer(0.001)
    >>> _ = opt.minimize(w * w)
    >>> print([v.name for v in opt.variables()])
    ['beta1_power:0', 'beta2_power:0', 'w/Adam:0', 'w/Adam_1:0']
    """

    def __init__(
        self,
        learning_rate: Any = 0.001,
        beta1: Any = 0.9,
        beta2: Any = 0.999,
        epsilon: Any = 1e-8,
        use_locking: bool = False,
        name: str = "Adam",
    ) -> None:
        super().__init__(use_locking, name)
        self._lr = learning_rate
        self._beta1 = beta1
        self._beta2 = beta2
        self._epsilon = epsilon
        self._lr_t: Any = None
        self._beta1_t: Any = None
        self._beta2_t: Any = None
        self._epsilon_t: Any = None

    def _get_beta_accumulators(self) -> tuple[Any, Any]:
        graph = get_default_graph()
        return (
            self._get_non_slot_variable("beta1_power", graph=graph),
            self._get_non_slot_variable("beta2_power", graph=graph),
        )

    def _create_slots(self, var_list: list[Any]) -> None:
        first_var = min(var_list, key=lambda x: x.name)
        self._create_non_slot_variable(
            initial_value=self._beta1, name="beta1_power", colocate_with=first_var
        )
        self._create_non_slot_variable(
            initial_value=self._beta2, name="beta2_power", colocate_with=first_var
        )
        for v in var_list:
            self._zeros_slot(v, "m", self._name)
            self._zeros_slot(v, "v", self._name)

    def _prepare(self) -> None:
        self._lr_t = convert_to_tensor(self._call_if_callable(self._lr), name="learning_rate")
        self._beta1_t = convert_to_tensor(self._call_if_callable(self._beta1), name="beta1")
        self._beta2_t = convert_to_tensor(self._call_if_callable(self._beta2), name="beta2")
        self._epsilon_t = convert_to_tensor(self._call_if_callable(self._epsilon), name="epsilon")

    def _apply_dense(self, grad: Any, var: Any) -> Any:
        dt = var.dtype.base_dtype
        beta1_power, beta2_power = self._get_beta_accumulators()
        return training_ops.apply_adam(
            var,
            self.get_slot(var, "m"),
            self.get_slot(var, "v"),
            cast(beta1_power, dt),
            cast(beta2_power, dt),
            cast(self._lr_t, dt),
            cast(self._beta1_t, dt),
            cast(self._beta2_t, dt),
            cast(self._epsilon_t, dt),
            grad,
            use_locking=self._use_locking,
        ).op

    def _apply_sparse_shared(self, grad: Any, var: Any, indices: Any, scatter_add_fn: Any) -> Any:
        dt = var.dtype.base_dtype
        beta1_power, beta2_power = self._get_beta_accumulators()
        beta1_power = cast(beta1_power, dt)
        beta2_power = cast(beta2_power, dt)
        lr_t = cast(self._lr_t, dt)
        beta1_t = cast(self._beta1_t, dt)
        beta2_t = cast(self._beta2_t, dt)
        epsilon_t = cast(self._epsilon_t, dt)
        lr = lr_t * sqrt(1 - beta2_power) / (1 - beta1_power)
        g = get_default_graph()
        m = self.get_slot(var, "m")
        m_scaled_g_values = grad * (1 - beta1_t)
        m_t = assign(m, m * beta1_t, use_locking=self._use_locking)
        with g.control_dependencies([m_t]):
            m_t = scatter_add_fn(m, indices, m_scaled_g_values)
        v = self.get_slot(var, "v")
        v_scaled_g_values = (grad * grad) * (1 - beta2_t)
        v_t = assign(v, v * beta2_t, use_locking=self._use_locking)
        with g.control_dependencies([v_t]):
            v_t = scatter_add_fn(v, indices, v_scaled_g_values)
        v_sqrt = sqrt(v_t)
        var_update = var.assign_sub(lr * m_t / (v_sqrt + epsilon_t), use_locking=self._use_locking)
        return group(var_update, m_t, v_t)

    def _apply_sparse(self, grad: Any, var: Any) -> Any:
        return self._apply_sparse_shared(
            grad.values,
            var,
            grad.indices,
            lambda x, i, v: scatter_add(x, i, v, use_locking=self._use_locking),
        )

    def _finish(self, update_ops: list[Any], name_scope: str) -> Any:
        g = get_default_graph()
        with g.control_dependencies(update_ops):
            beta1_power, beta2_power = self._get_beta_accumulators()
            update_beta1 = beta1_power.assign(
                beta1_power * self._beta1_t, use_locking=self._use_locking
            )
            update_beta2 = beta2_power.assign(
                beta2_power * self._beta2_t, use_locking=self._use_locking
            )
        return group(*update_ops, update_beta1, update_beta2, name=name_scope)
