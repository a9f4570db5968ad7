"""Monotonic attention (Raffel et al., 2017) and ``hardmax`` (TF 1.15 ``contrib.seq2seq``).

After TF 1.15's ``attention_wrapper.py`` (TF 2.21 has no seq2seq):

- ``safe_cumprod(x)``: ``exp(cumsum(log(clip(x, tiny, 1))))``.
- ``monotonic_attention(p_choose_i, previous_attention, mode)``: ``attention[i] = p[i] * q[i]``
  with ``q[i] = (1 - p[i - 1]) * q[i - 1] + previous_attention[i]``, computed by ``scan``
  (``recursive``), by TF's closed form with exclusive ``safe_cumprod`` and clipped division
  (``parallel``), or for 0/1 probabilities by cumulative sums and products (``hard``).
- ``BahdanauMonotonicAttention``/``LuongMonotonicAttention``: the Bahdanau/Luong scores plus a
  learned scalar ``attention_score_bias``, optional pre-sigmoid Gaussian noise
  (``sigmoid_noise``), ``sigmoid`` choosing probabilities (``score > 0`` in ``hard`` mode) and
  ``monotonic_attention``; initial
  alignments are one-hot on the first memory entry. Variables: ``memory_layer/kernel``,
  ``<scope>/query_layer/kernel`` (Bahdanau), ``attention_v``/``attention_g``/``attention_b``,
  ``attention_score_bias`` under ``bahdanau_monotonic_attention`` or
  ``luong_monotonic_attention``.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from scopeflow._core import dtypes
from scopeflow._core.variable_scope import variable_scope
from scopeflow._core.variable_store import get_variable
from scopeflow.contrib.seq2seq._attention import (
    _bahdanau_score,
    _BaseAttentionMechanism,
    _Dense,
    _luong_score,
)
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.ops.array_ops import concat, ones, reshape, shape, zeros
from scopeflow.ops.clip_ops import clip_by_value
from scopeflow.ops.creation_ops import one_hot
from scopeflow.ops.functional_ops import scan
from scopeflow.ops.math_ops import cast, greater
from scopeflow.ops.random_ops import random_normal
from scopeflow.ops.reduction_ops import argmax, cumprod, cumsum
from scopeflow.ops.shape_ops import transpose
from scopeflow.ops.unary_ops import exp, log, sigmoid


def hardmax(logits: Any, name: str | None = None) -> Any:
    """One-hot of the argmax along the last axis, in ``logits``' dtype.

    >>> import scopeflow.compat.v1 as tf
    >>> from scopeflow.contrib.seq2seq import hardmax
    >>> with tf.Session() as sess:
    ...     print(sess.run(hardmax([[0.1, 2.0, -1.0]])))
    [[0. 1. 0.]]
    """
    with get_default_graph().name_scope(name or "Hardmax"):
        logits = convert_to_tensor(logits, name="logits")
        depth: Any = logits.get_shape().dims[-1].value
        if depth is None:
            depth = shape(logits)[-1]
        return one_hot(argmax(logits, -1), depth, dtype=logits.dtype)


def safe_cumprod(x: Any, *args: Any, **kwargs: Any) -> Any:
    """``cumprod`` in log space (``exp(cumsum(log(clip(x, tiny, 1))))``); args as ``cumsum``.

    >>> import scopeflow.compat.v1 as tf
    >>> from scopeflow.contrib.seq2seq import safe_cumprod
    >>> with tf.Session() as sess:
    ...     print(sess.run(safe_cumprod([0.5, 0.5, 0.5], exclusive=True)))
    [1.   0.5  0.25]
    """
    with get_default_graph().name_scope("SafeCumprod"):
        x = convert_to_tensor(x, name="x")
        tiny = np.finfo(x.dtype.as_numpy_dtype).tiny
        return exp(cumsum(log(clip_by_value(x, tiny, 1)), *args, **kwargs))


def monotonic_attention(p_choose_i: Any, previous_attention: Any, mode: str) -> Any:
    """The monotonic attention distribution from choosing probabilities ``[batch, length]``.

    >>> import scopeflow.compat.v1 as tf
    >>> from scopeflow.contrib.seq2seq import monotonic_attention
    >>> a = monotonic_attention([[0.0, 1.0, 1.0]], [[1.0, 0.0, 0.0]], "hard")
    >>> with tf.Session() as sess:
    ...     print(sess.run(a))
    [[0. 1. 0.]]
    """
    p_choose_i = convert_to_tensor(p_choose_i, name="p_choose_i")
    previous_attention = convert_to_tensor(previous_attention, name="previous_attention")
    if mode == "recursive":
        batch_size: Any = p_choose_i.shape.dims[0].value or shape(p_choose_i)[0]
        shifted_1mp_choose_i = concat([ones((batch_size, 1)), 1 - p_choose_i[:, :-1]], 1)
        q = scan(
            lambda x, yz: reshape(yz[0] * x + yz[1], (batch_size,)),
            [transpose(shifted_1mp_choose_i), transpose(previous_attention)],
            zeros((batch_size,)),
        )  # fmt: skip
        return p_choose_i * transpose(q)
    if mode == "parallel":
        cumprod_1mp_choose_i = safe_cumprod(1 - p_choose_i, axis=1, exclusive=True)
        clipped = clip_by_value(cumprod_1mp_choose_i, 1e-10, 1.0)
        return p_choose_i * cumprod_1mp_choose_i * cumsum(previous_attention / clipped, axis=1)
    if mode == "hard":
        p_choose_i *= cumsum(previous_attention, axis=1)
        return p_choose_i * cumprod(1 - p_choose_i, axis=1, exclusive=True)
    raise ValueError("mode must be 'recursive', 'parallel', or 'hard'.")


def _monotonic_probability_fn(score: Any, previous_alignments: Any, sigmoid_noise: float,
                              mode: str, seed: int | None = None) -> Any:  # fmt: skip
    if sigmoid_noise > 0:
        noise = random_normal(shape(score), dtype=score.dtype, seed=seed)
        score += sigmoid_noise * noise
    p_choose_i = cast(greater(score, 0), score.dtype) if mode == "hard" else sigmoid(score)
    return monotonic_attention(p_choose_i, previous_alignments, mode)


class _BaseMonotonicAttentionMechanism(_BaseAttentionMechanism):
    def initial_alignments(self, batch_size: Any, dtype: Any) -> Any:
        """One-hot alignments on the first memory entry, ``[batch_size, max_time]``."""
        return one_hot(zeros((batch_size,), dtype=dtypes.int32), self._alignments_size,
                       dtype=dtype)  # fmt: skip


class BahdanauMonotonicAttention(_BaseMonotonicAttentionMechanism):
    """Bahdanau scores with a score bias through ``monotonic_attention``.

    >>> import scopeflow.compat.v1 as tf
    >>> from scopeflow.contrib.seq2seq import BahdanauMonotonicAttention
    >>> att = BahdanauMonotonicAttention(4, tf.zeros([2, 5, 3]))
    >>> align, _ = att(tf.zeros([2, 6]), att.initial_state(2, tf.float32))
    >>> print(align.shape, [v.op.name for v in tf.global_variables()][-1])
    (2, 5) bahdanau_monotonic_attention/attention_score_bias
    """

    def __init__(self, num_units: int, memory: Any, memory_sequence_length: Any = None,
                 normalize: bool = False, score_mask_value: Any = None,
                 sigmoid_noise: float = 0.0, sigmoid_noise_seed: int | None = None,
                 score_bias_init: float = 0.0, mode: str = "parallel", dtype: Any = None,
                 name: str = "BahdanauMonotonicAttention") -> None:  # fmt: skip
        if dtype is None:
            dtype = dtypes.float32
        fn = functools.partial(_monotonic_probability_fn, sigmoid_noise=sigmoid_noise,
                               mode=mode, seed=sigmoid_noise_seed)  # fmt: skip
        super().__init__(
            query_layer=_Dense(num_units, name="query_layer", dtype=dtype),
            memory_layer=_Dense(num_units, name="memory_layer", dtype=dtype),
            memory=memory, probability_fn=fn, memory_sequence_length=memory_sequence_length,
            score_mask_value=score_mask_value, name=name,
        )  # fmt: skip
        self._num_units = num_units
        self._normalize = normalize
        self._name = name
        self._score_bias_init = score_bias_init

    def __call__(self, query: Any, state: Any) -> Any:
        """``(alignments, next_state)`` for ``query``."""
        with variable_scope(None, "bahdanau_monotonic_attention"):
            processed_query = self._query_layer(query) if self._query_layer else query
            score = _bahdanau_score(processed_query, self._keys, self._normalize)
            score_bias = get_variable("attention_score_bias", dtype=processed_query.dtype,
                                      initializer=self._score_bias_init)  # fmt: skip
            score += score_bias
        alignments = self._probability_fn(score, state)
        return alignments, alignments


class LuongMonotonicAttention(_BaseMonotonicAttentionMechanism):
    """Luong scores with a score bias through ``monotonic_attention``.

    >>> import scopeflow.compat.v1 as tf
    >>> from scopeflow.contrib.seq2seq import LuongMonotonicAttention
    >>> att = LuongMonotonicAttention(4, tf.zeros([2, 5, 3]), scale=True)
    >>> align, _ = att(tf.zeros([2, 4]), att.initial_state(2, tf.float32))
    >>> print([v.op.name for v in tf.global_variables()])
    ['memory_layer/kernel', 'luong_monotonic_attention/attention_g', 'luong_monotonic_attention/attention_score_bias']
    """  # noqa: E501

    def __init__(self, num_units: int, memory: Any, memory_sequence_length: Any = None,
                 scale: bool = False, score_mask_value: Any = None, sigmoid_noise: float = 0.0,
                 sigmoid_noise_seed: int | None = None, score_bias_init: float = 0.0,
                 mode: str = "parallel", dtype: Any = None,
                 name: str = "LuongMonotonicAttention") -> None:  # fmt: skip
        if dtype is None:
            dtype = dtypes.float32
        fn = functools.partial(_monotonic_probability_fn, sigmoid_noise=sigmoid_noise,
                               mode=mode, seed=sigmoid_noise_seed)  # fmt: skip
        super().__init__(
            query_layer=None, memory_layer=_Dense(num_units, name="memory_layer", dtype=dtype),
            memory=memory, probability_fn=fn, memory_sequence_length=memory_sequence_length,
            score_mask_value=score_mask_value, name=name,
        )  # fmt: skip
        self._num_units = num_units
        self._scale = scale
        self._score_bias_init = score_bias_init
        self._name = name

    def __call__(self, query: Any, state: Any) -> Any:
        """``(alignments, next_state)`` for ``query``."""
        with variable_scope(None, "luong_monotonic_attention"):
            score = _luong_score(query, self._keys, self._scale)
            score_bias = get_variable("attention_score_bias", dtype=query.dtype,
                                      initializer=self._score_bias_init)  # fmt: skip
            score += score_bias
        alignments = self._probability_fn(score, state)
        return alignments, alignments


__all__ = [
    "BahdanauMonotonicAttention",
    "LuongMonotonicAttention",
    "hardmax",
    "monotonic_attention",
    "safe_cumprod",
]
