"""Linear-algebra ops used by initializers and models.

``qr``, ``eye``, ``matrix_diag_part``, ``matrix_transpose``, ``sign``.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

import torch

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Tensor
from scopeflow.ops._op_builder import UNKNOWN, make_multi_op, make_op
from scopeflow.ops.math_ops import _scope


def qr(input: Any, full_matrices: bool = False, name: str | None = None) -> tuple[Tensor, Tensor]:
    """QR decomposition of the inner-most 2 dimensions (``tf.linalg.qr``).

    Differences from TensorFlow: float16/bfloat16 inputs are decomposed in float32 (torch has no
    half-precision QR) and rounded back, so the last bits can differ from TF's half-precision
    result.
    """
    scope = _scope(name, "Qr")
    x = convert_to_tensor(input, name=scope + "input/")
    q_shape = r_shape = UNKNOWN
    if x._shape.ndims is not None:
        *batch, m, n = x._shape.as_list()
        k = None if m is None or n is None else min(m, n)
        q_shape = TensorShape([*batch, m, m if full_matrices else k])
        r_shape = TensorShape([*batch, m if full_matrices else k, n])
    op = make_multi_op("Qr", (x,), {"full_matrices": full_matrices, "T": x._dtype.base_dtype},
                       scope, (x._dtype.base_dtype,) * 2, (q_shape, r_shape))  # fmt: skip
    return op._outputs[0], op._outputs[1]


@register_kernel("Qr")
def _qr_kernel(op: Any, session: Any) -> Any:
    mode = "complete" if op._attrs["full_matrices"] else "reduced"

    def kernel(x: Any) -> Any:
        if x.dtype in (torch.float16, torch.bfloat16):
            return tuple(t.to(x.dtype) for t in torch.linalg.qr(x.float(), mode=mode))
        return tuple(torch.linalg.qr(x, mode=mode))

    return kernel


def matrix_diag_part(input: Any, name: str = "diag_part", k: int = 0) -> Tensor:
    """The main diagonal of the inner-most matrices (``tf.linalg.diag_part``)."""
    if k != 0:
        from scopeflow.errors import UnsupportedError  # noqa: PLC0415

        raise UnsupportedError("matrix_diag_part with k != 0")
    scope = _scope(name, "diag_part")
    x = convert_to_tensor(input, name=scope + "input/")
    out = UNKNOWN
    if x._shape.ndims is not None:
        *batch, m, n = x._shape.as_list()
        out = TensorShape([*batch, None if m is None or n is None else min(m, n)])
    return make_op("MatrixDiagPart", (x,), {"T": x._dtype.base_dtype}, scope, x._dtype.base_dtype,
                   out)  # fmt: skip


register_kernel("MatrixDiagPart")(
    lambda op, s: lambda x: torch.diagonal(x, dim1=-2, dim2=-1).clone()
)


def matrix_transpose(a: Any, name: str = "matrix_transpose", conjugate: bool = False) -> Tensor:
    """Transposes the inner-most two dimensions (``tf.linalg.matrix_transpose``)."""
    scope = _scope(name, "matrix_transpose")
    x = convert_to_tensor(a, name=scope + "a/")
    out = UNKNOWN
    if x._shape.ndims is not None:
        if x._shape.ndims < 2:
            raise ValueError(
                f"Argument `a` should be a (batch) matrix with rank >= 2.  Received `a` = {x} "
                f"with shape: {x._shape}"
            )
        d = x._shape.as_list()
        out = TensorShape([*d[:-2], d[-1], d[-2]])
    return make_op("MatrixTranspose", (x,), {"T": x._dtype.base_dtype, "conjugate": conjugate},
                   scope, x._dtype.base_dtype, out)  # fmt: skip


@register_kernel("MatrixTranspose")
def _mt_kernel(op: Any, session: Any) -> Any:
    if op._attrs["conjugate"]:
        return lambda x: x.transpose(-1, -2).conj().contiguous()
    return lambda x: x.transpose(-1, -2).contiguous()


def sign(x: Any, name: str | None = None) -> Tensor:
    """Elementwise sign (-1, 0 or 1) (``tf.sign``)."""
    scope = _scope(name, "Sign")
    t = convert_to_tensor(x, name=scope + "x/")
    return make_op("Sign", (t,), {"T": t._dtype.base_dtype}, scope, t._dtype.base_dtype, t._shape)


register_kernel("Sign")(lambda op, s: torch.sign)


def eye(num_rows: Any, num_columns: Any = None, batch_shape: Any = None,
        dtype: Any = dtypes.float32, name: str | None = None) -> Tensor:  # fmt: skip
    """An identity matrix (``tf.eye``).

    With Python int sizes it is built as a constant. With a tensor size (``tf.eye(tf.shape(x)[0])``)
    it is TF's composite: ``ones`` of the diagonal size into ``MatrixDiag`` (square) or
    ``MatrixSetDiag`` over ``zeros`` (rectangular), with TF's static shape (``(?, ?)``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.eye(2, 3).shape)
    (2, 3)

    Differences from TensorFlow: with Python int sizes the result is one ``Const`` op (TF builds
    ``eye/ones`` and ``eye/MatrixDiag``); the values and static shape are TF's.
    """
    import numpy as np  # noqa: PLC0415

    from scopeflow.ops.constant_op import constant  # noqa: PLC0415

    if batch_shape is not None:
        from scopeflow.errors import UnsupportedError  # noqa: PLC0415

        raise UnsupportedError("eye with batch_shape")
    dt = dtypes.as_dtype(dtype).base_dtype
    if isinstance(num_rows, Tensor) or isinstance(num_columns, Tensor):
        return _eye_dynamic(num_rows, num_columns, dt, name)
    cols = num_rows if num_columns is None else num_columns
    return constant(np.eye(num_rows, cols, dtype=dt.as_numpy_dtype), dtype=dt, name=name or "eye")


def _eye_dynamic(num_rows: Any, num_columns: Any, dt: dtypes.DType, name: str | None) -> Tensor:
    from scopeflow.graph.graph import get_default_graph  # noqa: PLC0415
    from scopeflow.ops.array_ops import concat, ones, zeros  # noqa: PLC0415
    from scopeflow.ops.math_ops import minimum  # noqa: PLC0415
    from scopeflow.ops.matrix_extra_ops import matrix_diag, matrix_set_diag  # noqa: PLC0415

    scope = _scope(name, "eye")
    with get_default_graph().name_scope(scope):
        square = num_columns is None
        cols = num_rows if square else num_columns
        diag_size = minimum(num_rows, cols)
        batch = convert_to_tensor([], dtype=dtypes.int32, name="shape")
        diag_shape = concat((batch, [diag_size]), axis=0)
        if not square:
            shape = concat((batch, [num_rows, cols]), axis=0)
        diag_ones = ones(diag_shape, dtype=dt)
        if square:
            return matrix_diag(diag_ones)
        return matrix_set_diag(zeros(shape, dtype=dt), diag_ones)


__all__ = ["eye", "matrix_diag_part", "matrix_transpose", "qr", "sign"]
