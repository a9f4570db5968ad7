"""``tf.linalg``: re-exports only."""

from scopeflow.ops.clip_ops import global_norm
from scopeflow.ops.linalg_ops import eye, matrix_transpose, qr
from scopeflow.ops.linalg_ops import matrix_diag_part as diag_part
from scopeflow.ops.linear_operator import LinearOperatorLowerTriangular
from scopeflow.ops.matmul_ops import einsum, matmul, tensordot
from scopeflow.ops.matrix_extra_ops import (
    cholesky,
    matrix_set_diag,
    matrix_solve,
    self_adjoint_eig,
    self_adjoint_eigvals,
    svd,
)
from scopeflow.ops.matrix_extra_ops import matrix_band_part as band_part
from scopeflow.ops.matrix_extra_ops import matrix_diag as diag
from scopeflow.ops.matrix_extra_ops import matrix_set_diag as set_diag
from scopeflow.ops.matrix_extra_ops import matrix_solve as solve
from scopeflow.ops.matrix_extra_ops import self_adjoint_eig as eigh
from scopeflow.ops.matrix_extra_ops import self_adjoint_eigvals as eigvalsh
from scopeflow.ops.matrix_ops import matrix_determinant as det
from scopeflow.ops.matrix_ops import matrix_inverse as inv
from scopeflow.ops.matrix_ops import norm, trace

transpose = matrix_transpose

__all__ = [
    "LinearOperatorLowerTriangular",
    "band_part",
    "cholesky",
    "diag",
    "eigh",
    "eigvalsh",
    "matrix_set_diag",
    "matrix_solve",
    "self_adjoint_eig",
    "self_adjoint_eigvals",
    "set_diag",
    "solve",
    "svd",
    "det",
    "diag_part",
    "einsum",
    "eye",
    "global_norm",
    "inv",
    "matmul",
    "matrix_transpose",
    "norm",
    "qr",
    "tensordot",
    "trace",
    "transpose",
]
# --- apia: TF 1.15 tf.linalg functions ---
from scopeflow.ops.linalg_extra_ops import (  # noqa: E402
    adjoint,
    cholesky_solve,
    cross,
    logdet,
    lu,
    matrix_rank,
    matvec,
    normalize,
    pinv,
    slogdet,
)
from scopeflow.ops.linalg_extra_ops import matrix_solve_ls as lstsq  # noqa: E402
from scopeflow.ops.linalg_extra_ops import matrix_square_root as sqrtm  # noqa: E402
from scopeflow.ops.linalg_extra_ops import matrix_triangular_solve as triangular_solve  # noqa: E402
from scopeflow.ops.matrix_extra_ops import diag as tensor_diag  # noqa: E402
from scopeflow.ops.matrix_extra_ops import diag_part as tensor_diag_part  # noqa: E402
from scopeflow.ops.nn_ops import l2_normalize  # noqa: E402

__all__ += [
    "adjoint",
    "cholesky_solve",
    "cross",
    "l2_normalize",
    "logdet",
    "lstsq",
    "lu",
    "matrix_rank",
    "matvec",
    "normalize",
    "pinv",
    "slogdet",
    "sqrtm",
    "tensor_diag",
    "tensor_diag_part",
    "triangular_solve",
]
# --- end apia ---
# --- apid: tf.linalg.expm, LinearOperator family ---
from scopeflow.ops.linalg_expm_ops import expm  # noqa: E402
from scopeflow.ops.linear_operator_family import (  # noqa: E402
    LinearOperator,
    LinearOperatorDiag,
    LinearOperatorFullMatrix,
    LinearOperatorIdentity,
    LinearOperatorScaledIdentity,
)

__all__ += [
    "LinearOperator",
    "LinearOperatorDiag",
    "LinearOperatorFullMatrix",
    "LinearOperatorIdentity",
    "LinearOperatorScaledIdentity",
    "expm",
]
# --- end apid ---
