"""NumPy values as TF ``TensorProto`` messages, with TF's choice of encoding.

Two encodings exist, as in TF: ``tensor_content`` (the raw little-endian bytes) and the typed
repeated fields (``float_val``, ``int_val``, ``string_val``...). TF's Python
``make_tensor_proto`` (graph constants) uses ``tensor_content`` for numeric arrays of more than
one element and the typed fields otherwise; TF's C++ ``Tensor::AsProtoTensorContent`` (summary
kernels) always uses ``tensor_content`` for numeric types.

Must not import torch or any scopeflow layer but ``_core`` and ``protos``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from scopeflow._core import dtypes
from scopeflow.errors import UnsupportedError
from scopeflow.protos import tensor_pb2, tensor_shape_pb2

# The typed repeated field each dtype appends to (TF's tensor_util.GetNumpyAppendFn).
_VAL_FIELD = {
    "float16": "half_val",
    "bfloat16": "half_val",
    "float32": "float_val",
    "float64": "double_val",
    "int8": "int_val",
    "int16": "int_val",
    "int32": "int_val",
    "uint8": "int_val",
    "uint16": "int_val",
    "int64": "int64_val",
    "uint32": "uint32_val",
    "uint64": "uint64_val",
    "bool": "bool_val",
    "string": "string_val",
    "complex64": "scomplex_val",
    "complex128": "dcomplex_val",
}


def shape_proto(dims: Any) -> Any:
    """A ``TensorShapeProto`` for a list of dims (None = unknown, -1) or None (unknown rank)."""
    proto = tensor_shape_pb2.TensorShapeProto()
    if dims is None:
        proto.unknown_rank = True
        return proto
    for d in dims:
        proto.dim.add(size=-1 if d is None else int(d))
    return proto


def _append_values(proto: Any, dtype: dtypes.DType, flat: np.ndarray) -> None:
    field = _VAL_FIELD.get(dtype.name)
    if field is None:
        raise UnsupportedError(f"a TensorProto of dtype {dtype.name}")
    target = getattr(proto, field)
    if dtype.name in ("float16", "bfloat16"):
        target.extend(int(x) for x in flat.view(np.uint16))
    elif dtype == dtypes.string:
        target.extend(x if isinstance(x, bytes) else str(x).encode() for x in flat)
    elif dtype.is_complex:
        for x in flat:
            target.extend((float(x.real), float(x.imag)))
    else:
        target.extend(flat.tolist())


def make_tensor_proto(
    value: Any, dtype: dtypes.DType, shape: Any = None, *, content: bool | None = None
) -> Any:
    """``value`` (array-like of ``dtype``) as a ``TensorProto``.

    ``content=None`` follows TF's Python ``make_tensor_proto`` (raw bytes when there is more than
    one element and the value fills ``shape``); ``True`` always uses raw bytes for numeric types
    (TF's ``AsProtoTensorContent``); ``False`` always uses the typed fields.
    """
    dtype = dtype.base_dtype
    if dtype == dtypes.string:
        arr = np.asarray(value, dtype=object)
    else:
        arr = np.asarray(value, dtype=dtype.as_numpy_dtype)
    dims = list(arr.shape) if shape is None else list(shape)
    proto = tensor_pb2.TensorProto(dtype=dtype.as_datatype_enum, tensor_shape=shape_proto(dims))
    fills = list(arr.shape) == dims
    numeric = dtype != dtypes.string
    if numeric and fills and (content or (content is None and arr.size > 1)):
        proto.tensor_content = (
            np.ascontiguousarray(arr).astype(arr.dtype.newbyteorder("<")).tobytes()
        )
        return proto
    _append_values(proto, dtype, arr.reshape(-1))
    return proto


__all__ = ["make_tensor_proto", "shape_proto"]
