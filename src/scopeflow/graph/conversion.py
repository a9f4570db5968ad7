"""``convert_to_tensor`` and its registry of conversion functions (TF's design).

Python values become ``Const`` ops through a function that ``scopeflow.ops`` registers; Variables,
``PartitionedVariable`` and lazy regularization losses convert through their ``_as_tensor``.

Must not import ``scopeflow.ops`` or any layer above ``graph``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scopeflow._core import dtypes
from scopeflow._core.backend import backend
from scopeflow.graph.tensor import Tensor, is_tensor

_CONVERTERS: list[tuple[int, type, Callable[..., Any]]] = []
_default_converter: Callable[..., Any] | None = None


def register_tensor_conversion_function(
    base_type: Any, conversion_func: Callable[..., Any], priority: int = 100
) -> None:
    """Registers ``conversion_func(value, dtype=None, name=None, as_ref=False)`` for a type."""
    types = base_type if isinstance(base_type, tuple) else (base_type,)
    for t in types:
        _CONVERTERS.append((priority, t, conversion_func))
    _CONVERTERS.sort(key=lambda e: e[0])


def set_default_conversion(fn: Callable[..., Any]) -> None:
    """Installs the fallback conversion (Python/NumPy value -> ``Const``); called by ``ops``."""
    global _default_converter
    _default_converter = fn


def convert_to_tensor(
    value: Any,
    dtype: Any = None,
    name: str | None = None,
    preferred_dtype: Any = None,
    dtype_hint: Any = None,
    as_ref: bool = False,
) -> Tensor:
    """Converts ``value`` to a ``Tensor`` (``tf.convert_to_tensor``), checking ``dtype``.

    Raises:
        ValueError: ``Tensor conversion requested dtype ... for Tensor with dtype ...``.
        TypeError: the value cannot be converted.
    """
    if type(value) is Tensor:
        if dtype is not None:
            dt = dtypes.as_dtype(dtype)
            if not dt.is_compatible_with(value._dtype):
                raise ValueError(
                    f"Tensor conversion requested dtype {dt.name} for Tensor with dtype "
                    f"{value._dtype.name}: {value!r}"
                )
        return value
    if dtype is not None:
        dtype = dtypes.as_dtype(dtype)
    preferred = preferred_dtype if preferred_dtype is not None else dtype_hint
    conv = getattr(value, "_as_tensor", None)
    if conv is not None and not isinstance(value, type):
        return _check(conv(dtype=dtype, name=name, as_ref=as_ref), dtype)
    for _prio, t, fn in _CONVERTERS:
        if isinstance(value, t):
            return _check(fn(value, dtype=dtype, name=name, as_ref=as_ref), dtype)
    if is_tensor(value):
        return _check(value, dtype)
    assert _default_converter is not None
    if dtype is None and preferred is not None:
        try:
            return _default_converter(value, dtype=dtypes.as_dtype(preferred), name=name)  # type: ignore[no-any-return]
        except (TypeError, ValueError):
            pass
    return _default_converter(value, dtype=dtype, name=name)  # type: ignore[no-any-return]


def _check(out: Any, dtype: Any) -> Tensor:
    if dtype is not None and not dtype.is_compatible_with(out.dtype):
        raise ValueError(
            f"Tensor conversion requested dtype {dtype.name} for Tensor with dtype "
            f"{out.dtype.name}: {out!r}"
        )
    return out  # type: ignore[no-any-return]


def convert_n_to_tensor(values: Any, dtype: Any = None, name: str | None = None) -> list[Tensor]:
    """Converts each value of a list with ``convert_to_tensor``."""
    return [convert_to_tensor(v, dtype=dtype) for v in values]


backend.convert_to_tensor = convert_to_tensor
backend.is_tensor = is_tensor

__all__ = [
    "convert_n_to_tensor",
    "convert_to_tensor",
    "register_tensor_conversion_function",
    "set_default_conversion",
]
