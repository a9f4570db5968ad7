"""Build-time shape-inference helpers shared by the array op families.

Two concerns live here: reading the values of small integer tensors that are known while the graph
is built (TF's constant evaluation: ``_const`` for fully known values, ``_partial_shape`` for shape
vectors with unknown entries such as ``tf.shape(x)`` of a partially known ``x``), and TF's
``ValueError`` text for a failed shape function, which names the node being built (``for '{{node
Reshape}} = Reshape[T=DT_INT32, Tshape=DT_INT32](Const, Reshape/shape)' with input shapes: ...``).

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.graph.tensor import Tensor


def fmt_shape(s: TensorShape) -> str:
    """A shape as TF's inference context prints it: ``[2,?]``, ``[]`` or ``?``."""
    if s.ndims is None:
        return "?"
    return "[" + ",".join("?" if d is None else str(d) for d in s.as_list()) + "]"


def _fmt_attr(v: Any) -> str:
    if isinstance(v, dtypes.DType):
        return "DT_" + {"float32": "FLOAT", "float64": "DOUBLE", "float16": "HALF"}.get(
            v.name, v.name.upper()
        )
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return f'"{v}"'
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_fmt_attr(x) for x in v) + "]"
    return str(v)


def summarize_value(arr: Any) -> str:
    """TF's ``Tensor::SummarizeValue``: the flattened values separated by spaces."""
    flat = np.asarray(arr).reshape(-1)
    return " ".join(str(x) for x in flat[:256].tolist()) + (("...") if flat.size > 256 else "")


def node_error(
    msg: str,
    scope: str,
    op_type: str,
    attrs: dict[str, Any],
    inputs: Sequence[Tensor],
    computed: Sequence[int] = (),
    partial: Sequence[int] = (),
) -> ValueError:
    """TF's shape-function ``ValueError``: ``msg`` followed by the node summary.

    Args:
        msg: the shape function's own message.
        scope: the op name with a trailing ``/`` (as returned by ``_scope``).
        op_type: TF's op type.
        attrs: the node's attributes as TF names them (printed sorted by name).
        inputs: the node's input tensors.
        computed: input indices whose constant value TF's inference had evaluated.
        partial: input indices TF had evaluated as partial shapes.
    """
    attr_s = ", ".join(f"{k}={_fmt_attr(v)}" for k, v in sorted(attrs.items()))
    in_names = ", ".join(t._as_node_def_input() for t in inputs)
    text = (
        f"{msg} for '{{{{node {scope[:-1]}}}}} = {op_type}[{attr_s}]({in_names})' with input "
        f"shapes: {', '.join(fmt_shape(t._shape) for t in inputs)}"
    )
    comp = [
        f"input[{i}] = <{summarize_value(inputs[i]._const)}>"
        for i in computed
        if inputs[i]._const is not None
    ]
    if comp:
        text += " and with computed input tensors: " + ", ".join(comp)
    parts = []
    for i in partial:
        ps = partial_shape_value(inputs[i])
        if ps is not None and ps.ndims:  # TF leaves out an empty (scalar) shape
            parts.append(f"input[{i}] = {fmt_shape(ps)}")
    if parts:
        text += " and with input tensors computed as partial shapes: " + ",".join(parts)
    return ValueError(text + ".")


def const_ints(t: Tensor) -> list[int] | None:
    """The known value of an integer tensor as a flat list of ints, else None."""
    if t._const is None:
        return None
    return [int(v) for v in np.asarray(t._const).reshape(-1)]


def const_int(t: Tensor) -> int | None:
    """The known value of a scalar integer tensor, else None."""
    if t._const is None or np.asarray(t._const).size != 1:
        return None
    return int(np.asarray(t._const).reshape(-1)[0])


def partial_shape_value(t: Tensor) -> TensorShape | None:
    """The value of a 1-D shape tensor as a TensorShape (unknown entries ``None``).

    TF's ``MakeShapeFromShapeTensor``: ``-1`` is an unknown dimension, other negatives are errors.

    Raises:
        ValueError: ``Invalid value in tensor used for shape: -2``.
    """
    if t._const is not None:
        arr = np.asarray(t._const)
        if arr.ndim != 1:
            return None
        dims: list[int | None] = []
        for v in arr.tolist():
            if v < -1:
                raise ValueError(f"Invalid value in tensor used for shape: {v}")
            dims.append(None if v == -1 else int(v))
        return TensorShape(dims)
    if t._partial_shape is not None:
        return t._partial_shape
    s = t._shape
    n = s.as_list()[0] if s.ndims == 1 else None
    return TensorShape([None] * n) if n is not None else None


def set_shape_value(t: Tensor, dims: Sequence[int | None]) -> None:
    """Records the (possibly partial) value of a 1-D shape tensor ``t`` on it."""
    if all(d is not None for d in dims):
        t._const = np.asarray(list(dims), dtype=t._dtype.as_numpy_dtype)
    else:
        t._partial_shape = TensorShape(list(dims))


def scalar_value(t: Tensor) -> int | None:
    """The value of a scalar int tensor if known (a constant or a known entry of a shape)."""
    return const_int(t) if t._shape.ndims == 0 else None


__all__ = [
    "const_int",
    "const_ints",
    "fmt_shape",
    "node_error",
    "partial_shape_value",
    "scalar_value",
    "set_shape_value",
    "summarize_value",
]
