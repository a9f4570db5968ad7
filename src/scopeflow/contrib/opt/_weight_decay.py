"""Decoupled weight decay: ``DecoupledWeightDecayExtension``, AdamW, MomentumW.

Before each variable's update the extension runs ``var -= weight_decay * var`` (dense) or
``ScatterAdd(var, indices, -weight_decay * gather(var, indices))`` (sparse), for all variables or
only those in ``decay_var_list``, then the base optimizer's update, as TF 1.15's
``tf.contrib.opt`` does. The decay is not multiplied by the learning rate.

Differences from TensorFlow: the decay op depends only on the variable, so under ``minimize``
TF's executor may run it before the forward pass reads the variable (it usually does: the
gradient then sees decayed weights); scopeflow runs it when its plan reaches it. Build the update
under ``tf.control_dependencies`` on the gradients for the same, deterministic order in both.

Must not import ``scopeflow.compat``.
"""

from __future__ import annotations

from typing import Any

from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.ops.gather_scatter_ops import gather
from scopeflow.ops.state_ops import no_op
from scopeflow.ops.state_scatter_ops import scatter_add
from scopeflow.train.adam import AdamOptimizer
from scopeflow.train.momentum import MomentumOptimizer
from scopeflow.train.optimizer import Optimizer

__all__ = [
    "AdamWOptimizer",
    "DecoupledWeightDecayExtension",
    "MomentumWOptimizer",
    "extend_with_decoupled_weight_decay",
]


class DecoupledWeightDecayExtension:
    """Mixin adding decoupled weight decay to an optimizer class (put it first in the bases).

    >>> import scopeflow.compat.v1 as tf
    >>> from scopeflow.contrib.opt import DecoupledWeightDecayExtension
    >>> class AdagradW(DecoupledWeightDecayExtension, tf.train.AdagradOptimizer):
    ...     pass
    >>> w = tf.Variable([1.0], name="w")
    >>> print(AdagradW(1e-4, learning_rate=0.1).minimize(w * w).name)
    Adagrad
    """

    _use_locking: bool

    def __init__(self, weight_decay: Any, **kwargs: Any) -> None:
        self._decay_var_list: Any = None
        self._weight_decay = weight_decay
        self._weight_decay_tensor: Any = None
        super().__init__(**kwargs)

    def minimize(
        self,
        loss: Any,
        global_step: Any = None,
        var_list: Any = None,
        gate_gradients: int = Optimizer.GATE_OP,
        aggregation_method: Any = None,
        colocate_gradients_with_ops: bool = False,
        name: str | None = None,
        grad_loss: Any = None,
        decay_var_list: Any = None,
    ) -> Any:
        """``Optimizer.minimize``; ``decay_var_list`` limits the decay to those variables."""
        self._decay_var_list = _var_set(decay_var_list)
        return super().minimize(  # type: ignore[misc]
            loss,
            global_step=global_step,
            var_list=var_list,
            gate_gradients=gate_gradients,
            aggregation_method=aggregation_method,
            colocate_gradients_with_ops=colocate_gradients_with_ops,
            name=name,
            grad_loss=grad_loss,
        )

    def apply_gradients(
        self,
        grads_and_vars: Any,
        global_step: Any = None,
        name: str | None = None,
        decay_var_list: Any = None,
    ) -> Any:
        """``Optimizer.apply_gradients``; ``decay_var_list`` limits the decay."""
        self._decay_var_list = _var_set(decay_var_list)
        base: Any = super()
        return base.apply_gradients(grads_and_vars, global_step=global_step, name=name)

    def _prepare(self) -> None:
        weight_decay = self._weight_decay
        if callable(weight_decay):
            weight_decay = weight_decay()
        self._weight_decay_tensor = convert_to_tensor(weight_decay, name="weight_decay")
        super()._prepare()  # type: ignore[misc]

    def _decays(self, var: Any) -> bool:
        return not self._decay_var_list or id(var) in self._decay_var_list

    def _decay_weights_op(self, var: Any) -> Any:
        if self._decays(var):
            return var.assign_sub(self._weight_decay * var, self._use_locking)
        return no_op()

    def _decay_weights_sparse_op(self, var: Any, indices: Any, scatter_add_fn: Any) -> Any:
        if self._decays(var):
            update = -self._weight_decay * gather(var, indices)
            return scatter_add_fn(var, indices, update, self._use_locking)
        return no_op()

    def _apply_dense(self, grad: Any, var: Any) -> Any:
        with get_default_graph().control_dependencies([self._decay_weights_op(var)]):
            return super()._apply_dense(grad, var)  # type: ignore[misc]

    def _apply_sparse(self, grad: Any, var: Any) -> Any:
        decay_op = self._decay_weights_sparse_op(var, grad.indices, scatter_add)
        with get_default_graph().control_dependencies([decay_op]):
            return super()._apply_sparse(grad, var)  # type: ignore[misc]


def _var_set(decay_var_list: Any) -> Any:
    return {id(v) for v in decay_var_list} if decay_var_list else False


def extend_with_decoupled_weight_decay(base_optimizer: type) -> type:
    """A subclass of ``base_optimizer`` taking ``weight_decay`` as its first argument.

    >>> import scopeflow.compat.v1 as tf
    >>> from scopeflow.contrib.opt import extend_with_decoupled_weight_decay
    >>> MomentumW = extend_with_decoupled_weight_decay(tf.train.MomentumOptimizer)
    >>> opt = MomentumW(weight_decay=1e-4, learning_rate=0.1, momentum=0.9)
    >>> opt.get_name()
    'Momentum'
    """

    class OptimizerWithDecoupledWeightDecay(DecoupledWeightDecayExtension, base_optimizer):  # type: ignore[misc,valid-type]
        def __init__(self, weight_decay: Any, *args: Any, **kwargs: Any) -> None:
            super().__init__(weight_decay, *args, **kwargs)

    return OptimizerWithDecoupledWeightDecay


class MomentumWOptimizer(DecoupledWeightDecayExtension, MomentumOptimizer):
    """Momentum with decoupled weight decay (name ``MomentumW``).

    >>> import scopeflow.compat.v1 as tf
    >>> from scopeflow.contrib.opt import MomentumWOptimizer
    >>> MomentumWOptimizer(1e-4, 0.1, 0.9).get_name()
    'MomentumW'
    """

    def __init__(
        self,
        weight_decay: Any,
        learning_rate: Any,
        momentum: Any,
        use_locking: bool = False,
        name: str = "MomentumW",
        use_nesterov: bool = False,
    ) -> None:
        super().__init__(
            weight_decay,
            learning_rate=learning_rate,
            momentum=momentum,
            use_locking=use_locking,
            name=name,
            use_nesterov=use_nesterov,
        )


class AdamWOptimizer(DecoupledWeightDecayExtension, AdamOptimizer):
    """Adam with decoupled weight decay (name ``AdamW``; slots ``w/AdamW``, ``w/AdamW_1``).

    >>> import scopeflow.compat.v1 as tf
    >>> from scopeflow.contrib.opt import AdamWOptimizer
    >>> w = tf.Variable([1.0], name="w")
    >>> opt = AdamWOptimizer(1e-4, 0.01)
    >>> _ = opt.minimize(w * w)
    >>> print(opt.get_slot(w, "m").name)
    w/AdamW:0
    """

    def __init__(
        self,
        weight_decay: Any,
        learning_rate: Any = 0.001,
        beta1: Any = 0.9,
        beta2: Any = 0.999,
        epsilon: Any = 1e-8,
        use_locking: bool = False,
        name: str = "AdamW",
    ) -> None:
        super().__init__(
            weight_decay,
            learning_rate=learning_rate,
            beta1=beta1,
            beta2=beta2,
            epsilon=epsilon,
            use_locking=use_locking,
            name=name,
        )
