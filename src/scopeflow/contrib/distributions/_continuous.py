"""TF 1.15's continuous core distributions and their registered KL divergences.

Normal, Uniform, Laplace, Gamma, Exponential, Beta and StudentT with TF's formulas
(``tensorflow/python/ops/distributions``).

``Gamma``, ``Beta`` and ``StudentT`` sample with TF's ``RandomGamma`` graphs (TF's seeds, so
seeded draws equal TF's).

Differences from TensorFlow: ``Normal.quantile`` computes ``ndtri`` with the ``Ndtri`` op under
TF's ``ndtri`` name scope, where TF 1.15 builds ``special_math.ndtri``'s rational
approximations from elementary ops (same values to float rounding, fewer ops).

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from scopeflow._core.tensor_shape import TensorShape
from scopeflow.contrib.distributions._distribution import (
    FULLY_REPARAMETERIZED,
    Distribution,
    RegisterKL,
    construction_scope,
    gen_new_seed,
)
from scopeflow.contrib.distributions._special import log_ndtr, ndtr
from scopeflow.errors import UnsupportedError
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.ops.array_extra_ops import broadcast_dynamic_shape
from scopeflow.ops.array_ops import concat, fill, ones, ones_like, shape, stack, zeros_like
from scopeflow.ops.check_ops import assert_positive
from scopeflow.ops.control_flow_ops import with_dependencies
from scopeflow.ops.gather_scatter_ops import where
from scopeflow.ops.linalg_ops import sign
from scopeflow.ops.math_extra_ops import betainc, igamma, lbeta, ndtri, xlogy
from scopeflow.ops.math_ops import logical_and, logical_or, squared_difference
from scopeflow.ops.random_gamma_ops import random_gamma
from scopeflow.ops.random_ops import random_normal, random_uniform
from scopeflow.ops.unary_ops import abs as abs_op
from scopeflow.ops.unary_ops import (
    digamma,
    expm1,
    is_nan,
    lgamma,
    log,
    log1p,
    rsqrt,
    sqrt,
    square,
)
from scopeflow.ops.unary_ops import exp as _exp


def _param(value: Any, name: str, validate: bool, positive: bool = False,
           dtype: Any = None) -> Any:  # fmt: skip
    t = convert_to_tensor(value, name=name, dtype=dtype)
    if validate and positive:
        t = with_dependencies([assert_positive(t)], t, name=name)
    return t


def _broadcast_static(*ts: Any) -> TensorShape:
    from scopeflow.ops.array_extra_ops import broadcast_static_shape  # noqa: PLC0415

    out = ts[0].shape
    for t in ts[1:]:
        out = broadcast_static_shape(out, t.shape)
    return out  # type: ignore[no-any-return]


def _broadcast_dynamic(*ts: Any) -> Any:
    out = shape(ts[0])
    for t in ts[1:]:
        out = broadcast_dynamic_shape(out, shape(t))
    return out


def _same_float_dtype(*ts: Any) -> Any:
    """TF's ``check_ops.assert_same_float_dtype`` (its ``ValueError`` texts)."""
    first = ts[0]
    dt = first.dtype.base_dtype
    for t in ts[1:]:
        if t.dtype.base_dtype != dt:
            raise ValueError(
                f"{t.name}, type={t.dtype.base_dtype}, must be of the same type ({dt}) as "
                f"{first.name}."
            )
    if not dt.is_floating:
        raise ValueError(f"Expected floating point type, got {dt}.")
    return dt


def _nan_where(cond: Any, value: Any, allow_nan: bool, what: str) -> Any:
    if not allow_nan:
        raise UnsupportedError(f"{what} with allow_nan_stats=False")
    nan = fill(shape(value), np.array(np.nan, dtype=value.dtype.as_numpy_dtype))
    return where(cond, value, nan)


class Normal(Distribution):
    """The normal distribution with ``loc`` (mean) and ``scale`` (standard deviation)."""

    def __init__(self, loc: Any, scale: Any, validate_args: bool = False,
                 allow_nan_stats: bool = True, name: str = "Normal") -> None:  # fmt: skip
        parameters = dict(locals())
        with construction_scope(name) as scope:
            self._loc = _param(loc, "loc", validate_args)
            self._scale = _param(scale, "scale", validate_args, positive=True)
            dt = _same_float_dtype(self._loc, self._scale)
        super().__init__(dt, FULLY_REPARAMETERIZED, validate_args, allow_nan_stats, parameters,
                         [self._loc, self._scale], scope)  # fmt: skip

    @property
    def loc(self) -> Any:
        return self._loc

    @property
    def scale(self) -> Any:
        return self._scale

    def _batch_shape(self) -> TensorShape:
        return _broadcast_static(self._loc, self._scale)

    def _batch_shape_tensor(self) -> Any:
        return _broadcast_dynamic(self._loc, self._scale)

    def _sample_n(self, n: Any, seed: int | None) -> Any:
        shp = concat([[n], self.batch_shape_tensor()], 0)
        sampled = random_normal(shape=shp, mean=0.0, stddev=1.0, dtype=self._loc.dtype, seed=seed)
        return sampled * self._scale + self._loc

    def _z(self, x: Any) -> Any:
        with get_default_graph().name_scope("standardize"):
            return (x - self._loc) / self._scale

    def _log_prob(self, x: Any) -> Any:
        return -0.5 * square(self._z(x)) - (0.5 * math.log(2.0 * math.pi) + log(self._scale))

    def _prob(self, x: Any) -> Any:
        return _exp(self._log_prob(x))

    def _log_cdf(self, x: Any) -> Any:
        return log_ndtr(self._z(x))

    def _cdf(self, x: Any) -> Any:
        return ndtr(self._z(x))

    def _log_survival_function(self, x: Any) -> Any:
        return log_ndtr(-self._z(x))

    def _survival_function(self, x: Any) -> Any:
        return ndtr(-self._z(x))

    def _quantile(self, p: Any) -> Any:
        with get_default_graph().name_scope("ndtri"):
            p = convert_to_tensor(p, name="p")
            if p.dtype.base_dtype.name not in ("float32", "float64"):
                raise TypeError(
                    f"p.dtype={p.dtype} is not handled, see docstring for supported types."
                )
            z = ndtri(p)
        with get_default_graph().name_scope("reconstruct"):
            return z * self._scale + self._loc

    def _entropy(self) -> Any:
        scale = self._scale * ones_like(self._loc)
        return 0.5 * math.log(2.0 * math.pi * math.e) + log(scale)

    def _mean(self) -> Any:
        return self._loc * ones_like(self._scale)

    def _stddev(self) -> Any:
        return self._scale * ones_like(self._loc)

    def _mode(self) -> Any:
        return self._mean()


class Uniform(Distribution):
    """The uniform distribution on ``[low, high)``."""

    def __init__(self, low: Any = 0.0, high: Any = 1.0, validate_args: bool = False,
                 allow_nan_stats: bool = True, name: str = "Uniform") -> None:  # fmt: skip
        parameters = dict(locals())
        with construction_scope(name) as scope:
            self._low = _param(low, "low", validate_args)
            self._high = _param(high, "high", validate_args)
            dt = _same_float_dtype(self._low, self._high)
        super().__init__(dt, FULLY_REPARAMETERIZED, validate_args, allow_nan_stats, parameters,
                         [self._low, self._high], scope)  # fmt: skip

    @property
    def low(self) -> Any:
        return self._low

    @property
    def high(self) -> Any:
        return self._high

    def range(self, name: str = "range") -> Any:
        """``high - low``."""
        with self._name_scope(name):
            return self._high - self._low

    def _batch_shape(self) -> TensorShape:
        return _broadcast_static(self._low, self._high)

    def _batch_shape_tensor(self) -> Any:
        return _broadcast_dynamic(self._low, self._high)

    def _sample_n(self, n: Any, seed: int | None) -> Any:
        shp = concat([[n], self.batch_shape_tensor()], 0)
        samples = random_uniform(shape=shp, dtype=self.dtype, seed=seed)
        return self._low + self.range() * samples

    def _prob(self, x: Any) -> Any:
        bx = x * ones(self.batch_shape_tensor(), dtype=x.dtype)
        inside = where(
            logical_or(bx < self._low, bx >= self._high),
            zeros_like(bx),
            ones_like(bx) / self.range(),
        )
        return where(is_nan(bx), bx, inside)

    def _log_prob(self, x: Any) -> Any:
        return log(self._prob(x))

    def _cdf(self, x: Any) -> Any:
        broadcast_shape = shape(x - self._low)
        zeros = fill(broadcast_shape, np.array(0, dtype=self.dtype.as_numpy_dtype))
        ones_t = fill(broadcast_shape, np.array(1, dtype=self.dtype.as_numpy_dtype))
        broadcasted_x = x * ones_t
        result_if_not_big = where(x < self._low, zeros, (broadcasted_x - self._low) / self.range())
        return where(x >= self._high, ones_t, result_if_not_big)

    def _entropy(self) -> Any:
        return log(self.range())

    def _mean(self) -> Any:
        return (self._low + self._high) / 2.0

    def _variance(self) -> Any:
        return square(self.range()) / 12.0

    def _stddev(self) -> Any:
        return self.range() / math.sqrt(12.0)


class Laplace(Distribution):
    """The Laplace distribution with location ``loc`` and scale ``scale``."""

    def __init__(self, loc: Any, scale: Any, validate_args: bool = False,
                 allow_nan_stats: bool = True, name: str = "Laplace") -> None:  # fmt: skip
        parameters = dict(locals())
        with construction_scope(name) as scope:
            self._loc = _param(loc, "loc", validate_args)
            self._scale = _param(scale, "scale", validate_args, positive=True)
            dt = _same_float_dtype(self._loc, self._scale)
        super().__init__(dt, FULLY_REPARAMETERIZED, validate_args, allow_nan_stats, parameters,
                         [self._loc, self._scale], scope)  # fmt: skip

    @property
    def loc(self) -> Any:
        return self._loc

    @property
    def scale(self) -> Any:
        return self._scale

    def _batch_shape(self) -> TensorShape:
        return _broadcast_static(self._loc, self._scale)

    def _batch_shape_tensor(self) -> Any:
        return _broadcast_dynamic(self._loc, self._scale)

    def _sample_n(self, n: Any, seed: int | None) -> Any:
        shp = concat([[n], self.batch_shape_tensor()], 0)
        np_dt = self.dtype.as_numpy_dtype
        low = float(np.nextafter(np_dt(-1.0), np_dt(0.0)))
        u = random_uniform(shape=shp, minval=low, maxval=1.0, dtype=self.dtype, seed=seed)
        return self._loc - self._scale * sign(u) * log1p(-abs_op(u))

    def _log_prob(self, x: Any) -> Any:
        z = (x - self._loc) / self._scale
        return -abs_op(z) - (math.log(2.0) + log(self._scale))

    def _prob(self, x: Any) -> Any:
        return _exp(self._log_prob(x))

    def _cdf(self, x: Any) -> Any:
        z = (x - self._loc) / self._scale
        return 0.5 - 0.5 * sign(z) * expm1(-abs_op(z))

    def _log_cdf(self, x: Any) -> Any:
        z = (x - self._loc) / self._scale
        with get_default_graph().name_scope("log_cdf_laplace"):
            lower_solution = -math.log(2.0) + z
            safe_exp_neg_x = _exp(-abs_op(z))
            upper_solution = log1p(-0.5 * safe_exp_neg_x)
            return where(z < 0.0, lower_solution, upper_solution)

    def _entropy(self) -> Any:
        scale = self._scale + zeros_like(self._loc)
        return math.log(2.0) + 1.0 + log(scale)

    def _mean(self) -> Any:
        return self._loc + zeros_like(self._scale)

    def _stddev(self) -> Any:
        return math.sqrt(2.0) * self._scale * ones_like(self._loc)

    def _mode(self) -> Any:
        return self._mean()


class Gamma(Distribution):
    """The Gamma distribution with ``concentration`` (shape) and ``rate`` (inverse scale)."""

    def __init__(self, concentration: Any, rate: Any, validate_args: bool = False,
                 allow_nan_stats: bool = True, name: str = "Gamma") -> None:  # fmt: skip
        parameters = dict(locals())
        with construction_scope(name) as scope:
            self._concentration = _param(concentration, "concentration", validate_args, True)
            self._rate = _param(rate, "rate", validate_args, True)
            dt = _same_float_dtype(self._concentration, self._rate)
        super().__init__(dt, FULLY_REPARAMETERIZED, validate_args, allow_nan_stats, parameters,
                         [self._concentration, self._rate], scope)  # fmt: skip

    @property
    def concentration(self) -> Any:
        return self._concentration

    @property
    def rate(self) -> Any:
        return self._rate

    def _batch_shape(self) -> TensorShape:
        return _broadcast_static(self._concentration, self._rate)

    def _batch_shape_tensor(self) -> Any:
        return _broadcast_dynamic(self._concentration, self._rate)

    def _sample_n(self, n: Any, seed: int | None) -> Any:
        return random_gamma(shape=[n], alpha=self._concentration, beta=self._rate,
                            dtype=self.dtype, seed=seed)  # fmt: skip

    def _log_prob(self, x: Any) -> Any:
        return self._log_unnormalized_prob(x) - self._log_normalization()

    def _prob(self, x: Any) -> Any:
        return _exp(self._log_prob(x))

    def _cdf(self, x: Any) -> Any:
        return igamma(self._concentration, self._rate * x)

    def _log_unnormalized_prob(self, x: Any) -> Any:
        return xlogy(self._concentration - 1.0, x) - self._rate * x

    def _log_normalization(self) -> Any:
        return lgamma(self._concentration) - self._concentration * log(self._rate)

    def _entropy(self) -> Any:
        c = self._concentration
        return c - log(self._rate) + lgamma(c) + (1.0 - c) * digamma(c)

    def _mean(self) -> Any:
        return self._concentration / self._rate

    def _variance(self) -> Any:
        return self._concentration / square(self._rate)

    def _stddev(self) -> Any:
        return sqrt(self._concentration) / self._rate

    def _mode(self) -> Any:
        mode = (self._concentration - 1.0) / self._rate
        return _nan_where(self._concentration > 1.0, mode, self.allow_nan_stats, "Gamma.mode")


class Exponential(Gamma):
    """The exponential distribution with ``rate`` (a Gamma with concentration 1)."""

    def __init__(self, rate: Any, validate_args: bool = False, allow_nan_stats: bool = True,
                 name: str = "Exponential") -> None:  # fmt: skip
        parameters = dict(locals())
        with construction_scope(name) as scope:
            self._rate = convert_to_tensor(rate, name="rate")
        super().__init__(
            concentration=ones([], dtype=self._rate.dtype),
            rate=self._rate,
            allow_nan_stats=allow_nan_stats,
            validate_args=validate_args,
            name=scope,
        )
        self._parameters = {k: v for k, v in parameters.items() if k not in ("self", "__class__")}

    def _sample_n(self, n: Any, seed: int | None) -> Any:
        shp = concat([[n], shape(self._rate)], 0)
        tiny = float(np.finfo(self.dtype.as_numpy_dtype).tiny)
        sampled = random_uniform(shp, minval=tiny, maxval=1.0, seed=seed, dtype=self.dtype)
        return -log(sampled) / self._rate


class Beta(Distribution):
    """The Beta distribution with ``concentration1`` (alpha) and ``concentration0`` (beta)."""

    def __init__(self, concentration1: Any = None, concentration0: Any = None,
                 validate_args: bool = False, allow_nan_stats: bool = True,
                 name: str = "Beta") -> None:  # fmt: skip
        parameters = dict(locals())
        with construction_scope(name) as scope:
            self._concentration1 = _param(concentration1, "concentration1", validate_args, True)
            self._concentration0 = _param(concentration0, "concentration0", validate_args, True)
            dt = _same_float_dtype(self._concentration1, self._concentration0)
            self._total_concentration = self._concentration1 + self._concentration0
        super().__init__(dt, FULLY_REPARAMETERIZED, validate_args, allow_nan_stats, parameters,
                         [self._concentration1, self._concentration0], scope)  # fmt: skip

    @property
    def concentration1(self) -> Any:
        return self._concentration1

    @property
    def concentration0(self) -> Any:
        return self._concentration0

    @property
    def total_concentration(self) -> Any:
        return self._total_concentration

    def _batch_shape(self) -> TensorShape:
        return self._total_concentration.shape  # type: ignore[no-any-return]

    def _batch_shape_tensor(self) -> Any:
        return shape(self._total_concentration)

    def _sample_n(self, n: Any, seed: int | None) -> Any:
        total = self._total_concentration
        expanded_concentration1 = ones_like(total, dtype=self.dtype) * self._concentration1
        expanded_concentration0 = ones_like(total, dtype=self.dtype) * self._concentration0
        gamma1_sample = random_gamma(shape=[n], alpha=expanded_concentration1, dtype=self.dtype,
                                     seed=seed)  # fmt: skip
        gamma2_sample = random_gamma(shape=[n], alpha=expanded_concentration0, dtype=self.dtype,
                                     seed=gen_new_seed(seed, "beta"))  # fmt: skip
        return gamma1_sample / (gamma1_sample + gamma2_sample)

    def _log_unnormalized_prob(self, x: Any) -> Any:
        return xlogy(self._concentration1 - 1.0, x) + (self._concentration0 - 1.0) * log1p(-x)

    def _log_normalization(self) -> Any:
        return lbeta(stack([self._concentration1, self._concentration0], axis=-1))

    def _log_prob(self, x: Any) -> Any:
        return self._log_unnormalized_prob(x) - self._log_normalization()

    def _prob(self, x: Any) -> Any:
        return _exp(self._log_prob(x))

    def _cdf(self, x: Any) -> Any:
        return betainc(self._concentration1, self._concentration0, x)

    def _entropy(self) -> Any:
        c1, c0, t = self._concentration1, self._concentration0, self._total_concentration
        return (
            self._log_normalization()
            - (c1 - 1.0) * digamma(c1)
            - (c0 - 1.0) * digamma(c0)
            + (t - 2.0) * digamma(t)
        )

    def _mean(self) -> Any:
        return self._concentration1 / self._total_concentration

    def _variance(self) -> Any:
        m = self._mean()
        return m * (1.0 - m) / (1.0 + self._total_concentration)

    def _mode(self) -> Any:
        mode = (self._concentration1 - 1.0) / (self._total_concentration - 2.0)
        ok = logical_and(self._concentration1 > 1.0, self._concentration0 > 1.0)
        return _nan_where(ok, mode, self.allow_nan_stats, "Beta.mode")


class StudentT(Distribution):
    """Student's t-distribution with degrees of freedom ``df``, ``loc`` and ``scale``."""

    def __init__(self, df: Any, loc: Any, scale: Any, validate_args: bool = False,
                 allow_nan_stats: bool = True, name: str = "StudentT") -> None:  # fmt: skip
        parameters = dict(locals())
        with construction_scope(name) as scope:
            self._df = _param(df, "df", validate_args, True)
            self._loc = _param(loc, "loc", validate_args)
            self._scale = _param(scale, "scale", validate_args)
            dt = _same_float_dtype(self._df, self._loc, self._scale)
        super().__init__(dt, FULLY_REPARAMETERIZED, validate_args, allow_nan_stats, parameters,
                         [self._df, self._loc, self._scale], scope)  # fmt: skip

    @property
    def df(self) -> Any:
        return self._df

    @property
    def loc(self) -> Any:
        return self._loc

    @property
    def scale(self) -> Any:
        return self._scale

    def _batch_shape(self) -> TensorShape:
        return _broadcast_static(self._df, self._loc, self._scale)

    def _batch_shape_tensor(self) -> Any:
        return _broadcast_dynamic(self._df, self._loc, self._scale)

    def _sample_n(self, n: Any, seed: int | None) -> Any:
        # X ~ Normal(0, 1), Z ~ Chi2(df): X / sqrt(Z / df) ~ StudentT(df).
        shp = concat([[n], self.batch_shape_tensor()], 0)
        normal_sample = random_normal(shp, dtype=self.dtype, seed=seed)
        df = self._df * ones(self.batch_shape_tensor(), dtype=self.dtype)
        gamma_sample = random_gamma([n], 0.5 * df, beta=0.5, dtype=self.dtype,
                                    seed=gen_new_seed(seed, salt="student_t"))  # fmt: skip
        samples = normal_sample * rsqrt(gamma_sample / df)
        return samples * self._scale + self._loc

    def _log_prob(self, x: Any) -> Any:
        y = (x - self._loc) / abs_op(self._scale)
        unnorm = -0.5 * (self._df + 1.0) * log1p(square(y) / self._df)
        norm = (
            log(abs_op(self._scale))
            + 0.5 * log(self._df)
            + 0.5 * math.log(math.pi)
            + lgamma(0.5 * self._df)
            - lgamma(0.5 * (self._df + 1.0))
        )
        return unnorm - norm

    def _prob(self, x: Any) -> Any:
        return _exp(self._log_prob(x))

    def _cdf(self, x: Any) -> Any:
        y = (x - self._loc) / abs_op(self._scale)
        x_t = self._df / (square(y) + self._df)
        neg_cdf = 0.5 * betainc(0.5 * self._df, 0.5 * ones_like(x_t), x_t)
        return where(y < 0.0, neg_cdf, 1.0 - neg_cdf)

    def _entropy(self) -> Any:
        v = ones(self.batch_shape_tensor(), dtype=self.dtype)[..., None]
        u = v * self._df[..., None]
        beta_arg = concat([u, v], -1) / 2.0
        return (
            log(abs_op(self._scale))
            + 0.5 * log(self._df)
            + lbeta(beta_arg)
            + 0.5 * (self._df + 1.0) * (digamma(0.5 * (self._df + 1.0)) - digamma(0.5 * self._df))
        )

    def _mean(self) -> Any:
        mean = self._loc * ones(self.batch_shape_tensor(), dtype=self.dtype)
        return _nan_where(self._df > 1.0, mean, self.allow_nan_stats, "StudentT.mean")

    def _variance(self) -> Any:
        denom = where(self._df > 2.0, self._df - 2.0, ones_like(self._df))
        var = ones(self.batch_shape_tensor(), dtype=self.dtype) * square(self._scale) * self._df
        var = var / denom
        inf = fill(shape(var), np.array(np.inf, dtype=self.dtype.as_numpy_dtype))
        result = where(self._df > 2.0 * ones_like(var), var, inf)
        return _nan_where(self._df > 1.0 * ones_like(var), result, self.allow_nan_stats,
                          "StudentT.variance")  # fmt: skip

    def _mode(self) -> Any:
        return self._loc * ones(self.batch_shape_tensor(), dtype=self.dtype)


# --- KL divergences ----------------------------------------------------------------------------


@RegisterKL(Normal, Normal)
def _kl_normal_normal(n_a: Normal, n_b: Normal, name: str | None = None) -> Any:
    with get_default_graph().name_scope(name or "kl_normal_normal"):
        s_a_squared = square(n_a.scale)
        s_b_squared = square(n_b.scale)
        ratio = s_a_squared / s_b_squared
        return squared_difference(n_a.loc, n_b.loc) / (2.0 * s_b_squared) + 0.5 * (
            ratio - 1.0 - log(ratio)
        )


@RegisterKL(Gamma, Gamma)
def _kl_gamma_gamma(g0: Gamma, g1: Gamma, name: str | None = None) -> Any:
    with get_default_graph().name_scope(name or "kl_gamma_gamma"):
        c0, c1, r0, r1 = g0.concentration, g1.concentration, g0.rate, g1.rate
        return (
            (c0 - c1) * digamma(c0)
            + lgamma(c1)
            - lgamma(c0)
            + c1 * log(r0)
            - c1 * log(r1)
            + c0 * (r1 / r0 - 1.0)
        )


@RegisterKL(Beta, Beta)
def _kl_beta_beta(d1: Beta, d2: Beta, name: str | None = None) -> Any:
    with get_default_graph().name_scope(name or "kl_beta_beta"):
        return (
            (d2._log_normalization() - d1._log_normalization())
            - digamma(d1.concentration1) * (d2.concentration1 - d1.concentration1)
            - digamma(d1.concentration0) * (d2.concentration0 - d1.concentration0)
            + digamma(d1.total_concentration) * (d2.total_concentration - d1.total_concentration)
        )
