"""Strided slicing (``tf.strided_slice``, ``Tensor.__getitem__``) and sliced assignment.

Ops ``StridedSlice`` and ``StridedSliceAssign`` (``v[1:3].assign(x)``).

The slice spec is resolved exactly as TF's ``ValidateStridedSliceOp`` does (sparse spec with masks
-> dense per-dimension spec -> canonical bounds), once for static shape inference (with unknown
dimensions and unknown begin/end) and again in the kernel. Negative strides are run as a ``flip``
followed by a positive-step slice, so the kernel stays differentiable torch code.

As in TF 1.15, every graph slice carries an ``assign(value, name=None)`` method: on a slice of a
variable (``Variable.__getitem__``, or ``tf.strided_slice(..., var=v)``) it builds
``StridedSliceAssign``, which writes ``value`` into that part of the variable IN PLACE (TF1 ref
semantics, as ``Assign``/``ScatterUpdate``) and returns the variable's ref; on a plain tensor it
raises TF's ``ValueError``. TF registers no gradient for ``StridedSliceAssign``.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

import builtins
import numbers
from typing import Any

import numpy as np
import torch

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import Dimension, TensorShape
from scopeflow.errors import InvalidArgumentError
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Tensor, register_operator
from scopeflow.graph.variables import Variable
from scopeflow.ops._math_common import _convert_input
from scopeflow.ops._op_builder import UNKNOWN, make_op, ref_variable_name
from scopeflow.ops._shape_inference import const_ints, node_error, set_shape_value
from scopeflow.ops.array_ops import ones_like, stack
from scopeflow.ops.constant_op import constant
from scopeflow.ops.math_ops import _scope, cast

newaxis = None
"""``tf.newaxis``: inserts a dimension of size 1 when slicing."""

_SLICE_TYPE_ERROR = (
    "Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and scalar "
    "tf.int32/tf.int64 tensors are valid indices"
)
_INDEX_DTYPES = (dtypes.int16, dtypes.int32, dtypes.int64)


class _SliceError(Exception):
    """A slice-spec error; ``needs_values`` if it needed begin/end values to be detected."""

    def __init__(self, msg: str, needs_values: bool = False) -> None:
        super().__init__(msg)
        self.msg = msg
        self.needs_values = needs_values


# One dense dimension: (begin, end, stride, begin_masked, end_masked, shrink).
_Dense = tuple[int, int, int, bool, bool, bool]


_Masks = tuple[int, int, int, int, int]


def _dense_spec(
    ndims: int, begin: list[int] | None, end: list[int] | None, strides: list[int], masks: _Masks
) -> tuple[list[_Dense], list[Any]]:
    """TF's ``BuildDenseSpec``: a spec per input dimension, and the output layout.

    Layout entries are ``("dim", i)``, ``("shrink", i)`` or ``("new",)``, in output order.
    """
    begin_mask, end_mask, ellipsis_mask, new_axis_mask, shrink_mask = masks
    if ellipsis_mask & (ellipsis_mask - 1):
        raise _SliceError("Multiple ellipses in slice spec not allowed")
    n = len(strides)
    seen, add_after = False, 0
    for i in range(n):
        if seen and (1 << i) & new_axis_mask:
            add_after += 1
        if (1 << i) & ellipsis_mask:
            seen = True
    if not seen:
        ellipsis_mask |= 1 << n
        n += 1
    dense: list[_Dense] = []
    layout: list[Any] = []
    for i in range(n):
        if (1 << i) & ellipsis_mask:
            nxt = min(ndims - (n - i) + 1 + add_after, ndims)
            while len(dense) < nxt:
                layout.append(("dim", len(dense)))
                dense.append((0, 0, 1, True, True, False))
        elif (1 << i) & new_axis_mask:
            layout.append(("new",))
        else:
            if len(dense) == ndims:
                if ndims == 0:
                    raise _SliceError("Attempting to slice scalar input.")
                raise _SliceError(
                    f"Index out of range using input dim {len(dense)}; input has only {ndims} dims"
                )
            shrink = bool(shrink_mask & (1 << i))
            layout.append(("shrink" if shrink else "dim", len(dense)))
            dense.append((0 if begin is None else begin[i], 0 if end is None else end[i],
                          strides[i], bool(begin_mask & (1 << i)), bool(end_mask & (1 << i)),
                          shrink))  # fmt: skip
    return dense, layout


_Canon = list[tuple[int, int, int] | None]


def _resolve(
    dims: list[int | None],
    begin: list[int] | None,
    end: list[int] | None,
    strides: list[int],
    masks: _Masks,
) -> tuple[_Canon, list[int | None], list[Any]]:
    """TF's ``ValidateStridedSliceOp`` steps 1-4.

    Returns canonical ``(begin, end, stride)`` per dimension (None where unknown), the output
    shape, and the output layout.
    """
    dense, layout = _dense_spec(len(dims), begin, end, strides, masks)
    valid = begin is not None and end is not None
    canon: list[tuple[int, int, int] | None] = []
    proc: list[int | None] = []
    for i, (b0, e0, s, bm, em, shrink) in enumerate(dense):
        b, e = b0, e0
        dim = dims[i]
        if s == 0:
            raise _SliceError(f"strides[{i}] must be non-zero")
        if dim is None:
            proc.append(1 if shrink else None)
            canon.append(None)
            continue
        if shrink and s <= 0:
            raise _SliceError("only stride 1 allowed on non-range indexing.")
        lo, hi = (0, dim) if s > 0 else (-1, dim - 1)

        def fix(x: int, masked: bool, c: int, s: int = s, lo: int = lo, hi: int = hi,
                dim: int = dim) -> int:  # fmt: skip
            if masked:
                return (lo, hi)[c] if s > 0 else (lo, hi)[(c + 1) & 1]
            x = dim + x if x < 0 else x
            return lo if x < lo else hi if x > hi else x

        length: int | None = None
        if valid:
            if shrink:
                fwd = dim + b if b < 0 else b
                if fwd < 0 or fwd >= dim:
                    raise _SliceError(
                        f"slice index {fwd} of dimension {i} out of bounds.", needs_values=True
                    )
                b, e = fwd, fwd + 1
            else:
                b, e = fix(b, bm, 0), fix(e, em, 1)
            canon.append((b, e, s))
            length = e - b
        else:
            canon.append(None)
            if shrink:
                length = 1
            elif bm and em:
                length = -dim if s < 0 else dim
        if length is None:
            proc.append(None)
        elif length == 0 or (length < 0) != (s < 0):
            proc.append(0)
        else:
            proc.append(length // s + (1 if length % s else 0))
    final = [1 if ent[0] == "new" else proc[ent[1]] for ent in layout if ent[0] != "shrink"]
    return canon, final, layout


def _index_tuple(canon: list[tuple[int, int, int] | None], layout: list[Any],
                 dims: list[int]) -> tuple[list[int], tuple[Any, ...]]:  # fmt: skip
    """Dims to flip and a basic-indexing tuple (positive steps only) realising the slice."""
    flips: list[int] = []
    idx: list[Any] = []
    for ent in layout:
        if ent[0] == "new":
            idx.append(None)
            continue
        d = ent[1]
        b, e, s = canon[d]  # type: ignore[misc]
        if ent[0] == "shrink":
            idx.append(b)
        elif s > 0:
            idx.append(builtins.slice(b, builtins.max(b, e), s))
        else:
            flips.append(d)
            fb, fe = dims[d] - 1 - b, dims[d] - 1 - e
            idx.append(builtins.slice(fb, builtins.max(fb, fe), -s))
    return flips, tuple(idx)


def _masks(op_attrs: dict[str, Any]) -> tuple[int, int, int, int, int]:
    return (op_attrs["begin_mask"], op_attrs["end_mask"], op_attrs["ellipsis_mask"],
            op_attrs["new_axis_mask"], op_attrs["shrink_axis_mask"])  # fmt: skip


def strided_slice(input_: Any, begin: Any, end: Any, strides: Any = None, begin_mask: int = 0,
                  end_mask: int = 0, ellipsis_mask: int = 0, new_axis_mask: int = 0,
                  shrink_axis_mask: int = 0, var: Any = None, name: str | None = None
                  ) -> Tensor:  # fmt: skip
    """Extracts a strided slice of a tensor (``tf.strided_slice``, op ``StridedSlice``).

    >>> import scopeflow.compat.v1 as tf
    >>> x = tf.constant([[1, 2, 3], [4, 5, 6]])
    >>> print(tf.strided_slice(x, [0, 2], [2, 0], [1, -1]).shape)
    (2, 2)
    """
    if strides is None:
        strides = ones_like(begin)
    scope = _scope(name, "StridedSlice")
    x = convert_to_tensor(input_, name=scope + "input/")
    b = convert_to_tensor(begin, name=scope + "begin/")
    e = convert_to_tensor(end, name=scope + "end/")
    s = convert_to_tensor(strides, name=scope + "strides/")
    attrs = {"Index": b._dtype.base_dtype, "T": x._dtype.base_dtype, "begin_mask": begin_mask,
             "ellipsis_mask": ellipsis_mask, "end_mask": end_mask,
             "new_axis_mask": new_axis_mask, "shrink_axis_mask": shrink_axis_mask}  # fmt: skip
    inputs = (x, b, e, s)
    sizes = {t._shape.as_list()[0] for t in (b, e, s) if t._shape.ndims == 1} - {None}
    for t in (b, e, s):
        if t._shape.ndims not in (None, 1):
            raise node_error(f"Shape must be rank 1 but is rank {t._shape.ndims}", scope,
                             "StridedSlice", attrs, inputs)  # fmt: skip
    if len(sizes) > 1:
        bs, ss = b._shape.as_list()[0], s._shape.as_list()[0]
        other = e._shape.as_list()[0] if bs == ss else ss
        raise node_error(
            f"Dimension 0 in both shapes must be equal, but are {bs} and {other}. Shapes are "
            f"[{bs}] and [{other}].", scope, "StridedSlice", attrs, inputs
        )  # fmt: skip
    out: TensorShape = UNKNOWN
    sv = const_ints(s)
    canon = layout = None
    if x._shape.ndims is not None and sizes and sv is not None:
        dims = x._shape.as_list()
        bv, ev = const_ints(b), const_ints(e)
        try:
            canon, final, layout = _resolve(dims, bv, ev, sv, _masks(attrs))
        except _SliceError as err:
            computed = (1, 2, 3) if err.needs_values else (3,)
            raise node_error(err.msg, scope, "StridedSlice", attrs, inputs, computed) from None
        out = TensorShape(final)
    t = make_op("StridedSlice", inputs, attrs, scope, x._dtype.base_dtype, out)
    if canon is not None and all(c is not None for c in canon):
        _fold(t, x, canon, layout)
    # TF 1.15 gives every graph slice ``assign`` (raising unless it slices a variable)
    t.assign = _SliceAssign(  # type: ignore[attr-defined]
        var, begin, end, strides, _masks(attrs), name
    )
    return t


class _SliceAssign:
    """``slice.assign(value, name=None)``: the ``StridedSliceAssign`` of the sliced variable."""

    __slots__ = ("args", "masks", "parent_name", "var")

    def __init__(self, var: Any, begin: Any, end: Any, strides: Any, masks: _Masks,
                 parent_name: str | None) -> None:  # fmt: skip
        self.var, self.args, self.masks = var, (begin, end, strides), masks
        self.parent_name = parent_name

    def __call__(self, val: Any, name: str | None = None) -> Tensor:
        if self.var is None:
            raise ValueError("Sliced assignment is only supported for variables")
        if name is None:
            name = self.parent_name + "_assign"  # type: ignore[operator]  # None: TF's TypeError
        b, e, s = self.args
        bm, em, elm, nm, sm = self.masks
        return strided_slice_assign(self.var, b, e, s, val, begin_mask=bm, end_mask=em,
                                    ellipsis_mask=elm, new_axis_mask=nm, shrink_axis_mask=sm,
                                    name=name)  # fmt: skip


def strided_slice_assign(ref: Any, begin: Any, end: Any, strides: Any, value: Any,
                         begin_mask: int = 0, end_mask: int = 0, ellipsis_mask: int = 0,
                         new_axis_mask: int = 0, shrink_axis_mask: int = 0,
                         name: str | None = None) -> Tensor:  # fmt: skip
    """``StridedSliceAssign``: writes ``value`` into ``ref[begin:end:strides]`` (TF1 ref op).

    ``ref`` is a variable (or its ref tensor); the result is the variable's ref after the write.
    As TF's shape function (``UnchangedShape``), nothing about the slice is checked statically:
    bad slices and a ``value`` that does not broadcast to the slice's shape fail when the op
    runs.

    Differences from TensorFlow: ``value`` broadcasts to the slice's shape as in TF 2's kernel
    (the oracle); TF 1.15's kernel required the exact shape (``UnimplementedError``, "Automatic
    broadcasting not yet implemented"), so programs that ran there run the same here.
    """
    ref_t = ref._ref() if isinstance(ref, Variable) else ref
    if not isinstance(ref_t, Tensor) or not ref_t._dtype._is_ref_dtype:
        raise TypeError(
            "'StridedSliceAssign' Op requires that input 'ref' be a mutable tensor (e.g.: a "
            "tf.Variable)"
        )
    dt = ref_t._dtype.base_dtype
    scope = _scope(name, "StridedSliceAssign")
    b = convert_to_tensor(begin, name=scope + "begin/")
    e = convert_to_tensor(end, name=scope + "end/")
    s = convert_to_tensor(strides, name=scope + "strides/")
    v = _convert_input(value, dt, "value", "StridedSliceAssign", scope, "ref")
    attrs = {"Index": b._dtype.base_dtype, "T": dt, "begin_mask": begin_mask,
             "ellipsis_mask": ellipsis_mask, "end_mask": end_mask,
             "new_axis_mask": new_axis_mask, "shrink_axis_mask": shrink_axis_mask}  # fmt: skip
    return make_op("StridedSliceAssign", (ref_t, b, e, s, v), attrs, scope, ref_t._dtype,
                   ref_t._shape)  # fmt: skip


def _fold(t: Tensor, x: Tensor, canon: list[Any], layout: Any) -> None:
    """Constant folding: a known input value, or known entries of a shape vector."""
    if x._const is not None:
        arr = np.asarray(x._const)
        idx: list[Any] = []
        for ent in layout:
            if ent[0] == "new":
                idx.append(None)
                continue
            b, e, s = canon[ent[1]]
            idx.append(b if ent[0] == "shrink" else builtins.slice(b, None if e < 0 else e, s))
        t._const = np.asarray(arr[tuple(idx)])
    elif x._partial_shape is not None and len(layout) == 1 and layout[0][0] != "new":
        b, e, s = canon[0]
        vals = x._partial_shape.as_list()
        if layout[0][0] == "shrink":
            if vals[b] is not None:
                t._const = np.asarray(vals[b], dtype=t._dtype.as_numpy_dtype)
        else:
            set_shape_value(t, vals[builtins.slice(b, None if e < 0 else e, s)])


@register_kernel("StridedSlice", aliases_input=True)
def _strided_slice_kernel(op: Any, session: Any) -> Any:
    masks = _masks(op._attrs)

    def plan(shape: list[int], b: Any, e: Any, s: Any) -> tuple[list[int], tuple[Any, ...]]:
        try:
            dims: list[int | None] = list(shape)
            canon, _, layout = _resolve(dims, b, e, s, masks)
        except _SliceError as err:
            raise InvalidArgumentError(None, op, err.msg) from None
        return _index_tuple(canon, layout, shape)

    consts = [const_ints(t) for t in op._inputs[1:]]
    if all(c is not None for c in consts):
        cache: dict[tuple[int, ...], Any] = {}

        def kernel_const(x: Any, *_: Any) -> Any:
            key = tuple(x.shape)
            p = cache.get(key)
            if p is None:
                p = cache[key] = plan(list(key), *consts)
            flips, idx = p
            return (x.flip(flips) if flips else x)[idx]

        return kernel_const

    def kernel(x: Any, b: Any, e: Any, s: Any) -> Any:
        flips, idx = plan(list(x.shape), b.tolist(), e.tolist(), s.tolist())
        return (x.flip(flips) if flips else x)[idx]

    return kernel


def _write_index(canon: _Canon, layout: list[Any]) -> tuple[list[int], tuple[Any, ...]]:
    """Value dims to flip and a basic index (positive steps, no new axes) of a non-empty slice.

    A negative-stride dimension is the same elements in ascending order, so the value written
    there is flipped along that dimension instead (writing through ``flip`` would not reach the
    variable: it copies).
    """
    flips: list[int] = []
    idx: list[Any] = []
    out = 0
    for ent in layout:
        if ent[0] == "new":
            out += 1
            continue
        b, e, s = canon[ent[1]]  # type: ignore[misc]
        if ent[0] == "shrink":
            idx.append(b)
            continue
        if s > 0:
            idx.append(builtins.slice(b, e, s))
        else:
            n = (b - e + (-s) - 1) // (-s)
            idx.append(builtins.slice(b + (n - 1) * s, b + 1, -s))
            flips.append(out)
        out += 1
    return flips, tuple(idx)


@register_kernel("StridedSliceAssign", stateful=True, aliases_input=True, ref_inputs=(0,))
def _strided_slice_assign_kernel(op: Any, session: Any) -> Any:
    masks = _masks(op._attrs)
    name = ref_variable_name(op._inputs[0])

    def kernel(ref: Any, b: Any, e: Any, s: Any, value: Any) -> Any:
        cur = session._read_variable(name, op)
        shape = list(cur.shape)
        try:
            canon, final, layout = _resolve(list(shape), b.tolist(), e.tolist(), s.tolist(),
                                            masks)  # fmt: skip
        except _SliceError as err:
            raise InvalidArgumentError(None, op, err.msg) from None
        if not all(final):  # an empty slice writes nothing (any value)
            return cur
        vshape = list(value.shape)
        want = [d for d in final if d is not None]  # every dimension is known here
        if vshape != want:
            try:
                ok = list(np.broadcast_shapes(tuple(vshape), tuple(want))) == want
            except ValueError:
                ok = False
            if not ok:
                raise InvalidArgumentError(
                    None, op,
                    f"Cannot broadcast input shape {_dims(vshape)} into final shape {_dims(want)}",
                )  # fmt: skip
            value = (np.broadcast_to(value, want) if isinstance(value, np.ndarray)
                     else value.broadcast_to(want))  # fmt: skip
        flips, idx = _write_index(canon, layout)
        if isinstance(cur, np.ndarray):  # strings: a new array (values may share a constant's)
            new = cur.copy()
            v = np.asarray(value)
            new[idx] = (np.flip(v, tuple(flips)) if flips else v).reshape(new[idx].shape)
            session._variables[name] = new
            return new
        view = cur[idx]
        with torch.no_grad():
            view.copy_((value.flip(flips) if flips else value).reshape(view.shape))
        return cur

    return kernel


def _dims(shape: list[Any]) -> str:
    return "[" + ",".join(str(d) for d in shape) + "]"


def _slice_helper_var(var: Any, slice_spec: Any) -> Tensor:
    """``variable[slice_spec]``: a slice of ``var``'s snapshot whose ``assign`` writes ``var``."""
    return _slice_helper(var._as_tensor(), slice_spec, var)


def _check_index(idx: Any) -> None:
    if isinstance(idx, (numbers.Integral, Dimension)):
        return
    dt = getattr(idx, "dtype", None)
    if isinstance(idx, Tensor) or hasattr(idx, "_as_tensor"):
        ok = dt is not None and dt.base_dtype in _INDEX_DTYPES
        rank = idx.shape.ndims
        if ok and rank != 1:
            return
    raise TypeError(f"{_SLICE_TYPE_ERROR}, got {idx!r}")


def _undefined(d: Any) -> bool:
    return isinstance(d, Dimension) and d.value is None


def _slice_helper(tensor: Any, slice_spec: Any, var: Any = None) -> Tensor:
    """``tensor[slice_spec]`` as TF's ``_slice_helper`` builds it.

    A ``strided_slice`` with packed ``stack`` constants; a boolean mask goes to ``boolean_mask``.
    """
    tensor = convert_to_tensor(tensor)
    if (isinstance(slice_spec, bool)
            or (isinstance(slice_spec, Tensor) and slice_spec._dtype.base_dtype == dtypes.bool)
            or (isinstance(slice_spec, np.ndarray) and slice_spec.dtype == bool)):  # fmt: skip
        from scopeflow.ops.gather_scatter_ops import boolean_mask  # noqa: PLC0415

        return boolean_mask(tensor, slice_spec)
    if not isinstance(slice_spec, (list, tuple)):
        slice_spec = [slice_spec]
    begin: list[Any] = []
    end: list[Any] = []
    strides: list[Any] = []
    masks = {"begin": 0, "end": 0, "ellipsis": 0, "new": 0, "shrink": 0}
    for index, s in enumerate(slice_spec):
        bit = 1 << index
        if isinstance(s, builtins.slice):
            dt = None
            for v in (s.start, s.stop, s.step):
                if isinstance(v, Tensor):
                    vd = v._dtype.base_dtype
                    if vd == dtypes.int64:
                        dt = dtypes.int64
                    elif vd == dtypes.int32 and dt != dtypes.int64:
                        dt = dtypes.int32
                    elif vd == dtypes.int16 and dt is None:
                        dt = dtypes.int16
            for v, lst, default, key in ((s.start, begin, 0, "begin"), (s.stop, end, 0, "end"),
                                         (s.step, strides, 1, None)):  # fmt: skip
                if v is not None and not _undefined(v):
                    _check_index(v)
                    lst.append(v.value if isinstance(v, Dimension) else v)
                else:
                    lst.append(default if dt is None else constant(default, dtype=dt))
                    if key is not None:
                        masks[key] |= bit
        elif s is Ellipsis or s is None:
            begin.append(0)
            end.append(0)
            strides.append(1)
            masks["ellipsis" if s is Ellipsis else "new"] |= bit
        else:
            _check_index(s)
            if isinstance(s, Dimension) and s.value is None:
                get_default_graph().unique_name("strided_slice")  # TF fails inside its scope
                raise ValueError("Cannot convert unknown Dimension ? to a Tensor.")
            idx: Any = s.value if isinstance(s, Dimension) else s
            begin.append(idx)
            if isinstance(idx, Tensor) or hasattr(idx, "_as_tensor"):
                st = convert_to_tensor(idx)
                nxt = st + 1
                if st._const is not None:
                    nxt._const = np.asarray(st._const + 1, dtype=st._dtype.as_numpy_dtype)
                end.append(nxt)
                sd = st._dtype.base_dtype
                strides.append(constant(1, dtype=sd) if sd in (dtypes.int16, dtypes.int64) else 1)
            else:
                end.append(idx + 1)
                strides.append(1)
            masks["shrink"] |= bit
    scope = _scope(None, "strided_slice")
    with get_default_graph().name_scope(scope):
        if begin:
            pb, pe, ps = stack(begin), stack(end), stack(strides)
            kinds = {pb._dtype.base_dtype, pe._dtype.base_dtype, ps._dtype.base_dtype}
            target = dtypes.int64 if dtypes.int64 in kinds else None
            if target is None and dtypes.int16 in kinds and dtypes.int32 in kinds:
                target = dtypes.int32
            if target is not None:
                pb, pe, ps = (cast(v, target) for v in (pb, pe, ps))
        else:
            pb = pe = ps = constant([], dtype=dtypes.int32)
    return strided_slice(tensor, pb, pe, ps, begin_mask=masks["begin"], end_mask=masks["end"],
                         shrink_axis_mask=masks["shrink"], new_axis_mask=masks["new"],
                         ellipsis_mask=masks["ellipsis"], var=var, name=scope)  # fmt: skip


register_operator("__getitem__", _slice_helper)
Variable.__getitem__ = _slice_helper_var  # type: ignore[misc]  # TF's _SliceHelperVar

__all__ = ["newaxis", "strided_slice"]
