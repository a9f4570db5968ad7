"""TF 1.15's remaining linear algebra functions.

Triangular and least-squares solves, square roots, log-determinants, pseudo-inverses,
``cross``, ``matvec``, ``lu`` and ``matrix_rank``.

Single ops with TF's names: ``Cross``, ``MatrixTriangularSolve``, ``MatrixSquareRoot``,
``LogMatrixDeterminant``, ``Lu``, ``MatrixSolveLs`` (``fast=False``). TF's composites:
``cholesky_solve`` (two triangular solves), ``matrix_solve_ls`` with ``fast=True`` (Cholesky
of the regularized Gramian), ``logdet``, ``pinv`` (SVD), ``matrix_rank``, ``normalize``,
``matvec`` and ``adjoint``. Kernels are ``torch.linalg``, so gradients come from autograd.

Differences from TensorFlow: ``MatrixSquareRoot`` is computed from the eigendecomposition
(TF: real Schur form); the two agree for diagonalizable matrices with no negative real
eigenvalues, which is when the principal square root is real. ``matrix_solve_ls(fast=True)``
needs static matrix dimensions (TF decides the branch at run time otherwise).

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.errors import InvalidArgumentError, UnsupportedError
from scopeflow.graph._torch_dtypes import torch_dtype
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.ops._math_common import _check_allowed, _scope, name_scope
from scopeflow.ops._op_builder import UNKNOWN, broadcast_static_shape, make_multi_op, make_op
from scopeflow.ops._shape_inference import node_error
from scopeflow.ops.gather_scatter_ops import where_v2
from scopeflow.ops.linalg_ops import eye, matrix_diag_part, matrix_transpose
from scopeflow.ops.math_ops import cast, greater, multiply
from scopeflow.ops.matmul_ops import matmul
from scopeflow.ops.matrix_extra_ops import cholesky, svd
from scopeflow.ops.matrix_ops import norm
from scopeflow.ops.reduction_ops import reduce_max, reduce_sum
from scopeflow.ops.shape_ops import expand_dims, squeeze, transpose
from scopeflow.ops.unary_ops import log

_SOLVE_TYPES = (dtypes.bfloat16, dtypes.float64, dtypes.float32, dtypes.float16,
                dtypes.complex64, dtypes.complex128)  # fmt: skip
_LINALG_TYPES = (dtypes.float64, dtypes.float32, dtypes.float16, dtypes.complex64,
                 dtypes.complex128)  # fmt: skip


def cross(a: Any, b: Any, name: str | None = None) -> Tensor:
    """Pairwise cross products of 3-vectors in the last dimension (op ``Cross``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.cross([1.0, 0.0, 0.0], [0.0, 1.0, 0.0])))
    [0. 0. 1.]
    """
    scope = _scope(name, "Cross")
    x = convert_to_tensor(a, name=scope + "a/")
    y = convert_to_tensor(b, dtype=x._dtype.base_dtype, name=scope + "b/")
    attrs = {"T": x._dtype.base_dtype}
    try:
        shape = x._shape.merge_with(y._shape)
    except ValueError:
        raise node_error(
            f"Shapes must be equal rank, but are {x._shape.ndims} and {y._shape.ndims}"
            if x._shape.ndims != y._shape.ndims
            else "Dimensions must be equal", scope, "Cross", attrs, (x, y),
        ) from None  # fmt: skip
    if shape.ndims is not None:
        last = shape.as_list()[-1] if shape.ndims else None
        if shape.ndims == 0 or (last is not None and last != 3):
            raise node_error(f"Dimension must be 3 but is {last}", scope, "Cross", attrs, (x, y))
    return make_op("Cross", (x, y), attrs, scope, x._dtype.base_dtype, shape)


register_kernel("Cross")(lambda op, s: lambda a, b: torch.linalg.cross(a, b, dim=-1))


def matvec(a: Any, b: Any, transpose_a: bool = False, adjoint_a: bool = False,
           a_is_sparse: bool = False, b_is_sparse: bool = False,
           name: str | None = None) -> Tensor:  # fmt: skip
    """Matrix-vector products ``a @ b`` over the leading batch dims (``tf.linalg.matvec``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.linalg.matvec([[1.0, 2.0], [3.0, 4.0]], [1.0, 1.0])))
    [3. 7.]
    """
    scope = _scope(name, "MatVec")
    with name_scope(scope):
        out = matmul(a, expand_dims(b, -1), transpose_a=transpose_a, adjoint_a=adjoint_a,
                     a_is_sparse=a_is_sparse, b_is_sparse=b_is_sparse)  # fmt: skip
        return squeeze(out, axis=-1)


def adjoint(matrix: Any, name: str | None = None) -> Tensor:
    """The conjugate transpose of the inner-most matrices (``tf.linalg.adjoint``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.linalg.adjoint(tf.zeros([2, 3])).shape)
    (3, 2)
    """
    scope = _scope(name, "adjoint")
    with name_scope(scope):
        m = convert_to_tensor(matrix, name="matrix")
        nd = m._shape.ndims
        if nd is None:
            return matrix_transpose(m, conjugate=True)
        if nd < 2:
            raise ValueError(
                f"Argument `a` should be a (batch) matrix with rank >= 2.  Received `a` = {m} "
                f"with shape: {m._shape}"
            )
        with name_scope(_scope(None, "matrix_transpose")):
            return transpose(m, [*range(nd - 2), nd - 1, nd - 2], conjugate=True)


# --- triangular solves ----------------------------------------------------------------------------


def _triangular(matrix: Tensor, rhs: Tensor, lower: bool, adj: bool, scope: str) -> Tensor:
    _check_allowed(matrix, _SOLVE_TYPES, "matrix")
    attrs = {"T": matrix._dtype.base_dtype, "adjoint": bool(adj), "lower": bool(lower)}
    ms, rs = matrix._shape, rhs._shape
    shape = UNKNOWN
    if ms.ndims is not None and rs.ndims is not None:
        md, rd = ms.as_list(), rs.as_list()
        for d, what in ((md, ms), (rd, rs)):
            if len(d) < 2:
                raise node_error(f"Shape must be at least rank 2 but is rank {len(d)}", scope,
                                 "MatrixTriangularSolve", attrs, (matrix, rhs))  # fmt: skip
            del what
        if md[-1] is not None and md[-2] is not None and md[-1] != md[-2]:
            raise node_error(f"Dimensions must be equal, but are {md[-2]} and {md[-1]}", scope,
                             "MatrixTriangularSolve", attrs, (matrix, rhs))  # fmt: skip
        if md[-1] is not None and rd[-2] is not None and md[-1] != rd[-2]:
            raise node_error(f"Dimensions must be equal, but are {md[-1]} and {rd[-2]}", scope,
                             "MatrixTriangularSolve", attrs, (matrix, rhs))  # fmt: skip
        batch = broadcast_static_shape(TensorShape(md[:-2]), TensorShape(rd[:-2]))
        shape = batch.concatenate([md[-1] if md[-1] is not None else rd[-2], rd[-1]])
    return make_op("MatrixTriangularSolve", (matrix, rhs), attrs, scope,
                   matrix._dtype.base_dtype, shape)  # fmt: skip


def matrix_triangular_solve(matrix: Any, rhs: Any, lower: bool = True, adjoint: bool = False,
                            name: str | None = None) -> Tensor:  # fmt: skip
    """Solves ``matrix @ x = rhs`` for a triangular ``matrix`` (op ``MatrixTriangularSolve``).

    Only the ``lower`` (or upper) triangle of ``matrix`` is read; ``adjoint`` solves with its
    conjugate transpose. The op is named ``triangular_solve/MatrixTriangularSolve``.

    >>> import scopeflow.compat.v1 as tf
    >>> x = tf.matrix_triangular_solve([[2.0, 0.0], [1.0, 1.0]], [[2.0], [2.0]])
    >>> print(tf.Session().run(x))
    [[1.]
     [1.]]
    """
    scope = _scope(name, "triangular_solve")
    with name_scope(scope):
        m = convert_to_tensor(matrix, name="matrix")
        r = convert_to_tensor(rhs, dtype=m._dtype.base_dtype, name="rhs")
        return _triangular(m, r, lower, adjoint, _scope(None, "MatrixTriangularSolve"))


@register_kernel("MatrixTriangularSolve")
def _triangular_kernel(op: Operation, session: Any) -> Any:
    lower, adj = op._attrs["lower"], op._attrs["adjoint"]

    def kernel(m: torch.Tensor, r: torch.Tensor) -> torch.Tensor:
        tri = torch.tril(m) if lower else torch.triu(m)
        if adj:
            return torch.linalg.solve_triangular(tri.mH, r, upper=lower)
        return torch.linalg.solve_triangular(tri, r, upper=not lower)

    return kernel


def cholesky_solve(chol: Any, rhs: Any, name: str | None = None) -> Tensor:
    """Solves ``A x = rhs`` given the Cholesky factor ``chol`` of ``A`` (two triangular solves).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.linalg.cholesky_solve([[2.0, 0.0], [0.0, 1.0]], [[4.0], [1.0]])))
    [[1.]
     [1.]]
    """
    scope = _scope(name, "cholesky_solve")
    with name_scope(scope):
        c = convert_to_tensor(chol, name="chol")
        r = convert_to_tensor(rhs, dtype=c._dtype.base_dtype, name="rhs")
        y = _triangular(c, r, True, False, _scope(None, "MatrixTriangularSolve"))
        return _triangular(c, y, True, True, _scope(None, "MatrixTriangularSolve"))


# --- least squares --------------------------------------------------------------------------------


def matrix_solve_ls(matrix: Any, rhs: Any, l2_regularizer: Any = 0.0, fast: bool = True,
                    name: str | None = None) -> Tensor:  # fmt: skip
    """Least-squares solutions of ``matrix @ x = rhs`` (``tf.linalg.lstsq``).

    ``fast=True`` is TF's Cholesky solve of the (regularized) normal equations, ``fast=False``
    the op ``MatrixSolveLs`` (here an orthogonal least-squares solve).

    >>> import scopeflow.compat.v1 as tf
    >>> x = tf.matrix_solve_ls([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]], [[1.0], [2.0], [2.0]])
    >>> print(tf.Session().run(x).astype("float64").round(3).tolist())
    [[1.167], [0.5]]
    """
    scope = _scope(name, "matrix_solve_ls")
    with name_scope(scope):
        m = convert_to_tensor(matrix, name="matrix")
        r = convert_to_tensor(rhs, dtype=m._dtype.base_dtype, name="rhs")
        l2 = convert_to_tensor(l2_regularizer, dtype=dtypes.float64, name="l2_regularizer")
        if not fast:
            attrs = {"T": m._dtype.base_dtype, "fast": False}
            shape = UNKNOWN
            if m._shape.ndims is not None and r._shape.ndims is not None:
                shape = m._shape[:-2].concatenate([m._shape.as_list()[-1], r._shape.as_list()[-1]])
            return make_op("MatrixSolveLs", (m, r, l2), attrs, _scope(None, "MatrixSolveLs"),
                           m._dtype.base_dtype, shape)  # fmt: skip
        if m._shape.ndims is None or None in m._shape.as_list()[-2:]:
            raise UnsupportedError("matrix_solve_ls(fast=True) of a matrix with unknown dimensions")
        rows, cols = m._shape.as_list()[-2:]
        reg = cast(l2, m._dtype.base_dtype)
        if rows >= cols:  # type: ignore[operator]
            gram = matmul(m, m, adjoint_a=True)
            gram = gram + multiply(reg, eye(cols, dtype=m._dtype.base_dtype))
            chol = cholesky(gram)
            return cholesky_solve(chol, matmul(m, r, adjoint_a=True))
        gram = matmul(m, m, adjoint_b=True)
        gram = gram + multiply(reg, eye(rows, dtype=m._dtype.base_dtype))
        chol = cholesky(gram)
        return matmul(m, cholesky_solve(chol, r), adjoint_a=True)


@register_kernel("MatrixSolveLs")
def _solve_ls_kernel(op: Operation, session: Any) -> Any:
    def kernel(m: torch.Tensor, r: torch.Tensor, l2: torch.Tensor) -> torch.Tensor:
        lam = float(l2)
        if lam:
            n = m.shape[-1]
            scale = torch.eye(n, dtype=m.dtype) * lam**0.5
            m = torch.cat([m, scale.expand(*m.shape[:-2], n, n)], -2)
            r = torch.cat([r, torch.zeros(*r.shape[:-2], n, r.shape[-1], dtype=r.dtype)], -2)
        return torch.linalg.lstsq(m, r).solution

    return kernel


# --- square roots, determinants, LU ---------------------------------------------------------------


def _square_input(op_type: str, x: Any, scope: str) -> Tensor:
    t = convert_to_tensor(x, name=scope + "input/")
    _check_allowed(t, _LINALG_TYPES, "input")
    s = t._shape
    if s.ndims is not None:
        if s.ndims < 2:
            raise node_error(f"Shape must be at least rank 2 but is rank {s.ndims}", scope,
                             op_type, {"T": t._dtype.base_dtype}, (t,))  # fmt: skip
        a, b = s.as_list()[-2:]
        if a is not None and b is not None and a != b:
            raise node_error(f"Dimensions must be equal, but are {a} and {b}", scope, op_type,
                             {"T": t._dtype.base_dtype}, (t,))  # fmt: skip
    return t


def matrix_square_root(input: Any, name: str | None = None) -> Tensor:
    """The principal square roots of the inner-most matrices (op ``MatrixSquareRoot``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.linalg.sqrtm([[4.0, 0.0], [0.0, 9.0]])))
    [[2. 0.]
     [0. 3.]]
    """
    scope = _scope(name, "MatrixSquareRoot")
    t = _square_input("MatrixSquareRoot", input, scope)
    return make_op("MatrixSquareRoot", (t,), {"T": t._dtype.base_dtype}, scope,
                   t._dtype.base_dtype, t._shape)  # fmt: skip


@register_kernel("MatrixSquareRoot")
def _sqrtm_kernel(op: Operation, session: Any) -> Any:
    def kernel(x: torch.Tensor) -> torch.Tensor:
        if x.shape[-1] == 0:
            return x.clone()
        if not x.is_complex() and bool(torch.equal(x, x.mT)):
            w, v = torch.linalg.eigh(x)
            return (v * w.clamp(min=0).sqrt().unsqueeze(-2)) @ v.mT
        w, v = torch.linalg.eig(x)
        out = (v * w.sqrt().unsqueeze(-2)) @ torch.linalg.inv(v)
        return out if x.is_complex() else out.real

    return kernel


def logdet(matrix: Any, name: str | None = None) -> Tensor:
    """``log(det(matrix))`` of Hermitian positive-definite matrices via Cholesky (TF's composite).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.linalg.logdet([[1.0, 0.0], [0.0, 1.0]])))
    0.0
    """
    scope = _scope(name, "logdet")
    with name_scope(scope):
        m = convert_to_tensor(matrix, name="matrix")
        chol = cholesky(m)
        return 2.0 * reduce_sum(log(matrix_diag_part(chol)), axis=[-1])


def slogdet(input: Any, name: str | None = None) -> tuple[Tensor, Tensor]:
    """The sign and log of the absolute determinant (op ``LogMatrixDeterminant``).

    >>> import scopeflow.compat.v1 as tf
    >>> sign, lad = tf.linalg.slogdet([[1.0, 2.0], [3.0, 4.0]])
    >>> print(tf.Session().run(sign), tf.Session().run(lad).round(4))
    -1.0 0.6931
    """
    scope = _scope(name, "LogMatrixDeterminant")
    t = _square_input("LogMatrixDeterminant", input, scope)
    dt = t._dtype.base_dtype
    shape = TensorShape(t._shape.as_list()[:-2]) if t._shape.ndims is not None else UNKNOWN
    op = make_multi_op("LogMatrixDeterminant", (t,), {"T": dt}, scope, [dt, dt], [shape, shape])
    return op._outputs[0], op._outputs[1]


@register_kernel("LogMatrixDeterminant")
def _slogdet_kernel(op: Operation, session: Any) -> Any:
    def kernel(x: torch.Tensor) -> Any:
        sign, lad = torch.linalg.slogdet(x)
        return sign.to(x.dtype), lad.to(x.dtype)

    return kernel


def lu(input: Any, output_idx_type: Any = dtypes.int32, name: str | None = None) -> Any:
    """The LU decomposition with partial pivoting: packed ``lu`` and permutation ``p`` (``Lu``).

    >>> import scopeflow.compat.v1 as tf
    >>> lu, p = tf.linalg.lu([[1.0, 2.0], [3.0, 4.0]])
    >>> print(tf.Session().run(p))
    [1 0]
    """
    scope = _scope(name, "Lu")
    t = _square_input("Lu", input, scope)
    dt = t._dtype.base_dtype
    idt = dtypes.as_dtype(output_idx_type).base_dtype
    pshape = TensorShape(t._shape.as_list()[:-1]) if t._shape.ndims is not None else UNKNOWN
    op = make_multi_op("Lu", (t,), {"T": dt, "output_idx_type": idt}, scope, [dt, idt],
                       [t._shape, pshape])  # fmt: skip
    return op._outputs[0], op._outputs[1]


@register_kernel("Lu")
def _lu_kernel(op: Operation, session: Any) -> Any:
    idt = torch_dtype(op._attrs["output_idx_type"])

    def kernel(x: torch.Tensor) -> Any:
        p, lo, up = torch.linalg.lu(x)
        packed = lo - torch.eye(x.shape[-1], dtype=x.dtype) + up
        if bool(torch.isnan(packed).any()) or bool((up.diagonal(dim1=-2, dim2=-1) == 0).any()):
            raise InvalidArgumentError(None, op, "Input is not invertible.")
        return packed, p.argmax(dim=-2).to(idt)

    return kernel


# --- SVD-based composites -------------------------------------------------------------------------


def pinv(a: Any, rcond: Any = None, validate_args: bool = False, name: str | None = None) -> Tensor:
    """The Moore-Penrose pseudo-inverse from the SVD (TF's composite ``pinv``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.linalg.pinv([[2.0, 0.0], [0.0, 4.0]])))
    [[0.5  0.  ]
     [0.   0.25]]
    """
    del validate_args
    scope = _scope(name, "pinv")
    with name_scope(scope):
        m = convert_to_tensor(a, name="a")
        dt = m._dtype.base_dtype
        if rcond is None:
            dims = m._shape.as_list()[-2:] if m._shape.ndims is not None else [None, None]
            if None in dims:
                raise UnsupportedError("pinv(rcond=None) of a matrix with unknown dimensions")
            rcond = 10.0 * max(int(d or 0) for d in dims) * np.finfo(dt.as_numpy_dtype).eps
        rc = convert_to_tensor(rcond, dtype=dt, name="rcond")
        s, u, v = svd(m, full_matrices=False, compute_uv=True)
        cutoff = multiply(rc, reduce_max(s, axis=-1))
        s = where_v2(greater(s, expand_dims(cutoff, -1)), s, np.array(np.inf, dt.as_numpy_dtype))
        out = matmul(v / expand_dims(s, -2), u, adjoint_b=True)
        if m._shape.is_fully_defined():
            dims = m._shape.as_list()
            out._shape = TensorShape([*dims[:-2], dims[-1], dims[-2]])
        return out


def matrix_rank(a: Any, tol: Any = None, validate_args: bool = False,
                name: str | None = None) -> Tensor:  # fmt: skip
    """The number of singular values above ``tol`` (TF's composite ``matrix_rank``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.linalg.matrix_rank([[1.0, 2.0], [2.0, 4.0]])))
    1
    """
    del validate_args
    scope = _scope(name, "matrix_rank")
    with name_scope(scope):
        m = convert_to_tensor(a, name="a")
        dt = m._dtype.base_dtype
        s = svd(m, compute_uv=False)
        if tol is None:
            dims = m._shape.as_list()[-2:] if m._shape.ndims is not None else [None, None]
            if None in dims:
                raise UnsupportedError("matrix_rank(tol=None) of a matrix with unknown dimensions")
            eps = float(np.finfo(dt.as_numpy_dtype).eps) * max(int(d or 0) for d in dims)
            tol_t = multiply(eps, reduce_max(s, axis=-1, keepdims=True))
        else:
            tol_t = convert_to_tensor(tol, dtype=dt, name="tol")
        return reduce_sum(cast(greater(s, tol_t), dtypes.int32), axis=-1)


def normalize(tensor: Any, ord: Any = "euclidean", axis: Any = None,
              name: str | None = None) -> tuple[Tensor, Tensor]:  # fmt: skip
    """``tensor / norm(tensor)`` and the norm (kept dims), as ``tf.linalg.normalize``.

    >>> import scopeflow.compat.v1 as tf
    >>> n, nn = tf.linalg.normalize([3.0, 4.0])
    >>> print(tf.Session().run(n), tf.Session().run(nn))
    [0.6 0.8] [5.]
    """
    scope = _scope(name, "normalize")
    with name_scope(scope):
        t = convert_to_tensor(tensor)
        nrm = cast(norm(t, ord, axis, keepdims=True), t._dtype.base_dtype)
        return t / nrm, nrm


__all__ = [
    "adjoint",
    "cholesky_solve",
    "cross",
    "logdet",
    "lu",
    "matrix_rank",
    "matrix_solve_ls",
    "matrix_square_root",
    "matrix_triangular_solve",
    "matvec",
    "normalize",
    "pinv",
    "slogdet",
]
