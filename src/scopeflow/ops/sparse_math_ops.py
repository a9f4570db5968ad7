"""Sparse-dense arithmetic: ``sparse_tensor_dense_matmul`` and ``SparseTensor * dense``.

``sparse_tensor_dense_matmul`` builds TF's ``SparseTensorDenseMatMul`` op (``A @ B`` for a rank-2
``SparseTensor`` ``A``, with ``adjoint_a``/``adjoint_b``); ``SparseTensor`` ``*``, ``/`` with a
dense tensor build ``SparseDenseCwiseMul``/``SparseDenseCwiseDiv`` (the dense operand broadcast to
the sparse shape, read at each entry's index) in TF's ``mul``/``truediv`` scopes and return a
``SparseTensor`` with the same indices. tkipf/gcn's graph convolutions and sparse dropout are
written with them. The kernels are differentiable in the sparse values and the dense operand
(torch autograd), as TF's registered gradients are.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

import torch

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.errors import InvalidArgumentError
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.ops._math_common import _scope
from scopeflow.ops._op_builder import make_op, shape_from_tensor
from scopeflow.ops.sparse_ops import SparseTensor


def sparse_tensor_dense_matmul(
    sp_a: Any,
    b: Any,
    adjoint_a: bool = False,
    adjoint_b: bool = False,
    name: str | None = None,
) -> Tensor:
    """``sp_a @ b`` for a rank-2 ``SparseTensor`` ``sp_a`` and a dense matrix ``b``.

    >>> import scopeflow.compat.v1 as tf
    >>> sp = tf.SparseTensor([[0, 1], [1, 0]], [2.0, 3.0], [2, 2])
    >>> print(tf.Session().run(tf.sparse_tensor_dense_matmul(sp, tf.ones([2, 1]))).tolist())
    [[2.0], [3.0]]
    """
    if not isinstance(sp_a, SparseTensor):
        raise TypeError("Input must be a SparseTensor.")
    scope = _scope(name, "SparseTensorDenseMatMul")
    with get_default_graph().name_scope(scope):
        b = convert_to_tensor(b, name="b")
        a_dims = shape_from_tensor(sp_a.dense_shape).with_rank(2).as_list()
        b_dims = b.shape.with_rank(2).as_list()
        rows = a_dims[1] if adjoint_a else a_dims[0]
        cols = b_dims[0] if adjoint_b else b_dims[1]
        return make_op(
            "SparseTensorDenseMatMul",
            (sp_a.indices, sp_a.values, sp_a.dense_shape, b),
            {
                "T": sp_a.values.dtype.base_dtype,
                "Tindices": dtypes.int64,
                "adjoint_a": bool(adjoint_a),
                "adjoint_b": bool(adjoint_b),
            },
            None,
            sp_a.values.dtype.base_dtype,
            TensorShape([rows, cols]),
        )


@register_kernel("SparseTensorDenseMatMul")
def _matmul_kernel(op: Operation, session: Any) -> Any:
    adjoint_a, adjoint_b = op._attrs["adjoint_a"], op._attrs["adjoint_b"]

    def kernel(
        indices: torch.Tensor, values: torch.Tensor, shape: torch.Tensor, b: torch.Tensor
    ) -> torch.Tensor:
        idx = indices.long()
        rows, inner = (idx[:, 1], idx[:, 0]) if adjoint_a else (idx[:, 0], idx[:, 1])
        m = int(shape[1] if adjoint_a else shape[0])
        k = int(shape[0] if adjoint_a else shape[1])
        dense = b.t() if adjoint_b else b
        if dense.shape[0] != k:
            raise InvalidArgumentError(
                None,
                op,
                f"Cannot multiply A and B because inner dimension does not match: "
                f"{k} vs. {dense.shape[0]}.  Did you forget a transpose?  "
                f"Dimensions of A: [{int(shape[0])}, {int(shape[1])}).  "
                f"Dimensions of B: [{','.join(str(d) for d in b.shape)}]",
            )
        out = torch.zeros((m, dense.shape[1]), dtype=dense.dtype)
        return out.index_add(0, rows, values.unsqueeze(1) * dense[inner])

    return kernel


def _cwise(op_type: str, sp_x: SparseTensor, y: Any, scope_name: str) -> SparseTensor:
    scope = _scope(None, scope_name)
    with get_default_graph().name_scope(scope):
        y = convert_to_tensor(y, dtype=sp_x.dtype.base_dtype, name="y")
    values = make_op(
        op_type,
        (sp_x.indices, sp_x.values, sp_x.dense_shape, y),
        {"T": sp_x.dtype.base_dtype},
        scope,
        sp_x.dtype.base_dtype,
        sp_x.values.shape,
    )
    return SparseTensor(sp_x.indices, values, sp_x.dense_shape)


def sparse_dense_cwise_mul(sp_x: SparseTensor, y: Any) -> SparseTensor:
    """``sp_x * y``: each value times the dense ``y`` (broadcast) at its index."""
    return _cwise("SparseDenseCwiseMul", sp_x, y, "mul")


def sparse_dense_cwise_div(sp_x: SparseTensor, y: Any) -> SparseTensor:
    """``sp_x / y``: each value divided by the dense ``y`` (broadcast) at its index."""
    return _cwise("SparseDenseCwiseDiv", sp_x, y, "truediv")


def _cwise_kernel(fn: Any) -> Any:
    def make(op: Operation, session: Any) -> Any:
        def kernel(
            indices: torch.Tensor, values: torch.Tensor, shape: torch.Tensor, dense: torch.Tensor
        ) -> torch.Tensor:
            rank = dense.dim()
            if rank == 0:
                return fn(values, dense)
            if rank > indices.shape[1]:
                raise InvalidArgumentError(
                    None, op, "Dense tensor of rank greater than the sparse tensor's rank."
                )
            idx = indices[:, indices.shape[1] - rank :].long()
            sizes = torch.tensor(dense.shape)
            idx = torch.where(sizes == 1, torch.zeros_like(idx), idx)
            return fn(values, dense[tuple(idx.t())])

        return kernel

    return make


register_kernel("SparseDenseCwiseMul")(_cwise_kernel(torch.mul))
register_kernel("SparseDenseCwiseDiv")(_cwise_kernel(torch.div))


__all__ = ["sparse_dense_cwise_div", "sparse_dense_cwise_mul", "sparse_tensor_dense_matmul"]
