"""TF 1.15's discrete and simplex core distributions and their registered KL divergences.

Bernoulli, Categorical, Multinomial, Dirichlet and DirichletMultinomial.

Bernoulli and Categorical take ``logits`` or ``probs`` (TF's ``get_logits_and_probs``: the other
one is derived under the distribution's scope) and sample with TF's ops (``multinomial`` on 2-D
logits; ``random_uniform < probs``), so seeded draws equal TF's; google/seq2seq's and TF 1.15's
``contrib.seq2seq`` sampling helpers use them.

``Multinomial`` samples with TF's ``map_fn`` of ``multinomial`` draws, ``Dirichlet`` and
``DirichletMultinomial`` with TF's ``RandomGamma`` graphs (TF's seeds, so seeded draws equal
TF's).

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.contrib.distributions._distribution import (
    FULLY_REPARAMETERIZED,
    NOT_REPARAMETERIZED,
    Distribution,
    RegisterKL,
    construction_scope,
    gen_new_seed,
)
from scopeflow.errors import UnsupportedError
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.ops.activation_ops import log_softmax, softmax, softplus
from scopeflow.ops.array_ops import concat, fill, ones_like, reshape, shape
from scopeflow.ops.creation_ops import one_hot
from scopeflow.ops.functional_ops import map_fn
from scopeflow.ops.gather_scatter_ops import where
from scopeflow.ops.math_extra_ops import lbeta, xlogy
from scopeflow.ops.math_ops import cast, less, logical_and
from scopeflow.ops.nn_loss_ops import (
    sigmoid_cross_entropy_with_logits,
    sparse_softmax_cross_entropy_with_logits,
)
from scopeflow.ops.random_gamma_ops import random_gamma
from scopeflow.ops.random_ops import multinomial, random_uniform
from scopeflow.ops.reduction_ops import argmax, reduce_all, reduce_sum
from scopeflow.ops.shape_ops import transpose
from scopeflow.ops.unary_ops import digamma, lgamma, log, log1p, sigmoid


def _logits_and_probs(logits: Any, probs: Any, multidimensional: bool) -> tuple[Any, Any]:
    if (logits is None) == (probs is None):
        raise ValueError("Must pass probs or logits, but not both.")
    if probs is None:
        lg = convert_to_tensor(logits, name="logits")
        if not lg.dtype.is_floating:
            raise TypeError("logits must having floating type.")
        pr = softmax(lg, name="probs") if multidimensional else sigmoid(lg, name="probs")
        return lg, pr
    pr = convert_to_tensor(probs, name="probs")
    if not pr.dtype.is_floating:
        raise TypeError("probs must having floating type.")
    with get_default_graph().name_scope("logits"):
        lg = log(pr) if multidimensional else log(pr) - log1p(-pr)
    return lg, pr


class Bernoulli(Distribution):
    """A Bernoulli distribution (1 with probability ``probs`` = ``sigmoid(logits)``)."""

    def __init__(self, logits: Any = None, probs: Any = None, dtype: Any = dtypes.int32,
                 validate_args: bool = False, allow_nan_stats: bool = True,
                 name: str = "Bernoulli") -> None:  # fmt: skip
        parameters = dict(locals())
        with construction_scope(name) as scope:
            self._logits, self._probs = _logits_and_probs(logits, probs, False)
        parents = [self._logits, self._probs]
        super().__init__(dtypes.as_dtype(dtype), NOT_REPARAMETERIZED, validate_args,
                         allow_nan_stats, parameters, parents, scope)  # fmt: skip

    @property
    def logits(self) -> Any:
        return self._logits

    @property
    def probs(self) -> Any:
        return self._probs

    def _batch_shape(self) -> TensorShape:
        return self._logits.shape  # type: ignore[no-any-return]

    def _batch_shape_tensor(self) -> Any:
        return shape(self._logits)

    def _sample_n(self, n: Any, seed: int | None) -> Any:
        new_shape = concat([[n], self.batch_shape_tensor()], 0)
        uniform = random_uniform(new_shape, seed=seed, dtype=self._probs.dtype)
        return cast(less(uniform, self._probs), self.dtype)

    def _log_prob(self, event: Any) -> Any:
        event = cast(event, self._logits.dtype)
        logits = self._logits
        es, ls = event.shape, logits.shape
        if not (es.is_fully_defined() and ls.is_fully_defined() and es == ls):
            logits, event = ones_like(event) * logits, ones_like(logits) * event
        return -sigmoid_cross_entropy_with_logits(labels=event, logits=logits)

    def _entropy(self) -> Any:
        return -self._logits * (sigmoid(self._logits) - 1.0) + softplus(-self._logits)

    def _mean(self) -> Any:
        from scopeflow.ops.array_ops import identity  # noqa: PLC0415

        return identity(self._probs)

    def _variance(self) -> Any:
        return self._mean() * (1.0 - self._probs)

    def _mode(self) -> Any:
        return cast(self._probs > 0.5, self.dtype)


class Categorical(Distribution):
    """A categorical distribution over ``[0, K)`` for the last axis of ``logits``/``probs``."""

    def __init__(self, logits: Any = None, probs: Any = None, dtype: Any = dtypes.int32,
                 validate_args: bool = False, allow_nan_stats: bool = True,
                 name: str = "Categorical") -> None:  # fmt: skip
        parameters = dict(locals())
        with construction_scope(name) as scope:
            self._logits, self._probs = _logits_and_probs(logits, probs, True)
            nd = self._logits.shape.ndims
            if nd is not None and nd < 1:
                raise ValueError("Parameters must have at least rank 1.")
        parents = [self._logits, self._probs]
        super().__init__(dtypes.as_dtype(dtype), NOT_REPARAMETERIZED, validate_args,
                         allow_nan_stats, parameters, parents, scope)  # fmt: skip

    @property
    def logits(self) -> Any:
        return self._logits

    @property
    def probs(self) -> Any:
        return self._probs

    @property
    def event_size(self) -> Any:
        return shape(self._logits)[-1]

    def _batch_shape(self) -> TensorShape:
        s = self._logits.shape
        return s[:-1] if s.ndims is not None else TensorShape(None)

    def _batch_shape_tensor(self) -> Any:
        return shape(self._logits)[:-1]

    def _sample_n(self, n: Any, seed: int | None) -> Any:
        logits = self._logits
        two_d = logits.shape.ndims == 2
        logits_2d = logits if two_d else reshape(logits, [-1, self.event_size])
        sample_dtype = dtypes.int64 if self.dtype.size > 4 else dtypes.int32
        draws = multinomial(logits_2d, n, seed=seed, output_dtype=sample_dtype)
        draws = reshape(transpose(draws), concat([[n], self.batch_shape_tensor()], 0))
        return cast(draws, self.dtype)

    def _log_prob(self, k: Any) -> Any:
        k = convert_to_tensor(k, name="k")
        logits = self._logits
        ks, ls = k.shape, logits.shape
        if k.dtype.is_integer:
            k = cast(k, dtypes.int32) if k.dtype.base_dtype != dtypes.int64 else k
        else:
            k = cast(k, dtypes.int32)
        if not (ks.is_fully_defined() and ls.is_fully_defined() and ks.as_list() ==
                ls.as_list()[:-1]):  # fmt: skip
            logits = logits * ones_like(k, dtype=logits.dtype)[..., None]
            k = k * ones_like(logits[..., 0], dtype=k.dtype)
        return -sparse_softmax_cross_entropy_with_logits(labels=k, logits=logits)

    def _entropy(self) -> Any:
        return -reduce_sum(log_softmax(self._logits) * self._probs, axis=-1)

    def _mode(self) -> Any:
        return cast(argmax(self._logits, axis=-1), self.dtype)


def _log_combinations(n: Any, counts: Any) -> Any:
    total_permutations = lgamma(n + 1.0)
    redundant = reduce_sum(lgamma(counts + 1.0), axis=-1)
    return total_permutations - redundant


class Multinomial(Distribution):
    """Counts of ``total_count`` draws over ``K`` classes (``logits``/``probs`` last axis)."""

    def __init__(self, total_count: Any, logits: Any = None, probs: Any = None,
                 validate_args: bool = False, allow_nan_stats: bool = True,
                 name: str = "Multinomial") -> None:  # fmt: skip
        parameters = dict(locals())
        with construction_scope(name) as scope:
            self._total_count = convert_to_tensor(total_count, name="total_count")
            self._logits, self._probs = _logits_and_probs(logits, probs, True)
            self._mean_val = self._total_count[..., None] * self._probs
        parents = [self._total_count, self._logits, self._probs]
        super().__init__(self._probs.dtype, NOT_REPARAMETERIZED, validate_args, allow_nan_stats,
                         parameters, parents, scope)  # fmt: skip

    @property
    def total_count(self) -> Any:
        return self._total_count

    @property
    def logits(self) -> Any:
        return self._logits

    @property
    def probs(self) -> Any:
        return self._probs

    def _batch_shape(self) -> TensorShape:
        s = self._mean_val.shape
        return s[:-1] if s.ndims is not None else TensorShape(None)

    def _batch_shape_tensor(self) -> Any:
        return shape(self._mean_val)[:-1]

    def _event_shape(self) -> TensorShape:
        s = self._mean_val.shape
        return s[-1:] if s.ndims is not None else TensorShape(None)

    def _event_shape_tensor(self) -> Any:
        return shape(self._mean_val)[-1:]

    def _sample_n(self, n: Any, seed: int | None) -> Any:
        n_draws = cast(self._total_count, dtype=dtypes.int32)
        k = self.event_shape_tensor()[0]
        # broadcast total_count and logits to one shape, then flatten the batch
        n_draws = ones_like(self._logits[..., 0], dtype=n_draws.dtype) * n_draws
        logits = ones_like(n_draws[..., None], dtype=self._logits.dtype) * self._logits
        flat_logits = reshape(logits, [-1, k])  # [B1B2...Bm, k]
        flat_ndraws = n * reshape(n_draws, [-1])  # [B1B2...Bm]

        def _sample_single(args: Any) -> Any:
            row_logits, n_draw = args[0], args[1]  # [k], []
            x = multinomial(row_logits[None, ...], n_draw, seed)  # [1, n * n_draw]
            x = reshape(x, shape=[n, -1])  # [n, n_draw]
            return reduce_sum(one_hot(x, depth=k), axis=-2)  # [n, k]

        x = map_fn(_sample_single, [flat_logits, flat_ndraws], dtype=self.dtype)
        x = transpose(x, perm=[1, 0, 2])
        final_shape = concat([[n], self.batch_shape_tensor(), [k]], 0)
        return reshape(x, final_shape)  # [n, B1, ..., Bm, k]

    def _log_prob(self, counts: Any) -> Any:
        counts = convert_to_tensor(counts, name="counts")
        return reduce_sum(counts * log_softmax(self._logits), -1) + _log_combinations(
            self._total_count, counts
        )

    def _mean(self) -> Any:
        from scopeflow.ops.array_ops import identity  # noqa: PLC0415

        return identity(self._mean_val)

    def _variance(self) -> Any:
        p = self._probs * ones_like(self._total_count)[..., None]
        return self._mean_val * (1.0 - p)

    def _covariance(self) -> Any:
        from scopeflow.ops.matrix_extra_ops import matrix_set_diag  # noqa: PLC0415

        p = self._probs * ones_like(self._total_count)[..., None]
        outer = -self._mean_val[..., :, None] * p[..., None, :]
        return matrix_set_diag(outer, self._variance())


class Dirichlet(Distribution):
    """The Dirichlet distribution over the simplex, with ``concentration`` (last axis)."""

    def __init__(self, concentration: Any, validate_args: bool = False,
                 allow_nan_stats: bool = True, name: str = "Dirichlet") -> None:  # fmt: skip
        parameters = dict(locals())
        with construction_scope(name) as scope:
            self._concentration = convert_to_tensor(concentration, name="concentration")
            self._total_concentration = reduce_sum(self._concentration, -1)
        super().__init__(self._concentration.dtype, FULLY_REPARAMETERIZED, validate_args,
                         allow_nan_stats, parameters, [self._concentration], scope)  # fmt: skip

    @property
    def concentration(self) -> Any:
        return self._concentration

    @property
    def total_concentration(self) -> Any:
        return self._total_concentration

    def _batch_shape(self) -> TensorShape:
        return self._total_concentration.shape  # type: ignore[no-any-return]

    def _batch_shape_tensor(self) -> Any:
        return shape(self._total_concentration)

    def _event_shape(self) -> TensorShape:
        s = self._concentration.shape
        return s[-1:] if s.ndims is not None else TensorShape(None)

    def _event_shape_tensor(self) -> Any:
        return shape(self._concentration)[-1:]

    def _sample_n(self, n: Any, seed: int | None) -> Any:
        gamma_sample = random_gamma(shape=[n], alpha=self._concentration, dtype=self.dtype,
                                    seed=seed)  # fmt: skip
        return gamma_sample / reduce_sum(gamma_sample, -1, keepdims=True)

    def _log_prob(self, x: Any) -> Any:
        return reduce_sum(xlogy(self._concentration - 1.0, x), -1) - lbeta(self._concentration)

    def _prob(self, x: Any) -> Any:
        from scopeflow.ops.unary_ops import exp  # noqa: PLC0415

        return exp(self._log_prob(x))

    def _entropy(self) -> Any:
        c = self._concentration
        k = cast(shape(c)[-1], self.dtype)
        return (
            lbeta(c)
            + (self._total_concentration - k) * digamma(self._total_concentration)
            - reduce_sum((c - 1.0) * digamma(c), axis=-1)
        )

    def _mean(self) -> Any:
        return self._concentration / self._total_concentration[..., None]

    def _variance(self) -> Any:
        m = self._mean()
        return m * (1.0 - m) / (1.0 + self._total_concentration[..., None])

    def _covariance(self) -> Any:
        from scopeflow.ops.matrix_extra_ops import matrix_set_diag  # noqa: PLC0415

        m = self._mean()
        t = (1.0 + self._total_concentration)[..., None, None]
        return matrix_set_diag(-m[..., :, None] * m[..., None, :] / t, self._variance())

    def _mode(self) -> Any:
        k = cast(shape(self._concentration)[-1], self.dtype)
        mode = (self._concentration - 1.0) / (self._total_concentration[..., None] - k)
        if not self.allow_nan_stats:
            raise UnsupportedError("Dirichlet.mode with allow_nan_stats=False")
        nan = fill(shape(mode), np.array(np.nan, dtype=self.dtype.as_numpy_dtype))
        ok = reduce_all(self._concentration > 1.0, axis=-1, keepdims=True)
        return where(logical_and(ok, ones_like(mode) > 0.0), mode, nan)


class DirichletMultinomial(Distribution):
    """Counts of ``total_count`` draws with Dirichlet(``concentration``) class probabilities."""

    def __init__(self, total_count: Any, concentration: Any, validate_args: bool = False,
                 allow_nan_stats: bool = True,
                 name: str = "DirichletMultinomial") -> None:  # fmt: skip
        parameters = dict(locals())
        with construction_scope(name) as scope:
            self._total_count = convert_to_tensor(total_count, name="total_count")
            self._concentration = convert_to_tensor(concentration, name="concentration")
            self._total_concentration = reduce_sum(self._concentration, -1)
        super().__init__(self._concentration.dtype, NOT_REPARAMETERIZED, validate_args,
                         allow_nan_stats, parameters, [self._total_count, self._concentration],
                         scope)  # fmt: skip

    @property
    def total_count(self) -> Any:
        return self._total_count

    @property
    def concentration(self) -> Any:
        return self._concentration

    @property
    def total_concentration(self) -> Any:
        return self._total_concentration

    def _batch_shape(self) -> TensorShape:
        return self._total_concentration.shape  # type: ignore[no-any-return]

    def _batch_shape_tensor(self) -> Any:
        return shape(self._total_concentration)

    def _event_shape(self) -> TensorShape:
        s = self._concentration.shape
        return s[-1:] if s.ndims is not None else TensorShape(None)

    def _event_shape_tensor(self) -> Any:
        return shape(self._concentration)[-1:]

    def _sample_n(self, n: Any, seed: int | None) -> Any:
        n_draws = cast(self._total_count, dtype=dtypes.int32)
        k = self.event_shape_tensor()[0]
        gamma_sample = random_gamma(shape=[n], alpha=self._concentration, dtype=self.dtype,
                                    seed=seed)  # fmt: skip
        unnormalized_logits = reshape(log(gamma_sample), shape=[-1, k])
        draws = multinomial(logits=unnormalized_logits, num_samples=n_draws,
                            seed=gen_new_seed(seed, salt="dirichlet_multinomial"))  # fmt: skip
        x = reduce_sum(one_hot(draws, depth=k), -2)
        final_shape = concat([[n], self.batch_shape_tensor(), [k]], 0)
        return cast(reshape(x, final_shape), self.dtype)

    def _log_prob(self, counts: Any) -> Any:
        counts = convert_to_tensor(counts, name="counts")
        ordered = lbeta(self._concentration + counts) - lbeta(self._concentration)
        return ordered + _log_combinations(self._total_count, counts)

    def _prob(self, counts: Any) -> Any:
        from scopeflow.ops.unary_ops import exp  # noqa: PLC0415

        return exp(self._log_prob(counts))

    def _mean(self) -> Any:
        return self._total_count[..., None] * (
            self._concentration / self._total_concentration[..., None]
        )

    def _variance(self) -> Any:
        n = self._total_count[..., None]
        a0 = self._total_concentration[..., None]
        p = self._concentration / a0
        return n * p * (1.0 - p) * (n + a0) / (1.0 + a0)


# --- KL divergences ----------------------------------------------------------------------------


@RegisterKL(Bernoulli, Bernoulli)
def _kl_bernoulli_bernoulli(a: Bernoulli, b: Bernoulli, name: str | None = None) -> Any:
    with get_default_graph().name_scope(name or "kl_bernoulli_bernoulli"):
        delta_probs0 = softplus(-b.logits) - softplus(-a.logits)
        delta_probs1 = softplus(b.logits) - softplus(a.logits)
        return sigmoid(a.logits) * delta_probs0 + sigmoid(-a.logits) * delta_probs1


@RegisterKL(Categorical, Categorical)
def _kl_categorical_categorical(a: Categorical, b: Categorical, name: str | None = None) -> Any:
    with get_default_graph().name_scope(name or "kl_categorical_categorical"):
        delta_log_probs1 = log_softmax(a.logits) - log_softmax(b.logits)
        return reduce_sum(softmax(a.logits) * delta_log_probs1, axis=-1)


@RegisterKL(Dirichlet, Dirichlet)
def _kl_dirichlet_dirichlet(d1: Dirichlet, d2: Dirichlet, name: str | None = None) -> Any:
    with get_default_graph().name_scope(name or "kl_dirichlet_dirichlet"):
        c1, c2 = d1.concentration, d2.concentration
        digamma_sum_d1 = digamma(reduce_sum(c1, axis=-1, keepdims=True))
        digamma_diff = digamma(c1) - digamma_sum_d1
        concentration_diff = c1 - c2
        return reduce_sum(concentration_diff * digamma_diff, axis=-1) - lbeta(c1) + lbeta(c2)
