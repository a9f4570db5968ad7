"""``tf.read_file`` (``ReadFile``) and ``tf.decode_raw`` (``DecodeRaw``).

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from scopeflow import errors
from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.graph._torch_dtypes import to_numpy, to_torch
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Operation
from scopeflow.ops._op_builder import SCALAR, make_op

_RAW_TYPES = (
    dtypes.float16,
    dtypes.float32,
    dtypes.float64,
    dtypes.int32,
    dtypes.uint16,
    dtypes.uint8,
    dtypes.int16,
    dtypes.int8,
    dtypes.int64,
    dtypes.complex64,
    dtypes.complex128,
    dtypes.bool,
)


def read_file(filename: Any, name: str | None = None) -> Any:
    """The contents of a file as a scalar string (``tf.read_file``, ``tf.io.read_file``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.read_file("x.txt").name)
    ReadFile:0
    """
    f = convert_to_tensor(filename, dtype=dtypes.string)
    return make_op("ReadFile", [f], {}, name or "ReadFile", dtypes.string, SCALAR)


@register_kernel("ReadFile", stateful=True)
def _read_file_kernel(op: Operation, session: Any) -> Any:
    def kernel(filename: Any) -> Any:
        path = np.asarray(to_numpy(filename), dtype=object).item()
        path = path.decode() if isinstance(path, bytes) else str(path)
        path = path.removeprefix("file://")
        try:
            with open(path, "rb") as f:  # noqa: PTH123
                data = f.read()
        except OSError as e:
            raise errors.error_from_os_error(e, path, op) from None
        return to_torch(np.asarray(data, dtype=object), dtypes.string)

    return kernel


def decode_raw(
    input_bytes: Any = None,
    out_type: Any = None,
    little_endian: bool = True,
    name: str | None = None,
    bytes: Any = None,
) -> Any:
    """Reinterprets the bytes of each string as a vector of ``out_type`` (``tf.decode_raw``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.decode_raw(tf.constant([b"ab", b"cd"]), tf.uint8).shape)
    (2, ?)
    """
    if input_bytes is None:
        input_bytes = bytes
    elif bytes is not None:
        raise ValueError("Cannot provide both 'bytes' and 'input_bytes'.")
    out = dtypes.as_dtype(out_type).base_dtype
    if out not in _RAW_TYPES:
        raise TypeError(f"Value passed to parameter 'out_type' has DataType {out.name} not in list")
    x = convert_to_tensor(input_bytes, dtype=dtypes.string)
    shape = TensorShape(None) if x.shape.ndims is None else TensorShape([*x.shape.as_list(), None])
    return make_op(
        "DecodeRaw",
        [x],
        {"out_type": out, "little_endian": bool(little_endian)},
        name or "DecodeRaw",
        out,
        shape,
    )


@register_kernel("DecodeRaw")
def _decode_raw_kernel(op: Operation, session: Any) -> Any:
    out = op._attrs["out_type"]
    np_dt = np.dtype(out.as_numpy_dtype).newbyteorder("<" if op._attrs["little_endian"] else ">")

    def kernel(x: Any) -> Any:
        arr = np.asarray(to_numpy(x), dtype=object)
        flat = [bytes(v) for v in arr.reshape(-1)]
        width = len(flat[0]) if flat else 0
        for i, v in enumerate(flat):
            if len(v) != width:
                raise errors.InvalidArgumentError(
                    None, op, "DecodeRaw requires input strings to all be the same size, but "
                    f"element {i} has size {width} != {len(v)}"
                )  # fmt: skip
        if width % np_dt.itemsize:
            raise errors.InvalidArgumentError(
                None, op, f"Input to DecodeRaw has length {width} that is not a multiple "
                f"of {np_dt.itemsize}, the size of {out.name}"
            )  # fmt: skip
        n = width // np_dt.itemsize
        data = b"".join(flat)
        values = np.frombuffer(data, dtype=np_dt).astype(out.as_numpy_dtype)
        return to_torch(values.reshape([*arr.shape, n]), out)

    return kernel


__all__ = ["decode_raw", "read_file"]
