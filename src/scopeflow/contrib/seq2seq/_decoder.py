"""``tf.contrib.seq2seq`` decoding: helpers, ``BasicDecoder``, ``dynamic_decode``, ``tile_batch``.

After TF 1.15's ``helper.py``, ``basic_decoder.py``, ``decoder.py`` and ``beam_search_decoder``'s
``tile_batch`` (TF 2.21 has none of them): the same graph structure (a ``decoder/while`` loop
writing ``TensorArray``s), names, finished/sequence-length bookkeeping and sampling.

Differences from TensorFlow: ``BasicDecoder`` accepts any callable ``output_layer`` with
``compute_output_shape`` (or a ``units`` attribute) since ``tf.layers`` is separate; no caching
device is set on the ``decoder`` scope.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import abc
import collections
import contextlib
from typing import Any

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow._core.variable_scope import variable_scope
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.tensor import Tensor
from scopeflow.ops import nest
from scopeflow.ops.array_ops import concat, fill, reshape, shape, size, zeros_like
from scopeflow.ops.constant_op import constant
from scopeflow.ops.control_flow_ops import cond, while_loop
from scopeflow.ops.embedding_ops import embedding_lookup
from scopeflow.ops.gather_scatter_ops import where
from scopeflow.ops.math_ops import cast, equal, greater_equal, logical_not, logical_or
from scopeflow.ops.random_ops import multinomial
from scopeflow.ops.reduction_ops import argmax, reduce_all
from scopeflow.ops.shape_ops import expand_dims, tile
from scopeflow.ops.tensor_array_ops import TensorArray
from scopeflow.rnn._cell_base import assert_like_rnncell, zero_state_tensors
from scopeflow.rnn._dynamic_rnn import transpose_batch_time

# --- tile_batch -----------------------------------------------------------------------------


def _tile_batch(t: Any, multiplier: int) -> Any:
    t = convert_to_tensor(t, name="t")
    shape_t = shape(t)
    if t.shape.ndims is None or t.shape.ndims < 1:
        raise ValueError("t must have statically known rank")
    tiling = [1] * (t.shape.ndims + 1)
    tiling[1] = multiplier
    b = t.shape.dims[0].value
    tiled = tile(expand_dims(t, 1), tiling)
    tiled = reshape(tiled, concat(([shape_t[0] * multiplier], shape_t[1:]), 0))
    tiled.set_shape(TensorShape([b * multiplier if b is not None else None]).concatenate(
        t.shape[1:]))  # fmt: skip
    return tiled


def tile_batch(t: Any, multiplier: int, name: str | None = None) -> Any:
    """Repeats each batch entry ``multiplier`` times (``[b0, b0, b1, b1, ...]``).

    >>> import scopeflow.compat.v1 as tf
    >>> from scopeflow.contrib.seq2seq import tile_batch
    >>> print(tile_batch(tf.zeros([2, 5]), 3).shape)
    (6, 5)
    """
    with get_default_graph().name_scope(name or "tile_batch"):
        return nest.map_structure(lambda t_: _tile_batch(t_, multiplier), t)


# --- helpers ----------------------------------------------------------------------------------


def _unstack_ta(inp: Any) -> TensorArray:
    return TensorArray(dtype=inp.dtype, size=shape(inp)[0],
                       element_shape=inp.get_shape()[1:]).unstack(inp)  # fmt: skip


class Helper(abc.ABC):
    """Interface of the sampling helpers ``BasicDecoder`` uses."""

    @property
    @abc.abstractmethod
    def batch_size(self) -> Any:
        """Batch size of the tensors the helper returns."""

    @property
    @abc.abstractmethod
    def sample_ids_shape(self) -> TensorShape:
        """Shape of one sample id (without batch)."""

    @property
    @abc.abstractmethod
    def sample_ids_dtype(self) -> Any:
        """Dtype of the sample ids."""

    @abc.abstractmethod
    def initialize(self, name: str | None = None) -> Any:
        """``(initial_finished, initial_inputs)``."""

    @abc.abstractmethod
    def sample(self, time: Any, outputs: Any, state: Any, name: str | None = None) -> Any:
        """The sample ids of this step."""

    @abc.abstractmethod
    def next_inputs(self, time: Any, outputs: Any, state: Any, sample_ids: Any,
                    name: str | None = None) -> Any:  # fmt: skip
        """``(finished, next_inputs, next_state)``."""


class TrainingHelper(Helper):
    """Feeds the ground-truth ``inputs`` at every step (teacher forcing).

    >>> import scopeflow.compat.v1 as tf
    >>> from scopeflow.contrib.seq2seq import TrainingHelper
    >>> h = TrainingHelper(tf.zeros([2, 4, 3]), [4, 2])
    >>> finished, first = h.initialize()
    >>> print(finished.name, first.shape)
    TrainingHelperInitialize/Equal:0 (2, 3)
    """

    def __init__(self, inputs: Any, sequence_length: Any, time_major: bool = False,
                 name: str | None = None) -> None:  # fmt: skip
        with get_default_graph().name_scope(name or "TrainingHelper"):
            inputs = convert_to_tensor(inputs, name="inputs")
            self._inputs = inputs
            if not time_major:
                inputs = nest.map_structure(transpose_batch_time, inputs)
            self._input_tas = nest.map_structure(_unstack_ta, inputs)
            self._sequence_length = convert_to_tensor(sequence_length, name="sequence_length")
            if self._sequence_length.get_shape().ndims != 1:
                raise ValueError(
                    "Expected sequence_length to be a vector, but received shape: "
                    f"{self._sequence_length.get_shape()}"
                )
            self._zero_inputs = nest.map_structure(lambda inp: zeros_like(inp[0, :]), inputs)
            self._batch_size = size(sequence_length)

    @property
    def inputs(self) -> Any:
        """The inputs as given."""
        return self._inputs

    @property
    def sequence_length(self) -> Any:
        """The sequence lengths."""
        return self._sequence_length

    @property
    def batch_size(self) -> Any:
        return self._batch_size

    @property
    def sample_ids_shape(self) -> TensorShape:
        return TensorShape([])

    @property
    def sample_ids_dtype(self) -> Any:
        return dtypes.int32

    def initialize(self, name: str | None = None) -> Any:
        with get_default_graph().name_scope(name or "TrainingHelperInitialize"):
            finished = equal(0, self._sequence_length)
            all_finished = reduce_all(finished)
            next_inputs = cond(all_finished, lambda: self._zero_inputs,
                               lambda: nest.map_structure(lambda inp: inp.read(0),
                                                          self._input_tas))  # fmt: skip
            return (finished, next_inputs)

    def sample(  # type: ignore[override]
        self, time: Any, outputs: Any, name: str | None = None, **unused_kwargs: Any
    ) -> Any:
        with get_default_graph().name_scope(name or "TrainingHelperSample"):
            return cast(argmax(outputs, axis=-1), dtypes.int32)

    def next_inputs(  # type: ignore[override]
        self, time: Any, outputs: Any, state: Any, name: str | None = None, **unused_kwargs: Any
    ) -> Any:
        with get_default_graph().name_scope(name or "TrainingHelperNextInputs"):
            next_time = time + 1
            finished = greater_equal(next_time, self._sequence_length)
            all_finished = reduce_all(finished)
            next_inputs = cond(all_finished, lambda: self._zero_inputs,
                               lambda: nest.map_structure(lambda inp: inp.read(next_time),
                                                          self._input_tas))  # fmt: skip
            return (finished, next_inputs, state)


class GreedyEmbeddingHelper(Helper):
    """Feeds the embedding of the argmax of each step's output; stops at ``end_token``.

    >>> import scopeflow.compat.v1 as tf
    >>> from scopeflow.contrib.seq2seq import GreedyEmbeddingHelper
    >>> h = GreedyEmbeddingHelper(tf.zeros([10, 3]), tf.fill([2], 1), 2)
    >>> print(h.initialize()[1].shape)
    (2, 3)
    """

    def __init__(self, embedding: Any, start_tokens: Any, end_token: Any) -> None:
        if callable(embedding):
            self._embedding_fn = embedding
        else:
            self._embedding_fn = lambda ids: embedding_lookup(embedding, ids)
        self._start_tokens = convert_to_tensor(start_tokens, dtype=dtypes.int32,
                                               name="start_tokens")  # fmt: skip
        self._end_token = convert_to_tensor(end_token, dtype=dtypes.int32, name="end_token")
        if self._start_tokens.get_shape().ndims != 1:
            raise ValueError("start_tokens must be a vector")
        self._batch_size = size(start_tokens)
        if self._end_token.get_shape().ndims != 0:
            raise ValueError("end_token must be a scalar")
        self._start_inputs = self._embedding_fn(self._start_tokens)

    @property
    def batch_size(self) -> Any:
        return self._batch_size

    @property
    def sample_ids_shape(self) -> TensorShape:
        return TensorShape([])

    @property
    def sample_ids_dtype(self) -> Any:
        return dtypes.int32

    def initialize(self, name: str | None = None) -> Any:
        finished = tile([False], [self._batch_size])
        return (finished, self._start_inputs)

    def sample(self, time: Any, outputs: Any, state: Any, name: str | None = None) -> Any:
        if not isinstance(outputs, Tensor):
            raise TypeError(f"Expected outputs to be a single Tensor, got: {type(outputs)}")
        return argmax(outputs, axis=-1, output_type=dtypes.int32)

    def next_inputs(self, time: Any, outputs: Any, state: Any, sample_ids: Any,
                    name: str | None = None) -> Any:  # fmt: skip
        finished = equal(sample_ids, self._end_token)
        all_finished = reduce_all(finished)
        next_inputs = cond(all_finished, lambda: self._start_inputs,
                           lambda: self._embedding_fn(sample_ids))  # fmt: skip
        return (finished, next_inputs, state)


class SampleEmbeddingHelper(GreedyEmbeddingHelper):
    """Like ``GreedyEmbeddingHelper`` but samples ids from ``softmax(outputs / temperature)``.

    >>> import scopeflow.compat.v1 as tf
    >>> from scopeflow.contrib.seq2seq import SampleEmbeddingHelper
    >>> h = SampleEmbeddingHelper(tf.zeros([10, 3]), tf.fill([2], 1), 2, seed=3)
    >>> print(h.sample(0, tf.zeros([2, 10]), None).shape)
    (2,)
    """

    def __init__(self, embedding: Any, start_tokens: Any, end_token: Any,
                 softmax_temperature: Any = None, seed: int | None = None) -> None:  # fmt: skip
        super().__init__(embedding, start_tokens, end_token)
        self._softmax_temperature = softmax_temperature
        self._seed = seed

    def sample(self, time: Any, outputs: Any, state: Any, name: str | None = None) -> Any:
        if not isinstance(outputs, Tensor):
            raise TypeError(f"Expected outputs to be a single Tensor, got: {type(outputs)}")
        logits = outputs if self._softmax_temperature is None else (
            outputs / self._softmax_temperature)  # fmt: skip
        # tf.distributions.Categorical(logits).sample(seed): one multinomial draw per row.
        draws = multinomial(reshape(logits, [-1, shape(logits)[-1]]), 1, seed=self._seed,
                            output_dtype=dtypes.int32)  # fmt: skip
        return reshape(draws, shape(logits)[:-1])


class ScheduledEmbeddingTrainingHelper(TrainingHelper):
    """Teacher forcing that feeds, with ``sampling_probability``, the embedding of a sample.

    Each step draws ``uniform < sampling_probability`` per batch entry (op seed
    ``scheduling_seed``); sampled entries get ids from ``Categorical(outputs)`` (op seed
    ``seed``) and their embedding as the next input, the others ``-1`` and the ground truth.

    Differences from TensorFlow: the next inputs are merged with ``Select`` instead of TF's
    ``Where``/``GatherNd``/``ScatterNd`` construction (same values).

    >>> import scopeflow.compat.v1 as tf
    >>> from scopeflow.contrib.seq2seq import ScheduledEmbeddingTrainingHelper
    >>> h = ScheduledEmbeddingTrainingHelper(tf.zeros([2, 4, 3]), [4, 2], tf.zeros([7, 3]), 0.5)
    >>> print(h.sample(0, tf.zeros([2, 7]), None).shape)
    (2,)
    """

    def __init__(self, inputs: Any, sequence_length: Any, embedding: Any,
                 sampling_probability: Any, time_major: bool = False, seed: int | None = None,
                 scheduling_seed: int | None = None, name: str | None = None) -> None:  # fmt: skip
        with get_default_graph().name_scope(name or "ScheduledEmbeddingSamplingWrapper"):
            if callable(embedding):
                self._embedding_fn = embedding
            else:
                self._embedding_fn = lambda ids: embedding_lookup(embedding, ids)
            self._sampling_probability = convert_to_tensor(sampling_probability,
                                                           name="sampling_probability")  # fmt: skip
            if self._sampling_probability.get_shape().ndims not in (0, 1):
                raise ValueError(
                    "sampling_probability must be either a scalar or a vector. saw shape: "
                    f"{self._sampling_probability.get_shape()}"
                )
            self._seed = seed
            self._scheduling_seed = scheduling_seed
            super().__init__(inputs=inputs, sequence_length=sequence_length,
                             time_major=time_major, name=name)  # fmt: skip

    def sample(  # type: ignore[override]
        self, time: Any, outputs: Any, state: Any, name: str | None = None
    ) -> Any:
        from scopeflow.ops.math_ops import less  # noqa: PLC0415
        from scopeflow.ops.random_ops import random_uniform  # noqa: PLC0415

        with get_default_graph().name_scope(name or "ScheduledEmbeddingTrainingHelperSample"):
            p = self._sampling_probability
            new_shape = concat([[self.batch_size], shape(p)], 0)
            uniform = random_uniform(new_shape, seed=self._scheduling_seed, dtype=p.dtype)
            select_sample = less(uniform, p)
            draws = multinomial(reshape(outputs, [-1, shape(outputs)[-1]]), 1, seed=self._seed,
                                output_dtype=dtypes.int32)  # fmt: skip
            ids = reshape(draws, shape(outputs)[:-1])
            return where(select_sample, ids, fill([self.batch_size], -1))

    def next_inputs(  # type: ignore[override]
        self, time: Any, outputs: Any, state: Any, sample_ids: Any, name: str | None = None
    ) -> Any:
        from scopeflow.ops.math_ops import greater, maximum  # noqa: PLC0415

        with get_default_graph().name_scope(name or "ScheduledEmbeddingTrainingHelperNextInputs"):
            (finished, base_next_inputs, state) = super().next_inputs(
                time=time, outputs=outputs, state=state
            )

            def maybe_sample() -> Any:
                sampled = self._embedding_fn(maximum(sample_ids, 0))
                return where(greater(sample_ids, -1), sampled, base_next_inputs)

            next_inputs = cond(reduce_all(finished), lambda: base_next_inputs, maybe_sample)
            return (finished, next_inputs, state)


# --- decoders ---------------------------------------------------------------------------------


class Decoder(abc.ABC):
    """Interface of the decoders ``dynamic_decode`` runs."""

    @property
    @abc.abstractmethod
    def batch_size(self) -> Any:
        """The decoder's batch size."""

    @property
    @abc.abstractmethod
    def output_size(self) -> Any:
        """Structure of the per-step output sizes."""

    @property
    @abc.abstractmethod
    def output_dtype(self) -> Any:
        """Structure of the per-step output dtypes."""

    @abc.abstractmethod
    def initialize(self, name: str | None = None) -> Any:
        """``(finished, first_inputs, initial_state)``."""

    @abc.abstractmethod
    def step(self, time: Any, inputs: Any, state: Any, name: str | None = None) -> Any:
        """``(outputs, next_state, next_inputs, finished)``."""

    @property
    def tracks_own_finished(self) -> bool:
        """Whether the decoder keeps finished entries finished itself."""
        return False

    def finalize(self, outputs: Any, final_state: Any, sequence_lengths: Any) -> Any:
        """Post-processing of the stacked outputs (optional)."""
        raise NotImplementedError


class BasicDecoderOutput(collections.namedtuple("BasicDecoderOutput",
                                                ("rnn_output", "sample_id"))):  # fmt: skip
    """``(rnn_output, sample_id)`` of a ``BasicDecoder`` step."""

    __slots__ = ()


class BasicDecoder(Decoder):
    """Runs ``cell`` one step at a time, sampling with ``helper`` (TF 1.15's ``BasicDecoder``).

    >>> import scopeflow.compat.v1 as tf
    >>> from scopeflow.contrib import seq2seq
    >>> cell = tf.nn.rnn_cell.GRUCell(4)
    >>> helper = seq2seq.TrainingHelper(tf.zeros([2, 5, 3]), [5, 3])
    >>> dec = seq2seq.BasicDecoder(cell, helper, cell.zero_state(2, tf.float32))
    >>> out, state, lengths = seq2seq.dynamic_decode(dec)
    >>> print(out.rnn_output.shape, tf.global_variables()[0].name)
    (2, ?, 4) decoder/gru_cell/gates/kernel:0
    """

    def __init__(self, cell: Any, helper: Any, initial_state: Any,
                 output_layer: Any = None) -> None:  # fmt: skip
        assert_like_rnncell("cell", cell)
        if not isinstance(helper, Helper):
            raise TypeError(f"helper must be a Helper, received: {type(helper)}")
        if output_layer is not None and not callable(output_layer):
            raise TypeError(f"output_layer must be a Layer, received: {type(output_layer)}")
        self._cell = cell
        self._helper = helper
        self._initial_state = initial_state
        self._output_layer = output_layer

    @property
    def batch_size(self) -> Any:
        return self._helper.batch_size

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
        if hasattr(layer, "units"):
            return TensorShape([layer.units])
        raise TypeError("output_layer must define compute_output_shape")

    @property
    def output_size(self) -> BasicDecoderOutput:
        return BasicDecoderOutput(rnn_output=self._rnn_output_size(),
                                  sample_id=self._helper.sample_ids_shape)  # fmt: skip

    @property
    def output_dtype(self) -> BasicDecoderOutput:
        dtype = nest.flatten(self._initial_state)[0].dtype
        return BasicDecoderOutput(nest.map_structure(lambda _: dtype, self._rnn_output_size()),
                                  self._helper.sample_ids_dtype)  # fmt: skip

    def initialize(self, name: str | None = None) -> Any:
        return (*self._helper.initialize(), self._initial_state)

    def step(self, time: Any, inputs: Any, state: Any, name: str | None = None) -> Any:
        with get_default_graph().name_scope(name or "BasicDecoderStep"):
            cell_outputs, cell_state = self._cell(inputs, state)
            if self._output_layer is not None:
                cell_outputs = self._output_layer(cell_outputs)
            sample_ids = self._helper.sample(time=time, outputs=cell_outputs, state=cell_state)
            (finished, next_inputs, next_state) = self._helper.next_inputs(
                time=time, outputs=cell_outputs, state=cell_state, sample_ids=sample_ids
            )
        outputs = BasicDecoderOutput(cell_outputs, sample_ids)
        return (outputs, next_state, next_inputs, finished)


def _create_zero_outputs(size_: Any, dtype: Any, batch_size: Any) -> Any:
    return nest.map_structure(lambda s, d: zero_state_tensors(s, batch_size, d), size_, dtype)


def dynamic_decode(decoder: Any, output_time_major: bool = False, impute_finished: bool = False,
                   maximum_iterations: Any = None, parallel_iterations: int = 32,
                   swap_memory: bool = False, scope: Any = None) -> Any:  # fmt: skip
    """Runs ``decoder`` until every entry is finished (``tf.contrib.seq2seq.dynamic_decode``).

    Returns ``(final_outputs, final_state, final_sequence_lengths)``; outputs are batch-major
    unless ``output_time_major``. With ``impute_finished`` outputs of finished entries are zero
    and their state is copied through.

    >>> from scopeflow.contrib.seq2seq import dynamic_decode
    >>> print(callable(dynamic_decode))
    True
    """
    if not isinstance(decoder, Decoder):
        raise TypeError(f"Expected decoder to be type Decoder, but saw: {type(decoder)}")
    with variable_scope(scope, "decoder"):
        if maximum_iterations is not None:
            maximum_iterations = convert_to_tensor(maximum_iterations, dtype=dtypes.int32,
                                                   name="maximum_iterations")  # fmt: skip
            if maximum_iterations.get_shape().ndims != 0:
                raise ValueError("maximum_iterations must be a scalar")
        initial_finished, initial_inputs, initial_state = decoder.initialize()
        zero_outputs = _create_zero_outputs(decoder.output_size, decoder.output_dtype,
                                            decoder.batch_size)  # fmt: skip
        if maximum_iterations is not None:
            initial_finished = logical_or(initial_finished,
                                          greater_equal(0, maximum_iterations))  # fmt: skip
        initial_sequence_lengths = zeros_like(initial_finished, dtype=dtypes.int32)
        initial_time = constant(0, dtype=dtypes.int32)

        def _shape(batch_size: Any, from_shape: Any) -> Any:
            if not isinstance(from_shape, TensorShape) or from_shape.ndims == 0:
                return None
            bs = convert_to_tensor(batch_size, name="batch_size")._const
            return TensorShape([None if bs is None else int(bs)]).concatenate(from_shape)

        def _create_ta(s: Any, d: Any) -> TensorArray:
            return TensorArray(dtype=d, size=0, dynamic_size=True,
                               element_shape=_shape(decoder.batch_size, s))  # fmt: skip

        initial_outputs_ta = nest.map_structure(_create_ta, decoder.output_size,
                                                decoder.output_dtype)  # fmt: skip

        def condition(unused_time: Any, unused_outputs_ta: Any, unused_state: Any,
                      unused_inputs: Any, finished: Any, unused_lengths: Any) -> Any:  # fmt: skip
            return logical_not(reduce_all(finished))

        def body(time: Any, outputs_ta: Any, state: Any, inputs: Any, finished: Any,
                 sequence_lengths: Any) -> Any:  # fmt: skip
            (next_outputs, decoder_state, next_inputs,
             decoder_finished) = decoder.step(time, inputs, state)  # fmt: skip
            if decoder.tracks_own_finished:
                next_finished = decoder_finished
            else:
                next_finished = logical_or(decoder_finished, finished)
            next_sequence_lengths = where(logical_not(finished),
                                          fill(shape(sequence_lengths), time + 1),
                                          sequence_lengths)  # fmt: skip
            nest.assert_same_structure(state, decoder_state)
            nest.assert_same_structure(outputs_ta, next_outputs)
            nest.assert_same_structure(inputs, next_inputs)
            if impute_finished:
                emit = nest.map_structure(lambda out, zero: where(finished, zero, out),
                                          next_outputs, zero_outputs)  # fmt: skip
            else:
                emit = next_outputs

            def _maybe_copy_state(new: Any, cur: Any) -> Any:
                if isinstance(cur, TensorArray):
                    pass_through = True
                else:
                    new.set_shape(cur.shape)
                    pass_through = new.shape.ndims == 0
                return new if pass_through else where(finished, cur, new)

            if impute_finished:
                next_state = nest.map_structure(_maybe_copy_state, decoder_state, state)
            else:
                next_state = decoder_state
            outputs_ta = nest.map_structure(lambda ta, out: ta.write(time, out), outputs_ta,
                                            emit)  # fmt: skip
            return (time + 1, outputs_ta, next_state, next_inputs, next_finished,
                    next_sequence_lengths)  # fmt: skip

        res = while_loop(
            condition, body,
            loop_vars=(initial_time, initial_outputs_ta, initial_state, initial_inputs,
                       initial_finished, initial_sequence_lengths),
            parallel_iterations=parallel_iterations, maximum_iterations=maximum_iterations,
            swap_memory=swap_memory,
        )  # fmt: skip
        final_outputs_ta = res[1]
        final_state = res[2]
        final_sequence_lengths = res[5]
        final_outputs = nest.map_structure(lambda ta: ta.stack(), final_outputs_ta)
        with contextlib.suppress(NotImplementedError):
            final_outputs, final_state = decoder.finalize(final_outputs, final_state,
                                                          final_sequence_lengths)  # fmt: skip
        if not output_time_major:
            final_outputs = nest.map_structure(transpose_batch_time, final_outputs)
    return final_outputs, final_state, final_sequence_lengths


__all__ = [
    "BasicDecoder",
    "BasicDecoderOutput",
    "Decoder",
    "GreedyEmbeddingHelper",
    "Helper",
    "SampleEmbeddingHelper",
    "ScheduledEmbeddingTrainingHelper",
    "TrainingHelper",
    "dynamic_decode",
    "tile_batch",
]
