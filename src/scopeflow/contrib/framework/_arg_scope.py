"""``arg_scope``: default keyword arguments for functions decorated with ``add_arg_scope``.

TF 1.15's ``tf.contrib.framework.arg_scope`` semantics: a thread-local stack of scopes, each a
dict from a function's key to the keyword defaults in force; a call of a decorated function
takes the innermost scope's defaults for the keywords it was not given explicitly. Nested scopes
merge (inner values win); a scope dict yielded by ``arg_scope`` can be re-entered later.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Callable, Iterator
from typing import Any

_DECORATED_OPS: dict[str, tuple[str, ...]] = {}
_local = threading.local()


def _stack() -> list[dict[str, dict[str, Any]]]:
    stack = getattr(_local, "stack", None)
    if stack is None:
        stack = _local.stack = [{}]
    return stack  # type: ignore[no-any-return]


def arg_scope_func_key(op: Any) -> str:
    """The key under which ``op``'s defaults are stored in a scope."""
    return getattr(op, "_key_op", str(op))


def current_arg_scope() -> dict[str, dict[str, Any]]:
    """The innermost scope: ``{function key: {keyword: default}}``.

    >>> current_arg_scope()
    {}
    """
    return _stack()[-1]


def _kwarg_names(func: Callable[..., Any]) -> tuple[str, ...]:
    code = func.__code__  # type: ignore[attr-defined]
    defaults = func.__defaults__ or ()  # type: ignore[attr-defined]
    return tuple(code.co_varnames[code.co_argcount - len(defaults) : code.co_argcount])


def _name_op(op: Any) -> tuple[str, str]:
    return (getattr(op, "__module__", "?"), getattr(op, "__name__", str(op)))


@contextlib.contextmanager
def arg_scope(list_ops_or_scope: Any, **kwargs: Any) -> Iterator[dict[str, dict[str, Any]]]:
    """Set default keyword arguments for the listed ``add_arg_scope`` functions.

    Args:
      list_ops_or_scope: a list or tuple of decorated functions, or a scope dict yielded by an
        earlier ``arg_scope`` (then ``kwargs`` must be empty).
      **kwargs: the defaults.

    Yields:
      The scope dict now in force.

    Raises:
      TypeError: ``list_ops_or_scope`` is neither a list/tuple nor a dict.
      ValueError: a listed function is not decorated, or a dict is given with ``kwargs``.

    >>> @add_arg_scope
    ... def f(x, scale=1):
    ...     return x * scale
    >>> with arg_scope([f], scale=10):
    ...     print(f(2), f(2, scale=3))
    20 6
    """
    if isinstance(list_ops_or_scope, dict):
        if kwargs:
            raise ValueError(
                "When attempting to re-use a scope by suppling adictionary, kwargs must be empty."
            )
        current_scope = list_ops_or_scope.copy()
    else:
        if not isinstance(list_ops_or_scope, list | tuple):
            raise TypeError(
                "list_ops_or_scope must either be a list/tuple or reused scope (i.e. dict)"
            )
        current_scope = current_arg_scope().copy()
        for op in list_ops_or_scope:
            key = arg_scope_func_key(op)
            if not has_arg_scope(op):
                raise ValueError("%s is not decorated with @add_arg_scope", _name_op(op))
            if key in current_scope:
                merged = current_scope[key].copy()
                merged.update(kwargs)
                current_scope[key] = merged
            else:
                current_scope[key] = kwargs.copy()
    stack = _stack()
    stack.append(current_scope)
    try:
        yield current_scope
    finally:
        stack.pop()


def add_arg_scope(func: Callable[..., Any]) -> Callable[..., Any]:
    """Decorate ``func`` so that ``arg_scope`` can set its keyword defaults.

    >>> @add_arg_scope
    ... def g(x, offset=0):
    ...     return x + offset
    >>> has_arg_scope(g), arg_scoped_arguments(g)
    (True, ('offset',))
    """
    key = arg_scope_func_key(func)

    @functools.wraps(func)
    def func_with_args(*args: Any, **kwargs: Any) -> Any:
        scope = _stack()[-1]
        defaults = scope.get(key)
        if defaults is not None:
            merged = defaults.copy()
            merged.update(kwargs)
            kwargs = merged
        return func(*args, **kwargs)

    _DECORATED_OPS[key] = _kwarg_names(func)
    func_with_args._key_op = key  # type: ignore[attr-defined]
    return func_with_args


def has_arg_scope(func: Any) -> bool:
    """Whether ``func`` was decorated with ``add_arg_scope``."""
    return arg_scope_func_key(func) in _DECORATED_OPS


def arg_scoped_arguments(func: Any) -> tuple[str, ...]:
    """The keyword argument names of a decorated ``func`` (those ``arg_scope`` may set)."""
    if not has_arg_scope(func):
        raise AssertionError(f"{func} is not decorated with @add_arg_scope")
    return _DECORATED_OPS[arg_scope_func_key(func)]


__all__ = [
    "add_arg_scope",
    "arg_scope",
    "arg_scope_func_key",
    "arg_scoped_arguments",
    "current_arg_scope",
    "has_arg_scope",
]
