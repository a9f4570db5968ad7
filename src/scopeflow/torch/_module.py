"""``to_module``: a TF1 graph as a ``torch.nn.Module`` (the torch bridge).

The module runs the graph with the session's own plan executor (``graph/plan.py``): one plan
whose feeds are the input placeholders, the optional ``training`` placeholder and every
variable's ref tensor. The variables' values are the module's parameters (trainable) and
buffers (the other global variables); fed as plan inputs, they flow through the kernels under
torch autograd, so ``loss.backward()`` fills their ``.grad`` and ``torch.optim`` trains them.
In ``train()`` mode the plan also runs the graph's ``UPDATE_OPS`` (batch-norm moving averages),
as a TF training step does; their assignments reach the module's own tensors because the plan's
kernels see the module's values first (``_ModuleState``). Ops that keep state in a session
(random ops, variables outside the module) use the module's session.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import collections
import copy
from collections.abc import Mapping
from typing import Any

import torch

from scopeflow._core import dtypes
from scopeflow._core.graph_keys import GraphKeys
from scopeflow.errors import UnsupportedError
from scopeflow.graph._torch_dtypes import to_torch, torch_dtype
from scopeflow.graph.graph import Graph, get_default_graph
from scopeflow.graph.plan import Plan, run_subplan
from scopeflow.graph.session import BaseSession, Session
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.graph.variables import Variable
from scopeflow.ops import nest

_CPU = torch.device("cpu")


class GraphModule(torch.nn.Module):
    """A TF1 graph's computation of ``outputs`` from ``inputs`` as a ``torch.nn.Module``.

    Built by :func:`to_module`. ``forward`` takes the input placeholders' values, positionally
    or by name, and returns the outputs as torch tensors in the structure given to
    ``to_module``. Parameters are the trainable variables, buffers the other global variables,
    both under their TF names: ``state_dict()`` keys are ``tf.train.Saver``'s checkpoint keys.

    In ``train()`` mode ``forward`` also runs the ops of the graph's ``UPDATE_OPS`` collection
    (batch-norm moving averages), updating the buffers in place as a TF training step that
    depends on them would; in ``eval()`` mode it computes the outputs only.

    Differences from TensorFlow: this has no TF counterpart. The module's values live on the
    module; the session is only changed by :meth:`sync_to_session`. ``module.to(device)``
    moves the values, and the plans then run every op on that device (constants and feeds are
    moved there). Works under ``torch.compile`` (constant reduction axes cause no graph break),
    ``torch.func.functional_call`` and ``torch.autocast``.
    """

    def __init__(
        self,
        graph: Graph,
        session: BaseSession,
        outputs: Any,
        inputs: list[tuple[str, Tensor]],
        training: Tensor | None,
        variables: list[Variable],
        trainable: set[int],
    ) -> None:
        super().__init__()
        self._graph = graph
        self._session = session
        self._output_structure = outputs
        self._flat_outputs: list[Any] = [
            graph.as_graph_element(o, allow_tensor=True, allow_operation=True)
            for o in nest.flatten(outputs)
        ]
        self._input_names = [n for n, _ in inputs]
        self._inputs = [t for _, t in inputs]
        self._training_tensor = training
        self._variables = variables
        # (is_parameter, TF name) per variable, in the order they are fed.
        self._var_keys: list[tuple[bool, str]] = []
        self._var_dtypes: list[torch.dtype] = []
        for v in variables:
            name = v.op.name
            value = session._read_variable(name, v.op)
            if not isinstance(value, torch.Tensor):
                raise UnsupportedError(
                    f"to_module with the {v.dtype.base_dtype.name} variable {name}"
                )
            value = value.detach().clone()
            self._var_dtypes.append(value.dtype)
            is_param = id(v) in trainable
            if is_param:
                self.register_parameter(name, torch.nn.Parameter(value))
            else:
                self.register_buffer(name, value)
            self._var_keys.append((is_param, name))
        self._update_ops: list[Operation] = [
            op if isinstance(op, Operation) else op.op
            for op in graph.get_collection(GraphKeys.UPDATE_OPS)
        ]
        self._state = _ModuleState(session)
        self._plans: dict[tuple[bool, torch.device], Plan] = {}
        self._plan_version = -1
        self._build_plan(False, _CPU)

    # --- running ------------------------------------------------------------------------------

    def _device(self) -> torch.device:
        """Where the module's values are (``module.to(device)``): its plans run there."""
        values: list[torch.Tensor | None] = [*self._parameters.values(), *self._buffers.values()]
        for t in values:
            if t is not None:
                return t.device
        return _CPU

    def _get_plan(self, with_updates: bool, device: torch.device) -> Plan:
        if self._plan_version != self._graph._plan_cache_version:
            self._plans.clear()
        plan = self._plans.get((with_updates, device))
        return plan if plan is not None else self._build_plan(with_updates, device)

    @torch.compiler.disable  # type: ignore[untyped-decorator]
    def _build_plan(self, with_updates: bool, device: torch.device) -> Plan:
        # Plan construction is plain Python over the graph: never traced by torch.compile.
        feeds = list(self._inputs)
        if self._training_tensor is not None and self._training_tensor not in feeds:
            feeds.append(self._training_tensor)
        feeds.extend(v._variable for v in self._variables)
        fetches = list(self._flat_outputs)
        if with_updates:
            fetches.extend(self._update_ops)
        if self._plan_version != self._graph._plan_cache_version:
            self._plans.clear()
            self._plan_version = self._graph._plan_cache_version
        # Off the CPU every op runs where the module's values are (constants, feeds and
        # session state are moved there by the plan).
        self._state.placer_override = None if device.type == "cpu" else _FixedPlacer(device)
        try:
            plan = Plan(self._state, fetches, feeds, donate=False)  # type: ignore[arg-type]
        finally:
            self._state.placer_override = None
        self._plans[(with_updates, device)] = plan
        return plan

    def _feed_values(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> list[Any]:
        n = len(self._inputs)
        if len(args) > n:
            raise TypeError(f"forward() takes {n} input values but {len(args)} were given")
        given: list[Any] = list(args) + [_MISSING] * (n - len(args))
        training_value: Any = _MISSING
        for key, value in kwargs.items():
            if key in self._input_names:
                i = self._input_names.index(key)
                if given[i] is not _MISSING:
                    raise TypeError(f"forward() got multiple values for input {key!r}")
                given[i] = value
            elif self._training_tensor is not None and key in _names_of(self._training_tensor):
                training_value = value
            else:
                raise TypeError(
                    f"forward() got an unexpected input {key!r}; inputs are {self._input_names}"
                )
        missing = [self._input_names[i] for i, v in enumerate(given) if v is _MISSING]
        if missing:
            raise TypeError(f"forward() is missing values for inputs {missing}")
        values = [_to_feed(t, v) for t, v in zip(self._inputs, given, strict=True)]
        tt = self._training_tensor
        if tt is not None and tt not in self._inputs:
            if training_value is _MISSING:
                training_value = self.training
            values.append(_to_feed(tt, training_value))
        for (is_param, name), dtype in zip(self._var_keys, self._var_dtypes, strict=True):
            value = self._parameters[name] if is_param else self._buffers[name]
            if value is None or value.dtype != dtype:
                raise UnsupportedError(
                    f"the variable {name} as {None if value is None else value.dtype} "
                    f"(the graph computes it as {dtype}; module.to(dtype) is not supported)"
                )
            values.append(value)
        return values

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        """The outputs for the given input values (numpy arrays, torch tensors, Python values)."""
        with_updates = self.training and bool(self._update_ops)
        plan = self._get_plan(with_updates, self._device())
        values = self._feed_values(args, kwargs)
        n_vars = len(self._var_keys)
        # Assignments (UPDATE_OPS) address variables by name: they find the values fed here.
        self._state.bind(self._var_keys, values[len(values) - n_vars :] if n_vars else [])
        # run_subplan reports a failing kernel as its op, as Session.run does. Graphs with
        # gradient ops (``tf.gradients`` among the outputs) need autograd even under no_grad.
        try:
            if plan.needs_grad and not torch.is_grad_enabled():
                with torch.enable_grad():
                    raw = run_subplan(plan, values)
            else:
                raw = run_subplan(plan, values)
        finally:
            self._state.unbind()
        outs = list(raw)[: len(self._flat_outputs)]
        return nest.pack_sequence_as(self._output_structure, outs)

    def __deepcopy__(self, memo: dict[int, Any]) -> GraphModule:
        # The graph, session and plan are shared (the plan takes every value as an input);
        # parameters, buffers and module state are copied.
        shared: list[Any] = [self._graph, self._session, self._state, *self._variables]
        shared.extend(self._plans.values())
        shared.extend(self._update_ops)
        shared.extend([*self._inputs, *self._flat_outputs])
        shared.extend(nest.flatten(self._output_structure))
        if self._training_tensor is not None:
            shared.append(self._training_tensor)
        for obj in shared:
            memo.setdefault(id(obj), obj)
        new = type(self).__new__(type(self))
        memo[id(self)] = new
        for key, value in self.__dict__.items():
            new.__dict__[key] = copy.deepcopy(value, memo)
        return new

    # --- session ------------------------------------------------------------------------------

    @property
    def session(self) -> BaseSession:
        """The session whose op state (random ops, other variables) the module uses."""
        return self._session

    @property
    def graph(self) -> Graph:
        """The graph the module runs."""
        return self._graph

    @property
    def input_names(self) -> list[str]:
        """The names ``forward`` accepts for its inputs, in positional order."""
        return list(self._input_names)

    def sync_to_session(self, session: BaseSession | None = None) -> None:
        """Writes the module's parameter and buffer values into ``session``'s variables.

        ``session`` defaults to the module's own session; it must run the module's graph.
        """
        session = self._session if session is None else session
        if session.graph is not self._graph:
            raise ValueError("The session's graph is not the graph of this module.")
        for v, (is_param, name) in zip(self._variables, self._var_keys, strict=True):
            value = self._parameters[name] if is_param else self._buffers[name]
            assert value is not None
            session._load_variable(v, value.detach().cpu())


class _FixedPlacer:
    """Places every op of a module's plan on the module's device."""

    active = True

    def __init__(self, device: torch.device) -> None:
        self.device = device

    def device_of(self, op: Operation) -> torch.device:
        return self.device

    def report(self, ops: list[Operation], devices: list[torch.device]) -> None:
        """Nothing to log: the module chose the device."""


class _ModuleState:
    """The session as the module's plans see it: the module's values come first.

    Kernels that address variables by name (``Assign``, ``AssignSub`` of the batch-norm moving
    averages, ``VariableV2`` reads inside control-flow bodies) look them up in ``_variables``;
    during a forward that mapping holds the tensors fed for the module's parameters and buffers
    (so in-place assignments update them), then the session's other variables. Everything else
    (random-op state, ``_op_state_for``) is the session's.
    """

    def __init__(self, session: BaseSession) -> None:
        self._session = session
        self.placer_override: _FixedPlacer | None = None
        self._module_values: dict[str, Any] = {}
        self._variables = collections.ChainMap(self._module_values, session._variables)

    def bind(self, keys: list[tuple[bool, str]], values: list[Any]) -> None:
        """Makes ``values`` (in ``keys`` order) the module's variable values for a forward."""
        mv = self._module_values
        mv.clear()
        for (_, name), value in zip(keys, values, strict=True):
            mv[name] = value

    def unbind(self) -> None:
        """Drops the references taken by ``bind``."""
        self._module_values.clear()

    @property
    def _placer(self) -> Any:
        override = self.placer_override
        return override if override is not None else self._session._placer

    def _read_variable(self, name: str, op: Operation | None = None) -> Any:
        value = self._module_values.get(name)
        return value if value is not None else self._session._read_variable(name, op)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._session, name)


class _Missing:
    pass


_MISSING: Any = _Missing()


def _names_of(t: Tensor) -> tuple[str, ...]:
    return (t.op.name, t.name)


def _to_feed(t: Tensor, value: Any) -> Any:
    base = t._dtype.base_dtype
    if isinstance(value, torch.Tensor):
        want = torch_dtype(base)
        out = value if value.dtype == want else value.to(want)
    else:
        out = to_torch(value, base)
    shape = tuple(getattr(out, "shape", ()))
    if not t._shape.is_compatible_with(shape):
        raise ValueError(
            f"Cannot feed value of shape {shape!r} for Tensor {t.name}, which has shape {t._shape}"
        )
    return out


def _as_placeholder(graph: Graph, x: Any) -> Tensor:
    if isinstance(x, str) and ":" not in x:
        x += ":0"  # an op name stands for its first output (placeholders have one)
    t = graph.as_graph_element(x, allow_tensor=True, allow_operation=False)
    if not isinstance(t, Tensor):
        raise TypeError(f"An input must be a tensor of the graph, got {x!r}")
    if not graph.is_feedable(t):
        raise ValueError(f"Tensor {t.name} may not be fed.")
    return t


def to_module(
    outputs: Any,
    inputs: Any,
    graph: Graph | None = None,
    session: BaseSession | None = None,
    training: Any = None,
) -> GraphModule:
    """A ``torch.nn.Module`` computing ``outputs`` of a TF1 graph from ``inputs``.

    Args:
        outputs: a tensor or any nesting (list, tuple, dict) of tensors or tensor names;
            ``forward`` returns torch tensors in this structure.
        inputs: a tensor (usually a placeholder) or its name (an op name means its output 0),
            a list of them (``forward`` takes them positionally or by op name, e.g. ``x`` for
            ``x:0``), or a dict from Python names to tensors (``forward`` takes those names as
            keywords).
        graph: the graph (default: the outputs' graph, else the default graph).
        session: a session holding the variable values (default: a new session in which
            the initializer of every global and local variable is run).
        training: optional boolean placeholder (tensor, tensor name or op name) that
            ``forward`` feeds with ``module.training`` unless a value for it is given by name.

    Returns:
        A :class:`GraphModule` whose parameters are the graph's trainable global variables and
        whose buffers are its other global variables, keyed by their TF names.

    Raises:
        UnsupportedError: a partitioned or string variable, or a variable name containing
            ``.`` (torch forbids dots in parameter names).
        TypeError: ``training`` is not a bool tensor.
        ValueError: two inputs have the same name, or ``session`` runs another graph.

    Differences from TensorFlow: this has no TF counterpart.

    >>> import scopeflow.compat.v1 as tf
    >>> import scopeflow.torch
    >>> with tf.Graph().as_default():
    ...     x = tf.placeholder(tf.float32, [None, 3], name="x")
    ...     y = tf.layers.dense(x, 2, kernel_initializer=tf.ones_initializer())
    ...     m = scopeflow.torch.to_module(y, x)
    >>> sorted(m.state_dict())
    ['dense/bias', 'dense/kernel']
    >>> m(x=[[1.0, 2.0, 3.0]]).tolist()
    [[6.0, 6.0]]
    """
    flat_out = nest.flatten(outputs)
    if graph is None:
        graph = session.graph if session is not None else None
    if graph is None:
        for o in flat_out:
            g = getattr(o, "graph", None)
            if isinstance(g, Graph):
                graph = g
                break
    if graph is None:
        graph = get_default_graph()
    if session is not None and session.graph is not graph:
        raise ValueError("The session's graph is not the graph of the outputs.")
    named: list[tuple[str, Tensor]] = []
    if isinstance(inputs, Mapping):
        for key, x in inputs.items():
            named.append((str(key), _as_placeholder(graph, x)))
    else:
        seq = list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
        for x in seq:
            t = _as_placeholder(graph, x)
            named.append((t.op.name, t))
    names = [n for n, _ in named]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise ValueError(f"Inputs must have distinct names; repeated: {dup}")
    training_t = _as_placeholder(graph, training) if training is not None else None
    if training_t is not None and training_t._dtype.base_dtype != dtypes.bool:
        raise TypeError(f"training must be a bool placeholder, got {training_t.name} "
                        f"of type {training_t._dtype.base_dtype.name}")  # fmt: skip
    variables: list[Variable] = list(graph.get_collection(GraphKeys.GLOBAL_VARIABLES))
    trainable = {id(v) for v in graph.get_collection(GraphKeys.TRAINABLE_VARIABLES)}
    for v in variables:
        if getattr(v, "_save_slice_info", None) is not None:
            raise UnsupportedError(f"to_module with the partitioned variable {v.op.name}")
        if "." in v.op.name:
            raise UnsupportedError(
                f"to_module with the variable {v.op.name} (torch forbids '.' in parameter names)"
            )
        if not isinstance(v, Variable):
            raise UnsupportedError(f"to_module with the variable {v!r} of type {type(v)}")
    if session is None:
        session = Session(graph=graph)
        local = graph.get_collection(GraphKeys.LOCAL_VARIABLES)
        inits: list[Operation] = [v.initializer for v in [*variables, *local]]
        if inits:
            session.run(inits)
    return GraphModule(graph, session, outputs, named, training_t, variables, trainable)


__all__ = ["GraphModule", "to_module"]
