"""The pure-Python state of a graph: names in use, per-thread scope stacks, collections, seeds.

``graph.Graph`` extends ``GraphState`` with operations and tensors. Everything here follows
``docs/tf1_semantics.md`` §1: the name table and collections are per graph; the name stack and the
variable-scope stack are per graph *and* per thread (a new thread starts at the root); the variable
store is per graph and shared by all threads.

Also here: the default-graph stack (``get_default_graph``/``reset_default_graph``), which is
thread-local with one global default, as in TF.

Must not import torch or any scopeflow layer above ``_core``.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import Any

from scopeflow._core import names


class _ThreadState(threading.local):
    """Per-thread state of one graph: the name stack and the variable-scope store."""

    def __init__(self) -> None:
        self.name_stack = ""
        self.var_scope_store: Any = None
        self.control_dependencies: list[Any] = []
        self.device_stack: list[Any] = []
        self.colocation_stack: list[Any] = []
        self.variable_creators: list[Any] = []
        # The caller's name scope while ``get_variable`` runs at the root one (for explanations).
        self.get_variable_name_stack: str | None = None


class GraphState:
    """Names, collections, scope stacks and the variable store of one graph."""

    def __init__(self) -> None:
        self._names = names.NameRegistry()
        self._thread = _ThreadState()
        self._collections: dict[Any, list[Any]] = {}
        self._variable_store: Any = None
        self._seed: int | None = None
        self._last_id = 0
        self._finalized = False
        self._lock = threading.RLock()

    # --- names -----------------------------------------------------------------------------

    def get_name_scope(self) -> str:
        """The current name scope, without a trailing slash (``''`` at the root)."""
        return self._thread.name_stack

    def unique_name(self, name: str, mark_as_used: bool = True) -> str:
        """TF's ``Graph.unique_name``: ``name`` under the current name scope, made unique."""
        return self._names.unique_name(name, self._thread.name_stack, mark_as_used=mark_as_used)

    def name_scope(self, name: str | None) -> _NameScope:
        """TF's ``Graph.name_scope``: push ``name`` (uniquified, or absolute if it ends in ``/``).

        ``None`` or ``''`` resets to the root. Entering yields the scope string with a trailing
        ``/``.
        """
        return _NameScope(self, name)

    # --- collections ------------------------------------------------------------------------

    def add_to_collection(self, name: Any, value: Any) -> None:
        """Appends ``value`` to the collection ``name``."""
        self._collections.setdefault(name, []).append(value)

    def add_to_collections(self, names_: Any, value: Any) -> None:
        """Adds ``value`` to each named collection (a string is one name; duplicates once)."""
        if isinstance(names_, str):
            names_ = (names_,)
        for n in dict.fromkeys(names_):
            self.add_to_collection(n, value)

    def get_collection_ref(self, name: Any) -> list[Any]:
        """The live list of collection ``name`` (created empty if absent)."""
        return self._collections.setdefault(name, [])

    def get_collection(self, name: Any, scope: str | None = None) -> list[Any]:
        """A copy of collection ``name``, filtered by ``re.match(scope, item.name)``."""
        coll = self._collections.get(name)
        if coll is None:
            return []
        if scope is None:
            return list(coll)
        regex = re.compile(scope)
        out = []
        for item in coll:
            try:
                if regex.match(item.name):
                    out.append(item)
            except AttributeError:
                pass  # items without a name are skipped when a scope is given, as in TF
        return out

    def get_all_collection_keys(self) -> list[Any]:
        """The string keys of all collections created so far (TF's rule)."""
        return [k for k in self._collections if isinstance(k, str)]

    def clear_collection(self, name: Any) -> None:
        """Removes collection ``name``."""
        self._collections.pop(name, None)

    # --- seeds and finalize -----------------------------------------------------------------

    @property
    def seed(self) -> int | None:
        """The graph-level random seed (``tf.set_random_seed``)."""
        return self._seed

    @seed.setter
    def seed(self, value: int | None) -> None:
        self._seed = value

    @property
    def finalized(self) -> bool:
        """True after ``finalize()``: the graph is read-only."""
        return self._finalized

    def finalize(self) -> None:
        """Makes the graph read-only; adding an op afterwards raises RuntimeError."""
        self._finalized = True

    def _unsafe_unfinalize(self) -> None:
        """Makes a finalized graph writable again (TF's escape hatch)."""
        self._finalized = False

    def _check_not_finalized(self) -> None:
        if self._finalized:
            raise RuntimeError("Graph is finalized and cannot be modified.")


class _NameScope:
    """The context manager of ``GraphState.name_scope`` (a class: this is a hot path)."""

    __slots__ = ("_active", "_graph", "_name", "_old")

    def __init__(self, graph: GraphState, name: str | None) -> None:
        self._graph = graph
        self._name = name
        self._old = ""
        self._active = False

    def __enter__(self) -> str:
        # Nothing is recorded until the scope is valid: a scope whose entry raised was never
        # entered (TF's generator stops before its ``try``), so neither ``__exit__`` nor
        # ``__del__`` may restore anything for it later.
        graph = self._graph
        thread = graph._thread
        old_stack = thread.name_stack
        name = self._name
        if name:
            names.validate_scope_name(name, nested=bool(old_stack))
            if name[-1] == "/":
                new_stack = name[:-1]
                returned = name
            else:
                new_stack = graph._names.unique_name(name, old_stack)
                returned = new_stack + "/"
        else:
            new_stack = returned = ""
        self._old = old_stack
        thread.name_stack = new_stack
        self._active = True
        return returned

    def __exit__(self, *exc: object) -> None:
        if self._active:
            self._active = False
            self._graph._thread.name_stack = self._old

    def __del__(self) -> None:
        # TF's name scopes are generators: one dropped without exiting restores the stack when
        # it is garbage-collected. Mirror that, so abandoned scopes behave as in TF.
        if self._active:
            self._active = False
            self._graph._thread.name_stack = self._old


# --- the default graph ---------------------------------------------------------------------------


class _DefaultGraphStack(threading.local):
    def __init__(self) -> None:
        self.stack: list[GraphState] = []


_default_stack = _DefaultGraphStack()
_global_default: GraphState | None = None
_graph_factory: Callable[[], GraphState] = GraphState
_global_lock = threading.Lock()


def set_graph_factory(factory: Callable[[], GraphState]) -> None:
    """Called once by the ``graph`` layer so the default graph is a full ``Graph``."""
    global _graph_factory, _global_default
    _graph_factory = factory
    _global_default = None


def get_default_graph() -> Any:
    """The innermost ``as_default()`` graph of this thread, else the global default graph."""
    stack = _default_stack.stack
    if stack:
        return stack[-1]
    global _global_default
    if _global_default is None:
        with _global_lock:
            if _global_default is None:
                _global_default = _graph_factory()
    return _global_default


def reset_default_graph() -> None:
    """Replaces the global default graph with a new, empty one (TF's ``reset_default_graph``)."""
    if _default_stack.stack:
        raise AssertionError(
            "Do not use tf.reset_default_graph() to clear nested graphs. If you need a cleared "
            "graph, exit the nesting and create a new graph."
        )
    global _global_default
    _global_default = _graph_factory()


class default_graph:
    """Makes ``graph`` the default graph of this thread inside the block."""

    __slots__ = ("_active", "_graph")

    def __init__(self, graph: GraphState) -> None:
        self._graph = graph
        self._active = False

    def __enter__(self) -> Any:
        _default_stack.stack.append(self._graph)
        self._active = True
        return self._graph

    def __exit__(self, *exc: object) -> None:
        self._active = False
        stack = _default_stack.stack
        if stack:
            if stack[-1] is not self._graph:
                raise AssertionError("Nesting violated for default stack of Graph objects")
            stack.pop()

    def __del__(self) -> None:
        # As TF's generator-based controller: dropped without exiting, it pops on collection.
        if self._active:
            self._active = False
            stack = _default_stack.stack
            if stack and self._graph in stack:
                stack.remove(self._graph)


__all__ = [
    "GraphState",
    "default_graph",
    "get_default_graph",
    "reset_default_graph",
    "set_graph_factory",
]
