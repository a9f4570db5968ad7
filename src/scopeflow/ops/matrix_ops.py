"""Basic linear algebra: ``matrix_inverse``, ``matrix_determinant``, ``trace``, ``norm``.

``trace`` and ``norm`` are TF's composites (``Trace`` is a ``Sum`` of the diagonal, ``norm`` is
``sqrt(reduce_sum(x * x))`` under a ``norm`` scope), so their gradients match TF's, including
NaN for the gradient of ``norm`` at 0.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from scopeflow._core.tensor_shape import TensorShape
from scopeflow.errors import InvalidArgumentError, UnsupportedError
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Tensor
from scopeflow.ops import math_ops, reduction_ops, unary_ops
from scopeflow.ops._math_common import (
    _check_allowed,
    _scope,
    allowed,
    dt_enum,
    name_scope,
    node_desc,
    shape_list,
)
from scopeflow.ops._op_builder import UNKNOWN, make_op


def _square_matrix(op_type: str, scope: str, x: Tensor, attrs: str) -> list[int | None] | None:
    if x._shape.ndims is None:
        return None
    desc = node_desc(scope, op_type, attrs, [x])
    if x._shape.ndims < 2:
        raise ValueError(
            f"Shape must be at least rank 2 but is rank {x._shape.ndims} for {desc} with input "
            f"shapes: {shape_list(x)}."
        )
    dims = x._shape.as_list()
    if dims[-1] is not None and dims[-2] is not None and dims[-1] != dims[-2]:
        raise ValueError(
            f"Dimensions must be equal, but are {dims[-2]} and {dims[-1]} for {desc} with input "
            f"shapes: {shape_list(x)}."
        )
    n = dims[-1] if dims[-1] is not None else dims[-2]
    return [*dims[:-2], n, n]


def matrix_inverse(input: Any, adjoint: bool = False, name: str | None = None) -> Tensor:
    """Inverse of the inner-most square matrices (``tf.matrix_inverse``, ``tf.linalg.inv``)."""
    scope = _scope(name, "MatrixInverse")
    x = convert_to_tensor(input, name=scope + "input/")
    _check_allowed(x, allowed("MatrixInverse"), "input")
    dt = x._dtype.base_dtype
    dims = _square_matrix("MatrixInverse", scope, x,
                          f"T={dt_enum(dt)}, adjoint={str(adjoint).lower()}")  # fmt: skip
    shape = UNKNOWN if dims is None else TensorShape(dims)
    return make_op("MatrixInverse", (x,), {"T": dt, "adjoint": adjoint}, scope, dt, shape)


@register_kernel("MatrixInverse")
def _inverse_kernel(op: Any, session: Any) -> Any:
    adjoint = op._attrs["adjoint"]

    def kernel(x: torch.Tensor) -> torch.Tensor:
        inv, info = torch.linalg.inv_ex(x.mH if adjoint else x)
        if bool((info != 0).any()):
            raise InvalidArgumentError(None, None, "Input is not invertible.")
        return inv

    return kernel


def matrix_determinant(input: Any, name: str | None = None) -> Tensor:
    """Determinant of the inner-most square matrices (``tf.linalg.det``)."""
    scope = _scope(name, "MatrixDeterminant")
    x = convert_to_tensor(input, name=scope + "input/")
    _check_allowed(x, allowed("MatrixDeterminant"), "input")
    dt = x._dtype.base_dtype
    dims = _square_matrix("MatrixDeterminant", scope, x, f"T={dt_enum(dt)}")
    shape = UNKNOWN if dims is None else TensorShape(dims[:-2])
    return make_op("MatrixDeterminant", (x,), {"T": dt}, scope, dt, shape)


register_kernel("MatrixDeterminant")(lambda op, s: torch.linalg.det)


def trace(x: Any, name: str | None = None) -> Tensor:
    """Sum of the main diagonal of the inner-most matrices (``tf.trace``), op ``Sum`` ``Trace``."""
    from scopeflow.ops.linalg_ops import matrix_diag_part  # noqa: PLC0415

    scope = _scope(name, "Trace")
    with name_scope(scope):
        t = convert_to_tensor(x, name="x")
        return reduction_ops.reduce_sum(matrix_diag_part(t), [-1], name=scope)


def norm(tensor: Any, ord: Any = "euclidean", axis: Any = None, keepdims: Any = None,
         name: str | None = None, keep_dims: Any = None) -> Tensor:  # fmt: skip
    """Vector or Frobenius/1/inf matrix norm (``tf.norm``), TF's composite of ops.

    Differences from TensorFlow: the matrix 2-norm (``ord=2`` with two axes) is unsupported.
    """
    from scopeflow.ops.shape_ops import squeeze  # type: ignore[import-not-found]  # noqa: PLC0415

    if keep_dims is not None:
        if keepdims is not None:
            raise ValueError("Cannot specify both 'keep_dims' and 'keepdims'.")
        keepdims = keep_dims
    keepdims = bool(keepdims) if keepdims is not None else False
    is_matrix = isinstance(axis, (tuple, list)) and len(axis) == 2
    if is_matrix:
        axis = tuple(axis)
        if not all(isinstance(a, int) for a in axis) or axis[0] == axis[1]:
            raise ValueError(
                f"'axis' must be None, an integer, or a tuple of 2 unique integers, got {axis}"
            )
        supported: list[Any] = ["euclidean", "fro", 1, 2, np.inf]
        if ord not in supported:
            raise ValueError(f"'ord' must be a supported matrix norm in {supported}, got {ord}")
        if ord == 2:
            raise UnsupportedError("the matrix 2-norm (tf.norm with ord=2 and two axes)")
    else:
        if not (isinstance(axis, int) or axis is None):
            raise ValueError(
                f"'axis' must be None, an integer, or a tuple of 2 unique integers, got {axis}"
            )
        if (not np.isreal(ord) or ord <= 0) and ord not in ["euclidean", 1, 2, np.inf]:
            raise ValueError(f"'ord' must be a supported vector norm, got {ord}")
        if axis is not None:
            axis = (axis,)
    with name_scope(_scope(name, "norm")):
        t = convert_to_tensor(tensor)
        axes = None if axis is None else list(axis)
        if ord in ["fro", "euclidean", 2, 2.0]:
            result = unary_ops.sqrt(reduction_ops.reduce_sum(t * t, axes, keepdims=True))
        else:
            result = unary_ops.abs(t)
            if ord == 1:
                result = reduction_ops.reduce_sum(result, None if axis is None else axis[0],
                                                  keepdims=True)  # fmt: skip
                if is_matrix:
                    result = reduction_ops.reduce_max(result, axis[-1], keepdims=True)
            elif ord == np.inf:
                if is_matrix:
                    result = reduction_ops.reduce_sum(result, axis[1], keepdims=True)
                result = reduction_ops.reduce_max(result, None if axis is None else axis[0],
                                                  keepdims=True)  # fmt: skip
            else:
                result = math_ops.pow(
                    reduction_ops.reduce_sum(math_ops.pow(result, ord), axes, keepdims=True),
                    1.0 / ord,
                )
        if not keepdims:
            result = squeeze(result, axes)
        return result


__all__ = ["matrix_determinant", "matrix_inverse", "norm", "trace"]
