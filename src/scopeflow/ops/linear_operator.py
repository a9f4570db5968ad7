"""``tf.linalg.LinearOperatorLowerTriangular``: a lower-triangular matrix as an operator.

TF's ``LinearOperator`` family is large; the lower-triangular operator is what TF1 model code
uses to build causal masks (Kyubyong/transformer: ``LinearOperatorLowerTriangular(x).to_dense()``).
It keeps TF's scopes (the operator's ``name`` scope at construction, ``<name>/to_dense`` and
``<name>/matmul`` for the methods) and math (``matrix_band_part(tril, -1, 0)``).

Differences from TensorFlow: only ``to_dense``, ``matmul`` and the shape/dtype/name properties;
any other ``LinearOperator`` method raises ``UnsupportedError`` naming it.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

from scopeflow._core.tensor_shape import TensorShape
from scopeflow.errors import UnsupportedError
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.tensor import Tensor
from scopeflow.ops.matmul_ops import matmul
from scopeflow.ops.matrix_extra_ops import matrix_band_part


class LinearOperatorLowerTriangular:
    """The lower triangle of ``tril`` (``[..., N, N]``) as a square linear operator.

    >>> import scopeflow.compat.v1 as tf
    >>> op = tf.linalg.LinearOperatorLowerTriangular(tf.ones([3, 3]))
    >>> op.to_dense().name
    'LinearOperatorLowerTriangular/to_dense/MatrixBandPart:0'
    """

    def __init__(
        self,
        tril: Any,
        is_non_singular: Any = None,
        is_self_adjoint: Any = None,
        is_positive_definite: Any = None,
        is_square: Any = None,
        name: str = "LinearOperatorLowerTriangular",
    ) -> None:
        if is_square is False:
            raise ValueError("Only square lower triangular operators supported at this time.")
        with get_default_graph().name_scope(name):
            self._tril = convert_to_tensor(tril, name="tril")
        if self._tril.shape.ndims is not None and self._tril.shape.ndims < 2:
            raise ValueError(f"Argument tril must have at least 2 dimensions.  Found: {self._tril}")
        self._name = name
        self.is_non_singular = is_non_singular
        self.is_self_adjoint = is_self_adjoint
        self.is_positive_definite = is_positive_definite
        self.is_square = True

    @property
    def name(self) -> str:
        """The name given at construction (the scope of the operator's ops)."""
        return self._name

    @property
    def dtype(self) -> Any:
        """The dtype of ``tril``."""
        return self._tril.dtype

    @property
    def shape(self) -> TensorShape:
        """The static shape of ``tril``."""
        return self._tril.shape

    def to_dense(self, name: str = "to_dense") -> Tensor:
        """The matrix: ``tril`` with the entries above the diagonal zeroed."""
        with get_default_graph().name_scope(f"{self._name}/{name}"):
            return matrix_band_part(self._tril, -1, 0)

    def matmul(
        self, x: Any, adjoint: bool = False, adjoint_arg: bool = False, name: str = "matmul"
    ) -> Tensor:
        """``to_dense() @ x`` (with the adjoints as ``tf.matmul``'s ``adjoint_a/b``)."""
        with get_default_graph().name_scope(f"{self._name}/{name}"):
            x = convert_to_tensor(x, name="x")
            tril = matrix_band_part(self._tril, -1, 0)
            return matmul(tril, x, adjoint_a=adjoint, adjoint_b=adjoint_arg)

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("_"):
            raise AttributeError(attr)
        raise UnsupportedError(f"LinearOperatorLowerTriangular.{attr}")


__all__ = ["LinearOperatorLowerTriangular"]
