"""Reductions (``reduce_sum`` ... ``reduce_logsumexp``), ``argmax``, ``top_k``, ``cumsum``.

TF1 signatures with the deprecated aliases (``keep_dims``, ``reduction_indices``, ``dimension``).
A reduction's axis becomes an input named ``<op>/reduction_indices`` (or ``Const`` for
``axis=None`` on a known rank, ``range`` on an unknown rank); the static shape follows TF's
``ReductionShape`` rule, including ``()`` for ``axis=None`` on an unknown shape. Integer
``reduce_mean`` truncates toward zero like TF.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

import collections
from typing import Any

import numpy as np
import torch

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.errors import InvalidArgumentError
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Tensor
from scopeflow.ops._math_common import (
    _check_allowed,
    _scope,
    allowed,
    check_fixed,
    dt_enum,
    name_scope,
    node_desc,
    shape_list,
)
from scopeflow.ops._op_builder import SCALAR, UNKNOWN, make_multi_op, make_op
from scopeflow.ops.constant_op import constant

_IDX = (dtypes.int32, dtypes.int64)


def _lookup(new: Any, new_name: str, old: Any, old_name: str) -> Any:
    if old is not None:
        if new is not None:
            raise ValueError(f"Cannot specify both '{old_name}' and '{new_name}'.")
        return old
    return new


def _computed(val: Any) -> str:
    arr = np.asarray(val)
    return "<" + " ".join(str(v) for v in arr.reshape(-1).tolist()) + ">"


def _shape_error(msg: str, desc: str, x: Tensor, idx: Tensor) -> ValueError:
    return ValueError(
        f"{msg} for {desc} with input shapes: {shape_list(x)}, {shape_list(idx)} and with "
        f"computed input tensors: input[1] = {_computed(idx._const)}."
    )


def _axis_tensor(x: Tensor, axis: Any, scope: str, param: str) -> Tensor:
    if axis is None:
        rank = x._shape.ndims
        if rank:
            return constant(np.arange(rank, dtype=np.int32))
        from scopeflow.ops import array_ops  # noqa: PLC0415
        from scopeflow.ops.creation_ops import range as range_  # type: ignore[import-not-found]  # noqa: PLC0415

        return range_(0, array_ops.rank(x))  # type: ignore[no-any-return]
    name = scope + param + "/"
    if isinstance(axis, (list, tuple)) and not axis:
        # TF first converts [] as float32, rejects it and retries: the first name is used up.
        convert_to_tensor(axis, name=name)
        name = get_default_graph().unique_name(scope + param) + "/"
    t = convert_to_tensor(axis, preferred_dtype=dtypes.int32, name=name)
    _check_allowed(t, _IDX, param)
    return t


def reduction(op_type: str, input_tensor: Any, axis: Any, keepdims: Any, name: str | None,
              allowed_types: tuple[dtypes.DType, ...]) -> Tensor:  # fmt: skip
    """Creates the reduction op ``op_type`` with TF's static shape rule and errors."""
    keep = bool(keepdims) if keepdims is not None else False
    if axis is None:
        x = convert_to_tensor(input_tensor)
        idx = _axis_tensor(x, None, "", "")
        scope = _scope(name, op_type)
    else:
        scope = _scope(name, op_type)
        x = convert_to_tensor(input_tensor, name=scope + "input/")
        idx = _axis_tensor(x, axis, scope, "reduction_indices")
    if op_type in ("All", "Any"):
        check_fixed(x, dtypes.bool, "input", op_type)
    else:
        _check_allowed(x, allowed_types, "input")
    dt = x._dtype.base_dtype
    attrs = {"T": dt, "Tidx": idx._dtype.base_dtype, "keep_dims": keep}
    shape = _reduced_shape(op_type, scope, x, idx, keep)
    if axis is None and not keep and not shape.is_fully_defined():
        shape = SCALAR
    out_dt = dtypes.bool if op_type in ("All", "Any") else dt
    return make_op(op_type, (x, idx), attrs, scope, out_dt, shape)


def _reduced_shape(op_type: str, scope: str, x: Tensor, idx: Tensor, keep: bool) -> TensorShape:
    rank = x._shape.ndims
    if idx._shape.ndims is not None and idx._shape.ndims > 1:
        desc = node_desc(scope, op_type, "", [x, idx])
        raise ValueError(
            f"Shape must be at most rank 1 but is rank {idx._shape.ndims} for {desc} with input "
            f"shapes: {shape_list(x)}, {shape_list(idx)}."
        )
    if idx._const is None or rank is None:
        return TensorShape([None] * rank) if keep and rank is not None else UNKNOWN
    axes = set()
    for a in np.asarray(idx._const).reshape(-1).tolist():
        if not -rank <= a < rank:
            t = "" if x._dtype.base_dtype == dtypes.bool else f"T={dt_enum(x._dtype.base_dtype)}, "
            attrs = f"{t}Tidx={dt_enum(idx._dtype.base_dtype)}, keep_dims={str(keep).lower()}"
            raise _shape_error(
                f"Invalid reduction dimension {a} for input with {rank} dimensions.",
                node_desc(scope, op_type, attrs, [x, idx]), x, idx,
            )  # fmt: skip
        axes.add(a % rank)
    dims = x._shape.as_list()
    return TensorShape([1 if i in axes else d for i, d in enumerate(dims) if keep or i not in axes])


def _deprecated(axis: Any, keepdims: Any, reduction_indices: Any, keep_dims: Any
                ) -> tuple[Any, Any]:  # fmt: skip
    return (_lookup(axis, "axis", reduction_indices, "reduction_indices"),
            _lookup(keepdims, "keepdims", keep_dims, "keep_dims"))  # fmt: skip


def _make_reduce(op_type: str, public: str, types: tuple[dtypes.DType, ...]) -> Any:
    def op(input_tensor: Any, axis: Any = None, keepdims: Any = None, name: str | None = None,
           reduction_indices: Any = None, keep_dims: Any = None) -> Tensor:  # fmt: skip
        axis, keepdims = _deprecated(axis, keepdims, reduction_indices, keep_dims)
        return reduction(op_type, input_tensor, axis, keepdims, name, types)

    op.__name__ = public
    op.__doc__ = (
        f"``tf.{public}(input_tensor, axis=None, keepdims=None, name=None, "
        f"reduction_indices=None, keep_dims=None)``: op ``{op_type}``."
    )
    return op


reduce_sum = _make_reduce("Sum", "reduce_sum", allowed("Sum"))
reduce_mean = _make_reduce("Mean", "reduce_mean", allowed("Sum"))
reduce_prod = _make_reduce("Prod", "reduce_prod", allowed("Sum"))
reduce_max = _make_reduce("Max", "reduce_max", allowed("Max"))
reduce_min = _make_reduce("Min", "reduce_min", allowed("Max"))
reduce_all = _make_reduce("All", "reduce_all", (dtypes.bool,))
reduce_any = _make_reduce("Any", "reduce_any", (dtypes.bool,))


def reduce_logsumexp(input_tensor: Any, axis: Any = None, keepdims: Any = None,
                     name: str | None = None, reduction_indices: Any = None,
                     keep_dims: Any = None) -> Tensor:  # fmt: skip
    """``log(sum(exp(x)))`` computed stably (``tf.reduce_logsumexp``), TF's composite of ops.

    The output is an ``AddV2`` op named ``ReduceLogSumExp``; ``-inf`` rows give ``-inf``.
    """
    from scopeflow.ops import array_ops, math_ops, unary_ops  # noqa: PLC0415
    from scopeflow.ops.gather_scatter_ops import where_v2  # type: ignore[import-not-found]  # noqa: PLC0415
    from scopeflow.ops.gradients_impl import stop_gradient  # type: ignore[import-not-found]  # noqa: PLC0415

    axis, keepdims = _deprecated(axis, keepdims, reduction_indices, keep_dims)
    keep = bool(keepdims) if keepdims is not None else False
    scope = _scope(name, "ReduceLogSumExp")
    with name_scope(scope):
        x = convert_to_tensor(input_tensor, name="input_tensor")
        raw_max = reduce_max(x, axis=axis, keepdims=True)
        my_max = stop_gradient(where_v2(unary_ops.is_finite(raw_max), raw_max, 0))
        result = unary_ops.log(
            reduce_sum(unary_ops.exp(math_ops.subtract(x, my_max)), axis=axis, keepdims=keep)
        )
        if not keep:
            my_max = array_ops.reshape(my_max, array_ops.shape(result))
        out = math_ops.add(result, my_max, name=scope)
    if axis is None and not keep and not out._shape.is_fully_defined():
        out._shape = SCALAR
    return out


# --- argmax / argmin / top_k / cumsum ------------------------------------------------------------


def _arg_reduce(op_type: str, input: Any, axis: Any, name: str | None, dimension: Any,
                output_type: Any) -> Tensor:  # fmt: skip
    axis = _lookup(axis, "axis", dimension, "dimension")
    if axis is None:
        axis = 0
    out_dt = dtypes.as_dtype(output_type).base_dtype
    if isinstance(axis, Tensor):
        if axis._dtype.base_dtype not in (dtypes.int16, dtypes.int32, dtypes.int64):
            raise TypeError(f"axis tensor dtypes {axis._dtype} is not supported")
    elif not isinstance(axis, (int, np.integer)) or isinstance(axis, bool):
        raise TypeError("axis must be int or Tensor with integer datatype")
    scope = _scope(name, op_type)
    x = convert_to_tensor(input, name=scope + "input/")
    _check_allowed(x, allowed("ArgMax"), "input")
    ok_out = (dtypes.int16, dtypes.uint16, dtypes.int32, dtypes.int64)
    if out_dt not in ok_out:
        names = ", ".join(d.name for d in ok_out)
        raise TypeError(
            f"Value passed to parameter 'output_type' has DataType {out_dt.name} not in list of "
            f"allowed values: {names}"
        )
    dim = convert_to_tensor(axis, name=scope + "dimension/")
    dt = x._dtype.base_dtype
    attrs = {"T": dt, "Tidx": dim._dtype.base_dtype, "output_type": out_dt}
    shape = UNKNOWN
    rank = x._shape.ndims
    desc_attrs = (f"T={dt_enum(dt)}, Tidx={dt_enum(dim._dtype.base_dtype)}, "
                  f"output_type={dt_enum(out_dt)}")  # fmt: skip
    if dim._shape.ndims not in (None, 0):
        raise ValueError(
            f"Shape must be rank 0 but is rank {dim._shape.ndims} for "
            f"{node_desc(scope, op_type, desc_attrs, [x, dim])} with input shapes: "
            f"{shape_list(x)}, {shape_list(dim)}."
        )
    if rank is not None:
        if dim._const is None:
            shape = TensorShape([None] * (rank - 1)) if rank > 0 else UNKNOWN
        else:
            a = int(dim._const)
            if not -rank <= a < rank:
                raise _shape_error(
                    f"Dimension ({a}) must be in the range [{-rank}, {rank}), where {rank} is "
                    "the number of dimensions in the input.",
                    node_desc(scope, op_type, desc_attrs, [x, dim]), x, dim,
                )  # fmt: skip
            dims = x._shape.as_list()
            del dims[a % rank]
            shape = TensorShape(dims)
    return make_op(op_type, (x, dim), attrs, scope, out_dt, shape)


def argmax(input: Any, axis: Any = None, name: str | None = None, dimension: Any = None,
           output_type: Any = dtypes.int64) -> Tensor:  # fmt: skip
    """Index of the largest value along ``axis`` (default 0) (``tf.argmax``, op ``ArgMax``)."""
    return _arg_reduce("ArgMax", input, axis, name, dimension, output_type)


def argmin(input: Any, axis: Any = None, name: str | None = None, dimension: Any = None,
           output_type: Any = dtypes.int64) -> Tensor:  # fmt: skip
    """Index of the smallest value along ``axis`` (default 0) (``tf.argmin``, op ``ArgMin``)."""
    return _arg_reduce("ArgMin", input, axis, name, dimension, output_type)


def arg_max(input: Any, dimension: Any, output_type: Any = dtypes.int64,
            name: str | None = None) -> Tensor:  # fmt: skip
    """TF1's raw-op spelling of ``argmax`` (``tf.arg_max``, deprecated in TF 1.x, op ``ArgMax``)."""
    return _arg_reduce("ArgMax", input, dimension, name, None, output_type)


def arg_min(input: Any, dimension: Any, output_type: Any = dtypes.int64,
            name: str | None = None) -> Tensor:  # fmt: skip
    """TF1's raw-op spelling of ``argmin`` (``tf.arg_min``, deprecated in TF 1.x, op ``ArgMin``)."""
    return _arg_reduce("ArgMin", input, dimension, name, None, output_type)


TopKV2 = collections.namedtuple("TopKV2", ["values", "indices"])


def top_k(input: Any, k: Any = 1, sorted: bool = True, name: str | None = None
          ) -> Any:  # fmt: skip
    """The ``k`` largest entries of the last dimension and their int32 indices (op ``TopKV2``).

    Equal values are ordered by index, as in TF. With ``sorted=False`` the values are still
    returned sorted (TF leaves the order unspecified).
    """
    scope = _scope(name, "TopKV2")
    x = convert_to_tensor(input, name=scope + "input/")
    _check_allowed(x, allowed("TopKV2"), "input")
    kt = convert_to_tensor(k, name=scope + "k/")
    _check_allowed(kt, (dtypes.int16, dtypes.int32, dtypes.int64), "k")
    shape = UNKNOWN
    attrs_text = (f"T={dt_enum(x._dtype.base_dtype)}, Tk={dt_enum(kt._dtype.base_dtype)}, "
                  f"index_type=DT_INT32, sorted={str(bool(sorted)).lower()}")  # fmt: skip
    if x._shape.ndims is not None:
        dims = x._shape.as_list()
        if not dims:
            raise ValueError(
                f"Shape must be at least rank 1 but is rank 0 for "
                f"{node_desc(scope, 'TopKV2', attrs_text, [x, kt])} with input shapes: [], "
                f"{shape_list(kt)}."
            )
        kv = None if kt._const is None else int(kt._const)
        if kv is not None and kv < 0:
            raise ValueError(f"Input 'k' must be >= 0 but is {kv}")
        if kv is not None and dims[-1] is not None and dims[-1] < kv:
            raise ValueError(
                f"input must have last dimension >= k = {kv} but is {dims[-1]} for "
                f"{node_desc(scope, 'TopKV2', attrs_text, [x, kt])} with input shapes: "
                f"{shape_list(x)}, {shape_list(kt)} and with computed input tensors: "
                f"input[1] = <{kv}>."
            )
        shape = TensorShape([*dims[:-1], kv])
    attrs = {"T": x._dtype.base_dtype, "sorted": sorted, "Tk": kt._dtype.base_dtype,
             "index_type": dtypes.int32}  # fmt: skip
    op = make_multi_op("TopKV2", (x, kt), attrs, scope, (x._dtype.base_dtype, dtypes.int32),
                       (shape, shape))  # fmt: skip
    return TopKV2(op._outputs[0], op._outputs[1])


def _cumulative(op_type: str, x: Any, axis: Any, exclusive: bool, reverse: bool,
                name: str | None) -> Tensor:  # fmt: skip
    scope = _scope(name, op_type)
    with name_scope(scope):
        t = convert_to_tensor(x, name="x")
        _check_allowed(t, allowed("Sum"), "x")
        a = convert_to_tensor(axis, name=scope + "axis/")
        _check_allowed(a, _IDX, "axis")
        attrs = {"T": t._dtype.base_dtype, "Tidx": a._dtype.base_dtype,
                 "exclusive": bool(exclusive), "reverse": bool(reverse)}  # fmt: skip
        return make_op(op_type, (t, a), attrs, scope, t._dtype.base_dtype, t._shape)


def cumsum(x: Any, axis: Any = 0, exclusive: bool = False, reverse: bool = False,
           name: str | None = None) -> Tensor:  # fmt: skip
    """Cumulative sum along ``axis`` (``tf.cumsum``, op ``Cumsum``)."""
    return _cumulative("Cumsum", x, axis, exclusive, reverse, name)


def cumprod(x: Any, axis: Any = 0, exclusive: bool = False, reverse: bool = False,
            name: str | None = None) -> Tensor:  # fmt: skip
    """Cumulative product along ``axis`` (``tf.cumprod``, op ``Cumprod``).

    Differences from TensorFlow: the gradient is torch's, finite where ``x`` has zeros (TF's
    divides by ``x`` and gives NaN/inf there).
    """
    return _cumulative("Cumprod", x, axis, exclusive, reverse, name)


# --- kernels -------------------------------------------------------------------------------------


def _axes(x: torch.Tensor, idx: torch.Tensor) -> list[int]:
    return _check_axes(x.dim(), idx.reshape(-1).tolist())


def _check_axes(rank: int, given_axes: list[int]) -> list[int]:
    out: list[int] = []
    for given in given_axes:
        if not -rank <= given < rank:
            raise InvalidArgumentError(
                None, None, f"Invalid reduction dimension ({given} for input with {rank} "
                "dimension(s)"
            )  # fmt: skip
        a = given % rank
        if a in out:
            raise InvalidArgumentError(
                None, None, f"Invalid reduction arguments: Axes contains duplicate dimension: {a}"
            )
        out.append(a)
    return out


def _static_axes(op: Any) -> tuple[list[int], torch.Tensor] | None:
    """The reduction indices when they are a graph constant (the usual case), else None."""
    value = op._inputs[1]._const
    if value is None:
        return None
    given = [int(a) for a in np.asarray(value).reshape(-1).tolist()]
    return given, torch.tensor(given, dtype=torch.int64)


def _compiled_axes(x: torch.Tensor, idx: torch.Tensor, static: Any) -> list[int]:
    """The axes while ``torch.compile`` traces: from the graph constant, without a graph break.

    Reading the index tensor's values (``tolist``) would split the compiled graph at every
    reduction; the constant's values are the same unless a feed replaced them, which a
    device-side assertion turns into an error instead of a silently different result.
    """
    given, given_t = static
    if idx.numel() != len(given):
        raise InvalidArgumentError(None, None, "a fed reduction-indices value under "
                                   "torch.compile differs from the graph constant")  # fmt: skip
    if given:
        torch._assert_async(
            torch.eq(idx.reshape(-1).to(torch.int64), given_t.to(idx.device)).all(),
            "a fed reduction-indices value under torch.compile differs from the graph constant",
        )
    return _check_axes(x.dim(), given)


def _reduce_kernel(fn: Any, empty_value: Any = None) -> Any:
    def factory(op: Any, session: Any) -> Any:
        keep = op._attrs["keep_dims"]
        static = _static_axes(op)

        def kernel(x: torch.Tensor, idx: torch.Tensor) -> torch.Tensor:
            if static is not None and torch.compiler.is_compiling():
                axes = _compiled_axes(x, idx, static)
            else:
                axes = _axes(x, idx)
            if not axes:
                return x
            if empty_value is not None and x.numel() == 0:
                shape = [1 if i in axes else n for i, n in enumerate(x.shape)
                         if keep or i not in axes]  # fmt: skip
                return torch.full(shape, empty_value(x.dtype), dtype=x.dtype)
            return fn(x, axes, keep)

        return kernel

    return factory


def _prod(x: torch.Tensor, axes: list[int], keep: bool) -> torch.Tensor:
    for a in sorted(axes, reverse=True):
        x = torch.prod(x, a, keepdim=True, dtype=x.dtype)
    return x if keep else x.squeeze(axes)


def _mean(x: torch.Tensor, axes: list[int], keep: bool) -> torch.Tensor:
    if x.is_floating_point() or x.is_complex():
        return torch.mean(x, axes, keepdim=keep)
    n = 1
    for a in axes:
        n *= x.shape[a]
    s = torch.sum(x, axes, keepdim=keep, dtype=x.dtype)
    return s if n == 0 else torch.div(s, n, rounding_mode="trunc")


def _lowest(dt: torch.dtype) -> Any:
    return -float("inf") if dt.is_floating_point else torch.iinfo(dt).min


def _highest(dt: torch.dtype) -> Any:
    return float("inf") if dt.is_floating_point else torch.iinfo(dt).max


register_kernel("Sum")(_reduce_kernel(lambda x, a, k: torch.sum(x, a, keepdim=k, dtype=x.dtype)))
register_kernel("Mean")(_reduce_kernel(_mean))
register_kernel("Prod")(_reduce_kernel(_prod))
register_kernel("Max")(_reduce_kernel(lambda x, a, k: torch.amax(x, a, keepdim=k), _lowest))
register_kernel("Min")(_reduce_kernel(lambda x, a, k: torch.amin(x, a, keepdim=k), _highest))
register_kernel("All")(_reduce_kernel(lambda x, a, k: torch.all(x, dim=tuple(a), keepdim=k)))
register_kernel("Any")(_reduce_kernel(lambda x, a, k: torch.any(x, dim=tuple(a), keepdim=k)))


def _arg_kernel(is_max: bool) -> Any:
    def factory(op: Any, session: Any) -> Any:
        from scopeflow.graph._torch_dtypes import torch_dtype  # noqa: PLC0415

        out = torch_dtype(op._attrs["output_type"])
        fill = -float("inf") if is_max else float("inf")

        def kernel(x: torch.Tensor, dim: torch.Tensor) -> torch.Tensor:
            d = int(dim)
            rank = x.dim()
            if not -rank <= d < rank:
                raise InvalidArgumentError(
                    None, None, f"Expected dimension in the range [{-rank}, {rank}), but got {d}"
                )
            if x.shape[d] == 0:
                raise InvalidArgumentError(
                    None, None,
                    f"Reduction axis {d % rank} is empty in shape [{','.join(map(str, x.shape))}]",
                )  # fmt: skip
            if x.is_floating_point():  # TF's comparisons skip NaN
                x = torch.where(torch.isnan(x), fill, x)
            if x.dtype == torch.bool:
                x = x.to(torch.uint8)
            r = torch.argmax(x, d) if is_max else torch.argmin(x, d)
            return r.to(out)

        return kernel

    return factory


register_kernel("ArgMax")(_arg_kernel(True))
register_kernel("ArgMin")(_arg_kernel(False))


@register_kernel("TopKV2")
def _top_k_kernel(op: Any, session: Any) -> Any:
    def kernel(x: torch.Tensor, k: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        kv = int(k)
        if kv < 0:
            raise InvalidArgumentError(None, None, f"Need k >= 0, got {kv}")
        if x.shape[-1] < kv:
            raise InvalidArgumentError(
                None, None, f"input must have at least k columns. Had {x.shape[-1]}, needed {kv}"
            )
        values, indices = torch.sort(x, dim=-1, descending=True, stable=True)
        return values[..., :kv], indices[..., :kv].to(torch.int32)

    return kernel


def _cum_kernel(is_sum: bool) -> Any:
    def factory(op: Any, session: Any) -> Any:
        exclusive = op._attrs["exclusive"]
        reverse = op._attrs["reverse"]

        def kernel(x: torch.Tensor, axis: torch.Tensor) -> torch.Tensor:
            a = int(axis)
            rank = x.dim()
            if not -rank <= a < rank:
                raise InvalidArgumentError(
                    None, None, f"ValueError: axis must be in the range [-{rank}, {rank}), but "
                    f"got {a}"
                )  # fmt: skip
            if reverse:
                x = x.flip(a)
            if exclusive:
                n = x.shape[a]
                pad = (
                    torch.zeros_like(x.narrow(a, 0, min(n, 1)))
                    if is_sum
                    else torch.ones_like(x.narrow(a, 0, min(n, 1)))
                )
                x = torch.cat([pad, x.narrow(a, 0, max(n - 1, 0))], dim=a)
            out = (
                torch.cumsum(x, a, dtype=x.dtype) if is_sum else torch.cumprod(x, a, dtype=x.dtype)
            )
            return out.flip(a) if reverse else out

        return kernel

    return factory


register_kernel("Cumsum")(_cum_kernel(True))
register_kernel("Cumprod")(_cum_kernel(False))

__all__ = [
    "argmax",
    "argmin",
    "arg_max",
    "arg_min",
    "cumprod",
    "cumsum",
    "reduce_all",
    "reduce_any",
    "reduce_logsumexp",
    "reduce_max",
    "reduce_mean",
    "reduce_min",
    "reduce_prod",
    "reduce_sum",
    "reduction",
    "top_k",
]
