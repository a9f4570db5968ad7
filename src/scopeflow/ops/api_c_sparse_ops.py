"""``tf.sparse_add`` (``tf.sparse.add``) and ``tf.sparse_concat`` (``tf.sparse.concat``).

As TF 1.15: ``sparse_add`` of two ``SparseTensor``s is the ``SparseAdd`` op (inputs the six
components and a ``threshold`` constant of the values' real dtype); entries present in both
operands are summed and dropped when ``|sum| < thresh``, the others are kept as they are, and
the result is in row-major order. Its ``dense_shape`` is a constant when both static shapes are
fully known. A ``SparseTensor`` and a dense ``Tensor`` (either order) is ``SparseTensorDenseAdd``,
a dense result of the dense operand's shape. ``sparse_concat`` is ``SparseConcat`` (attr
``concat_dim``), with ``expand_nonconcat_dim`` growing the other dimensions to their maximum.
``sparse_maximum``/``sparse_minimum`` (``SparseSparseMaximum``/``Minimum``: the union of the
entries, a missing one being zero) and ``sparse_softmax`` (``SparseSoftmax`` over the entries
sharing all but the last index) follow TF's kernels.
``SparseAdd``, ``SparseTensorDenseAdd``, maximum/minimum and softmax values are differentiable
(torch autograd through the kernels, as TF's ``SparseAddGrad``); ``SparseConcat`` is not, as in
TF.

Differences from TensorFlow: TF 1.15's gradient of ``SparseSparseMaximum``/``Minimum`` raises
``NotImplementedError``; here their values are differentiable (to the operand each picks).

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
from scopeflow.graph.tensor import Operation
from scopeflow.ops._math_common import _scope, name_scope
from scopeflow.ops._op_builder import make_multi_op, make_op
from scopeflow.ops.array_ops import concat, reshape
from scopeflow.ops.reduction_ops import reduce_max
from scopeflow.ops.sparse_ops import SparseTensor


def _linear(idx: torch.Tensor, dims: list[int]) -> np.ndarray:
    lin = np.zeros(idx.shape[0], dtype=np.int64)
    arr = idx.cpu().numpy().astype(np.int64)
    for k, d in enumerate(dims):
        lin = lin * d + arr[:, k]
    return lin


def _check_same_shape(op: Operation, sa: torch.Tensor, sb: torch.Tensor) -> list[int]:
    a, b = [int(v) for v in sa.tolist()], [int(v) for v in sb.tolist()]
    if len(a) != len(b):
        raise InvalidArgumentError(
            None, op, f"Operands do not have the same ranks; got shapes: {a} and {b}"
        )
    for i, (x, y) in enumerate(zip(a, b, strict=True)):
        if x != y:
            raise InvalidArgumentError(
                None, op, f"Operands' shapes do not match: got {x} and {y} for dimension {i}"
            )
    return a


def sparse_add(a: Any, b: Any, threshold: Any = None, thresh: Any = None) -> Any:
    """Sum of two ``SparseTensor``s, or of a ``SparseTensor`` and a dense tensor.

    >>> import scopeflow.compat.v1 as tf
    >>> a = tf.SparseTensor([[0, 1], [1, 0]], [1.0, 2.0], [2, 2])
    >>> b = tf.SparseTensor([[0, 1]], [-1.0], [2, 2])
    >>> print(tf.Session().run(tf.sparse_add(a, b, thresh=0.5)).values)
    [2.]
    """
    if threshold is not None and thresh is not None:
        raise ValueError("Cannot specify both 'threshold' and 'thresh'.")
    if thresh is not None:
        threshold = thresh
    if threshold is None:
        threshold = 0
    sparse_classes = (SparseTensor,)
    if not any(isinstance(inp, sparse_classes) for inp in (a, b)):
        raise TypeError("At least one input should be SparseTensor; do you mean to use tf.add()?")
    if all(isinstance(inp, sparse_classes) for inp in (a, b)):
        vdt = a.values._dtype.base_dtype
        real = dtypes.as_dtype(vdt.real_dtype) if vdt.is_complex else vdt
        th = convert_to_tensor(threshold, dtype=real, name="threshold")
        scope = _scope(None, "SparseAdd")
        if b.values._dtype.base_dtype != vdt:
            raise TypeError(f"Input 'b_values' of 'SparseAdd' Op has type "
                            f"{b.values._dtype.base_dtype.name} that does not match type "
                            f"{vdt.name} of argument 'a_values'.")  # fmt: skip
        rank = a.indices._shape.dims[1].value if a.indices._shape.ndims == 2 else None  # type: ignore[index]
        op = make_multi_op(
            "SparseAdd",
            (a.indices, a.values, a.dense_shape, b.indices, b.values, b.dense_shape, th),
            {"T": vdt, "Treal": real},
            scope,
            (dtypes.int64, vdt, dtypes.int64),
            (TensorShape([None, rank]), TensorShape([None]), a.dense_shape._shape),
        )
        sa, sb = a.get_shape(), b.get_shape()
        sa.assert_is_compatible_with(sb)
        both = sa.is_fully_defined() and sb.is_fully_defined()
        shape: Any = sa.as_list() if both else op._outputs[2]
        return SparseTensor(op._outputs[0], op._outputs[1], shape)
    if isinstance(b, sparse_classes):
        a, b = b, a
    dense = convert_to_tensor(b)
    vdt = a.values._dtype.base_dtype
    if dense._dtype.base_dtype != vdt:
        raise TypeError(f"Input 'b' of 'SparseTensorDenseAdd' Op has type "
                        f"{dense._dtype.base_dtype.name} that does not match type {vdt.name} of "
                        f"argument 'a_values'.")  # fmt: skip
    scope = _scope(None, "SparseTensorDenseAdd")
    return make_op(
        "SparseTensorDenseAdd",
        (a.indices, a.values, a.dense_shape, dense),
        {"T": vdt, "Tindices": dtypes.int64},
        scope,
        vdt,
        dense._shape,
    )


@register_kernel("SparseAdd")
def _sparse_add_kernel(op: Operation, session: Any) -> Any:
    def kernel(ai: Any, av: Any, ash: Any, bi: Any, bv: Any, bsh: Any, th: Any) -> Any:
        dims = _check_same_shape(op, ash, bsh)
        la, lb = _linear(ai.reshape(-1, len(dims)), dims), _linear(bi.reshape(-1, len(dims)), dims)
        keys, inv = np.unique(np.concatenate([la, lb]), return_inverse=True)
        ia = torch.from_numpy(inv[: len(la)]).to(av.device)
        ib = torch.from_numpy(inv[len(la) :]).to(av.device)
        out = torch.zeros(len(keys), dtype=av.dtype, device=av.device)
        out = out.index_add(0, ia, av.reshape(-1)).index_add(0, ib, bv.reshape(-1))
        both = np.zeros(len(keys), dtype=bool)
        both[inv[: len(la)][np.isin(la, lb)]] = True
        small = np.abs(out.detach().cpu().numpy()) < float(th)
        keep = torch.from_numpy(np.nonzero(~(both & small))[0]).to(av.device)
        kept = keys[keep.cpu().numpy()]
        idx = np.zeros((len(kept), len(dims)), dtype=np.int64)
        rest = kept.copy()
        for k in range(len(dims) - 1, -1, -1):
            d = dims[k]
            idx[:, k] = rest % d if d else 0
            rest = rest // d if d else rest
        return torch.from_numpy(idx), out[keep], ash.clone()

    return kernel


@register_kernel("SparseTensorDenseAdd")
def _sparse_dense_add_kernel(op: Operation, session: Any) -> Any:
    def kernel(ai: Any, av: Any, ash: Any, b: Any) -> Any:
        dims = [int(v) for v in ash.tolist()]
        if dims != list(b.shape):
            raise InvalidArgumentError(
                None, op, f"Dimensions a_shape and b.shape do not match: a_shape = "
                f"[{','.join(map(str, dims))}] vs b.shape = [{','.join(map(str, b.shape))}]"
            )  # fmt: skip
        idx = ai.reshape(-1, len(dims)).long()
        return b.index_put(tuple(idx.t()), av.reshape(-1), accumulate=True)

    return kernel


def sparse_concat(axis: Any, sp_inputs: Any, name: str | None = None,
                  expand_nonconcat_dim: bool = False, concat_dim: Any = None,
                  expand_nonconcat_dims: Any = None) -> SparseTensor:  # fmt: skip
    """Concatenates ``SparseTensor``s along ``axis`` (op ``SparseConcat``).

    >>> import scopeflow.compat.v1 as tf
    >>> a = tf.SparseTensor([[0, 1]], [1.0], [2, 2])
    >>> print(tf.Session().run(tf.sparse_concat(1, [a, a])).indices.tolist())
    [[0, 1], [0, 3]]
    """
    if concat_dim is not None:
        if axis is not None and axis != concat_dim:
            raise ValueError("Cannot specify both 'axis' and 'concat_dim'.")
        axis = concat_dim
    if expand_nonconcat_dims is not None:
        expand_nonconcat_dim = expand_nonconcat_dims
    if not isinstance(sp_inputs, (list, tuple)):
        raise TypeError("Inputs must be a list or tuple.")
    if not all(isinstance(sp, SparseTensor) for sp in sp_inputs):
        raise TypeError("Input must be a SparseTensor.")
    if len(sp_inputs) == 1:
        return sp_inputs[0]  # type: ignore[no-any-return]
    attr_axis = axis = int(axis)
    statics = [sp.get_shape() for sp in sp_inputs]
    rank = next((s.ndims for s in statics if s.ndims is not None), None)
    if rank is not None and axis < 0:
        axis += rank
    shapes = [sp.dense_shape for sp in sp_inputs]
    if expand_nonconcat_dim:
        max_shape = reduce_max(concat([reshape(sh, [1, -1]) for sh in shapes], 0), 0)
        shapes = [
            concat(
                [
                    max_shape[:attr_axis],
                    sh[-1:] if attr_axis == -1 else sh[attr_axis : attr_axis + 1],
                    [] if attr_axis == -1 else max_shape[attr_axis + 1 :],
                ],
                0,
            )
            for sh in shapes
        ]
    vdt = sp_inputs[0].values._dtype.base_dtype
    scope = _scope(name, "SparseConcat")
    op = make_multi_op(
        "SparseConcat",
        [*(sp.indices for sp in sp_inputs), *(sp.values for sp in sp_inputs), *shapes],
        {"concat_dim": attr_axis, "N": len(sp_inputs), "T": vdt},
        scope,
        (dtypes.int64, vdt, dtypes.int64),
        (TensorShape([None, rank]), TensorShape([None]), TensorShape([rank])),
    )
    n_total = sum(sp.indices._shape.dims[0].value or -(10**9) for sp in sp_inputs  # type: ignore[index]
                  if sp.indices._shape.ndims == 2)  # fmt: skip
    if n_total >= 0 and all(sp.indices._shape.ndims == 2 for sp in sp_inputs):
        op._outputs[0]._shape = TensorShape([n_total, rank])
        op._outputs[1]._shape = TensorShape([n_total])
    out_shape: Any = op._outputs[2]
    if all(s.is_fully_defined() for s in statics) and rank is not None:
        dims = [list(s.as_list()) for s in statics]
        res = [max(d[i] for d in dims) for i in range(rank)] if expand_nonconcat_dim else dims[0]
        res = list(res)
        res[axis] = sum(d[axis] for d in dims)
        out_shape = convert_to_tensor(np.asarray(res, dtype=np.int64))
    return SparseTensor(op._outputs[0], op._outputs[1], out_shape)


@register_kernel("SparseConcat")
def _sparse_concat_kernel(op: Operation, session: Any) -> Any:
    n = op._attrs["N"]

    def kernel(*args: Any) -> Any:
        inds, vals, shapes = args[:n], args[n : 2 * n], args[2 * n :]
        dims0 = [int(v) for v in shapes[0].tolist()]
        rank = len(dims0)
        axis = op._attrs["concat_dim"]
        if not -rank <= axis < rank:
            raise InvalidArgumentError(
                None, op, f"Concat dimension must be in range [{-rank}, {rank}), got {axis}"
            )
        axis %= rank
        offset = 0
        out_idx, out_val = [], []
        for i in range(n):
            dims = [int(v) for v in shapes[i].tolist()]
            if len(dims) != rank:
                raise InvalidArgumentError(
                    None, op, f"Ranks of all input tensors must match: expected {rank} but got "
                    f"{len(dims)} at position {i}"
                )  # fmt: skip
            for k in range(rank):
                if k != axis and dims[k] != dims0[k]:
                    raise InvalidArgumentError(
                        None, op, f"Input shapes must match: expected {dims0[k]} for dimension "
                        f"{k} but got {dims[k]} at position {i}"
                    )  # fmt: skip
            idx = inds[i].reshape(-1, rank).long().clone()
            idx[:, axis] += offset
            offset += dims[axis]
            out_idx.append(idx)
            out_val.append(vals[i].reshape(-1))
        idx = torch.cat(out_idx)
        val = torch.cat(out_val)
        out_dims = list(dims0)
        out_dims[axis] = offset
        shape = torch.tensor(out_dims, dtype=torch.int64)
        lin = torch.from_numpy(_linear(idx, out_dims))
        order = torch.argsort(lin, stable=True)
        return idx[order], val[order.to(val.device)], shape

    return kernel


# --- element-wise maximum/minimum and softmax ------------------------------------------------


def _sparse_binary(op_type: str, sp_a: Any, sp_b: Any, name: str | None) -> SparseTensor:
    if not isinstance(sp_a, SparseTensor) or not isinstance(sp_b, SparseTensor):
        raise TypeError("Input must be a SparseTensor.")
    vdt = sp_a.values._dtype.base_dtype
    if sp_b.values._dtype.base_dtype != vdt:
        raise TypeError(f"Input 'b_values' of '{op_type}' Op has type "
                        f"{sp_b.values._dtype.base_dtype.name} that does not match type "
                        f"{vdt.name} of argument 'a_values'.")  # fmt: skip
    scope = _scope(name, op_type)
    op = make_multi_op(
        op_type,
        (sp_a.indices, sp_a.values, sp_a.dense_shape, sp_b.indices, sp_b.values, sp_b.dense_shape),
        {"T": vdt},
        scope,
        (dtypes.int64, vdt),
        (TensorShape([None, None]), TensorShape([None])),
    )
    return SparseTensor(op._outputs[0], op._outputs[1], sp_a.dense_shape)


def sparse_maximum(sp_a: Any, sp_b: Any, name: str | None = None) -> SparseTensor:
    """Element-wise maximum of two ``SparseTensor``s, missing entries being zero.

    >>> import scopeflow.compat.v1 as tf
    >>> a = tf.SparseTensor([[0], [1]], [-1.0, 2.0], [3])
    >>> b = tf.SparseTensor([[1], [2]], [3.0, -4.0], [3])
    >>> print(tf.Session().run(tf.sparse_maximum(a, b)).values)
    [0. 3. 0.]
    """
    return _sparse_binary("SparseSparseMaximum", sp_a, sp_b, name)


def sparse_minimum(sp_a: Any, sp_b: Any, name: str | None = None) -> SparseTensor:
    """Element-wise minimum of two ``SparseTensor``s, missing entries being zero."""
    return _sparse_binary("SparseSparseMinimum", sp_a, sp_b, name)


def _sparse_binary_kernel(op: Operation, session: Any, fn: Any) -> Any:
    def kernel(ai: Any, av: Any, ash: Any, bi: Any, bv: Any, bsh: Any) -> Any:
        dims = _check_same_shape(op, ash, bsh)
        la, lb = _linear(ai.reshape(-1, len(dims)), dims), _linear(bi.reshape(-1, len(dims)), dims)
        keys, inv = np.unique(np.concatenate([la, lb]), return_inverse=True)
        ia = torch.from_numpy(inv[: len(la)]).to(av.device)
        ib = torch.from_numpy(inv[len(la) :]).to(av.device)
        zero = torch.zeros(len(keys), dtype=av.dtype, device=av.device)
        a_full = zero.index_add(0, ia, av.reshape(-1))
        b_full = zero.index_add(0, ib, bv.reshape(-1))
        idx = np.zeros((len(keys), len(dims)), dtype=np.int64)
        rest = keys.copy()
        for k in range(len(dims) - 1, -1, -1):
            d = dims[k]
            idx[:, k] = rest % d if d else 0
            rest = rest // d if d else rest
        return torch.from_numpy(idx), fn(a_full, b_full)

    return kernel


register_kernel("SparseSparseMaximum")(lambda op, s: _sparse_binary_kernel(op, s, torch.maximum))
register_kernel("SparseSparseMinimum")(lambda op, s: _sparse_binary_kernel(op, s, torch.minimum))


def sparse_softmax(sp_input: Any, name: str | None = None) -> SparseTensor:
    """Softmax over the last dimension of the entries present (op ``SparseSoftmax``).

    >>> import scopeflow.compat.v1 as tf
    >>> sp = tf.SparseTensor([[0, 0], [0, 2], [1, 1]], [1.0, 1.0, 5.0], [2, 3])
    >>> print(tf.Session().run(tf.sparse_softmax(sp)).values)
    [0.5 0.5 1. ]
    """
    if not isinstance(sp_input, SparseTensor):
        raise TypeError("Input must be a SparseTensor.")
    scope = _scope(name, "SparseSoftmax")
    vdt = sp_input.values._dtype.base_dtype
    out = make_op(
        "SparseSoftmax",
        (sp_input.indices, sp_input.values, sp_input.dense_shape),
        {"T": vdt},
        scope + "SparseSoftmax",
        vdt,
        sp_input.values._shape,
    )
    return SparseTensor(sp_input.indices, out, sp_input.dense_shape)


@register_kernel("SparseSoftmax")
def _sparse_softmax_kernel(op: Operation, session: Any) -> Any:
    def kernel(ind: Any, val: Any, shape: Any) -> Any:
        dims = [int(v) for v in shape.tolist()]
        if len(dims) < 2:
            raise InvalidArgumentError(
                None, op, f"Input should have rank >= 2, but received shape: {dims}"
            )
        idx = ind.reshape(-1, len(dims))
        _, group = np.unique(_linear(idx[:, :-1], dims[:-1]), return_inverse=True)
        g = torch.from_numpy(group.reshape(-1)).to(val.device)
        n = int(group.max()) + 1 if len(group) else 0
        v = val.reshape(-1)
        mx = torch.full((n,), -torch.inf, dtype=v.dtype, device=v.device)
        mx = mx.scatter_reduce(0, g, v.detach(), reduce="amax")
        e = torch.exp(v - mx[g])
        total = torch.zeros(n, dtype=v.dtype, device=v.device).index_add(0, g, e)
        return e / total[g]

    return kernel


def _int64(value: Any, name: str) -> Any:
    from scopeflow.graph.tensor import Tensor  # noqa: PLC0415
    from scopeflow.ops.math_ops import cast  # noqa: PLC0415

    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return convert_to_tensor(value, name=name, dtype=dtypes.int64)
    if not isinstance(value, Tensor):
        raise TypeError(f"{name} must be an integer value")
    if not value._shape.is_compatible_with(TensorShape([])):
        raise ValueError(f"{name} must be a scalar. Received: shape {value._shape}")
    if not value._dtype.is_integer:
        raise TypeError(f"{name} must be integral: {value._dtype}")
    return cast(value, dtypes.int64)


def eye(num_rows: Any, num_columns: Any = None, dtype: Any = dtypes.float32,
        name: str | None = None) -> SparseTensor:  # fmt: skip
    """A sparse identity matrix (``tf.sparse.eye``): ones on the main diagonal.

    >>> import scopeflow.compat.v1 as tf
    >>> e = tf.sparse.eye(3, 2)
    >>> print(tf.Session().run(e).indices.tolist())
    [[0, 0], [1, 1]]
    """
    from scopeflow.ops.array_ops import ones, reshape, stack  # noqa: PLC0415
    from scopeflow.ops.creation_ops import range as tf_range  # noqa: PLC0415
    from scopeflow.ops.math_ops import minimum  # noqa: PLC0415

    with name_scope(_scope(name, "eye")):
        rows = _int64(num_rows, "num_rows")
        cols = rows if num_columns is None else _int64(num_columns, "num_columns")
        diag_size = minimum(rows, cols)
        diag_range = tf_range(diag_size, dtype=dtypes.int64)
        indices = stack([diag_range, diag_range], axis=1)
        ones_scope = _scope(None, "ones")
        with name_scope(ones_scope):  # TF's ones() of a scalar tensor reshapes it to [1]
            size = reshape(diag_size, [1])
        values = ones(size, dtype=dtype, name=ones_scope)
        return SparseTensor(indices=indices, values=values, dense_shape=[rows, cols])


__all__ = [
    "eye",
    "sparse_add",
    "sparse_concat",
    "sparse_maximum",
    "sparse_minimum",
    "sparse_softmax",
]
