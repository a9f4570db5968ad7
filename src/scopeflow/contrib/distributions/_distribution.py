"""TF 1.15's ``Distribution`` base class, ``ReparameterizationType`` and the KL registry.

As TF 1.15's ``tensorflow/python/ops/distributions/distribution.py`` and ``kullback_leibler.py``:
a distribution opens its name scope once at construction (``Normal/``) and each public method
re-enters it with the method's name (``Normal/log_prob/...``); ``sample(sample_shape)`` draws
``prod(sample_shape)`` samples with the subclass's ``_sample_n`` and reshapes them to
``sample_shape + batch_shape + event_shape``; a method a subclass lacks falls back as TF's does
(``prob = exp(log_prob)``, ``log_prob = log(prob)``, ``stddev = sqrt(variance)``, ...) or raises
TF's ``NotImplementedError``. ``kl_divergence(a, b)`` looks up the function registered with
``RegisterKL`` for the closest pair of classes in the two method resolution orders and runs it
under the ``KullbackLeibler`` name scope.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import contextlib
import hashlib
import inspect
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.ops.array_ops import concat, reshape, shape
from scopeflow.ops.control_flow_ops import with_dependencies
from scopeflow.ops.logging_ops import Assert
from scopeflow.ops.math_ops import logical_not
from scopeflow.ops.reduction_ops import reduce_any, reduce_prod
from scopeflow.ops.tensor_util import constant_value
from scopeflow.ops.unary_ops import exp, is_nan, log, log1p, sqrt, square


class ReparameterizationType:
    """Whether samples are reparameterized (differentiable in the parameters)."""

    def __init__(self, rep_type: str) -> None:
        self._rep_type = rep_type

    def __repr__(self) -> str:
        return f"<Reparameterization Type: {self._rep_type}>"

    def __eq__(self, other: object) -> bool:
        return self is other

    def __hash__(self) -> int:
        return id(self)


FULLY_REPARAMETERIZED = ReparameterizationType("FULLY_REPARAMETERIZED")
NOT_REPARAMETERIZED = ReparameterizationType("NOT_REPARAMETERIZED")


@contextlib.contextmanager
def _scope(*names: str) -> Iterator[None]:
    g = get_default_graph()
    with contextlib.ExitStack() as stack:
        for n in names:
            stack.enter_context(g.name_scope(n))
        yield


def construction_scope(name: str) -> Any:
    """The ``name_scope(name)`` a distribution opens at construction (its ``name``)."""
    return get_default_graph().name_scope(name)


class Distribution:
    """A batch of probability distributions (TF 1.15's ``tf.distributions.Distribution``)."""

    def __init__(
        self,
        dtype: Any,
        reparameterization_type: ReparameterizationType,
        validate_args: bool,
        allow_nan_stats: bool,
        parameters: dict[str, Any] | None = None,
        graph_parents: list[Any] | None = None,
        name: str | None = None,
    ) -> None:
        self._dtype = dtype
        self._reparameterization_type = reparameterization_type
        self._allow_nan_stats = allow_nan_stats
        self._validate_args = validate_args
        self._parameters = dict(parameters or {})
        self._parameters.pop("self", None)
        self._parameters.pop("__class__", None)
        self._graph_parents = list(graph_parents or [])
        self._name = name or type(self).__name__

    # --- properties ------------------------------------------------------------------------

    @property
    def name(self) -> str:
        """The name scope of the distribution's ops (``Normal/``)."""
        return self._name

    @property
    def dtype(self) -> Any:
        """The dtype of samples."""
        return self._dtype

    @property
    def parameters(self) -> dict[str, Any]:
        """The constructor's arguments."""
        return dict(self._parameters)

    @property
    def reparameterization_type(self) -> ReparameterizationType:
        return self._reparameterization_type

    @property
    def allow_nan_stats(self) -> bool:
        return self._allow_nan_stats

    @property
    def validate_args(self) -> bool:
        return self._validate_args

    @property
    def batch_shape(self) -> TensorShape:
        """The static batch shape."""
        return TensorShape(self._batch_shape())

    @property
    def event_shape(self) -> TensorShape:
        """The static event shape."""
        return TensorShape(self._event_shape())

    def batch_shape_tensor(self, name: str = "batch_shape_tensor") -> Any:
        with self._name_scope(name):
            if self.batch_shape.is_fully_defined():
                return convert_to_tensor(self.batch_shape.as_list(), dtype=dtypes.int32,
                                         name="batch_shape")  # fmt: skip
            return self._batch_shape_tensor()

    def event_shape_tensor(self, name: str = "event_shape_tensor") -> Any:
        with self._name_scope(name):
            if self.event_shape.is_fully_defined():
                return convert_to_tensor(self.event_shape.as_list(), dtype=dtypes.int32,
                                         name="event_shape")  # fmt: skip
            return self._event_shape_tensor()

    def is_scalar_event(self, name: str = "is_scalar_event") -> Any:
        with self._name_scope(name):
            return convert_to_tensor(self.event_shape.ndims == 0, name="is_scalar_event")

    def is_scalar_batch(self, name: str = "is_scalar_batch") -> Any:
        with self._name_scope(name):
            return convert_to_tensor(self.batch_shape.ndims == 0, name="is_scalar_batch")

    def _batch_shape(self) -> TensorShape:
        return TensorShape(None)

    def _event_shape(self) -> TensorShape:
        return TensorShape([])

    def _batch_shape_tensor(self) -> Any:
        raise NotImplementedError(f"batch_shape_tensor is not implemented: {type(self).__name__}")

    def _event_shape_tensor(self) -> Any:
        return convert_to_tensor([], dtype=dtypes.int32)

    def _impl(self, method: str) -> Callable[..., Any]:
        return getattr(self, method)  # type: ignore[no-any-return]

    def _name_scope(self, name: str) -> Any:
        return _scope(self._name, name)

    def copy(self, **override_parameters_kwargs: Any) -> Distribution:
        """A new distribution of the same class with some constructor arguments replaced."""
        params = dict(self._parameters, **override_parameters_kwargs)
        accepted = inspect.signature(type(self).__init__).parameters
        return type(self)(**{k: v for k, v in params.items() if k in accepted})

    # --- sampling ----------------------------------------------------------------------------

    def sample(self, sample_shape: Any = (), seed: int | None = None, name: str = "sample") -> Any:
        """``sample_shape + batch_shape + event_shape`` samples.

        As TF's ``_call_sample_n``: a constant ``sample_shape`` gives ``_sample_n`` a NumPy
        ``n`` (so the sampling graph holds constants), otherwise a ``Prod`` of it.
        """
        with self._name_scope(name):
            x = convert_to_tensor(sample_shape, dtype=dtypes.int32, name="sample_shape")
            static_val = constant_value(x)
            n = reduce_prod(x) if static_val is None else np.prod(static_val, dtype=np.int32)
            ndims = x.shape.ndims
            if ndims is None:
                x = reshape(x, [-1])
            elif ndims == 0:
                if static_val is not None:
                    x = convert_to_tensor(np.array([static_val], dtype=np.int32),
                                          name="sample_shape")  # fmt: skip
                else:
                    x = reshape(x, [1])
            elif ndims != 1:
                raise ValueError("Input is neither scalar nor vector.")
            samples = self._sample_n(n, seed)
            final = concat([x, shape(samples)[1:]], 0)
            out = reshape(samples, final)
            static = TensorShape(None) if static_val is None else TensorShape(
                np.asarray(static_val).reshape(-1).tolist())  # fmt: skip
            if static.ndims is not None and samples.shape.ndims is not None:
                out.set_shape(static.concatenate(samples.shape[1:]))
            return out

    def _sample_n(self, n: Any, seed: int | None) -> Any:
        raise NotImplementedError(f"sample_n is not implemented: {type(self).__name__}")

    # --- methods with fallbacks --------------------------------------------------------------

    def log_prob(self, value: Any, name: str = "log_prob") -> Any:
        """Log probability density/mass of ``value``."""
        with self._name_scope(name):
            x = _value(value, self)
            if _overrides(self, "_log_prob"):
                return self._impl("_log_prob")(x)
            if _overrides(self, "_prob"):
                return log(self._impl("_prob")(x))
            raise NotImplementedError(f"log_prob is not implemented: {type(self).__name__}")

    def prob(self, value: Any, name: str = "prob") -> Any:
        """Probability density/mass of ``value``."""
        with self._name_scope(name):
            x = _value(value, self)
            if _overrides(self, "_prob"):
                return self._impl("_prob")(x)
            if _overrides(self, "_log_prob"):
                return exp(self._impl("_log_prob")(x))
            raise NotImplementedError(f"prob is not implemented: {type(self).__name__}")

    def log_cdf(self, value: Any, name: str = "log_cdf") -> Any:
        """Log cumulative distribution function."""
        with self._name_scope(name):
            x = _value(value, self)
            if _overrides(self, "_log_cdf"):
                return self._impl("_log_cdf")(x)
            if _overrides(self, "_cdf"):
                return log(self._impl("_cdf")(x))
            raise NotImplementedError(f"log_cdf is not implemented: {type(self).__name__}")

    def cdf(self, value: Any, name: str = "cdf") -> Any:
        """Cumulative distribution function."""
        with self._name_scope(name):
            x = _value(value, self)
            if _overrides(self, "_cdf"):
                return self._impl("_cdf")(x)
            if _overrides(self, "_log_cdf"):
                return exp(self._impl("_log_cdf")(x))
            raise NotImplementedError(f"cdf is not implemented: {type(self).__name__}")

    def log_survival_function(self, value: Any, name: str = "log_survival_function") -> Any:
        """``log(1 - cdf(value))``."""
        with self._name_scope(name):
            x = _value(value, self)
            if _overrides(self, "_log_survival_function"):
                return self._impl("_log_survival_function")(x)
            if _overrides(self, "_log_cdf") or _overrides(self, "_cdf"):
                cdf = (
                    self._impl("_cdf")(x)
                    if _overrides(self, "_cdf")
                    else exp(self._impl("_log_cdf")(x))
                )
                return log1p(-cdf)
            raise NotImplementedError(
                f"log_survival_function is not implemented: {type(self).__name__}"
            )

    def survival_function(self, value: Any, name: str = "survival_function") -> Any:
        """``1 - cdf(value)``."""
        with self._name_scope(name):
            x = _value(value, self)
            if _overrides(self, "_survival_function"):
                return self._impl("_survival_function")(x)
            if _overrides(self, "_cdf"):
                return 1.0 - self._impl("_cdf")(x)
            if _overrides(self, "_log_cdf"):
                return 1.0 - exp(self._impl("_log_cdf")(x))
            raise NotImplementedError(
                f"survival_function is not implemented: {type(self).__name__}"
            )

    def _simple(self, method: str, name: str) -> Any:
        with self._name_scope(name):
            if _overrides(self, "_" + method):
                return getattr(self, "_" + method)()
            raise NotImplementedError(f"{method} is not implemented: {type(self).__name__}")

    def entropy(self, name: str = "entropy") -> Any:
        """Shannon entropy in nats."""
        return self._simple("entropy", name)

    def mean(self, name: str = "mean") -> Any:
        """The mean."""
        return self._simple("mean", name)

    def mode(self, name: str = "mode") -> Any:
        """The mode."""
        return self._simple("mode", name)

    def quantile(self, value: Any, name: str = "quantile") -> Any:
        """The inverse of ``cdf``."""
        with self._name_scope(name):
            x = _value(value, self)
            if _overrides(self, "_quantile"):
                return self._impl("_quantile")(x)
            raise NotImplementedError(f"quantile is not implemented: {type(self).__name__}")

    def variance(self, name: str = "variance") -> Any:
        """The variance."""
        with self._name_scope(name):
            if _overrides(self, "_variance"):
                return self._impl("_variance")()
            if _overrides(self, "_stddev"):
                return square(self._impl("_stddev")())
            raise NotImplementedError(f"variance is not implemented: {type(self).__name__}")

    def stddev(self, name: str = "stddev") -> Any:
        """The standard deviation."""
        with self._name_scope(name):
            if _overrides(self, "_stddev"):
                return self._impl("_stddev")()
            if _overrides(self, "_variance"):
                return sqrt(self._impl("_variance")())
            raise NotImplementedError(f"stddev is not implemented: {type(self).__name__}")

    def covariance(self, name: str = "covariance") -> Any:
        """The covariance (for vector events)."""
        return self._simple("covariance", name)

    def cross_entropy(self, other: Distribution, name: str = "cross_entropy") -> Any:
        """``entropy() + kl_divergence(other)``."""
        with self._name_scope(name):
            return self._entropy_plus_kl(other)

    def _entropy_plus_kl(self, other: Distribution) -> Any:
        with get_default_graph().name_scope("cross_entropy"):
            return self.entropy() + kl_divergence(self, other)

    def kl_divergence(self, other: Distribution, name: str = "kl_divergence") -> Any:
        """``KL(self || other)`` from the registered function."""
        with self._name_scope(name):
            return kl_divergence(self, other)

    def __str__(self) -> str:
        return (
            f'tf.distributions.{type(self).__name__}("{self.name}", batch_shape='
            f"{self.batch_shape}, event_shape={self.event_shape}, dtype={self.dtype.name})"
        )

    def __repr__(self) -> str:
        return (
            f"<tf.distributions.{type(self).__name__} '{self.name}' batch_shape="
            f"{self.batch_shape} event_shape={self.event_shape} dtype={self.dtype.name}>"
        )


def _overrides(obj: Distribution, method: str) -> bool:
    return getattr(type(obj), method, None) is not getattr(Distribution, method, None)


def _value(value: Any, dist: Distribution) -> Any:
    return convert_to_tensor(value, name="value", preferred_dtype=dist.dtype)


# --- KL registry -------------------------------------------------------------------------------

_DIVERGENCES: dict[tuple[type, type], Callable[..., Any]] = {}


def gen_new_seed(seed: int | None, salt: str) -> int | None:
    """TF's ``distribution_util.gen_new_seed``: a seed derived from ``seed`` and ``salt`` (MD5)."""
    if seed is None:
        return None
    digest = hashlib.md5((str(seed) + salt).encode("utf-8")).hexdigest()
    return int(digest[:8], 16) & 0x7FFFFFFF


class RegisterKL:
    """Decorator registering ``kl_fn(a, b, name=None)`` for a pair of distribution classes."""

    def __init__(self, dist_cls_a: type, dist_cls_b: type) -> None:
        self._key = (dist_cls_a, dist_cls_b)

    def __call__(self, kl_fn: Callable[..., Any]) -> Callable[..., Any]:
        if not callable(kl_fn):
            raise TypeError(f"kl_fn must be callable, received: {kl_fn}")
        if self._key in _DIVERGENCES:
            raise ValueError(
                f"KL({self._key[0].__name__} || {self._key[1].__name__}) has already been "
                f"registered to: {_DIVERGENCES[self._key]}"
            )
        _DIVERGENCES[self._key] = kl_fn
        return kl_fn


def _registered_kl(type_a: type, type_b: type) -> Callable[..., Any] | None:
    hierarchy_a, hierarchy_b = inspect.getmro(type_a), inspect.getmro(type_b)
    best, best_dist = None, None
    for ia, pa in enumerate(hierarchy_a):
        for ib, pb in enumerate(hierarchy_b):
            fn = _DIVERGENCES.get((pa, pb))
            if fn is not None and (best_dist is None or ia + ib < best_dist):
                best, best_dist = fn, ia + ib
    return best


def kl_divergence(distribution_a: Distribution, distribution_b: Distribution,
                  allow_nan_stats: bool = True, name: str | None = None) -> Any:  # fmt: skip
    """``KL(distribution_a || distribution_b)`` (``tf.distributions.kl_divergence``).

    Raises:
        NotImplementedError: no KL is registered for the two classes.
    """
    kl_fn = _registered_kl(type(distribution_a), type(distribution_b))
    if kl_fn is None:
        raise NotImplementedError(
            "No KL(distribution_a || distribution_b) registered for distribution_a type "
            f"{type(distribution_a).__name__} and distribution_b type "
            f"{type(distribution_b).__name__}"
        )
    with get_default_graph().name_scope("KullbackLeibler"):
        kl_t = kl_fn(distribution_a, distribution_b, name=name)
        if allow_nan_stats:
            return kl_t
        kl_t = convert_to_tensor(kl_t, name="kl")
        with get_default_graph().name_scope("checked_kl"):
            message = (
                f"KL calculation between {distribution_a.name} and {distribution_b.name} "
                "returned NaN values (and was called with allow_nan_stats=False). Values:"
            )
            check = Assert(logical_not(reduce_any(is_nan(kl_t))), [message, kl_t])
            return with_dependencies([check], kl_t)
