"""``tf.contrib.rnn`` cells and wrappers missing from TF 2.21, after TF 1.15's sources.

``OutputProjectionWrapper``, ``InputProjectionWrapper`` and ``EmbeddingWrapper``
(``contrib/rnn/python/ops/core_rnn_cell.py``), ``AttentionCellWrapper`` and
``LayerNormBasicLSTMCell`` (``contrib/rnn/python/ops/rnn_cell.py``): plain ``RNNCell``s that
create their variables with ``get_variable`` in ``call``, so the variables live under the
cell's scope (``output_projection_wrapper/kernel``, ``.../lstm_cell/kernel`` for the wrapped
cell).

Differences from TensorFlow: ``LayerNormBasicLSTMCell`` normalises with ``moments`` +
``batch_normalization`` (epsilon 1e-12, as ``contrib.layers.layer_norm``) without that
function's ``LayerNorm`` op names.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import math
from typing import Any

from scopeflow._core.variable_scope import get_variable_scope, variable_scope
from scopeflow._core.variable_store import get_variable
from scopeflow.graph.graph import get_default_graph
from scopeflow.ops import nest
from scopeflow.ops.activation_ops import softmax
from scopeflow.ops.array_ops import concat, reshape, slice
from scopeflow.ops.conv_ops import conv2d
from scopeflow.ops.dropout_ops import dropout
from scopeflow.ops.embedding_ops import embedding_lookup
from scopeflow.ops.init_ops import Constant, RandomUniform
from scopeflow.ops.matmul_ops import matmul
from scopeflow.ops.nn_ops import bias_add
from scopeflow.ops.normalization_ops import batch_normalization, moments
from scopeflow.ops.reduction_ops import reduce_sum
from scopeflow.ops.shape_ops import expand_dims
from scopeflow.ops.split_ops import split
from scopeflow.ops.unary_ops import sigmoid, tanh
from scopeflow.rnn._cell_base import RNNCell, assert_like_rnncell
from scopeflow.rnn._cells import LSTMStateTuple


class Linear:
    """TF's private ``_Linear``: ``concat(args) @ kernel (+ bias)`` in the current scope."""

    def __init__(self, args: Any, output_size: int, build_bias: bool,
                 bias_initializer: Any = None, kernel_initializer: Any = None) -> None:  # fmt: skip
        self._build_bias = build_bias
        if args is None or (nest.is_nested(args) and not args):
            raise ValueError("`args` must be specified")
        self._is_sequence = nest.is_nested(args)
        if not self._is_sequence:
            args = [args]
        total_arg_size = 0
        shapes = [a.get_shape() for a in args]
        for s in shapes:
            if s.ndims != 2:
                raise ValueError(f"linear is expecting 2D arguments: {shapes}")
            if s.dims[1].value is None:
                raise ValueError(
                    f"linear expects shape[1] to be provided for shape {s}, but saw None"
                )
            total_arg_size += s.dims[1].value
        dtype = args[0].dtype
        scope = get_variable_scope()
        with variable_scope(scope) as outer_scope:
            self._weights = get_variable("kernel", [total_arg_size, output_size], dtype=dtype,
                                         initializer=kernel_initializer)  # fmt: skip
            if build_bias:
                with variable_scope(outer_scope) as inner_scope:
                    inner_scope.set_partitioner(None)
                    if bias_initializer is None:
                        bias_initializer = Constant(0.0, dtype=dtype)
                    self._biases = get_variable("bias", [output_size], dtype=dtype,
                                                initializer=bias_initializer)  # fmt: skip

    def __call__(self, args: Any) -> Any:
        if not self._is_sequence:
            args = [args]
        if len(args) == 1:
            res = matmul(args[0], self._weights)
        else:
            res = matmul(concat(args, 1), self._weights)
        if self._build_bias:
            res = bias_add(res, self._biases)
        return res


class _CellWrapper(RNNCell):
    def __init__(self, cell: Any, reuse: Any = None) -> None:
        super().__init__(_reuse=reuse)
        assert_like_rnncell("cell", cell)
        self._cell = cell

    def _sub_cells(self) -> list[RNNCell]:
        return [self._cell] if isinstance(self._cell, RNNCell) else []

    @property
    def state_size(self) -> Any:
        return self._cell.state_size

    def zero_state(self, batch_size: Any, dtype: Any) -> Any:
        """The wrapped cell's zero state, under ``<Wrapper>ZeroState``."""
        with get_default_graph().name_scope(type(self).__name__ + "ZeroState"):
            return self._cell.zero_state(batch_size, dtype)


class OutputProjectionWrapper(_CellWrapper):
    """Projects the cell's output to ``output_size`` (``kernel``, ``bias`` in its scope).

    >>> import scopeflow.contrib.rnn as contrib_rnn
    >>> import scopeflow.compat.v1 as tf
    >>> cell = contrib_rnn.OutputProjectionWrapper(tf.nn.rnn_cell.GRUCell(3), 5)
    >>> out, _ = cell(tf.zeros([2, 4]), cell.zero_state(2, tf.float32))
    >>> print(out.shape, tf.global_variables()[-1].name)
    (2, 5) output_projection_wrapper/bias:0
    """

    def __init__(self, cell: Any, output_size: int, activation: Any = None,
                 reuse: Any = None) -> None:  # fmt: skip
        super().__init__(cell, reuse)
        if output_size < 1:
            raise ValueError(f"Parameter output_size must be > 0: {output_size}.")
        self._output_size = output_size
        self._activation = activation
        self._linear: Linear | None = None

    @property
    def output_size(self) -> int:
        return self._output_size

    def call(self, inputs: Any, state: Any) -> Any:
        """The cell step, then the projection."""
        output, res_state = self._cell(inputs, state)
        if self._linear is None:
            self._linear = Linear(output, self._output_size, True)
        projected = self._linear(output)
        if self._activation:
            projected = self._activation(projected)
        return projected, res_state


class InputProjectionWrapper(_CellWrapper):
    """Projects the inputs to ``num_proj`` before the cell (``kernel``, ``bias`` in its scope).

    >>> import scopeflow.contrib.rnn as contrib_rnn
    >>> import scopeflow.compat.v1 as tf
    >>> cell = contrib_rnn.InputProjectionWrapper(tf.nn.rnn_cell.GRUCell(3), 2)
    >>> out, _ = cell(tf.zeros([2, 4]), cell.zero_state(2, tf.float32))
    >>> print(tf.global_variables()[0].name, tf.global_variables()[0].shape)
    input_projection_wrapper/kernel:0 (4, 2)
    """

    def __init__(self, cell: Any, num_proj: int, activation: Any = None, input_size: Any = None,
                 reuse: Any = None) -> None:  # fmt: skip
        super().__init__(cell, reuse)
        self._num_proj = num_proj
        self._activation = activation
        self._linear: Linear | None = None

    @property
    def output_size(self) -> Any:
        return self._cell.output_size

    def call(self, inputs: Any, state: Any) -> Any:
        """The projection, then the cell step."""
        if self._linear is None:
            self._linear = Linear(inputs, self._num_proj, True)
        projected = self._linear(inputs)
        if self._activation:
            projected = self._activation(projected)
        return self._cell(projected, state)


class EmbeddingWrapper(_CellWrapper):
    """Embeds integer inputs (``embedding`` ``[classes, size]``) before the cell.

    >>> import scopeflow.contrib.rnn as contrib_rnn
    >>> import scopeflow.compat.v1 as tf
    >>> cell = contrib_rnn.EmbeddingWrapper(tf.nn.rnn_cell.GRUCell(3), 10, 4)
    >>> out, _ = cell(tf.zeros([2], tf.int32), cell.zero_state(2, tf.float32))
    >>> print(tf.global_variables()[0].name)
    embedding_wrapper/embedding:0
    """

    def __init__(self, cell: Any, embedding_classes: int, embedding_size: int,
                 initializer: Any = None, reuse: Any = None) -> None:  # fmt: skip
        super().__init__(cell, reuse)
        if embedding_classes <= 0 or embedding_size <= 0:
            raise ValueError(
                "Both embedding_classes and embedding_size must be > 0: "
                f"{embedding_classes}, {embedding_size}."
            )
        self._embedding_classes = embedding_classes
        self._embedding_size = embedding_size
        self._initializer = initializer

    @property
    def output_size(self) -> Any:
        return self._cell.output_size

    def call(self, inputs: Any, state: Any) -> Any:
        """Looks the inputs up, then runs the cell."""
        with get_default_graph().device("/cpu:0"):
            if self._initializer:
                initializer = self._initializer
            elif get_variable_scope().initializer:
                initializer = get_variable_scope().initializer
            else:
                sqrt3 = math.sqrt(3)
                initializer = RandomUniform(-sqrt3, sqrt3)
            data_type = state[0].dtype if isinstance(state, tuple) else state.dtype
            embedding = get_variable("embedding",
                                     [self._embedding_classes, self._embedding_size],
                                     initializer=initializer, dtype=data_type)  # fmt: skip
            embedded = embedding_lookup(embedding, reshape(inputs, [-1]))
            return self._cell(embedded, state)


class AttentionCellWrapper(_CellWrapper):
    """Attention over the last ``attn_length`` outputs (Cheng et al., 2016; TF 1.15 contrib).

    State: ``(cell_state, attns, attn_states)`` (concatenated without ``state_is_tuple``).

    >>> import scopeflow.contrib.rnn as contrib_rnn
    >>> import scopeflow.compat.v1 as tf
    >>> cell = contrib_rnn.AttentionCellWrapper(tf.nn.rnn_cell.GRUCell(3), 4)
    >>> out, st = cell(tf.zeros([2, 5]), cell.zero_state(2, tf.float32))
    >>> print(out.shape, st[2].shape)
    (2, 3) (2, 12)
    """

    def __init__(self, cell: Any, attn_length: int, attn_size: int | None = None,
                 attn_vec_size: int | None = None, input_size: int | None = None,
                 state_is_tuple: bool = True, reuse: Any = None) -> None:  # fmt: skip
        super().__init__(cell, reuse)
        if nest.is_nested(cell.state_size) and not state_is_tuple:
            raise ValueError(
                "Cell returns tuple of states, but the flag state_is_tuple is not set. State "
                f"size is: {cell.state_size}"
            )
        if attn_length <= 0:
            raise ValueError(f"attn_length should be greater than zero, got {attn_length}")
        if attn_size is None:
            attn_size = cell.output_size
        if attn_vec_size is None:
            attn_vec_size = attn_size
        self._state_is_tuple = state_is_tuple
        self._attn_vec_size = attn_vec_size
        self._input_size = input_size
        self._attn_size = attn_size
        self._attn_length = attn_length
        self._linear1: Linear | None = None
        self._linear2: Linear | None = None
        self._linear3: Linear | None = None

    zero_state = RNNCell.zero_state  # the full (cell, attns, attn_states) state, as TF

    @property
    def state_size(self) -> Any:
        size = (self._cell.state_size, self._attn_size, self._attn_size * self._attn_length)
        return size if self._state_is_tuple else sum(list(size))

    @property
    def output_size(self) -> Any:
        return self._attn_size

    def call(self, inputs: Any, state: Any) -> Any:
        """LSTM cell with attention (LSTMA)."""
        if self._state_is_tuple:
            state, attns, attn_states = state
        else:
            states = state
            cs = self._cell.state_size
            state = slice(states, [0, 0], [-1, cs])
            attns = slice(states, [0, cs], [-1, self._attn_size])
            attn_states = slice(states, [0, cs + self._attn_size],
                                [-1, self._attn_size * self._attn_length])  # fmt: skip
        attn_states = reshape(attn_states, [-1, self._attn_length, self._attn_size])
        input_size = self._input_size
        if input_size is None:
            input_size = inputs.get_shape().as_list()[1]
        if self._linear1 is None:
            self._linear1 = Linear([inputs, attns], input_size, True)
        inputs = self._linear1([inputs, attns])
        cell_output, new_state = self._cell(inputs, state)
        new_state_cat = concat(nest.flatten(new_state), 1) if self._state_is_tuple else new_state
        new_attns, new_attn_states = self._attention(new_state_cat, attn_states)
        with variable_scope("attn_output_projection"):
            if self._linear2 is None:
                self._linear2 = Linear([cell_output, new_attns], self._attn_size, True)
            output = self._linear2([cell_output, new_attns])
        new_attn_states = concat([new_attn_states, expand_dims(output, 1)], 1)
        new_attn_states = reshape(new_attn_states, [-1, self._attn_length * self._attn_size])
        new = (new_state, new_attns, new_attn_states)
        return output, (new if self._state_is_tuple else concat(list(new), 1))

    def _attention(self, query: Any, attn_states: Any) -> Any:
        with variable_scope("attention"):
            k = get_variable("attn_w", [1, 1, self._attn_size, self._attn_vec_size])
            v = get_variable("attn_v", [self._attn_vec_size])
            hidden = reshape(attn_states, [-1, self._attn_length, 1, self._attn_size])
            hidden_features = conv2d(hidden, k, [1, 1, 1, 1], "SAME")
            if self._linear3 is None:
                self._linear3 = Linear(query, self._attn_vec_size, True)
            y = self._linear3(query)
            y = reshape(y, [-1, 1, 1, self._attn_vec_size])
            s = reduce_sum(v * tanh(hidden_features + y), [2, 3])
            a = softmax(s)
            d = reduce_sum(reshape(a, [-1, self._attn_length, 1, 1]) * hidden, [1, 2])
            new_attns = reshape(d, [-1, self._attn_size])
            new_attn_states = slice(attn_states, [0, 1, 0], [-1, -1, -1])
            return new_attns, new_attn_states


class LayerNormBasicLSTMCell(RNNCell):
    """LSTM with layer normalisation and recurrent dropout (TF 1.15 ``contrib.rnn``).

    Variables: ``kernel`` ``[input + units, 4 * units]`` (``bias`` only without layer norm) and
    ``gamma``/``beta`` under ``input``, ``transform``, ``forget``, ``output`` and ``state``.

    >>> import scopeflow.contrib.rnn as contrib_rnn
    >>> import scopeflow.compat.v1 as tf
    >>> cell = contrib_rnn.LayerNormBasicLSTMCell(3)
    >>> out, st = cell(tf.zeros([2, 4]), cell.zero_state(2, tf.float32))
    >>> for v in tf.global_variables()[:3]:
    ...     print(v.name)
    layer_norm_basic_lstm_cell/kernel:0
    layer_norm_basic_lstm_cell/input/gamma:0
    layer_norm_basic_lstm_cell/input/beta:0
    """

    def __init__(self, num_units: int, forget_bias: float = 1.0, input_size: Any = None,
                 activation: Any = tanh, layer_norm: bool = True, norm_gain: float = 1.0,
                 norm_shift: float = 0.0, dropout_keep_prob: Any = 1.0,
                 dropout_prob_seed: int | None = None, reuse: Any = None) -> None:  # fmt: skip
        super().__init__(_reuse=reuse)
        self._num_units = num_units
        self._activation = activation
        self._forget_bias = forget_bias
        self._keep_prob = dropout_keep_prob
        self._seed = dropout_prob_seed
        self._layer_norm = layer_norm
        self._norm_gain = norm_gain
        self._norm_shift = norm_shift

    @property
    def state_size(self) -> LSTMStateTuple:
        return LSTMStateTuple(self._num_units, self._num_units)

    @property
    def output_size(self) -> int:
        return self._num_units

    def _norm(self, inp: Any, scope: str, dtype: Any) -> Any:
        shape = inp.get_shape()[-1:]
        with variable_scope(scope):
            get_variable("gamma", shape=shape, initializer=Constant(self._norm_gain), dtype=dtype)
            get_variable("beta", shape=shape, initializer=Constant(self._norm_shift), dtype=dtype)
        with variable_scope(scope, reuse=True):
            beta = get_variable("beta", shape=shape, dtype=dtype)
            gamma = get_variable("gamma", shape=shape, dtype=dtype)
            mean, variance = moments(inp, [1], keep_dims=True)
            out = batch_normalization(inp, mean, variance, offset=beta, scale=gamma,
                                      variance_epsilon=1e-12)  # fmt: skip
            out.set_shape(inp.get_shape())
            return out

    def _linear(self, args: Any) -> Any:
        out_size = 4 * self._num_units
        proj_size = args.get_shape()[-1]
        dtype = args.dtype
        weights = get_variable("kernel", [proj_size, out_size], dtype=dtype)
        out = matmul(args, weights)
        if not self._layer_norm:
            bias = get_variable("bias", [out_size], dtype=dtype)
            out = bias_add(out, bias)
        return out

    def call(self, inputs: Any, state: Any) -> Any:
        """LSTM step with layer normalisation and recurrent dropout."""
        c, h = state
        args = concat([inputs, h], 1)
        cat = self._linear(args)
        dtype = args.dtype
        i, j, f, o = split(value=cat, num_or_size_splits=4, axis=1)
        if self._layer_norm:
            i = self._norm(i, "input", dtype)
            j = self._norm(j, "transform", dtype)
            f = self._norm(f, "forget", dtype)
            o = self._norm(o, "output", dtype)
        g = self._activation(j)
        if (not isinstance(self._keep_prob, float)) or self._keep_prob < 1:
            g = dropout(g, self._keep_prob, seed=self._seed)
        new_c = c * sigmoid(f + self._forget_bias) + sigmoid(i) * g
        if self._layer_norm:
            new_c = self._norm(new_c, "state", dtype)
        new_h = self._activation(new_c) * sigmoid(o)
        return new_h, LSTMStateTuple(new_c, new_h)


__all__ = [
    "AttentionCellWrapper",
    "EmbeddingWrapper",
    "InputProjectionWrapper",
    "LayerNormBasicLSTMCell",
    "Linear",
    "OutputProjectionWrapper",
]
