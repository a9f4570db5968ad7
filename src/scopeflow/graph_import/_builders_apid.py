"""Import builders for the ``tf.signal``, ``tf.sets``, ``tf.strings`` and serialization ops.

``FFT``/``IFFT`` (1-3D), ``RFFT``/``IRFFT`` (1-3D), the three set
operations, ``SetSize``, ``StringFormat``, ``UnsortedSegmentJoin``, ``SerializeSparse``,
``SerializeManySparse`` and ``DeserializeManySparse``.

Same contract as ``_builders``: ``builder(inputs, attrs, name)`` with ``name`` ending in ``/``.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from typing import Any

from scopeflow.ops import fft_ops, set_ops, sparse_serialize_ops, string_format_ops
from scopeflow.ops.sparse_ops import SparseTensor


def _components(sp: SparseTensor) -> tuple[Any, Any, Any]:
    return sp.indices, sp.values, sp.dense_shape


def _set_op(i: list[Any], a: dict[str, Any], n: str, kind: str) -> Any:
    how = a["set_operation"]
    how = how.decode() if isinstance(how, bytes) else how
    if kind == "dd":
        inputs = (i[0], i[1])
    elif kind == "ds":
        inputs = (i[0], SparseTensor(i[1], i[2], i[3]))
    else:
        inputs = (SparseTensor(i[0], i[1], i[2]), SparseTensor(i[3], i[4], i[5]))
    a_in, b_in = inputs
    sp = set_ops._set_operation(a_in, b_in, how, a.get("validate_indices", True), name=n)
    return _components(sp)


def _unary(fn: Any) -> Any:
    return lambda i, a, n: fn(i[0], name=n)


def _with_length(fn: Any) -> Any:
    return lambda i, a, n: fn(i[0], i[1], name=n)


APID_BUILDERS: dict[str, Any] = {
    **{
        t: _unary(getattr(fft_ops, t.lower()))
        for t in ("FFT", "IFFT", "FFT2D", "IFFT2D", "FFT3D", "IFFT3D")
    },
    **{
        t: _with_length(getattr(fft_ops, t.lower()))
        for t in ("RFFT", "IRFFT", "RFFT2D", "IRFFT2D", "RFFT3D", "IRFFT3D")
    },
    "DenseToDenseSetOperation": lambda i, a, n: _set_op(i, a, n, "dd"),
    "DenseToSparseSetOperation": lambda i, a, n: _set_op(i, a, n, "ds"),
    "SparseToSparseSetOperation": lambda i, a, n: _set_op(i, a, n, "ss"),
    "SetSize": lambda i, a, n: set_ops.set_size_op(
        SparseTensor(i[0], i[1], i[2]), a.get("validate_indices", True), name=n
    ),
    "StringFormat": lambda i, a, n: string_format_ops.format(
        a["template"],
        list(i),
        placeholder=a.get("placeholder", "{}"),
        summarize=a.get("summarize", 3),
        name=n,
    ),
    "UnsortedSegmentJoin": lambda i, a, n: string_format_ops.unsorted_segment_join(
        i[0], i[1], i[2], separator=a.get("separator", ""), name=n
    ),
    "SerializeSparse": lambda i, a, n: sparse_serialize_ops.serialize_sparse(
        SparseTensor(i[0], i[1], i[2]), name=n
    ),
    "SerializeManySparse": lambda i, a, n: sparse_serialize_ops.serialize_many_sparse(
        SparseTensor(i[0], i[1], i[2]), name=n
    ),
    "DeserializeManySparse": lambda i, a, n: _components(
        sparse_serialize_ops.deserialize_many_sparse(i[0], a["dtype"], name=n)
    ),
}

__all__ = ["APID_BUILDERS"]
