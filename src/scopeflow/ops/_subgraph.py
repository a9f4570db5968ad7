"""Bodies of functional control-flow ops: recording the ops a Python function creates.

``cond`` branches, ``while_loop`` conditions and bodies and ``map_fn``/``scan`` functions are
built in the main graph, as TF 1.x does, while ``building`` records which ops they create. Those
ops form the body: they never enter a session's main plan (nothing outside consumes them);
instead the enclosing op (``If``, ``While``, ``FunctionalLoop``) takes the outer tensors the body
reads (its *captures*) as inputs and runs the body as a sub-plan compiled with the session's
plan machinery (``compile_subplan``), cached per session.

Variables created inside a body are lifted out of it, as TF's ``init_scope`` does: their
``VariableV2``, initializer and ``read`` ops run in the main graph. A variable whose initial
value is a tensor computed inside the body raises TF's ``ValueError``.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from scopeflow._core.variable_scope import variable_creator_scope
from scopeflow.graph.graph import Graph
from scopeflow.graph.op_registry import get_kernel
from scopeflow.graph.plan import compile_subplan
from scopeflow.graph.tensor import Operation, Tensor


class Body:
    """The ops created while a control-flow body function ran."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self._start_index = len(graph._ops)
        self._start_id = graph._last_id
        self.inner: frozenset[int] = frozenset()
        self._variables: list[Any] = []

    def contains(self, t: Tensor) -> bool:
        """Whether ``t`` is produced by an op of this body."""
        return t._op._id in self.inner

    def _creator(self, next_creator: Any, **kwargs: Any) -> Any:
        init = kwargs.get("initial_value")
        if (
            isinstance(init, Tensor)
            and init._op._id > self._start_id
            and init._op._id not in (self._lifted_ids())
        ):
            g = self.graph
            scope = g.unique_name(kwargs.get("name") or "Variable")
            raise ValueError(
                f"Initializer for variable {scope}/ is from inside a control-flow construct, "
                "such as a loop or conditional. When creating a variable inside a loop or "
                "conditional, use a lambda as the initializer."
            )
        v = next_creator(**kwargs)
        self._variables.append(v)
        return v

    def _lifted_ids(self) -> set[int]:
        lifted: set[int] = set()
        start = self._start_id
        for v in self._variables:
            op = getattr(v, "op", None)
            if not isinstance(op, Operation):
                continue
            lifted.add(op._id)
            snap = getattr(v, "_snapshot", None)
            if isinstance(snap, Tensor):
                lifted.add(snap._op._id)
            init = getattr(v, "initializer", None)
            stack = [init] if isinstance(init, Operation) else []
            while stack:
                o = stack.pop()
                if o._id in lifted or o._id <= start:
                    continue
                lifted.add(o._id)
                stack.extend(t._op for t in o._inputs)
                stack.extend(o._control_inputs)
        return lifted

    def _finish(self) -> None:
        created = {op._id for op in self.graph._ops[self._start_index :]}
        self.inner = frozenset(created - self._lifted_ids())

    def captures(
        self, outputs: list[Any], fed: list[Tensor]
    ) -> tuple[list[Tensor], list[Operation]]:
        """The outer tensors the ops needed for ``outputs`` read, and their outer control deps.

        ``outputs`` are tensors or ops; ``fed`` are tensors the enclosing op feeds (loop
        variables, element slices), which are neither captured nor walked through.
        """
        inner = self.inner
        fed_ids = {id(t) for t in fed}
        caps: dict[int, Tensor] = {}
        ctrl: list[Operation] = []
        seen: set[int] = set()
        stack: list[Operation] = []
        for o in outputs:
            if isinstance(o, Operation):
                stack.append(o)
            elif id(o) in fed_ids:
                continue
            elif o._op._id in inner:
                stack.append(o._op)
            else:
                caps.setdefault(id(o), o)
        while stack:
            op = stack.pop()
            if op._id in seen:
                continue
            seen.add(op._id)
            refs = get_kernel(op._type).ref_inputs
            for i, t in enumerate(op._inputs):
                if i in refs or id(t) in fed_ids:
                    continue
                if t._op._id in inner:
                    stack.append(t._op)
                else:
                    caps.setdefault(id(t), t)
            for c in op._control_inputs:
                if c._id in inner:
                    stack.append(c)
                elif c not in ctrl:
                    ctrl.append(c)
        return list(caps.values()), ctrl


@contextlib.contextmanager
def building(graph: Graph) -> Iterator[Body]:
    """Records the ops created inside the block as a ``Body`` (complete after the block)."""
    body = Body(graph)
    with variable_creator_scope(body._creator):
        yield body
    body._finish()


def merge_inputs(*lists: list[Tensor]) -> list[Tensor]:
    """The union of tensor lists, in first-seen order."""
    out: dict[int, Tensor] = {}
    for lst in lists:
        for t in lst:
            out.setdefault(id(t), t)
    return list(out.values())


def cached_plans(op: Operation, session: Any, specs: list[tuple[Any, Any, Any]]) -> list[Any]:
    """Sub-plans for ``specs`` = [(fetches, feeds, inner)], compiled once per session/version."""

    def make() -> dict[str, Any]:
        return {}

    state = session._op_state_for(op, make)
    version = op._graph._plan_cache_version
    if state.get("version") != version:
        state["plans"] = [compile_subplan(session, list(f), list(fd), inn) for f, fd, inn in specs]
        state["version"] = version
    return state["plans"]  # type: ignore[no-any-return]


def shape_le(a: Any, b: Any) -> bool:
    """TF's ``_ShapeLessThanOrEqual``: ``a`` is at least as specific as ``b``."""
    if b.dims is None:
        return True
    if a.dims is None or len(a.dims) != len(b.dims):
        return False
    return all(
        db.value is None or da.value == db.value for da, db in zip(a.dims, b.dims, strict=True)
    )


__all__ = ["Body", "building", "cached_plans", "merge_inputs", "shape_le"]
