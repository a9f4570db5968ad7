"""TF ``DType`` objects: names, enum numbers, ``_ref`` variants, limits, NumPy mapping.

A design note: DESIGN.md lists DTypes under ``graph``; they live in ``_core`` instead because the
variable store's dtype checks (``is_compatible_with``, ``base_dtype``) are part of the sharing
rules, and a DType is pure data. The torch mapping lives in ``graph`` (``graph/_torch_dtypes.py``).

Must not import torch or any scopeflow layer above ``_core``.
"""

from __future__ import annotations

import builtins
from typing import Any

import ml_dtypes
import numpy as np

_REF_OFFSET = 100


class DType:
    """A TF element type, e.g. ``tf.float32`` or its reference variant ``float32_ref``.

    >>> from scopeflow._core import dtypes
    >>> print(dtypes.float32, dtypes.float32._as_ref.name, dtypes.as_dtype("int32").size)
    <dtype: 'float32'> float32_ref 4
    """

    __slots__ = ("_base", "_enum", "_flags", "_name", "_np", "_ref")

    def __init__(self, type_enum: int, name: str, np_type: Any) -> None:
        self._enum = type_enum
        self._name = name
        self._np = np_type
        # Filled by _finish() once all dtypes exist: base/ref variants and a set of kind flags,
        # so the hot-path predicates are attribute reads, not tuple scans.
        self._base: DType = self
        self._ref: DType = self
        self._flags: frozenset[str] = frozenset()

    @property
    def name(self) -> str:
        """The TF name, e.g. ``'float32'`` or ``'float32_ref'``."""
        return self._name

    @property
    def as_datatype_enum(self) -> int:
        """The ``DataType`` enum number TF stores in graphs and checkpoints."""
        return self._enum

    @property
    def _is_ref_dtype(self) -> bool:
        return self._enum > _REF_OFFSET

    @property
    def _as_ref(self) -> DType:
        return self._ref

    @property
    def base_dtype(self) -> DType:
        """The non-reference dtype (``float32`` for ``float32_ref``)."""
        return self._base

    @property
    def real_dtype(self) -> DType:
        """The dtype of the real part for complex types, else ``base_dtype``."""
        base = self.base_dtype
        if base is complex64:
            return float32
        if base is complex128:
            return float64
        return base

    @property
    def as_numpy_dtype(self) -> Any:
        """The NumPy scalar type (``np.float32``; ``object`` for strings)."""
        return self._np

    @property
    def is_numpy_compatible(self) -> bool:
        """False for types NumPy cannot hold (resource, variant, quantized)."""
        return self.base_dtype._enum not in _NOT_NUMPY

    @property
    def is_bool(self) -> bool:
        """Whether this is the boolean type."""
        return "bool" in self._flags

    @property
    def is_floating(self) -> bool:
        """Whether this is a (non-quantized) floating point type."""
        return "floating" in self._flags

    @property
    def is_complex(self) -> bool:
        """Whether this is a complex type."""
        return "complex" in self._flags

    @property
    def is_integer(self) -> bool:
        """Whether this is a (non-quantized) integer type."""
        return "integer" in self._flags

    @property
    def is_quantized(self) -> bool:
        """Whether this is a quantized type."""
        return self.base_dtype._enum in _QUANTIZED

    @property
    def is_unsigned(self) -> bool:
        """Whether this is an unsigned integer type."""
        return "unsigned" in self._flags

    @property
    def size(self) -> int:
        """Bytes per element (1 for resource/variant/string, as TF reports)."""
        if self.base_dtype._enum in _NOT_NUMPY or self.base_dtype is string:
            return 1
        return int(np.dtype(self._np).itemsize)

    @property
    def min(self) -> Any:
        """The smallest representable value. Raises TypeError for non-numeric types."""
        return self._limit(lowest=True)

    @property
    def max(self) -> Any:
        """The largest representable value. Raises TypeError for non-numeric types."""
        return self._limit(lowest=False)

    @property
    def limits(self) -> tuple[Any, Any]:
        """``(min, max)``."""
        return self.min, self.max

    def _limit(self, *, lowest: bool) -> Any:
        base = self.base_dtype
        if base.is_quantized or base in (bool, string, complex64, complex128) or (
            base._enum in _NOT_NUMPY
        ):
            raise TypeError(f"Cannot find minimum value of {self}.")
        if base.is_floating:
            info = ml_dtypes.finfo(base._np) if base is bfloat16 else np.finfo(base._np)
            return info.min if lowest else info.max
        info_i = np.iinfo(base._np)
        return info_i.min if lowest else info_i.max

    def is_compatible_with(self, other: Any) -> bool:
        """True if a value of ``other`` can be used where this dtype is expected (TF's rule)."""
        other = as_dtype(other)
        return self._enum in (other._enum, other.base_dtype._enum)

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if other is None:
            return False
        if type(other) is not DType:
            try:
                other = as_dtype(other)
            except TypeError:
                return False
        return self._enum == other._enum  # type: ignore[union-attr]

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return self._enum

    def __reduce__(self) -> tuple[Any, ...]:
        return as_dtype, (self._name,)

    def __repr__(self) -> str:
        return "tf." + self._name

    def __str__(self) -> str:
        return f"<dtype: {self._name!r}>"


_BY_ENUM: dict[int, DType] = {}
_BY_NAME: dict[str, DType] = {}


def _make(enum: int, name: str, np_type: Any) -> DType:
    dt = DType(enum, name, np_type)
    ref = DType(enum + _REF_OFFSET, name + "_ref", np_type)
    _BY_ENUM[enum], _BY_ENUM[enum + _REF_OFFSET] = dt, ref
    _BY_NAME[name], _BY_NAME[name + "_ref"] = dt, ref
    return dt


float32 = _make(1, "float32", np.float32)
float64 = _make(2, "float64", np.float64)
int32 = _make(3, "int32", np.int32)
uint8 = _make(4, "uint8", np.uint8)
int16 = _make(5, "int16", np.int16)
int8 = _make(6, "int8", np.int8)
string = _make(7, "string", object)
complex64 = _make(8, "complex64", np.complex64)
int64 = _make(9, "int64", np.int64)
bool = _make(10, "bool", np.bool_)  # noqa: A001  (TF's public name)
qint8 = _make(11, "qint8", None)
quint8 = _make(12, "quint8", None)
qint32 = _make(13, "qint32", None)
bfloat16 = _make(14, "bfloat16", ml_dtypes.bfloat16)
qint16 = _make(15, "qint16", None)
quint16 = _make(16, "quint16", None)
uint16 = _make(17, "uint16", np.uint16)
complex128 = _make(18, "complex128", np.complex128)
float16 = _make(19, "float16", np.float16)
resource = _make(20, "resource", None)
variant = _make(21, "variant", None)
uint32 = _make(22, "uint32", np.uint32)
uint64 = _make(23, "uint64", np.uint64)

half = float16
double = float64


def _finish() -> None:
    kinds = {
        "bool": (bool,),
        "floating": (float16, bfloat16, float32, float64),
        "complex": (complex64, complex128),
        "integer": (int8, int16, int32, int64, uint8, uint16, uint32, uint64),
        "unsigned": (uint8, uint16, uint32, uint64),
    }
    for enum, dt in _BY_ENUM.items():
        base = _BY_ENUM[enum - _REF_OFFSET] if enum > _REF_OFFSET else dt
        dt._base = base
        dt._ref = _BY_ENUM[base._enum + _REF_OFFSET]
        dt._flags = frozenset(k for k, members in kinds.items() if base in members)


_finish()

_FLOATING = (float16, bfloat16, float32, float64)
_INTEGER = (int8, int16, int32, int64, uint8, uint16, uint32, uint64)
_QUANTIZED = {11, 12, 13, 15, 16}
_NOT_NUMPY = {11, 12, 13, 15, 16, 20, 21}

_ALIASES = {"half": float16, "float": float32, "double": float64, "complex": complex128}

_NP_TO_TF: dict[Any, DType] = {
    np.dtype(dt.as_numpy_dtype): dt
    for dt in (
        float16,
        float32,
        float64,
        int8,
        int16,
        int32,
        int64,
        uint8,
        uint16,
        uint32,
        uint64,
        complex64,
        complex128,
        bool,
        bfloat16,
    )
}
_NP_TO_TF[np.dtype(object)] = string
_NP_TO_TF[np.dtype("S")] = string
_NP_TO_TF[np.dtype("U")] = string

_PY_TO_TF: dict[Any, DType] = {
    builtins.float: float32,
    builtins.bool: bool,
    builtins.int: int32,
    builtins.complex: complex128,
    builtins.object: string,
    builtins.str: string,
    builtins.bytes: string,
}


def as_dtype(type_value: Any) -> DType:
    """Converts a DType, name, enum number, NumPy or Python type to a ``DType`` (TF's rules).

    Raises:
        TypeError: ``Cannot convert value ... to a TensorFlow DType.``
    """
    if type(type_value) is DType:
        return type_value
    if isinstance(type_value, str):
        dt = _BY_NAME.get(type_value) or _ALIASES.get(type_value)
        if dt is not None:
            return dt
    elif isinstance(type_value, builtins.int) and not isinstance(type_value, builtins.bool):
        dt = _BY_ENUM.get(type_value)
        if dt is not None:
            return dt
    else:
        try:
            np_dt = np.dtype(type_value)
        except TypeError:
            np_dt = None
        if np_dt is not None:
            dt = _NP_TO_TF.get(np_dt) or _NP_TO_TF.get(np.dtype(np_dt.kind))
            if dt is not None and not (type_value in _PY_TO_TF and type_value is not object):
                return dt
        if type_value in _PY_TO_TF:
            return _PY_TO_TF[type_value]
        torch_name = getattr(type_value, "is_floating_point", None)
        if torch_name is not None and str(type_value).startswith("torch."):
            name = str(type_value)[len("torch.") :]
            if name in _BY_NAME:
                return _BY_NAME[name]
    raise TypeError(f"Cannot convert value {type_value!r} to a TensorFlow DType.")


__all__ = [
    "DType",
    "as_dtype",
    "bfloat16",
    "bool",
    "complex64",
    "complex128",
    "double",
    "float16",
    "float32",
    "float64",
    "half",
    "int8",
    "int16",
    "int32",
    "int64",
    "qint8",
    "qint16",
    "qint32",
    "quint8",
    "quint16",
    "resource",
    "string",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "variant",
]
