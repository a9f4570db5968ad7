"""Elementwise unary math: ``abs``, ``square``, ``sqrt``, ``exp``, ``log``, trig, ``sigmoid``...

Each op is named after its TF op type (``tf.square(x)`` is a ``Square`` op named ``Square``, a
converted input ``Square/x``) and accepts TF's dtypes for that op, raising TF's ``TypeError``
otherwise. Kernels are torch functions; their gradients agree with TF's (``abs`` and ``sign``
have gradient 0 at 0, ``sqrt`` gives inf at 0, ``floor``/``round`` have zero gradient).

``Sqrt`` of float32/float64 CPU tensors is NumPy's correctly rounded square root (the bits of
TF's Eigen kernel): torch's CPU ``sqrt`` goes through MKL's vector math, which is one ulp off
for ~0.7% of float32 inputs and very slow on some (``sqrt`` of 32,768 zeros or ones: ~8-20 ms
against ~14 us) - the zeros of an optimizer's second moment, for instance.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from scopeflow._core import dtypes
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.op_registry import register_inplace_kernel, register_kernel
from scopeflow.graph.tensor import Tensor, register_operator
from scopeflow.ops._math_common import _check_allowed, _scope, allowed, binary_op
from scopeflow.ops._op_builder import make_op


def unary(op_type: str, x: Any, name: str | None, allowed_types: tuple[dtypes.DType, ...],
          out_dtype: dtypes.DType | None = None, param: str = "x") -> Tensor:  # fmt: skip
    """Creates the unary op ``op_type`` on ``x`` (named ``name`` or ``op_type``)."""
    scope = _scope(name, op_type)
    t = convert_to_tensor(x, name=scope + param + "/")
    _check_allowed(t, allowed_types, param)
    dt = t._dtype.base_dtype
    return make_op(op_type, (t,), {"T": dt}, scope, out_dtype or dt, t._shape)


def _def(op_type: str, public: str, types: str, torch_fn: Any,
         out_bool: bool = False, param: str = "x") -> Callable[..., Tensor]:  # fmt: skip
    allowed_types = allowed(types)
    out = dtypes.bool if out_bool else None

    def op(x: Any, name: str | None = None) -> Tensor:
        return unary(op_type, x, name, allowed_types, out, param)

    op.__name__ = public
    op.__doc__ = f"Elementwise ``{op_type}`` (TF's ``tf.{public}``)."
    if torch_fn is not None:
        register_kernel(op_type)(lambda o, s: torch_fn)
    return op


_IEEE_SQRT = (torch.float32, torch.float64)


def _numpy_sqrt_ok(x: Any) -> bool:
    return x.dtype in _IEEE_SQRT and x.device.type == "cpu" and not torch.compiler.is_compiling()


def sqrt_into(x: Any, out: Any) -> Any:
    """``out`` (CPU, ``x``'s shape and dtype) set to the correctly rounded ``sqrt(x)``."""
    if _numpy_sqrt_ok(x) and out.dtype == x.dtype and out.device.type == "cpu":
        with np.errstate(invalid="ignore"):  # sqrt of a negative is NaN, silently as in TF
            np.sqrt(x.detach().numpy(), out=out.detach().numpy())
        return out
    return torch.sqrt(x, out=out)


class _IeeeSqrt(torch.autograd.Function):
    """``sqrt`` by NumPy, with torch's own derivative (``grad / (2 * result)``)."""

    @staticmethod
    def forward(ctx: Any, x: Any) -> Any:
        y = sqrt_into(x, torch.empty_like(x, memory_format=torch.contiguous_format))
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx: Any, g: Any) -> Any:
        (y,) = ctx.saved_tensors
        return g / (2 * y)


def ieee_sqrt(x: Any) -> Any:
    if not _numpy_sqrt_ok(x):
        return torch.sqrt(x)
    if torch.is_grad_enabled() and x.requires_grad:
        return _IeeeSqrt.apply(x)
    return sqrt_into(x, torch.empty_like(x, memory_format=torch.contiguous_format))


def _sqrt_(x: Any) -> Any:
    """In place (an input nobody else reads, see ``register_inplace_kernel``)."""
    if _numpy_sqrt_ok(x) and x.is_contiguous() and not x.requires_grad:
        return sqrt_into(x, x)
    return x.sqrt_()


negative = _def("Neg", "negative", "Neg", torch.neg)
square = _def("Square", "square", "Square", torch.square)
sqrt = _def("Sqrt", "sqrt", "Float", ieee_sqrt)
rsqrt = _def("Rsqrt", "rsqrt", "Float", torch.rsqrt)
exp = _def("Exp", "exp", "Float", torch.exp)
expm1 = _def("Expm1", "expm1", "Float", torch.expm1)
log = _def("Log", "log", "Float", torch.log)
log1p = _def("Log1p", "log1p", "Float", torch.log1p)
floor = _def("Floor", "floor", "Real", torch.floor)
ceil = _def("Ceil", "ceil", "Real", torch.ceil)
rint = _def("Rint", "rint", "Real", torch.round)
sin = _def("Sin", "sin", "Float", torch.sin)
cos = _def("Cos", "cos", "Float", torch.cos)
tan = _def("Tan", "tan", "Float", torch.tan)
asin = _def("Asin", "asin", "Float", torch.asin)
acos = _def("Acos", "acos", "Float", torch.acos)
atan = _def("Atan", "atan", "Float", torch.atan)
sinh = _def("Sinh", "sinh", "Float", torch.sinh)
cosh = _def("Cosh", "cosh", "Float", torch.cosh)
tanh = _def("Tanh", "tanh", "Float", torch.tanh)
erf = _def("Erf", "erf", "Real", torch.erf)
erfc = _def("Erfc", "erfc", "Real", torch.erfc)
lgamma = _def("Lgamma", "lgamma", "Real", torch.lgamma)
digamma = _def("Digamma", "digamma", "Real", torch.digamma)
is_nan = _def("IsNan", "is_nan", "Real", torch.isnan, out_bool=True)
is_inf = _def("IsInf", "is_inf", "Real", torch.isinf, out_bool=True)
is_finite = _def("IsFinite", "is_finite", "Real", torch.isfinite, out_bool=True)
_sigmoid = _def("Sigmoid", "sigmoid", "Float", torch.sigmoid)
_abs = _def("Abs", "abs", "Abs", torch.abs)
_reciprocal = _def("Reciprocal", "reciprocal", "Sign", None)


# In-place variants: a plan computes these into an input nobody else reads (see
# ``register_inplace_kernel``), e.g. the square and square root of an optimizer's update.
def _inplace_unary(method: Any) -> Callable[[Any, Any, int], Any]:
    return lambda op, session, index: method


for _op_type, _method in (
    ("Neg", torch.Tensor.neg_),
    ("Square", torch.Tensor.square_),
    ("Sqrt", _sqrt_),
    ("Rsqrt", torch.Tensor.rsqrt_),
    ("Exp", torch.Tensor.exp_),
):
    register_inplace_kernel(_op_type)(_inplace_unary(_method))


def abs(x: Any, name: str | None = None) -> Tensor:
    """``|x|`` (``tf.abs``): op ``Abs``, or ``ComplexAbs`` (real output) for complex ``x``."""
    scope = _scope(name, "Abs")
    t = convert_to_tensor(x, name=scope + "x/")
    if t._dtype.is_complex:
        real = t._dtype.real_dtype
        return make_op("ComplexAbs", (t,), {"T": t._dtype.base_dtype, "Tout": real}, scope, real,
                       t._shape)  # fmt: skip
    return _abs(t, name=scope)


register_kernel("ComplexAbs")(lambda o, s: torch.abs)


def sigmoid(x: Any, name: str | None = None) -> Tensor:
    """``1 / (1 + exp(-x))`` (``tf.sigmoid``, op ``Sigmoid``)."""
    return _sigmoid(x, name=name)


def reciprocal(x: Any, name: str | None = None) -> Tensor:
    """``1 / x`` (``tf.math.reciprocal``, op ``Reciprocal``); integer ``1 / x`` truncates."""
    return _reciprocal(x, name=name)


@register_kernel("Reciprocal")
def _reciprocal_kernel(op: Any, session: Any) -> Any:
    if op._attrs["T"].is_integer:
        return lambda x: torch.div(torch.ones_like(x), x, rounding_mode="trunc")
    return torch.reciprocal


def round(x: Any, name: str | None = None) -> Tensor:
    """Rounds half to even (``tf.round``, op ``Round``); integer tensors are returned as is."""
    t = convert_to_tensor(x, name="x")
    if t._dtype.is_integer:
        return t
    return unary("Round", t, name, allowed("Sign"))


register_kernel("Round")(lambda o, s: torch.round)


def atan2(y: Any, x: Any, name: str | None = None) -> Tensor:
    """``atan(y / x)`` with the quadrant of ``(x, y)`` (``tf.atan2``, op ``Atan2``)."""
    return binary_op("Atan2", _scope(name, "Atan2"), y, x, allowed("Real"), names=("y", "x"))


register_kernel("Atan2")(lambda o, s: torch.atan2)

register_operator("__neg__", lambda x: negative(x))  # noqa: PLW0108
register_operator("__abs__", lambda x: abs(x))  # noqa: PLW0108

__all__ = [
    "abs",
    "acos",
    "asin",
    "atan",
    "atan2",
    "ceil",
    "cos",
    "cosh",
    "digamma",
    "erf",
    "erfc",
    "exp",
    "expm1",
    "floor",
    "is_finite",
    "is_inf",
    "is_nan",
    "lgamma",
    "log",
    "log1p",
    "negative",
    "reciprocal",
    "rint",
    "round",
    "rsqrt",
    "sigmoid",
    "sin",
    "sinh",
    "sqrt",
    "square",
    "tan",
    "tanh",
    "unary",
]
