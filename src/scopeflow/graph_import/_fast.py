"""Direct construction of the most frequent NodeDefs of frozen graphs (the import fast path).

Rebuilding a node through its op wrapper (``_builders``) converts and re-checks every input and
formats TF's error descriptions up front, which costs several times more than creating the op.
For the op types that dominate frozen inference graphs (``Const``, ``Identity``, float
elementwise ops, ``MatMul``, ``BiasAdd``) a builder here returns the op's ``Spec`` directly:
exactly the type, attrs, dtype and static shape the wrapper would give it, reading only the
attrs it needs from the proto; the importer creates the op (inlining ``Graph._create_op``'s
plain case). Whenever a node is anything but the plain case (another dtype, an unknown rank,
incompatible shapes, a ref input), a builder returns None and the importer uses the wrapper,
which raises TF's errors. ``tests/graph_import/test_fast_import.py`` checks the two paths agree.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import Dimension, TensorShape
from scopeflow.graph.tensor import Tensor
from scopeflow.graph_io.tensor_proto import tensor_value
from scopeflow.ops._op_builder import broadcast_static_shape

# Compared by identity (``DType.__eq__``/``__hash__`` are Python-level calls): a dtype object
# that is not the canonical instance just takes the wrapper path.
_FLOATS = frozenset(id(dt) for dt in (dtypes.float16, dtypes.float32, dtypes.float64))
_KNOWN = (dtypes.float16, dtypes.float32, dtypes.float64, dtypes.int32, dtypes.int64,
          dtypes.uint8, dtypes.bool, dtypes.int8, dtypes.int16)  # fmt: skip
_BY_ENUM = {dt.as_datatype_enum: dt for dt in _KNOWN}

# What a fast builder returns: (op type, inputs, attrs, dtype, static shape, known value) of a
# single-output op, which the importer creates (``Graph._create_op`` or its inlined plain case).
Spec = tuple[str, tuple[Tensor, ...], dict[str, Any], dtypes.DType, TensorShape, Any]
Fast = Callable[[Any, list[Tensor]], Spec | None]


_LE = {dt.as_datatype_enum: np.dtype(dt.as_numpy_dtype).newbyteorder("<")
       for dt in _BY_ENUM.values()}  # fmt: skip
_NATIVE = {enum: le.newbyteorder("=") for enum, le in _LE.items()}

# Serialized ``TensorShapeProto`` -> (dims, element count, interned TensorShape), or False for a
# shape that is not fully known. Serializing the small shape message is one C call; reading its
# ``dim`` entries one by one costs several Python-level protobuf accesses per dimension.
_SHAPES: dict[bytes, tuple[tuple[int, ...], int, TensorShape] | bool] = {}
_SHAPES_MAX = 4096


def _known_shape(proto: Any) -> tuple[tuple[int, ...], int, TensorShape] | bool:
    if proto.unknown_rank:
        return False
    dims = tuple(d.size for d in proto.dim)
    if dims and min(dims) < 0:
        return False
    num = 1
    for d in dims:
        num *= d
    return dims, num, TensorShape._from_known(dims)


def _const(node: Any, ins: list[Tensor]) -> Spec | None:
    if ins:
        return None
    attr = node.attr
    vv = attr.get("value")
    dv = attr.get("dtype")
    if dv is None or vv is None:
        return None
    proto = vv.tensor
    enum = proto.dtype
    dt = _BY_ENUM.get(enum)
    if dt is None or dv.type != enum:
        return None
    content = proto.tensor_content
    if content:
        sp = proto.tensor_shape
        key = sp.SerializeToString()
        known = _SHAPES.get(key)
        if known is None:
            known = _known_shape(sp)
            if len(_SHAPES) < _SHAPES_MAX:
                _SHAPES[key] = known
        if known:
            dims, num, shape = known  # type: ignore[misc]
            le = _LE[enum]
            if len(content) != num * le.itemsize:
                return None  # tensor_value (the wrapper path) raises naming the node
            arr = np.frombuffer(content, dtype=le).astype(_NATIVE[enum]).reshape(dims)
            attrs = {"value": arr, "dtype": dt}
            return "Const", (), attrs, dt, shape, arr if num <= 4096 else None
    arr = tensor_value(proto, f"node {node.name!r}")
    attrs = {"value": arr, "dtype": dt}
    const = arr if arr.size <= 4096 else None
    return "Const", (), attrs, dt, TensorShape._from_known(arr.shape), const


def _identity(node: Any, ins: list[Tensor]) -> Spec | None:
    if len(ins) != 1:
        return None
    x = ins[0]
    dt = x._dtype
    if dt._is_ref_dtype:
        return None
    return "Identity", (x,), {"T": dt}, dt, x._shape, x._const


def _unary(op_type: str) -> Fast:
    def build(node: Any, ins: list[Tensor]) -> Spec | None:
        if len(ins) != 1 or id(ins[0]._dtype) not in _FLOATS:
            return None
        x = ins[0]
        return op_type, (x,), {"T": x._dtype}, x._dtype, x._shape, None

    return build


def _broadcast(a: TensorShape, b: TensorShape) -> TensorShape | None:
    if a._dims is None or b._dims is None:
        return None
    try:
        return broadcast_static_shape(a, b)
    except ValueError:
        return None  # the wrapper raises TF's error


def _binary(op_type: str) -> Fast:
    def build(node: Any, ins: list[Tensor]) -> Spec | None:
        if len(ins) != 2:
            return None
        x, y = ins
        dt = x._dtype
        if id(dt) not in _FLOATS or y._dtype is not dt:
            return None
        shape = _broadcast(x._shape, y._shape)
        if shape is None:
            return None
        return op_type, (x, y), {"T": dt}, dt, shape, None

    return build


def _matmul(node: Any, ins: list[Tensor]) -> Spec | None:
    if len(ins) != 2:
        return None
    a, b = ins
    dt = a._dtype
    if id(dt) not in _FLOATS or b._dtype is not dt:
        return None
    da, db = a._shape._dims, b._shape._dims
    if da is None or db is None or len(da) != 2 or len(db) != 2:
        return None
    attr = node.attr
    ta = (av := attr.get("transpose_a")) is not None and av.b
    tb = (av := attr.get("transpose_b")) is not None and av.b
    m, ka = (da[1], da[0]) if ta else (da[0], da[1])
    kb, n = (db[1], db[0]) if tb else (db[0], db[1])
    if ka.value is not None and kb.value is not None and ka.value != kb.value:
        return None
    attrs = {"T": dt, "transpose_a": ta, "transpose_b": tb, "grad_a": False, "grad_b": False}
    return "MatMul", (a, b), attrs, dt, TensorShape._from_known((m.value, n.value)), None


def _bias_add(node: Any, ins: list[Tensor]) -> Spec | None:
    if len(ins) != 2:
        return None
    x, b = ins
    dt = x._dtype
    attr = node.attr
    df = attr["data_format"].s.decode() if "data_format" in attr else "NHWC"
    dx, db = x._shape._dims, b._shape._dims
    if id(dt) not in _FLOATS or b._dtype is not dt or df != "NHWC" or dx is None or db is None:
        return None
    if len(db) != 1 or len(dx) < 2:
        return None
    c, bc = dx[-1].value, db[0].value
    out = x._shape
    if c is None and bc is not None:
        out = TensorShape([*dx[:-1], Dimension(bc)])
    elif c is not None and bc is not None and c != bc:
        return None
    return "BiasAdd", (x, b), {"T": dt, "data_format": df}, dt, out, None


_UNARY = ("Relu", "Relu6", "Sigmoid", "Tanh", "Elu", "Selu", "Softplus", "Sqrt", "Rsqrt", "Exp",
          "Log", "Square", "Neg", "Abs")  # fmt: skip
_BINARY = ("AddV2", "Sub", "Mul", "RealDiv", "Maximum", "Minimum", "SquaredDifference")

FAST: dict[str, Fast] = {
    "Const": _const,
    "Identity": _identity,
    "MatMul": _matmul,
    "BiasAdd": _bias_add,
    **{t: _unary(t) for t in _UNARY},
    **{t: _binary(t) for t in _BINARY},
    "Add": _binary("AddV2"),
}

__all__ = ["FAST", "Spec"]
