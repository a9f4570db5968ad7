"""``tf.contrib.opt.MovingAverageOptimizer``: an optimizer that also keeps moving averages.

``apply_gradients`` runs the wrapped optimizer, then (after it, with ``sequential_update``)
an ``ExponentialMovingAverage`` over the updated variables, grouped as ``train_with_avg``.
``swapping_saver`` saves each averaged variable's shadow under the variable's name and the
variable under the shadow's name, so a model restored from the checkpoint holds the averages.

Must not import ``scopeflow.compat``.
"""

from __future__ import annotations

from typing import Any

from scopeflow._core.graph_keys import GraphKeys
from scopeflow.graph.graph import get_default_graph
from scopeflow.ops.state_ops import group
from scopeflow.train.moving_averages import ExponentialMovingAverage
from scopeflow.train.optimizer import Optimizer
from scopeflow.train.saver import Saver

__all__ = ["MovingAverageOptimizer"]


class MovingAverageOptimizer(Optimizer):
    """Wraps ``opt`` and maintains moving averages of the variables it updates.

    >>> import scopeflow.compat.v1 as tf
    >>> from scopeflow.contrib.opt import MovingAverageOptimizer
    >>> w = tf.Variable([1.0], name="w")
    >>> opt = MovingAverageOptimizer(tf.train.GradientDescentOptimizer(0.1))
    >>> print(opt.minimize(w * w).name)
    train_with_avg
    """

    def __init__(
        self,
        opt: Any,
        average_decay: float = 0.9999,
        num_updates: Any = None,
        sequential_update: bool = True,
    ) -> None:
        super().__init__(opt._use_locking, "MovingAverageOptimizer")
        self._optimizer = opt
        self._ema = ExponentialMovingAverage(average_decay, num_updates=num_updates)
        self._swapped_variable_name_map: dict[str, str] | None = None
        self._sequential_update = sequential_update

    def compute_gradients(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        """The wrapped optimizer's ``compute_gradients``."""
        return self._optimizer.compute_gradients(*args, **kwargs)

    def apply_gradients(
        self, grads_and_vars: Any, global_step: Any = None, name: str | None = None
    ) -> Any:
        """The wrapped optimizer's update, then the moving averages; the op ``train_with_avg``."""
        grads_and_vars = list(grads_and_vars)
        train_op = self._optimizer.apply_gradients(
            grads_and_vars, global_step=global_step, name=name
        )
        var_list = [v for g, v in grads_and_vars if g is not None]
        self._swapped_variable_name_map = {}
        if self._sequential_update:
            with get_default_graph().control_dependencies([train_op]):
                ma_op = self._ema.apply(var_list)
        else:
            ma_op = self._ema.apply(var_list)
        for v in var_list:
            v_avg = self._ema.average(v)
            self._swapped_variable_name_map[v.op.name] = v_avg.op.name
            self._swapped_variable_name_map[v_avg.op.name] = v.op.name
        return group(train_op, ma_op, name="train_with_avg")

    def _find_swapped_variable(
        self, v_name_to_tensor: dict[str, Any], v_name: str, tensor: Any
    ) -> Any:
        assert self._swapped_variable_name_map is not None
        other = self._swapped_variable_name_map.get(v_name)
        if other is None:
            return tensor
        swapped = v_name_to_tensor[other]
        if swapped.get_shape() != tensor.get_shape():
            raise ValueError(
                f"Invalid shape of swapped variable {other}: expected {tensor.get_shape()}, got "
                f"{swapped.get_shape()}"
            )
        return swapped

    def swapping_saver(
        self, var_list: Any = None, name: str = "swapping_saver", **kwargs: Any
    ) -> Saver:
        """A ``Saver`` that swaps the variables with their moving averages.

        Raises:
            RuntimeError: before ``apply_gradients``/``minimize``.
        """
        if self._swapped_variable_name_map is None:
            raise RuntimeError(
                "Must call apply_gradients or minimize before creating the swapping_saver"
            )
        if var_list is None:
            var_list = get_default_graph().get_collection(GraphKeys.GLOBAL_VARIABLES)
        if not isinstance(var_list, dict):
            var_list = {v.op.name: v for v in var_list}
        v_name_to_tensor = dict(var_list.items())
        swapped = {
            k: self._find_swapped_variable(v_name_to_tensor, k, v) for k, v in var_list.items()
        }
        return Saver(swapped, name=name, **kwargs)
