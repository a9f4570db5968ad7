"""``tf.train.ExponentialMovingAverage`` and ``assign_moving_average``.

``apply(var_list)`` creates for each variable a shadow variable named ``<var op name>/<EMA name>``
(a slot initialized to the variable's initial value, added to ``MOVING_AVERAGE_VARIABLES``) and
returns the op ``ExponentialMovingAverage`` that updates every shadow with
``shadow -= (1 - decay) * (shadow - var)``; ``num_updates`` caps the decay at
``(1 + num_updates) / (10 + num_updates)``. A Tensor (not a Variable) gets a zero-initialized
shadow, zero-debiased with ``biased``/``local_step`` variables when ``zero_debias=True``.
``variables_to_restore`` maps shadow names to variables, so a ``Saver`` restores averaged values
into the model.

Must not import ``scopeflow.compat``.
"""

from __future__ import annotations

from typing import Any

from scopeflow._core import dtypes
from scopeflow._core.graph_keys import GraphKeys
from scopeflow._core.name_scope import name_scope
from scopeflow._core.variable_scope import get_variable_scope, variable_scope
from scopeflow._core.variable_store import get_variable
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.variables import Variable
from scopeflow.ops import math_ops
from scopeflow.ops.init_ops import zeros_initializer
from scopeflow.ops.math_ops import cast
from scopeflow.ops.state_ops import assign, assign_sub, group
from scopeflow.train import slot_creator

__all__ = ["ExponentialMovingAverage", "assign_moving_average"]

_FLOATS = (dtypes.bfloat16, dtypes.float16, dtypes.float32, dtypes.float64)


def assign_moving_average(
    variable: Any, value: Any, decay: Any, zero_debias: bool = True, name: str | None = None
) -> Any:
    """``variable -= (1 - decay) * (variable - value)``; the op named ``AssignMovingAvg``.

    With ``zero_debias``, the average is divided by ``1 - decay ** t`` (TF's debiasing through
    ``<variable>/biased`` and ``<variable>/local_step``).

    >>> import scopeflow.compat.v1 as tf
    >>> from scopeflow.train import assign_moving_average
    >>> v = tf.Variable(0.0, name="v")
    >>> print(assign_moving_average(v, 1.0, 0.9, zero_debias=False).name)
    AssignMovingAvg:0
    """
    with name_scope(name, "AssignMovingAvg") as scope:
        one_minus = convert_to_tensor(1.0 - decay, name="decay")
        if one_minus.dtype.base_dtype != variable.dtype.base_dtype:
            one_minus = cast(one_minus, variable.dtype.base_dtype)
        if zero_debias:
            return _zero_debias(variable, value, one_minus)
        return assign_sub(variable, (variable - value) * one_minus, name=scope)


def _zero_debias(unbiased_var: Any, value: Any, decay: Any) -> Any:
    with variable_scope(unbiased_var.op.name):
        with get_default_graph().control_dependencies(None):
            biased_initializer = zeros_initializer()
            local_step_initializer = zeros_initializer()

        def maybe_unique(name: str) -> str:
            scope = get_variable_scope()
            if scope.reuse:
                return name
            names = {x.op.name for x in scope.global_variables()}
            full = scope.name + "/" + name
            if full not in names:
                return name
            idx = 1
            while f"{full}_{idx}" in names:
                idx += 1
            return f"{name}_{idx}"

        biased_var = get_variable(
            maybe_unique("biased"),
            initializer=biased_initializer,
            shape=unbiased_var.get_shape(),
            dtype=unbiased_var.dtype.base_dtype,
            trainable=False,
        )
        local_step = get_variable(
            maybe_unique("local_step"),
            shape=[],
            dtype=unbiased_var.dtype.base_dtype,
            initializer=local_step_initializer,
            trainable=False,
        )
    # TF 2.x (the oracle) builds the updates after leaving the variable's scope (its
    # ``update_fn``), so the final assign is named after the caller's scope, e.g.
    # ``BatchNorm/AssignMovingAvg``; TF 1.15 built them inside it.
    update_biased = assign_sub(biased_var, (biased_var - value) * decay)
    update_local_step = local_step.assign_add(1)
    bias_factor = 1 - math_ops.pow(1.0 - decay, update_local_step)
    return assign(
        unbiased_var,
        update_biased / bias_factor,
        name=get_default_graph().get_name_scope() + "/",
    )


class ExponentialMovingAverage:
    """Maintains moving averages of variables (``tf.train.ExponentialMovingAverage``).

    >>> import scopeflow.compat.v1 as tf
    >>> w = tf.Variable([1.0, 2.0], name="w")
    >>> ema = tf.train.ExponentialMovingAverage(0.9)
    >>> op = ema.apply([w])
    >>> print(op.name, ema.average(w).name, ema.average_name(w))
    ExponentialMovingAverage w/ExponentialMovingAverage:0 w/ExponentialMovingAverage
    """

    def __init__(
        self,
        decay: Any,
        num_updates: Any = None,
        zero_debias: bool = False,
        name: str = "ExponentialMovingAverage",
    ) -> None:
        self._decay = decay
        self._num_updates = num_updates
        self._zero_debias = zero_debias
        self._name = name
        self._averages: dict[int, tuple[Any, Any]] = {}

    @property
    def name(self) -> str:
        """The name of this ExponentialMovingAverage object."""
        return self._name

    def apply(self, var_list: Any = None) -> Any:
        """Creates shadow variables for ``var_list`` (default: trainables); returns the update op.

        Raises:
            TypeError: a variable is not of a floating dtype.
        """
        g = get_default_graph()
        if var_list is None:
            var_list = g.get_collection(GraphKeys.TRAINABLE_VARIABLES)
        var_list = list(var_list)
        zero_debias_true: set[int] = set()
        for var in var_list:
            if var.dtype.base_dtype not in _FLOATS:
                raise TypeError(f"The variables must be half, float, or double: {var.name}")
            if id(var) in self._averages:
                continue
            with g.control_dependencies(None):
                if isinstance(var, Variable):
                    avg = slot_creator.create_slot(
                        var, var.initialized_value(), self.name, colocate_with_primary=True
                    )
                    g.add_to_collection(GraphKeys.MOVING_AVERAGE_VARIABLES, var)
                else:
                    avg = slot_creator.create_zeros_slot(
                        var,
                        self.name,
                        colocate_with_primary=var.op.type
                        in ("Variable", "VariableV2", "VarHandleOp"),
                    )
                    if self._zero_debias:
                        zero_debias_true.add(id(avg))
            self._averages[id(var)] = (var, avg)
        with name_scope(self.name) as scope:
            decay = convert_to_tensor(self._decay, name="decay", dtype=dtypes.float32)
            if self._num_updates is not None:
                num_updates = cast(self._num_updates, dtypes.float32, name="num_updates")
                decay = math_ops.minimum(decay, (1.0 + num_updates) / (10.0 + num_updates))
            updates = []
            for var in var_list:
                avg = self._averages[id(var)][1]
                updates.append(assign_moving_average(avg, var, decay, id(avg) in zero_debias_true))
            return group(*updates, name=scope)

    def average(self, var: Any) -> Any:
        """The shadow variable of ``var``, or None."""
        entry = self._averages.get(id(var))
        return None if entry is None else entry[1]

    def average_name(self, var: Any) -> str:
        """The name of ``var``'s shadow variable (``<var op name>/<EMA name>`` if not created)."""
        entry = self._averages.get(id(var))
        if entry is not None:
            return entry[1].op.name  # type: ignore[no-any-return]
        return get_default_graph().unique_name(
            var.op.name + "/" + self.name,  # type: ignore[no-any-return]
            mark_as_used=False,
        )

    def variables_to_restore(self, moving_avg_variables: Any = None) -> dict[str, Any]:
        """``{checkpoint name: variable}`` restoring the shadow values into the variables.

        >>> import scopeflow.compat.v1 as tf
        >>> w = tf.Variable(1.0, name="w")
        >>> ema = tf.train.ExponentialMovingAverage(0.9)
        >>> print(sorted(ema.variables_to_restore()))
        ['w/ExponentialMovingAverage']
        """
        g = get_default_graph()
        if moving_avg_variables is None:
            moving_avg_variables = g.get_collection(
                GraphKeys.TRAINABLE_VARIABLES
            ) + g.get_collection(GraphKeys.MOVING_AVERAGE_VARIABLES)
        unique: dict[int, Any] = {}
        for v in moving_avg_variables:
            unique.setdefault(id(v), v)
        name_map: dict[str, Any] = {}
        for v in unique.values():
            name_map[self.average_name(v)] = v
        avg_names = {v.name for v in unique.values()}
        for v in g.get_collection(GraphKeys.GLOBAL_VARIABLES):
            if v.name not in avg_names and v.op.name not in name_map:
                name_map[v.op.name] = v
        return name_map
