"""Index-driven array ops: gather, gather_nd, scatter_nd, where/select, boolean_mask, unique.

Kernels are differentiable torch code (``index_select``, advanced indexing, ``index_put``,
``torch.where``); out-of-range indices raise ``InvalidArgumentError`` with TF's text.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from collections import namedtuple
from typing import Any

import numpy as np
import torch

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.errors import InvalidArgumentError, UnsupportedError
from scopeflow.graph._torch_dtypes import torch_dtype
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Tensor
from scopeflow.ops._op_builder import UNKNOWN, broadcast_static_shape, make_multi_op, make_op
from scopeflow.ops._shape_inference import const_int, fmt_shape, node_error, partial_shape_value
from scopeflow.ops.array_ops import concat, reshape, shape
from scopeflow.ops.math_ops import _scope
from scopeflow.ops.shape_ops import squeeze

_INDEX = (dtypes.int16, dtypes.int32, dtypes.int64)


def _check_dtype(t: Tensor, allowed: tuple[dtypes.DType, ...], param: str) -> None:
    if t._dtype.base_dtype not in allowed:
        raise TypeError(
            f"Value passed to parameter '{param}' has DataType {t._dtype.base_dtype.name} not in "
            f"list of allowed values: {', '.join(d.name for d in allowed)}"
        )


def gather(params: Any, indices: Any, validate_indices: Any = None, name: str | None = None,
           axis: Any = None, batch_dims: int = 0) -> Tensor:  # fmt: skip
    """Gathers slices of ``params`` along ``axis`` (``tf.gather``, op ``GatherV2``).

    ``validate_indices`` is accepted and ignored, as in TF.

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.gather(tf.zeros([5, 3]), [[0, 1]]).shape)
    (1, 2, 3)
    """
    del validate_indices
    if axis is None:
        axis = batch_dims
    scope = _scope(name, "GatherV2")
    p = convert_to_tensor(params, name=scope + "params/")
    i = convert_to_tensor(indices, name=scope + "indices/")
    a = convert_to_tensor(axis, name=scope + "axis/")
    _check_dtype(i, _INDEX, "indices")
    attrs = {"Taxis": a._dtype.base_dtype, "Tindices": i._dtype.base_dtype,
             "Tparams": p._dtype.base_dtype, "batch_dims": batch_dims}  # fmt: skip
    inputs = (p, i, a)
    av = const_int(a)
    out: TensorShape = UNKNOWN
    pr, ir = p._shape.ndims, i._shape.ndims
    if av is not None and pr is not None and not -pr <= av < pr:
        need = av + 1 if av >= 0 else -av
        raise node_error(f"Shape must be at least rank {need} but is rank {pr}", scope,
                             "GatherV2", attrs, inputs, computed=(2,))  # fmt: skip
    if av is not None and pr is not None and ir is not None:
        ax = av % pr
        bd = batch_dims % ir if batch_dims < 0 else batch_dims
        pd, idd = p._shape.as_list(), i._shape.as_list()
        out = TensorShape(pd[:ax] + idd[bd:] + pd[ax + 1 :])
    return make_op("GatherV2", inputs, attrs, scope, p._dtype.base_dtype, out)


@register_kernel("GatherV2")
def _gather_kernel(op: Any, session: Any) -> Any:
    bd0 = op._attrs["batch_dims"]

    def take(x: Any, idx: Any, ax: int) -> Any:
        n = x.shape[ax]
        flat = idx.reshape(-1).to(torch.int64)
        bad = (flat < 0) | (flat >= n)
        if bool(bad.any()):
            k = int(bad.nonzero()[0, 0])
            pos = np.unravel_index(k, tuple(idx.shape)) if idx.dim() else ()
            where = ",".join(str(int(v)) for v in pos)
            raise InvalidArgumentError(
                None, op, f"indices[{where}] = {int(flat[k])} is not in [0, {n})"
            )
        out = x.index_select(ax, flat)
        return out.reshape([*x.shape[:ax], *idx.shape, *x.shape[ax + 1 :]])

    def take_objects(p: Any, i: Any, a: Any) -> Any:
        """Strings (and resource handles): NumPy object arrays."""
        if bd0:
            raise UnsupportedError("tf.gather of strings with batch_dims")
        arr = np.asarray(p, dtype=object)
        idx = np.asarray(i.cpu().numpy() if isinstance(i, torch.Tensor) else i, dtype=np.int64)
        ax = int(a) % arr.ndim
        n = arr.shape[ax]
        bad = (idx < 0) | (idx >= n)
        if bad.any():
            k = int(np.flatnonzero(bad.reshape(-1))[0])
            pos = np.unravel_index(k, idx.shape) if idx.ndim else ()
            where = ",".join(str(int(v)) for v in pos)
            raise InvalidArgumentError(
                None, op, f"indices[{where}] = {int(idx.reshape(-1)[k])} is not in [0, {n})"
            )
        return np.asarray(np.take(arr, idx, axis=ax), dtype=object)

    def kernel(p: Any, i: Any, a: Any) -> Any:
        if not isinstance(p, torch.Tensor):
            return take_objects(p, i, a)
        ax = int(a) % p.dim()
        bd = bd0 % i.dim() if bd0 < 0 else bd0
        if bd == 0:
            return take(p, i, ax)
        lead = p.shape[:bd]
        pf = p.reshape(-1, *p.shape[bd:])
        idf = i.reshape(-1, *i.shape[bd:])
        parts = [take(pf[b], idf[b], ax - bd) for b in range(pf.shape[0])]
        out = torch.stack(parts)
        return out.reshape(*lead, *out.shape[1:])

    return kernel


def gather_nd(params: Any, indices: Any, name: str | None = None, batch_dims: int = 0) -> Tensor:
    """Gathers slices of ``params`` addressed by the last axis of ``indices`` (``tf.gather_nd``)."""
    if batch_dims != 0:
        raise UnsupportedError(f"tf.gather_nd with batch_dims={batch_dims}")
    scope = _scope(name, "GatherNd")
    p = convert_to_tensor(params, name=scope + "params/")
    i = convert_to_tensor(indices, name=scope + "indices/")
    _check_dtype(i, _INDEX, "indices")
    attrs = {"Tindices": i._dtype.base_dtype, "Tparams": p._dtype.base_dtype,
             "bad_indices_policy": ""}  # fmt: skip
    out: TensorShape = UNKNOWN
    if i._shape.ndims is not None and p._shape.ndims is not None:
        idd = i._shape.as_list()
        k = idd[-1] if idd else None
        if k is not None:
            if k > p._shape.ndims:
                raise node_error(
                    f"indices.shape[-1] must be <= params.rank, but saw indices shape: "
                    f"{fmt_shape(i._shape)} and params shape: {fmt_shape(p._shape)}", scope,
                    "GatherNd", attrs, (p, i)
                )  # fmt: skip
            out = TensorShape(idd[:-1] + p._shape.as_list()[k:])
    return make_op("GatherNd", (p, i), attrs, scope, p._dtype.base_dtype, out)


def _nd_index(op: Any, idx: Any, shape: Any, what: str) -> tuple[Any, ...]:
    k = idx.shape[-1]
    flat = idx.reshape(-1, k).to(torch.int64)
    lim = torch.tensor(list(shape[:k]), dtype=torch.int64)
    bad = ((flat < 0) | (flat >= lim)).any(dim=1)
    if bool(bad.any()):
        j = int(bad.nonzero()[0, 0])
        vals = ", ".join(str(int(v)) for v in flat[j])
        raise InvalidArgumentError(
            None, op, f"indices[{j}] = [{vals}] does not index into {what} "
            f"[{','.join(str(int(d)) for d in shape)}]"
        )  # fmt: skip
    return tuple(flat[:, j] for j in range(k))


@register_kernel("GatherNd")
def _gather_nd_kernel(op: Any, session: Any) -> Any:
    def kernel(p: Any, i: Any) -> Any:
        cols = _nd_index(op, i, p.shape, "param shape")
        if isinstance(p, np.ndarray):  # strings: NumPy takes a 1-element tensor as a scalar index
            cols = tuple(c.numpy() for c in cols)
        k = i.shape[-1]
        out = p[cols] if k else p.expand(int(np.prod(i.shape[:-1])), *p.shape)
        return out.reshape(*i.shape[:-1], *p.shape[k:])

    return kernel


def scatter_nd(indices: Any, updates: Any, shape: Any, name: str | None = None) -> Tensor:
    """Scatters ``updates`` into zeros of ``shape``, summing duplicates (``tf.scatter_nd``)."""
    scope = _scope(name, "ScatterNd")
    i = convert_to_tensor(indices, name=scope + "indices/")
    u = convert_to_tensor(updates, name=scope + "updates/")
    s = convert_to_tensor(shape, name=scope + "shape/")
    _check_dtype(i, _INDEX, "indices")
    attrs = {"T": u._dtype.base_dtype, "Tindices": i._dtype.base_dtype,
             "bad_indices_policy": ""}  # fmt: skip
    out = partial_shape_value(s) or UNKNOWN
    return make_op("ScatterNd", (i, u, s), attrs, scope, u._dtype.base_dtype, out)


@register_kernel("ScatterNd")
def _scatter_nd_kernel(op: Any, session: Any) -> Any:
    def kernel(i: Any, u: Any, s: Any) -> Any:
        dims = [int(v) for v in s.tolist()]
        cols = _nd_index(op, i, dims, "output shape")
        k = i.shape[-1]
        upd = u.reshape(-1, *dims[k:])
        return torch.zeros(dims, dtype=u.dtype).index_put(cols, upd, accumulate=True)

    return kernel


def _convert_select(v: Any, dt: dtypes.DType, param: str, op_type: str, scope: str) -> Tensor:
    if isinstance(v, Tensor) or hasattr(v, "_as_tensor"):
        t = convert_to_tensor(v)
        if t._dtype.base_dtype != dt:
            raise TypeError(f"Input '{param}' of '{op_type}' Op has type "
                            f"{t._dtype.base_dtype.name} that does not match type {dt.name} of "
                            "argument 't'.")  # fmt: skip
        return t
    try:
        return convert_to_tensor(v, dtype=dt, name=scope + param + "/")
    except (TypeError, ValueError) as e:
        raise TypeError(
            f"Expected {dt.name} passed to parameter '{param}' of op '{op_type}', got {v!r} of "
            f"type '{type(v).__name__}' instead. Error: {e}"
        ) from None


def _select_inputs(condition: Any, x: Any, y: Any, op_type: str, scope: str
                   ) -> tuple[Tensor, Tensor, Tensor]:  # fmt: skip
    c = convert_to_tensor(condition, name=scope + "condition/")
    t = convert_to_tensor(x, name=scope + "t/")
    e = _convert_select(y, t._dtype.base_dtype, "e", op_type, scope)
    _check_dtype(c, (dtypes.bool,), "condition")
    return c, t, e


def _merge(a: TensorShape, b: TensorShape, fail: Any) -> TensorShape:
    if a.ndims is not None and b.ndims is not None:
        if a.ndims != b.ndims:
            raise fail(f"Shapes must be equal rank, but are {a.ndims} and {b.ndims}")
        for k, (p, q) in enumerate(zip(a.as_list(), b.as_list(), strict=True)):
            if p is not None and q is not None and p != q:
                raise fail(f"Dimension {k} in both shapes must be equal, but are {p} and {q}. "
                           f"Shapes are {fmt_shape(a)} and {fmt_shape(b)}.")  # fmt: skip
    return a.merge_with(b)


def where(condition: Any, x: Any = None, y: Any = None, name: str | None = None) -> Tensor:
    """TF1 ``tf.where``: coordinates of true elements, or a choice between ``x`` and ``y``.

    With only ``condition``: op ``Where``, int64 ``[n, rank]``. With ``x`` and ``y``: op
    ``Select`` under TF1's rank rules (a vector ``condition`` selects rows).
    """
    if x is None and y is None:
        scope = _scope(name, "Where")
        c = convert_to_tensor(condition, preferred_dtype=dtypes.bool, name=scope + "condition/")
        r = c._shape.ndims
        out = TensorShape([None, r]) if r is not None else TensorShape([None, None])
        return make_op("Where", (c,), {"T": c._dtype.base_dtype}, scope, dtypes.int64, out)
    if x is None or y is None:
        raise ValueError("x and y must both be non-None or both be None.")
    scope = _scope(name, "Select")
    c, t, e = _select_inputs(condition, x, y, "Select", scope)
    attrs = {"T": t._dtype.base_dtype}

    def fail(msg: str) -> ValueError:
        return node_error(msg, scope, "Select", attrs, (c, t, e))

    data = _merge(t._shape, e._shape, fail)
    cs = c._shape
    if cs.ndims is not None and data.ndims is not None and cs.ndims != 0:
        if cs.ndims != 1 or data.ndims == 0:
            data = _merge(data, cs, fail)
        else:
            _merge(cs, TensorShape([data.as_list()[0]]), fail)
    return make_op("Select", (c, t, e), attrs, scope, t._dtype.base_dtype, data)


def where_v2(condition: Any, x: Any = None, y: Any = None, name: str | None = None) -> Tensor:
    """``tf.where_v2``: like ``where``, but the three inputs broadcast (op ``SelectV2``)."""
    if x is None and y is None:
        return where(condition, name=name)
    if x is None or y is None:
        raise ValueError("x and y must both be non-None or both be None.")
    scope = _scope(name, "SelectV2")
    c, t, e = _select_inputs(condition, x, y, "SelectV2", scope)
    attrs = {"T": t._dtype.base_dtype}
    try:
        out = broadcast_static_shape(broadcast_static_shape(t._shape, e._shape), c._shape)
    except ValueError:
        raise node_error(f"Incompatible shapes: {fmt_shape(t._shape)} vs. {fmt_shape(e._shape)} "
                         f"vs. {fmt_shape(c._shape)}", scope, "SelectV2", attrs,
                         (c, t, e)) from None  # fmt: skip
    return make_op("SelectV2", (c, t, e), attrs, scope, t._dtype.base_dtype, out)


@register_kernel("Where")
def _where_kernel(op: Any, session: Any) -> Any:
    return lambda c: torch.nonzero(c != 0 if c.dtype != torch.bool else c)


@register_kernel("Select")
def _select_kernel(op: Any, session: Any) -> Any:
    def kernel(c: Any, t: Any, e: Any) -> Any:
        if t.shape != e.shape:
            raise InvalidArgumentError(
                None, op, "'then' and 'else' must have the same size.  but received: "
                f"{_br(t.shape)} vs. {_br(e.shape)}"
            )  # fmt: skip
        if c.dim() == 1 and t.dim() > 1:
            if c.shape[0] != t.shape[0]:
                raise InvalidArgumentError(
                    None, op, "Number of batches of 'then' must match size of 'cond', but saw: "
                    f"{t.shape[0]} vs. {c.shape[0]}"
                )  # fmt: skip
            c = c.reshape(-1, *([1] * (t.dim() - 1)))
        elif c.dim() != 0 and c.shape != t.shape:
            raise InvalidArgumentError(
                None, op, "'condition' must be a scalar, vector, or have the same shape as 'then' "
                f"and 'else', but received: {_br(c.shape)} vs. {_br(t.shape)}"
            )  # fmt: skip
        return torch.where(c, t, e)

    return kernel


def _br(s: Any) -> str:
    return "[" + ",".join(str(int(d)) for d in s) + "]"


# Integer types of the same width, to select by bits: ``where(c, t, +0.0)`` is ``t``'s bit
# pattern times ``c`` (0 or 1).
_SAME_WIDTH_INT = {
    torch.float32: torch.int32,
    torch.float64: torch.int64,
    torch.float16: torch.int16,
    torch.bfloat16: torch.int16,
}


def _select_or_zero(c: Any, t: Any) -> Any:
    """``torch.where(c, t, 0.0)`` bit for bit, as one multiplication of ``t``'s bits by ``c``.

    torch's CPU ``where`` is a scalar loop (~15x slower than a vectorized multiply of the same
    size); dropout selects its kept values from zero this way, forward and backward. The bits
    are ``t``'s where ``c`` holds (NaN, infinities and ``-0.0`` kept) and ``+0.0`` elsewhere.
    """
    it = _SAME_WIDTH_INT[t.dtype]
    return (t.view(it) * c).view(t.dtype)


class _SelectOrZero(torch.autograd.Function):
    """``where(c, t, +0.0)`` with the same values and gradient as ``torch.where``'s.

    The gradient with respect to ``t`` is ``where(c, g, 0)``, computed the same way.
    """

    @staticmethod
    def forward(ctx: Any, c: Any, t: Any) -> Any:
        ctx.save_for_backward(c)
        return _select_or_zero(c, t)

    @staticmethod
    def backward(ctx: Any, g: Any) -> Any:
        (c,) = ctx.saved_tensors
        return None, _select_or_zero(c, g)


def _is_positive_zero(e: Any, t: Any) -> bool:
    """Whether ``e`` is a scalar ``+0.0`` of ``t``'s dtype (a constant: no gradient)."""
    if e.dim() != 0 or e.dtype != t.dtype or e.requires_grad or e.device != t.device:
        return False
    return int(e.view(_SAME_WIDTH_INT[e.dtype])) == 0


@register_kernel("SelectV2")
def _select_v2_kernel(op: Any, session: Any) -> Any:
    """``torch.where``, or ``_select_or_zero`` for a choice between a tensor and ``+0.0``.

    (Dropout's ``SelectV2``: the same result, one vectorized multiplication.)
    """

    def kernel(c: Any, t: Any, e: Any) -> Any:
        if (
            isinstance(t, torch.Tensor)
            and t.dtype in _SAME_WIDTH_INT
            and isinstance(c, torch.Tensor)
            and c.dtype == torch.bool
            and c.shape == t.shape
            and isinstance(e, torch.Tensor)
            and _is_positive_zero(e, t)
        ):
            if t.requires_grad and torch.is_grad_enabled():
                return _SelectOrZero.apply(c, t)
            return _select_or_zero(c, t)
        return torch.where(c, t, e)

    return kernel


def boolean_mask(tensor: Any, mask: Any, name: str = "boolean_mask", axis: Any = None) -> Tensor:
    """The entries of ``tensor`` where ``mask`` is true (``tf.boolean_mask``).

    The mask's dimensions are flattened; built as TF builds it (reshape, ``Where``, ``Squeeze``,
    ``GatherV2``).
    """
    from scopeflow.ops.reduction_ops import reduce_prod  # noqa: PLC0415

    scope = _scope(name, "boolean_mask")
    x = convert_to_tensor(tensor, name=scope + "tensor/")
    m = convert_to_tensor(mask, name=scope + "mask/")
    nm = m._shape.ndims
    if nm == 0:
        raise ValueError("mask cannot be scalar.")
    if nm is None:
        raise ValueError("Number of mask dimensions must be specified, even if some dimensions "
                         "are None.  E.g. shape=[None] is ok, but shape=None is not.")  # fmt: skip
    axis = 0 if axis is None else axis
    av = axis if isinstance(axis, int) else (const_int(axis) if isinstance(axis, Tensor) else None)
    xs = x._shape
    if av is None:
        raise UnsupportedError("tf.boolean_mask with an axis whose value is unknown at build time")
    if xs.ndims is not None:
        part = TensorShape(xs.as_list()[av : av + nm])
        if not part.is_compatible_with(m._shape):
            raise ValueError(f"Shapes {part} and {m._shape} are incompatible")
    with get_default_graph().name_scope(scope):
        lead = reduce_prod(shape(x)[av : av + nm], [0])  # type: ignore[index]
        parts = [shape(x)[:av], [lead], shape(x)[av + nm :]]  # type: ignore[index]
        flat = reshape(x, concat(parts, 0))
        if xs.ndims is not None:
            first = TensorShape(xs.as_list()[av : av + nm]).num_elements()
            flat.set_shape([*xs.as_list()[:av], first, *xs.as_list()[av + nm :]])
        m = reshape(m, [-1])
        idx = squeeze(where(m), axis=[1])
        return gather(flat, idx, axis=axis)


Unique = namedtuple("Unique", ["y", "idx"])


def unique(x: Any, out_idx: Any = dtypes.int32, name: str | None = None) -> Any:
    """The unique elements of a 1-D tensor, in order of first occurrence (``tf.unique``).

    Returns ``Unique(y, idx)``: the values and each element's index into them (op ``Unique``).
    """
    scope = _scope(name, "Unique")
    t = convert_to_tensor(x, name=scope + "x/")
    dt = dtypes.as_dtype(out_idx).base_dtype
    if t._shape.ndims not in (None, 1):
        raise node_error(f"Shape must be rank 1 but is rank {t._shape.ndims}", scope, "Unique",
                         {"T": t._dtype.base_dtype, "out_idx": dt}, (t,))  # fmt: skip
    op = make_multi_op("Unique", (t,), {"T": t._dtype.base_dtype, "out_idx": dt}, scope,
                       [t._dtype.base_dtype, dt], [TensorShape([None]), t._shape])  # fmt: skip
    return Unique(*op._outputs)


@register_kernel("Unique")
def _unique_kernel(op: Any, session: Any) -> Any:
    idt = torch_dtype(op._attrs["out_idx"])

    def kernel(x: Any) -> Any:
        vals, inv = torch.unique(x, return_inverse=True)
        n = x.shape[0]
        first = torch.full((vals.shape[0],), n, dtype=torch.int64)
        first = first.scatter_reduce(0, inv, torch.arange(n), reduce="amin")
        order = torch.argsort(first)
        rank = torch.empty_like(order)
        rank[order] = torch.arange(order.shape[0])
        return vals[order], rank[inv].to(idt)

    return kernel


__all__ = ["boolean_mask", "gather", "gather_nd", "scatter_nd", "unique", "where", "where_v2"]
