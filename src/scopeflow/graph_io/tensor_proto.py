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
    from scopeflow.protos import tensor_shape_pb2  # noqa: PLC0415  (protobuf is lazy)

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
    from scopeflow.protos import tensor_pb2  # noqa: PLC0415  (protobuf is lazy)

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


# The largest tensor a proto may claim (protobuf's own 2 GB message limit): a Const with one value
# "broadcast" to a larger shape is refused before anything is allocated.
MAX_TENSOR_BYTES = 2**31


def make_ndarray(tensor: Any) -> np.ndarray:
    """The NumPy value of a ``TensorProto`` (``tf.make_ndarray``), validated first.

    See :func:`tensor_value` (which also names where the proto comes from in its errors).

    Differences from TensorFlow: a tensor claiming more than 2 GB (``MAX_TENSOR_BYTES``)
    raises instead of being allocated.

    >>> make_ndarray(make_tensor_proto([1, 2], dtypes.int32))
    array([1, 2], dtype=int32)
    """
    return tensor_value(tensor)


def tensor_value(tensor: Any, where: str = "") -> np.ndarray:
    """The NumPy value of a ``TensorProto``, validated before anything is allocated.

    The claimed shape, dtype and the stored bytes/values are checked against each other before
    any array of the claimed size is made; ``where`` (e.g. ``"node 'c' of model.pb"``) is named
    in errors. Fewer typed values than elements repeat the last one, as TF does.

    Differences from TensorFlow: a tensor claiming more than 2 GB (``MAX_TENSOR_BYTES``)
    raises instead of being allocated.

    >>> p = make_tensor_proto(np.arange(6, dtype=np.float32).reshape(2, 3), dtypes.float32)
    >>> tensor_value(p, "node 'c'")
    array([[0., 1., 2.],
           [3., 4., 5.]], dtype=float32)
    """
    at = f" ({where})" if where else ""
    try:
        dtype = dtypes.as_dtype(tensor.dtype).base_dtype
    except (TypeError, ValueError, KeyError):
        raise ValueError(f"Invalid TensorProto{at}: unknown dtype enum {tensor.dtype}") from None
    if tensor.tensor_shape.unknown_rank:
        raise ValueError(f"Invalid TensorProto{at}: a constant needs a fully known shape")
    dims = [d.size for d in tensor.tensor_shape.dim]
    if any(d < 0 for d in dims):
        raise ValueError(f"Invalid TensorProto{at}: negative dimension in shape {dims}")
    num = 1
    for d in dims:
        num *= d
    if dtype == dtypes.string:
        values = list(tensor.string_val)
        if len(values) > num or (num and not values and num > 1):
            raise ValueError(f"Invalid TensorProto{at}: {len(values)} strings for shape {dims}")
        arr = np.empty(num, dtype=object)
        arr[: len(values)] = values
        if values:
            arr[len(values) :] = values[-1]
        return arr.reshape(dims)
    np_dtype = np.dtype(dtype.as_numpy_dtype)
    if num * np_dtype.itemsize > MAX_TENSOR_BYTES:
        raise ValueError(
            f"Invalid TensorProto{at}: shape {dims} of {dtype.name} claims "
            f"{num * np_dtype.itemsize} bytes, more than {MAX_TENSOR_BYTES}"
        )
    if tensor.tensor_content:
        content = tensor.tensor_content
        if len(content) != num * np_dtype.itemsize:
            raise ValueError(
                f"Invalid TensorProto{at}: tensor_content has {len(content)} bytes, shape "
                f"{dims} of {dtype.name} needs {num * np_dtype.itemsize}"
            )
        return (
            np.frombuffer(content, dtype=np_dtype.newbyteorder("<")).astype(np_dtype).reshape(dims)
        )
    field = _VAL_FIELD.get(dtype.name)
    if field is None:
        raise UnsupportedError(f"a TensorProto of dtype {dtype.name}{at}")
    raw = getattr(tensor, field)
    if dtype.name in ("float16", "bfloat16"):
        flat = np.asarray(raw, dtype=np.uint16).view(np_dtype)
    elif dtype.is_complex:
        pairs = np.asarray(raw, dtype=np.float64).reshape(-1, 2)
        flat = (pairs[:, 0] + 1j * pairs[:, 1]).astype(np_dtype)
    else:
        flat = np.asarray(raw).astype(np_dtype)
    if flat.size > num:
        raise ValueError(f"Invalid TensorProto{at}: {flat.size} values for shape {dims}")
    if flat.size == num:
        return flat.reshape(dims)
    out = np.zeros(num, dtype=np_dtype)
    if flat.size:
        out[: flat.size] = flat
        out[flat.size :] = flat[-1]
    return out.reshape(dims)


__all__ = ["MAX_TENSOR_BYTES", "make_ndarray", "make_tensor_proto", "shape_proto", "tensor_value"]
