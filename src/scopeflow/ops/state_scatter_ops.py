"""Sparse updates of TF1 variables: ``tf.scatter_*`` and ``tf.scatter_nd_*`` (and the methods).

``ScatterUpdate``/``ScatterAdd``/``ScatterSub``/``ScatterMul``/``ScatterDiv``/``ScatterMax``/
``ScatterMin`` update rows ``ref[indices[i]]``; ``ScatterNdUpdate``/``ScatterNdAdd``/
``ScatterNdSub`` update the slices ``ref[indices[i, :K]]``. Like ``Assign``, the kernels address
the variable by name (``ref_inputs=(0,)``) and update its value IN PLACE (TF1 ref semantics), so
earlier reads aliasing the variable see the new value; the output is the variable itself (dtype
``*_ref``). Repeated indices: ``update`` keeps the last value, ``add``/``sub`` accumulate,
``mul``/``div``/``max``/``min`` apply in order, as TF's CPU kernels do.

``Variable.scatter_update(IndexedSlices)`` and the other methods build the same ops through a hook
this module installs in ``scopeflow.graph.variables`` (which may not import ``ops``).

Must not import any layer above ``ops``.
"""

from __future__ import annotations

import functools
from typing import Any

import torch

from scopeflow._core import dtypes
from scopeflow.errors import InvalidArgumentError
from scopeflow.graph import variables as _variables
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.graph.variables import Variable
from scopeflow.ops._math_common import _check_allowed, _convert_input, dt_enum, node_desc
from scopeflow.ops._op_builder import make_op, ref_variable_name
from scopeflow.ops.math_ops import _scope

_INDEX_TYPES = (dtypes.int32, dtypes.int64)


def _slist(dims: list[int | None] | None) -> str:
    if dims is None:
        return "?"
    return "[" + ",".join("?" if d is None else str(d) for d in dims) + "]"


def _merge_error(a: list[int | None], b: list[int | None]) -> str | None:
    """TF's ``Merge`` failure text for two known-rank shapes, or None if they merge."""
    if len(a) != len(b):
        return f"Shapes must be equal rank, but are {len(a)} and {len(b)}"
    for i, (x, y) in enumerate(zip(a, b, strict=True)):
        if x is not None and y is not None and x != y:
            return (
                f"Dimension {i} in both shapes must be equal, but are {x} and {y}. Shapes "
                f"are {_slist(a)} and {_slist(b)}."
            )
    return None


def _build(
    op_type: str, ref: Any, indices: Any, updates: Any, use_locking: bool, name: str | None
) -> Tensor:
    if not isinstance(ref, Variable):
        raise TypeError(f"'{op_type}' needs a Variable as ref, got {type(ref).__name__}.")
    var = ref._variable
    dt = var._dtype.base_dtype
    scope = _scope(name, op_type)
    idx = convert_to_tensor(indices, name=scope + "indices/")
    _check_allowed(idx, _INDEX_TYPES, "indices")
    upd = _convert_input(updates, dt, "updates", op_type, scope, "ref")
    nd = op_type.startswith("ScatterNd")
    attrs = f"T={dt_enum(dt)}, Tindices={dt_enum(idx._dtype.base_dtype)}, "
    if nd:
        attrs += 'bad_indices_policy="", '
    attrs += f"use_locking={str(bool(use_locking)).lower()}"
    desc = node_desc(scope, op_type, attrs, [var, idx, upd])
    shapes = (
        f"{_slist(var._shape.as_list() if var._shape.dims is not None else None)}, "
        + f"{_slist(idx._shape.as_list() if idx._shape.dims is not None else None)}, "
        + f"{_slist(upd._shape.as_list() if upd._shape.dims is not None else None)}"
    )
    if var._shape.dims is not None and idx._shape.dims is not None and upd._shape.dims is not None:
        r, i, u = var._shape.as_list(), idx._shape.as_list(), upd._shape.as_list()
        if not nd:
            err = None if not u else _merge_error(u, i + r[1:])
            if err:
                raise ValueError(f"{err} for {desc} with input shapes: {shapes}.")
        elif i and i[-1] is not None:
            _check_nd(r, i, u, desc, shapes)
    return make_op(
        op_type,
        (var, idx, upd),
        {"T": dt, "Tindices": idx._dtype.base_dtype, "use_locking": bool(use_locking)},
        scope,
        var._dtype,
        var._shape,
    )


def _check_nd(
    r: list[int | None], i: list[int | None], u: list[int | None], desc: str, shapes: str
) -> None:
    k = i[-1]
    assert k is not None
    b = len(i) - 1
    pre = (
        _merge_error(i[:b], u[:b])
        if len(u) >= b
        else f"Shapes must be equal rank, but are {b} and {len(u)}"
    )
    if pre:
        raise ValueError(
            f"Dimensions [0,{b}) of indices[shape={_slist(i)}] = {_slist(i[:b])} must match "
            f"dimensions [0,{b}) of updates[shape={_slist(u)}] = {_slist(u[:b])}: {pre} for "
            f"{desc} with input shapes: {shapes}."
        )
    if k > len(r):
        return  # TF only fails at run time
    err = _merge_error(r[k:], u[b:])
    if err:
        raise ValueError(
            f"Dimensions [{k},{len(r)}) of input[shape={_slist(r)}] = {_slist(r[k:])} must match "
            f"dimensions [{b},{len(u)}) of updates[shape={_slist(u)}] = {_slist(u[b:])}: {err} "
            f"for {desc} with input shapes: {shapes}."
        )


def _public(op_type: str, locking_default: bool) -> Any:
    def fn(
        ref: Any,
        indices: Any,
        updates: Any,
        use_locking: bool = locking_default,
        name: str | None = None,
    ) -> Tensor:
        return _build(op_type, ref, indices, updates, use_locking, name)

    return fn


scatter_update = _public("ScatterUpdate", True)
scatter_add = _public("ScatterAdd", False)
scatter_sub = _public("ScatterSub", False)
scatter_mul = _public("ScatterMul", False)
scatter_div = _public("ScatterDiv", False)
scatter_max = _public("ScatterMax", False)
scatter_min = _public("ScatterMin", False)
scatter_nd_update = _public("ScatterNdUpdate", True)
scatter_nd_add = _public("ScatterNdAdd", False)
scatter_nd_sub = _public("ScatterNdSub", False)
for _f, _n in (
    (scatter_update, "scatter_update"),
    (scatter_add, "scatter_add"),
    (scatter_sub, "scatter_sub"),
    (scatter_mul, "scatter_mul"),
    (scatter_div, "scatter_div"),
    (scatter_max, "scatter_max"),
    (scatter_min, "scatter_min"),
    (scatter_nd_update, "scatter_nd_update"),
    (scatter_nd_add, "scatter_nd_add"),
    (scatter_nd_sub, "scatter_nd_sub"),
):
    _f.__name__ = _f.__qualname__ = _n
    _f.__doc__ = (
        f"``tf.{_n}(ref, indices, updates, use_locking, name)``: sparse in-place update "
        "of variable ``ref``; returns ``ref`` after the update."
    )


def _variable_scatter(
    op_type: str,
    var: Variable,
    sparse_delta: Any,
    indices: Any,
    use_locking: bool,
    name: str | None,
) -> Tensor:
    """The ``Variable.scatter_*`` methods (``sparse_delta`` is an ``IndexedSlices``)."""
    if op_type.startswith("ScatterNd"):
        return _build(op_type, var, indices, sparse_delta, use_locking, name)
    from scopeflow.ops.sparse_ops import IndexedSlices  # noqa: PLC0415

    if not isinstance(sparse_delta, IndexedSlices):
        raise TypeError(f"sparse_delta is not IndexedSlices: {sparse_delta}")
    return _build(op_type, var, sparse_delta.indices, sparse_delta.values, use_locking, name)


_variables._SCATTER_HOOK = _variable_scatter


# --- kernels --------------------------------------------------------------------------------------


def _rows(
    op: Operation, cur: torch.Tensor, idx: torch.Tensor, upd: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(view of ``cur`` with the indexed dims flattened, flat row indices, updates per row)."""
    if op._type.startswith("ScatterNd"):
        k = idx.shape[-1]
        if k > cur.dim():
            raise InvalidArgumentError(
                None,
                op,
                f"Dimensions [{k},{cur.dim()}) of input[shape={_slist(list(cur.shape))}] "
                f"must match dimensions [{k},{upd.dim()}) of updates[shape="
                f"{_slist(list(upd.shape))}]",
            )
        lead = list(cur.shape[:k])
        flat_idx = idx.reshape(-1, k).long()
        for row, ix in enumerate(flat_idx.tolist()):
            if any(not 0 <= v < n for v, n in zip(ix, lead, strict=True)):
                raise InvalidArgumentError(
                    None,
                    op,
                    f"indices[{row}] = [{', '.join(map(str, ix))}] does not index into "
                    f"shape {_slist(list(cur.shape))}",
                )
        strides = torch.tensor([int(torch.tensor(lead[j + 1 :]).prod()) for j in range(k)])
        rows = (flat_idx * strides).sum(-1) if k else torch.zeros(1, dtype=torch.long)
        view = cur.view(-1, *cur.shape[k:])
        return view, rows, upd.reshape(-1, *cur.shape[k:])
    n = cur.shape[0]
    rows = idx.reshape(-1).long()
    bad = ((rows < 0) | (rows >= n)).nonzero()  # one vectorised check, the first bad index named
    if len(bad):
        i = int(bad[0, 0])
        raise InvalidArgumentError(None, op, f"indices[{i}] = {int(rows[i])} is not in [0, {n})")
    if upd.dim() == 0:
        upd = upd.expand(rows.shape[0], *cur.shape[1:])
    return cur, rows, upd.reshape(-1, *cur.shape[1:])


_EXACT_ALPHA = (torch.float32, torch.float64, torch.complex64, torch.complex128)


def _apply(kind: str, view: torch.Tensor, rows: torch.Tensor, upd: torch.Tensor) -> None:
    if kind == "Update":
        view[rows] = upd
    elif kind == "Add":
        view.index_add_(0, rows, upd)
    elif kind == "Sub":
        if view.dtype in _EXACT_ALPHA:
            # alpha=-1 adds exactly -upd without materialising it (3-4x faster for the
            # 128-192 rows of a [50000, 128] word2vec table); half types keep -upd, whose
            # rounding differs
            view.index_add_(0, rows, upd, alpha=-1)
        else:
            view.index_add_(0, rows, -upd)
    else:
        f: Any = {"Mul": torch.mul, "Div": torch.div, "Max": torch.maximum, "Min": torch.minimum}[
            kind
        ]
        if kind == "Div" and not view.is_floating_point() and not view.is_complex():
            f = functools.partial(torch.div, rounding_mode="trunc")
        if torch.unique(rows).numel() == rows.numel():
            view[rows] = f(view[rows], upd)
        else:
            for k, r in enumerate(rows.tolist()):
                view[r] = f(view[r], upd[k])


def _scatter_kernel(op: Operation, session: Any) -> Any:
    name = ref_variable_name(op._inputs[0])
    kind = op._type.removeprefix("ScatterNd").removeprefix("Scatter")

    def kernel(ref: Any, indices: torch.Tensor, updates: torch.Tensor) -> torch.Tensor:
        cur = session._read_variable(name, op)
        view, rows, upd = _rows(op, cur, indices, updates)
        with torch.no_grad():
            _apply(kind, view, rows, upd.to(cur.dtype))
        return cur  # type: ignore[no-any-return]

    return kernel


for _op_type in (
    "ScatterUpdate",
    "ScatterAdd",
    "ScatterSub",
    "ScatterMul",
    "ScatterDiv",
    "ScatterMax",
    "ScatterMin",
    "ScatterNdUpdate",
    "ScatterNdAdd",
    "ScatterNdSub",
):
    register_kernel(_op_type, stateful=True, aliases_input=True, ref_inputs=(0,))(_scatter_kernel)

__all__ = [
    "scatter_add",
    "scatter_div",
    "scatter_max",
    "scatter_min",
    "scatter_mul",
    "scatter_nd_add",
    "scatter_nd_sub",
    "scatter_nd_update",
    "scatter_sub",
    "scatter_update",
]
