"""``tf.contrib.opt.LazyAdamOptimizer``: Adam whose sparse update touches only the gathered rows.

Dense gradients are Adam's; for ``IndexedSlices`` gradients only the rows at ``indices`` of
``m``, ``v`` and the variable change (``ScatterUpdate``/``ScatterSub``), as TF 1.15.

Must not import ``scopeflow.compat``.
"""

from __future__ import annotations

from typing import Any

from scopeflow.ops.gather_scatter_ops import gather
from scopeflow.ops.math_ops import cast
from scopeflow.ops.state_ops import group
from scopeflow.ops.state_scatter_ops import scatter_sub, scatter_update
from scopeflow.ops.unary_ops import sqrt, square
from scopeflow.train.adam import AdamOptimizer

__all__ = ["LazyAdamOptimizer"]


class LazyAdamOptimizer(AdamOptimizer):
    """Adam with lazy sparse updates (its name and slots are Adam's: ``w/Adam``, ``w/Adam_1``).

    >>> import scopeflow.compat.v1 as tf
    >>> from scopeflow.contrib.opt import LazyAdamOptimizer
    >>> LazyAdamOptimizer(0.01).get_name()
    'Adam'
    """

    def _apply_sparse_shared(
        self, grad: Any, var: Any, indices: Any, scatter_update_fn: Any, scatter_sub_fn: Any = None
    ) -> Any:
        dt = var.dtype.base_dtype
        beta1_power, beta2_power = self._get_beta_accumulators()
        beta1_power = cast(beta1_power, dt)
        beta2_power = cast(beta2_power, dt)
        lr_t = cast(self._lr_t, dt)
        beta1_t = cast(self._beta1_t, dt)
        beta2_t = cast(self._beta2_t, dt)
        epsilon_t = cast(self._epsilon_t, dt)
        lr = lr_t * sqrt(1 - beta2_power) / (1 - beta1_power)
        m = self.get_slot(var, "m")
        m_t = scatter_update_fn(m, indices, beta1_t * gather(m, indices) + (1 - beta1_t) * grad)
        v = self.get_slot(var, "v")
        v_t = scatter_update_fn(
            v, indices, beta2_t * gather(v, indices) + (1 - beta2_t) * square(grad)
        )
        m_t_slice = gather(m_t, indices)
        v_t_slice = gather(v_t, indices)
        denominator_slice = sqrt(v_t_slice) + epsilon_t
        var_update = scatter_sub_fn(var, indices, lr * m_t_slice / denominator_slice)
        return group(var_update, m_t, v_t)

    def _apply_sparse(self, grad: Any, var: Any) -> Any:
        return self._apply_sparse_shared(
            grad.values, var, grad.indices, self._scatter_update, self._scatter_sub
        )

    def _scatter_update(self, x: Any, i: Any, v: Any) -> Any:
        return scatter_update(x, i, v, use_locking=self._use_locking)

    def _scatter_sub(self, x: Any, i: Any, v: Any) -> Any:
        return scatter_sub(x, i, v, use_locking=self._use_locking)
