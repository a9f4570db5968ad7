"""``tf.sparse_matmul``: TF's ``SparseMatMul`` op, a dense product with sparsity hints.

As TF: both inputs are dense ``float32`` or ``bfloat16`` matrices; ``a_is_sparse``/
``b_is_sparse`` only tell TF's kernel which operand has many zeros, so the result is the plain
product (``float32``) of the operands, transposed as asked. The hints are kept as the op's attrs.
Its gradient is the matmul gradient.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

import torch

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.ops._math_common import _scope
from scopeflow.ops._op_builder import make_op
from scopeflow.ops._shape_inference import node_error

_ALLOWED = (dtypes.float32, dtypes.bfloat16)


def sparse_matmul(
    a: Any,
    b: Any,
    transpose_a: bool = False,
    transpose_b: bool = False,
    a_is_sparse: bool = False,
    b_is_sparse: bool = False,
    name: str | None = None,
) -> Tensor:
    """``a @ b`` (each transposed if asked) as a ``SparseMatMul`` op; always ``float32``.

    >>> import scopeflow.compat.v1 as tf
    >>> c = tf.sparse_matmul([[1.0, 0.0], [0.0, 2.0]], [[3.0], [4.0]], a_is_sparse=True)
    >>> print(c.name, tf.Session().run(c).tolist())
    SparseMatMul:0 [[3.0], [8.0]]
    """
    scope = _scope(name, "SparseMatMul")
    ta = convert_to_tensor(a, name=scope + "a")
    tb = convert_to_tensor(b, name=scope + "b")
    for arg, t in (("a", ta), ("b", tb)):
        dt = t._dtype.base_dtype
        if dt not in _ALLOWED:
            raise TypeError(
                f"Value passed to parameter '{arg}' has DataType {dt.name} not in list of "
                "allowed values: float32, bfloat16"
            )
    sa, sb = ta._shape.with_rank(2), tb._shape.with_rank(2)
    da, db = sa.as_list(), sb.as_list()
    m, k = (da[1], da[0]) if transpose_a else (da[0], da[1])
    k2, n = (db[1], db[0]) if transpose_b else (db[0], db[1])
    attrs = {
        "transpose_a": bool(transpose_a),
        "transpose_b": bool(transpose_b),
        "a_is_sparse": bool(a_is_sparse),
        "b_is_sparse": bool(b_is_sparse),
        "Ta": ta._dtype.base_dtype,
        "Tb": tb._dtype.base_dtype,
    }
    if k is not None and k2 is not None and k != k2:
        raise node_error(
            f"Dimensions must be equal, but are {k} and {k2}", scope, "SparseMatMul", attrs,
            (ta, tb),
        )  # fmt: skip
    return make_op("SparseMatMul", (ta, tb), attrs, scope, dtypes.float32, TensorShape([m, n]))


@register_kernel("SparseMatMul")
def _sparse_matmul_kernel(op: Operation, session: Any) -> Any:
    ta, tb = bool(op._attrs["transpose_a"]), bool(op._attrs["transpose_b"])

    def kernel(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        a, b = a.to(torch.float32), b.to(torch.float32)
        return torch.matmul(a.t() if ta else a, b.t() if tb else b)

    return kernel


__all__ = ["sparse_matmul"]
