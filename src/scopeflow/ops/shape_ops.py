"""Shape-changing array ops: squeeze, expand_dims, transpose, tile, pad, reverse and more.

Also ``broadcast_to``, ``shape_n`` and ``reverse_sequence``.

Each wrapper has TF1's signature and deprecated aliases, computes TF's static shape (unknown dims
and rank included) and raises TF's build-time errors; kernels are differentiable torch code.
Split/unstack live in ``split_ops``.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from torch.nn import functional

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.errors import InvalidArgumentError
from scopeflow.graph._torch_dtypes import torch_dtype
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.op_registry import declare_thread_invariant, register_kernel
from scopeflow.graph.tensor import Tensor
from scopeflow.ops._op_builder import (
    UNKNOWN,
    broadcast_static_shape,
    convert_index_input,
    make_multi_op,
    make_op,
)
from scopeflow.ops._shape_inference import (
    const_int,
    const_ints,
    node_error,
    partial_shape_value,
    set_shape_value,
)
from scopeflow.ops.array_ops import rank as _rank
from scopeflow.ops.math_ops import _scope, subtract


def _lookup(new: str, new_v: Any, old: str, old_v: Any) -> Any:
    if new_v is not None and old_v is not None:
        raise ValueError(f"Cannot specify both '{old}' and '{new}'.")
    return new_v if new_v is not None else old_v


def squeeze(input: Any, axis: Any = None, name: str | None = None,
            squeeze_dims: Any = None) -> Tensor:  # fmt: skip
    """Removes size-1 dimensions (``tf.squeeze``, op ``Squeeze``).

    ``squeeze_dims`` is the deprecated name of ``axis``.
    """
    if axis is not None and squeeze_dims is not None:
        raise ValueError("Cannot specify both 'squeeze_dims' and 'axis'")
    axis = axis if axis is not None else squeeze_dims
    if isinstance(axis, (int, np.integer)):
        axis = [axis]
    axes = [int(a) for a in (axis or [])]
    scope = _scope(name, "Squeeze")
    x = convert_to_tensor(input, name=scope + "input/")
    attrs = {"T": x._dtype.base_dtype, "squeeze_dims": axes}
    out: TensorShape = UNKNOWN
    if x._shape.ndims is not None:
        dims = x._shape.as_list()
        r = len(dims)
        for i, a in enumerate(axes):
            if not -r <= a < r:
                raise node_error(f"squeeze_dims[{i}] not in [{-r},{r}).", scope, "Squeeze",
                                 attrs, (x,))  # fmt: skip
        wanted = {a % r for a in axes}
        keep: list[int | None] = []
        unknown = False
        for i, d in enumerate(dims):
            if wanted:
                if i in wanted:
                    if d is not None and d != 1:
                        raise node_error(f"Can not squeeze dim[{i}], expected a dimension of 1, "
                                         f"got {d}", scope, "Squeeze", attrs, (x,))  # fmt: skip
                    continue
            elif d is None:
                unknown = True
            elif d == 1:
                continue
            keep.append(d)
        out = UNKNOWN if unknown else TensorShape(keep)
    return make_op("Squeeze", (x,), attrs, scope, x._dtype.base_dtype, out)


declare_thread_invariant("Squeeze", "Pad")  # a view and a copy (``interop``)


@register_kernel("Squeeze", aliases_input=True)
def _squeeze_kernel(op: Any, session: Any) -> Any:
    axes = op._attrs["squeeze_dims"]

    def kernel(x: Any) -> Any:
        r = x.dim()
        if axes:
            for a in axes:
                if x.shape[a % r] != 1:
                    raise InvalidArgumentError(
                        None, op, f"Can not squeeze dim[{a % r}], expected a dimension of 1, got "
                        f"{x.shape[a % r]}"
                    )  # fmt: skip
            wanted = {a % r for a in axes}
            return x.reshape([d for i, d in enumerate(x.shape) if i not in wanted])
        return x.reshape([d for d in x.shape if d != 1])

    return kernel


def expand_dims(input: Any, axis: Any = None, name: str | None = None,
                dim: Any = None) -> Tensor:  # fmt: skip
    """Inserts a dimension of size 1 at ``axis`` (``tf.expand_dims``; ``dim`` is deprecated)."""
    axis = _lookup("axis", axis, "dim", dim)
    if axis is None:
        raise ValueError("Must specify an axis argument to tf.expand_dims()")
    scope = _scope(name, "ExpandDims")
    x = convert_to_tensor(input, name=scope + "input/")
    d = convert_to_tensor(axis, name=scope + "dim/")
    attrs = {"T": x._dtype.base_dtype, "Tdim": d._dtype.base_dtype}
    out: TensorShape = UNKNOWN
    a = const_ints(d)
    if a is not None and len(a) != 1:
        raise node_error(f"'dim' input must be a tensor with a single value, but got {d._shape}",
                         scope, "ExpandDims", attrs, (x, d), computed=(1,))  # fmt: skip
    if x._shape.ndims is not None and a is not None:
        r = x._shape.ndims
        ax = a[0]
        if not -1 - r <= ax <= r:
            raise node_error(f"dim {ax} not in the interval [{-1 - r}, {r}].", scope,
                             "ExpandDims", attrs, (x, d), computed=(1,))  # fmt: skip
        dims = x._shape.as_list()
        dims.insert(ax + r + 1 if ax < 0 else ax, 1)
        out = TensorShape(dims)
    elif x._shape.ndims is not None:
        out = TensorShape([None] * (x._shape.ndims + 1))
    t = make_op("ExpandDims", (x, d), attrs, scope, x._dtype.base_dtype, out)
    if x._const is not None and out.is_fully_defined():
        t._const = np.reshape(x._const, out.as_list())
    return t


@register_kernel("ExpandDims", aliases_input=True)
def _expand_dims_kernel(op: Any, session: Any) -> Any:
    def kernel(x: Any, d: Any) -> Any:
        ax = int(d.reshape(-1)[0])
        r = x.ndim if isinstance(x, np.ndarray) else x.dim()
        if not -1 - r <= ax <= r:
            raise InvalidArgumentError(
                None, op, f"Tried to expand dim index {ax} for tensor with {r} dimensions."
            )
        if isinstance(x, np.ndarray):  # strings (imported graphs expand them too)
            return np.expand_dims(x, ax)
        return x.unsqueeze(ax)

    return kernel


def transpose(a: Any, perm: Any = None, name: str = "transpose",
              conjugate: bool = False) -> Tensor:  # fmt: skip
    """Permutes dimensions (``tf.transpose``, op ``Transpose``).

    ``perm`` defaults to reversing the dimensions; ``conjugate=True`` on complex input gives
    ``ConjugateTranspose``.
    """
    scope = _scope(name, "transpose")
    x = convert_to_tensor(a, name=scope + "a/")
    op_type = "ConjugateTranspose" if conjugate and x._dtype.is_complex else "Transpose"
    if perm is None:
        if not x._shape.ndims:
            rk = _rank(x, name=scope + "Rank/")
            from scopeflow.ops.creation_ops import range as _range  # noqa: PLC0415

            perm = _range(subtract(rk, 1, name=scope + "sub/"), -1, -1, name=scope + "Range/")
        else:
            perm = np.arange(x._shape.ndims - 1, -1, -1, dtype=np.int32)
    p = convert_index_input(perm, scope, "perm")
    attrs = {"T": x._dtype.base_dtype, "Tperm": p._dtype.base_dtype}
    pv = const_ints(p)
    out: TensorShape = UNKNOWN
    n = p._shape.as_list()[0] if p._shape.ndims == 1 else None
    r = x._shape.ndims
    if r is not None and n is not None and n != r:
        raise node_error(f"Dimension must be {r} but is {n}", scope, op_type, attrs, (x, p))
    if r is not None and pv is not None:
        dims = x._shape.as_list()
        for v in pv:
            if not 0 <= v < r:
                raise node_error(f"perm dim {v} is out of range of input rank {r}", scope,
                                 op_type, attrs, (x, p), computed=(1,))  # fmt: skip
        out = TensorShape([dims[v] for v in pv])
    elif r is not None or n is not None:
        out = TensorShape([None] * (r if r is not None else n))  # type: ignore[operator]
    t = make_op(op_type, (x, p), attrs, scope, x._dtype.base_dtype, out)
    if x._const is not None and pv is not None and sorted(pv) == list(range(len(pv))):
        t._const = np.transpose(x._const, pv)
    return t


def _perm_kernel(conj: bool) -> Any:
    def factory(op: Any, session: Any) -> Any:
        def kernel(x: Any, p: Any) -> Any:
            perm = [int(v) for v in p.tolist()]
            rank = x.ndim
            if sorted(perm) != list(range(rank)):
                raise InvalidArgumentError(
                    None, op, f"transpose expects a vector of size {rank}. But input(1) is a "
                    f"vector of size {len(perm)}" if len(perm) != rank else
                    f"{_dup(perm)} is duplicated in perm"
                )  # fmt: skip
            if isinstance(x, np.ndarray):  # strings (object arrays)
                return np.transpose(x, perm)
            y = x.permute(perm)
            return y.conj() if conj else y

        return kernel

    return factory


def _dup(perm: list[int]) -> int:
    seen: set[int] = set()
    for v in perm:
        if v in seen:
            return v
        seen.add(v)
    return perm[0]


register_kernel("Transpose", aliases_input=True)(_perm_kernel(False))
register_kernel("ConjugateTranspose")(_perm_kernel(True))


def tile(input: Any, multiples: Any, name: str | None = None) -> Tensor:
    """Repeats ``input`` ``multiples[i]`` times along dimension ``i`` (``tf.tile``)."""
    scope = _scope(name, "Tile")
    x = convert_to_tensor(input, name=scope + "input/")
    m = convert_index_input(multiples, scope, "multiples")
    attrs = {"T": x._dtype.base_dtype, "Tmultiples": m._dtype.base_dtype}
    n = m._shape.as_list()[0] if m._shape.ndims == 1 else None
    r = x._shape.ndims
    if r is not None and n is not None and n != r:
        raise node_error(f"Shape must be rank {r} but is rank {n}", scope, "Tile", attrs, (x, m))
    out: TensorShape = UNKNOWN
    mv = partial_shape_value(m)
    if r is not None or n is not None:
        rr: int = r if r is not None else n  # type: ignore[assignment]
        dims = x._shape.as_list() if r is not None else [None] * rr
        ms = mv.as_list() if mv is not None and mv.ndims == rr else [None] * rr
        out = TensorShape(
            [None if d is None or k is None else d * k for d, k in zip(dims, ms, strict=True)]
        )
    return make_op("Tile", (x, m), attrs, scope, x._dtype.base_dtype, out)


@register_kernel("Tile")
def _tile_kernel(op: Any, session: Any) -> Any:
    def kernel(x: Any, m: Any) -> Any:
        reps = [int(v) for v in m.tolist()]
        rank = x.ndim if isinstance(x, np.ndarray) else x.dim()
        if len(reps) != rank:
            raise InvalidArgumentError(
                None, op, f"Expected multiples argument to be a vector of length {rank} but "
                f"got length {len(reps)}"
            )  # fmt: skip
        if any(v < 0 for v in reps):
            raise InvalidArgumentError(
                None, op, f"Expected multiples[{next(i for i, v in enumerate(reps) if v < 0)}] "
                ">= 0, but got " + str(min(reps))
            )  # fmt: skip
        if isinstance(x, np.ndarray):  # strings
            return np.tile(x, reps) if reps else x.copy()
        return x.repeat(reps) if reps else x.clone()

    return kernel


def pad(tensor: Any, paddings: Any, mode: str = "CONSTANT", name: str | None = None,
        constant_values: Any = 0) -> Tensor:  # fmt: skip
    """Pads a tensor (``tf.pad``); ``mode`` is case-insensitive.

    ``CONSTANT`` is op ``Pad`` (``PadV2`` with a non-zero ``constant_values``); ``REFLECT`` and
    ``SYMMETRIC`` are op ``MirrorPad``.
    """
    mode = mode.upper()
    if mode == "CONSTANT":
        zero = (not isinstance(constant_values, Tensor) and np.ndim(constant_values) == 0
                and constant_values == np.zeros_like(constant_values))  # fmt: skip
        op_type = "Pad" if zero else "PadV2"
    elif mode in ("REFLECT", "SYMMETRIC"):
        op_type = "MirrorPad"
    else:
        raise ValueError('Value of argument `mode` expected to be one of "CONSTANT", "REFLECT", '
                         f'or "SYMMETRIC". Received `mode` = {mode}')  # fmt: skip
    scope = _scope(name, op_type)
    x = convert_to_tensor(tensor, name=scope + "input/")
    p = convert_index_input(paddings, scope, "paddings")
    inputs: tuple[Tensor, ...] = (x, p)
    attrs: dict[str, Any] = {"T": x._dtype.base_dtype, "Tpaddings": p._dtype.base_dtype}
    if op_type == "PadV2":
        cv = convert_to_tensor(constant_values, dtype=x._dtype.base_dtype,
                               name=scope + "constant_values/")  # fmt: skip
        inputs = (x, p, cv)
    elif op_type == "MirrorPad":
        attrs["mode"] = mode
    out: TensorShape = UNKNOWN
    n = p._shape.as_list()[0] if p._shape.ndims == 2 else None
    r = x._shape.ndims
    if p._shape.ndims not in (None, 2):
        raise node_error(f"Shape must be rank 2 but is rank {p._shape.ndims}", scope, op_type,
                         attrs, inputs)  # fmt: skip
    if r is not None and n is not None and n != r:
        raise node_error(f"Shape must be rank {n} but is rank {r}", scope, op_type, attrs, inputs)
    pv = const_ints(p)
    if r is not None:
        dims = x._shape.as_list()
        if pv is not None:
            pairs = [pv[2 * i : 2 * i + 2] for i in range(r)]
            for a, b in pairs:
                if a < 0 or b < 0:
                    raise node_error(f"Paddings must be non-negative: {a} {b}", scope, op_type,
                                     attrs, inputs, computed=(1,))  # fmt: skip
            out = TensorShape(
                [None if d is None else d + a + b for d, (a, b) in zip(dims, pairs, strict=True)]
            )
        else:
            out = TensorShape(_pad_list_dims(paddings, dims))
    elif n is not None:
        out = TensorShape([None] * n)
    return make_op(op_type, inputs, attrs, scope, x._dtype.base_dtype, out)


def _pad_list_dims(paddings: Any, dims: list[int | None]) -> list[int | None]:
    """TF's ``pad`` static-shape restore: a nested list of paddings, some entries tensors.

    Each dimension whose two paddings are known (Python ints or tensors with known values) gets
    ``before + dim + after`` (``tf.pad(x, [[0, n], [1, 1]])`` on ``(?, 4)`` is ``(?, 6)``).
    """
    if not isinstance(paddings, (list, tuple)) or len(paddings) != len(dims):
        return [None] * len(dims)
    out: list[int | None] = []
    for row, d in zip(paddings, dims, strict=True):
        vals: list[int] = []
        if isinstance(row, (list, tuple)):
            for v in row:
                known = const_int(v) if isinstance(v, Tensor) else v
                if isinstance(known, (int, np.integer)):
                    vals.append(int(known))
        out.append(None if d is None or len(vals) != 2 or len(row) != 2 else d + vals[0] + vals[1])
    return out


def _pad_pairs(op: Any, x: Any, p: Any) -> list[tuple[int, int]]:
    vals = [int(v) for v in p.reshape(-1).tolist()]
    pairs = [(vals[2 * i], vals[2 * i + 1]) for i in range(len(vals) // 2)]
    if len(pairs) != x.dim():
        raise InvalidArgumentError(
            None, op, f"The first dimension of paddings must be the rank of inputs[{len(pairs)},2]"
            f" {list(x.shape)}"
        )  # fmt: skip
    for a, b in pairs:
        if a < 0 or b < 0:
            raise InvalidArgumentError(None, op, f"Paddings must be non-negative: {a} {b}")
    return pairs


@register_kernel("Pad")
def _pad_kernel(op: Any, session: Any) -> Any:
    def kernel(x: Any, p: Any) -> Any:
        flat = [v for a, b in reversed(_pad_pairs(op, x, p)) for v in (a, b)]
        return functional.pad(x, flat) if flat else x.clone()

    return kernel


@register_kernel("PadV2")
def _pad_v2_kernel(op: Any, session: Any) -> Any:
    def kernel(x: Any, p: Any, cv: Any) -> Any:
        flat = [v for a, b in reversed(_pad_pairs(op, x, p)) for v in (a, b)]
        return functional.pad(x, flat, value=cv.item()) if flat else x.clone()

    return kernel


@register_kernel("MirrorPad")
def _mirror_pad_kernel(op: Any, session: Any) -> Any:
    sym = op._attrs["mode"] == "SYMMETRIC"

    def kernel(x: Any, p: Any) -> Any:
        pairs = _pad_pairs(op, x, p)
        for i, ((a, b), n) in enumerate(zip(pairs, x.shape, strict=True)):
            limit = n if sym else n - 1
            if a > limit or b > limit:
                raise InvalidArgumentError(
                    None, op, f"paddings must be no greater than the dimension size: {a}, {b} "
                    f"greater than {n}" if sym else
                    f"paddings must be less than the dimension size: {a}, {b} not less than {n}"
                )  # fmt: skip
            if a == 0 and b == 0:
                continue
            j = torch.arange(-a, n + b)
            off = 1 if sym else 0
            j = torch.where(j < 0, -j - off, j)
            j = torch.where(j >= n, 2 * n - 2 - j + off, j)
            x = x.index_select(i, j)
        return x

    return kernel


def reverse(tensor: Any, axis: Any, name: str | None = None) -> Tensor:
    """Reverses the given dimensions (``tf.reverse``, op ``ReverseV2``)."""
    scope = _scope(name, "ReverseV2")
    x = convert_to_tensor(tensor, name=scope + "tensor/")
    a = convert_to_tensor(axis, name=scope + "axis/")
    attrs = {"T": x._dtype.base_dtype, "Tidx": a._dtype.base_dtype}
    av = const_ints(a)
    r = x._shape.ndims
    if r is not None and av is not None:
        for v in av:
            if not -r <= v < r:
                raise node_error(f"'axis'[0] = {v} is out of valid range [0, {r - 1}", scope,
                                 "ReverseV2", attrs, (x, a), computed=(1,))  # fmt: skip
    return make_op("ReverseV2", (x, a), attrs, scope, x._dtype.base_dtype, x._shape)


@register_kernel("ReverseV2")
def _reverse_kernel(op: Any, session: Any) -> Any:
    def kernel(x: Any, a: Any) -> Any:
        axes = [int(v) % max(x.dim(), 1) for v in a.reshape(-1).tolist()]
        if len(set(axes)) != len(axes):
            raise InvalidArgumentError(None, op, f"axis {axes[0]} specified more than once.")
        return x.flip(axes) if axes else x.clone()

    return kernel


def reverse_sequence(input: Any, seq_lengths: Any, seq_axis: Any = None,
                     batch_axis: Any = None, name: str | None = None, seq_dim: Any = None,
                     batch_dim: Any = None) -> Tensor:  # fmt: skip
    """Reverses variable-length prefixes along ``seq_axis`` (``tf.reverse_sequence``).

    For each ``b`` of ``batch_axis`` the first ``seq_lengths[b]`` entries are reversed;
    ``seq_dim``/``batch_dim`` are the deprecated argument names.
    """
    seq_axis = _lookup("seq_axis", seq_axis, "seq_dim", seq_dim)
    batch_axis = _lookup("batch_axis", batch_axis, "batch_dim", batch_dim)
    batch_axis = 0 if batch_axis is None else batch_axis
    if seq_axis is None:
        raise TypeError("reverse_sequence() missing required argument 'seq_axis'")
    scope = _scope(name, "ReverseSequence")
    x = convert_to_tensor(input, name=scope + "input/")
    sl = convert_to_tensor(seq_lengths, name=scope + "seq_lengths/")
    attrs = {"T": x._dtype.base_dtype, "Tlen": sl._dtype.base_dtype,
             "batch_dim": int(batch_axis), "seq_dim": int(seq_axis)}  # fmt: skip
    return make_op("ReverseSequence", (x, sl), attrs, scope, x._dtype.base_dtype, x._shape)


@register_kernel("ReverseSequence")
def _reverse_sequence_kernel(op: Any, session: Any) -> Any:
    bd, sd = op._attrs["batch_dim"], op._attrs["seq_dim"]

    def kernel(x: Any, sl: Any) -> Any:
        n = x.shape[sd]
        lens = sl.to(torch.int64)
        if bool((lens > n).any()) or bool((lens < 0).any()):
            raise InvalidArgumentError(
                None, op, f"seq_lens(0) > input.dim({sd}) ({int(lens.max())} vs. {n})"
            )
        t = torch.arange(n)
        idx = torch.where(t[None, :] < lens[:, None], lens[:, None] - 1 - t[None, :], t[None, :])
        shape = [1] * x.dim()
        shape[bd], shape[sd] = x.shape[bd], n
        order = [bd, sd] if bd < sd else [sd, bd]
        idx = idx if bd < sd else idx.t()
        view = [x.shape[d] if d in order else 1 for d in range(x.dim())]
        idx = idx.reshape(view).expand(x.shape)
        return torch.gather(x, sd, idx)

    return kernel


def broadcast_to(input: Any, shape: Any, name: str | None = None) -> Tensor:
    """Broadcasts ``input`` to ``shape`` (``tf.broadcast_to``, op ``BroadcastTo``)."""
    scope = _scope(name, "BroadcastTo")
    x = convert_to_tensor(input, name=scope + "input/")
    s = convert_index_input(shape, scope, "shape")
    attrs = {"T": x._dtype.base_dtype, "Tidx": s._dtype.base_dtype}
    target = partial_shape_value(s)
    out: TensorShape = UNKNOWN
    if target is not None:
        if x._shape.ndims is not None and target.ndims is not None:
            if x._shape.ndims > target.ndims:
                raise node_error(f"Rank of input ({x._shape.ndims}) must be no greater than rank "
                                 f"of output shape ({target.ndims}).", scope, "BroadcastTo",
                                 attrs, (x, s), partial=(1,))  # fmt: skip
            try:
                broadcast_static_shape(x._shape, target)
            except ValueError:
                raise node_error(
                    f"Incompatible shapes: {_br(x._shape)} vs. {_br(target)}", scope,
                    "BroadcastTo", attrs, (x, s), partial=(1,)
                ) from None  # fmt: skip
            tl = target.as_list()
            xl = [None] * (len(tl) - x._shape.ndims) + x._shape.as_list()
            out = TensorShape([t if t is not None else (d if d != 1 else None)
                               for t, d in zip(tl, xl, strict=True)])  # fmt: skip
        else:
            out = target
    return make_op("BroadcastTo", (x, s), attrs, scope, x._dtype.base_dtype, out)


def _br(s: TensorShape) -> str:
    return "[" + ",".join("?" if d is None else str(d) for d in s.as_list()) + "]"


@register_kernel("BroadcastTo")
def _broadcast_to_kernel(op: Any, session: Any) -> Any:
    def kernel(x: Any, s: Any) -> Any:
        dims = [int(v) for v in s.tolist()]
        try:
            return x.expand(dims).clone()
        except RuntimeError:
            raise InvalidArgumentError(
                None, op, f"Incompatible shapes: [{','.join(str(d) for d in x.shape)}] vs. "
                f"[{','.join(str(d) for d in dims)}]"
            ) from None  # fmt: skip

    return kernel


def shape_n(input: Any, out_type: Any = dtypes.int32, name: str | None = None) -> list[Tensor]:
    """The shapes of several tensors (``tf.shape_n``, op ``ShapeN``)."""
    scope = _scope(name, "ShapeN")
    xs = [convert_to_tensor(v, name=f"{scope}input_{i}/") for i, v in enumerate(input)]
    dt = dtypes.as_dtype(out_type).base_dtype
    if len({x._dtype.base_dtype for x in xs}) > 1:
        raise TypeError(
            "Tensors in list passed to 'input' of 'ShapeN' Op have types "
            f"[{', '.join(x._dtype.base_dtype.name for x in xs)}] that don't all match."
        )
    attrs = {"N": len(xs), "T": xs[0]._dtype.base_dtype, "out_type": dt}
    shapes = [TensorShape([x._shape.ndims]) for x in xs]
    op = make_multi_op("ShapeN", xs, attrs, scope, [dt] * len(xs), shapes)
    for x, t in zip(xs, op._outputs, strict=True):
        if x._shape.ndims is not None:
            set_shape_value(t, x._shape.as_list())
    return list(op._outputs)


@register_kernel("ShapeN")
def _shape_n_kernel(op: Any, session: Any) -> Any:
    tdt = torch_dtype(op._attrs["out_type"])

    def kernel(*xs: Any) -> Any:
        outs = tuple(torch.tensor(tuple(x.shape), dtype=tdt) for x in xs)
        return outs[0] if len(outs) == 1 else outs

    return kernel


__all__ = [
    "broadcast_to",
    "expand_dims",
    "pad",
    "reverse",
    "reverse_sequence",
    "shape_n",
    "squeeze",
    "tile",
    "transpose",
]
