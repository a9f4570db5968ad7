"""The argument names of a user function, as TF's ``function_utils.fn_args`` reports them.

``Estimator`` passes ``mode``/``params``/``config`` (and ``labels``) only to a ``model_fn`` or
``input_fn`` that names them; this is how it finds out. ``functools.partial`` drops the bound
arguments, a callable object reports its ``__call__``, a bound method drops ``self``.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

__all__ = ["fn_args"]


def fn_args(fn: Callable[..., Any]) -> tuple[str, ...]:
    """The names of ``fn``'s positional-or-keyword arguments (TF's ``fn_args``).

    >>> fn_args(lambda features, labels, mode: None)
    ('features', 'labels', 'mode')
    """
    if isinstance(fn, functools.partial):
        inner = fn_args(fn.func)
        keywords = fn.keywords or {}
        return tuple(a for a in inner[len(fn.args) :] if a not in keywords)
    target: Any = fn
    plain = inspect.isfunction(fn) or inspect.ismethod(fn) or inspect.isbuiltin(fn)
    if not plain and not isinstance(fn, type):
        target = target.__call__  # a callable object
    args = list(inspect.getfullargspec(target).args)
    if inspect.ismethod(target) and args:
        args.pop(0)  # the bound self / cls
    return tuple(args)
