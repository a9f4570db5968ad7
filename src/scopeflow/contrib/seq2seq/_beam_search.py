"""``tf.contrib.seq2seq.BeamSearchDecoder`` after TF 1.15's ``beam_search_decoder.py``.

Each step merges batch and beam (``[batch * beam, ...]``) for the cell, takes ``log_softmax``
of the logits, forces finished beams onto ``end_token``, adds the beams' log probabilities,
scores them with TF's length penalty ``((5 + len) / 6) ** length_penalty_weight`` and coverage
penalty, keeps the ``top_k`` of ``beam * vocab`` candidates per batch entry and gathers the
cell states of the chosen parents. ``finalize`` backtracks with ``gather_tree``.

Differences from TensorFlow: with ``reorder_tensor_arrays`` the ``TensorArray``s of the final
cell state (an ``AttentionWrapper``'s alignment history) are returned unsorted.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import collections
from typing import Any

import numpy as np

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape, as_shape
from scopeflow.contrib.seq2seq._attention import AttentionWrapperState
from scopeflow.contrib.seq2seq._decoder import Decoder
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.tensor import Tensor
from scopeflow.ops import nest
from scopeflow.ops.activation_ops import log_softmax
from scopeflow.ops.array_ops import concat, fill, ones_like, reshape, shape, size, zeros
from scopeflow.ops.beam_search_ops import gather_tree
from scopeflow.ops.control_flow_ops import cond
from scopeflow.ops.creation_ops import one_hot
from scopeflow.ops.creation_ops import range as _range
from scopeflow.ops.embedding_ops import embedding_lookup
from scopeflow.ops.gather_scatter_ops import gather, where
from scopeflow.ops.math_ops import cast, equal, floordiv, logical_not, logical_or, minimum, mod
from scopeflow.ops.reduction_ops import reduce_all, reduce_max, reduce_mean, reduce_sum, top_k
from scopeflow.ops.shape_ops import expand_dims, tile
from scopeflow.ops.tensor_array_ops import TensorArray
from scopeflow.ops.unary_ops import log


class BeamSearchDecoderState(
    collections.namedtuple(
        "BeamSearchDecoderState",
        ("cell_state", "log_probs", "finished", "lengths", "accumulated_attention_probs"),
    )
):
    """The loop state of a ``BeamSearchDecoder``."""

    __slots__ = ()


class BeamSearchDecoderOutput(
    collections.namedtuple("BeamSearchDecoderOutput", ("scores", "predicted_ids", "parent_ids"))
):
    """Per-step beam scores, token ids and parent beam ids."""

    __slots__ = ()


class FinalBeamSearchDecoderOutput(
    collections.namedtuple(
        "FinalBeamDecoderOutput", ["predicted_ids", "beam_search_decoder_output"]
    )
):
    """Backtracked ``predicted_ids`` ``[batch, time, beam]`` and the raw step outputs."""

    __slots__ = ()


def _static(t: Any) -> Any:
    if isinstance(t, Tensor):
        v = t._const
        return None if v is None else int(v)
    return t


def _check_ndims(t: Any) -> None:
    if t.shape.ndims is None:
        raise ValueError(f"Expected tensor ({t}) to have known rank, but ndims == None.")


def _tensor_gather_helper(
    gather_indices: Any,
    gather_from: Any,
    batch_size: Any,
    range_size: Any,
    gather_shape: Any,
    name: str | None = None,
) -> Any:
    with get_default_graph().name_scope(name or "tensor_gather_helper"):
        range_ = expand_dims(_range(batch_size) * range_size, 1)
        gather_indices = reshape(gather_indices + range_, [-1])
        output = gather(reshape(gather_from, gather_shape), gather_indices)
        final_shape = shape(gather_from)[: 1 + len(gather_shape)]
        final_static_shape = TensorShape([_static(batch_size)]).concatenate(
            gather_from.shape[1 : 1 + len(gather_shape)]
        )
        output = reshape(output, final_shape, name="output")
        output.set_shape(final_static_shape)
        return output


def _maybe_tensor_gather_helper(
    gather_indices: Any, gather_from: Any, batch_size: Any, range_size: Any, gather_shape: Any
) -> Any:
    if isinstance(gather_from, TensorArray):
        return gather_from
    _check_ndims(gather_from)
    if gather_from.shape.ndims >= len(gather_shape):
        return _tensor_gather_helper(
            gather_indices, gather_from, batch_size, range_size, gather_shape
        )
    return gather_from


def _mask_probs(probs: Any, eos_token: Any, finished: Any) -> Any:
    vocab_size = shape(probs)[2]
    dt = probs.dtype.base_dtype
    finished_row = one_hot(
        eos_token,
        vocab_size,
        dtype=dt,
        on_value=convert_to_tensor(0.0, dtype=dt),
        off_value=convert_to_tensor(float(np.finfo(dt.as_numpy_dtype).min), dtype=dt),
    )
    finished_probs = tile(reshape(finished_row, [1, 1, -1]), concat([shape(finished), [1]], 0))
    finished_mask = tile(expand_dims(finished, 2), [1, 1, vocab_size])
    return where(finished_mask, finished_probs, probs)


def _length_penalty(sequence_lengths: Any, penalty_factor: Any) -> Any:
    penalty_factor = convert_to_tensor(penalty_factor, name="penalty_factor")
    penalty_factor.set_shape(())
    static_penalty = penalty_factor._const
    if static_penalty is not None and static_penalty == 0:
        return 1.0
    return (5.0 + cast(sequence_lengths, dtypes.float32)) ** penalty_factor / (
        5.0 + 1.0
    ) ** penalty_factor


def _attention_probs_from_attn_state(attention_state: Any) -> Any:
    probs = attention_state.alignments
    if isinstance(probs, tuple):
        probs = reduce_mean(concat([expand_dims(p, -1) for p in probs], -1), -1)
    return probs


def get_attention_probs(next_cell_state: Any, coverage_penalty_weight: Any) -> Any:
    """The (mean) alignments of the attention states in ``next_cell_state`` for coverage."""
    if coverage_penalty_weight == 0.0:
        return None
    per_layer = []
    if isinstance(next_cell_state, AttentionWrapperState):
        per_layer = [_attention_probs_from_attn_state(next_cell_state)]
    elif isinstance(next_cell_state, tuple):
        per_layer = [
            _attention_probs_from_attn_state(s)
            for s in next_cell_state
            if isinstance(s, AttentionWrapperState)
        ]
    if not per_layer:
        raise ValueError("coverage_penalty_weight must be 0.0 if no cell is attentional.")
    if len(per_layer) == 1:
        return per_layer[0]
    return reduce_mean(concat([expand_dims(p, -1) for p in per_layer], -1), -1)


def _get_scores(
    log_probs: Any,
    sequence_lengths: Any,
    length_penalty_weight: Any,
    coverage_penalty_weight: Any,
    finished: Any,
    accumulated_attention_probs: Any,
) -> Any:
    lp = cast(_length_penalty(sequence_lengths, length_penalty_weight), log_probs.dtype)
    scores = log_probs / lp
    cpw = convert_to_tensor(coverage_penalty_weight, name="coverage_penalty_weight")
    if cpw.shape.ndims != 0:
        raise ValueError(f"coverage_penalty_weight should be a scalar, but saw shape: {cpw.shape}")
    if cpw._const is not None and float(cpw._const) == 0.0:
        return scores
    if accumulated_attention_probs is None:
        raise ValueError(
            "accumulated_attention_probs can be None only if coverage penalty is disabled."
        )
    acc = where(
        equal(accumulated_attention_probs, 0.0),
        ones_like(accumulated_attention_probs),
        accumulated_attention_probs,
    )
    coverage_penalty = reduce_sum(log(minimum(acc, 1.0)), 2)
    coverage_penalty *= cast(finished, dtypes.float32)
    weighted = expand_dims(coverage_penalty * cpw, 2)
    return scores + weighted


def _beam_search_step(
    time: Any,
    logits: Any,
    next_cell_state: Any,
    beam_state: Any,
    batch_size: Any,
    beam_width: int,
    end_token: Any,
    length_penalty_weight: Any,
    coverage_penalty_weight: Any,
) -> Any:
    static_batch_size = _static(batch_size)
    prediction_lengths = beam_state.lengths
    previously_finished = beam_state.finished
    not_finished = logical_not(previously_finished)
    step_log_probs = _mask_probs(log_softmax(logits), end_token, previously_finished)
    total_probs = expand_dims(beam_state.log_probs, 2) + step_log_probs
    vocab_size = logits.shape.as_list()[-1] or shape(logits)[-1]
    lengths_to_add = one_hot(
        indices=fill([batch_size, beam_width], end_token),
        depth=vocab_size,
        on_value=np.int64(0),
        off_value=np.int64(1),
        dtype=dtypes.int64,
    )
    lengths_to_add *= expand_dims(cast(not_finished, dtypes.int64), 2)
    new_prediction_lengths = lengths_to_add + expand_dims(prediction_lengths, 2)
    accumulated_attention_probs = None
    attention_probs = get_attention_probs(next_cell_state, coverage_penalty_weight)
    if attention_probs is not None:
        attention_probs *= expand_dims(cast(not_finished, dtypes.float32), 2)
        accumulated_attention_probs = beam_state.accumulated_attention_probs + attention_probs
    scores = _get_scores(
        total_probs,
        new_prediction_lengths,
        length_penalty_weight,
        coverage_penalty_weight,
        previously_finished,
        accumulated_attention_probs,
    )
    time = convert_to_tensor(time, name="time")
    scores_flat = reshape(scores, [batch_size, -1])
    next_beam_size = convert_to_tensor(beam_width, dtype=dtypes.int32, name="beam_width")
    next_beam_scores, word_indices = top_k(scores_flat, k=next_beam_size)
    next_beam_scores.set_shape([static_batch_size, beam_width])
    word_indices.set_shape([static_batch_size, beam_width])
    next_beam_probs = _tensor_gather_helper(
        word_indices, total_probs, batch_size, beam_width * vocab_size, [-1], name="next_beam_probs"
    )
    raw_next_word_ids = mod(word_indices, vocab_size, name="next_beam_word_ids")
    next_word_ids = cast(raw_next_word_ids, dtypes.int32)
    next_beam_ids = cast(
        floordiv(word_indices, vocab_size), dtypes.int32, name="next_beam_parent_ids"
    )
    previously_finished = _tensor_gather_helper(
        next_beam_ids, previously_finished, batch_size, beam_width, [-1]
    )
    next_finished = logical_or(
        previously_finished, equal(next_word_ids, end_token), name="next_beam_finished"
    )
    lengths_to_add = cast(logical_not(previously_finished), dtypes.int64)
    next_prediction_len = _tensor_gather_helper(
        next_beam_ids, beam_state.lengths, batch_size, beam_width, [-1]
    )
    next_prediction_len += lengths_to_add
    next_accumulated_attention_probs: Any = ()
    if accumulated_attention_probs is not None:
        next_accumulated_attention_probs = _tensor_gather_helper(
            next_beam_ids,
            accumulated_attention_probs,
            batch_size,
            beam_width,
            [batch_size * beam_width, -1],
            name="next_accumulated_attention_probs",
        )
    next_cell_state = nest.map_structure(
        lambda gather_from: _maybe_tensor_gather_helper(
            next_beam_ids, gather_from, batch_size, beam_width, [batch_size * beam_width, -1]
        ),
        next_cell_state,
    )
    next_state = BeamSearchDecoderState(
        cell_state=next_cell_state,
        log_probs=next_beam_probs,
        lengths=next_prediction_len,
        finished=next_finished,
        accumulated_attention_probs=next_accumulated_attention_probs,
    )
    output = BeamSearchDecoderOutput(
        scores=next_beam_scores, predicted_ids=next_word_ids, parent_ids=next_beam_ids
    )
    return output, next_state


class BeamSearchDecoder(Decoder):
    """Beam search over ``cell`` with ``beam_width`` beams (TF 1.15's ``BeamSearchDecoder``).

    ``initial_state`` must already be tiled to ``batch * beam_width`` (``tile_batch``).

    >>> import scopeflow.compat.v1 as tf
    >>> from scopeflow.contrib import seq2seq
    >>> cell = tf.nn.rnn_cell.GRUCell(4)
    >>> dec = seq2seq.BeamSearchDecoder(cell, tf.zeros([6, 3]), tf.fill([2], 1), 2,
    ...                                 cell.zero_state(2 * 3, tf.float32), beam_width=3)
    >>> out, st, lens = seq2seq.dynamic_decode(dec, maximum_iterations=4)
    >>> print(out.predicted_ids.shape)
    (2, ?, 3)
    """

    def __init__(
        self,
        cell: Any,
        embedding: Any,
        start_tokens: Any,
        end_token: Any,
        initial_state: Any,
        beam_width: int,
        output_layer: Any = None,
        length_penalty_weight: float = 0.0,
        coverage_penalty_weight: float = 0.0,
        reorder_tensor_arrays: bool = True,
    ) -> None:
        from scopeflow.rnn._cell_base import assert_like_rnncell  # noqa: PLC0415

        assert_like_rnncell("cell", cell)
        if output_layer is not None and not callable(output_layer):
            raise TypeError(f"output_layer must be a Layer, received: {type(output_layer)}")
        self._cell = cell
        self._output_layer = output_layer
        self._reorder_tensor_arrays = reorder_tensor_arrays
        self._beam_width = beam_width
        self._length_penalty_weight = length_penalty_weight
        self._coverage_penalty_weight = coverage_penalty_weight
        if callable(embedding):
            self._embedding_fn = embedding
        else:
            self._embedding_fn = lambda ids: embedding_lookup(embedding, ids)
        self._start_tokens = convert_to_tensor(
            start_tokens, dtype=dtypes.int32, name="start_tokens"
        )
        if self._start_tokens.get_shape().ndims != 1:
            raise ValueError("start_tokens must be a vector")
        self._end_token = convert_to_tensor(end_token, dtype=dtypes.int32, name="end_token")
        if self._end_token.get_shape().ndims != 0:
            raise ValueError("end_token must be a scalar")
        self._batch_size = size(start_tokens)
        self._initial_cell_state = nest.map_structure(
            self._maybe_split_batch_beams, initial_state, self._cell.state_size
        )
        self._start_tokens = tile(expand_dims(self._start_tokens, 1), [1, self._beam_width])
        self._start_inputs = self._embedding_fn(self._start_tokens)
        self._finished = one_hot(
            zeros([self._batch_size], dtype=dtypes.int32),
            depth=self._beam_width,
            on_value=False,
            off_value=True,
            dtype=dtypes.bool,
        )

    @property
    def batch_size(self) -> Any:
        return self._batch_size

    @property
    def tracks_own_finished(self) -> bool:
        return True

    def _rnn_output_size(self) -> Any:
        size_ = self._cell.output_size
        layer = self._output_layer
        if layer is None:
            return size_
        if hasattr(layer, "compute_output_shape"):
            out = nest.map_structure(
                lambda s: layer.compute_output_shape(
                    TensorShape([None]).concatenate(TensorShape(s))
                ),
                size_,
            )
            return nest.map_structure(lambda s: TensorShape(s)[1:], out)
        return TensorShape([layer.units])

    @property
    def output_size(self) -> BeamSearchDecoderOutput:
        w = TensorShape([self._beam_width])
        return BeamSearchDecoderOutput(scores=w, predicted_ids=w, parent_ids=w)

    @property
    def output_dtype(self) -> BeamSearchDecoderOutput:
        dtype = nest.flatten(self._initial_cell_state)[0].dtype
        return BeamSearchDecoderOutput(
            scores=nest.map_structure(lambda _: dtype, self._rnn_output_size()),
            predicted_ids=dtypes.int32,
            parent_ids=dtypes.int32,
        )

    def _merge_batch_beams(self, t: Any, s: Any = None) -> Any:
        s = as_shape(s._const) if isinstance(s, Tensor) else TensorShape(s)
        t_shape = shape(t)
        sb = _static(self._batch_size)
        bbw = None if sb is None else sb * self._beam_width
        reshaped = reshape(t, concat(([self._batch_size * self._beam_width], t_shape[2:]), 0))
        reshaped.set_shape(TensorShape([bbw]).concatenate(s))
        return reshaped

    def _split_batch_beams(self, t: Any, s: Any = None) -> Any:
        s = as_shape(s._const) if isinstance(s, Tensor) else TensorShape(s)
        t_shape = shape(t)
        reshaped = reshape(t, concat(([self._batch_size, self._beam_width], t_shape[1:]), 0))
        expected = TensorShape([_static(self._batch_size), self._beam_width]).concatenate(s)
        if not reshaped.shape.is_compatible_with(expected):
            raise ValueError(
                "Unexpected behavior when reshaping between beam width and batch size.  The "
                f"reshaped tensor has shape: {reshaped.shape}.  We expected it to have shape "
                f"(batch_size, beam_width, depth) == {expected}.  Perhaps you forgot to create "
                "a zero_state with batch_size=encoder_batch_size * beam_width?"
            )
        reshaped.set_shape(expected)
        return reshaped

    def _maybe_split_batch_beams(self, t: Any, s: Any) -> Any:
        if isinstance(t, TensorArray):
            return t
        _check_ndims(t)
        return self._split_batch_beams(t, s) if t.shape.ndims >= 1 else t

    def _maybe_merge_batch_beams(self, t: Any, s: Any) -> Any:
        if isinstance(t, TensorArray):
            return t
        _check_ndims(t)
        return self._merge_batch_beams(t, s) if t.shape.ndims >= 2 else t

    def initialize(self, name: str | None = None) -> Any:
        finished, start_inputs = self._finished, self._start_inputs
        dtype = nest.flatten(self._initial_cell_state)[0].dtype
        log_probs = one_hot(
            zeros([self._batch_size], dtype=dtypes.int32),
            depth=self._beam_width,
            on_value=convert_to_tensor(0.0, dtype=dtype),
            off_value=convert_to_tensor(-np.inf, dtype=dtype),
            dtype=dtype,
        )
        init_attention_probs = get_attention_probs(
            self._initial_cell_state, self._coverage_penalty_weight
        )
        if init_attention_probs is None:
            init_attention_probs = ()
        initial_state = BeamSearchDecoderState(
            cell_state=self._initial_cell_state,
            log_probs=log_probs,
            finished=finished,
            lengths=zeros([self._batch_size, self._beam_width], dtype=dtypes.int64),
            accumulated_attention_probs=init_attention_probs,
        )
        return (finished, start_inputs, initial_state)

    def step(self, time: Any, inputs: Any, state: Any, name: str | None = None) -> Any:
        with get_default_graph().name_scope(name or "BeamSearchDecoderStep"):
            cell_state = state.cell_state
            inputs = nest.map_structure(
                lambda inp: self._merge_batch_beams(inp, inp.shape[2:]), inputs
            )
            cell_state = nest.map_structure(
                self._maybe_merge_batch_beams, cell_state, self._cell.state_size
            )
            cell_outputs, next_cell_state = self._cell(inputs, cell_state)
            cell_outputs = nest.map_structure(
                lambda out: self._split_batch_beams(out, out.shape[1:]), cell_outputs
            )
            next_cell_state = nest.map_structure(
                self._maybe_split_batch_beams, next_cell_state, self._cell.state_size
            )
            if self._output_layer is not None:
                cell_outputs = self._output_layer(cell_outputs)
            beam_search_output, beam_search_state = _beam_search_step(
                time=time,
                logits=cell_outputs,
                next_cell_state=next_cell_state,
                beam_state=state,
                batch_size=self._batch_size,
                beam_width=self._beam_width,
                end_token=self._end_token,
                length_penalty_weight=self._length_penalty_weight,
                coverage_penalty_weight=self._coverage_penalty_weight,
            )
            finished = beam_search_state.finished
            sample_ids = beam_search_output.predicted_ids
            next_inputs = cond(
                reduce_all(finished),
                lambda: self._start_inputs,
                lambda: self._embedding_fn(sample_ids),
            )
        return (beam_search_output, beam_search_state, next_inputs, finished)

    def finalize(self, outputs: Any, final_state: Any, sequence_lengths: Any) -> Any:
        """Backtracks the beams with ``gather_tree``."""
        max_sequence_lengths = cast(reduce_max(final_state.lengths, axis=1), dtypes.int32)
        predicted_ids = gather_tree(
            outputs.predicted_ids,
            outputs.parent_ids,
            max_sequence_lengths=max_sequence_lengths,
            end_token=self._end_token,
        )
        return (
            FinalBeamSearchDecoderOutput(
                beam_search_decoder_output=outputs, predicted_ids=predicted_ids
            ),
            final_state,
        )


__all__ = [
    "BeamSearchDecoder",
    "BeamSearchDecoderOutput",
    "BeamSearchDecoderState",
    "FinalBeamSearchDecoderOutput",
]
