"""``Categorical`` and ``Bernoulli`` (TF 1.15 ``contrib/distributions``, core
``ops/distributions``): parameters and ``sample``."""

from __future__ import annotations

from typing import Any

import scopeflow.compat.v1 as tf


class _Distribution:
    """Logits/probs parameters and TF's ``Distribution.sample`` around ``_sample_n``."""

    _default_name = "Distribution"

    def __init__(self, logits: Any, probs: Any, dtype: Any, name: str | None) -> None:
        if (logits is None) == (probs is None):
            msg = "Must pass probs or logits, but not both."
            raise ValueError(msg)
        with tf.name_scope(name, self._default_name, [logits, probs]) as scope:
            self._name = scope
            if probs is None:
                self._logits = tf.convert_to_tensor(logits, name="logits")
                self._probs = self._probs_from_logits(self._logits)
            else:
                self._probs = tf.convert_to_tensor(probs, name="probs")
                self._logits = self._logits_from_probs(self._probs)
        self._dtype = tf.as_dtype(dtype)

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
        with tf.name_scope(self._name), tf.name_scope(name):
            shape = tf.convert_to_tensor(sample_shape, dtype=tf.int32, name="sample_shape")
            shape = tf.reshape(shape, [-1])
            n = tf.reduce_prod(shape)
            samples = self._sample_n(n, seed)
            final = tf.concat([shape, tf.shape(samples)[1:]], 0)
            return tf.reshape(samples, final)

    def _probs_from_logits(self, logits: Any) -> Any:
        raise NotImplementedError

    def _logits_from_probs(self, probs: Any) -> Any:
        raise NotImplementedError

    def _sample_n(self, n: Any, seed: int | None) -> Any:
        raise NotImplementedError


class Categorical(_Distribution):
    """A categorical distribution over ``[0, K)`` for the last axis of ``logits``/``probs``."""

    _default_name = "Categorical"

    def __init__(self, logits: Any = None, probs: Any = None, dtype: Any = tf.int32,
                 validate_args: bool = False, allow_nan_stats: bool = True,
                 name: str = "Categorical") -> None:  # fmt: skip
        super().__init__(logits, probs, dtype, name)

    def _probs_from_logits(self, logits: Any) -> Any:
        return tf.nn.softmax(logits, name="probs")

    def _logits_from_probs(self, probs: Any) -> Any:
        return tf.log(probs, name="logits")

    def _sample_n(self, n: Any, seed: int | None) -> Any:
        logits = self._logits
        if logits.shape.ndims == 2:
            logits_2d = logits
        else:
            logits_2d = tf.reshape(logits, [-1, tf.shape(logits)[-1]])
        sample_dtype = tf.int64 if self._dtype.size > 4 else tf.int32
        draws = tf.multinomial(logits_2d, n, seed=seed, output_dtype=sample_dtype)
        batch = tf.shape(logits)[:-1]
        draws = tf.reshape(tf.transpose(draws), tf.concat([[n], batch], 0))
        return tf.cast(draws, self._dtype)


class Bernoulli(_Distribution):
    """A Bernoulli distribution (1 with probability ``probs`` = ``sigmoid(logits)``)."""

    _default_name = "Bernoulli"

    def __init__(self, logits: Any = None, probs: Any = None, dtype: Any = tf.int32,
                 validate_args: bool = False, allow_nan_stats: bool = True,
                 name: str = "Bernoulli") -> None:  # fmt: skip
        super().__init__(logits, probs, dtype, name)

    def _probs_from_logits(self, logits: Any) -> Any:
        return tf.sigmoid(logits, name="probs")

    def _logits_from_probs(self, probs: Any) -> Any:
        return tf.subtract(tf.log(probs), tf.log1p(-probs), name="logits")

    def _sample_n(self, n: Any, seed: int | None) -> Any:
        shape = tf.concat([[n], tf.shape(self._probs)], 0)
        uniform = tf.random_uniform(shape, seed=seed, dtype=self._probs.dtype)
        return tf.cast(tf.less(uniform, self._probs), self._dtype)
