"""``tf.make_template``: wrap a function so its variables are created once and then shared.

``docs/tf1_semantics.md`` §12. The first call enters ``variable_scope(unique_name_,
default_name=name_)`` under the scope active *at that call*; later calls re-enter the captured
scope with ``reuse=True``. With ``create_scope_now_`` the scope is fixed at construction (a pure
variable scope: no name scope is pushed).

Must not import torch or any scopeflow layer above ``_core``.
"""

from __future__ import annotations

import functools
import traceback
from typing import Any

from scopeflow._core.graph_keys import GraphKeys
from scopeflow._core.graph_state import get_default_graph
from scopeflow._core.variable_scope import (
    _get_unique_variable_scope,
    _Overrides,
    _pure_variable_scope,
    variable_scope,
)


def _skip_common_stack_elements(stacktrace: list[str], base_case: list[str]) -> list[str]:
    for i, (trace, base) in enumerate(zip(stacktrace, base_case, strict=False)):
        if trace != base:
            return stacktrace[i:]
    return stacktrace[-1:]


class Template:
    """A function whose variables are created on the first call and reused afterwards."""

    def __init__(
        self,
        name: str | None,
        func: Any,
        create_scope_now: bool = False,
        unique_name: str | None = None,
        custom_getter: Any = None,
    ) -> None:
        self._func = func
        self._stacktrace = traceback.format_stack()[:-2]
        self._name = name
        self._unique_name = unique_name
        self._custom_getter = custom_getter
        if name is None:
            raise ValueError("name cannot be None.")
        if create_scope_now:
            overrides = _Overrides(
                initializer=None,
                regularizer=None,
                caching_device=None,
                partitioner=None,
                custom_getter=custom_getter,
                dtype=None,
                use_resource=None,
                constraint=None,
            )
            with _pure_variable_scope(
                unique_name or _get_unique_variable_scope(name), overrides=overrides
            ) as vs:
                self._variable_scope: Any = vs
        else:
            self._variable_scope = None
        self._variables_created = False
        self._first_call = True

    def _call_func(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        g = get_default_graph()
        try:
            if self._variables_created:
                trainable_at_start = len(g.get_collection_ref(GraphKeys.TRAINABLE_VARIABLES))
                result = self._func(*args, **kwargs)
                trainable = g.get_collection_ref(GraphKeys.TRAINABLE_VARIABLES)
                if trainable_at_start != len(trainable):
                    raise ValueError(
                        "Trainable variable created when calling a template after the first "
                        "time, perhaps you used tf.Variable when you meant tf.get_variable: "
                        f"{trainable[trainable_at_start:]}"
                    )
            elif self._first_call:
                self._first_call = False
                try:
                    result = self._func(*args, **kwargs)
                except BaseException:
                    self._first_call = True
                    raise
                self._variables_created = True
            else:  # a call in parallel from another thread
                result = self._func(*args, **kwargs)
            return result
        except Exception as exc:
            a = exc.args
            arg0 = a[0] if a else ""
            trace = "".join(_skip_common_stack_elements(self._stacktrace, traceback.format_stack()))
            exc.args = (f"{arg0}\n\noriginally defined at:\n{trace}", *a[1:])
            raise

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self._variable_scope:
            with variable_scope(self._variable_scope, reuse=not self._first_call):
                return self._call_func(args, kwargs)
        with variable_scope(self._unique_name, self._name, custom_getter=self._custom_getter) as vs:
            self._variable_scope = vs
            return self._call_func(args, kwargs)

    @property
    def name(self) -> str | None:
        """The name given at construction."""
        return self._name

    @property
    def func(self) -> Any:
        """The wrapped function (with bound kwargs)."""
        return self._func

    @property
    def variable_scope(self) -> Any:
        """The captured ``VariableScope`` (None before the first call, unless created now)."""
        return self._variable_scope

    @property
    def variable_scope_name(self) -> str | None:
        """The scope name with a trailing ``/``."""
        if self._variable_scope:
            name = self._variable_scope.name
            if not name or name[-1] == "/":
                return name  # type: ignore[no-any-return]
            return name + "/"  # type: ignore[no-any-return]
        return None

    def _collection(self, key: str) -> list[Any]:
        if not self._variables_created:
            return []
        return get_default_graph().get_collection(key, self.variable_scope_name)  # type: ignore[no-any-return]

    @property
    def trainable_variables(self) -> list[Any]:
        """Trainable variables under the template's scope (``[]`` before the first call)."""
        return self._collection(GraphKeys.TRAINABLE_VARIABLES)

    @property
    def global_variables(self) -> list[Any]:
        """Global variables under the template's scope."""
        return self._collection(GraphKeys.GLOBAL_VARIABLES)

    @property
    def local_variables(self) -> list[Any]:
        """Local variables under the template's scope."""
        return self._collection(GraphKeys.LOCAL_VARIABLES)

    @property
    def non_trainable_variables(self) -> list[Any]:
        """Global variables that are not trainable."""
        trainable = set(map(id, self.trainable_variables))
        return [v for v in self.global_variables if id(v) not in trainable]

    @property
    def variables(self) -> list[Any]:
        """Global and local variables under the template's scope."""
        return self.global_variables + self.local_variables

    @property
    def weights(self) -> list[Any]:
        """Alias of ``variables``."""
        return self.variables

    @property
    def trainable_weights(self) -> list[Any]:
        """Alias of ``trainable_variables``."""
        return self.trainable_variables

    @property
    def non_trainable_weights(self) -> list[Any]:
        """Alias of ``non_trainable_variables``."""
        return self.non_trainable_variables


def make_template(
    name_: str | None,
    func_: Any,
    create_scope_now_: bool = False,
    unique_name_: str | None = None,
    custom_getter_: Any = None,
    **kwargs: Any,
) -> Template:
    """Wraps ``func_`` so that it shares variables across calls (``tf.make_template``).

    >>> import scopeflow.compat.v1 as tf
    >>> def scale(x):
    ...     return x * tf.get_variable("y", [], initializer=tf.ones_initializer())
    >>> t = tf.make_template("scale_by_y", scale)
    >>> a, b = t(1.0), t(2.0)
    >>> [v.name for v in t.trainable_variables]
    ['scale_by_y/y:0']
    """
    if kwargs:
        func_ = functools.update_wrapper(functools.partial(func_, **kwargs), func_)
    return Template(
        name_,
        func_,
        create_scope_now=create_scope_now_,
        unique_name=unique_name_,
        custom_getter=custom_getter_,
    )


__all__ = ["Template", "make_template"]
