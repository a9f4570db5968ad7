"""``tf.linalg.LinearOperator`` and the full-matrix, diagonal and (scaled) identity operators.

As TF 1.15's ``tensorflow/python/ops/linalg``: an operator opens its ``name`` scope at
construction and each method runs under ``<name>/<method>`` (``matmul``, ``matvec``, ``solve``,
``solvevec``, ``det``, ``log_abs_det``, ``trace``, ``diag_part``, ``to_dense``,
``shape_tensor``, ``add_to_tensor``); the base class computes through ``to_dense`` (``MatMul``,
``MatrixSolve``, ``MatrixDeterminant``, ``LogMatrixDeterminant``), and the diagonal and identity
operators use TF's shortcuts (``diag * x``, ``x * (1 / diag)``, ``prod(diag)``,
``sum(log|diag|)``, ``multiplier ** n``, ...). Static ``shape``, ``batch_shape``,
``domain_dimension``, ``range_dimension``, ``tensor_rank`` and the ``is_*`` hints are TF's.

Differences from TensorFlow: ``adjoint()``, ``inverse()``, ``cholesky()``, ``eigvals()``,
``cond()``, ``assert_*`` and the other operators of the family raise ``UnsupportedError``;
``LinearOperatorIdentity``'s ``assert_proper_shapes`` is not checked.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.errors import UnsupportedError
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.tensor import Tensor
from scopeflow.ops.array_ops import concat, ones, shape, zeros
from scopeflow.ops.linalg_extra_ops import slogdet
from scopeflow.ops.linalg_ops import eye, matrix_diag_part
from scopeflow.ops.math_extra_ops import conj
from scopeflow.ops.matmul_ops import matmul
from scopeflow.ops.matrix_extra_ops import matrix_diag, matrix_solve
from scopeflow.ops.matrix_ops import matrix_determinant
from scopeflow.ops.reduction_ops import reduce_prod, reduce_sum
from scopeflow.ops.shape_ops import expand_dims, squeeze
from scopeflow.ops.unary_ops import abs as abs_op
from scopeflow.ops.unary_ops import log


class LinearOperator:
    """Base class of TF's linear operators: ``[B1, ..., Bb, M, N]`` matrices given implicitly."""

    def __init__(self, dtype: Any, graph_parents: Any = None, is_non_singular: Any = None,
                 is_self_adjoint: Any = None, is_positive_definite: Any = None,
                 is_square: Any = None, name: str | None = None) -> None:  # fmt: skip
        if is_positive_definite and not is_non_singular and is_non_singular is not None:
            raise ValueError("A positive definite matrix is always non-singular.")
        if is_positive_definite:
            is_non_singular = True
        if is_non_singular and is_square is False:
            raise ValueError("A non-singular matrix is always square.")
        if is_non_singular:
            is_square = True
        if is_self_adjoint and is_square is False:
            raise ValueError("A self-adjoint matrix is always square.")
        if is_self_adjoint:
            is_square = True
        self._dtype = dtype
        self._is_non_singular = is_non_singular
        self._is_self_adjoint = is_self_adjoint
        self._is_positive_definite = is_positive_definite
        self._is_square_set = is_square
        self._name = name or type(self).__name__

    # --- properties ------------------------------------------------------------------------

    @property
    def name(self) -> str:
        """The name scope of the operator's ops."""
        return self._name

    @property
    def dtype(self) -> Any:
        """The dtype of the matrix."""
        return self._dtype

    @property
    def is_non_singular(self) -> Any:
        """The non-singularity hint."""
        return self._is_non_singular

    @property
    def is_self_adjoint(self) -> Any:
        """The self-adjointness hint."""
        return self._is_self_adjoint

    @property
    def is_positive_definite(self) -> Any:
        """The positive-definiteness hint."""
        return self._is_positive_definite

    @property
    def is_square(self) -> Any:
        """Whether the operator is square (from the hint or the static shape)."""
        auto = self.domain_dimension.value == self.range_dimension.value
        if self._is_square_set is not None and auto is False and self._is_square_set:
            raise ValueError("User set is_square hint to True, but the operator was not square.")
        if self._is_square_set is None and self.domain_dimension.value is not None:
            return auto
        return self._is_square_set

    @property
    def shape(self) -> TensorShape:
        """The static shape [B1, ..., Bb, M, N]."""
        return self._shape()

    @property
    def batch_shape(self) -> TensorShape:
        """The static batch shape [B1, ..., Bb]."""
        s = self.shape
        return s[:-2] if s.ndims is not None else TensorShape(None)

    @property
    def tensor_rank(self) -> int | None:
        """The static rank of the matrix (b + 2)."""
        return self.shape.ndims

    @property
    def domain_dimension(self) -> Any:
        """The static N."""
        s = self.shape
        return s[-1] if s.ndims is not None else TensorShape([None])[0]

    @property
    def range_dimension(self) -> Any:
        """The static M."""
        s = self.shape
        return s[-2] if s.ndims is not None else TensorShape([None])[0]

    def _shape(self) -> TensorShape:
        raise NotImplementedError

    def _scope(self, name: str) -> Any:
        return get_default_graph().name_scope(f"{self._name}/{name}")

    # --- methods -----------------------------------------------------------------------------

    def shape_tensor(self, name: str = "shape_tensor") -> Tensor:
        """The shape as an int32 tensor."""
        with self._scope(name):
            if self.shape.is_fully_defined():
                return convert_to_tensor(np.asarray(self.shape.as_list(), np.int32))
            return self._shape_tensor()

    def _shape_tensor(self) -> Tensor:
        return shape(self.to_dense())

    def batch_shape_tensor(self, name: str = "batch_shape_tensor") -> Tensor:
        """The batch shape as an int32 tensor."""
        with self._scope(name):
            return self.shape_tensor()[:-2]

    def to_dense(self, name: str = "to_dense") -> Tensor:
        """The operator as a dense ``[..., M, N]`` tensor."""
        with self._scope(name):
            return self._to_dense()

    def _to_dense(self) -> Tensor:
        raise NotImplementedError

    def matmul(self, x: Any, adjoint: bool = False, adjoint_arg: bool = False,
               name: str = "matmul") -> Tensor:  # fmt: skip
        """``A @ x`` (``adjoint``: ``A^H @ x``; ``adjoint_arg``: ``A @ x^H``)."""
        with self._scope(name):
            x = convert_to_tensor(x, name="x")
            return self._matmul(x, adjoint, adjoint_arg)

    def _matmul(self, x: Tensor, adjoint: bool, adjoint_arg: bool) -> Tensor:
        return matmul(self._to_dense(), x, adjoint_a=adjoint, adjoint_b=adjoint_arg)

    def matvec(self, x: Any, adjoint: bool = False, name: str = "matvec") -> Tensor:
        """``A @ x`` for vectors ``x`` (``[..., N]``)."""
        with self._scope(name):
            x = convert_to_tensor(x, name="x")
            return squeeze(self._matmul(expand_dims(x, -1), adjoint, False), axis=[-1])

    def solve(self, rhs: Any, adjoint: bool = False, adjoint_arg: bool = False,
              name: str = "solve") -> Tensor:  # fmt: skip
        """``X`` with ``A @ X = rhs``."""
        if self.is_non_singular is False:
            raise NotImplementedError(
                "Exact solve not implemented for an operator that is expected to be singular."
            )
        if self.is_square is False:
            raise NotImplementedError(
                "Exact solve not implemented for an operator that is expected to not be square."
            )
        with self._scope(name):
            rhs = convert_to_tensor(rhs, name="rhs")
            return self._solve(rhs, adjoint, adjoint_arg)

    def _solve(self, rhs: Tensor, adjoint: bool, adjoint_arg: bool) -> Tensor:
        if adjoint_arg:
            from scopeflow.ops.linalg_extra_ops import adjoint as adj  # noqa: PLC0415

            rhs = adj(rhs)
        matrix = self._to_dense()
        ms, rs = matrix.shape, rhs.shape
        if not (ms.ndims is not None and rs.ndims is not None and ms[:-2] == rs[:-2]
                and ms[:-2].is_fully_defined()):  # fmt: skip
            # TF's MatrixSolveWithBroadcast: broadcast the batch dimensions of both operands.
            sm, sr = shape(matrix), shape(rhs)
            rhs = rhs + zeros(concat([sm[:-2], sr[-2:]], 0), dtype=rhs.dtype)
            matrix = matrix + zeros(concat([sr[:-2], sm[-2:]], 0), dtype=matrix.dtype)
        return matrix_solve(matrix, rhs, adjoint=adjoint)

    def solvevec(self, rhs: Any, adjoint: bool = False, name: str = "solve") -> Tensor:
        """``x`` with ``A @ x = rhs`` for vectors."""
        with self._scope(name):
            rhs = convert_to_tensor(rhs, name="rhs")
            return squeeze(self._solve(expand_dims(rhs, -1), adjoint, False), axis=[-1])

    def determinant(self, name: str = "det") -> Tensor:
        """``det(A)`` per batch member."""
        if self.is_square is False:
            raise NotImplementedError("Determinant not implemented for an operator that is "
                                      "expected to not be square.")  # fmt: skip
        with self._scope(name):
            return self._determinant()

    def _determinant(self) -> Tensor:
        return matrix_determinant(self._to_dense())

    def log_abs_determinant(self, name: str = "log_abs_det") -> Tensor:
        """``log|det(A)|`` per batch member."""
        if self.is_square is False:
            raise NotImplementedError("Determinant not implemented for an operator that is "
                                      "expected to not be square.")  # fmt: skip
        with self._scope(name):
            return self._log_abs_determinant()

    def _log_abs_determinant(self) -> Tensor:
        return slogdet(self._to_dense())[1]

    def trace(self, name: str = "trace") -> Tensor:
        """The sum of the diagonal."""
        with self._scope(name):
            return self._trace()

    def _trace(self) -> Tensor:
        return reduce_sum(self._diag_part(), axis=-1)

    def diag_part(self, name: str = "diag_part") -> Tensor:
        """The main diagonal ``[..., min(M, N)]``."""
        with self._scope(name):
            return self._diag_part()

    def _diag_part(self) -> Tensor:
        return matrix_diag_part(self._to_dense())

    def add_to_tensor(self, x: Any, name: str = "add_to_tensor") -> Tensor:
        """``A + x`` as a dense tensor."""
        with self._scope(name):
            x = convert_to_tensor(x, name="x")
            return self._to_dense() + x

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("_"):
            raise AttributeError(attr)
        raise UnsupportedError(f"{type(self).__name__}.{attr}")


class LinearOperatorFullMatrix(LinearOperator):
    """A ``[..., M, N]`` matrix as a linear operator."""

    def __init__(self, matrix: Any, is_non_singular: Any = None, is_self_adjoint: Any = None,
                 is_positive_definite: Any = None, is_square: Any = None,
                 name: str = "LinearOperatorFullMatrix") -> None:  # fmt: skip
        with get_default_graph().name_scope(name):
            self._matrix = convert_to_tensor(matrix, name="matrix")
        allowed = (dtypes.float16, dtypes.float32, dtypes.float64, dtypes.complex64,
                   dtypes.complex128)  # fmt: skip
        if self._matrix.dtype.base_dtype not in allowed:
            raise TypeError(
                f"Argument matrix must have dtype in {[d.name for d in allowed]}.  Found: "
                f"{self._matrix.dtype}"
            )
        if self._matrix.shape.ndims is not None and self._matrix.shape.ndims < 2:
            raise ValueError(
                f"Argument matrix must have at least 2 dimensions.  Found: {self._matrix}"
            )
        super().__init__(self._matrix.dtype, [self._matrix], is_non_singular, is_self_adjoint,
                         is_positive_definite, is_square, name)  # fmt: skip

    def _shape(self) -> TensorShape:
        return self._matrix.shape  # type: ignore[no-any-return]

    def _shape_tensor(self) -> Tensor:
        return shape(self._matrix)

    def _to_dense(self) -> Tensor:
        return self._matrix

    def to_dense(self, name: str = "to_dense") -> Tensor:
        """The matrix itself (as TF, no op is added)."""
        return self._matrix


class LinearOperatorDiag(LinearOperator):
    """A diagonal matrix from ``diag`` (``[..., N]``) as a square linear operator."""

    def __init__(self, diag: Any, is_non_singular: Any = None, is_self_adjoint: Any = None,
                 is_positive_definite: Any = None, is_square: Any = True,
                 name: str = "LinearOperatorDiag") -> None:  # fmt: skip
        with get_default_graph().name_scope(name):
            self._diag = convert_to_tensor(diag, name="diag")
        if self._diag.shape.ndims is not None and self._diag.shape.ndims < 1:
            raise ValueError(f"Argument diag must have at least 1 dimension.  Found: {self._diag}")
        if not self._diag.dtype.is_complex:
            if is_self_adjoint is False:
                raise ValueError("A real diagonal operator is always self adjoint.")
            is_self_adjoint = True
        if is_square is False:
            raise ValueError("Only square diagonal operators currently supported.")
        super().__init__(self._diag.dtype, [self._diag], is_non_singular, is_self_adjoint,
                         is_positive_definite, True, name)  # fmt: skip

    @property
    def diag(self) -> Tensor:
        """The diagonal."""
        return self._diag

    def _shape(self) -> TensorShape:
        s = self._diag.shape
        if s.ndims is None:
            return TensorShape(None)
        return s.concatenate(s[-1:])  # type: ignore[no-any-return]

    def _shape_tensor(self) -> Tensor:
        d = shape(self._diag)
        return concat([d, d[-1:]], 0)

    def _to_dense(self) -> Tensor:
        return matrix_diag(self._diag)

    def _matmul(self, x: Tensor, adjoint: bool, adjoint_arg: bool) -> Tensor:
        diag_term = conj(self._diag) if adjoint else self._diag
        if adjoint_arg:
            from scopeflow.ops.linalg_extra_ops import adjoint as adj  # noqa: PLC0415

            x = adj(x)
        return expand_dims(diag_term, -1) * x

    def _solve(self, rhs: Tensor, adjoint: bool, adjoint_arg: bool) -> Tensor:
        diag_term = conj(self._diag) if adjoint else self._diag
        if adjoint_arg:
            from scopeflow.ops.linalg_extra_ops import adjoint as adj  # noqa: PLC0415

            rhs = adj(rhs)
        return rhs * expand_dims(1.0 / diag_term, -1)

    def _determinant(self) -> Tensor:
        return reduce_prod(self._diag, axis=[-1])

    def _log_abs_determinant(self) -> Tensor:
        return reduce_sum(log(abs_op(self._diag)), axis=[-1])

    def _trace(self) -> Tensor:
        return reduce_sum(self._diag, axis=-1)

    def _diag_part(self) -> Tensor:
        return self._diag

    def diag_part(self, name: str = "diag_part") -> Tensor:
        """The diagonal itself (as TF, no op is added)."""
        return self._diag

    def add_to_tensor(self, x: Any, name: str = "add_to_tensor") -> Tensor:
        """``x`` with ``diag`` added to its diagonal (TF's ``set_diag``)."""
        from scopeflow.ops.matrix_extra_ops import matrix_set_diag  # noqa: PLC0415

        with self._scope(name):
            x = convert_to_tensor(x, name="x")
            return matrix_set_diag(x, self._diag + matrix_diag_part(x))


def _num_rows(num_rows: Any) -> tuple[Tensor, int | None]:
    t = convert_to_tensor(num_rows, name="num_rows")
    if t.dtype.base_dtype not in (dtypes.int32, dtypes.int64):
        raise TypeError(f"Argument num_rows must be integer type.  Found: {t}")
    val = t._const
    static = None if val is None else int(np.asarray(val))
    if static is not None and static < 0:
        raise ValueError(f"Argument num_rows must be non-negative.  Found: {static}")
    return t, static


class LinearOperatorIdentity(LinearOperator):
    """The ``num_rows x num_rows`` identity (optionally batched) as a linear operator."""

    def __init__(self, num_rows: Any, batch_shape: Any = None, dtype: Any = None,
                 is_non_singular: bool = True, is_self_adjoint: bool = True,
                 is_positive_definite: bool = True, is_square: bool = True,
                 assert_proper_shapes: bool = False,
                 name: str = "LinearOperatorIdentity") -> None:  # fmt: skip
        dt = dtypes.as_dtype(dtype or dtypes.float32)
        if not (is_self_adjoint and is_positive_definite and is_non_singular and is_square):
            raise ValueError("An identity operator is always self adjoint, positive definite, "
                             "non-singular and square.")  # fmt: skip
        with get_default_graph().name_scope(name):
            self._num_rows, self._num_rows_static = _num_rows(num_rows)
            self._batch_shape_arg = (
                None if batch_shape is None else [int(b) for b in np.asarray(batch_shape)]
            )
        super().__init__(dt, [], True, True, True, True, name)

    def _batch(self) -> list[int]:
        return self._batch_shape_arg or []

    def _shape(self) -> TensorShape:
        n = self._num_rows_static
        return TensorShape([*self._batch(), n, n])

    def _shape_tensor(self) -> Tensor:
        return concat([convert_to_tensor(np.asarray(self._batch(), np.int32)),
                       [self._num_rows, self._num_rows]], 0)  # fmt: skip

    def _ones_diag(self) -> Tensor:
        return ones(concat([np.asarray(self._batch(), np.int32), [self._num_rows]], 0),
                    dtype=self.dtype)  # fmt: skip

    def _to_dense(self) -> Tensor:
        d = eye(self._num_rows, dtype=self.dtype)
        if self._batch():
            d = d * ones([*self._batch(), 1, 1], dtype=self.dtype)
        return d

    def _matmul(self, x: Tensor, adjoint: bool, adjoint_arg: bool) -> Tensor:
        if adjoint_arg:
            from scopeflow.ops.linalg_extra_ops import adjoint as adj  # noqa: PLC0415

            x = adj(x)
        if self._batch():
            x = x * ones([*self._batch(), 1, 1], dtype=self.dtype)
        return x

    def _solve(self, rhs: Tensor, adjoint: bool, adjoint_arg: bool) -> Tensor:
        return self._matmul(rhs, adjoint, adjoint_arg)

    def _determinant(self) -> Tensor:
        return ones(self._batch(), dtype=self.dtype)

    def _log_abs_determinant(self) -> Tensor:
        return zeros(self._batch(), dtype=self.dtype)

    def _trace(self) -> Tensor:
        from scopeflow.ops.math_ops import cast  # noqa: PLC0415

        return ones(self._batch(), dtype=self.dtype) * cast(self._num_rows, self.dtype)

    def _diag_part(self) -> Tensor:
        return self._ones_diag()


class LinearOperatorScaledIdentity(LinearOperator):
    """``multiplier * I`` (``multiplier`` of shape ``batch_shape``) as a linear operator."""

    def __init__(self, num_rows: Any, multiplier: Any, is_non_singular: Any = None,
                 is_self_adjoint: Any = None, is_positive_definite: Any = None,
                 is_square: bool = True, assert_proper_shapes: bool = False,
                 name: str = "LinearOperatorScaledIdentity") -> None:  # fmt: skip
        if not is_square:
            raise ValueError("A ScaledIdentity operator is always square.")
        with get_default_graph().name_scope(name):
            self._num_rows, self._num_rows_static = _num_rows(num_rows)
            self._multiplier = convert_to_tensor(multiplier, name="multiplier")
        if not self._multiplier.dtype.is_complex and is_self_adjoint is None:
            is_self_adjoint = True
        super().__init__(self._multiplier.dtype, [self._multiplier], is_non_singular,
                         is_self_adjoint, is_positive_definite, True, name)  # fmt: skip

    @property
    def multiplier(self) -> Tensor:
        """The scale of the identity."""
        return self._multiplier

    def _shape(self) -> TensorShape:
        n = self._num_rows_static
        return self._multiplier.shape.concatenate([n, n])  # type: ignore[no-any-return]

    def _shape_tensor(self) -> Tensor:
        return concat([shape(self._multiplier), [self._num_rows, self._num_rows]], 0)

    def _mult(self, adjoint: bool) -> Tensor:
        return conj(self._multiplier) if adjoint else self._multiplier

    def _to_dense(self) -> Tensor:
        return expand_dims(expand_dims(self._multiplier, -1), -1) * eye(
            self._num_rows, dtype=self.dtype
        )

    def _matmul(self, x: Tensor, adjoint: bool, adjoint_arg: bool) -> Tensor:
        if adjoint_arg:
            from scopeflow.ops.linalg_extra_ops import adjoint as adj  # noqa: PLC0415

            x = adj(x)
        return x * expand_dims(expand_dims(self._mult(adjoint), -1), -1)

    def _solve(self, rhs: Tensor, adjoint: bool, adjoint_arg: bool) -> Tensor:
        if adjoint_arg:
            from scopeflow.ops.linalg_extra_ops import adjoint as adj  # noqa: PLC0415

            rhs = adj(rhs)
        return rhs / expand_dims(expand_dims(self._mult(adjoint), -1), -1)

    def _determinant(self) -> Tensor:
        from scopeflow.ops.math_ops import cast  # noqa: PLC0415
        from scopeflow.ops.math_ops import pow as pow_op  # noqa: PLC0415

        return pow_op(self._multiplier, cast(self._num_rows, self.dtype))

    def _log_abs_determinant(self) -> Tensor:
        from scopeflow.ops.math_ops import cast  # noqa: PLC0415

        return cast(self._num_rows, self.dtype.real_dtype) * log(abs_op(self._multiplier))

    def _trace(self) -> Tensor:
        from scopeflow.ops.math_ops import cast  # noqa: PLC0415

        return self._multiplier * cast(self._num_rows, self.dtype)

    def _diag_part(self) -> Tensor:
        return expand_dims(self._multiplier, -1) * ones(
            expand_dims(self._num_rows, 0), dtype=self.dtype
        )


__all__ = [
    "LinearOperator",
    "LinearOperatorDiag",
    "LinearOperatorFullMatrix",
    "LinearOperatorIdentity",
    "LinearOperatorScaledIdentity",
]
