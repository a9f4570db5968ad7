"""TensorFlow ``DataType`` enum values and their NumPy equivalents.

Responsibility: the mapping of spec §5 in both directions. bfloat16 is ``ml_dtypes.bfloat16``;
DT_STRING maps to NumPy ``object`` (elements are ``bytes``). The quantized types read as their
storage type (qint8 → int8, ...) and are only written when asked for explicitly.

Must not import: torch, tensorflow, or other scopeflow layers.
"""

from __future__ import annotations

import ml_dtypes
import numpy as np

from scopeflow.checkpoint._errors import BundleWriteError, UnsupportedCheckpointError

__all__ = [
    "DT_BOOL",
    "DT_RESOURCE",
    "DT_STRING",
    "DT_VARIANT",
    "dtype_enum_for_numpy",
    "dtype_name",
    "numpy_dtype_for_enum",
]

DT_STRING = 7
DT_BOOL = 10
DT_RESOURCE = 20
DT_VARIANT = 21

# enum -> (TF name, little-endian NumPy dtype or None for strings)
_TABLE: dict[int, tuple[str, np.dtype | None]] = {
    1: ("float32", np.dtype("<f4")),
    2: ("float64", np.dtype("<f8")),
    3: ("int32", np.dtype("<i4")),
    4: ("uint8", np.dtype("u1")),
    5: ("int16", np.dtype("<i2")),
    6: ("int8", np.dtype("i1")),
    7: ("string", None),
    8: ("complex64", np.dtype("<c8")),
    9: ("int64", np.dtype("<i8")),
    10: ("bool", np.dtype("?")),
    11: ("qint8", np.dtype("i1")),
    12: ("quint8", np.dtype("u1")),
    13: ("qint32", np.dtype("<i4")),
    14: ("bfloat16", np.dtype(ml_dtypes.bfloat16)),
    15: ("qint16", np.dtype("<i2")),
    16: ("quint16", np.dtype("<u2")),
    17: ("uint16", np.dtype("<u2")),
    18: ("complex128", np.dtype("<c16")),
    19: ("float16", np.dtype("<f2")),
    22: ("uint32", np.dtype("<u4")),
    23: ("uint64", np.dtype("<u8")),
}

# Default enum for a NumPy dtype when writing (quantized types need an explicit dtype_enum).
_FROM_NUMPY: dict[np.dtype, int] = {
    np.dtype("<f4"): 1,
    np.dtype("<f8"): 2,
    np.dtype("<i4"): 3,
    np.dtype("u1"): 4,
    np.dtype("<i2"): 5,
    np.dtype("i1"): 6,
    np.dtype("<c8"): 8,
    np.dtype("<i8"): 9,
    np.dtype("?"): 10,
    np.dtype(ml_dtypes.bfloat16): 14,
    np.dtype("<u2"): 17,
    np.dtype("<c16"): 18,
    np.dtype("<f2"): 19,
    np.dtype("<u4"): 22,
    np.dtype("<u8"): 23,
}

_UNSUPPORTED_NAMES = {
    0: "invalid",
    20: "resource",
    21: "variant",
    24: "float8_e5m2",
    25: "float8_e4m3fn",
    26: "float8_e4m3fnuz",
    27: "float8_e4m3b11fnuz",
    28: "float8_e5m2fnuz",
    29: "int4",
    30: "uint4",
    31: "int2",
    32: "uint2",
    33: "float4_e2m1fn",
}


def dtype_name(enum: int) -> str:
    """Return TF's name for a ``DataType`` value (``"float32"``, ``"string"``, ...).

    >>> dtype_name(14)
    'bfloat16'
    """
    if enum in _TABLE:
        return _TABLE[enum][0]
    return _UNSUPPORTED_NAMES.get(enum, f"DataType({enum})")


def numpy_dtype_for_enum(enum: int) -> np.dtype:
    """Return the NumPy dtype tensors of TF ``DataType`` ``enum`` are returned as.

    DT_STRING gives ``object`` (arrays of ``bytes``).

    Raises:
        UnsupportedCheckpointError: For DT_INVALID, DT_RESOURCE, DT_VARIANT, the TF2-only
            float8/int4/int2/float4 types, ``*_REF`` values and unknown values.

    >>> numpy_dtype_for_enum(1)
    dtype('float32')
    """
    entry = _TABLE.get(enum)
    if entry is None:
        raise UnsupportedCheckpointError(f"unsupported dtype {dtype_name(enum)} (DataType {enum})")
    return np.dtype(object) if entry[1] is None else entry[1]


def dtype_enum_for_numpy(dtype: np.dtype, *, key: str | bytes | None = None) -> int:
    """Return the TF ``DataType`` value used when writing an array of ``dtype``.

    Big-endian dtypes map like their little-endian twins (the writer converts the bytes).
    ``object`` and NumPy ``S``/``U`` dtypes map to DT_STRING.

    Raises:
        BundleWriteError: If TF has no equivalent dtype (e.g. ``float128``, ``datetime64``).

    >>> dtype_enum_for_numpy(np.dtype(np.int64))
    9
    """
    if dtype.kind in "OSU":
        return DT_STRING
    little = dtype.newbyteorder("<") if dtype.byteorder == ">" else dtype
    enum = _FROM_NUMPY.get(little)
    if enum is None:
        raise BundleWriteError(f"dtype {dtype} has no TensorFlow equivalent", key=key)
    return enum
