"""The ``MatrixDiagV3`` op: batched (band) diagonal matrices from packed diagonals.

TF 2.x's ``tf.linalg.diag`` writes ``MatrixDiagV3(diagonal, k, num_rows, num_cols,
padding_value)`` with an ``align`` attr; TF 1.15's Python builds ``MatrixDiag``, so scopeflow
needs this op only to import GraphDefs written by newer TF. Diagonal ``d`` of the band
``k = [lower, upper]`` is row ``upper - d`` of the packed input (``[..., max_diag_len]`` when
``lower == upper``); its ``n``-th value goes to ``(n + max(0, -d), n + max(0, d))``, shifted
right by ``max_diag_len - len(d)`` unless the diagonal is left-aligned (``align``'s first word
for superdiagonals, its second for subdiagonals, the main diagonal left if either is).
Cells outside the band hold ``padding_value``.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.errors import InvalidArgumentError
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.ops._op_builder import UNKNOWN, make_op
from scopeflow.ops.math_ops import _scope

_ALIGNS = ("LEFT_RIGHT", "RIGHT_LEFT", "LEFT_LEFT", "RIGHT_RIGHT")


def _band(k: Any) -> tuple[int, int]:
    vals = [int(v) for v in np.asarray(k).reshape(-1).tolist()]
    if not 1 <= len(vals) <= 2:
        raise ValueError(f"diag_index must have only one or two elements, received {len(vals)} "
                         "elements.")  # fmt: skip
    lower, upper = vals[0], vals[-1]
    if lower > upper:
        raise ValueError("lower_diag_index must not be larger than upper_diag_index: "
                         f"{lower} > {upper}")  # fmt: skip
    return lower, upper


def _sizes(max_len: int, lower: int, upper: int, rows: int, cols: int) -> tuple[int, int]:
    min_rows = max_len - min(upper, 0)
    min_cols = max_len + max(lower, 0)
    if rows == -1 and cols == -1:
        rows = cols = max(min_rows, min_cols)
    elif rows == -1:
        rows = min_rows
    elif cols == -1:
        cols = min_cols
    return rows, cols


def matrix_diag_v3(diagonal: Any, k: Any = 0, num_rows: Any = -1, num_cols: Any = -1,
                   padding_value: Any = 0, align: str = "RIGHT_LEFT",
                   name: str | None = None) -> Tensor:  # fmt: skip
    """The ``MatrixDiagV3`` op (``tf.raw_ops.MatrixDiagV3``; TF 2.x's ``tf.linalg.diag``).

    >>> import scopeflow.compat.v1 as tf
    >>> from scopeflow.ops.matrix_diag_v3_ops import matrix_diag_v3
    >>> print(tf.Session().run(matrix_diag_v3([1, 2], k=1)))
    [[0 1 0]
     [0 0 2]
     [0 0 0]]
    """
    scope = _scope(name, "MatrixDiagV3")
    d = convert_to_tensor(diagonal, name=scope + "diagonal/")
    dt = d._dtype.base_dtype
    k_t = convert_to_tensor(k, dtype=dtypes.int32, name=scope + "k/")
    r_t = convert_to_tensor(num_rows, dtype=dtypes.int32, name=scope + "num_rows/")
    c_t = convert_to_tensor(num_cols, dtype=dtypes.int32, name=scope + "num_cols/")
    p_t = convert_to_tensor(padding_value, dtype=dt, name=scope + "padding_value/")
    align_s = align.decode() if isinstance(align, bytes) else align
    if align_s not in _ALIGNS:
        raise ValueError(f"Attr 'align' of MatrixDiagV3 must be one of {list(_ALIGNS)}, got "
                         f"{align_s!r}")  # fmt: skip
    out: TensorShape = UNKNOWN
    known = [t._const for t in (k_t, r_t, c_t)]
    if d._shape.dims is not None and all(v is not None for v in known):
        lower, upper = _band(known[0])
        dims = d._shape.as_list()
        batch = dims[:-2] if lower != upper else dims[:-1]
        max_len = dims[-1]
        if max_len is not None:
            rows, cols = _sizes(max_len, lower, upper, int(known[1]), int(known[2]))
            out = TensorShape([*batch, rows, cols])
        else:
            out = TensorShape([*batch, None, None])
    attrs = {"T": dt, "align": align_s}
    return make_op("MatrixDiagV3", (d, k_t, r_t, c_t, p_t), attrs, scope, dt, out)


def _gather_maps(max_len: int, lower: int, upper: int, rows: int, cols: int, align: str
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """For each output cell: the packed row, the packed column and whether it is in the band."""
    left_super, left_sub = (w == "LEFT" for w in align.split("_"))
    i, j = np.meshgrid(np.arange(rows), np.arange(cols), indexing="ij")
    diag = j - i
    inside = (diag >= lower) & (diag <= upper)
    lens = np.minimum(rows + np.minimum(0, diag), cols - np.maximum(0, diag))
    left = ((diag >= 0) & left_super) | ((diag <= 0) & left_sub)
    offset = np.where(left, 0, max_len - lens)
    col = np.minimum(i, j) + offset
    inside &= (col >= 0) & (col < max_len)
    row = upper - diag
    return np.where(inside, row, 0), np.where(inside, col, 0), inside


@register_kernel("MatrixDiagV3")
def _matrix_diag_v3_kernel(op: Operation, session: Any) -> Any:
    align = op._attrs["align"]
    align = align.decode() if isinstance(align, bytes) else align

    def kernel(d: torch.Tensor, k: torch.Tensor, nr: torch.Tensor, nc: torch.Tensor,
               pad: torch.Tensor) -> torch.Tensor:  # fmt: skip
        try:
            lower, upper = _band(k.numpy())
        except ValueError as e:
            raise InvalidArgumentError(None, op, str(e)) from None
        packed = d if lower != upper else d.unsqueeze(-2)
        max_len = packed.shape[-1]
        num_diags = upper - lower + 1
        if packed.shape[-2] != num_diags:
            raise InvalidArgumentError(
                None, op, f"The number of diagonals provided in the input does not match the "
                f"lower_diag_index and upper_diag_index range. Expected {num_diags}, got "
                f"{packed.shape[-2]}"
            )  # fmt: skip
        rows, cols = _sizes(max_len, lower, upper, int(nr), int(nc))
        if rows < max_len - min(upper, 0):
            raise InvalidArgumentError(None, op, "The number of rows is too small.")
        if cols < max_len + max(lower, 0):
            raise InvalidArgumentError(None, op, "The number of columns is too small.")
        if rows != max_len - min(upper, 0) and cols != max_len + max(lower, 0):
            raise InvalidArgumentError(
                None, op, "The number of rows or columns is not consistent with the specified "
                "d_lower, d_upper, and diagonal."
            )  # fmt: skip
        r, c, inside = _gather_maps(max_len, lower, upper, rows, cols, align)
        flat = packed.reshape(*packed.shape[:-2], num_diags * max_len)
        idx = torch.from_numpy((r * max_len + c).reshape(-1))
        vals = flat.index_select(-1, idx).reshape(*packed.shape[:-2], rows, cols)
        return torch.where(torch.from_numpy(inside), vals, pad.to(vals.dtype))

    return kernel


__all__ = ["matrix_diag_v3"]
