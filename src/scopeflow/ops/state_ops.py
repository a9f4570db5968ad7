"""Variable kernels and variable helpers.

``VariableV2``/``Assign*`` execution, the initializer ops (``global_variables_initializer``
...), collection accessors, ``no_op`` and ``group``.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

import torch

from scopeflow._core import dtypes
from scopeflow._core.graph_keys import GraphKeys
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.op_registry import declare_thread_invariant, register_kernel
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.graph.variables import Variable
from scopeflow.ops._op_builder import SCALAR, make_multi_op, make_op, ref_variable_name
from scopeflow.ops.math_ops import _scope

# --- kernels ------------------------------------------------------------------------------------


# A read; plans run ops side by side only when none of their ops writes a variable.
declare_thread_invariant("VariableV2")


@register_kernel("VariableV2", stateful=True, aliases_input=True)
def _variable_kernel(op: Operation, session: Any) -> Any:
    values = session._variables
    name = op._name

    def kernel() -> Any:
        v = values.get(name)
        if v is None:
            return session._read_variable(name, op)
        return v

    return kernel


def _same_memory(a: Any, b: Any) -> bool:
    """Whether tensors ``a`` and ``b`` (same shape and dtype) are views of the same elements."""
    return (
        a.data_ptr() == b.data_ptr()
        and a.stride() == b.stride()
        and a.device == b.device
        and a.numel() > 0
    )


def _check_assign_shape(op: Operation, var_name: str, value: Any, validate: bool) -> None:
    if not validate:
        return
    expected = op._inputs[0]._shape
    if expected.ndims is not None and list(value.shape) != expected.as_list():
        from scopeflow.errors import InvalidArgumentError  # noqa: PLC0415

        raise InvalidArgumentError(
            None,
            op,
            "Assign requires shapes of both tensors to match. lhs shape= "
            f"{expected.as_list()} rhs shape= {list(value.shape)}",
        )


@register_kernel("Assign", stateful=True, aliases_input=True, ref_inputs=(0,))
def _assign_kernel(op: Operation, session: Any) -> Any:
    values = session._variables
    name = ref_variable_name(op._inputs[0])
    validate = op._attrs.get("validate_shape", True)

    def kernel(ref: Any, value: Any) -> Any:
        if not isinstance(value, torch.Tensor):  # strings: numpy object arrays
            values[name] = value
            return value
        _check_assign_shape(op, name, value, validate)
        cur = values.get(name)
        # TF1 RefVariables are buffers: Assign writes in place, so tensors that alias the
        # variable (``v/read`` and identities of it) see the new value, as in TF.
        if cur is not None and cur.shape == value.shape and cur.dtype == value.dtype:
            if _same_memory(cur, value):
                # Already there: the plan had the value computed in the variable's buffer
                # (``graph.var_donation``), or ``v.assign(v)``. Copying onto itself changes
                # nothing.
                return cur
            with torch.no_grad():
                cur.copy_(value)
            return cur
        new = value.detach().clone()
        values[name] = new
        return new

    return kernel


def _update_kernel(op: Operation, session: Any, inplace: str) -> Any:
    name = ref_variable_name(op._inputs[0])

    def kernel(ref: Any, delta: Any) -> Any:
        cur = session._read_variable(name, op)
        with torch.no_grad():
            getattr(cur, inplace)(delta)
        return cur

    return kernel


register_kernel("AssignAdd", stateful=True, aliases_input=True, ref_inputs=(0,))(
    lambda op, session: _update_kernel(op, session, "add_")
)
register_kernel("AssignSub", stateful=True, aliases_input=True, ref_inputs=(0,))(
    lambda op, session: _update_kernel(op, session, "sub_")
)


@register_kernel("_InitializedValue", stateful=True, aliases_input=True)
def _initialized_value_kernel(op: Operation, session: Any) -> Any:
    values = session._variables
    name = op._attrs["var_name"]

    def kernel(initial: Any) -> Any:
        v = values.get(name)
        return initial if v is None else v

    return kernel


register_kernel("NoOp")(lambda op, s: lambda: None)


@register_kernel("IsVariableInitialized", stateful=True, ref_inputs=(0,))
def _is_initialized_kernel(op: Operation, session: Any) -> Any:
    values = session._variables
    name = op._inputs[0]._op._name  # the variable, taken by reference as in TF (never read)
    return lambda ref: torch.tensor(name in values)


# --- graph-building API -------------------------------------------------------------------------


def no_op(name: str | None = None) -> Operation:
    """An op that does nothing; useful with control dependencies (``tf.no_op``)."""
    return make_multi_op("NoOp", (), {}, name or "NoOp", (), ())


def group(*inputs: Any, **kwargs: Any) -> Operation:
    """An op that runs all ``inputs`` (``tf.group``); returns a ``NoOp`` with control inputs."""
    name = kwargs.pop("name", None)
    if kwargs:
        raise TypeError(f"Unknown keyword arguments: {list(kwargs)}")
    ops: dict[int, Operation] = {}
    for item in _flatten(inputs):
        if item is None:
            continue
        el = getattr(item, "_as_graph_element", None)
        x = el() if el is not None else item
        op = x.op if isinstance(x, Tensor) else x
        if not isinstance(op, Operation):
            raise TypeError(f"Expected tf.group() expected Tensor arguments not '{x}' with type "
                            f"'{type(x)}'")  # fmt: skip
        ops.setdefault(id(op), op)  # ordered O(1) dedup: an init group can hold 100k ops
    g = get_default_graph()
    with g.control_dependencies(list(ops.values())):
        return no_op(name=name or "group_deps")


def _flatten(xs: Any) -> list[Any]:
    out: list[Any] = []
    for x in xs:
        if isinstance(x, (list, tuple, set)):
            out.extend(_flatten(list(x)))
        elif isinstance(x, dict):
            out.extend(_flatten(list(x.values())))
        else:
            out.append(x)
    return out


def variables_initializer(var_list: Any, name: str = "init") -> Operation:
    """An op that runs the initializers of ``var_list`` (a ``NoOp`` if empty)."""
    var_list = list(var_list)
    if var_list:
        return group(*[v.initializer for v in var_list], name=name)
    return no_op(name=name)


def global_variables_initializer() -> Operation:
    """An op that initializes all global variables (named ``init``)."""
    return variables_initializer(global_variables())


def local_variables_initializer() -> Operation:
    """An op that initializes all local variables (named ``init``)."""
    return variables_initializer(local_variables())


initialize_all_variables = global_variables_initializer
initialize_variables = variables_initializer
initialize_local_variables = local_variables_initializer


def global_variables(scope: str | None = None) -> list[Any]:
    """The ``GLOBAL_VARIABLES`` collection, filtered by ``re.match(scope, v.name)``."""
    return get_default_graph().get_collection(GraphKeys.GLOBAL_VARIABLES, scope)


all_variables = global_variables


def trainable_variables(scope: str | None = None) -> list[Any]:
    """The ``TRAINABLE_VARIABLES`` collection, filtered by scope regex."""
    return get_default_graph().get_collection(GraphKeys.TRAINABLE_VARIABLES, scope)


def local_variables(scope: str | None = None) -> list[Any]:
    """The ``LOCAL_VARIABLES`` collection, filtered by scope regex."""
    return get_default_graph().get_collection(GraphKeys.LOCAL_VARIABLES, scope)


def model_variables(scope: str | None = None) -> list[Any]:
    """The ``MODEL_VARIABLES`` collection, filtered by scope regex."""
    return get_default_graph().get_collection(GraphKeys.MODEL_VARIABLES, scope)


def moving_average_variables(scope: str | None = None) -> list[Any]:
    """The ``MOVING_AVERAGE_VARIABLES`` collection, filtered by scope regex."""
    return get_default_graph().get_collection(GraphKeys.MOVING_AVERAGE_VARIABLES, scope)


def is_variable_initialized(variable: Variable) -> Tensor:
    """A bool scalar: whether ``variable`` (a variable or its ref tensor) is initialized."""
    scope = _scope(None, "IsVariableInitialized")
    ref = variable._as_graph_element() if isinstance(variable, Variable) else variable
    return make_op("IsVariableInitialized", (ref,), {"dtype": variable.dtype.base_dtype},
                   scope, dtypes.bool, SCALAR)  # fmt: skip


def report_uninitialized_variables(
    var_list: Any = None, name: str = "report_uninitialized_variables"
) -> Tensor:
    """A 1-D string tensor of the names of uninitialized variables.

    TF's graph: ``boolean_mask(names, logical_not(stack([IsVariableInitialized(v)...])))``
    (a string ``Const`` without variables), on ``/cpu:0``. ``var_list`` defaults to the global
    and local variables, else every variable op of the graph.
    """
    from scopeflow.ops.array_ops import stack  # noqa: PLC0415  (array_ops imports this module)
    from scopeflow.ops.constant_op import constant  # noqa: PLC0415
    from scopeflow.ops.gather_scatter_ops import boolean_mask  # noqa: PLC0415
    from scopeflow.ops.math_ops import logical_not  # noqa: PLC0415

    graph = get_default_graph()
    if var_list is None:
        var_list = global_variables() + local_variables()
        if not var_list:
            var_list = [
                op.outputs[0]
                for op in graph.get_operations()
                if op.type in ("Variable", "VariableV2", "AutoReloadVariable")
            ]
    var_list = list(var_list)
    with graph.name_scope(name):
        init_vars = [is_variable_initialized(v) for v in var_list]
        with graph.device("/cpu:0"):
            if not var_list:
                return constant([], dtype=dtypes.string)
            mask = logical_not(stack(init_vars))
            names = constant([v.op.name for v in var_list])
            return boolean_mask(names, mask)


def assign(
    ref: Any,
    value: Any,
    validate_shape: bool | None = None,
    use_locking: bool | None = None,
    name: str | None = None,
) -> Tensor:
    """``tf.assign``: an op that writes ``value`` into variable ``ref``; returns the new value."""
    if not isinstance(ref, Variable):
        raise TypeError(f"'assign' needs a Variable as ref, got {type(ref).__name__}.")
    return ref.assign(value, use_locking=bool(use_locking), name=name)  # type: ignore[no-any-return]


def assign_add(
    ref: Any, value: Any, use_locking: bool | None = None, name: str | None = None
) -> Tensor:
    """``tf.assign_add``: ``ref += value``."""
    return ref.assign_add(value, use_locking=bool(use_locking), name=name)  # type: ignore[no-any-return]


def assign_sub(
    ref: Any, value: Any, use_locking: bool | None = None, name: str | None = None
) -> Tensor:
    """``tf.assign_sub``: ``ref -= value``."""
    return ref.assign_sub(value, use_locking=bool(use_locking), name=name)  # type: ignore[no-any-return]


__all__ = [
    "all_variables",
    "assign",
    "assign_add",
    "assign_sub",
    "global_variables",
    "global_variables_initializer",
    "group",
    "initialize_all_variables",
    "initialize_local_variables",
    "initialize_variables",
    "is_variable_initialized",
    "local_variables",
    "local_variables_initializer",
    "model_variables",
    "moving_average_variables",
    "no_op",
    "report_uninitialized_variables",
    "trainable_variables",
    "variables_initializer",
]
