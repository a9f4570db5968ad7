"""``tf.random.gamma`` and ``tf.random.poisson``: the ``RandomGamma`` and ``RandomPoissonV2`` ops.

The graphs are TF's: ``random_gamma`` converts ``shape``/``alpha``/``beta``, broadcasts
``alpha`` to ``alpha``'s and ``beta``'s broadcast shape (``Shape``, ``Shape_1``,
``BroadcastArgs``, ``BroadcastTo``), samples with ``RandomGamma`` and returns
``Maximum(tiny, RandomGamma / beta)``; ``random_poisson`` is one ``RandomPoissonV2`` op. Both
outputs have the shape ``shape + param.shape`` (static where known, as TF's shape functions
give it), and the seeds are TF's (``get_seed``).

Values are TF's bit for bit: the kernels run TF's CPU rejection samplers on TF's Philox streams
(``_tf_random_rejection``). The gradient of a gamma sample with respect to ``alpha`` is TF's
implicit reparameterization (``RandomGammaGrad``): ``sum over the sample dimensions of
grad * d sample / d alpha``, with the derivative from torch's ``_standard_gamma_grad``.

Differences from TensorFlow: ``RandomGammaGrad``'s derivative is computed differently from
Eigen's ``gamma_sample_der_alpha`` (see ``_gamma_grad``): equal to float rounding, not bit for
bit. Poisson rates of NaN or +inf, for which TF's kernel never returns, raise
``InvalidArgumentError``. TF's grappler rewrites ``sample / beta`` with a constant ``beta``
into a multiplication by ``1 / beta`` (one ulp apart); scopeflow divides, as TF does with a
fed ``beta``.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from scopeflow._core import dtypes
from scopeflow.errors import InvalidArgumentError
from scopeflow.graph._torch_dtypes import torch_dtype
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.ops import _tf_random_rejection as rejection
from scopeflow.ops import math_ops
from scopeflow.ops._op_builder import make_op, shape_from_tensor
from scopeflow.ops._shape_inference import set_shape_value
from scopeflow.ops.array_extra_ops import broadcast_dynamic_shape
from scopeflow.ops.array_ops import shape as shape_op
from scopeflow.ops.random_ops import _random_state, get_seed
from scopeflow.ops.shape_ops import broadcast_to

_GAMMA_TYPES = (dtypes.float16, dtypes.float32, dtypes.float64)
_POISSON_TYPES = (dtypes.float16, dtypes.float32, dtypes.float64, dtypes.int32, dtypes.int64)


def _allowed(dt: dtypes.DType, allowed: tuple[dtypes.DType, ...], param: str) -> None:
    if dt not in allowed:
        names = ", ".join(d.name for d in allowed)
        raise TypeError(f"Value passed to parameter '{param}' has DataType {dt.name} not in list "
                        f"of allowed values: {names}")  # fmt: skip


def random_gamma(shape: Any, alpha: Any, beta: Any = None, dtype: Any = dtypes.float32,
                 seed: int | None = None, name: str | None = None) -> Tensor:  # fmt: skip
    """``shape`` samples from each Gamma(``alpha``, ``beta``) distribution (``tf.random.gamma``).

    ``beta`` is the rate (inverse scale, default 1); the result has shape
    ``shape + broadcast_shape(alpha.shape, beta.shape)`` and is at least ``finfo(dtype).tiny``.
    It is differentiable with respect to ``alpha`` and ``beta``.

    >>> import scopeflow.compat.v1 as tf
    >>> s = tf.random.gamma([10], [0.5, 1.5])
    >>> print(s.name, s.shape)
    random_gamma/Maximum:0 (10, 2)
    """
    dt = dtypes.as_dtype(dtype).base_dtype
    g = get_default_graph()
    with g.name_scope(name or "random_gamma"):
        shape_t = convert_to_tensor(shape, name="shape", dtype=dtypes.int32)
        alpha_t = convert_to_tensor(alpha, name="alpha", dtype=dt)
        beta_t = convert_to_tensor(1 if beta is None else beta, name="beta", dtype=dt)
        bshape = broadcast_dynamic_shape(shape_op(alpha_t), shape_op(beta_t))
        if alpha_t.shape.is_fully_defined() and beta_t.shape.is_fully_defined():
            # TF's shape refiner evaluates Shape -> BroadcastArgs of fully known shapes.
            try:
                a_dims = tuple(d or 0 for d in alpha_t.shape.as_list())  # all known here
                dims = np.broadcast_shapes(a_dims, tuple(d or 0 for d in beta_t.shape.as_list()))
            except ValueError:  # TF's folding fails too; the division reports the mismatch
                pass
            else:
                set_shape_value(bshape, list(dims))
        alpha_b = broadcast_to(alpha_t, bshape)
        seed1, seed2 = get_seed(seed)
        tiny = np.finfo(dt.as_numpy_dtype).tiny
        sample = random_gamma_op(shape_t, alpha_b, seed1 or 0, seed2 or 0)
        return math_ops.maximum(tiny, sample / beta_t)


def random_gamma_op(shape: Tensor, alpha: Tensor, seed: int, seed2: int,
                    name: str | None = None) -> Tensor:  # fmt: skip
    """The raw ``RandomGamma`` op with final seeds (graph import; ``random_gamma`` calls it)."""
    dt = alpha.dtype.base_dtype
    _allowed(dt, _GAMMA_TYPES, "alpha")
    attrs = {"S": shape.dtype.base_dtype, "T": dt, "seed": seed, "seed2": seed2}
    out_shape = shape_from_tensor(shape).concatenate(alpha.shape)
    return make_op("RandomGamma", (shape, alpha), attrs, name or "RandomGamma", dt, out_shape)


def random_poisson(lam: Any, shape: Any, dtype: Any = dtypes.float32, seed: int | None = None,
                   name: str | None = None) -> Tensor:  # fmt: skip
    """``shape`` samples from each Poisson(``lam``) distribution (``tf.random.poisson`` in TF1).

    The result has shape ``shape + lam.shape`` and type ``dtype`` (half, float32, float64,
    int32 or int64); ``lam`` may be any of those types.

    >>> import scopeflow.compat.v1 as tf
    >>> s = tf.random.poisson([0.5, 1.5], [10])
    >>> print(s.name, s.shape, s.dtype.name)
    random_poisson/RandomPoissonV2:0 (10, 2) float32
    """
    dt = dtypes.as_dtype(dtype).base_dtype
    g = get_default_graph()
    with g.name_scope(name or "random_poisson") as scope:
        shape_t = convert_to_tensor(shape, name="shape", dtype=dtypes.int32)
        seed1, seed2 = get_seed(seed)
        op_name = scope + "RandomPoissonV2"
        lam_t = convert_to_tensor(lam, name=op_name + "/rate/")
        return random_poisson_v2_op(shape_t, lam_t, seed1 or 0, seed2 or 0, dt, op_name + "/")


def random_poisson_v2_op(shape: Tensor, rate: Tensor, seed: int, seed2: int, dtype: Any = None,
                         name: str | None = None) -> Tensor:  # fmt: skip
    """The raw ``RandomPoissonV2`` op with final seeds (``random_poisson`` calls it)."""
    dt = dtypes.int64 if dtype is None else dtypes.as_dtype(dtype).base_dtype  # the op's default
    r = rate.dtype.base_dtype
    _allowed(r, _POISSON_TYPES, "rate")
    _allowed(dt, _POISSON_TYPES, "dtype")
    attrs = {"S": shape.dtype.base_dtype, "R": r, "dtype": dt, "seed": seed, "seed2": seed2}
    out_shape = shape_from_tensor(shape).concatenate(rate.shape)
    return make_op("RandomPoissonV2", (shape, rate), attrs, name or "RandomPoissonV2", dt,
                   out_shape)  # fmt: skip


# --- kernels -------------------------------------------------------------------------------------


def _sample_count(op: Operation, s: torch.Tensor) -> tuple[list[int], int]:
    dims = [int(d) for d in s.reshape(-1).tolist()]
    if s.dim() != 1:
        raise InvalidArgumentError(None, op, "shape must be a vector of {int32,int64}, got shape: "
                                   f"{list(s.shape)}")  # fmt: skip
    for d in dims:
        if d < 0:
            raise InvalidArgumentError(None, op, f"Dimension {d} must be >= 0")
    return dims, int(np.prod(dims, dtype=np.int64))


def _round_to(values: np.ndarray, tdt: torch.dtype) -> torch.Tensor:
    """Rounds float64 results to ``tdt`` as Eigen's casts do (half and bfloat16 via float)."""
    if tdt in (torch.float16, torch.bfloat16):
        return torch.from_numpy(values.astype(np.float32)).to(tdt)
    return torch.from_numpy(values).to(tdt)


def _gamma_grad(alpha: torch.Tensor, sample: torch.Tensor) -> torch.Tensor:
    """``RandomGammaGrad``: d sample / d alpha of standard gamma samples (alpha broadcast).

    Implicit differentiation of ``P(alpha, sample) = u``: ``-(dP/dalpha) / (dP/dx)`` with
    ``dP/dx = x**(alpha - 1) exp(-x) / Gamma(alpha)`` and ``dP/dalpha`` a central difference
    (step ``1e-5 alpha``) of torch's float64 ``gammainc`` (``-gammaincc`` where ``P > 1/2``,
    avoiding cancellation): about 1e-9 relative, so the float32 result is within an ulp or two
    of TF's (Eigen's series/continued-fraction derivative). Where ``dP/dx`` underflows, torch's
    ``_standard_gamma_grad`` approximation is used.
    """
    a = alpha.to(torch.float64).expand_as(sample)
    x = sample.to(torch.float64)
    h = a * 1e-5
    use_q = torch.special.gammainc(a, x) > 0.5

    def p_of(av: torch.Tensor) -> torch.Tensor:
        return torch.where(use_q, -torch.special.gammaincc(av, x), torch.special.gammainc(av, x))

    dp_da = (p_of(a + h) - p_of(a - h)) / (2 * h)
    log_dp_dx = (a - 1) * torch.log(x) - x - torch.lgamma(a)
    out = -dp_da / torch.exp(log_dp_dx)
    ok = torch.isfinite(out) & (log_dp_dx > -700.0)
    if not bool(ok.all()):
        out = torch.where(ok, out, torch._standard_gamma_grad(a.contiguous(), x))
    return out.to(sample.dtype)


@register_kernel("RandomGamma", stateful=True)
def _random_gamma_kernel(op: Operation, session: Any) -> Any:
    state = _random_state(op, session)
    tdt = torch_dtype(op._attrs["T"])

    class _Gamma(torch.autograd.Function):
        @staticmethod
        def forward(ctx: Any, alpha: torch.Tensor, sample: torch.Tensor) -> torch.Tensor:
            ctx.save_for_backward(alpha, sample)
            return sample.view_as(sample)

        @staticmethod
        def backward(ctx: Any, grad: torch.Tensor) -> tuple[torch.Tensor, None]:
            alpha, sample = ctx.saved_tensors
            partial = _gamma_grad(alpha, sample)
            lead = sample.dim() - alpha.dim()
            total = grad * partial
            return (total.sum(dim=tuple(range(lead))) if lead else total), None

    def kernel(s: torch.Tensor, alpha: torch.Tensor) -> torch.Tensor:
        dims, samples_per_alpha = _sample_count(op, s)
        a = alpha.detach().to(torch.float64).reshape(-1).numpy()
        if samples_per_alpha * a.size == 0:
            return torch.zeros([*dims, *alpha.shape], dtype=tdt)
        values = rejection.gamma(state, a, samples_per_alpha)
        sample = _round_to(values, tdt).reshape([*dims, *alpha.shape])
        return _Gamma.apply(alpha, sample) if alpha.requires_grad else sample

    return kernel


_HIGHEST = {
    torch.float16: 65504.0,
    torch.float32: float(np.finfo(np.float32).max),
    torch.float64: float(np.finfo(np.float64).max),
    torch.int32: float(2**31 - 1),
    torch.int64: float(2**63 - 1),
}


@register_kernel("RandomPoissonV2", stateful=True)
def _random_poisson_kernel(op: Operation, session: Any) -> Any:
    state = _random_state(op, session)
    tdt = torch_dtype(op._attrs["dtype"])

    def kernel(s: torch.Tensor, rate: torch.Tensor) -> torch.Tensor:
        dims, num_samples = _sample_count(op, s)
        r = rate.detach().to(torch.float64).reshape(-1).numpy()
        try:
            values = rejection.poisson(state, r, num_samples, _HIGHEST[tdt])
        except ValueError as e:
            raise InvalidArgumentError(None, op, str(e)) from None
        return _round_to(values, tdt).reshape([*dims, *rate.shape])

    return kernel


__all__ = ["random_gamma", "random_gamma_op", "random_poisson", "random_poisson_v2_op"]
