"""``tf.contrib.seq2seq`` attention: Bahdanau and Luong mechanisms and ``AttentionWrapper``.

After TF 1.15's ``attention_wrapper.py`` (TF 2.21 has no seq2seq): memory masking by
``memory_sequence_length``, the scores (normalised Bahdanau, scaled Luong), ``softmax``
probabilities, ``AttentionWrapperState`` and alignment history, with TF 1.15's variable names
(``memory_layer/kernel``, ``.../attention_wrapper/bahdanau_attention/query_layer/kernel``,
``attention_v``, ``attention_g``, ``attention_b``,
``.../attention_wrapper/attention_layer/kernel``).

Differences from TensorFlow: the projection layers are a private bias-free dense layer (TF uses
``tf.layers.Dense``, a separate package here) with the same variables and math; the batch-size
checks are ``Assert`` ops rather than ``assert_equal``'s graph.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import collections
import math
from typing import Any

import numpy as np

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow._core.variable_scope import variable_scope
from scopeflow._core.variable_store import get_variable
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.ops import nest
from scopeflow.ops.activation_ops import softmax
from scopeflow.ops.array_ops import concat, identity, ones, ones_like, rank, reshape, shape, zeros
from scopeflow.ops.creation_ops import sequence_mask
from scopeflow.ops.gather_scatter_ops import where
from scopeflow.ops.init_ops import Constant, Ones, Zeros
from scopeflow.ops.logging_ops import Assert
from scopeflow.ops.math_ops import equal
from scopeflow.ops.matmul_ops import matmul, tensordot
from scopeflow.ops.reduction_ops import reduce_all, reduce_sum
from scopeflow.ops.shape_ops import expand_dims, squeeze
from scopeflow.ops.tensor_array_ops import TensorArray
from scopeflow.ops.unary_ops import rsqrt, square, tanh
from scopeflow.rnn._cell_base import RNNCell, assert_like_rnncell, zero_state_tensors


class _Dense(RNNCell):
    """A bias-free ``tf.layers.Dense``: ``kernel`` ``[depth, units]`` under ``<name>/``."""

    _layer_style = True

    def __init__(self, units: int, name: str, dtype: Any = None) -> None:
        super().__init__(name=name, dtype=dtype)
        self.units = units

    @property
    def state_size(self) -> int:
        return 0

    @property
    def output_size(self) -> int:
        return self.units

    def build(self, input_shape: Any) -> None:
        depth = TensorShape(input_shape).as_list()[-1]
        if depth is None:
            raise ValueError("The last dimension of the inputs to `Dense` should be defined.")
        self.kernel = self.add_weight("kernel", [depth, self.units], dtype=self._dtype)
        self.built = True

    def __call__(self, inputs: Any) -> Any:  # type: ignore[override]
        return self._layer_call(inputs, None)

    def call(self, inputs: Any, state: Any = None) -> Any:
        inputs = convert_to_tensor(inputs)
        r = inputs.shape.ndims
        if r is not None and r > 2:
            out = tensordot(inputs, self.kernel, [[r - 1], [0]])
            out.set_shape(inputs.shape[:-1].concatenate(TensorShape([self.units])))
            return out
        return matmul(inputs, self.kernel)

    def compute_output_shape(self, input_shape: Any) -> TensorShape:
        """``input_shape`` with the last dimension replaced by ``units``."""
        return TensorShape(input_shape)[:-1].concatenate(TensorShape([self.units]))


def _assert_equal(a: Any, b: Any, message: str) -> Any:
    return Assert(reduce_all(equal(a, b)), [message, a, b])


class AttentionMechanism:
    """Base of the attention mechanisms ``AttentionWrapper`` accepts."""

    @property
    def alignments_size(self) -> Any:
        """Size of the alignments (memory time)."""
        raise NotImplementedError

    @property
    def state_size(self) -> Any:
        """Size of the mechanism's state."""
        raise NotImplementedError


def _prepare_memory(memory: Any, memory_sequence_length: Any,
                    check_inner_dims_defined: bool) -> Any:  # fmt: skip
    memory = nest.map_structure(lambda m: convert_to_tensor(m, name="memory"), memory)
    if memory_sequence_length is not None:
        memory_sequence_length = convert_to_tensor(memory_sequence_length,
                                                   name="memory_sequence_length")  # fmt: skip
    if check_inner_dims_defined:
        for m in nest.flatten(memory):
            if not m.get_shape()[2:].is_fully_defined():
                raise ValueError(
                    f"Expected memory {m.name} to have fully defined inner dims, but saw "
                    f"shape: {m.get_shape()}"
                )
    if memory_sequence_length is None:
        return memory
    first = nest.flatten(memory)[0]
    seq_len_mask = sequence_mask(memory_sequence_length, maxlen=shape(first)[1],
                                 dtype=first.dtype)  # fmt: skip
    seq_len_batch_size = memory_sequence_length.shape.as_list()[0] or shape(
        memory_sequence_length)[0]  # fmt: skip

    def maybe_mask(m: Any) -> Any:
        r = m.get_shape().ndims
        r = r if r is not None else rank(m)
        extra_ones = ones(r - 2, dtype=dtypes.int32)
        m_batch_size = m.shape.as_list()[0] or shape(m)[0]
        msg = "memory_sequence_length and memory tensor batch sizes do not match."
        check = _assert_equal(seq_len_batch_size, m_batch_size, msg)
        with get_default_graph().control_dependencies([check]):
            mask = reshape(seq_len_mask, concat((shape(seq_len_mask), extra_ones), 0))
            return m * mask

    return nest.map_structure(maybe_mask, memory)


def _maybe_mask_score(score: Any, memory_sequence_length: Any, score_mask_value: Any) -> Any:
    if memory_sequence_length is None:
        return score
    score_mask = sequence_mask(memory_sequence_length, maxlen=shape(score)[1])
    score_mask_values = score_mask_value * ones_like(score)
    return where(score_mask, score, score_mask_values)


class _BaseAttentionMechanism(AttentionMechanism):
    def __init__(self, query_layer: Any, memory: Any, probability_fn: Any,
                 memory_sequence_length: Any = None, memory_layer: Any = None,
                 check_inner_dims_defined: bool = True, score_mask_value: Any = None,
                 custom_key_value_fn: Any = None, name: str | None = None) -> None:  # fmt: skip
        self._query_layer = query_layer
        self._memory_layer = memory_layer
        self.dtype = memory_layer._dtype
        if not callable(probability_fn):
            raise TypeError(
                f"probability_fn must be callable, saw type: {type(probability_fn).__name__}"
            )
        if score_mask_value is None:
            score_mask_value = -np.inf
        self._probability_fn = lambda score, prev: probability_fn(
            _maybe_mask_score(score, memory_sequence_length, score_mask_value), prev)  # fmt: skip
        with get_default_graph().name_scope(name or "BaseAttentionMechanismInit"):
            self._values = _prepare_memory(memory, memory_sequence_length,
                                           check_inner_dims_defined)  # fmt: skip
            self._keys = self._memory_layer(self._values) if self._memory_layer else self._values
            if custom_key_value_fn is not None:
                self._keys, self._values = custom_key_value_fn(self._keys, self._values)
            self._batch_size = self._keys.shape.as_list()[0] or shape(self._keys)[0]
            self._alignments_size = self._keys.shape.as_list()[1] or shape(self._keys)[1]

    @property
    def memory_layer(self) -> Any:
        """The memory projection (``memory_layer``)."""
        return self._memory_layer

    @property
    def query_layer(self) -> Any:
        """The query projection (``query_layer``) or None."""
        return self._query_layer

    @property
    def values(self) -> Any:
        """The (masked) memory."""
        return self._values

    @property
    def keys(self) -> Any:
        """The projected memory."""
        return self._keys

    @property
    def batch_size(self) -> Any:
        """The memory's batch size."""
        return self._batch_size

    @property
    def alignments_size(self) -> Any:
        return self._alignments_size

    @property
    def state_size(self) -> Any:
        return self._alignments_size

    def initial_alignments(self, batch_size: Any, dtype: Any) -> Any:
        """Zero alignments ``[batch_size, max_time]``."""
        return zero_state_tensors(self._alignments_size, batch_size, dtype)

    def initial_state(self, batch_size: Any, dtype: Any) -> Any:
        """The initial mechanism state (the initial alignments)."""
        return self.initial_alignments(batch_size, dtype)


def _luong_score(query: Any, keys: Any, scale: bool) -> Any:
    depth = query.get_shape()[-1]
    key_units = keys.get_shape()[-1]
    if depth != key_units:
        raise ValueError(
            "Incompatible or unknown inner dimensions between query and keys.  Query "
            f"({query}) has units: {depth}.  Keys ({keys}) have units: {key_units}.  "
            "Perhaps you need to set num_units to the keys' dimension "
            f"({key_units})?"
        )
    dtype = query.dtype
    score = squeeze(matmul(expand_dims(query, 1), keys, transpose_b=True), [1])
    if scale:
        g = get_variable("attention_g", dtype=dtype, initializer=Ones(), shape=())
        score = g * score
    return score


class LuongAttention(_BaseAttentionMechanism):
    """Multiplicative attention (Luong et al., 2015), optionally scaled by ``attention_g``.

    >>> import scopeflow.compat.v1 as tf
    >>> from scopeflow.contrib.seq2seq import LuongAttention
    >>> att = LuongAttention(4, tf.zeros([2, 5, 3]), memory_sequence_length=[5, 2])
    >>> print(att.keys.shape, tf.global_variables()[0].name)
    (2, 5, 4) memory_layer/kernel:0
    """

    def __init__(self, num_units: int, memory: Any, memory_sequence_length: Any = None,
                 scale: bool = False, probability_fn: Any = None, score_mask_value: Any = None,
                 dtype: Any = None, custom_key_value_fn: Any = None,
                 name: str = "LuongAttention") -> None:  # fmt: skip
        if probability_fn is None:
            probability_fn = softmax
        if dtype is None:
            dtype = dtypes.float32
        fn = probability_fn
        super().__init__(
            query_layer=None, memory_layer=_Dense(num_units, name="memory_layer", dtype=dtype),
            memory=memory, probability_fn=lambda score, _: fn(score),
            memory_sequence_length=memory_sequence_length, score_mask_value=score_mask_value,
            custom_key_value_fn=custom_key_value_fn, name=name,
        )  # fmt: skip
        self._num_units = num_units
        self._scale = scale
        self._name = name

    def __call__(self, query: Any, state: Any) -> Any:
        """``(alignments, next_state)`` for ``query``."""
        with variable_scope(None, "luong_attention"):
            score = _luong_score(query, self._keys, self._scale)
        alignments = self._probability_fn(score, state)
        return alignments, alignments


def _bahdanau_score(processed_query: Any, keys: Any, normalize: bool) -> Any:
    dtype = processed_query.dtype
    num_units: Any = keys.shape.as_list()[2] or shape(keys)[2]
    processed_query = expand_dims(processed_query, 1)
    v = get_variable("attention_v", [num_units], dtype=dtype)
    if normalize:
        g = get_variable("attention_g", dtype=dtype,
                         initializer=Constant(math.sqrt(1.0 / float(num_units))),
                         shape=())  # fmt: skip
        b = get_variable("attention_b", [num_units], dtype=dtype, initializer=Zeros())
        normed_v = g * v * rsqrt(reduce_sum(square(v)))
        return reduce_sum(normed_v * tanh(keys + processed_query + b), [2])
    return reduce_sum(v * tanh(keys + processed_query), [2])


class BahdanauAttention(_BaseAttentionMechanism):
    """Additive attention (Bahdanau et al., 2015), optionally weight-normalised.

    >>> import scopeflow.compat.v1 as tf
    >>> from scopeflow.contrib.seq2seq import BahdanauAttention
    >>> att = BahdanauAttention(4, tf.zeros([2, 5, 3]))
    >>> align, _ = att(tf.zeros([2, 6]), att.initial_state(2, tf.float32))
    >>> print(align.shape, [v.name for v in tf.global_variables()][1:])
    (2, 5) ['bahdanau_attention/query_layer/kernel:0', 'bahdanau_attention/attention_v:0']
    """

    def __init__(self, num_units: int, memory: Any, memory_sequence_length: Any = None,
                 normalize: bool = False, probability_fn: Any = None,
                 score_mask_value: Any = None, dtype: Any = None,
                 custom_key_value_fn: Any = None,
                 name: str = "BahdanauAttention") -> None:  # fmt: skip
        if probability_fn is None:
            probability_fn = softmax
        if dtype is None:
            dtype = dtypes.float32
        fn = probability_fn
        super().__init__(
            query_layer=_Dense(num_units, name="query_layer", dtype=dtype),
            memory_layer=_Dense(num_units, name="memory_layer", dtype=dtype),
            memory=memory, probability_fn=lambda score, _: fn(score),
            memory_sequence_length=memory_sequence_length, score_mask_value=score_mask_value,
            custom_key_value_fn=custom_key_value_fn, name=name,
        )  # fmt: skip
        self._num_units = num_units
        self._normalize = normalize
        self._name = name

    def __call__(self, query: Any, state: Any) -> Any:
        """``(alignments, next_state)`` for ``query``."""
        with variable_scope(None, "bahdanau_attention"):
            processed_query = self._query_layer(query) if self._query_layer else query
            score = _bahdanau_score(processed_query, self._keys, self._normalize)
        alignments = self._probability_fn(score, state)
        return alignments, alignments


class AttentionWrapperState(collections.namedtuple("AttentionWrapperState", (
        "cell_state", "attention", "time", "alignments", "alignment_history",
        "attention_state"))):  # fmt: skip
    """The state of an ``AttentionWrapper``."""

    __slots__ = ()

    def clone(self, **kwargs: Any) -> AttentionWrapperState:
        """A copy with the given fields replaced (shapes of the old ones kept)."""

        def with_same_shape(old: Any, new: Any) -> Any:
            if hasattr(old, "set_shape") and hasattr(new, "set_shape"):
                new.set_shape(old.shape)
            return new

        return nest.map_structure(with_same_shape, self, super()._replace(**kwargs))


def _compute_attention(attention_mechanism: Any, cell_output: Any, attention_state: Any,
                       attention_layer: Any) -> Any:  # fmt: skip
    alignments, next_attention_state = attention_mechanism(cell_output, state=attention_state)
    expanded_alignments = expand_dims(alignments, 1)
    context_ = squeeze(matmul(expanded_alignments, attention_mechanism.values), [1])
    if attention_layer is not None:
        attention = attention_layer(concat([cell_output, context_], 1))
    else:
        attention = context_
    return attention, alignments, next_attention_state


class AttentionWrapper(RNNCell):
    """Wraps ``cell`` with attention over one or more memories (TF 1.15's ``AttentionWrapper``).

    >>> import scopeflow.compat.v1 as tf
    >>> from scopeflow.contrib import seq2seq
    >>> att = seq2seq.LuongAttention(3, tf.zeros([2, 5, 3]))
    >>> cell = seq2seq.AttentionWrapper(tf.nn.rnn_cell.LSTMCell(3), att, attention_layer_size=4)
    >>> out, st = cell(tf.zeros([2, 2]), cell.zero_state(2, tf.float32))
    >>> print(out.shape, st.alignments.shape, tf.global_variables()[-1].name)
    (2, 4) (2, 5) attention_wrapper/attention_layer/kernel:0
    """

    def __init__(self, cell: Any, attention_mechanism: Any, attention_layer_size: Any = None,
                 alignment_history: bool = False, cell_input_fn: Any = None,
                 output_attention: bool = True, initial_cell_state: Any = None,
                 name: str | None = None, attention_layer: Any = None,
                 attention_fn: Any = None) -> None:  # fmt: skip
        super().__init__(name=name)
        assert_like_rnncell("cell", cell)
        if isinstance(attention_mechanism, (list, tuple)):
            self._is_multi = True
            mechanisms = tuple(attention_mechanism)
            for m in mechanisms:
                if not isinstance(m, AttentionMechanism):
                    raise TypeError(
                        "attention_mechanism must contain only instances of AttentionMechanism, "
                        f"saw type: {type(m).__name__}"
                    )
        else:
            self._is_multi = False
            if not isinstance(attention_mechanism, AttentionMechanism):
                raise TypeError(
                    "attention_mechanism must be an AttentionMechanism or list of multiple "
                    f"AttentionMechanism instances, saw type: {type(attention_mechanism).__name__}"
                )
            mechanisms = (attention_mechanism,)
        if cell_input_fn is None:
            cell_input_fn = lambda inputs, attention: concat([inputs, attention], -1)  # noqa: E731
        elif not callable(cell_input_fn):
            raise TypeError(
                f"cell_input_fn must be callable, saw type: {type(cell_input_fn).__name__}"
            )
        if attention_layer_size is not None and attention_layer is not None:
            raise ValueError("Only one of attention_layer_size and attention_layer should be set")
        if attention_layer_size is not None:
            sizes = tuple(attention_layer_size if isinstance(attention_layer_size, (list, tuple))
                          else (attention_layer_size,))  # fmt: skip
            if len(sizes) != len(mechanisms):
                raise ValueError(
                    "If provided, attention_layer_size must contain exactly one integer per "
                    f"attention_mechanism, saw: {len(sizes)} vs {len(mechanisms)}"
                )
            self._attention_layers: Any = tuple(
                _Dense(s, name="attention_layer", dtype=mechanisms[i].dtype)
                for i, s in enumerate(sizes)
            )
            self._attention_layer_size = sum(sizes)
        elif attention_layer is not None:
            layers = tuple(attention_layer if isinstance(attention_layer, (list, tuple))
                           else (attention_layer,))  # fmt: skip
            if len(layers) != len(mechanisms):
                raise ValueError(
                    "If provided, attention_layer must contain exactly one layer per "
                    f"attention_mechanism, saw: {len(layers)} vs {len(mechanisms)}"
                )
            self._attention_layers = layers
            self._attention_layer_size = sum(layer.units for layer in layers)
        else:
            self._attention_layers = None
            self._attention_layer_size = sum(m.values.shape.as_list()[-1] for m in mechanisms)
        self._attention_fn = attention_fn or _compute_attention
        self._cell = cell
        self._attention_mechanisms = mechanisms
        self._cell_input_fn = cell_input_fn
        self._output_attention = output_attention
        self._alignment_history = alignment_history
        with get_default_graph().name_scope(name or "AttentionWrapperInit"):
            if initial_cell_state is None:
                self._initial_cell_state = None
            else:
                final = nest.flatten(initial_cell_state)[-1]
                bs = final.shape.as_list()[0] or shape(final)[0]
                with get_default_graph().control_dependencies(self._batch_size_checks(
                        bs, "initial_cell_state batch size must match the memory's")):  # fmt: skip
                    self._initial_cell_state = nest.map_structure(
                        lambda s: identity(s, name="check_initial_cell_state"),
                        initial_cell_state)  # fmt: skip

    def _sub_cells(self) -> list[RNNCell]:
        return [self._cell] if isinstance(self._cell, RNNCell) else []

    def _batch_size_checks(self, batch_size: Any, error_message: str) -> list[Any]:
        return [_assert_equal(batch_size, m.batch_size, error_message)
                for m in self._attention_mechanisms]  # fmt: skip

    def _item_or_tuple(self, seq: Any) -> Any:
        t = tuple(seq)
        return t if self._is_multi else t[0]

    @property
    def output_size(self) -> Any:
        return self._attention_layer_size if self._output_attention else self._cell.output_size

    @property
    def state_size(self) -> AttentionWrapperState:
        ms = self._attention_mechanisms
        return AttentionWrapperState(
            cell_state=self._cell.state_size, time=TensorShape([]),
            attention=self._attention_layer_size,
            alignments=self._item_or_tuple(m.alignments_size for m in ms),
            attention_state=self._item_or_tuple(m.state_size for m in ms),
            alignment_history=self._item_or_tuple(
                m.alignments_size if self._alignment_history else () for m in ms),
        )  # fmt: skip

    def zero_state(self, batch_size: Any, dtype: Any) -> AttentionWrapperState:
        """The wrapped cell's (or the given initial) state and zero attention."""
        g = get_default_graph()
        with g.name_scope(type(self).__name__ + "ZeroState"):
            if self._initial_cell_state is not None:
                cell_state = self._initial_cell_state
            else:
                cell_state = self._cell.get_initial_state(batch_size=batch_size, dtype=dtype)
            msg = ("When calling zero_state of AttentionWrapper: the batch_size argument must "
                   "match the memory's batch size.")  # fmt: skip
            with g.control_dependencies(self._batch_size_checks(batch_size, msg)):
                cell_state = nest.map_structure(lambda s: identity(s, name="checked_cell_state"),
                                                cell_state)  # fmt: skip
            initial_alignments = [m.initial_alignments(batch_size, dtype)
                                  for m in self._attention_mechanisms]  # fmt: skip
            return AttentionWrapperState(
                cell_state=cell_state,
                time=zeros([], dtype=dtypes.int32),
                attention=zero_state_tensors(self._attention_layer_size, batch_size, dtype),
                alignments=self._item_or_tuple(initial_alignments),
                attention_state=self._item_or_tuple(m.initial_state(batch_size, dtype)
                                                    for m in self._attention_mechanisms),
                alignment_history=self._item_or_tuple(
                    TensorArray(dtype, size=0, dynamic_size=True, element_shape=a.shape)
                    if self._alignment_history else () for a in initial_alignments),
            )  # fmt: skip

    def call(self, inputs: Any, state: Any) -> Any:
        """Cell step on ``[inputs, previous attention]``, then attention on the cell output."""
        if not isinstance(state, AttentionWrapperState):
            raise TypeError(
                "Expected state to be instance of AttentionWrapperState. Received type "
                f"{type(state)} instead."
            )
        cell_inputs = self._cell_input_fn(inputs, state.attention)
        cell_output, next_cell_state = self._cell(cell_inputs, state.cell_state)
        bs = cell_output.shape.as_list()[0] or shape(cell_output)[0]
        msg = ("When applying AttentionWrapper: the cell output batch size must match the "
               "memory's batch size.")  # fmt: skip
        with get_default_graph().control_dependencies(self._batch_size_checks(bs, msg)):
            cell_output = identity(cell_output, name="checked_cell_output")
        if self._is_multi:
            prev_states, prev_histories = state.attention_state, state.alignment_history
        else:
            prev_states, prev_histories = [state.attention_state], [state.alignment_history]
        alignments_all, attentions, att_states, histories = [], [], [], []
        for i, m in enumerate(self._attention_mechanisms):
            layer = self._attention_layers[i] if self._attention_layers else None
            attention, alignments, next_att_state = self._attention_fn(
                m, cell_output, prev_states[i], layer
            )
            history = prev_histories[i].write(state.time, alignments) if (
                self._alignment_history) else ()  # fmt: skip
            att_states.append(next_att_state)
            alignments_all.append(alignments)
            attentions.append(attention)
            histories.append(history)
        attention = concat(attentions, 1)
        next_state = AttentionWrapperState(
            time=state.time + 1, cell_state=next_cell_state, attention=attention,
            attention_state=self._item_or_tuple(att_states),
            alignments=self._item_or_tuple(alignments_all),
            alignment_history=self._item_or_tuple(histories),
        )  # fmt: skip
        return (attention if self._output_attention else cell_output), next_state


__all__ = [
    "AttentionMechanism",
    "AttentionWrapper",
    "AttentionWrapperState",
    "BahdanauAttention",
    "LuongAttention",
]
