"""Diagonals, bands and decompositions (``diag``, ``matrix_band_part``, ``svd``, ``cholesky``...).

``diag``, ``diag_part``, ``matrix_diag``, ``matrix_set_diag``, ``matrix_band_part``, ``svd``,
``cholesky``, ``matrix_solve``, ``self_adjoint_eig``/``self_adjoint_eigvals``.

All kernels are differentiable torch functions (``torch.linalg`` for the decompositions).

Differences from TensorFlow: ``matrix_diag``/``matrix_set_diag`` build TF 1.x's ``MatrixDiag``/
``MatrixSetDiag`` ops (TF 2 builds the ``V3`` ops) and support only the main diagonal (``k=0``).
Singular and eigenvectors are unique only up to sign; torch's LAPACK calls may choose other signs
than TF's Eigen kernels. ``depth_to_space``/``space_to_depth`` support ``data_format="NHWC"``.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

import math
from typing import Any

import torch

from scopeflow._core.tensor_shape import TensorShape
from scopeflow.errors import InvalidArgumentError, UnsupportedError
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Tensor
from scopeflow.ops._math_common import _scope, dt_enum, node_desc, shape_list
from scopeflow.ops._op_builder import UNKNOWN, make_multi_op, make_op
from scopeflow.ops.matrix_ops import _square_matrix


def _input(x: Any, scope: str, arg: str = "input") -> Tensor:
    return convert_to_tensor(x, name=scope + arg + "/")


# --- diagonals ----------------------------------------------------------------------------------


def diag(diagonal: Any, name: str | None = None) -> Tensor:
    """A tensor of rank ``2k`` with ``diagonal`` (rank ``k``) on its diagonal (``tf.diag``)."""
    scope = _scope(name, "Diag")
    d = _input(diagonal, scope, "diagonal")
    out = UNKNOWN if d._shape.dims is None else d._shape.concatenate(d._shape)
    dt = d._dtype.base_dtype
    return make_op("Diag", (d,), {"T": dt}, scope, dt, out)


@register_kernel("Diag")
def _diag_kernel(op: Any, session: Any) -> Any:
    def kernel(d: torch.Tensor) -> torch.Tensor:
        return torch.diag(d.reshape(-1)).reshape(*d.shape, *d.shape)

    return kernel


def diag_part(input: Any, name: str | None = None) -> Tensor:
    """The diagonal of a rank-``2k`` tensor of shape ``s + s`` (``tf.diag_part``)."""
    scope = _scope(name, "DiagPart")
    x = _input(input, scope)
    dt = x._shape
    out = UNKNOWN
    if dt.dims is not None:
        dims = dt.as_list()
        if len(dims) % 2:
            raise ValueError(
                f"Input must have even rank <= 6, input rank is {len(dims)} for "
                f"{node_desc(scope, 'DiagPart', f'T={dt_enum(x._dtype.base_dtype)}', [x])} with "
                f"input shapes: {shape_list(x)}."
            )
        k = len(dims) // 2
        res = []
        for a, b in zip(dims[:k], dims[k:], strict=True):
            if a is not None and b is not None and a != b:
                desc = node_desc(scope, "DiagPart", f"T={dt_enum(x._dtype.base_dtype)}", [x])
                raise ValueError(
                    f"Dimensions must be equal, but are {a} and {b} for {desc} with input "
                    f"shapes: {shape_list(x)}."
                )
            res.append(a if a is not None else b)
        out = TensorShape(res)
    base = x._dtype.base_dtype
    return make_op("DiagPart", (x,), {"T": base}, scope, base, out)


@register_kernel("DiagPart")
def _diag_part_kernel(op: Any, session: Any) -> Any:
    def kernel(x: torch.Tensor) -> torch.Tensor:
        s = x.shape[: x.dim() // 2]
        n = math.prod(s)
        return torch.diagonal(x.reshape(n, n)).reshape(s)

    return kernel


def matrix_diag(diagonal: Any, name: str = "diag", k: int = 0, num_rows: int = -1,
                num_cols: int = -1, padding_value: int = 0, align: str = "RIGHT_LEFT"
                ) -> Tensor:  # fmt: skip
    """Batched diagonal matrices from ``diagonal[..., n]`` (``tf.linalg.diag``, main only)."""
    if k != 0 or num_rows != -1 or num_cols != -1 or padding_value != 0:
        raise UnsupportedError("matrix_diag with k, num_rows, num_cols or padding_value")
    scope = _scope(name, "diag")
    d = _input(diagonal, scope, "diagonal")
    out = UNKNOWN
    if d._shape.dims is not None:
        dims = d._shape.as_list()
        out = TensorShape([*dims, dims[-1]])
    base = d._dtype.base_dtype
    return make_op("MatrixDiag", (d,), {"T": base}, scope, base, out)


register_kernel("MatrixDiag")(lambda op, s: torch.diag_embed)


def matrix_set_diag(input: Any, diagonal: Any, name: str = "set_diag", k: int = 0,
                    align: str = "RIGHT_LEFT") -> Tensor:  # fmt: skip
    """``input`` with its main diagonal replaced by ``diagonal`` (``tf.linalg.set_diag``)."""
    if k != 0:
        raise UnsupportedError("matrix_set_diag with k != 0")
    scope = _scope(name, "set_diag")
    x = _input(input, scope)
    d = convert_to_tensor(diagonal, dtype=x._dtype.base_dtype, name=scope + "diagonal/")
    if x._shape.dims is not None and d._shape.dims is not None:
        *batch, m, n = x._shape.as_list()
        want = [*batch, None if m is None or n is None else min(m, n)]
        got = d._shape.as_list()
        if len(got) != len(want) or any(
            a is not None and b is not None and a != b for a, b in zip(got, want, strict=True)
        ):
            raise ValueError(
                f"Shapes {TensorShape(got)} and {TensorShape(want)} are incompatible (diagonal "
                "must have the input's batch shape and min(rows, cols) elements)."
            )
    base = x._dtype.base_dtype
    return make_op("MatrixSetDiag", (x, d), {"T": base}, scope, base, x._shape)


register_kernel("MatrixSetDiag")(
    lambda op, s: lambda x, d: torch.diagonal_scatter(x, d, dim1=-2, dim2=-1)
)


def matrix_band_part(input: Any, num_lower: Any, num_upper: Any, name: str | None = None
                     ) -> Tensor:  # fmt: skip
    """``input`` with entries outside the band zeroed (negative = keep all) (``band_part``)."""
    scope = _scope(name, "MatrixBandPart")
    x = _input(input, scope)
    lo = convert_to_tensor(num_lower, name=scope + "num_lower/")
    hi = convert_to_tensor(num_upper, name=scope + "num_upper/")
    base = x._dtype.base_dtype
    return make_op("MatrixBandPart", (x, lo, hi), {"T": base, "Tindex": lo._dtype.base_dtype},
                   scope, base, x._shape)  # fmt: skip


@register_kernel("MatrixBandPart")
def _band_kernel(op: Any, session: Any) -> Any:
    def kernel(x: torch.Tensor, lo: torch.Tensor, hi: torch.Tensor) -> torch.Tensor:
        m, n = x.shape[-2], x.shape[-1]
        lo_i, hi_i = int(lo), int(hi)
        if lo_i > m:
            raise InvalidArgumentError(None, None, f"num_lower must be negative or less or equal "
                                       f"to number of rows ({m}) got: {lo_i}")  # fmt: skip
        if hi_i > n:
            raise InvalidArgumentError(None, None, f"num_upper must be negative or less or equal "
                                       f"to number of columns ({n}) got: {hi_i}")  # fmt: skip
        i = torch.arange(m).unsqueeze(1)
        j = torch.arange(n).unsqueeze(0)
        keep = torch.ones(m, n, dtype=torch.bool)
        if lo_i >= 0:
            keep &= (i - j) <= lo_i
        if hi_i >= 0:
            keep &= (j - i) <= hi_i
        return torch.where(keep, x, torch.zeros((), dtype=x.dtype))

    return kernel


# --- decompositions -----------------------------------------------------------------------------


def svd(tensor: Any, full_matrices: bool = False, compute_uv: bool = True,
        name: str | None = None) -> Any:  # fmt: skip
    """Singular values ``s`` (descending) and, with ``compute_uv``, ``u`` and ``v`` (``tf.svd``).

    ``a = u @ diag(s) @ v^H``; returns ``(s, u, v)``, or ``s`` alone without ``compute_uv``.
    """
    scope = _scope(name, "Svd")
    x = _input(tensor, scope)
    base = x._dtype.base_dtype
    s_shape = u_shape = v_shape = UNKNOWN
    if x._shape.dims is not None:
        *batch, m, n = x._shape.as_list()
        p = None if m is None or n is None else min(m, n)
        s_shape = TensorShape([*batch, p])
        if compute_uv:
            u_shape = TensorShape([*batch, m, m if full_matrices else p])
            v_shape = TensorShape([*batch, n, n if full_matrices else p])
        else:
            u_shape = v_shape = TensorShape([0])
    op = make_multi_op("Svd", (x,), {"T": base, "compute_uv": bool(compute_uv),
                       "full_matrices": bool(full_matrices)}, scope, (base,) * 3,
                       (s_shape, u_shape, v_shape))  # fmt: skip
    s, u, v = op._outputs
    return (s, u, v) if compute_uv else s


@register_kernel("Svd")
def _svd_kernel(op: Any, session: Any) -> Any:
    full = op._attrs["full_matrices"]
    uv = op._attrs["compute_uv"]

    def kernel(x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        if not uv:
            empty = torch.zeros(0, dtype=x.dtype)
            return torch.linalg.svdvals(x), empty, empty
        u, s, vh = torch.linalg.svd(x, full_matrices=full)
        return s, u, vh.mH

    return kernel


def cholesky(input: Any, name: str | None = None) -> Tensor:
    """Lower-triangular Cholesky factors of the inner-most matrices (``tf.cholesky``)."""
    scope = _scope(name, "Cholesky")
    x = _input(input, scope)
    base = x._dtype.base_dtype
    dims = _square_matrix("Cholesky", scope, x, f"T={dt_enum(base)}")
    return make_op("Cholesky", (x,), {"T": base}, scope, base,
                   UNKNOWN if dims is None else TensorShape(dims))  # fmt: skip


@register_kernel("Cholesky")
def _cholesky_kernel(op: Any, session: Any) -> Any:
    def kernel(x: torch.Tensor) -> torch.Tensor:
        out, info = torch.linalg.cholesky_ex(x)
        failed = info != 0
        if bool(failed.any()):
            # TF's CPU kernel does not raise: a failed factorization is NaN on and below the
            # diagonal (its upper triangle is left unset; here it is 0).
            nan = torch.full_like(out, float("nan")).tril()
            out = torch.where(failed[..., None, None], nan, out)
        return out

    return kernel


def matrix_solve(matrix: Any, rhs: Any, adjoint: bool = False, name: str | None = None) -> Tensor:
    """``X`` with ``matrix @ X = rhs`` (``tf.matrix_solve``/``tf.linalg.solve``)."""
    scope = _scope(name, "MatrixSolve")
    a = _input(matrix, scope, "matrix")
    b = convert_to_tensor(rhs, dtype=a._dtype.base_dtype, name=scope + "rhs/")
    base = a._dtype.base_dtype
    attrs = f"T={dt_enum(base)}, adjoint={str(bool(adjoint)).lower()}"
    dims = _square_matrix("MatrixSolve", scope, a, attrs)
    out = UNKNOWN
    if b._shape.dims is not None:
        bd = b._shape.as_list()
        if len(bd) < 2:
            raise ValueError(
                f"Shape must be at least rank 2 but is rank {len(bd)} for "
                f"{node_desc(scope, 'MatrixSolve', attrs, [a, b])} with input shapes: "
                f"{shape_list(a)}, {shape_list(b)}."
            )
        if dims is not None:
            m, r = dims[-1], bd[-2]
            if m is not None and r is not None and m != r:
                raise ValueError(
                    f"Dimensions must be equal, but are {m} and {r} for "
                    f"{node_desc(scope, 'MatrixSolve', attrs, [a, b])} with input shapes: "
                    f"{shape_list(a)}, {shape_list(b)}."
                )
            out = TensorShape([*dims[:-2], m if m is not None else r, bd[-1]])
    return make_op("MatrixSolve", (a, b), {"T": base, "adjoint": bool(adjoint)}, scope, base, out)


@register_kernel("MatrixSolve")
def _solve_kernel(op: Any, session: Any) -> Any:
    adjoint = op._attrs["adjoint"]

    def kernel(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        lhs = a.mH if adjoint else a
        out, info = torch.linalg.solve_ex(lhs, b)
        if bool((info != 0).any()):
            raise InvalidArgumentError(None, None, "Input matrix is not invertible.")
        return out

    return kernel


def self_adjoint_eig(tensor: Any, name: str | None = None) -> tuple[Tensor, Tensor]:
    """Ascending eigenvalues and eigenvectors of self-adjoint matrices (``SelfAdjointEigV2``)."""
    return _eig(tensor, True, name)  # type: ignore[return-value]


def self_adjoint_eigvals(tensor: Any, name: str | None = None) -> Tensor:
    """Ascending eigenvalues of self-adjoint matrices (``tf.self_adjoint_eigvals``)."""
    return _eig(tensor, False, name)  # type: ignore[return-value]


def _eig(tensor: Any, compute_v: bool, name: str | None) -> Any:
    scope = _scope(name, "SelfAdjointEigV2")
    x = _input(tensor, scope)
    base = x._dtype.base_dtype
    attrs = f"T={dt_enum(base)}, compute_v={str(compute_v).lower()}"
    dims = _square_matrix("SelfAdjointEigV2", scope, x, attrs)
    e_shape = v_shape = UNKNOWN
    if dims is not None:
        e_shape = TensorShape(dims[:-1])
        v_shape = TensorShape(dims) if compute_v else TensorShape([0])
    op = make_multi_op("SelfAdjointEigV2", (x,), {"T": base, "compute_v": compute_v}, scope,
                       (base, base), (e_shape, v_shape))  # fmt: skip
    return (op._outputs[0], op._outputs[1]) if compute_v else op._outputs[0]


@register_kernel("SelfAdjointEigV2")
def _eig_kernel(op: Any, session: Any) -> Any:
    if not op._attrs["compute_v"]:
        return lambda x: (torch.linalg.eigvalsh(x), torch.zeros(0, dtype=x.dtype))
    return lambda x: tuple(torch.linalg.eigh(x))


__all__ = [
    "cholesky",
    "diag",
    "diag_part",
    "matrix_band_part",
    "matrix_diag",
    "matrix_set_diag",
    "matrix_solve",
    "self_adjoint_eig",
    "self_adjoint_eigvals",
    "svd",
]
