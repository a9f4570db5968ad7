"""``assign_moving_average`` for batch norm's moving statistics.

``assign_moving_average`` (TF 1.15's ``training/moving_averages.py``), for batch norm's
moving statistics: ``variable -= (variable - value) * (1 - decay)``, optionally zero-debiased.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from typing import Any

from scopeflow._core.variable_scope import get_variable_scope, variable_scope
from scopeflow._core.variable_store import get_variable
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.ops.init_ops import zeros_initializer
from scopeflow.ops.math_ops import cast, pow


def assign_moving_average(
    variable: Any, value: Any, decay: Any, zero_debias: bool = True, name: str | None = None
) -> Any:
    """The ``AssignSub`` (or debiased ``Assign``) op named ``AssignMovingAvg``.

    ``decay`` is converted as TF does: a Python number gives the constant ``1 - decay`` named
    ``decay`` (computed in Python, then float32), a tensor gives a ``sub`` op.
    """
    graph = get_default_graph()
    with graph.name_scope(name or "AssignMovingAvg") as scope:
        decay_t = convert_to_tensor(1.0 - decay, name="decay")
        if decay_t.dtype != variable.dtype.base_dtype:
            decay_t = cast(decay_t, variable.dtype.base_dtype)
        if zero_debias:
            return _zero_debias(variable, value, decay_t)
        return variable.assign_sub((variable - value) * decay_t, name=scope)


def _unique_name(name: str) -> str:
    scope = get_variable_scope()
    if scope.reuse:
        return name
    existing = {v.op.name for v in scope.global_variables()}
    full = scope.name + "/" + name
    if full not in existing:
        return name
    idx = 1
    while f"{full}_{idx}" in existing:
        idx += 1
    return f"{name}_{idx}"


def _zero_debias(unbiased_var: Any, value: Any, decay: Any) -> Any:
    with variable_scope(unbiased_var.name[: -len(":0")], values=[unbiased_var, value, decay]):
        biased = get_variable(
            _unique_name("biased"),
            initializer=zeros_initializer(),
            shape=unbiased_var.get_shape(),
            dtype=unbiased_var.dtype,
            trainable=False,
        )
        local_step = get_variable(
            _unique_name("local_step"),
            shape=[],
            dtype=unbiased_var.dtype,
            initializer=zeros_initializer(),
            trainable=False,
        )
    update_biased = biased.assign_sub((biased - value) * decay)
    update_local_step = local_step.assign_add(1)
    bias_factor = 1 - pow(1.0 - decay, update_local_step)
    graph = get_default_graph()
    return unbiased_var.assign(update_biased / bias_factor, name=graph.get_name_scope() + "/")
