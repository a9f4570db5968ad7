"""``VariableScope``, ``variable_scope`` and the per-thread variable-scope store.

This is ``docs/tf1_semantics.md`` §3–§4 as code: entering a scope by string, by captured
``VariableScope`` object or by ``default_name``; reuse inheritance (``arg or parent.reuse`` for a
string child, ``arg if arg else captured.reuse`` for a captured one); the ``default_name``
counters with their reset-on-exit (string scopes) and snapshot-restore (captured scopes) rules;
``auxiliary_name_scope``; and custom-getter chaining. The structure mirrors TF's
``variable_scope``/``_pure_variable_scope`` pair so that each rule has one obvious home.

Must not import torch or any scopeflow layer above ``_core``.
"""

from __future__ import annotations

import enum
import functools
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Any

from scopeflow._core import dtypes, graph_state, names
from scopeflow._core.graph_keys import GraphKeys
from scopeflow._core.graph_state import default_graph, get_default_graph
from scopeflow._core.sites import user_site


class _ReuseMode(enum.Enum):
    """Mode for variable access within a variable scope."""

    AUTO_REUSE = 1


AUTO_REUSE = _ReuseMode.AUTO_REUSE


class VariableScope:
    """The variable-scope object: a name prefix plus the defaults ``get_variable`` applies.

    ``__enter__`` of ``variable_scope`` returns a new ``VariableScope`` on every entry. A captured
    ``VariableScope`` holds only names and defaults; re-entering it in another graph uses that
    graph's store.

    >>> import scopeflow.compat.v1 as tf
    >>> with tf.variable_scope("foo") as vs:
    ...     print(vs.name, vs.original_name_scope, vs.reuse)
    foo foo/ False
    """

    __slots__ = (
        "_caching_device",
        "_constraint",
        "_custom_getter",
        "_dtype",
        "_entered_at",
        "_initializer",
        "_name",
        "_name_scope",
        "_parent",
        "_partitioner",
        "_regularizer",
        "_reuse",
        "_use_resource",
    )

    def __init__(
        self,
        reuse: Any,
        name: str = "",
        initializer: Any = None,
        regularizer: Any = None,
        caching_device: Any = None,
        partitioner: Any = None,
        custom_getter: Any = None,
        name_scope: str = "",
        dtype: Any = dtypes.float32,
        use_resource: bool | None = None,
        constraint: Any = None,
    ) -> None:
        self._name = name
        self._initializer = initializer
        self._regularizer = regularizer
        self._reuse = reuse
        self._caching_device = caching_device
        self._partitioner = partitioner
        self._custom_getter = custom_getter
        self._name_scope = name_scope
        self._dtype = dtype
        self._use_resource = use_resource
        self._constraint = constraint
        # The enclosing scope and the user code that entered this one (for error explanations).
        self._parent: VariableScope | None = None
        self._entered_at: tuple[str, int] | None = None

    @property
    def name(self) -> str:
        """The full variable-scope name (the prefix of ``get_variable`` names)."""
        return self._name

    @property
    def original_name_scope(self) -> str:
        """The name scope (with trailing ``/``) opened when this scope was first entered."""
        return self._name_scope

    @property
    def reuse(self) -> Any:
        """``False``, ``True`` or ``AUTO_REUSE``."""
        return self._reuse

    @property
    def initializer(self) -> Any:
        """Default initializer for ``get_variable`` in this scope."""
        return self._initializer

    @property
    def dtype(self) -> Any:
        """Default dtype for ``get_variable`` in this scope (float32 at the root)."""
        return self._dtype

    @property
    def use_resource(self) -> bool | None:
        """Whether variables are resource variables (accepted; scopeflow has one variable kind)."""
        return self._use_resource

    @property
    def regularizer(self) -> Any:
        """Default regularizer for ``get_variable`` in this scope."""
        return self._regularizer

    @property
    def caching_device(self) -> Any:
        """Default caching device (stored and inherited; devices are not modelled)."""
        return self._caching_device

    @property
    def partitioner(self) -> Any:
        """Default partitioner for ``get_variable`` in this scope."""
        return self._partitioner

    @property
    def custom_getter(self) -> Any:
        """The scope's custom getter (chained with enclosing scopes' getters)."""
        return self._custom_getter

    @property
    def constraint(self) -> Any:
        """The scope's constraint (not inherited by child or re-entered scopes)."""
        return self._constraint

    def _child(self, reuse: Any, name: str, name_scope: str, constraint: Any) -> VariableScope:
        """A scope inheriting this one's defaults (the hot path of entering a string scope)."""
        c = VariableScope.__new__(VariableScope)
        c._name = name
        c._initializer = self._initializer
        c._regularizer = self._regularizer
        c._reuse = reuse
        c._caching_device = self._caching_device
        c._partitioner = self._partitioner
        c._custom_getter = self._custom_getter
        c._name_scope = name_scope
        c._dtype = self._dtype
        c._use_resource = self._use_resource
        c._constraint = constraint
        c._parent = self
        c._entered_at = None
        return c

    def reuse_variables(self) -> None:
        """Sets ``reuse=True`` on this scope object."""
        self._reuse = True

    def set_initializer(self, initializer: Any) -> None:
        """Sets the default initializer of this scope object."""
        self._initializer = initializer

    def set_dtype(self, dtype: Any) -> None:
        """Sets the default dtype of this scope object."""
        self._dtype = dtype

    def set_use_resource(self, use_resource: bool | None) -> None:
        """Sets ``use_resource`` of this scope object."""
        self._use_resource = use_resource

    def set_regularizer(self, regularizer: Any) -> None:
        """Sets the default regularizer of this scope object."""
        self._regularizer = regularizer

    def set_caching_device(self, caching_device: Any) -> None:
        """Sets the default caching device of this scope object."""
        self._caching_device = caching_device

    def set_partitioner(self, partitioner: Any) -> None:
        """Sets the default partitioner of this scope object."""
        self._partitioner = partitioner

    def set_custom_getter(self, custom_getter: Any) -> None:
        """Sets the custom getter of this scope object."""
        self._custom_getter = custom_getter

    def get_collection(self, name: Any) -> list[Any]:
        """``tf.get_collection(name, scope=self.name + '/')`` (the whole collection at the root)."""
        scope = self._name + "/" if self._name else None
        return get_default_graph().get_collection(name, scope)  # type: ignore[no-any-return]

    def trainable_variables(self) -> list[Any]:
        """The trainable variables under this scope's name."""
        return self.get_collection(GraphKeys.TRAINABLE_VARIABLES)

    def global_variables(self) -> list[Any]:
        """The global variables under this scope's name."""
        return self.get_collection(GraphKeys.GLOBAL_VARIABLES)

    def local_variables(self) -> list[Any]:
        """The local variables under this scope's name."""
        return self.get_collection(GraphKeys.LOCAL_VARIABLES)

    def get_variable(
        self,
        var_store: Any,
        name: str,
        shape: Any = None,
        dtype: Any = None,
        initializer: Any = None,
        regularizer: Any = None,
        reuse: Any = None,
        trainable: bool | None = None,
        collections: Any = None,
        caching_device: Any = None,
        partitioner: Any = None,
        validate_shape: bool = True,
        use_resource: bool | None = None,
        custom_getter: Any = None,
        constraint: Any = None,
        synchronization: Any = None,
        aggregation: Any = None,
    ) -> Any:
        """Gets or creates ``self.name + '/' + name`` in ``var_store``, applying scope defaults."""
        from scopeflow._core.backend import backend  # noqa: PLC0415  (hooks, set at import)

        if regularizer is None:
            regularizer = self._regularizer
        if caching_device is None:
            caching_device = self._caching_device
        if partitioner is None:
            partitioner = self._partitioner
        if custom_getter is None:
            custom_getter = self._custom_getter
        if reuse is None:
            reuse = self._reuse
        if use_resource is None:
            use_resource = self._use_resource
        full_name = self._name + "/" + name if self._name else name
        # ``get_variable`` runs at the root name scope (TF: ``name_scope(None)``).
        thread = get_default_graph()._thread
        old_stack = thread.name_stack
        thread.name_stack = ""
        thread.get_variable_name_stack = old_stack
        try:
            if dtype is not None and initializer is not None and not callable(initializer):
                init_dtype = backend.convert_to_tensor(initializer).dtype.base_dtype
                if init_dtype != dtype:
                    raise ValueError(
                        f"Initializer type '{init_dtype}' and explicit dtype '{dtype}' don't match."
                    )
            if initializer is None:
                initializer = self._initializer
            if constraint is None:
                constraint = self._constraint
            if dtype is None:
                dtype = self._dtype
            return var_store.get_variable(
                full_name,
                shape=shape,
                dtype=dtype,
                initializer=initializer,
                regularizer=regularizer,
                reuse=reuse,
                trainable=trainable,
                collections=collections,
                caching_device=caching_device,
                partitioner=partitioner,
                validate_shape=validate_shape,
                use_resource=use_resource,
                custom_getter=custom_getter,
                constraint=constraint,
                synchronization=synchronization,
                aggregation=aggregation,
            )
        finally:
            thread.name_stack = old_stack
            thread.get_variable_name_stack = None


class _VariableScopeStore(threading.local):
    """Per graph, per thread: the current ``VariableScope`` and the ``default_name`` counters."""

    def __init__(self) -> None:
        self.current_scope = VariableScope(False)
        self.variable_scopes_count: dict[str, int] = {}
        # scope name -> the counter keys strictly below it. TF zeroes the counters under a scope
        # on exit by scanning every key (quadratic in the number of scopes); this index makes
        # an exit cost proportional to the scopes actually below it.
        self._descendants: dict[str, set[str]] = {}

    def open_variable_scope(self, scope_name: str) -> None:
        counts = self.variable_scopes_count
        n = counts.get(scope_name)
        if n is None:
            counts[scope_name] = 1
            parts = scope_name.split("/")
            desc = self._descendants
            for i in range(1, len(parts)):
                desc.setdefault("/".join(parts[:i]), set()).add(scope_name)
        else:
            counts[scope_name] = n + 1

    def close_variable_subscopes(self, scope_name: str) -> None:
        counts = self.variable_scopes_count
        for k in self._descendants.get(scope_name, ()):
            if k in counts:
                counts[k] = 0

    def variable_scope_count(self, scope_name: str) -> int:
        return self.variable_scopes_count.get(scope_name, 0)


# TF's ``variable_scope._DEFAULT_USE_RESOURCE``: whether a variable made with ``use_resource``
# unset in the call and in its variable scope is a ``ResourceVariable`` (TF 1.x: not until
# ``tf.enable_resource_variables()``, which holds for the rest of the process).
_DEFAULT_USE_RESOURCE = {"enabled": False}


def enable_resource_variables() -> None:
    """``tf.enable_resource_variables``: from now on variables default to ``ResourceVariable``."""
    _DEFAULT_USE_RESOURCE["enabled"] = True


def disable_resource_variables() -> None:
    """``tf.disable_resource_variables``: variables default to TF1 ``RefVariable`` (the default)."""
    _DEFAULT_USE_RESOURCE["enabled"] = False


def resource_variables_enabled() -> bool:
    """``tf.resource_variables_enabled``: whether variables default to ``ResourceVariable``."""
    return _DEFAULT_USE_RESOURCE["enabled"]


def get_variable_scope_store() -> _VariableScopeStore:
    """The variable-scope store of the default graph for the calling thread."""
    thread = get_default_graph()._thread
    store = thread.var_scope_store
    if store is None:
        store = thread.var_scope_store = _VariableScopeStore()
    return store  # type: ignore[no-any-return]


def get_variable_scope() -> VariableScope:
    """The current ``VariableScope`` (the live object, not a copy)."""
    return get_variable_scope_store().current_scope


def _get_unique_variable_scope(prefix: str) -> str:
    """The relative name ``prefix`` or ``prefix_N``, by the ``default_name`` counters only."""
    store = get_variable_scope_store()
    current = store.current_scope
    name = current.name + "/" + prefix if current.name else prefix
    if store.variable_scope_count(name) == 0:
        return prefix
    idx = 1
    while store.variable_scope_count(f"{name}_{idx}") > 0:
        idx += 1
    return f"{prefix}_{idx}"


def _maybe_wrap_custom_getter(custom_getter: Any, old_getter: Any) -> Any:
    """Chains getters: the new (inner) one runs first; its ``getter`` calls the old one."""
    if old_getter is None:
        return custom_getter

    def wrapped_custom_getter(getter: Any, *args: Any, **kwargs: Any) -> Any:
        return custom_getter(functools.partial(old_getter, getter), *args, **kwargs)

    return wrapped_custom_getter


class _Overrides:
    __slots__ = (
        "any",
        "caching_device",
        "constraint",
        "custom_getter",
        "dtype",
        "initializer",
        "partitioner",
        "regularizer",
        "use_resource",
    )

    def __init__(
        self,
        initializer: Any = None,
        regularizer: Any = None,
        caching_device: Any = None,
        partitioner: Any = None,
        custom_getter: Any = None,
        dtype: Any = None,
        use_resource: Any = None,
        constraint: Any = None,
    ) -> None:
        self.initializer = initializer
        self.regularizer = regularizer
        self.caching_device = caching_device
        self.partitioner = partitioner
        self.custom_getter = custom_getter
        self.dtype = dtype
        self.use_resource = use_resource
        self.constraint = constraint
        self.any = not (
            initializer is None
            and regularizer is None
            and caching_device is None
            and partitioner is None
            and custom_getter is None
            and dtype is None
            and use_resource is None
        )

    def apply(self, scope: VariableScope, old_getter: Any) -> None:
        if not self.any:
            return
        if self.initializer is not None:
            scope.set_initializer(self.initializer)
        if self.regularizer is not None:
            scope.set_regularizer(self.regularizer)
        if self.caching_device is not None:
            scope.set_caching_device(self.caching_device)
        if self.partitioner is not None:
            scope.set_partitioner(self.partitioner)
        if self.custom_getter is not None:
            scope.set_custom_getter(_maybe_wrap_custom_getter(self.custom_getter, old_getter))
        if self.dtype is not None:
            scope.set_dtype(self.dtype)
        if self.use_resource is not None:
            scope.set_use_resource(self.use_resource)


_NO_OVERRIDES = _Overrides()
_valid_root = names.VALID_OP_NAME_REGEX.match
_valid_nested = names.VALID_SCOPE_NAME_REGEX.match


class _pure_variable_scope:
    """Enters a variable scope without touching name scopes (TF's ``_pure_variable_scope``)."""

    __slots__ = (
        "_cached",
        "_last",
        "_name_or_scope",
        "_new_name",
        "_old",
        "_old_name_scope",
        "_old_subscopes",
        "_overrides",
        "_reuse",
        "_store",
    )

    def __init__(
        self,
        name_or_scope: str | VariableScope,
        reuse: Any = None,
        overrides: _Overrides | None = None,
        old_name_scope: str | None = None,
        store: _VariableScopeStore | None = None,
    ) -> None:
        self._name_or_scope = name_or_scope
        self._reuse = reuse
        self._overrides = overrides or _NO_OVERRIDES
        self._old_name_scope = old_name_scope
        self._store = store or get_variable_scope_store()
        self._last: VariableScope | None = None
        self._old: VariableScope | None = None
        self._new_name = ""
        self._old_subscopes: dict[str, int] | None = None
        self._cached: VariableScope | None = None
        if isinstance(name_or_scope, VariableScope):
            s = name_or_scope
            self._new_name = s.name
            obj = VariableScope(
                reuse if reuse else s.reuse,
                name=s.name,
                initializer=s.initializer,
                regularizer=s.regularizer,
                caching_device=s.caching_device,
                partitioner=s.partitioner,
                dtype=s.dtype,
                custom_getter=s.custom_getter,
                name_scope=s.original_name_scope,
                use_resource=s.use_resource,
                constraint=self._overrides.constraint,
            )
            self._overrides.apply(obj, s.custom_getter)
            self._cached = obj

    def __enter__(self) -> VariableScope:
        store = self._store
        self._old = old = store.current_scope
        if self._cached is not None:
            store.open_variable_scope(self._new_name)
            self._old_subscopes = dict(store.variable_scopes_count)
            obj = self._cached
        else:
            name = self._name_or_scope
            assert isinstance(name, str)
            self._new_name = old.name + "/" + name if old.name else name
            self._reuse = self._reuse or old._reuse
            obj = old._child(
                self._reuse,
                self._new_name,
                name if self._old_name_scope is None else self._old_name_scope,
                self._overrides.constraint,
            )
            self._overrides.apply(obj, old.custom_getter)
            store.open_variable_scope(self._new_name)
        obj._parent = old
        obj._entered_at = user_site(2)
        store.current_scope = obj
        self._last = obj
        return obj

    def __exit__(self, *exc: object) -> None:
        store = self._store
        if store.current_scope is not self._last:
            raise RuntimeError("Improper nesting of variable_scope.")
        if self._cached is not None:
            assert self._old_subscopes is not None
            store.variable_scopes_count = self._old_subscopes
        else:
            store.close_variable_subscopes(self._new_name)
        store.current_scope = self._old  # type: ignore[assignment]


class variable_scope:
    """A context manager for defining ops that create variables (TF1 ``tf.variable_scope``).

    Enters a name scope (unless ``auxiliary_name_scope=False``) and a variable scope; yields the
    new ``VariableScope``. See ``docs/tf1_semantics.md`` §3 for every naming and reuse rule.

    >>> import scopeflow.compat.v1 as tf
    >>> with tf.variable_scope("foo"):
    ...     with tf.variable_scope("bar"):
    ...         v = tf.get_variable("v", [1])
    >>> v.name
    'foo/bar/v:0'
    """

    __slots__ = (
        "_active",
        "_auxiliary_name_scope",
        "_cached_pure",
        "_current_name_scope",
        "_default_name",
        "_fast",
        "_first_ns",
        "_graph",
        "_graph_cm",
        "_last",
        "_name_or_scope",
        "_new_name",
        "_old_scope",
        "_old_stack",
        "_overrides",
        "_reuse",
        "_store",
        "_values",
    )

    def __init__(
        self,
        name_or_scope: str | VariableScope | None,
        default_name: str | None = None,
        values: Any = None,
        initializer: Any = None,
        regularizer: Any = None,
        caching_device: Any = None,
        partitioner: Any = None,
        custom_getter: Any = None,
        reuse: Any = None,
        dtype: Any = None,
        use_resource: bool | None = None,
        constraint: Any = None,
        auxiliary_name_scope: bool = True,
    ) -> None:
        self._active = False  # first: ``__del__`` reads it even if ``__init__`` raises
        self._name_or_scope = name_or_scope
        self._default_name = default_name
        self._values = values
        if (
            initializer is None
            and regularizer is None
            and caching_device is None
            and partitioner is None
            and custom_getter is None
            and dtype is None
            and use_resource is None
            and constraint is None
        ):
            self._overrides = _NO_OVERRIDES
        else:
            self._overrides = _Overrides(
                initializer,
                regularizer,
                caching_device,
                partitioner,
                custom_getter,
                dtype,
                use_resource,
                constraint,
            )
        if default_name is None and name_or_scope is None:
            raise TypeError("If default_name is None then name_or_scope is required")
        if reuse is False:
            reuse = None
        if not (reuse is True or reuse is None or reuse is AUTO_REUSE):
            raise ValueError("The reuse parameter must be True or False or None.")
        self._reuse = reuse
        if not isinstance(auxiliary_name_scope, bool):
            raise TypeError(
                "The auxiliary_name_scope must be `True` or `False`, while get "
                f"{auxiliary_name_scope}"
            )
        self._auxiliary_name_scope = auxiliary_name_scope
        self._graph = get_default_graph()
        self._graph_cm: Any = None
        self._cached_pure: _pure_variable_scope | None = None
        self._current_name_scope: Any = None
        # The common case (a non-empty string, no overrides, with its name scope) is entered
        # by ``_enter_fast``/``_exit_fast`` without the helper context managers.
        self._fast = (
            type(name_or_scope) is str
            and name_or_scope != ""
            and auxiliary_name_scope
            and self._overrides is _NO_OVERRIDES
        )
        self._first_ns: str | None = None
        self._store: _VariableScopeStore | None = None

    def _enter_fast(self) -> VariableScope:
        """``__enter__`` for a string scope: the same steps, inlined.

        Pushes the graph, opens the name scope (``Graph.name_scope``), then the variable scope
        (``_pure_variable_scope``). A re-entry re-opens the name scope but keeps the first
        entry's ``original_name_scope`` and reuse, as TF's cached pure scope does.
        """
        graph = self._graph
        gstack = graph_state._default_stack.stack
        gstack.append(graph)
        thread = graph._thread
        self._old_stack = old_stack = thread.name_stack
        name: str = self._name_or_scope  # type: ignore[assignment]
        if not (_valid_nested if old_stack else _valid_root)(name):
            gstack.pop()
            names.validate_scope_name(name, nested=bool(old_stack))  # raises TF's error
        if name[-1] == "/":
            ns = name
            thread.name_stack = name[:-1]
        else:
            new_stack = graph._names.unique_name(name, old_stack)
            thread.name_stack = new_stack
            ns = new_stack + "/"
        self._active = True
        store = self._store
        if store is None:
            store = thread.var_scope_store
            if store is None:
                store = thread.var_scope_store = _VariableScopeStore()
            self._store = store
        if self._first_ns is None:
            self._first_ns = ns
        self._old_scope = old = store.current_scope
        self._new_name = new_name = old._name + "/" + name if old._name else name
        self._reuse = reuse = self._reuse or old._reuse
        obj = old._child(reuse, new_name, self._first_ns, None)
        obj._entered_at = user_site(3)
        store.open_variable_scope(new_name)
        store.current_scope = obj
        self._last = obj
        return obj

    def _exit_fast(self) -> None:
        self._active = False
        store = self._store
        assert store is not None
        try:
            if store.current_scope is not self._last:
                raise RuntimeError("Improper nesting of variable_scope.")
            store.close_variable_subscopes(self._new_name)
            store.current_scope = self._old_scope
        finally:
            graph = self._graph
            graph._thread.name_stack = self._old_stack
            stack = graph_state._default_stack.stack
            if stack:
                if stack[-1] is not graph:
                    raise AssertionError("Nesting violated for default stack of Graph objects")
                stack.pop()

    def __del__(self) -> None:
        # As the name scope and graph context managers it inlines: a scope dropped without
        # exiting restores the name stack and the default-graph stack when collected.
        if self._active:
            self._active = False
            graph = self._graph
            graph._thread.name_stack = self._old_stack
            stack = graph_state._default_stack.stack
            if graph in stack:
                stack.remove(graph)

    def __enter__(self) -> VariableScope:
        if self._fast:
            return self._enter_fast()
        self._graph_cm = default_graph(self._graph)
        self._graph_cm.__enter__()
        try:
            if self._cached_pure is not None:
                if self._current_name_scope is not None:
                    self._current_name_scope.__enter__()
                return self._cached_pure.__enter__()
            return self._enter_uncached()
        except BaseException:
            self._graph_cm.__exit__(None, None, None)
            raise

    def _enter_pure(self, pure: _pure_variable_scope) -> VariableScope:
        try:
            entered = pure.__enter__()
        except BaseException:
            pure.__exit__()
            raise
        self._cached_pure = pure
        return entered

    def _enter_uncached(self) -> VariableScope:
        current_ns: Any = None
        if not self._auxiliary_name_scope:
            g = get_default_graph()
            stack = g.get_name_scope()
            current_ns = g.name_scope(stack + "/" if stack else stack)
        nos = self._name_or_scope
        if nos is not None:
            if not isinstance(nos, (VariableScope, str)):
                raise TypeError("VariableScope: name_or_scope must be a string or VariableScope.")
            base = nos if isinstance(nos, str) else nos.name.split("/")[-1]
            if base or current_ns:
                current_ns = current_ns or get_default_graph().name_scope(base)
                entered_ns = current_ns.__enter__()
                self._current_name_scope = current_ns
                old_ns = entered_ns if isinstance(nos, str) else nos.original_name_scope
                try:
                    return self._enter_pure(
                        _pure_variable_scope(
                            nos,
                            self._reuse,
                            self._overrides,
                            old_ns,
                            self._graph._thread.var_scope_store,
                        )
                    )
                except BaseException as e:
                    current_ns.__exit__(type(e), e, e.__traceback__)
                    raise
            self._current_name_scope = None
            return self._enter_pure(_pure_variable_scope(nos, self._reuse, self._overrides))
        if self._reuse:
            raise ValueError("reuse=True cannot be used without a name_or_scope")
        assert self._default_name is not None
        current_ns = current_ns or get_default_graph().name_scope(self._default_name)
        entered_ns = current_ns.__enter__()
        self._current_name_scope = current_ns
        try:
            unique = _get_unique_variable_scope(self._default_name)
            return self._enter_pure(_pure_variable_scope(unique, None, self._overrides, entered_ns))
        except BaseException as e:
            current_ns.__exit__(type(e), e, e.__traceback__)
            raise

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._fast:
            self._exit_fast()
            return
        try:
            assert self._cached_pure is not None
            self._cached_pure.__exit__(exc_type, exc, tb)
        finally:
            try:
                if self._current_name_scope is not None:
                    self._current_name_scope.__exit__(exc_type, exc, tb)
            finally:
                self._graph_cm.__exit__(exc_type, exc, tb)


def variable_op_scope(
    values: Any, name_or_scope: Any, default_name: str | None = None, **kwargs: Any
) -> variable_scope:
    """Deprecated TF alias: ``variable_scope(name_or_scope, default_name, values, ...)``."""
    return variable_scope(name_or_scope, default_name=default_name, values=values, **kwargs)


# --- variable_creator_scope ----------------------------------------------------------------------


class variable_creator_scope:
    """Installs ``creator(next_creator, **kwargs)`` around variable construction.

    The creator applies to every variable created in the default graph inside the block.
    """

    def __init__(self, variable_creator: Callable[..., Any]) -> None:
        self._creator = variable_creator
        self._stack: list[Any] = []

    def __enter__(self) -> None:
        # Per graph and thread, as TF keeps it (``reset_default_graph`` starts with none).
        self._stack = get_default_graph()._thread.variable_creators
        self._stack.append(self)

    def __exit__(self, *exc: object) -> None:
        stack = self._stack
        if not stack or stack[-1] is not self:
            raise RuntimeError(
                "Exiting variable_creator_scope without proper nesting. Expected "
                f"{self._creator!r} on the top of the stack."
            )
        stack.pop()


def current_creators() -> list[Callable[..., Any]]:
    """The active ``variable_creator_scope`` creators of the default graph, outermost first."""
    stack = get_default_graph()._thread.variable_creators
    return [scope._creator for scope in stack] if stack else []


__all__ = [
    "AUTO_REUSE",
    "VariableScope",
    "current_creators",
    "disable_resource_variables",
    "enable_resource_variables",
    "get_variable_scope",
    "get_variable_scope_store",
    "resource_variables_enabled",
    "variable_creator_scope",
    "variable_op_scope",
    "variable_scope",
]
