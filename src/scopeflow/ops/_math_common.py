"""Helpers shared by the op families: op naming, TF's input conversion and dtype checks.

``_scope`` gives an op (or a composite's name scope) its unique name, ``_convert_pair`` converts
the two inputs of a binary op as TF's op_def_library does (the first tensor fixes ``T``), and
``_check_allowed`` raises TF's ``TypeError`` for a dtype outside an op's allowed list.
``math_ops`` re-exports them for the other families.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from scopeflow._core import dtypes
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.tensor import Tensor
from scopeflow.ops._op_builder import broadcast_static_shape, make_op

# TF's allowed ``T`` per op, in the op definition's order (the order of TF's error messages).
_ALLOWED_TEXT = {
    "Sum": "float32 float64 int32 uint8 int16 int8 complex64 int64 qint8 quint8 qint32 bfloat16 "
    "qint16 quint16 uint16 complex128 float16 uint32 uint64",
    "Max": "float32 float64 int32 uint8 int16 int8 int64 bfloat16 uint16 float16 uint32 uint64 "
    "qint8 quint8 qint32 qint16 quint16",
    "ArgMax": "float32 float64 int32 uint8 int16 int8 int64 bfloat16 uint16 float16 uint32 uint64 "
    "qint8 quint8 qint32 qint16 quint16 bool",
    "TopKV2": "float32 float64 int32 uint8 int16 int8 int64 bfloat16 uint16 float16 uint32 uint64",
    "Abs": "bfloat16 float16 float32 float64 int8 int16 int32 int64",
    "Neg": "bfloat16 float16 float32 float64 int8 int16 int32 int64 complex64 complex128",
    "Square": "bfloat16 float16 float32 float64 int8 int16 int32 int64 uint8 uint16 uint32 uint64 "
    "complex64 complex128",
    "Float": "bfloat16 float16 float32 float64 complex64 complex128",
    "Sign": "bfloat16 float16 float32 float64 int8 int16 int32 int64 complex64 complex128",
    "Real": "bfloat16 float16 float32 float64",
    "Softplus": "float16 bfloat16 float32 float64",
    "Pow": "bfloat16 float32 float16 float64 int8 int16 int32 int64 complex64 complex128",
    "Maximum": "bfloat16 float16 float32 float64 int8 uint8 int16 uint16 int32 uint32 int64 uint64",
    "SquaredDifference": "bfloat16 float16 float32 float64 int32 int64 complex64 complex128",
    "FloorDiv": "bfloat16 float16 float32 float64 uint8 int8 uint16 int16 int32 uint32 uint64 "
    "int64 "
    "complex64 complex128",
    "FloorMod": "int8 int16 int32 int64 uint8 uint16 uint32 uint64 bfloat16 float16 float32 "
    "float64",
    "TruncateMod": "int32 int64 bfloat16 float16 float32 float64",
    "AddN": "float32 float64 int32 uint8 int16 int8 complex64 int64 qint8 quint8 qint32 bfloat16 "
    "qint16 quint16 uint16 complex128 float16 uint32 uint64 variant",
    "MatMul": "bfloat16 float16 float32 float64 int32 int64 uint8 uint16 uint32 uint64 complex64 "
    "complex128",
    "BatchMatMulV2": "bfloat16 float16 float32 float64 int16 int32 int64 uint8 uint16 uint32 "
    "uint64 "
    "complex64 complex128",
    "MatrixInverse": "float64 float32 float16 complex64 complex128",
    "MatrixDeterminant": "float16 float32 float64 complex64 complex128",
    "Less": "float32 float64 int32 uint8 int16 int8 int64 bfloat16 uint16 float16 uint32 uint64",
    "AddV2": "bfloat16 float16 float32 float64 uint8 uint16 uint32 uint64 int8 int16 int32 int64 "
    "complex64 complex128",
    "Sub": "bfloat16 float16 float32 float64 uint8 int8 uint16 int16 int32 int64 complex64 "
    "complex128 uint32 uint64",
    "Mul": "bfloat16 float16 float32 float64 uint8 int8 uint16 int16 int32 uint32 uint64 int64 "
    "complex64 complex128",
    "Bool": "bool",
    "Any": "",
}


@functools.cache
def allowed(key: str) -> tuple[dtypes.DType, ...]:
    """TF's allowed dtypes for an op (a key of the table above), in TF's order (cached)."""
    return tuple(dtypes.as_dtype(n) for n in _ALLOWED_TEXT[key].split())


def _scope(name: str | None, default: str) -> str:
    """A fresh op name (TF: the ``name_scope(name, default)`` around the op) ending in ``/``."""
    g = get_default_graph()
    if name and name[-1] == "/":
        return name
    return g.unique_name(name or default) + "/"


def name_scope(scope: str) -> Any:
    """Re-enters ``scope`` (a name from ``_scope``) so composite ops nest their parts under it."""
    return get_default_graph().name_scope(scope)


def dt_enum(dt: dtypes.DType) -> str:
    """TF's ``DataType`` enum name as printed in node descriptions (``DT_FLOAT``)."""
    name = {"float32": "float", "float64": "double", "float16": "half"}.get(dt.name, dt.name)
    return "DT_" + name.upper()


def node_desc(scope: str, op_type: str, attrs: str, inputs: list[Tensor]) -> str:
    """TF's ``'{{node n}} = Op[attrs](in, ...)'`` text used in shape-inference errors."""
    ins = ", ".join(t._op.name if t._value_index == 0 else t.name for t in inputs)
    return f"'{{{{node {scope[:-1]}}}}} = {op_type}[{attrs}]({ins})'"


def shape_list(t: Tensor) -> str:
    """A shape as TF prints it in shape-inference errors: ``[2,?]``, ``?`` for unknown rank."""
    s = t._shape
    if s._dims is None:
        return "?"
    return "[" + ",".join("?" if d.value is None else str(d.value) for d in s._dims) + "]"


def _check_allowed(t: Tensor, allowed: tuple[dtypes.DType, ...], param: str) -> None:
    if allowed and t._dtype.base_dtype not in allowed:
        names = ", ".join(d.name for d in allowed)
        raise TypeError(
            f"Value passed to parameter '{param}' has DataType {t._dtype.base_dtype.name} not in "
            f"list of allowed values: {names}"
        )


def check_fixed(t: Tensor, dt: dtypes.DType, param: str, op_type: str) -> None:
    """TF's ``TypeError`` for an input of an op with a fixed (non-polymorphic) dtype."""
    if t._dtype.base_dtype != dt:
        raise TypeError(
            f"Input '{param}' of '{op_type}' Op has type {t._dtype.base_dtype.name} that does not "
            f"match expected type of {dt.name}."
        )


def _convert_pair(x: Any, y: Any, op_type: str, scope: str) -> tuple[Tensor, Tensor]:
    """TF's op_def_library input conversion: the first tensor fixes ``T`` for both inputs."""
    x_is_t = isinstance(x, Tensor) or hasattr(x, "_as_tensor")
    y_is_t = isinstance(y, Tensor) or hasattr(y, "_as_tensor")
    if x_is_t or not y_is_t:
        x = convert_to_tensor(x, name=scope + "x/")
        dt = x._dtype.base_dtype
        y = _convert_input(y, dt, "y", op_type, scope, "x")
    else:
        y = convert_to_tensor(y, name=scope + "y/")
        dt = y._dtype.base_dtype
        x = _convert_input(x, dt, "x", op_type, scope, "y")
    return x, y


def _convert_input(v: Any, dt: dtypes.DType, param: str, op_type: str, scope: str,
                   other: str) -> Tensor:  # fmt: skip
    if isinstance(v, Tensor) or hasattr(v, "_as_tensor"):
        t = convert_to_tensor(v)
        if t._dtype.base_dtype != dt:
            raise TypeError(
                f"Input '{param}' of '{op_type}' Op has type {t._dtype.base_dtype.name} that does "
                f"not match type {dt.name} of argument '{other}'."
            )
        return t
    try:
        return convert_to_tensor(v, dtype=dt, name=scope + param + "/")
    except (TypeError, ValueError) as e:
        raise TypeError(
            f"Expected {dt.name} passed to parameter '{param}' of op '{op_type}', got {v!r} of "
            f"type '{type(v).__name__}' instead. Error: {e}"
        ) from None


def binary_op(op_type: str, scope: str, x: Any, y: Any, allowed_types: tuple[dtypes.DType, ...],
              out_dtype: dtypes.DType | None = None, names: tuple[str, str] = ("x", "y")
              ) -> Tensor:  # fmt: skip
    """Creates a broadcasting binary op ``op_type`` named ``scope`` with TF's checks."""
    x, y = _convert_pair(x, y, op_type, scope)
    _check_allowed(x, allowed_types, names[0])
    dt = x._dtype.base_dtype
    desc = node_desc(scope, op_type, f"T={dt_enum(dt)}", [x, y])
    shape = broadcast_static_shape(x._shape, y._shape, desc)
    out = make_op(op_type, (x, y), {"T": dt}, scope, out_dtype or dt, shape)
    if x._const is not None and y._const is not None and op_type in _FOLDABLE:
        out._const = _fold(op_type, dt, x._const, y._const)
    return out


# Integer arithmetic TF's shape inference evaluates at build time (its constant-subgraph
# evaluation), so ``tf.zeros([tf.shape(x)[1] * 2])`` has a known static shape.
_FOLDABLE: dict[str, Any] = {
    "AddV2": np.add,
    "Sub": np.subtract,
    "Mul": np.multiply,
    "FloorDiv": np.floor_divide,
    "FloorMod": np.mod,
    "Maximum": np.maximum,
    "Minimum": np.minimum,
}
_FOLD_MAX_SIZE = 64


def _fold(op_type: str, dt: dtypes.DType, a: Any, b: Any) -> Any:
    """The value of a small integer op on known inputs, or None (not folded)."""
    if dt not in (dtypes.int32, dtypes.int64):
        return None
    av, bv = np.asarray(a), np.asarray(b)
    if av.size > _FOLD_MAX_SIZE or bv.size > _FOLD_MAX_SIZE:
        return None
    if op_type in ("FloorDiv", "FloorMod") and not np.all(bv):
        return None  # division by zero fails when the op runs
    with np.errstate(over="ignore"):
        return np.asarray(_FOLDABLE[op_type](av, bv)).astype(dt.as_numpy_dtype)


__all__ = [
    "allowed",
    "binary_op",
    "check_fixed",
    "dt_enum",
    "name_scope",
    "node_desc",
    "shape_list",
]
