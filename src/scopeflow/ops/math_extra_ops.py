"""TF 1.15's special functions and small math composites: ``tf.math.acosh`` ... ``polyval``.

Elementwise ops with TF's names and allowed dtypes (``Acosh``, ``Asinh``, ``Atanh``,
``Erfinv``, ``Ndtri``, ``BesselI0``/``I0e``/``I1``/``I1e``, ``Xdivy``, ``Xlogy``,
``Xlog1py``, ``Igamma``, ``Igammac``, ``Zeta``, ``Polygamma``, ``NextAfter``, ``MulNoNan``),
the reductions ``EuclideanNorm`` and ``CumulativeLogsumexp``, the complex ops ``Complex``,
``Real``, ``Imag``, ``Conj`` and ``Angle``, and TF's composites ``lbeta``, ``log_sigmoid``,
``reduce_variance``, ``reduce_std``, ``polyval`` and ``reciprocal_no_nan``. Kernels are
``torch.special`` functions, so gradients come from autograd; ``MulNoNan`` has TF's gradient
(``mul_no_nan`` of the incoming gradient).

Differences from TensorFlow: torch has no derivative of ``igamma``/``igammac`` in ``a``, of
``zeta`` in ``x`` or of ``polygamma`` in ``a`` (TF has the first and defines none for the
others): differentiating through those inputs raises torch's error.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import torch

from scopeflow._core import dtypes
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.ops._math_common import _scope, allowed, binary_op, name_scope
from scopeflow.ops._op_builder import make_op
from scopeflow.ops.array_ops import ones_like, zeros_like
from scopeflow.ops.gather_scatter_ops import where
from scopeflow.ops.math_ops import div_no_nan, less, multiply
from scopeflow.ops.reduction_ops import reduce_mean, reduce_sum, reduction
from scopeflow.ops.unary_ops import _def, abs, lgamma, negative, sqrt, square, unary

_FLOAT = allowed("Float")
_REAL = allowed("Real")
_HALF_UP = (dtypes.float16, dtypes.float32, dtypes.float64)
_F32_64 = (dtypes.float32, dtypes.float64)

acosh = _def("Acosh", "acosh", "Float", torch.acosh)
asinh = _def("Asinh", "asinh", "Float", torch.asinh)
atanh = _def("Atanh", "atanh", "Float", torch.atanh)
register_kernel("Erfinv")(lambda op, s: torch.erfinv)
register_kernel("Ndtri")(lambda op, s: torch.special.ndtri)
register_kernel("BesselI0")(lambda op, s: torch.special.i0)
register_kernel("BesselI0e")(lambda op, s: torch.special.i0e)
register_kernel("BesselI1")(lambda op, s: torch.special.i1)
register_kernel("BesselI1e")(lambda op, s: torch.special.i1e)


def _scoped_unary(op_type: str, scope_name: str, x: Any, name: str | None,
                  types: tuple[dtypes.DType, ...]) -> Tensor:  # fmt: skip
    scope = _scope(name, scope_name)
    with name_scope(scope):
        return unary(op_type, x, None, types)


def erfinv(x: Any, name: str | None = None) -> Tensor:
    """The inverse error function (``erfinv/Erfinv``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.math.erfinv([0.0, 0.5])).round(4))
    [0.     0.4769]
    """
    return _scoped_unary("Erfinv", "erfinv", x, name, _REAL)


def ndtri(x: Any, name: str | None = None) -> Tensor:
    """The inverse of the standard normal CDF (``ndtri/Ndtri``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.math.ndtri([0.5])))
    [0.]
    """
    return _scoped_unary("Ndtri", "ndtri", x, name, _REAL)


def bessel_i0(x: Any, name: str | None = None) -> Tensor:
    """The modified Bessel function of order 0 (``bessel_i0/BesselI0``)."""
    return _scoped_unary("BesselI0", "bessel_i0", x, name, _REAL)


def bessel_i0e(x: Any, name: str | None = None) -> Tensor:
    """The exponentially scaled modified Bessel function of order 0 (``BesselI0e``)."""
    return _scoped_unary("BesselI0e", "bessel_i0e", x, name, _REAL)


def bessel_i1(x: Any, name: str | None = None) -> Tensor:
    """The modified Bessel function of order 1 (``bessel_i1/BesselI1``)."""
    return _scoped_unary("BesselI1", "bessel_i1", x, name, _REAL)


def bessel_i1e(x: Any, name: str | None = None) -> Tensor:
    """The exponentially scaled modified Bessel function of order 1 (``BesselI1e``)."""
    return _scoped_unary("BesselI1e", "bessel_i1e", x, name, _REAL)


# --- binary special functions ---------------------------------------------------------------------


def _bin(op_type: str, scope: str, x: Any, y: Any, types: tuple[dtypes.DType, ...],
         names: tuple[str, str] = ("x", "y")) -> Tensor:  # fmt: skip
    return binary_op(op_type, scope, x, y, types, None, names)


def xdivy(x: Any, y: Any, name: str | None = None) -> Tensor:
    """``x / y``, 0 where ``x == 0`` (``xdivy/Xdivy``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.math.xdivy([0.0, 3.0], [0.0, 2.0])))
    [0.  1.5]
    """
    scope = _scope(name, "xdivy")
    with name_scope(scope):
        return _bin("Xdivy", _scope(None, "Xdivy"), x, y, _FLOAT)


def xlogy(x: Any, y: Any, name: str | None = None) -> Tensor:
    """``x * log(y)``, 0 where ``x == 0`` (op ``Xlogy``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.math.xlogy([0.0, 2.0], [0.0, 1.0])))
    [0. 0.]
    """
    return _bin("Xlogy", _scope(name, "Xlogy"), x, y, _FLOAT)


def xlog1py(x: Any, y: Any, name: str | None = None) -> Tensor:
    """``x * log1p(y)``, 0 where ``x == 0`` (``xlog1py/Xlog1py``)."""
    scope = _scope(name, "xlog1py")
    with name_scope(scope):
        return _bin("Xlog1py", _scope(None, "Xlog1py"), x, y, _FLOAT)


def _xdivy(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    zero = x == 0
    return torch.where(zero, torch.zeros((), dtype=x.dtype), x / torch.where(zero, 1, y))


def _xlogy(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    zero = x == 0
    return torch.where(zero, torch.zeros((), dtype=x.dtype), x * torch.log(torch.where(zero, 1, y)))


def _xlog1py(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    zero = x == 0
    safe = torch.where(zero, 0, y)
    return torch.where(zero, torch.zeros((), dtype=x.dtype), x * torch.log1p(safe))


register_kernel("Xdivy")(lambda op, s: _xdivy)
register_kernel("Xlogy")(lambda op, s: _xlogy)
register_kernel("Xlog1py")(lambda op, s: _xlog1py)


def igamma(a: Any, x: Any, name: str | None = None) -> Tensor:
    """The regularized lower incomplete gamma function ``P(a, x)`` (op ``Igamma``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.math.igamma([1.0], [1.0])).round(4))
    [0.6321]
    """
    return _bin("Igamma", _scope(name, "Igamma"), a, x, _HALF_UP, ("a", "x"))


def igammac(a: Any, x: Any, name: str | None = None) -> Tensor:
    """The regularized upper incomplete gamma function ``Q(a, x)`` (op ``Igammac``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.math.igammac([1.0], [1.0])).round(4))
    [0.3679]
    """
    return _bin("Igammac", _scope(name, "Igammac"), a, x, _HALF_UP, ("a", "x"))


def zeta(x: Any, q: Any, name: str | None = None) -> Tensor:
    """The Hurwitz zeta function ``sum_n (n + q) ** -x`` (op ``Zeta``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.math.zeta([2.0], [1.0])))
    [1.644934]
    """
    return _bin("Zeta", _scope(name, "Zeta"), x, q, _F32_64, ("x", "q"))


def polygamma(a: Any, x: Any, name: str | None = None) -> Tensor:
    """The ``a``-th derivative of the digamma function at ``x`` (op ``Polygamma``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.math.polygamma([1.0], [1.0])))
    [1.644934]
    """
    return _bin("Polygamma", _scope(name, "Polygamma"), a, x, _F32_64, ("a", "x"))


def nextafter(x1: Any, x2: Any, name: str | None = None) -> Tensor:
    """The next representable value after ``x1`` towards ``x2`` (op ``NextAfter``)."""
    return _bin("NextAfter", _scope(name, "NextAfter"), x1, x2, _F32_64, ("x1", "x2"))


def _polygamma(a: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    a, x = torch.broadcast_tensors(a, x)
    out = torch.full_like(x, float("nan"))
    for n in torch.unique(a).tolist():
        if n >= 0 and float(n).is_integer():
            mask = a == n
            out = torch.where(mask, torch.polygamma(int(n), x), out)
    return out


register_kernel("Igamma")(lambda op, s: torch.special.gammainc)
register_kernel("Igammac")(lambda op, s: torch.special.gammaincc)
register_kernel("Zeta")(lambda op, s: torch.special.zeta)
register_kernel("Polygamma")(lambda op, s: _polygamma)
register_kernel("NextAfter")(lambda op, s: torch.nextafter)


class _MulNoNan(torch.autograd.Function):
    """``x * y`` with 0 where ``y == 0``; TF's gradient (``mul_no_nan`` of the gradient)."""

    @staticmethod
    def forward(ctx: Any, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        ctx.save_for_backward(x, y)
        return torch.where(y == 0, torch.zeros((), dtype=x.dtype), x * y)

    @staticmethod
    def backward(ctx: Any, g: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        x, y = ctx.saved_tensors
        zero = torch.zeros((), dtype=g.dtype)
        gx = torch.where(y == 0, zero, g * y).sum_to_size(x.shape)
        gy = torch.where(g == 0, zero, x * g).sum_to_size(y.shape)
        return gx, gy


register_kernel("MulNoNan")(lambda op, s: _MulNoNan.apply)


def multiply_no_nan(x: Any, y: Any, name: str | None = None) -> Tensor:
    """``x * y``, 0 where ``y == 0`` even if ``x`` is inf or nan (op ``MulNoNan``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.math.multiply_no_nan([float("inf"), 2.0], [0.0, 3.0])))
    [0. 6.]
    """
    return _bin("MulNoNan", _scope(name, "multiply_no_nan"), x, y,
                (dtypes.bfloat16, dtypes.float16, dtypes.float32, dtypes.float64,
                 dtypes.complex64, dtypes.complex128))  # fmt: skip


def reciprocal_no_nan(x: Any, name: str | None = None) -> Tensor:
    """``1 / x``, 0 where ``x == 0`` (op ``DivNoNan`` named ``reciprocal_no_nan``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.math.reciprocal_no_nan([0.0, 4.0])))
    [0.   0.25]
    """
    scope = _scope(name, "reciprocal_no_nan")
    with name_scope(scope):
        t = convert_to_tensor(x, name="x")
        one = convert_to_tensor(1, dtype=t._dtype.base_dtype, name="one")
    return div_no_nan(one, t, name=scope)


# --- reductions and composites --------------------------------------------------------------------


def reduce_euclidean_norm(input_tensor: Any, axis: Any = None, keepdims: bool = False,
                          name: str | None = None) -> Tensor:  # fmt: skip
    """The Euclidean norm along ``axis`` (op ``EuclideanNorm``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.math.reduce_euclidean_norm([[3.0, 4.0]], 1)))
    [5.]
    """
    return reduction("EuclideanNorm", input_tensor, axis, keepdims, name, allowed("Sum"))


@register_kernel("EuclideanNorm")
def _euclidean_kernel(op: Operation, session: Any) -> Any:
    from scopeflow.ops.reduction_ops import _reduce_kernel  # noqa: PLC0415

    def fn(x: torch.Tensor, axes: list[int], keep: bool) -> torch.Tensor:
        if x.is_floating_point() or x.is_complex():
            return torch.linalg.vector_norm(x, 2, dim=axes, keepdim=keep)
        s = torch.sum(x * x, axes, keepdim=keep, dtype=x.dtype)
        return torch.sqrt(s.double()).to(x.dtype)

    return _reduce_kernel(fn)(op, session)


def cumulative_logsumexp(x: Any, axis: Any = 0, exclusive: bool = False, reverse: bool = False,
                         name: str | None = None) -> Tensor:  # fmt: skip
    """``log(cumsum(exp(x)))`` computed stably (op ``CumulativeLogsumexp``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.math.cumulative_logsumexp([0.0, 0.0])))
    [0.        0.6931472]
    """
    scope = _scope(name, "CumulativeLogsumexp")
    t = convert_to_tensor(x, name=scope + "x/")
    a = convert_to_tensor(axis, name=scope + "axis/")
    from scopeflow.ops._math_common import _check_allowed  # noqa: PLC0415

    _check_allowed(t, (*_HALF_UP, dtypes.bfloat16), "x")
    attrs = {"T": t._dtype.base_dtype, "Tidx": a._dtype.base_dtype,
             "exclusive": bool(exclusive), "reverse": bool(reverse)}  # fmt: skip
    return make_op("CumulativeLogsumexp", (t, a), attrs, scope, t._dtype.base_dtype, t._shape)


@register_kernel("CumulativeLogsumexp")
def _cumlse_kernel(op: Operation, session: Any) -> Any:
    exclusive, reverse = op._attrs["exclusive"], op._attrs["reverse"]

    def kernel(x: torch.Tensor, axis: torch.Tensor) -> torch.Tensor:
        ax = int(axis) % x.dim()
        y = x.flip(ax) if reverse else x
        if exclusive:
            pad = torch.full_like(y.narrow(ax, 0, 1), -float("inf"))
            y = torch.cat([pad, y.narrow(ax, 0, y.shape[ax] - 1)], ax)
        out = torch.logcumsumexp(y, ax)
        return out.flip(ax) if reverse else out

    return kernel


def lbeta(x: Any, name: str | None = None) -> Tensor:
    """``log(|Beta(x)|)`` over the last dimension of ``x`` (TF's composite, scope ``lbeta``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.math.lbeta([[1.0, 1.0]])))
    [0.]
    """
    scope = _scope(name, "lbeta")
    with name_scope(scope):
        t = convert_to_tensor(x, name="x")
        log_prod_gamma = reduce_sum(lgamma(t), axis=[-1])
        log_gamma_sum = lgamma(reduce_sum(t, axis=[-1]))
        return log_prod_gamma - log_gamma_sum


def log_sigmoid(x: Any, name: str | None = None) -> Tensor:
    """``log(sigmoid(x))`` as ``-softplus(-x)`` (TF's composite; the result op is ``Neg``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.math.log_sigmoid([0.0]).name)
    LogSigmoid:0
    """
    from scopeflow.ops.nn_ops import softplus  # noqa: PLC0415

    scope = _scope(name, "LogSigmoid")
    with name_scope(scope):
        t = convert_to_tensor(x, name="x")
        sp = softplus(negative(t))
    return negative(sp, name=scope)


def reduce_variance(input_tensor: Any, axis: Any = None, keepdims: bool = False,
                    name: str | None = None) -> Tensor:  # fmt: skip
    """The variance along ``axis`` (TF's composite: mean of squared deviations).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.math.reduce_variance([1.0, 3.0])))
    1.0
    """
    scope = _scope(name, "reduce_variance")
    with name_scope(scope):
        t = convert_to_tensor(input_tensor, name="input_tensor")
        means = reduce_mean(t, axis=axis, keepdims=True)
        dev = square(abs(t - means))
        return reduce_mean(dev, axis=axis, keepdims=keepdims)


def reduce_std(input_tensor: Any, axis: Any = None, keepdims: bool = False,
               name: str | None = None) -> Tensor:  # fmt: skip
    """The standard deviation along ``axis`` (``sqrt(reduce_variance)``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.math.reduce_std([1.0, 3.0])))
    1.0
    """
    scope = _scope(name, "reduce_std")
    with name_scope(scope):
        t = convert_to_tensor(input_tensor, name="input_tensor")
        return sqrt(reduce_variance(t, axis=axis, keepdims=keepdims))


def polyval(coeffs: Sequence[Any], x: Any, name: str | None = None) -> Tensor:
    """``coeffs[0] * x**(n-1) + ... + coeffs[n-1]`` by Horner's rule (TF's composite).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.math.polyval([1.0, 2.0, 3.0], 2.0)))
    11.0
    """
    if not isinstance(coeffs, list | tuple):
        raise ValueError(f"Argument coeffs must be list type. Received type: {type(coeffs)}.")
    scope = _scope(name, "polyval")
    with name_scope(scope):
        t = convert_to_tensor(x, name="x")
        if not coeffs:
            return zeros_like(t, name=scope)
        cs = [convert_to_tensor(c, name=f"coeff_{i}") for i, c in enumerate(coeffs)]
        p = cs[0]
        for c in cs[1:]:
            p = c + multiply(p, t)
        return p


def clip_by_average_norm(t: Any, clip_norm: Any, name: str | None = None) -> Tensor:
    """``t`` scaled so its L2 norm per element is at most ``clip_norm`` (TF's composite).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.clip_by_average_norm([[3.0, 4.0]], 1.0).name)
    clip_by_average_norm:0
    """
    from scopeflow.ops.array_ops import identity, rank, size  # noqa: PLC0415
    from scopeflow.ops.creation_ops import range as _range  # noqa: PLC0415
    from scopeflow.ops.math_ops import cast, minimum  # noqa: PLC0415
    from scopeflow.ops.unary_ops import rsqrt  # noqa: PLC0415

    scope = _scope(name, "clip_by_average_norm")
    with name_scope(scope):
        x = convert_to_tensor(t, name="t")
        n = cast(size(x), dtypes.float32)
        inv = rsqrt(reduce_sum(x * x, _range(rank(x))))
        one = convert_to_tensor(1.0)
        clipped = x * clip_norm * minimum(inv * n, one / clip_norm)
    return identity(clipped, name=scope)


# --- regularized incomplete beta ------------------------------------------------------------------


def betainc(a: Any, b: Any, x: Any, name: str | None = None) -> Tensor:
    """The regularized incomplete beta function ``I_x(a, b)`` (op ``Betainc``).

    ``a``, ``b`` and ``x`` have one shape (or are scalars); only ``x`` gets a gradient.

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.math.betainc(1.0, 2.0, 0.5)))
    0.75
    """
    from scopeflow._core.tensor_shape import TensorShape  # noqa: PLC0415
    from scopeflow.ops._math_common import _check_allowed  # noqa: PLC0415
    from scopeflow.ops._shape_inference import fmt_shape, node_error  # noqa: PLC0415

    scope = _scope(name, "Betainc")
    ta = convert_to_tensor(a, name=scope + "a/")
    tb = convert_to_tensor(b, dtype=ta._dtype.base_dtype, name=scope + "b/")
    tx = convert_to_tensor(x, dtype=ta._dtype.base_dtype, name=scope + "x/")
    _check_allowed(ta, _F32_64, "a")
    attrs = {"T": ta._dtype.base_dtype}
    shape = TensorShape([])
    for t in (ta, tb, tx):
        if t._shape.ndims == 0:
            continue
        try:
            shape = t._shape if shape.ndims == 0 else shape.merge_with(t._shape)
        except ValueError:
            bad = next(i for i, (u, v) in enumerate(zip(shape.as_list(), t._shape.as_list(),
                       strict=False)) if u is not None and v is not None and u != v)  # fmt: skip
            raise node_error(
                f"Dimension {bad} in both shapes must be equal, but are "
                f"{shape.as_list()[bad]} and {t._shape.as_list()[bad]}. Shapes are "
                f"{fmt_shape(shape)} and {fmt_shape(t._shape)}.", scope, "Betainc", attrs,
                (ta, tb, tx),
            ) from None  # fmt: skip
    return make_op("Betainc", (ta, tb, tx), attrs, scope, ta._dtype.base_dtype, shape)


def _beta_cf(a: torch.Tensor, b: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """The continued fraction of ``I_x(a, b)`` by the modified Lentz method (float64)."""
    tiny = 1e-300

    def fix(v: torch.Tensor) -> torch.Tensor:
        return torch.where(v.abs() < tiny, torch.full_like(v, tiny), v)

    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c = torch.ones_like(x)
    d = 1.0 / fix(1.0 - qab * x / qap)
    h = d
    for m in range(1, 301):
        m2 = 2.0 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 / fix(1.0 + aa * d)
        c = fix(1.0 + aa / c)
        h = h * d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 / fix(1.0 + aa * d)
        c = fix(1.0 + aa / c)
        h = h * d * c
    return h


def _lbeta(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    return torch.lgamma(a) + torch.lgamma(b) - torch.lgamma(a + b)


def _betainc_value(a: torch.Tensor, b: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    a, b, x = (t.double() for t in torch.broadcast_tensors(a, b, x))
    inner = (x > 0) & (x < 1)
    xs = torch.where(inner, x, torch.full_like(x, 0.5))
    front = torch.exp(a * torch.log(xs) + b * torch.log1p(-xs) - _lbeta(a, b))
    direct = x < (a + 1.0) / (a + b + 2.0)
    low = front * _beta_cf(a, b, xs) / a
    high = 1.0 - front * _beta_cf(b, a, 1.0 - xs) / b
    out = torch.where(direct, low, high)
    out = torch.where(x == 0, torch.zeros_like(x), out)
    out = torch.where(x == 1, torch.ones_like(x), out)
    nan = (x < 0) | (x > 1) | (a <= 0) | (b <= 0) | x.isnan() | a.isnan() | b.isnan()
    return torch.where(nan, torch.full_like(x, float("nan")), out)


class _Betainc(torch.autograd.Function):
    """``I_x(a, b)`` with TF's gradient: ``x**(a-1) (1-x)**(b-1) / B(a, b)`` in ``x`` only."""

    @staticmethod
    def forward(ctx: Any, a: torch.Tensor, b: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
        ctx.save_for_backward(a, b, x)
        return _betainc_value(a, b, x).to(x.dtype)

    @staticmethod
    def backward(ctx: Any, g: torch.Tensor) -> tuple[None, None, torch.Tensor]:
        a, b, x = ctx.saved_tensors
        a2, b2, x2 = (t.double() for t in torch.broadcast_tensors(a, b, x))
        dx = torch.exp((a2 - 1) * torch.log(x2) + (b2 - 1) * torch.log1p(-x2) - _lbeta(a2, b2))
        return None, None, (g.double() * dx).to(x.dtype).sum_to_size(x.shape)


register_kernel("Betainc")(lambda op, s: _Betainc.apply)


def to_complex64(x: Any, name: str = "ToComplex64") -> Tensor:
    """``cast(x, complex64)`` (TF1 ``tf.to_complex64``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.to_complex64([1.0]).name)
    ToComplex64:0
    """
    from scopeflow.ops.math_ops import cast  # noqa: PLC0415

    return cast(x, dtypes.complex64, name=name)


def to_complex128(x: Any, name: str = "ToComplex128") -> Tensor:
    """``cast(x, complex128)`` (TF1 ``tf.to_complex128``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.to_complex128([1.0]).dtype)
    <dtype: 'complex128'>
    """
    from scopeflow.ops.math_ops import cast  # noqa: PLC0415

    return cast(x, dtypes.complex128, name=name)


# --- complex numbers ------------------------------------------------------------------------------


def complex(real: Any, imag: Any, name: str | None = None) -> Tensor:
    """``real + 1j * imag`` (op ``Complex``: float32 -> complex64, float64 -> complex128).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.complex([1.0], [2.0]).dtype)
    <dtype: 'complex64'>
    """
    scope = _scope(name, "Complex")
    re = convert_to_tensor(real, name=scope + "real/")
    im = convert_to_tensor(imag, name=scope + "imag/")
    rt, it = re._dtype.base_dtype, im._dtype.base_dtype
    if rt != it or rt not in _F32_64:
        raise TypeError(
            f"The `real` and `imag` components have incorrect types: {rt.name} {it.name}. They "
            "must be consistent, and one of [tf.float32, tf.float64]"
        )
    out = dtypes.complex64 if rt == dtypes.float32 else dtypes.complex128
    from scopeflow.ops._op_builder import broadcast_static_shape  # noqa: PLC0415

    shape = broadcast_static_shape(re._shape, im._shape)
    return make_op("Complex", (re, im), {"T": rt, "Tout": out}, scope, out, shape)


register_kernel("Complex")(lambda op, s: torch.complex)


def _complex_part(op_type: str, x: Any, name: str | None, keep_real: bool) -> Tensor:
    scope_t = convert_to_tensor(x)
    dt = scope_t._dtype.base_dtype
    if not dt.is_complex and keep_real:
        return scope_t
    scope = _scope(name, op_type)
    out = dt.real_dtype
    return make_op(op_type, (scope_t,), {"T": dt, "Tout": out}, scope, out, scope_t._shape)


def real(input: Any, name: str | None = None) -> Tensor:
    """The real part of a complex tensor (op ``Real``); a real tensor is returned as it is.

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.math.real(tf.complex([1.0], [2.0]))))
    [1.]
    """
    return _complex_part("Real", input, name, keep_real=True)


def imag(input: Any, name: str | None = None) -> Tensor:
    """The imaginary part of a complex tensor (op ``Imag``; zeros for a real tensor).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.math.imag(tf.complex([1.0], [2.0]))))
    [2.]
    """
    t = convert_to_tensor(input)
    if not t._dtype.base_dtype.is_complex:
        scope = _scope(name, "Imag")
        with name_scope(scope):
            return zeros_like(t)
    return _complex_part("Imag", t, name, keep_real=False)


def conj(x: Any, name: str | None = None) -> Tensor:
    """The complex conjugate (op ``Conj``); a real tensor is returned as it is.

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.math.conj(tf.complex([1.0], [2.0]))))
    [1.-2.j]
    """
    t = convert_to_tensor(x)
    dt = t._dtype.base_dtype
    if not dt.is_complex:
        return t
    scope = _scope(name, "Conj")
    return make_op("Conj", (t,), {"T": dt}, scope, dt, t._shape)


def angle(input: Any, name: str | None = None) -> Tensor:
    """The argument of a complex tensor (op ``Angle``); pi or 0 for a real tensor.

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.Session().run(tf.math.angle([-1.0, 2.0])))
    [3.1415927 0.       ]
    """
    t = convert_to_tensor(input)
    dt = t._dtype.base_dtype
    if dt.is_complex:
        return _complex_part("Angle", t, name, keep_real=False)
    scope = _scope(name, "Angle")
    with name_scope(scope):
        return where(less(t, 0), multiply(math.pi, ones_like(t)), zeros_like(t))


register_kernel("Real")(lambda op, s: torch.real)
register_kernel("Imag")(lambda op, s: torch.imag)
register_kernel("Conj")(lambda op, s: lambda x: torch.conj(x).resolve_conj())
register_kernel("Angle")(lambda op, s: torch.angle)


__all__ = [
    "acosh",
    "angle",
    "asinh",
    "atanh",
    "bessel_i0",
    "bessel_i0e",
    "bessel_i1",
    "bessel_i1e",
    "betainc",
    "clip_by_average_norm",
    "complex",
    "conj",
    "cumulative_logsumexp",
    "erfinv",
    "igamma",
    "igammac",
    "imag",
    "lbeta",
    "log_sigmoid",
    "multiply_no_nan",
    "ndtri",
    "nextafter",
    "polygamma",
    "polyval",
    "real",
    "reciprocal_no_nan",
    "reduce_euclidean_norm",
    "reduce_std",
    "reduce_variance",
    "to_complex64",
    "to_complex128",
    "xdivy",
    "xlog1py",
    "xlogy",
    "zeta",
]
