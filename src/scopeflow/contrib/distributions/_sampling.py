"""``Categorical`` and ``Bernoulli`` (TF 1.15's distributions): parameters and ``sample``."""

from __future__ import annotations

import abc
from typing import Any

from scopeflow._core import dtypes
from scopeflow._core.name_scope import name_scope
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.ops.activation_ops import softmax
from scopeflow.ops.array_ops import concat, reshape, shape
from scopeflow.ops.math_ops import cast, less, subtract
from scopeflow.ops.random_ops import multinomial, random_uniform
from scopeflow.ops.reduction_ops import reduce_prod
from scopeflow.ops.shape_ops import transpose
from scopeflow.ops.unary_ops import log, log1p, sigmoid


class _Distribution(abc.ABC):
    """Logits/probs parameters and TF's ``Distribution.sample`` around ``_sample_n``."""

    _default_name = "Distribution"

    def __init__(self, logits: Any, probs: Any, dtype: Any, name: str | None) -> None:
        if (logits is None) == (probs is None):
            msg = "Must pass probs or logits, but not both."
            raise ValueError(msg)
        with name_scope(name, self._default_name, [logits, probs]) as scope:
            self._name = scope
            if probs is None:
                self._logits = convert_to_tensor(logits, name="logits")
                self._probs = self._probs_from_logits(self._logits)
            else:
                self._probs = convert_to_tensor(probs, name="probs")
                self._logits = self._logits_from_probs(self._probs)
        self._dtype = dtypes.as_dtype(dtype)

    @property
    def dtype(self) -> Any:
        return self._dtype

    @property
    def logits(self) -> Any:
        return self._logits

    @property
    def probs(self) -> Any:
        return self._probs

    def sample(self, sample_shape: Any = (), seed: int | None = None, name: str = "sample") -> Any:
        """Draws ``sample_shape + batch_shape`` samples (TF's ``Distribution.sample``)."""
        with name_scope(self._name), name_scope(name):
            wanted = convert_to_tensor(sample_shape, dtype=dtypes.int32, name="sample_shape")
            wanted = reshape(wanted, [-1])
            n = reduce_prod(wanted)
            samples = self._sample_n(n, seed)
            final = concat([wanted, shape(samples)[1:]], 0)
            return reshape(samples, final)

    @abc.abstractmethod
    def _probs_from_logits(self, logits: Any) -> Any:
        """The distribution's probabilities from its logits."""

    @abc.abstractmethod
    def _logits_from_probs(self, probs: Any) -> Any:
        """The distribution's logits from its probabilities."""

    @abc.abstractmethod
    def _sample_n(self, n: Any, seed: int | None) -> Any:
        """``n`` samples, stacked on a new first axis."""


class Categorical(_Distribution):
    """A categorical distribution over ``[0, K)`` for the last axis of ``logits``/``probs``."""

    _default_name = "Categorical"

    def __init__(self, logits: Any = None, probs: Any = None, dtype: Any = dtypes.int32,
                 validate_args: bool = False, allow_nan_stats: bool = True,
                 name: str = "Categorical") -> None:  # fmt: skip
        super().__init__(logits, probs, dtype, name)

    def _probs_from_logits(self, logits: Any) -> Any:
        return softmax(logits, name="probs")

    def _logits_from_probs(self, probs: Any) -> Any:
        return log(probs, name="logits")

    def _sample_n(self, n: Any, seed: int | None) -> Any:
        logits = self._logits
        two_d = logits.shape.ndims == 2
        logits_2d = logits if two_d else reshape(logits, [-1, shape(logits)[-1]])
        sample_dtype = dtypes.int64 if self._dtype.size > 4 else dtypes.int32
        draws = multinomial(logits_2d, n, seed=seed, output_dtype=sample_dtype)
        batch = shape(logits)[:-1]
        draws = reshape(transpose(draws), concat([[n], batch], 0))
        return cast(draws, self._dtype)


class Bernoulli(_Distribution):
    """A Bernoulli distribution (1 with probability ``probs`` = ``sigmoid(logits)``)."""

    _default_name = "Bernoulli"

    def __init__(self, logits: Any = None, probs: Any = None, dtype: Any = dtypes.int32,
                 validate_args: bool = False, allow_nan_stats: bool = True,
                 name: str = "Bernoulli") -> None:  # fmt: skip
        super().__init__(logits, probs, dtype, name)

    def _probs_from_logits(self, logits: Any) -> Any:
        return sigmoid(logits, name="probs")

    def _logits_from_probs(self, probs: Any) -> Any:
        return subtract(log(probs), log1p(-probs), name="logits")

    def _sample_n(self, n: Any, seed: int | None) -> Any:
        new_shape = concat([[n], shape(self._probs)], 0)
        uniform = random_uniform(new_shape, seed=seed, dtype=self._probs.dtype)
        return cast(less(uniform, self._probs), self._dtype)
