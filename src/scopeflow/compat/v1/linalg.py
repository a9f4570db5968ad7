"""``tf.linalg``: re-exports only."""

from scopeflow.ops.clip_ops import global_norm
from scopeflow.ops.linalg_ops import eye, matrix_transpose, qr
from scopeflow.ops.linalg_ops import matrix_diag_part as diag_part
from scopeflow.ops.matmul_ops import einsum, matmul, tensordot
from scopeflow.ops.matrix_ops import matrix_determinant as det
from scopeflow.ops.matrix_ops import matrix_inverse as inv
from scopeflow.ops.matrix_ops import norm, trace

transpose = matrix_transpose

__all__ = [
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
