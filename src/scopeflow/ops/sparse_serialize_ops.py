"""``tf.io.serialize_sparse``, ``serialize_many_sparse``, ``deserialize_many_sparse``.

As TF 1.15 (also the top-level ``tf.serialize_sparse`` etc.): ``serialize_sparse`` (op
``SerializeSparse``, attrs ``T`` and ``out_type``) gives a ``[3]`` string vector, the serialized
``TensorProto``s of the indices, values and dense shape (as TF's C++ ``AsProtoTensorContent``
writes them in ``tensor_content``: raw numbers; strings as their varint lengths, then their
bytes); ``serialize_many_sparse``
(``SerializeManySparse``) splits a rank-R ``SparseTensor`` along its first dimension into
``[N, 3]`` such rows, each the rank-(R-1) entry (indices without the first column, in the input's
order); ``deserialize_many_sparse`` (``DeserializeManySparse``, attr ``dtype``) reads ``[N, 3]``
rows back into one ``SparseTensor`` whose first dimension is the row and whose other dimensions
are the maximum over the rows (static shapes ``[?, rank]``/``[rank]`` when ``rank`` is given).
None has a gradient (as TF).

Differences from TensorFlow: ``out_type=tf.variant`` raises ``UnsupportedError``.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from scopeflow import errors
from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.errors import UnsupportedError
from scopeflow.graph._torch_dtypes import to_numpy, to_torch
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.graph_io.tensor_proto import make_tensor_proto, tensor_value
from scopeflow.ops._math_common import _scope
from scopeflow.ops._op_builder import make_multi_op, make_op
from scopeflow.ops._shape_inference import node_error
from scopeflow.ops.sparse_ops import SparseTensor, convert_to_sparse_tensor


def _serialize_op(op_type: str, sp_input: Any, name: str | None, out_type: Any,
                  shape: TensorShape) -> Tensor:  # fmt: skip
    sp = convert_to_sparse_tensor(sp_input)
    out = dtypes.as_dtype(out_type).base_dtype
    if out != dtypes.string:
        raise UnsupportedError(f"tf.io.{op_type} with out_type={out.name} (only tf.string)")
    scope = _scope(name, op_type)
    attrs = {"T": sp.values._dtype.base_dtype, "out_type": out}
    return make_op(op_type, (sp.indices, sp.values, sp.dense_shape), attrs, scope, out, shape)


def serialize_sparse(sp_input: Any, name: str | None = None,
                     out_type: Any = dtypes.string) -> Tensor:  # fmt: skip
    """The three serialized components of a ``SparseTensor`` (op ``SerializeSparse``).

    >>> import scopeflow.compat.v1 as tf
    >>> s = tf.io.serialize_sparse(tf.SparseTensor([[0, 1]], [2.0], [2, 3]))
    >>> s.name, s.shape.as_list()
    ('SerializeSparse:0', [3])
    """
    return _serialize_op("SerializeSparse", sp_input, name, out_type, TensorShape([3]))


def serialize_many_sparse(sp_input: Any, name: str | None = None,
                          out_type: Any = dtypes.string) -> Tensor:  # fmt: skip
    """One serialized ``[3]`` row per entry of the first dimension (``SerializeManySparse``)."""
    return _serialize_op("SerializeManySparse", sp_input, name, out_type,
                         TensorShape([None, 3]))  # fmt: skip


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _proto_bytes(arr: np.ndarray, dt: dtypes.DType) -> bytes:
    """TF's ``AsProtoTensorContent``: raw numbers, or strings as varint lengths then bytes."""
    if dt == dtypes.string:
        items = [v if isinstance(v, bytes) else str(v).encode() for v in arr.reshape(-1).tolist()]
        proto = make_tensor_proto(np.zeros(arr.shape, np.int8), dtypes.int8, content=True)
        proto.dtype = dt.as_datatype_enum
        proto.tensor_content = b"".join(_varint(len(v)) for v in items) + b"".join(items)
    else:
        proto = make_tensor_proto(arr, dt, content=True)
    if arr.size == 0:
        proto.tensor_content = b""
    return proto.SerializeToString()  # type: ignore[no-any-return]


def _proto_value(proto: Any) -> np.ndarray:
    """The value of a ``TensorProto``, reading string ``tensor_content`` as TF encodes it."""
    if proto.dtype != dtypes.string.as_datatype_enum or not proto.tensor_content:
        return np.asarray(tensor_value(proto))
    dims = [d.size for d in proto.tensor_shape.dim]
    n = int(np.prod(dims, dtype=np.int64))
    data, pos, lengths = proto.tensor_content, 0, []
    for _ in range(n):
        shift = length = 0
        while True:
            byte = data[pos]
            pos += 1
            length |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                break
        lengths.append(length)
    out = np.empty(n, dtype=object)
    for i, length in enumerate(lengths):
        out[i] = bytes(data[pos : pos + length])
        pos += length
    return out.reshape(dims)


def _components(ind: Any, vals: Any, shp: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    shape = np.asarray(to_numpy(shp)).astype(np.int64).reshape(-1)
    idx = np.asarray(to_numpy(ind)).astype(np.int64).reshape(-1, len(shape))
    return idx, np.asarray(to_numpy(vals)), shape


@register_kernel("SerializeSparse")
def _serialize_sparse_kernel(op: Operation, session: Any) -> Any:
    dt = op._attrs["T"]

    def kernel(ind: Any, vals: Any, shp: Any) -> Any:
        idx, values, shape = _components(ind, vals, shp)
        out = np.array(
            [_proto_bytes(idx, dtypes.int64), _proto_bytes(values, dt),
             _proto_bytes(shape, dtypes.int64)],
            dtype=object,
        )  # fmt: skip
        return to_torch(out, dtypes.string)

    return kernel


@register_kernel("SerializeManySparse")
def _serialize_many_kernel(op: Operation, session: Any) -> Any:
    dt = op._attrs["T"]

    def kernel(ind: Any, vals: Any, shp: Any) -> Any:
        idx, values, shape = _components(ind, vals, shp)
        if len(shape) < 2:
            raise errors.InvalidArgumentError(
                None, op, f"Rank of input SparseTensor should be > 1, but saw rank: {len(shape)}"
            )
        n = int(shape[0])
        out = np.empty((n, 3), dtype=object)
        inner = shape[1:]
        for b in range(n):
            rows = idx[:, 0] == b
            if np.any(idx[:, 0] >= n) or np.any(idx[:, 0] < 0):
                raise errors.InvalidArgumentError(
                    None, op, "Input SparseTensor has indices outside its first dimension."
                )
            out[b, 0] = _proto_bytes(np.ascontiguousarray(idx[rows, 1:]), dtypes.int64)
            out[b, 1] = _proto_bytes(np.ascontiguousarray(values[rows]), dt)
            out[b, 2] = _proto_bytes(inner, dtypes.int64)
        return to_torch(out, dtypes.string)

    return kernel


def deserialize_many_sparse(serialized_sparse: Any, dtype: Any, rank: int | None = None,
                            name: str | None = None) -> SparseTensor:  # fmt: skip
    """A ``SparseTensor`` from ``[N, 3]`` serialized rows (op ``DeserializeManySparse``).

    >>> import scopeflow.compat.v1 as tf
    >>> sp = tf.SparseTensor([[0, 1], [1, 0]], [1, 2], [2, 3])
    >>> back = tf.io.deserialize_many_sparse(tf.io.serialize_many_sparse(sp), tf.int32)
    >>> tf.Session().run(back).indices.tolist()
    [[0, 1], [1, 0]]
    """
    dt = dtypes.as_dtype(dtype).base_dtype
    scope = _scope(name, "DeserializeManySparse")
    s = convert_to_tensor(serialized_sparse, dtype=dtypes.string, name=scope + "serialized_sparse/")
    attrs = {"dtype": dt}
    nd = s._shape.ndims
    if nd is not None and nd != 2:
        raise node_error(f"Shape must be rank 2 but is rank {nd}", scope, "DeserializeManySparse",
                         attrs, [s])  # fmt: skip
    if nd == 2 and s._shape.as_list()[1] not in (None, 3):
        raise node_error(f"Dimension must be 3 but is {s._shape.as_list()[1]}", scope,
                         "DeserializeManySparse", attrs, [s])  # fmt: skip
    op = make_multi_op(
        "DeserializeManySparse",
        (s,),
        attrs,
        scope,
        (dtypes.int64, dt, dtypes.int64),
        (TensorShape([None, rank]), TensorShape([None]), TensorShape([rank])),
    )
    return SparseTensor(op._outputs[0], op._outputs[1], op._outputs[2])


@register_kernel("DeserializeManySparse")
def _deserialize_many_kernel(op: Operation, session: Any) -> Any:
    dt = op._attrs["dtype"]

    def parse(data: Any, what: str) -> Any:
        from scopeflow.protos import tensor_pb2  # noqa: PLC0415  (protobuf is lazy)

        proto = tensor_pb2.TensorProto()
        try:
            proto.ParseFromString(bytes(data))
        except Exception:  # protobuf's DecodeError
            raise errors.InvalidArgumentError(
                None, op, f"Could not parse serialized_sparse[{what}]"
            ) from None
        return proto

    def kernel(s: Any) -> Any:
        data = np.asarray(to_numpy(s), dtype=object)
        if data.ndim != 2 or data.shape[1] != 3:
            raise errors.InvalidArgumentError(
                None, op, "Serialized sparse should be a matrix with 3 columns but has shape "
                f"[{','.join(map(str, data.shape))}]"
            )  # fmt: skip
        all_idx: list[np.ndarray] = []
        all_vals: list[np.ndarray] = []
        shapes: list[np.ndarray] = []
        for b in range(data.shape[0]):
            pi, pv, ps = (parse(data[b, k], f"{b}, {k}") for k in range(3))
            got = dtypes.as_dtype(pv.dtype)
            if got != dt:
                raise errors.InvalidArgumentError(
                    None, op, f"Requested SparseTensor of type {dt.name} but "
                    f"SparseTensor[{b}].values.dtype() == {got.name}"
                )  # fmt: skip
            shape = _proto_value(ps).astype(np.int64).reshape(-1)
            idx = _proto_value(pi).astype(np.int64).reshape(-1, len(shape))
            vals = _proto_value(pv).reshape(-1)
            if shapes and len(shape) != len(shapes[0]):
                raise errors.InvalidArgumentError(
                    None, op, f"Inconsistent shape across SparseTensors: rank prior to "
                    f"SparseTensor[{b}] was: {len(shapes[0]) + 1} but rank of SparseTensor[{b}] "
                    f"is: {len(shape) + 1}"
                )  # fmt: skip
            shapes.append(shape)
            col = np.full((idx.shape[0], 1), b, dtype=np.int64)
            all_idx.append(np.concatenate([col, idx], axis=1))
            all_vals.append(vals)
        inner = np.max(np.stack(shapes), axis=0) if shapes else np.zeros(0, np.int64)
        rank = len(inner) + 1
        indices = np.concatenate(all_idx, 0) if all_idx else np.zeros((0, rank), np.int64)
        if all_vals:
            values = np.concatenate(all_vals, 0)
        else:
            values = np.zeros(0, dtype=object if dt == dtypes.string else dt.as_numpy_dtype)
        dense = np.concatenate([[data.shape[0]], inner]).astype(np.int64)
        return torch.from_numpy(indices), to_torch(values, dt), torch.from_numpy(dense)

    return kernel


__all__ = ["deserialize_many_sparse", "serialize_many_sparse", "serialize_sparse"]
