"""TF 1.15's core cells: ``BasicRNNCell``, ``GRUCell``, ``BasicLSTMCell``, ``LSTMCell``.

Variables, their names, shapes, creation order and initializers are TF's: a cell's ``kernel`` is
``[input_depth + h_depth, k * num_units]`` applied to ``concat([inputs, h], 1)``, LSTM gates are
split in TF's order ``i, j, f, o`` and ``forget_bias`` is added to ``f`` at every step; GRU gates
are ``r, u`` in ``gates/kernel`` and the candidate uses ``r * state``. TF checkpoints therefore
load unchanged.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import collections
from typing import Any

from scopeflow._core import dtypes
from scopeflow._core.partitioners import fixed_size_partitioner
from scopeflow.ops.activation_ops import relu
from scopeflow.ops.array_ops import concat, slice
from scopeflow.ops.clip_ops import clip_by_value
from scopeflow.ops.constant_op import constant
from scopeflow.ops.init_ops import Constant, Zeros
from scopeflow.ops.math_ops import add, multiply
from scopeflow.ops.matmul_ops import matmul
from scopeflow.ops.nn_ops import bias_add
from scopeflow.ops.split_ops import split
from scopeflow.ops.unary_ops import sigmoid, tanh
from scopeflow.rnn._cell_base import (
    RNNCell,
    check_rnn_cell_input_dtypes,
    check_supported_dtypes,
    shape_tuple,
)

_WEIGHTS_VARIABLE_NAME = "kernel"
_BIAS_VARIABLE_NAME = "bias"

_ACTIVATIONS = {"tanh": tanh, "sigmoid": sigmoid, "relu": relu}


def get_activation(activation: Any) -> Any:
    """``activation`` as a callable: a callable, a Keras activation name, or None (tanh)."""
    if not activation:
        return tanh
    if isinstance(activation, str):
        try:
            return _ACTIVATIONS[activation]
        except KeyError:
            raise ValueError(f"Unknown activation function: {activation}") from None
    return activation


def _input_depth(input_shape: Any) -> int:
    dims = shape_tuple(input_shape)
    if not dims or dims[-1] is None:
        raise ValueError(f"Expected inputs.shape[-1] to be known, saw shape: {tuple(dims)}")
    return int(dims[-1])


class LayerRNNCell(RNNCell):
    """A cell whose variables are created by ``build`` (TF's ``LayerRNNCell``)."""

    _layer_style = True


class BasicRNNCell(LayerRNNCell):
    """The most basic RNN cell: ``output = new_state = act([inputs, state] @ kernel + bias)``.

    >>> import scopeflow.compat.v1 as tf
    >>> cell = tf.nn.rnn_cell.BasicRNNCell(3)
    >>> out, _ = cell(tf.zeros([2, 4]), cell.zero_state(2, tf.float32))
    >>> print([v.name for v in cell.variables])
    ['basic_rnn_cell/kernel:0', 'basic_rnn_cell/bias:0']
    """

    def __init__(self, num_units: int, activation: Any = None, reuse: Any = None,
                 name: str | None = None, dtype: Any = None, **kwargs: Any) -> None:  # fmt: skip
        super().__init__(_reuse=reuse, name=name, dtype=dtype, **kwargs)
        check_supported_dtypes(self._dtype)
        self._num_units = num_units
        self._activation = get_activation(activation)

    @property
    def state_size(self) -> int:
        return self._num_units

    @property
    def output_size(self) -> int:
        return self._num_units

    def build(self, inputs_shape: Any) -> None:
        """Creates ``kernel`` ``[input_depth + units, units]`` and ``bias`` ``[units]``."""
        input_depth = _input_depth(inputs_shape)
        check_supported_dtypes(self._dtype)
        self._kernel = self.add_weight(
            _WEIGHTS_VARIABLE_NAME, shape=[input_depth + self._num_units, self._num_units]
        )
        self._bias = self.add_weight(
            _BIAS_VARIABLE_NAME, shape=[self._num_units], initializer=Zeros(dtype=self._dtype)
        )
        self.built = True

    def call(self, inputs: Any, state: Any) -> Any:
        """``output = new_state = act(W * input + U * state + B)``."""
        check_rnn_cell_input_dtypes([inputs, state])
        gate_inputs = matmul(concat([inputs, state], 1), self._kernel)
        gate_inputs = bias_add(gate_inputs, self._bias)
        output = self._activation(gate_inputs)
        return output, output


class GRUCell(LayerRNNCell):
    """Gated Recurrent Unit cell (Cho et al., 2014) in TF 1.15's formulation.

    ``r, u = sigmoid([x, h] @ gates/kernel + gates/bias)``, ``c = act([x, r * h] @
    candidate/kernel + candidate/bias)``, ``h' = u * h + (1 - u) * c``; ``gates/bias`` starts
    at 1.0.

    >>> import scopeflow.compat.v1 as tf
    >>> cell = tf.nn.rnn_cell.GRUCell(3)
    >>> out, _ = cell(tf.zeros([2, 4]), cell.zero_state(2, tf.float32))
    >>> print([v.name for v in cell.variables][:2])
    ['gru_cell/gates/kernel:0', 'gru_cell/gates/bias:0']
    """

    def __init__(self, num_units: int, activation: Any = None, reuse: Any = None,
                 kernel_initializer: Any = None, bias_initializer: Any = None,
                 name: str | None = None, dtype: Any = None, **kwargs: Any) -> None:  # fmt: skip
        super().__init__(_reuse=reuse, name=name, dtype=dtype, **kwargs)
        check_supported_dtypes(self._dtype)
        self._num_units = num_units
        self._activation = get_activation(activation)
        self._kernel_initializer = kernel_initializer
        self._bias_initializer = bias_initializer

    @property
    def state_size(self) -> int:
        return self._num_units

    @property
    def output_size(self) -> int:
        return self._num_units

    def build(self, inputs_shape: Any) -> None:
        """Creates ``gates/{kernel,bias}`` and ``candidate/{kernel,bias}``."""
        input_depth = _input_depth(inputs_shape)
        check_supported_dtypes(self._dtype)
        n = self._num_units
        self._gate_kernel = self.add_weight(
            f"gates/{_WEIGHTS_VARIABLE_NAME}",
            shape=[input_depth + n, 2 * n],
            initializer=self._kernel_initializer,
        )
        self._gate_bias = self.add_weight(
            f"gates/{_BIAS_VARIABLE_NAME}",
            shape=[2 * n],
            initializer=(
                self._bias_initializer
                if self._bias_initializer is not None
                else Constant(1.0, dtype=self._dtype)
            ),
        )
        self._candidate_kernel = self.add_weight(
            f"candidate/{_WEIGHTS_VARIABLE_NAME}",
            shape=[input_depth + n, n],
            initializer=self._kernel_initializer,
        )
        self._candidate_bias = self.add_weight(
            f"candidate/{_BIAS_VARIABLE_NAME}",
            shape=[n],
            initializer=(
                self._bias_initializer
                if self._bias_initializer is not None
                else Zeros(dtype=self._dtype)
            ),
        )
        self.built = True

    def call(self, inputs: Any, state: Any) -> Any:
        """Gated recurrent unit (GRU) with ``num_units`` cells."""
        check_rnn_cell_input_dtypes([inputs, state])
        gate_inputs = matmul(concat([inputs, state], 1), self._gate_kernel)
        gate_inputs = bias_add(gate_inputs, self._gate_bias)
        value = sigmoid(gate_inputs)
        r, u = split(value=value, num_or_size_splits=2, axis=1)
        r_state = r * state
        candidate = matmul(concat([inputs, r_state], 1), self._candidate_kernel)
        candidate = bias_add(candidate, self._candidate_bias)
        c = self._activation(candidate)
        new_h = u * state + (1 - u) * c
        return new_h, new_h


_LSTMStateTuple = collections.namedtuple("LSTMStateTuple", ("c", "h"))  # type: ignore[name-match]


class LSTMStateTuple(_LSTMStateTuple):
    """``(c, h)``: the state of an LSTM cell with ``state_is_tuple=True``.

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.nn.rnn_cell.LSTMStateTuple(3, 4))
    LSTMStateTuple(c=3, h=4)
    """

    __slots__ = ()

    @property
    def dtype(self) -> Any:
        """The common dtype of ``c`` and ``h``."""
        (c, h) = self
        if c.dtype != h.dtype:
            raise TypeError(f"Inconsistent internal state: {c.dtype} vs {h.dtype}")
        return c.dtype


class BasicLSTMCell(LayerRNNCell):
    """Basic LSTM cell: no peepholes, clipping or projection (TF 1.15's ``BasicLSTMCell``).

    ``i, j, f, o = split([x, h] @ kernel + bias, 4)``; ``c' = c * sigmoid(f + forget_bias) +
    sigmoid(i) * act(j)``; ``h' = act(c') * sigmoid(o)``.

    >>> import scopeflow.compat.v1 as tf
    >>> cell = tf.nn.rnn_cell.BasicLSTMCell(3)
    >>> out, st = cell(tf.zeros([2, 4]), cell.zero_state(2, tf.float32))
    >>> print([v.shape.as_list() for v in cell.variables])
    [[7, 12], [12]]
    """

    def __init__(self, num_units: int, forget_bias: float = 1.0, state_is_tuple: bool = True,
                 activation: Any = None, reuse: Any = None, name: str | None = None,
                 dtype: Any = None, **kwargs: Any) -> None:  # fmt: skip
        super().__init__(_reuse=reuse, name=name, dtype=dtype, **kwargs)
        check_supported_dtypes(self._dtype)
        self._num_units = num_units
        self._forget_bias = forget_bias
        self._state_is_tuple = state_is_tuple
        self._activation = get_activation(activation)

    @property
    def state_size(self) -> Any:
        n = self._num_units
        return LSTMStateTuple(n, n) if self._state_is_tuple else 2 * n

    @property
    def output_size(self) -> int:
        return self._num_units

    def build(self, inputs_shape: Any) -> None:
        """Creates ``kernel`` ``[input_depth + units, 4 * units]`` and ``bias``."""
        input_depth = _input_depth(inputs_shape)
        check_supported_dtypes(self._dtype)
        h_depth = self._num_units
        self._kernel = self.add_weight(
            _WEIGHTS_VARIABLE_NAME, shape=[input_depth + h_depth, 4 * self._num_units]
        )
        self._bias = self.add_weight(
            _BIAS_VARIABLE_NAME,
            shape=[4 * self._num_units],
            initializer=Zeros(dtype=self._dtype),
        )
        self.built = True

    def call(self, inputs: Any, state: Any) -> Any:
        """One LSTM step: ``(new_h, new_state)``."""
        check_rnn_cell_input_dtypes([inputs, state])
        one = constant(1, dtype=dtypes.int32)
        if self._state_is_tuple:
            c, h = state
        else:
            c, h = split(value=state, num_or_size_splits=2, axis=one)
        gate_inputs = matmul(concat([inputs, h], 1), self._kernel)
        gate_inputs = bias_add(gate_inputs, self._bias)
        i, j, f, o = split(value=gate_inputs, num_or_size_splits=4, axis=one)
        forget_bias_tensor = constant(self._forget_bias, dtype=f.dtype)
        new_c = add(
            multiply(c, sigmoid(add(f, forget_bias_tensor))),
            multiply(sigmoid(i), self._activation(j)),
        )
        new_h = multiply(self._activation(new_c), sigmoid(o))
        new_state = LSTMStateTuple(new_c, new_h) if self._state_is_tuple else concat(
            [new_c, new_h], 1)  # fmt: skip
        return new_h, new_state


class LSTMCell(LayerRNNCell):
    """LSTM cell with optional peepholes, cell clipping and projection (TF 1.15's ``LSTMCell``).

    Peepholes add ``w_f_diag * c``/``w_i_diag * c`` to the f/i gates and ``w_o_diag * c'`` to
    o; ``cell_clip`` clips ``c'``; ``num_proj`` multiplies ``h'`` by ``projection/kernel``
    (clipped by ``proj_clip``). ``num_unit_shards``/``num_proj_shards`` partition the kernels.

    >>> import scopeflow.compat.v1 as tf
    >>> cell = tf.nn.rnn_cell.LSTMCell(4, use_peepholes=True, num_proj=2)
    >>> out, st = cell(tf.zeros([2, 3]), cell.zero_state(2, tf.float32))
    >>> print([v.name for v in cell.variables])  # doctest: +NORMALIZE_WHITESPACE
    ['lstm_cell/kernel:0', 'lstm_cell/bias:0', 'lstm_cell/w_f_diag:0', 'lstm_cell/w_i_diag:0',
     'lstm_cell/w_o_diag:0', 'lstm_cell/projection/kernel:0']
    """

    def __init__(self, num_units: int, use_peepholes: bool = False, cell_clip: Any = None,
                 initializer: Any = None, num_proj: int | None = None, proj_clip: Any = None,
                 num_unit_shards: int | None = None, num_proj_shards: int | None = None,
                 forget_bias: float = 1.0, state_is_tuple: bool = True, activation: Any = None,
                 reuse: Any = None, name: str | None = None, dtype: Any = None,
                 **kwargs: Any) -> None:  # fmt: skip
        super().__init__(_reuse=reuse, name=name, dtype=dtype, **kwargs)
        check_supported_dtypes(self._dtype)
        self._num_units = num_units
        self._use_peepholes = use_peepholes
        self._cell_clip = cell_clip
        self._initializer = initializer
        self._num_proj = num_proj
        self._proj_clip = proj_clip
        self._num_unit_shards = num_unit_shards
        self._num_proj_shards = num_proj_shards
        self._forget_bias = forget_bias
        self._state_is_tuple = state_is_tuple
        self._activation = get_activation(activation)
        if num_proj:
            self._state_size: Any = (
                LSTMStateTuple(num_units, num_proj) if state_is_tuple else num_units + num_proj
            )
            self._output_size = num_proj
        else:
            self._state_size = (
                LSTMStateTuple(num_units, num_units) if state_is_tuple else 2 * num_units
            )
            self._output_size = num_units

    @property
    def state_size(self) -> Any:
        return self._state_size

    @property
    def output_size(self) -> int:
        return self._output_size

    def build(self, inputs_shape: Any) -> None:
        """Creates ``kernel``, ``bias``, the peephole diagonals and ``projection/kernel``."""
        input_depth = _input_depth(inputs_shape)
        check_supported_dtypes(self._dtype)
        h_depth = self._num_units if self._num_proj is None else self._num_proj
        maybe_partitioner = (
            fixed_size_partitioner(self._num_unit_shards)
            if self._num_unit_shards is not None
            else None
        )
        self._kernel = self.add_weight(
            _WEIGHTS_VARIABLE_NAME,
            shape=[input_depth + h_depth, 4 * self._num_units],
            initializer=self._initializer,
            partitioner=maybe_partitioner,
        )
        self._bias = self.add_weight(
            _BIAS_VARIABLE_NAME, shape=[4 * self._num_units], initializer=Zeros(dtype=self._dtype)
        )
        if self._use_peepholes:
            self._w_f_diag = self.add_weight(
                "w_f_diag", shape=[self._num_units], initializer=self._initializer
            )
            self._w_i_diag = self.add_weight(
                "w_i_diag", shape=[self._num_units], initializer=self._initializer
            )
            self._w_o_diag = self.add_weight(
                "w_o_diag", shape=[self._num_units], initializer=self._initializer
            )
        if self._num_proj is not None:
            maybe_proj_partitioner = (
                fixed_size_partitioner(self._num_proj_shards)
                if self._num_proj_shards is not None
                else None
            )
            self._proj_kernel = self.add_weight(
                f"projection/{_WEIGHTS_VARIABLE_NAME}",
                shape=[self._num_units, self._num_proj],
                initializer=self._initializer,
                partitioner=maybe_proj_partitioner,
            )
        self.built = True

    def call(self, inputs: Any, state: Any) -> Any:
        """One LSTM step: ``(m, new_state)``."""
        check_rnn_cell_input_dtypes([inputs, state])
        num_proj = self._num_units if self._num_proj is None else self._num_proj
        if self._state_is_tuple:
            (c_prev, m_prev) = state
        else:
            c_prev = slice(state, [0, 0], [-1, self._num_units])
            m_prev = slice(state, [0, self._num_units], [-1, num_proj])
        input_size = inputs.get_shape().with_rank(2).dims[1].value
        if input_size is None:
            raise ValueError("Could not infer input size from inputs.get_shape()[-1]")
        lstm_matrix = matmul(concat([inputs, m_prev], 1), self._kernel)
        lstm_matrix = bias_add(lstm_matrix, self._bias)
        i, j, f, o = split(value=lstm_matrix, num_or_size_splits=4, axis=1)
        act = self._activation
        if self._use_peepholes:
            c = sigmoid(f + self._forget_bias + self._w_f_diag * c_prev) * c_prev + sigmoid(
                i + self._w_i_diag * c_prev
            ) * act(j)
        else:
            c = sigmoid(f + self._forget_bias) * c_prev + sigmoid(i) * act(j)
        if self._cell_clip is not None:
            c = clip_by_value(c, -self._cell_clip, self._cell_clip)
        m = sigmoid(o + self._w_o_diag * c) * act(c) if self._use_peepholes else sigmoid(o) * act(c)
        if self._num_proj is not None:
            m = matmul(m, self._proj_kernel)
            if self._proj_clip is not None:
                m = clip_by_value(m, -self._proj_clip, self._proj_clip)
        new_state = LSTMStateTuple(c, m) if self._state_is_tuple else concat([c, m], 1)
        return m, new_state


__all__ = [
    "BasicLSTMCell",
    "BasicRNNCell",
    "GRUCell",
    "LSTMCell",
    "LSTMStateTuple",
    "LayerRNNCell",
    "get_activation",
]
