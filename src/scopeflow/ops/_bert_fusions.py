"""Subgraph patterns of BERT-style models run as one torch kernel (``register_pattern``).

* Layer norm: ``tf.nn.moments`` over the trailing axes (``keep_dims=True``) feeding
  ``tf.nn.batch_normalization`` of the same tensor (what ``tf.contrib.layers.layer_norm`` builds),
  or written out as ``(x - mean) * tf.rsqrt(variance + eps) * gamma + beta``, becomes
  ``torch.nn.functional.layer_norm``: one pass forward and one backward instead of about ten
  elementwise ops and their autograd nodes. TF computes ``x * inv + (beta - mean * inv)`` with
  ``inv = gamma * rsqrt(mean((x - mean)^2) + eps)``; torch ``(x - mean) * rstd * gamma + beta``
  with the same biased variance: the same math, rounded differently in the last bits.
* The tanh approximation of GELU (BERT's ``gelu``): ``0.5 * x * (1 + tanh(sqrt(2 / pi) *
  (x + 0.044715 * x^3)))``, also spelled ``x * (0.5 * (1 + tanh(...)))``, becomes
  ``torch.nn.functional.gelu(x, approximate="tanh")`` (the same formula in one pass).

* Dense layers: ``MatMul`` + ``BiasAdd`` become one oneDNN inner product with the bias as a
  post-op in gradient plans too (``_OneDnnLinear``: the backward is two products and a column
  sum, as the op-by-op graph's); in no-grad plans it is the ``matmul_ops`` pair fusion's
  kernel. (ReLU and residual-add post-ops were tried and left out: no faster under load.)

Only float32 and float64 subgraphs fuse. The plan applies a match only where none of the
absorbed ops' outputs is read elsewhere, fed or fetched (``graph.pattern_fusion``).

Must not import any layer above ``ops``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F  # noqa: N812

from scopeflow._core import dtypes
from scopeflow.graph.op_registry import register_pattern
from scopeflow.graph.pattern_fusion import PatternMatch
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.ops._filter_cache import FilterCache
from scopeflow.ops.matmul_ops import (
    _grad_into_applies,
    _MatMulGradInto,
    _mm,
    _onednn_mm,
    _persistent,
    _use_onednn,
)

_FUSABLE = (dtypes.float32, dtypes.float64)
_COMMUTATIVE = {"Mul": ("Mul",), "Add": ("AddV2", "Add")}
_TYPES = {"Mul": ("Mul",), "Add": ("AddV2", "Add"), "Sub": ("Sub",), "Tanh": ("Tanh",),
          "Pow": ("Pow",), "Rsqrt": ("Rsqrt",), "SfMomentsMean": ("SfMomentsMean",),
          "SfMomentsVariance": ("SfMomentsVariance",)}  # fmt: skip


class _C:
    """A pattern leaf matching a scalar constant (``value`` None: any value, captured)."""

    def __init__(self, value: float | None, name: str = "") -> None:
        self.value, self.name = value, name


class _Match:
    """Bindings of one attempt to match a pattern (copied for each commutative branch)."""

    def __init__(self) -> None:
        self.tensors: dict[str, Tensor] = {}
        self.values: dict[str, float] = {}
        self.absorbed: list[Operation] = []
        self.consts: list[Tensor] = []

    def copy(self) -> _Match:
        m = _Match()
        m.tensors, m.values = dict(self.tensors), dict(self.values)
        m.absorbed, m.consts = list(self.absorbed), list(self.consts)
        return m


def _scalar(t: Tensor) -> float | None:
    if t._op._type != "Const":
        return None
    value = np.asarray(t._op._attrs.get("value"))
    if value.size != 1 or value.dtype.kind != "f":
        return None
    return float(value.reshape(()))


def _match(t: Tensor, pat: Any, m: _Match, root: bool = False) -> _Match | None:
    """``m`` extended by matching tensor ``t`` against ``pat``, or None."""
    if isinstance(pat, str):
        bound = m.tensors.get(pat)
        if bound is None:
            m.tensors[pat] = t
            return m
        return m if bound is t else None
    if isinstance(pat, _C):
        v = _scalar(t)
        if v is None or (pat.value is not None and not math.isclose(v, pat.value, rel_tol=1e-6)):
            return None
        if pat.name:
            m.values[pat.name] = v
        m.consts.append(t)
        return m
    kind, *args = pat
    op = t._op
    if op._type not in _TYPES[kind] or t._value_index != 0 or len(op._inputs) != len(args):
        return None
    if op._outputs[0]._dtype.base_dtype not in _FUSABLE:
        return None
    if not root:
        m.absorbed.append(op)
    orders = [args, args[::-1]] if kind in _COMMUTATIVE else [args]
    for order in orders:
        got: _Match | None = m.copy()
        for u, p in zip(op._inputs, order, strict=True):
            got = _match(u, p, got) if got is not None else None
        if got is not None:
            return got
    return None


# --- GELU (tanh approximation) -------------------------------------------------------------------

_GELU_INNER = ("Tanh", ("Mul", _C(math.sqrt(2.0 / math.pi)),
                        ("Add", "x", ("Mul", _C(0.044715), ("Pow", "x", _C(3.0))))))  # fmt: skip
_GELU_PATTERNS = (
    ("Mul", ("Mul", _C(0.5), "x"), ("Add", _C(1.0), _GELU_INNER)),  # 0.5 * x * (1 + tanh(..))
    ("Mul", "x", ("Mul", _C(0.5), ("Add", _C(1.0), _GELU_INNER))),  # x * (0.5 * (1 + tanh(..)))
)


def _gelu_tanh(x: Any) -> Any:
    return F.gelu(x, approximate="tanh")


@register_pattern("Mul")
def _gelu_pattern(root: Operation, session: Any) -> PatternMatch | None:
    for pat in _GELU_PATTERNS:
        m = _match(root._outputs[0], pat, _Match(), root=True)
        if m is not None:
            x = m.tensors["x"]
            if x._dtype.base_dtype != root._outputs[0]._dtype.base_dtype:
                return None
            return PatternMatch(tuple(m.absorbed), (x,), tuple(m.consts), _gelu_tanh)
    return None


# --- layer norm ----------------------------------------------------------------------------------


def _trailing_axes(op: Operation, x: Tensor) -> int | None:
    """How many trailing axes of ``x`` a keep-dims moments op reduces, or None."""
    rank = x._shape.ndims
    if rank is None or not op._attrs.get("keep_dims"):
        return None
    axes = sorted(a % rank for a in op._attrs["axes"])
    k = len(axes)
    if k == 0 or axes != list(range(rank - k, rank)):
        return None
    if any(d is None for d in x._shape.as_list()[rank - k :]):
        return None
    return k


def _param_shape(p: Tensor, norm: list[int]) -> tuple[int, ...] | None:
    """The shape ``p`` (gamma or beta) is viewed as before expanding to ``norm``, or None.

    ``p`` must broadcast along the normalized trailing axes only: leading dimensions beyond
    ``len(norm)`` of size 1, every other one 1 or the normalized size.
    """
    if p._shape.ndims is None or any(d is None for d in p._shape.as_list()):
        return None
    dims = [d or 0 for d in p._shape.as_list()]  # all known (checked above)
    while len(dims) > len(norm):
        if dims[0] != 1:
            return None
        dims = dims[1:]
    for d, n in zip(reversed(dims), reversed(norm), strict=False):
        if d not in (1, n):
            return None
    return (1,) * (len(norm) - len(dims)) + tuple(dims)


def _layer_norm_kernel(norm: list[int], eps: float, gamma: tuple[int, ...] | None,
                       beta: tuple[int, ...] | None) -> Any:  # fmt: skip
    """``layer_norm(x, gamma, beta)`` over the trailing ``norm`` dims; None params absent."""
    shape = tuple(norm)

    def param(v: Any, view: tuple[int, ...]) -> Any:
        v = v.reshape(view)
        return v if view == shape else v.expand(shape)

    def kernel(x: Any, *params: Any) -> Any:
        it = iter(params)
        g = param(next(it), gamma) if gamma is not None else None
        b = param(next(it), beta) if beta is not None else None
        return F.layer_norm(x, shape, g, b, eps)

    return kernel


def _moments_of(x: Tensor, mean: Tensor, var: Tensor) -> int | None:
    """The trailing-axes count when ``mean``/``var`` are keep-dims moments of ``x``, or None."""
    mop, vop = mean._op, var._op
    if mop._type != "SfMomentsMean" or vop._type != "SfMomentsVariance":
        return None
    if mop._inputs[0] is not x or vop._inputs[0] is not x:
        return None
    if sorted(mop._attrs["axes"]) != sorted(vop._attrs["axes"]):
        return None
    k = _trailing_axes(mop, x)
    if k is None or _trailing_axes(vop, x) != k:
        return None
    return k


def _layer_norm_match(x: Tensor, k: int, eps: float, gamma: Tensor | None, beta: Tensor | None,
                      absorbed: list[Operation], consts: list[Tensor]
                      ) -> PatternMatch | None:  # fmt: skip
    if x._dtype.base_dtype not in _FUSABLE:
        return None
    norm = [d or 0 for d in x._shape.as_list()[-k:]]  # all known: see ``_trailing_axes``
    gview = _param_shape(gamma, norm) if gamma is not None else None
    bview = _param_shape(beta, norm) if beta is not None else None
    if (gamma is not None and gview is None) or (beta is not None and bview is None):
        return None
    params = [p for p in (gamma, beta) if p is not None]
    if any(p._dtype.base_dtype != x._dtype.base_dtype for p in params):
        return None
    kernel = _layer_norm_kernel(norm, eps, gview, bview)
    return PatternMatch(tuple(absorbed), (x, *params), tuple(consts), kernel)


@register_pattern("SfBatchNormalization")
def _contrib_layer_norm_pattern(root: Operation, session: Any) -> PatternMatch | None:
    """``batch_normalization(x, *moments(x, trailing axes, keep_dims=True), beta, gamma)``."""
    x, mean, var, *rest = root._inputs
    k = _moments_of(x, mean, var)
    if k is None:
        return None
    beta = rest[0] if root._attrs["has_offset"] else None
    gamma = rest[-1] if root._attrs["has_scale"] else None
    eps = root._attrs["variance_epsilon"]
    return _layer_norm_match(x, k, eps, gamma, beta, [mean._op, var._op], [])


_LN_PATTERN = ("Add", ("Mul", ("Mul", ("Sub", "x", ("SfMomentsMean", "x")),
                                ("Rsqrt", ("Add", ("SfMomentsVariance", "x"), _C(None, "eps")))),
                       "gamma"), "beta")  # fmt: skip


@register_pattern("AddV2")
def _written_layer_norm_pattern(root: Operation, session: Any) -> PatternMatch | None:
    """``(x - mean) * rsqrt(variance + eps) * gamma + beta`` with ``tf.nn.moments``."""
    m = _match(root._outputs[0], _LN_PATTERN, _Match(), root=True)
    if m is None:
        return None
    x = m.tensors["x"]
    mops = [op for op in m.absorbed if op._type.startswith("SfMoments")]
    mean = next(op for op in mops if op._type == "SfMomentsMean")._outputs[0]
    var = next(op for op in mops if op._type == "SfMomentsVariance")._outputs[0]
    k = _moments_of(x, mean, var)
    if k is None:
        return None
    gamma, beta = m.tensors["gamma"], m.tensors["beta"]
    return _layer_norm_match(x, k, m.values["eps"], gamma, beta, m.absorbed, m.consts)


register_pattern("Add")(_written_layer_norm_pattern)


# --- dense layers: MatMul + BiasAdd --------------------------------------------------------------


class _OneDnnLinear(torch.autograd.Function):
    """``a @ b + bias`` by one oneDNN inner product, differentiable (float32, 1-D ``bias``)."""

    @staticmethod
    def forward(ctx: Any, a: Any, b: Any, bias: Any, cache: FilterCache | None) -> Any:
        ctx.save_for_backward(a, b)
        return _onednn_mm(a, b, cache, bias)

    @staticmethod
    def backward(ctx: Any, g: Any) -> Any:
        a, b = ctx.saved_tensors
        ga = _mm(g, b.t()) if ctx.needs_input_grad[0] else None
        gb = _mm(a.t(), g) if ctx.needs_input_grad[1] else None
        gbias = g.sum(0) if ctx.needs_input_grad[2] else None
        return ga, gb, gbias, None


def _records_grad(*xs: Any) -> bool:
    return torch.is_grad_enabled() and any(x.requires_grad for x in xs)


def _onednn_bias_ok(a: Any, b: Any, bias: Any) -> bool:
    return (
        _use_onednn(a, b)
        and bias.dtype == torch.float32
        and bias.dim() == 1
        and not torch.compiler.is_compiling()
    )


def _dense_ops(bias_add: Operation) -> tuple[Operation, ...] | None:
    """``(MatMul, BiasAdd)`` of a dense layer ending at ``bias_add``, or None."""
    if bias_add._attrs["data_format"] not in ("NHWC", "N..C"):
        return None
    t = bias_add._inputs[0]
    if t._op._type != "MatMul" or t._value_index != 0:
        return None
    if bias_add._outputs[0]._dtype.base_dtype not in _FUSABLE:
        return None
    return (t._op, bias_add)


def _dense_kernel(mm: Operation) -> Any:
    """``a @ b + bias``: oneDNN inner product with the bias as a post-op.

    Differentiable where autograd records (through ``_OneDnnLinear``); else the weight of a
    variable or constant stays a oneDNN tensor between runs, as in the no-grad ``MatMul`` +
    ``BiasAdd`` fusion. Shapes or dtypes oneDNN does not take run op by op.
    """
    ta, tb = mm._attrs["transpose_a"], mm._attrs["transpose_b"]
    cache = FilterCache() if _persistent(mm._inputs[1]) else None
    # As ``MatMul``'s kernel: ``b``'s gradient may go into memory a consumer gives
    # (``grad_into``, offered for a variable's untransposed ``b``; torch's ``mm`` path only).
    into: list[Any] = [None]

    def kernel(a: Any, b: Any, bias: Any) -> Any:
        a, b = (a.t() if ta else a), (b.t() if tb else b)
        if not _onednn_bias_ok(a, b, bias):
            hook = into[0]
            if hook is not None and _grad_into_applies(a, b):
                return _MatMulGradInto.apply(a, b, hook) + bias
            if _records_grad(a, b, bias):
                return _mm(a, b) + bias
            return _mm(a, b).add_(bias)  # same bits, no second output in memory
        if _records_grad(a, b, bias):
            return _OneDnnLinear.apply(a, b, bias, cache)
        return _onednn_mm(a, b, cache, bias)  # the no-grad pair fusion's kernel

    if cache is not None and not ta and not tb:

        def grad_into(hook: Any) -> None:
            """From now on ``b``'s gradient goes where ``hook(shape)`` says (None: fresh)."""
            into[0] = hook

        kernel.grad_into = grad_into  # type: ignore[attr-defined]
    return kernel


@register_pattern("BiasAdd")
def _dense_pattern(root: Operation, session: Any) -> PatternMatch | None:
    """``tf.layers.dense`` without activation: ``BiasAdd(MatMul(a, b), bias)``."""
    ops = _dense_ops(root)
    if ops is None:
        return None
    mm = ops[0]
    return PatternMatch(ops[:-1], (*mm._inputs, root._inputs[1]), (), _dense_kernel(mm))
