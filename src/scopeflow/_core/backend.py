"""The few services ``_core`` needs from the layers above it, registered by those layers.

The sharing rules live in ``_core`` (pure Python), but creating a variable, converting a value to
a tensor or choosing the default initializer needs tensors, which only the ``graph`` and ``ops``
layers have. Rather than import upward, ``_core`` calls these hooks, which ``scopeflow.graph`` and
``scopeflow.ops`` install when they are imported (``scopeflow/__init__`` imports both, so a user
never sees an unset hook).

Must not import torch or any scopeflow layer above ``_core``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _unset(*_args: Any, **_kwargs: Any) -> Any:
    raise RuntimeError("scopeflow is not fully imported: import scopeflow.compat.v1 first.")


class Backend:
    """Hooks filled in by ``scopeflow.graph`` and ``scopeflow.ops``."""

    convert_to_tensor: Callable[..., Any] = _unset
    """``convert_to_tensor(value, dtype=None, name=None)`` -> Tensor."""
    is_tensor: Callable[[Any], bool] = _unset
    """Whether a value is a symbolic Tensor."""
    make_variable: Callable[..., Any] = _unset
    """``VariableV1(**kwargs)``, routed through ``variable_creator_scope``."""
    default_float_initializer: Callable[[], Any] = _unset
    """A new ``glorot_uniform_initializer()``."""
    zeros_initializer: Callable[[], Any] = _unset
    """A new ``zeros_initializer()``."""
    slice: Callable[..., Any] = _unset
    """``slice(tensor, begin, size)`` -> Tensor."""
    concat: Callable[..., Any] = _unset
    """``concat(values, axis, name)`` -> Tensor."""
    split: Callable[..., Any] = _unset
    """``split(value, size_splits, axis=)`` -> list of Tensors."""


backend = Backend()

__all__ = ["Backend", "backend"]
