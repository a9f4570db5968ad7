"""``tf.contrib.crf``: TF 1.15's linear-chain CRF (``contrib/crf/python/ops/crf.py``) op for op.

Scores gather the unary potentials of the tags and the transition entries between consecutive
tags under a ``sequence_mask``; the normaliser runs the forward algorithm as a ``dynamic_rnn``
of ``CrfForwardRnnCell`` (``logsumexp`` over the previous tag) over time steps ``1..len-1``;
``crf_decode`` runs Viterbi as two ``dynamic_rnn`` passes (max/argmax forward, backpointers
backward with ``reverse_sequence``). A length-1 time axis skips the recursion (static shape:
chosen at graph build time, else ``tf.cond``); sequences of length ``<= 0`` score 0.
``crf_log_likelihood`` without ``transition_params`` creates the variable ``transitions``
``[num_tags, num_tags]`` in the current variable scope (default initializer), as TF does.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import dimension_value
from scopeflow._core.variable_store import get_variable
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.tensor import Tensor
from scopeflow.ops.array_ops import concat, fill, reshape, shape, slice, stack, zeros_like
from scopeflow.ops.constant_op import constant
from scopeflow.ops.control_flow_ops import cond
from scopeflow.ops.creation_ops import range as tf_range
from scopeflow.ops.creation_ops import sequence_mask
from scopeflow.ops.gather_scatter_ops import gather, gather_nd, where
from scopeflow.ops.math_ops import cast, equal, less_equal, maximum
from scopeflow.ops.reduction_ops import argmax, reduce_logsumexp, reduce_max, reduce_sum
from scopeflow.ops.shape_ops import expand_dims, reverse_sequence, squeeze
from scopeflow.rnn import RNNCell, dynamic_rnn


def _smart_cond_len1(x: Tensor, true_fn: Any, false_fn: Any) -> Any:
    """TF's ``smart_cond(equal(x.shape[1].value or shape(x)[1], 1), ...)``.

    TF's ``constant_value`` folds the ``Equal`` of a known length, so a static time axis picks
    the branch at graph build time; an unknown one builds a ``tf.cond``.
    """
    static = dimension_value(x.shape[1])
    pred = equal(static or shape(x)[1], 1)
    if static is None:
        return cond(pred, true_fn, false_fn)
    return true_fn() if static == 1 else false_fn()


def crf_sequence_score(inputs: Any, tag_indices: Any, sequence_lengths: Any,
                       transition_params: Any) -> Tensor:  # fmt: skip
    """The unnormalised score ``[batch_size]`` of each tag sequence."""
    inputs = convert_to_tensor(inputs)
    tag_indices = convert_to_tensor(tag_indices)

    def _single_seq_fn() -> Tensor:
        batch_size = shape(inputs, out_type=tag_indices.dtype)[0]
        example_inds = reshape(tf_range(batch_size, dtype=tag_indices.dtype), [-1, 1])
        scores = gather_nd(squeeze(inputs, [1]), concat([example_inds, tag_indices], axis=1))
        return where(less_equal(sequence_lengths, 0), zeros_like(scores), scores)

    def _multi_seq_fn() -> Tensor:
        unary_scores = crf_unary_score(tag_indices, sequence_lengths, inputs)
        binary_scores = crf_binary_score(tag_indices, sequence_lengths, transition_params)
        return unary_scores + binary_scores

    return _smart_cond_len1(inputs, _single_seq_fn, _multi_seq_fn)


def crf_multitag_sequence_score(inputs: Any, tag_bitmap: Any, sequence_lengths: Any,
                                transition_params: Any) -> Tensor:  # fmt: skip
    """The log of the summed scores of all tag sequences allowed by ``tag_bitmap``."""
    inputs = convert_to_tensor(inputs)
    filtered = where(tag_bitmap, inputs, fill(shape(inputs), float("-inf")))

    def _single_seq_fn() -> Tensor:
        return reduce_logsumexp(filtered, axis=[1, 2], keepdims=False)

    def _multi_seq_fn() -> Tensor:
        return crf_log_norm(filtered, sequence_lengths, transition_params)

    return _smart_cond_len1(inputs, _single_seq_fn, _multi_seq_fn)


def crf_log_norm(inputs: Any, sequence_lengths: Any, transition_params: Any) -> Tensor:
    """The log partition function ``[batch_size]`` (forward algorithm)."""
    inputs = convert_to_tensor(inputs)
    sequence_lengths = convert_to_tensor(sequence_lengths)
    first_input = squeeze(slice(inputs, [0, 0, 0], [-1, 1, -1]), [1])

    def _single_seq_fn() -> Tensor:
        log_norm = reduce_logsumexp(first_input, [1])
        return where(less_equal(sequence_lengths, 0), zeros_like(log_norm), log_norm)

    def _multi_seq_fn() -> Tensor:
        rest_of_input = slice(inputs, [0, 1, 0], [-1, -1, -1])
        forward_cell = CrfForwardRnnCell(transition_params)
        lengths_less_one = maximum(constant(0, dtype=sequence_lengths.dtype),
                                   sequence_lengths - 1)  # fmt: skip
        _, alphas = dynamic_rnn(cell=forward_cell, inputs=rest_of_input,
                                sequence_length=lengths_less_one, initial_state=first_input,
                                dtype=dtypes.float32)  # fmt: skip
        log_norm = reduce_logsumexp(alphas, [1])
        return where(less_equal(sequence_lengths, 0), zeros_like(log_norm), log_norm)

    max_seq_len = shape(inputs)[1]
    return cond(equal(max_seq_len, 1), _single_seq_fn, _multi_seq_fn)


def crf_log_likelihood(inputs: Any, tag_indices: Any, sequence_lengths: Any,
                       transition_params: Any = None) -> tuple[Tensor, Any]:  # fmt: skip
    """``(log_likelihood [batch_size], transition_params)``.

    >>> import scopeflow.compat.v1 as tf
    >>> ll, trans = tf.contrib.crf.crf_log_likelihood(
    ...     tf.zeros([2, 4, 3]), tf.zeros([2, 4], tf.int32), tf.constant([4, 2]))
    >>> print(trans.name, ll.shape)
    transitions:0 (2,)
    """
    inputs = convert_to_tensor(inputs)
    num_tags = dimension_value(inputs.shape[2])
    if transition_params is None:
        transition_params = get_variable("transitions", [num_tags, num_tags])
    sequence_scores = crf_sequence_score(inputs, tag_indices, sequence_lengths,
                                         transition_params)  # fmt: skip
    log_norm = crf_log_norm(inputs, sequence_lengths, transition_params)
    return sequence_scores - log_norm, transition_params


def crf_unary_score(tag_indices: Any, sequence_lengths: Any, inputs: Any) -> Tensor:
    """The summed unary potentials ``[batch_size]`` of the tags inside each sequence."""
    inputs = convert_to_tensor(inputs)
    tag_indices = convert_to_tensor(tag_indices)
    batch_size = shape(inputs)[0]
    max_seq_len = shape(inputs)[1]
    num_tags = shape(inputs)[2]
    flattened_inputs = reshape(inputs, [-1])
    offsets = expand_dims(tf_range(batch_size) * max_seq_len * num_tags, 1)
    offsets += expand_dims(tf_range(max_seq_len) * num_tags, 0)
    if tag_indices.dtype == dtypes.int64:
        offsets = cast(offsets, dtypes.int64)
    flattened_tag_indices = reshape(offsets + tag_indices, [-1])
    unary_scores = reshape(gather(flattened_inputs, flattened_tag_indices),
                           [batch_size, max_seq_len])  # fmt: skip
    masks = sequence_mask(sequence_lengths, maxlen=shape(tag_indices)[1], dtype=dtypes.float32)
    return reduce_sum(unary_scores * masks, 1)


def crf_binary_score(tag_indices: Any, sequence_lengths: Any, transition_params: Any) -> Tensor:
    """The summed transition potentials ``[batch_size]`` between consecutive tags."""
    tag_indices = convert_to_tensor(tag_indices)
    transition_params = convert_to_tensor(transition_params)
    num_tags = transition_params.shape[0]
    num_transitions = shape(tag_indices)[1] - 1
    start_tag_indices = slice(tag_indices, [0, 0], [-1, num_transitions])
    end_tag_indices = slice(tag_indices, [0, 1], [-1, num_transitions])
    flattened_transition_indices = start_tag_indices * dimension_value(num_tags) + end_tag_indices
    flattened_transition_params = reshape(transition_params, [-1])
    binary_scores = gather(flattened_transition_params, flattened_transition_indices)
    masks = sequence_mask(sequence_lengths, maxlen=shape(tag_indices)[1], dtype=dtypes.float32)
    truncated_masks = slice(masks, [0, 1], [-1, -1])
    return reduce_sum(binary_scores * truncated_masks, 1)


class CrfForwardRnnCell(RNNCell):
    """The forward algorithm's step: ``alpha' = x + logsumexp_i(alpha_i + T[i, :])``."""

    def __init__(self, transition_params: Any) -> None:  # TF's cell skips the Layer setup
        transition_params = convert_to_tensor(transition_params)
        self._transition_params = expand_dims(transition_params, 0)
        self._num_tags = dimension_value(transition_params.shape[0])
        self.built = False  # never fused: not one of the cells dynamic_rnn fuses

    @property
    def state_size(self) -> Any:
        return self._num_tags

    @property
    def output_size(self) -> Any:
        return self._num_tags

    def __call__(self, inputs: Any, state: Any, scope: Any = None) -> tuple[Tensor, Tensor]:
        state = expand_dims(state, 2)
        transition_scores = state + self._transition_params
        new_alphas = inputs + reduce_logsumexp(transition_scores, [1])
        return new_alphas, new_alphas


def viterbi_decode(score: np.ndarray, transition_params: np.ndarray
                   ) -> tuple[list[Any], Any]:  # fmt: skip
    """The best tag sequence of one ``[seq_len, num_tags]`` score matrix, in NumPy.

    >>> import numpy as np
    >>> tags, score = viterbi_decode(np.array([[1.0, 0.0], [0.0, 2.0]]), np.zeros([2, 2]))
    >>> [int(t) for t in tags], float(score)
    ([0, 1], 3.0)
    """
    trellis = np.zeros_like(score)
    backpointers = np.zeros_like(score, dtype=np.int32)
    trellis[0] = score[0]
    for t in range(1, score.shape[0]):
        v = np.expand_dims(trellis[t - 1], 1) + transition_params
        trellis[t] = score[t] + np.max(v, 0)
        backpointers[t] = np.argmax(v, 0)
    viterbi = [np.argmax(trellis[-1])]
    for bp in reversed(backpointers[1:]):
        viterbi.append(bp[viterbi[-1]])
    viterbi.reverse()
    return viterbi, np.max(trellis[-1])


class CrfDecodeForwardRnnCell(RNNCell):
    """Viterbi's forward step: new scores ``x + max_i(s_i + T[i, :])`` and int32 backpointers."""

    def __init__(self, transition_params: Any) -> None:
        transition_params = convert_to_tensor(transition_params)
        self._transition_params = expand_dims(transition_params, 0)
        self._num_tags = dimension_value(transition_params.shape[0])
        self.built = False  # never fused: not one of the cells dynamic_rnn fuses

    @property
    def state_size(self) -> Any:
        return self._num_tags

    @property
    def output_size(self) -> Any:
        return self._num_tags

    def __call__(self, inputs: Any, state: Any, scope: Any = None) -> tuple[Tensor, Tensor]:
        state = expand_dims(state, 2)
        transition_scores = state + self._transition_params
        new_state = inputs + reduce_max(transition_scores, [1])
        backpointers = cast(argmax(transition_scores, 1), dtype=dtypes.int32)
        return backpointers, new_state


class CrfDecodeBackwardRnnCell(RNNCell):
    """Viterbi's backward step: the previous tag from the backpointers of the next one."""

    def __init__(self, num_tags: Any) -> None:
        self._num_tags = num_tags
        self.built = False

    @property
    def state_size(self) -> Any:
        return 1

    @property
    def output_size(self) -> Any:
        return 1

    def __call__(self, inputs: Any, state: Any, scope: Any = None) -> tuple[Tensor, Tensor]:
        state = squeeze(state, axis=[1])
        batch_size = shape(inputs)[0]
        b_indices = tf_range(batch_size)
        indices = stack([b_indices, state], axis=1)
        new_tags = expand_dims(gather_nd(inputs, indices), axis=-1)
        return new_tags, new_tags


def crf_decode(potentials: Any, transition_params: Any, sequence_length: Any
               ) -> tuple[Tensor, Tensor]:  # fmt: skip
    """Viterbi in the graph: ``(decode_tags [batch, max_seq_len] int32, best_score [batch])``."""
    potentials = convert_to_tensor(potentials)
    sequence_length = convert_to_tensor(sequence_length)

    def _single_seq_fn() -> tuple[Tensor, Tensor]:
        squeezed = squeeze(potentials, [1])
        decode_tags = expand_dims(argmax(squeezed, axis=1), 1)
        best_score = reduce_max(squeezed, axis=1)
        return cast(decode_tags, dtype=dtypes.int32), best_score

    def _multi_seq_fn() -> tuple[Tensor, Tensor]:
        num_tags = dimension_value(potentials.shape[2])
        crf_fwd_cell = CrfDecodeForwardRnnCell(transition_params)
        initial_state = squeeze(slice(potentials, [0, 0, 0], [-1, 1, -1]), axis=[1])
        inputs = slice(potentials, [0, 1, 0], [-1, -1, -1])
        length_less_one = maximum(constant(0, dtype=sequence_length.dtype),
                                  sequence_length - 1)  # fmt: skip
        backpointers, last_score = dynamic_rnn(
            crf_fwd_cell, inputs=inputs, sequence_length=length_less_one,
            initial_state=initial_state, time_major=False, dtype=dtypes.int32,
        )  # fmt: skip
        backpointers = reverse_sequence(backpointers, length_less_one, seq_axis=1)
        crf_bwd_cell = CrfDecodeBackwardRnnCell(num_tags)
        initial_state = cast(argmax(last_score, axis=1), dtype=dtypes.int32)
        initial_state = expand_dims(initial_state, axis=-1)
        decode_tags, _ = dynamic_rnn(
            crf_bwd_cell, inputs=backpointers, sequence_length=length_less_one,
            initial_state=initial_state, time_major=False, dtype=dtypes.int32,
        )  # fmt: skip
        decode_tags = squeeze(decode_tags, axis=[2])
        decode_tags = concat([initial_state, decode_tags], axis=1)
        decode_tags = reverse_sequence(decode_tags, sequence_length, seq_axis=1)
        best_score = reduce_max(last_score, axis=1)
        return decode_tags, best_score

    result: tuple[Tensor, Tensor] = _smart_cond_len1(potentials, _single_seq_fn, _multi_seq_fn)
    return result


__all__ = [
    "CrfDecodeBackwardRnnCell",
    "CrfDecodeForwardRnnCell",
    "CrfForwardRnnCell",
    "crf_binary_score",
    "crf_decode",
    "crf_log_likelihood",
    "crf_log_norm",
    "crf_multitag_sequence_score",
    "crf_sequence_score",
    "crf_unary_score",
    "viterbi_decode",
]
