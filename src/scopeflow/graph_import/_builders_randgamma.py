"""Import builders for the op types of TF 2.x ``tf.signal``/``tf.linalg`` graphs and random ops.

``Complex``, ``ComplexAbs``, ``Real``, ``Imag``, ``MatrixDiagV3``, ``MatrixSolve``,
``BroadcastArgs``, ``RandomGamma`` and ``RandomPoissonV2`` (the last two with the node's own,
final seeds).

Same contract as ``_builders``: ``builder(inputs, attrs, name)`` with ``name`` ending in ``/``.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from typing import Any

from scopeflow._core.tensor_shape import TensorShape
from scopeflow.ops import math_extra_ops, matrix_diag_v3_ops, matrix_extra_ops, unary_ops
from scopeflow.ops._op_builder import make_op
from scopeflow.ops.random_gamma_ops import random_gamma_op, random_poisson_v2_op


def _broadcast_args(i: list[Any], a: dict[str, Any], n: str) -> Any:
    x, y = i[0], i[1]
    dims = [x.shape.as_list(), y.shape.as_list()] if x.shape.ndims == y.shape.ndims == 1 else []
    size = max(d[0] for d in dims) if dims and all(d[0] is not None for d in dims) else None
    dt = x.dtype.base_dtype
    return make_op("BroadcastArgs", (x, y), {"T": dt}, n, dt, TensorShape([size]))


def _seeds(a: dict[str, Any]) -> tuple[int, int]:
    return int(a.get("seed", 0)), int(a.get("seed2", 0))


RANDGAMMA_BUILDERS: dict[str, Any] = {
    "Complex": lambda i, a, n: math_extra_ops.complex(i[0], i[1], name=n),
    "ComplexAbs": lambda i, a, n: unary_ops.abs(i[0], name=n),
    "Real": lambda i, a, n: math_extra_ops.real(i[0], name=n),
    "Imag": lambda i, a, n: math_extra_ops.imag(i[0], name=n),
    "MatrixDiagV3": lambda i, a, n: matrix_diag_v3_ops.matrix_diag_v3(
        i[0], i[1], i[2], i[3], i[4], align=a.get("align", "RIGHT_LEFT"), name=n
    ),
    "MatrixSolve": lambda i, a, n: matrix_extra_ops.matrix_solve(
        i[0], i[1], adjoint=a.get("adjoint", False), name=n
    ),
    "BroadcastArgs": _broadcast_args,
    "RandomGamma": lambda i, a, n: random_gamma_op(i[0], i[1], *_seeds(a), name=n),
    "RandomPoissonV2": lambda i, a, n: random_poisson_v2_op(
        i[0], i[1], *_seeds(a), dtype=a.get("dtype"), name=n
    ),
}
