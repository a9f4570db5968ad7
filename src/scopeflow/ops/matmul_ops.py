"""Products and sums of tensors: ``matmul``, ``tensordot``, ``einsum``, ``add_n``, ``accumulate_n``.

``matmul`` of two matrices is a ``MatMul`` op; with a batch dimension (or an unknown rank) it is
``BatchMatMulV2`` (broadcasting batch dimensions), both named ``MatMul`` as in TF.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import torch

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.errors import UnsupportedError
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.op_registry import declare_fresh_output, register_fusion, register_kernel
from scopeflow.graph.tensor import Tensor, register_operator
from scopeflow.ops._filter_cache import FilterCache
from scopeflow.ops._math_common import (
    _check_allowed,
    _convert_input,
    _scope,
    allowed,
    dt_enum,
    name_scope,
    node_desc,
    shape_list,
)
from scopeflow.ops._op_builder import UNKNOWN, broadcast_static_shape, make_op


def _b(v: bool) -> str:
    return "true" if v else "false"


def matmul(a: Any, b: Any, transpose_a: bool = False, transpose_b: bool = False,
           adjoint_a: bool = False, adjoint_b: bool = False, a_is_sparse: bool = False,
           b_is_sparse: bool = False, output_type: Any = None,
           name: str | None = None) -> Tensor:  # fmt: skip
    """``a @ b`` of the inner-most matrices (``tf.matmul``), op ``MatMul`` or ``BatchMatMulV2``.

    Differences from TensorFlow: ``a_is_sparse``/``b_is_sparse`` are accepted and ignored (TF
    creates a ``SparseMatMul`` op); ``output_type`` other than the input dtype is unsupported.
    """
    scope = _scope(name, "MatMul")
    if transpose_a and adjoint_a:
        raise ValueError(
            "Only one of `transpose_a` and `adjoint_a` can be True. Received "
            f"`transpose_a`={transpose_a}, `adjoint_a`={adjoint_a}."
        )
    if transpose_b and adjoint_b:
        raise ValueError(
            "Only one of `transpose_b` and `adjoint_b` can be True. Received "
            f"`transpose_b`={transpose_b}, `adjoint_b`={adjoint_b}."
        )
    with name_scope(scope):
        a = convert_to_tensor(a, name="a")
        dt = a._dtype.base_dtype
        if isinstance(b, Tensor) or hasattr(b, "_as_tensor"):
            b = _convert_input(b, dt, "b", "MatMul", scope, "a")
        else:
            b = convert_to_tensor(b, preferred_dtype=dt, name="b")
            b = _convert_input(b, dt, "b", "MatMul", scope, "a")
    if output_type is not None and dtypes.as_dtype(output_type).base_dtype != dt:
        raise UnsupportedError("matmul with an output_type different from the input dtype")
    ra, rb = a._shape.ndims, b._shape.ndims
    batched = ra is None or ra > 2 or rb is None or rb > 2
    if batched:
        if (transpose_a or transpose_b) and dt.is_complex:
            raise UnsupportedError("batched matmul with transpose_a/transpose_b of complex values")
        return _batch_matmul(scope, a, b, transpose_a or adjoint_a, transpose_b or adjoint_b)
    ta, tb = transpose_a or adjoint_a, transpose_b or adjoint_b
    if (adjoint_a or adjoint_b) and dt.is_complex:
        raise UnsupportedError("matmul with adjoint_a/adjoint_b of complex values")
    _check_allowed(a, allowed("MatMul"), "a")
    attrs_text = (f"T={dt_enum(dt)}, grad_a=false, grad_b=false, transpose_a={_b(ta)}, "
                  f"transpose_b={_b(tb)}")  # fmt: skip
    desc = node_desc(scope, "MatMul", attrs_text, [a, b])
    for t in (a, b):
        if t._shape.ndims != 2:
            raise ValueError(
                f"Shape must be rank 2 but is rank {t._shape.ndims} for {desc} with input "
                f"shapes: {shape_list(a)}, {shape_list(b)}."
            )
    m, ka = a._shape.as_list()[::-1] if ta else a._shape.as_list()
    kb, n = b._shape.as_list()[::-1] if tb else b._shape.as_list()
    _check_inner(ka, kb, desc, a, b)
    attrs = {"T": dt, "transpose_a": ta, "transpose_b": tb, "grad_a": False, "grad_b": False}
    return make_op("MatMul", (a, b), attrs, scope, dt, TensorShape([m, n]))


def _check_inner(ka: int | None, kb: int | None, desc: str, a: Tensor, b: Tensor) -> None:
    if ka is not None and kb is not None and ka != kb:
        raise ValueError(
            f"Dimensions must be equal, but are {ka} and {kb} for {desc} with input shapes: "
            f"{shape_list(a)}, {shape_list(b)}."
        )


def _batch_matmul(scope: str, a: Tensor, b: Tensor, adj_x: bool, adj_y: bool) -> Tensor:
    dt = a._dtype.base_dtype
    _check_allowed(a, allowed("BatchMatMulV2"), "x")
    attrs_text = (f"T={dt_enum(dt)}, adj_x={_b(adj_x)}, adj_y={_b(adj_y)}, grad_x=false, "
                  "grad_y=false")  # fmt: skip
    desc = node_desc(scope, "BatchMatMulV2", attrs_text, [a, b])
    shape = UNKNOWN
    na, nb = a._shape.ndims, b._shape.ndims
    if na is not None and nb is not None:
        for rank in (na, nb):
            if rank < 2:
                raise ValueError(
                    f"Shape must be at least rank 2 but is rank {rank} for {desc} with "
                    f"input shapes: {shape_list(a)}, {shape_list(b)}."
                )
        da, db = a._shape.as_list(), b._shape.as_list()
        m, ka = (da[-1], da[-2]) if adj_x else (da[-2], da[-1])
        kb, n = (db[-1], db[-2]) if adj_y else (db[-2], db[-1])
        _check_inner(ka, kb, desc, a, b)
        batch = broadcast_static_shape(TensorShape(da[:-2]), TensorShape(db[:-2]), desc)
        shape = TensorShape([*batch.as_list(), m, n])
    attrs = {"T": dt, "adj_x": adj_x, "adj_y": adj_y, "grad_x": False, "grad_y": False}
    return make_op("BatchMatMulV2", (a, b), attrs, scope, dt, shape)


# --- float32 GEMM through oneDNN -----------------------------------------------------------------
# torch's ``mm`` calls MKL, which on AMD CPUs runs a slower code path; oneDNN's inner product
# (``mkldnn::_linear_pointwise``, what TF's own oneDNN MatMul uses) takes plain strided tensors and
# is about 2x faster from ~2M multiply-adds on (64x1024x1024: 0.34 vs 0.85 ms on a 2-core EPYC).
# Below that its fixed cost (~12 us) loses. It has no autograd formula: with grad enabled it runs
# inside ``_OneDnnMatMul``, whose backward is two more such products (differentiable again).
# On Intel CPUs MKL is the faster of the two (BERT-base's 1024x768x3072 products on a 2-vCPU
# Xeon: MKL 21.9-23.5 ms, oneDNN with a prepacked weight 22.9-24.8 ms), so there ``mm`` stays
# with torch's MKL GEMM and oneDNN is used on other vendors' CPUs. (Prepacked oneDNN weights on
# Intel with two threads were tried again for BERT-base inference: faster alone, 175 vs 223 ms
# of CPU per layer's six products, but no faster in the whole encoder; benchmarks/RESULTS.md,
# "Issue 7 - BERT-base inference: where the time goes".)
_linear: Any
try:
    _linear = torch.ops.mkldnn._linear_pointwise
except (AttributeError, RuntimeError):  # a torch build without oneDNN
    _linear = None


def _cpu_vendor() -> str:
    """The CPU's vendor string (``GenuineIntel``, ``AuthenticAMD``...), or ``""`` if unknown."""
    try:
        with Path("/proc/cpuinfo").open(encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("vendor_id"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return ""


if _cpu_vendor() == "GenuineIntel" and torch.backends.mkl.is_available():
    _linear = None
_ONEDNN_MIN_MACS = 1 << 21
_ONEDNN_MIN_ROWS = 16


def _use_onednn(a: Any, b: Any) -> bool:
    """Whether ``a @ b`` (2-D) goes to oneDNN: float32, large enough, inner dims that agree."""
    if _linear is None or a.dtype != torch.float32 or b.dtype != torch.float32:
        return False
    if a.dim() != 2 or b.dim() != 2:
        return False
    m, k = a.shape
    kb, n = b.shape
    return k == kb and m >= _ONEDNN_MIN_ROWS and m * k * n >= _ONEDNN_MIN_MACS


def _onednn_mm(a: Any, b: Any, cache: FilterCache | None = None, bias: Any = None) -> Any:
    """``a @ b (+ bias)`` by oneDNN (no autograd): it computes ``a @ w.T`` for a row-major ``a``.

    With a ``cache`` (the kernel's, for a ``b`` read from a variable or constant), ``w`` is kept
    as a oneDNN tensor between runs: given plain strided weights, the inner product converts
    them on every call and took about twice as long (1024x768x3072 on a Xeon: 440 vs 208 ms,
    one thread, in one run).
    """
    if cache is not None and not b.requires_grad:
        # A transposed weight (``transpose_b``) is a new view each run: keyed on the tensor it
        # views (whose version counter it shares) and its geometry, it is packed once.
        src = b if b._base is None else b._base
        w = cache.get(src, lambda _: _onednn_weight(b), (b.shape, b.stride(), b.storage_offset()))
    else:
        w = b.t()
        if not (b.is_contiguous() or w.is_contiguous()):
            w = w.contiguous()  # any other strides are very slow in oneDNN
    return _linear(a.contiguous(), w, bias, "none", [], "")


def _onednn_weight(b: Any) -> Any:
    return b.t().contiguous().to_mkldnn()


def _persistent(t: Tensor) -> bool:
    """Whether ``t`` is a variable's or a constant's value (through identities)."""
    op = t._op
    while op._type in ("Identity", "ReadVariableOp") and op._inputs:
        op = op._inputs[0]._op
    return op._type in ("VariableV2", "Const", "VarHandleOp")


class _OneDnnMatMul(torch.autograd.Function):
    @staticmethod
    def forward(ctx: Any, a: Any, b: Any, cache: FilterCache | None) -> Any:
        ctx.save_for_backward(a, b)
        return _onednn_mm(a, b, cache)

    @staticmethod
    def backward(ctx: Any, g: Any) -> Any:
        a, b = ctx.saved_tensors
        ga = _mm(g, b.t()) if ctx.needs_input_grad[0] else None
        gb = _mm(a.t(), g) if ctx.needs_input_grad[1] else None
        return ga, gb, None


def _mm(a: Any, b: Any, cache: FilterCache | None = None) -> Any:
    """``torch.matmul(a, b)`` of two matrices, large float32 ones by oneDNN."""
    if not _use_onednn(a, b) or torch.compiler.is_compiling():  # inductor has its own GEMMs
        return torch.matmul(a, b)
    if torch.is_grad_enabled() and (a.requires_grad or b.requires_grad):
        return _OneDnnMatMul.apply(a, b, cache)
    return _onednn_mm(a, b, cache)


def _mm_bias(a: Any, b: Any, bias: Any, cache: FilterCache | None = None) -> Any:
    """``a @ b + bias`` for a 1-D ``bias`` in one call (no autograd: used by no-grad plans)."""
    if (
        _use_onednn(a, b)
        and bias.dtype == torch.float32
        and bias.dim() == 1
        and not torch.compiler.is_compiling()
    ):
        return _onednn_mm(a, b, cache, bias)
    return torch.matmul(a, b).add_(bias)  # same bits as ``+``, no second output in memory


@register_fusion("MatMul", "BiasAdd")
def _matmul_bias_add_fusion(mm: Any, bias_add: Any, session: Any, mm_kernel: Any) -> Any:
    """``MatMul`` then ``BiasAdd`` (channels last) as one oneDNN inner product with a bias."""
    if bias_add._attrs["data_format"] not in ("NHWC", "N..C"):
        return None
    ta, tb = mm._attrs["transpose_a"], mm._attrs["transpose_b"]
    cache = FilterCache() if _persistent(mm._inputs[1]) else None
    return lambda a, b, bias: _mm_bias(a.t() if ta else a, b.t() if tb else b, bias, cache)


def _column_major(t: Any) -> bool:
    """Whether autograd differentiates ``mm`` of this matrix in the other order (its test)."""
    return bool(t.stride(0) == 1 and t.stride(1) == t.size(0))


class _MatMulGradInto(torch.autograd.Function):
    """``a @ b`` whose backward computes ``b``'s gradient into memory that ``into`` gives.

    The formulas of autograd's ``mm`` for row-major operands (``MmBackward``:
    ``g @ b.T`` and ``a.T @ g``, the same BLAS calls, so the same bits); ``into(shape)``
    returns a contiguous tensor of ``b``'s shape to write ``b``'s gradient into, or None for a
    fresh one. Not differentiable twice (used only under ``create_graph=False`` gradients).
    """

    @staticmethod
    def forward(ctx: Any, a: Any, b: Any, into: Any) -> Any:
        ctx.save_for_backward(a, b)
        ctx.into = into
        return torch.mm(a, b)

    @staticmethod
    def backward(ctx: Any, g: Any) -> Any:
        a, b = ctx.saved_tensors
        ga = g.mm(b.t()) if ctx.needs_input_grad[0] else None
        gb = None
        if ctx.needs_input_grad[1]:
            dst = ctx.into(b.shape)
            gb = a.t().mm(g) if dst is None else torch.mm(a.t(), g, out=dst)
        return ga, gb, None


def _grad_into_applies(a: Any, b: Any) -> bool:
    """Whether ``a @ b`` may run as ``_MatMulGradInto`` (same bits as ``_mm`` and its gradient)."""
    return (
        torch.is_grad_enabled()
        and b.requires_grad
        and a.dim() == 2
        and b.dim() == 2
        and a.dtype == b.dtype
        and a.dtype in (torch.float32, torch.float64)
        and a.device.type == "cpu"
        and b.device.type == "cpu"
        and not _column_major(a)
        and not _column_major(b)
        and not _use_onednn(a, b)
        and not torch.compiler.is_compiling()
    )


@register_kernel("MatMul")
def _matmul_kernel(op: Any, session: Any) -> Any:
    ta, tb = op._attrs["transpose_a"], op._attrs["transpose_b"]
    if not _persistent(op._inputs[1]):
        if not ta and not tb:
            return _mm
        return lambda a, b: _mm(a.t() if ta else a, b.t() if tb else b)
    cache = FilterCache()
    if ta or tb:
        return lambda a, b: _mm(a.t() if ta else a, b.t() if tb else b, cache)
    # ``b`` read from a variable: a kernel of the plan that consumes its gradient may ask for
    # it to be computed into memory of its own (``grad_into``: the shared-memory all-reduce).
    into: list[Any] = [None]

    def kernel(a: Any, b: Any) -> Any:
        hook = into[0]
        if hook is not None and _grad_into_applies(a, b):
            return _MatMulGradInto.apply(a, b, hook)
        return _mm(a, b, cache)

    def grad_into(hook: Any) -> None:
        """From now on ``b``'s gradient goes where ``hook(shape)`` says (None: fresh)."""
        into[0] = hook

    kernel.grad_into = grad_into  # type: ignore[attr-defined]
    return kernel


@register_kernel("BatchMatMulV2")
def _batch_matmul_kernel(op: Any, session: Any) -> Any:
    ax, ay = op._attrs["adj_x"], op._attrs["adj_y"]
    return lambda a, b: torch.matmul(a.mH if ax else a, b.mH if ay else b)


declare_fresh_output("MatMul", "BatchMatMulV2")

register_operator("__matmul__", lambda a, b: matmul(a, b, name="matmul"))
register_operator("__rmatmul__", lambda b, a: matmul(a, b, name="matmul"))


# --- add_n / accumulate_n ------------------------------------------------------------------------


def add_n(inputs: Any, name: str | None = None) -> Tensor:
    """Sums a list of tensors of the same shape and dtype (``tf.add_n``, op ``AddN``).

    A single input is returned as is (through an ``Identity`` named ``name`` if one is given).
    """
    msg = ("Inputs must be an iterable of at least one Tensor/IndexedSlices with the same dtype "
           "and shape.")  # fmt: skip
    if not inputs or not isinstance(inputs, (list, tuple)):
        raise ValueError(msg)
    ts = [convert_to_tensor(x) for x in inputs]
    if len(ts) == 1:
        if name:
            from scopeflow.ops.array_ops import identity  # noqa: PLC0415

            return identity(ts[0], name=name)
        return ts[0]
    scope = _scope(name, "AddN")
    dt = ts[0]._dtype.base_dtype
    if any(t._dtype.base_dtype != dt for t in ts):
        raise TypeError(
            "Tensors in list passed to 'inputs' of 'AddN' Op have types "
            f"[{', '.join(x._dtype.base_dtype.name for x in ts)}] that don't all match."
        )
    _check_allowed(ts[0], allowed("AddN"), "inputs")
    shape = ts[0]._shape
    for i, t in enumerate(ts[1:], 1):
        if not shape.is_compatible_with(t._shape):
            desc = node_desc(scope, "AddN", f"N={len(ts)}, T={dt_enum(dt)}", ts)
            shapes = ", ".join(shape_list(x) for x in ts)
            raise ValueError(
                f"Shapes must be equal rank, but are {shape.ndims} and {t._shape.ndims}"
                if shape.ndims != t._shape.ndims
                else _merge_error(shape, t._shape)
                + f"\n\tFrom merging shape 0 with other shapes. for {desc} with input shapes: "
                f"{shapes}."
            )
        shape = shape.merge_with(t._shape)
        del i
    return make_op("AddN", ts, {"N": len(ts), "T": dt}, scope, dt, shape)


def _merge_error(s1: TensorShape, s2: TensorShape) -> str:
    for i, (x, y) in enumerate(zip(s1.as_list(), s2.as_list(), strict=True)):
        if x is not None and y is not None and x != y:
            return (f"Dimension {i} in both shapes must be equal, but are {x} and {y}. Shapes "
                    f"are {shape_list_of(s1)} and {shape_list_of(s2)}.")  # fmt: skip
    return "Incompatible shapes"


def shape_list_of(s: TensorShape) -> str:
    """``[2,?]`` for a TensorShape."""
    return "[" + ",".join("?" if d is None else str(d) for d in s.as_list()) + "]"


@register_kernel("AddN")
def _add_n_kernel(op: Any, session: Any) -> Any:
    def add_all(*xs: Any) -> Any:
        out = xs[0] + xs[1]
        for x in xs[2:]:
            out = out + x
        return out

    return add_all


def accumulate_n(inputs: Any, shape: Any = None, tensor_dtype: Any = None,
                 name: str | None = None) -> Tensor:  # fmt: skip
    """``add_n`` with optional shape/dtype checks (``tf.accumulate_n``)."""
    err = ValueError("inputs must be a list of at least one Tensor with the same dtype and shape")
    if not inputs or not isinstance(inputs, (list, tuple)):
        raise err
    ts = [convert_to_tensor(x) for x in inputs]
    if not all(t._dtype == ts[0]._dtype for t in ts):
        raise err
    s = TensorShape(None) if shape is None else TensorShape(shape)
    for t in ts:
        s = s.merge_with(t._shape)
    if tensor_dtype is not None and dtypes.as_dtype(tensor_dtype) != ts[0]._dtype:
        raise TypeError(
            f"The `tensor_dtype` argument is {tensor_dtype}, but `input` is of type "
            f"{ts[0]._dtype}. These must be equal. Try casting the input to the desired type."
        )
    if len(ts) == 1 and name is None:
        return ts[0]
    return add_n(ts, name=name)


# --- tensordot / einsum --------------------------------------------------------------------------


def tensordot(a: Any, b: Any, axes: Any, name: str | None = None) -> Tensor:
    """Tensor contraction over ``axes`` (``tf.tensordot``), via transpose/reshape/``MatMul``.

    Differences from TensorFlow: operands need a known rank and ``axes`` must be an int or a
    pair of int lists (``UnsupportedError`` otherwise).
    """
    from scopeflow.ops import array_ops  # noqa: PLC0415

    scope = _scope(name, "Tensordot")
    with name_scope(scope):
        a = convert_to_tensor(a, name="a")
        b = convert_to_tensor(b, name="b")
        if a._shape.ndims is None or b._shape.ndims is None:
            raise UnsupportedError("tensordot of tensors of unknown rank")
        ra = a._shape.ndims
        if isinstance(axes, (int, np.integer)):
            if axes < 0:
                raise ValueError(f"`axes` must be at least 0. Received: {axes}.")
            if axes > ra:
                raise ValueError(
                    f"`axes` must not be larger than the number of dimensions of tensor {a}.  "
                    f"Received {axes}, vs tensor dimensions {ra}."
                )
            a_axes, b_axes = list(range(ra - axes, ra)), list(range(axes))
        elif isinstance(axes, (list, tuple)):
            if len(axes) != 2:
                raise ValueError(f"`axes` must be an integer or have length 2. Received {axes}.")
            a_axes, b_axes = axes
            if isinstance(a_axes, (int, np.integer)) and isinstance(b_axes, (int, np.integer)):
                a_axes, b_axes = [int(a_axes)], [int(b_axes)]
            if len(a_axes) != len(b_axes):
                raise ValueError(
                    f"Different number of contraction axes `a` and `b`, {len(a_axes)} != "
                    f"{len(b_axes)}."
                )
        else:
            raise UnsupportedError("tensordot with a tensor `axes`")
        a2, a_free, a_static = _tensordot_reshape(a, list(a_axes), False)
        b2, b_free, b_static = _tensordot_reshape(b, list(b_axes), True)
        ab = matmul(a2, b2)
        if isinstance(a_free, list) and isinstance(b_free, list):
            if ab._shape.as_list() == a_free + b_free:
                return ab
            return array_ops.reshape(ab, a_free + b_free, name=scope)
        a_free_t = convert_to_tensor(a_free, dtype=dtypes.int32)
        b_free_t = convert_to_tensor(b_free, dtype=dtypes.int32)
        product = array_ops.reshape(ab, array_ops.concat([a_free_t, b_free_t], 0), name=scope)
        product.set_shape(a_static + b_static)
        return product


def _tensordot_reshape(a: Tensor, axes: list[int], flipped: bool
                       ) -> tuple[Tensor, Any, list[Any]]:  # fmt: skip
    """TF's ``_tensordot_reshape``.

    Static when ``a``'s shape is fully defined, else from ``Shape``/``GatherV2``/``Prod`` ops
    with the same names TF gives them.
    """
    from scopeflow.ops import array_ops  # noqa: PLC0415
    from scopeflow.ops.shape_ops import transpose  # type: ignore[import-not-found]  # noqa: PLC0415

    if not a._shape.is_fully_defined():
        from scopeflow.ops.gather_scatter_ops import gather  # noqa: PLC0415
        from scopeflow.ops.reduction_ops import reduce_prod  # noqa: PLC0415

        dims_a = a._shape.as_list()
        axes = [i if i >= 0 else i + len(dims_a) for i in axes]
        free = [i for i in range(len(dims_a)) if i not in axes]
        free_static_d = [dims_a[i] for i in free]
        axes_t = convert_to_tensor(axes, dtype=dtypes.int32, name="axes")
        free_t = convert_to_tensor(free, dtype=dtypes.int32, name="free")
        shape_t = array_ops.shape(a)
        free_dims_t = gather(shape_t, free_t)
        axes_dims_t = gather(shape_t, axes_t)
        prod_free_t = reduce_prod(free_dims_t)
        prod_axes_t = reduce_prod(axes_dims_t)
        if flipped:
            perm_t = array_ops.concat([axes_t, free_t], 0)
            new_shape_t = array_ops.stack([prod_axes_t, prod_free_t])
        else:
            perm_t = array_ops.concat([free_t, axes_t], 0)
            new_shape_t = array_ops.stack([prod_free_t, prod_axes_t])
        return array_ops.reshape(transpose(a, perm_t), new_shape_t), free_dims_t, free_static_d
    shape_a: list[int] = []
    for d in a._shape.as_list():
        assert d is not None, "tensordot checks that both shapes are fully defined"
        shape_a.append(d)
    axes = [i if i >= 0 else i + len(shape_a) for i in axes]
    free = [i for i in range(len(shape_a)) if i not in axes]
    free_dims = [shape_a[i] for i in free]
    prod_free = int(np.prod(free_dims))
    prod_axes = int(np.prod([shape_a[i] for i in axes]))
    perm = axes + free if flipped else free + axes
    new_shape = [prod_axes, prod_free] if flipped else [prod_free, prod_axes]
    at = transpose(a, perm) if perm != list(range(len(shape_a))) else a
    if at._shape.as_list() != new_shape:
        at = array_ops.reshape(at, new_shape)
    return at, free_dims, list(free_dims)


def einsum(equation: str, *inputs: Any, **kwargs: Any) -> Tensor:
    """Einstein summation (``tf.einsum``): one ``Einsum`` op in a ``einsum`` name scope."""
    name = kwargs.pop("name", None)
    if kwargs:
        raise TypeError(f"Invalid keyword arguments for this function: {', '.join(kwargs)}.")
    scope = _scope(name, "einsum")
    with name_scope(scope):
        ts = [convert_to_tensor(x) for x in inputs]
        dt = ts[0]._dtype.base_dtype
        if any(t._dtype.base_dtype != dt for t in ts):
            raise TypeError(
                "Tensors in list passed to 'inputs' of 'Einsum' Op have types "
                f"[{', '.join(x._dtype.base_dtype.name for x in ts)}] that don't all match."
            )
        eq = equation.replace(" ", "")
        shape = _einsum_shape(eq, ts)
        return make_op("Einsum", ts, {"equation": eq, "N": len(ts), "T": dt}, None, dt, shape)


def _einsum_shape(eq: str, ts: list[Tensor]) -> TensorShape:
    lhs, _, rhs = eq.partition("->")
    specs = lhs.split(",")
    if len(specs) != len(ts):
        raise ValueError(
            f"Expecting {len(specs)} inputs for equation {eq!r}, got {len(ts)} inputs instead."
        )
    if "->" not in eq:
        letters = [c for c in lhs if c.isalpha()]
        rhs = ("..." if "..." in lhs else "") + "".join(
            sorted(c for c in set(letters) if letters.count(c) == 1)
        )
    sizes: dict[str, int | None] = {}
    ell = TensorShape([])
    for spec, t in zip(specs, ts, strict=True):
        if t._shape.ndims is None:
            return UNKNOWN
        dims = t._shape.as_list()
        if "..." in spec:
            pre, post = spec.split("...")
            n_ell = len(dims) - len(pre) - len(post)
            ell = broadcast_static_shape(ell, TensorShape(dims[len(pre) : len(pre) + n_ell]))
            labels = list(pre) + [""] * n_ell + list(post)
        else:
            labels = list(spec)
        for c, d in zip(labels, dims, strict=True):
            if c and (sizes.get(c) is None):
                sizes[c] = d
    out: list[int | None] = []
    for part in rhs.split("..."):
        out.extend(sizes.get(c) for c in part)
        out.append(-1)
    out.pop()
    result: list[int | None] = []
    for d in out:
        result.extend(ell.as_list() if d == -1 else [d])
    return TensorShape(result)


@register_kernel("Einsum")
def _einsum_kernel(op: Any, session: Any) -> Any:
    eq = op._attrs["equation"]
    return lambda *xs: torch.einsum(eq, *xs)


__all__ = ["accumulate_n", "add_n", "einsum", "matmul", "tensordot"]
