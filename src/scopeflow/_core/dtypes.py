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
    def _is_ref_dtype(self) -> builtins.bool:
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
        """The dtype of the real part for complex types, else this dtype (``_ref`` kept, as TF)."""
        base = self.base_dtype
        if base is complex64:
            return float32
        if base is complex128:
            return float64
        return self

    @property
    def as_numpy_dtype(self) -> Any:
        """The NumPy scalar type (``np.float32``; ``object`` for strings)."""
        return self._np

    @property
    def is_numpy_compatible(self) -> builtins.bool:
        """False for types NumPy cannot hold (resource, variant, quantized)."""
        return self.base_dtype._enum not in _NOT_NUMPY

    @property
    def is_bool(self) -> builtins.bool:
        """Whether this is the boolean type."""
        return "bool" in self._flags

    @property
    def is_floating(self) -> builtins.bool:
        """Whether this is a (non-quantized) floating point type."""
        return "floating" in self._flags

    @property
    def is_complex(self) -> builtins.bool:
        """Whether this is a complex type."""
        return "complex" in self._flags

    @property
    def is_integer(self) -> builtins.bool:
        """Whether this is a (non-quantized) integer type."""
        return "integer" in self._flags

    @property
    def is_quantized(self) -> builtins.bool:
        """Whether this is a quantized type."""
        return self.base_dtype._enum in _QUANTIZED

    @property
    def is_unsigned(self) -> builtins.bool:
        """Whether this is an unsigned integer type."""
        return "unsigned" in self._flags

    @property
    def size(self) -> int:
        """Bytes per element (1 for resource/variant, 0 for string, as TF reports)."""
        if self.base_dtype is string:
            return 0
        if self.base_dtype._enum in _NOT_NUMPY:
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
    def limits(self, clip_negative: builtins.bool = True) -> tuple[Any, Any]:  # noqa: PLR0206
        """TF's image intensity limits ``(0, max)`` (a property in TF, so ``min`` is always 0).

        Raises:
            ValueError: ``<dtype: 'float16'> does not have defined limits.``
        """
        rng = _DTYPE_RANGE.get(self._np) if self.is_numpy_compatible else None
        if rng is None:
            raise ValueError(str(self) + " does not have defined limits.")
        return (0 if clip_negative else rng[0]), rng[1]

    def _limit(self, *, lowest: builtins.bool) -> Any:
        base = self.base_dtype
        which = "minimum" if lowest else "maximum"
        if base.is_quantized or base in (bool, string, complex64, complex128):
            kind = "quantized type" if base.is_quantized else "type"
            raise TypeError(f"Cannot find {which} value of {self} with {kind} {base}.")
        if base._enum in _NOT_NUMPY:
            raise TypeError(f"Cannot find {which} value of {self}.")
        if base.is_floating:
            info = ml_dtypes.finfo(base._np) if base is bfloat16 else np.finfo(base._np)
            return info.min if lowest else info.max
        info_i = np.iinfo(base._np)
        return info_i.min if lowest else info_i.max

    def is_compatible_with(self, other: Any) -> builtins.bool:
        """True if a value of ``other`` can be used where this dtype is expected (TF's rule)."""
        other = as_dtype(other)
        return self._enum in (other._enum, other.base_dtype._enum)

    def __eq__(self, other: object) -> builtins.bool:
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

    def __ne__(self, other: object) -> builtins.bool:
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
bool = _make(10, "bool", np.bool_)
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

# TF's dtypes module also names the reference variants (``dtypes.float32_ref``; tf-slim's tests
# compare variable dtypes with them)
float16_ref = float16._as_ref
bfloat16_ref = bfloat16._as_ref
float32_ref = float32._as_ref
float64_ref = float64._as_ref
int8_ref = int8._as_ref
int16_ref = int16._as_ref
int32_ref = int32._as_ref
int64_ref = int64._as_ref
uint8_ref = uint8._as_ref
bool_ref = bool._as_ref
string_ref = string._as_ref
complex64_ref = complex64._as_ref
complex128_ref = complex128._as_ref

_FLOATING = (float16, bfloat16, float32, float64)
_INTEGER = (int8, int16, int32, int64, uint8, uint16, uint32, uint64)
_QUANTIZED = {11, 12, 13, 15, 16}
_NOT_NUMPY = {11, 12, 13, 15, 16, 20, 21}

_ALIASES = {"half": float16, "float": float32, "double": float64, "complex": complex128}

_NP_TO_TF: dict[Any, DType] = {
    dt.as_numpy_dtype: dt
    for dt in (float16, float32, float64, int8, int16, int32, int64, uint8, uint16, uint32,
               uint64, complex64, complex128, bool, bfloat16)
}  # fmt: skip
_NP_TO_TF.update({np.object_: string, np.bytes_: string, np.str_: string})

_ANY_TO_TF: dict[Any, DType] = {}
_ANY_TO_TF.update(_BY_ENUM)
_ANY_TO_TF.update(_BY_NAME)
_ANY_TO_TF.update(_ALIASES)
_ANY_TO_TF.update({k + "_ref": v._as_ref for k, v in _ALIASES.items()})
_ANY_TO_TF.update({builtins.float: float32, builtins.bool: bool, builtins.object: string})
_ANY_TO_TF.update(_NP_TO_TF)

_DTYPE_RANGE: dict[Any, tuple[Any, Any]] = {
    np.bool_: (False, True), np.uint8: (0, 255), np.uint16: (0, 65535), np.int8: (-128, 127),
    np.int16: (-32768, 32767), np.int64: (-(2**63), 2**63 - 1), np.uint64: (0, 2**64 - 1),
    np.int32: (-(2**31), 2**31 - 1), np.uint32: (0, 2**32 - 1), np.float32: (-1, 1),
    np.float64: (-1, 1),
}  # fmt: skip


def as_dtype(type_value: Any) -> DType:
    """Converts a DType, name, enum number or NumPy type to a ``DType`` (TF's lookup order).

    Python ``int``, ``str`` and ``complex`` are not dtypes (TF's rule); ``float``, ``bool`` and
    ``object`` are. torch dtypes are accepted as an extension.

    Raises:
        TypeError: ``Cannot convert the argument `type_value`: ... to a TensorFlow DType.``
    """
    if type(type_value) is DType:
        return type_value
    if isinstance(type_value, np.dtype):
        dt = _NP_TO_TF.get(type_value.type)
        if dt is not None:
            return dt
    try:
        dt = _ANY_TO_TF.get(type_value)
    except TypeError:  # unhashable
        dt = None
    if dt is not None and not isinstance(type_value, builtins.bool):
        return dt
    if hasattr(type_value, "dtype"):
        try:
            dt = _NP_TO_TF.get(np.dtype(type_value.dtype).type)
        except TypeError:
            dt = None
        if dt is not None:
            return dt
    if str(type_value).startswith("torch.") and str(type_value)[6:] in _BY_NAME:
        return _BY_NAME[str(type_value)[6:]]
    raise TypeError(
        f"Cannot convert the argument `type_value`: {type_value!r} to a TensorFlow DType."
    )


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
