"""``CustomHelper``, ``InferenceHelper`` and ``ScheduledOutputTrainingHelper`` (TF 1.15).

After TF 1.15's ``contrib/seq2seq/python/ops/helper.py`` (TF 2.21 has no seq2seq):

- ``CustomHelper(initialize_fn, sample_fn, next_inputs_fn)`` calls the user's functions under
  ``<Class>Initialize``/``<Class>Sample``/``<Class>NextInputs`` name scopes; its batch size is
  ``size(finished)`` of the first ``initialize``.
- ``InferenceHelper`` feeds ``next_inputs_fn(sample_ids)`` (or the samples themselves) and ends
  rows where ``end_fn(sample_ids)``.
- ``ScheduledOutputTrainingHelper`` is teacher forcing that, per row and step with probability
  ``sampling_probability`` (``Bernoulli``: ``uniform < p`` with op seed ``seed``), feeds the
  previous output (through ``next_inputs_fn``, with the ``auxiliary_inputs`` of the next step
  appended) instead of the ground truth; ``sample_ids`` are those 0/1 draws (``int32``).

Differences from TensorFlow: the scheduled inputs are merged with ``Select`` where TF gathers
and scatters the sampled and unsampled rows (same values; ``next_inputs_fn`` then sees the whole
batch rather than only the sampled rows, so it must work row-wise, as every TF usage does).

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from typing import Any

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.contrib.seq2seq._decoder import Helper, TrainingHelper, _unstack_ta
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.ops import nest
from scopeflow.ops.array_ops import concat, shape, size
from scopeflow.ops.control_flow_ops import cond
from scopeflow.ops.gather_scatter_ops import where
from scopeflow.ops.math_ops import cast, less, logical_not, logical_or
from scopeflow.ops.random_ops import random_uniform
from scopeflow.ops.reduction_ops import reduce_all, reduce_any
from scopeflow.ops.shape_ops import tile
from scopeflow.rnn._dynamic_rnn import transpose_batch_time


class CustomHelper(Helper):
    """A helper built from three user functions.

    >>> import scopeflow.compat.v1 as tf
    >>> from scopeflow.contrib.seq2seq import CustomHelper
    >>> h = CustomHelper(lambda: (tf.zeros([3], tf.bool), tf.zeros([3, 2])),
    ...                  lambda time, outputs, state: tf.zeros([3], tf.int32),
    ...                  lambda time, outputs, state, sample_ids: (None, None, state))
    >>> finished, inputs = h.initialize()
    >>> print(h.batch_size.op.type, h.sample_ids_shape, h.sample_ids_dtype.name)
    Size () int32
    """

    def __init__(self, initialize_fn: Any, sample_fn: Any, next_inputs_fn: Any,
                 sample_ids_shape: Any = None, sample_ids_dtype: Any = None) -> None:  # fmt: skip
        self._initialize_fn = initialize_fn
        self._sample_fn = sample_fn
        self._next_inputs_fn = next_inputs_fn
        self._batch_size: Any = None
        self._sample_ids_shape = TensorShape(sample_ids_shape or [])
        self._sample_ids_dtype = sample_ids_dtype or dtypes.int32

    @property
    def batch_size(self) -> Any:
        if self._batch_size is None:
            raise ValueError("batch_size accessed before initialize was called")
        return self._batch_size

    @property
    def sample_ids_shape(self) -> TensorShape:
        return self._sample_ids_shape

    @property
    def sample_ids_dtype(self) -> Any:
        return self._sample_ids_dtype

    def initialize(self, name: str | None = None) -> Any:
        with get_default_graph().name_scope(name or f"{type(self).__name__}Initialize"):
            (finished, next_inputs) = self._initialize_fn()
            if self._batch_size is None:
                self._batch_size = size(finished)
        return (finished, next_inputs)

    def sample(self, time: Any, outputs: Any, state: Any, name: str | None = None) -> Any:
        with get_default_graph().name_scope(name or f"{type(self).__name__}Sample"):
            return self._sample_fn(time=time, outputs=outputs, state=state)

    def next_inputs(self, time: Any, outputs: Any, state: Any, sample_ids: Any,
                    name: str | None = None) -> Any:  # fmt: skip
        with get_default_graph().name_scope(name or f"{type(self).__name__}NextInputs"):
            return self._next_inputs_fn(time=time, outputs=outputs, state=state,
                                        sample_ids=sample_ids)  # fmt: skip


class InferenceHelper(Helper):
    """Inference with a custom ``sample_fn`` and ``end_fn``.

    >>> import scopeflow.compat.v1 as tf
    >>> from scopeflow.contrib.seq2seq import InferenceHelper
    >>> h = InferenceHelper(lambda o: o, [2], tf.float32, tf.zeros([3, 2]),
    ...                     lambda s: tf.reduce_all(s > 1.0, axis=-1))
    >>> print(h.initialize()[0].shape, h.sample_ids_shape)
    (3,) (2,)
    """

    def __init__(self, sample_fn: Any, sample_shape: Any, sample_dtype: Any, start_inputs: Any,
                 end_fn: Any, next_inputs_fn: Any = None) -> None:  # fmt: skip
        self._sample_fn = sample_fn
        self._end_fn = end_fn
        self._sample_shape = TensorShape(sample_shape)
        self._sample_dtype = sample_dtype
        self._next_inputs_fn = next_inputs_fn
        self._batch_size = shape(start_inputs)[0]
        self._start_inputs = convert_to_tensor(start_inputs, name="start_inputs")

    @property
    def batch_size(self) -> Any:
        return self._batch_size

    @property
    def sample_ids_shape(self) -> TensorShape:
        return self._sample_shape

    @property
    def sample_ids_dtype(self) -> Any:
        return self._sample_dtype

    def initialize(self, name: str | None = None) -> Any:
        finished = tile([False], [self._batch_size])
        return (finished, self._start_inputs)

    def sample(self, time: Any, outputs: Any, state: Any, name: str | None = None) -> Any:
        return self._sample_fn(outputs)

    def next_inputs(self, time: Any, outputs: Any, state: Any, sample_ids: Any,
                    name: str | None = None) -> Any:  # fmt: skip
        if self._next_inputs_fn is None:
            next_inputs = sample_ids
        else:
            next_inputs = self._next_inputs_fn(sample_ids)
        finished = self._end_fn(sample_ids)
        return (finished, next_inputs, state)


class ScheduledOutputTrainingHelper(TrainingHelper):
    """Teacher forcing that feeds back the previous output with ``sampling_probability``.

    >>> import scopeflow.compat.v1 as tf
    >>> from scopeflow.contrib.seq2seq import ScheduledOutputTrainingHelper
    >>> h = ScheduledOutputTrainingHelper(tf.zeros([2, 4, 3]), [4, 2], 0.5)
    >>> print(h.sample(0, tf.zeros([2, 3]), None).dtype.name)
    int32
    """

    def __init__(self, inputs: Any, sequence_length: Any, sampling_probability: Any,
                 time_major: bool = False, seed: int | None = None, next_inputs_fn: Any = None,
                 auxiliary_inputs: Any = None, name: str | None = None) -> None:  # fmt: skip
        with get_default_graph().name_scope(name or "ScheduledOutputTrainingHelper"):
            self._sampling_probability = convert_to_tensor(sampling_probability,
                                                           name="sampling_probability")  # fmt: skip
            if self._sampling_probability.get_shape().ndims not in (0, 1):
                raise ValueError(
                    "sampling_probability must be either a scalar or a vector. saw shape: "
                    f"{self._sampling_probability.get_shape()}"
                )
            if auxiliary_inputs is None:
                maybe_concatenated_inputs = inputs
            else:
                inputs = convert_to_tensor(inputs, name="inputs")
                auxiliary_inputs = convert_to_tensor(auxiliary_inputs, name="auxiliary_inputs")
                maybe_concatenated_inputs = nest.map_structure(
                    lambda x, y: concat((x, y), -1), inputs, auxiliary_inputs
                )
                if not time_major:
                    auxiliary_inputs = nest.map_structure(transpose_batch_time, auxiliary_inputs)
            self._auxiliary_input_tas = (
                nest.map_structure(_unstack_ta, auxiliary_inputs)
                if auxiliary_inputs is not None else None
            )  # fmt: skip
            self._seed = seed
            self._next_inputs_fn = next_inputs_fn
            super().__init__(inputs=maybe_concatenated_inputs, sequence_length=sequence_length,
                             time_major=time_major, name=name)  # fmt: skip

    def initialize(self, name: str | None = None) -> Any:
        return super().initialize(name=name)

    def sample(  # type: ignore[override]
        self, time: Any, outputs: Any, state: Any, name: str | None = None
    ) -> Any:
        with get_default_graph().name_scope(name or "ScheduledOutputTrainingHelperSample"):
            p = self._sampling_probability
            new_shape = concat([[self.batch_size], shape(p)], 0)
            uniform = random_uniform(new_shape, seed=self._seed, dtype=p.dtype)
            return cast(less(uniform, p), dtypes.int32)

    def next_inputs(  # type: ignore[override]
        self, time: Any, outputs: Any, state: Any, sample_ids: Any, name: str | None = None
    ) -> Any:
        with get_default_graph().name_scope(name or "ScheduledOutputTrainingHelperNextInputs"):
            (finished, base_next_inputs, state) = super().next_inputs(
                time=time, outputs=outputs, state=state
            )
            sample_ids = cast(sample_ids, dtypes.bool)

            def maybe_sample() -> Any:
                sampled = outputs if self._next_inputs_fn is None else self._next_inputs_fn(
                    outputs)  # fmt: skip
                if self._auxiliary_input_tas is not None:
                    aux = nest.map_structure(lambda ta: ta.read(time + 1),
                                             self._auxiliary_input_tas)  # fmt: skip
                    sampled = nest.map_structure(lambda x, y: concat((x, y), -1), sampled, aux)
                return where(sample_ids, sampled, base_next_inputs)

            no_samples = logical_not(reduce_any(sample_ids))
            next_inputs = cond(logical_or(reduce_all(finished), no_samples),
                               lambda: base_next_inputs, maybe_sample)  # fmt: skip
            return (finished, next_inputs, state)


__all__ = ["CustomHelper", "InferenceHelper", "ScheduledOutputTrainingHelper"]
