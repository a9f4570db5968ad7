"""``tf.io``'s tensor serialization, file writing and decompression ops.

As TF 1.15: ``serialize_tensor`` (op ``SerializeTensor``) gives the scalar bytes of the value's
``TensorProto`` as TF's C++ ``AsProtoTensorContent`` writes it (numbers in ``tensor_content``,
strings in ``string_val``); ``parse_tensor`` (``ParseTensor``, attr ``out_type``, unknown static
shape) reads one back and checks its dtype; ``write_file`` (``WriteFile``, no outputs, its
inputs ``WriteFile/filename`` and ``WriteFile/contents``) writes a scalar string to a file,
creating missing directories; ``decode_compressed`` (``DecodeCompressed``) inflates each string
of a tensor (``compression_type`` ``""``, ``"ZLIB"`` or ``"GZIP"``), a corrupt one being TF's
``DataLossError``.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

import gzip
import re
import zlib
from pathlib import Path
from typing import Any

import numpy as np

from scopeflow import errors
from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.graph._torch_dtypes import to_numpy, to_torch
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.graph_io.tensor_proto import make_tensor_proto, tensor_value
from scopeflow.ops._math_common import _scope, name_scope
from scopeflow.ops._op_builder import make_multi_op, make_op
from scopeflow.ops.string_ops import _strings

_SCALAR = TensorShape([])
_C = {"float32": "float", "float64": "double", "float16": "half"}


def serialize_tensor(tensor: Any, name: str | None = None) -> Tensor:
    """The serialized ``TensorProto`` of ``tensor`` as a scalar string (``SerializeTensor``).

    >>> import scopeflow.compat.v1 as tf
    >>> s = tf.io.serialize_tensor(tf.constant(7))
    >>> print(s.name, tf.Session().run(tf.io.parse_tensor(s, tf.int32)))
    SerializeTensor:0 7
    """
    scope = _scope(name, "SerializeTensor")
    x = convert_to_tensor(tensor, name=scope + "tensor/")
    return make_op("SerializeTensor", (x,), {"T": x._dtype.base_dtype}, scope, dtypes.string,
                   _SCALAR)  # fmt: skip


@register_kernel("SerializeTensor")
def _serialize_kernel(op: Operation, session: Any) -> Any:
    dt = op._attrs["T"]

    def kernel(x: Any) -> Any:
        arr = np.asarray(to_numpy(x))
        proto = make_tensor_proto(arr, dt, content=dt != dtypes.string)
        if dt != dtypes.string and arr.size == 0:
            proto.tensor_content = b""
        return to_torch(np.asarray(proto.SerializeToString(), dtype=object), dtypes.string)

    return kernel


def parse_tensor(serialized: Any, out_type: Any, name: str | None = None) -> Tensor:
    """The tensor serialized in the scalar string ``serialized`` (``ParseTensor``)."""
    dt = dtypes.as_dtype(out_type).base_dtype
    scope = _scope(name, "ParseTensor")
    s = convert_to_tensor(serialized, dtype=dtypes.string, name=scope + "serialized/")
    return make_op("ParseTensor", (s,), {"out_type": dt}, scope, dt, TensorShape(None))


@register_kernel("ParseTensor")
def _parse_kernel(op: Operation, session: Any) -> Any:
    dt = op._attrs["out_type"]

    def kernel(s: Any) -> Any:
        from scopeflow.protos import tensor_pb2  # noqa: PLC0415  (protobuf is lazy)

        data = np.asarray(to_numpy(s), dtype=object)
        if data.shape != ():
            raise errors.InvalidArgumentError(
                None, op, f"Expected `serialized` to be a scalar, got shape: {list(data.shape)}"
            )
        proto = tensor_pb2.TensorProto()
        try:
            proto.ParseFromString(bytes(data.item()))
        except Exception:  # protobuf's DecodeError
            raise errors.InvalidArgumentError(
                None, op, "Could not parse `serialized` as TensorProto: ''"
            ) from None
        got = dtypes.as_dtype(proto.dtype)
        if got != dt:
            raise errors.InvalidArgumentError(
                None, op, f"Type mismatch between parsed tensor ({_C.get(got.name, got.name)}) "
                f"and dtype ({_C.get(dt.name, dt.name)})"
            )  # fmt: skip
        return to_torch(tensor_value(proto), dt)

    return kernel


def write_file(filename: Any, contents: Any, name: str | None = None) -> Operation:
    """Writes the scalar string ``contents`` to ``filename`` (``WriteFile``); returns the op."""
    scope = _scope(name, "WriteFile")
    with name_scope(scope):
        f = convert_to_tensor(filename, dtype=dtypes.string, name="filename")
        c = convert_to_tensor(contents, dtype=dtypes.string, name="contents")
    return make_multi_op("WriteFile", (f, c), {}, scope, (), ())


@register_kernel("WriteFile", stateful=True)
def _write_file_kernel(op: Operation, session: Any) -> Any:
    def kernel(filename: Any, contents: Any) -> None:
        path = np.asarray(to_numpy(filename), dtype=object)
        if path.shape != ():
            raise errors.InvalidArgumentError(
                None, op, f"Input filename tensor must be scalar, but had shape: "
                f"[{','.join(map(str, path.shape))}]"
            )  # fmt: skip
        data = np.asarray(to_numpy(contents), dtype=object)
        if data.shape != ():
            raise errors.InvalidArgumentError(
                None, op, f"Contents tensor must be scalar, but had shape: "
                f"[{','.join(map(str, data.shape))}]"
            )  # fmt: skip
        p = path.item()
        target = Path((p.decode() if isinstance(p, bytes) else str(p)).removeprefix("file://"))
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(bytes(data.item()))
        except OSError as e:
            raise errors.error_from_os_error(e, str(target), op) from None

    return kernel


def decode_compressed(bytes: Any, compression_type: str = "", name: str | None = None) -> Tensor:
    """Decompresses each string of ``bytes`` (``DecodeCompressed``; ``ZLIB``/``GZIP``/``""``)."""
    if compression_type not in ("", "ZLIB", "GZIP"):
        raise errors.UnsupportedError(f"decode_compressed(compression_type={compression_type!r})")
    scope = _scope(name, "DecodeCompressed")
    x = convert_to_tensor(bytes, dtype=dtypes.string, name=scope + "bytes/")
    return make_op("DecodeCompressed", (x,), {"compression_type": compression_type}, scope,
                   dtypes.string, x._shape)  # fmt: skip


@register_kernel("DecodeCompressed")
def _decode_compressed_kernel(op: Operation, session: Any) -> Any:
    kind = op._attrs["compression_type"]

    def inflate(b: Any) -> Any:
        try:
            if kind == "ZLIB":
                return zlib.decompress(b)
            return gzip.decompress(b)
        except (zlib.error, OSError, EOFError) as e:
            m = re.match(r"Error (-?\d+) while decompressing data: (.*)", str(e))
            text = f"inflate() failed with error {m[1]}: {m[2]}" if m else str(e)
            raise errors.DataLossError(None, op, text) from None

    def kernel(x: Any) -> Any:
        arr = _strings(x)
        if not kind:
            return to_torch(arr, dtypes.string)
        out = np.empty(arr.shape, dtype=object)
        for i, b in np.ndenumerate(arr):
            out[i] = inflate(b)
        return to_torch(out, dtypes.string)

    return kernel


__all__ = ["decode_compressed", "parse_tensor", "serialize_tensor", "write_file"]
