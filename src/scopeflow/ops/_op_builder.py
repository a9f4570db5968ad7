"""Helpers every op wrapper uses: create a node, broadcast static shapes, read constant values.

Each TF op is declared once, in the ``scopeflow.ops`` module of its family: a Python wrapper with
TF's signature that checks arguments, computes output dtype and static shape, and calls
``make_op``; and a kernel registered with ``register_kernel``.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any

import numpy as np

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import Dimension, TensorShape, unknown_shape
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.tensor import Operation, Tensor

UNKNOWN = TensorShape(None)
SCALAR = TensorShape([])


def make_op(
    op_type: str,
    inputs: Sequence[Tensor],
    attrs: dict[str, Any],
    name: str | None,
    dtype: dtypes.DType,
    shape: TensorShape,
) -> Tensor:
    """Creates a single-output op in the default graph and returns its output."""
    op = get_default_graph()._create_op(op_type, inputs, attrs, name, (dtype,), (shape,))
    return op._out  # type: ignore[return-value]  # the single output (``_outputs`` makes a tuple)


def make_multi_op(
    op_type: str,
    inputs: Sequence[Tensor],
    attrs: dict[str, Any],
    name: str | None,
    out_dtypes: Sequence[dtypes.DType],
    out_shapes: Sequence[TensorShape],
) -> Operation:
    """Creates an op with any number of outputs and returns the op."""
    return get_default_graph()._create_op(op_type, inputs, attrs, name, out_dtypes, out_shapes)


def broadcast_static_shape(a: TensorShape, b: TensorShape, op_desc: str = "") -> TensorShape:
    """NumPy broadcasting of two static shapes with unknown dimensions (TF's rules).

    Raises:
        ValueError: ``Dimensions must be equal, but are 2 and 3 ...``.
    """
    if a._dims is None or b._dims is None:
        return UNKNOWN
    da, db = a._dims, b._dims
    if da == db:
        return a
    n = max(len(da), len(db))
    out: list[int | None] = []
    for i in range(n):
        x = da[len(da) - n + i].value if i >= n - len(da) else 1
        y = db[len(db) - n + i].value if i >= n - len(db) else 1
        if x == 1:
            out.append(y)
        elif y == 1:
            out.append(x)
        elif x is None:
            out.append(y)
        elif y is None or x == y:
            out.append(x)
        else:
            raise ValueError(
                f"Dimensions must be equal, but are {x} and {y} for {op_desc} with input shapes: "
                f"{_shape_list(a)}, {_shape_list(b)}."
                if op_desc
                else f"Incompatible shapes for broadcasting: {a} and {b}"
            )
    return TensorShape._from_known(tuple(out))


def _shape_list(s: TensorShape) -> str:
    if s._dims is None:
        return "?"
    return "[" + ",".join("?" if d.value is None else str(d.value) for d in s._dims) + "]"


def constant_value(t: Any) -> Any:
    """The value of ``t`` if it is known at graph-build time (constants, shapes), else None."""
    if isinstance(t, Tensor):
        return t._const
    if t is None:
        return None
    try:
        return np.asarray(t)
    except (TypeError, ValueError):
        return None


def shape_from_tensor(t: Tensor) -> TensorShape:
    """A static shape from a 1-D shape tensor, using whatever values are known."""
    val = t._const
    if val is not None:
        return TensorShape([None if d < 0 else int(d) for d in np.asarray(val).reshape(-1)])
    if t._partial_shape is not None:
        return t._partial_shape
    s = t._shape
    if s._dims is not None and len(s._dims) == 1 and s._dims[0].value is not None:
        return unknown_shape(rank=s._dims[0].value)
    return UNKNOWN


_INDEX_TYPES = (dtypes.int32, dtypes.int64)


def convert_index_input(value: Any, scope: str, arg: str) -> Tensor:
    """Converts an int32/int64 input whose type attr defaults to int32 (shapes, perms, ...).

    TF's op builder first converts the value as it is; if that dtype is not allowed (``[]`` is
    float32, so is ``np.array([], np.float32)``) it converts again preferring int32, which makes
    a second constant (``Reshape/shape_1``) and casts NumPy values. A float *tensor* stays
    float and the op then raises TF's ``TypeError``.
    """
    from scopeflow.graph.conversion import convert_to_tensor  # noqa: PLC0415

    first: Tensor | None = None
    with contextlib.suppress(TypeError):  # e.g. Dimensions need a dtype: retried below
        first = convert_to_tensor(value, name=scope + arg + "/")
    if first is not None and (first._dtype.base_dtype in _INDEX_TYPES or isinstance(value, Tensor)):
        return first
    # ``scope`` is already the op's full scope: uniquify ``<scope><arg>`` as it is, not under
    # the name scope that is open around the op (``s/Reshape/shape_1``, not ``s/s/Reshape/...``).
    retry = get_default_graph()._names.unique_name(scope + arg, "") + "/"
    return convert_to_tensor(value, name=retry, preferred_dtype=dtypes.int32)


def dim_value(d: Any) -> int | None:
    """The int value of a Dimension, int or None."""
    return d.value if isinstance(d, Dimension) else d


# Ref-passing ops of imported TF1 control flow: a ref read through them is the variable's own.
_REF_PASS = frozenset({"RefSwitch", "RefEnter", "RefExit", "RefIdentity", "RefMerge",
                       "RefNextIteration"})  # fmt: skip


def ref_variable_name(t: Tensor) -> str:
    """The name of the variable op a ref input addresses (through ``RefSwitch``/``RefEnter``...)."""
    op = t._op
    seen = 0
    while op._type in _REF_PASS and op._inputs and seen < 10000:
        op = op._inputs[0]._op
        seen += 1
    return op._name


__all__ = [
    "SCALAR",
    "UNKNOWN",
    "broadcast_static_shape",
    "constant_value",
    "convert_index_input",
    "dim_value",
    "make_multi_op",
    "make_op",
    "ref_variable_name",
    "shape_from_tensor",
]
