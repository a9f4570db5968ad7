"""``tf.contrib.rnn`` block cells: ``LSTMBlockCell``, ``LSTMBlockFusedCell``, ``GRUBlockCell(V2)``.

TF 2.21 no longer ships these classes (only their raw ops), so they follow TF 1.15's
``tensorflow/contrib/rnn/python/ops/lstm_ops.py`` and ``gru_ops.py``: the same variable names
(``lstm_cell/kernel`` ... for ``LSTMBlockCell``, whose default name keeps checkpoints compatible
with ``LSTMCell``; ``lstm_fused_cell/kernel`` for the fused cell; ``gru_cell/w_c``, ``b_ru``,
``w_ru``, ``b_c`` for ``GRUBlockCell``, whose names TF swapped, and ``gates/...``,
``candidate/...`` for ``GRUBlockCellV2``) and the math of the ``LSTMBlockCell``, ``BlockLSTM`` and
``GRUBlockCell`` ops (``scopeflow.ops.rnn_block_ops``).

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from typing import Any

from scopeflow._core import dtypes
from scopeflow._core.variable_store import get_variable
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.ops.array_ops import concat, zeros
from scopeflow.ops.creation_ops import range as _range
from scopeflow.ops.creation_ops import sequence_mask
from scopeflow.ops.gather_scatter_ops import gather_nd
from scopeflow.ops.init_ops import Constant
from scopeflow.ops.math_ops import cast
from scopeflow.ops.reduction_ops import reduce_max
from scopeflow.ops.rnn_block_ops import block_lstm, gru_block_cell, lstm_block_cell
from scopeflow.ops.shape_ops import expand_dims, tile, transpose
from scopeflow.ops.split_ops import unstack
from scopeflow.rnn import _fusion
from scopeflow.rnn._cell_base import RNNCell
from scopeflow.rnn._cells import LayerRNNCell, LSTMStateTuple


class LSTMBlockCell(LayerRNNCell):
    """LSTM cell computed by one ``LSTMBlockCell`` op per step (TF 1.15 ``contrib.rnn``).

    Same variables and math as ``LSTMCell`` without projection (``use_peephole`` adds
    ``w_i_diag``, ``w_f_diag``, ``w_o_diag``); ``cell_clip`` clips the cell state.

    >>> import scopeflow.contrib.rnn as contrib_rnn
    >>> import scopeflow.compat.v1 as tf
    >>> cell = contrib_rnn.LSTMBlockCell(3)
    >>> h, st = cell(tf.zeros([2, 4]), cell.zero_state(2, tf.float32))
    >>> print(h.name, [v.name for v in cell.variables])
    lstm_cell/LSTMBlockCell:6 ['lstm_cell/kernel:0', 'lstm_cell/bias:0']
    """

    def __init__(self, num_units: int, forget_bias: float = 1.0, cell_clip: Any = None,
                 use_peephole: bool = False, dtype: Any = None, reuse: Any = None,
                 name: str = "lstm_cell") -> None:  # fmt: skip
        super().__init__(_reuse=reuse, dtype=dtype, name=name)
        self._num_units = num_units
        self._forget_bias = forget_bias
        self._use_peephole = use_peephole
        self._cell_clip = cell_clip if cell_clip is not None else -1

    @property
    def state_size(self) -> LSTMStateTuple:
        return LSTMStateTuple(self._num_units, self._num_units)

    @property
    def output_size(self) -> int:
        return self._num_units

    def build(self, inputs_shape: Any) -> None:
        """Creates ``kernel``, ``bias`` and (with peepholes) the diagonal weights."""
        input_size = inputs_shape.dims[1].value
        if not input_size:
            raise ValueError(f"Expecting inputs_shape[1] to be set: {inputs_shape}")
        n = self._num_units
        self._kernel = self.add_weight("kernel", [input_size + n, n * 4])
        self._bias = self.add_weight("bias", [n * 4], initializer=Constant(0.0))
        if self._use_peephole:
            self._w_i_diag = self.add_weight("w_i_diag", [n])
            self._w_f_diag = self.add_weight("w_f_diag", [n])
            self._w_o_diag = self.add_weight("w_o_diag", [n])
        self.built = True

    def call(self, inputs: Any, state: Any) -> Any:
        """One step: ``(h, LSTMStateTuple(cs, h))``."""
        if len(state) != 2:
            raise ValueError("Expecting state to be a tuple with length 2.")
        if self._use_peephole:
            wci, wcf, wco = self._w_i_diag, self._w_f_diag, self._w_o_diag
        else:
            wci = wcf = wco = zeros([self._num_units], dtype=self._dtype)
        (cs_prev, h_prev) = state
        op = lstm_block_cell(inputs, cs_prev, h_prev, self._kernel, b=self._bias, wci=wci,
                             wcf=wcf, wco=wco, forget_bias=self._forget_bias,
                             cell_clip=self._cell_clip,
                             use_peephole=self._use_peephole)  # fmt: skip
        cs, h = op.outputs[1], op.outputs[6]
        return h, LSTMStateTuple(cs, h)


class LSTMBlockWrapper(RNNCell):
    """Runs an LSTM over a time-major sequence in one call (TF 1.15's ``LSTMBlockWrapper``).

    Called as ``cell(inputs, initial_state=None, dtype=None, sequence_length=None)`` with
    ``inputs`` ``[time, batch, depth]`` (or a list of ``[batch, depth]``); returns ``(outputs,
    LSTMStateTuple(c, h))``, outputs zero past ``sequence_length`` and the final state taken at
    each row's length.
    """

    _layer_style = True

    @property
    def num_units(self) -> int:
        """Number of units (output dimension)."""
        raise NotImplementedError

    @property
    def state_size(self) -> LSTMStateTuple:
        return LSTMStateTuple(self.num_units, self.num_units)

    @property
    def output_size(self) -> int:
        return self.num_units

    def _call_cell(self, inputs: Any, initial_cell_state: Any, initial_output: Any,
                   dtype: Any, sequence_length: Any) -> Any:  # fmt: skip
        raise NotImplementedError

    def __call__(  # type: ignore[override]
        self, inputs: Any, initial_state: Any = None, dtype: Any = None,
        sequence_length: Any = None, scope: Any = None,
    ) -> Any:  # fmt: skip
        return self._layer_call(inputs, initial_state, scope=scope, dtype=dtype,
                                sequence_length=sequence_length)  # fmt: skip

    def call(  # type: ignore[override]
        self, inputs: Any, initial_state: Any = None, dtype: Any = None,
        sequence_length: Any = None,
    ) -> Any:  # fmt: skip
        """The sequence run; see the class docstring."""
        is_list = isinstance(inputs, list)
        if is_list:
            from scopeflow.ops.array_ops import stack  # noqa: PLC0415

            inputs = stack(inputs)
        inputs = convert_to_tensor(inputs)
        inputs_shape = inputs.get_shape().with_rank(3)
        if not inputs_shape.dims[2].value:
            raise ValueError(f"Expecting inputs_shape[2] to be set: {inputs_shape}")
        from scopeflow.ops.array_ops import shape, stack  # noqa: PLC0415

        batch_size: Any = inputs_shape.dims[1].value
        if batch_size is None:
            batch_size = shape(inputs)[1]
        time_len: Any = inputs_shape.dims[0].value
        if time_len is None:
            time_len = shape(inputs)[0]
        if initial_state is None:
            if dtype is None:
                raise ValueError("Either initial_state or dtype needs to be specified")
            z = zeros(stack([batch_size, self.num_units]), dtype=dtype)
            initial_state = z, z
        else:
            if len(initial_state) != 2:
                raise ValueError("Expecting initial_state to be a tuple with length 2 or None")
            if dtype is None:
                dtype = initial_state[0].dtype
        if sequence_length is not None:
            sequence_length = convert_to_tensor(sequence_length)
        initial_cell_state, initial_output = initial_state
        cell_states, outputs = self._call_cell(inputs, initial_cell_state, initial_output,
                                               dtype, sequence_length)  # fmt: skip
        if sequence_length is not None:
            mask = transpose(sequence_mask(sequence_length, time_len, dtype=dtype), [1, 0])
            mask = tile(expand_dims(mask, [-1]), [1, 1, self.num_units])
            outputs *= mask
            mod_cell_states = concat([expand_dims(initial_cell_state, [0]), cell_states], 0)
            mod_outputs = concat([expand_dims(initial_output, [0]), outputs], 0)
            final_cell_state = self._gather_states(mod_cell_states, sequence_length, batch_size)
            final_output = self._gather_states(mod_outputs, sequence_length, batch_size)
        else:
            final_cell_state = cell_states[-1]
            final_output = outputs[-1]
        if is_list:
            outputs = unstack(outputs)
        return outputs, LSTMStateTuple(final_cell_state, final_output)

    def _gather_states(self, data: Any, indices: Any, batch_size: Any) -> Any:
        from scopeflow.ops.array_ops import stack  # noqa: PLC0415

        return gather_nd(data, stack([indices, _range(batch_size)], axis=1))


class LSTMBlockFusedCell(LSTMBlockWrapper):
    """A whole LSTM sequence in one ``BlockLSTM`` op (TF 1.15 ``contrib.rnn``).

    >>> import scopeflow.contrib.rnn as contrib_rnn
    >>> import scopeflow.compat.v1 as tf
    >>> cell = contrib_rnn.LSTMBlockFusedCell(3)
    >>> out, st = cell(tf.zeros([5, 2, 4]), dtype=tf.float32)
    >>> print(out.shape, [v.name for v in cell.variables])
    (5, 2, 3) ['lstm_fused_cell/kernel:0', 'lstm_fused_cell/bias:0']
    """

    def __init__(self, num_units: int, forget_bias: float = 1.0, cell_clip: Any = None,
                 use_peephole: bool = False, reuse: Any = None, dtype: Any = None,
                 name: str = "lstm_fused_cell") -> None:  # fmt: skip
        super().__init__(_reuse=reuse, name=name, dtype=dtype)
        self._num_units = num_units
        self._forget_bias = forget_bias
        self._cell_clip = cell_clip if cell_clip is not None else -1
        self._use_peephole = use_peephole

    @property
    def num_units(self) -> int:
        return self._num_units

    def build(self, input_shape: Any) -> None:
        """Creates ``kernel``, ``bias`` and (with peepholes) the diagonal weights."""
        input_size = input_shape.dims[2].value
        n = self._num_units
        self._kernel = self.add_weight("kernel", [input_size + n, n * 4])
        self._bias = self.add_weight("bias", [n * 4], initializer=Constant(0.0))
        if self._use_peephole:
            self._w_i_diag = self.add_weight("w_i_diag", [n])
            self._w_f_diag = self.add_weight("w_f_diag", [n])
            self._w_o_diag = self.add_weight("w_o_diag", [n])
        self.built = True

    def _call_cell(self, inputs: Any, initial_cell_state: Any = None,
                   initial_output: Any = None, dtype: Any = None,
                   sequence_length: Any = None) -> Any:  # fmt: skip
        from scopeflow.ops.array_ops import shape  # noqa: PLC0415

        inputs_shape = inputs.get_shape().with_rank(3)
        time_len: Any = inputs_shape.dims[0].value
        if time_len is None:
            time_len = shape(inputs)[0]
        if self._use_peephole:
            wci, wco, wcf = self._w_i_diag, self._w_o_diag, self._w_f_diag
        else:
            wci = wcf = wco = zeros([self._num_units], dtype=dtype)
        if sequence_length is None:
            max_seq_len = cast(time_len, dtypes.int64)
        else:
            max_seq_len = cast(reduce_max(sequence_length), dtypes.int64)
        op = block_lstm(seq_len_max=max_seq_len, x=inputs, cs_prev=initial_cell_state,
                        h_prev=initial_output, w=self._kernel, wci=wci, wcf=wcf, wco=wco,
                        b=self._bias, forget_bias=self._forget_bias, cell_clip=self._cell_clip,
                        use_peephole=self._use_peephole)  # fmt: skip
        return op.outputs[1], op.outputs[6]


class GRUBlockCell(LayerRNNCell):
    """GRU cell computed by one ``GRUBlockCell`` op per step (TF 1.15 ``contrib.rnn``).

    Variables are TF 1.15's (with TF's swapped names): ``w_c`` ``[input + units, 2 * units]``
    holds the gate kernel, ``b_ru`` (1.0) the gate bias, ``w_ru`` ``[input + units, units]`` the
    candidate kernel and ``b_c`` (0.0) the candidate bias.

    >>> import scopeflow.contrib.rnn as contrib_rnn
    >>> import scopeflow.compat.v1 as tf
    >>> cell = contrib_rnn.GRUBlockCell(3)
    >>> h, _ = cell(tf.zeros([2, 4]), cell.zero_state(2, tf.float32))
    >>> print([v.name for v in tf.global_variables()])
    ['gru_cell/w_c:0', 'gru_cell/b_ru:0', 'gru_cell/w_ru:0', 'gru_cell/b_c:0']
    """

    _names = ("w_c", "b_ru", "w_ru", "b_c")

    def __init__(self, num_units: int | None = None, cell_size: int | None = None,
                 reuse: Any = None, name: str = "gru_cell") -> None:  # fmt: skip
        super().__init__(_reuse=reuse, name=name)
        if (cell_size is None) == (num_units is None):
            raise ValueError("Exactly one of num_units or cell_size must be provided.")
        self._cell_size = num_units if num_units is not None else cell_size

    @property
    def state_size(self) -> int:
        return self._cell_size  # type: ignore[return-value]

    @property
    def output_size(self) -> int:
        return self._cell_size  # type: ignore[return-value]

    def _get(self, name: str, shape: list[int], init: Any = None) -> Any:
        return self._rnn_get_variable(get_variable, name, shape, initializer=init)

    def build(self, input_shape: Any) -> None:
        """Creates the gate and candidate kernels and biases with ``get_variable``."""
        input_size = input_shape.dims[1].value
        if input_size is None:
            raise ValueError("Expecting input_size to be set.")
        n = self._cell_size
        assert n is not None
        gk, gb, ck, cb = self._names
        self._gate_kernel = self._get(gk, [input_size + n, n * 2])
        self._gate_bias = self._get(gb, [n * 2], Constant(1.0))
        self._candidate_kernel = self._get(ck, [input_size + n, n])
        self._candidate_bias = self._get(cb, [n], Constant(0.0))
        self.built = True

    def call(self, inputs: Any, h_prev: Any) -> Any:  # type: ignore[override]
        """One GRU step: ``(h, h)``."""
        cell_size = h_prev.get_shape().with_rank(2).dims[1].value
        if cell_size != self._cell_size:
            raise ValueError(
                f"Shape of h_prev[1] incorrect: cell_size {self._cell_size} vs {cell_size}"
            )
        op = gru_block_cell(x=inputs, h_prev=h_prev, w_ru=self._gate_kernel,
                            w_c=self._candidate_kernel, b_ru=self._gate_bias,
                            b_c=self._candidate_bias)  # fmt: skip
        new_h = op.outputs[3]
        return new_h, new_h


class GRUBlockCellV2(GRUBlockCell):
    """``GRUBlockCell`` with ``GRUCell``'s variable names (``gates/kernel``, ``candidate/bias``...).

    >>> import scopeflow.contrib.rnn as contrib_rnn
    >>> import scopeflow.compat.v1 as tf
    >>> cell = contrib_rnn.GRUBlockCellV2(3)
    >>> h, _ = cell(tf.zeros([2, 4]), cell.zero_state(2, tf.float32))
    >>> print([v.name for v in tf.global_variables()][:2])
    ['gru_cell/gates/kernel:0', 'gru_cell/gates/bias:0']
    """

    _names = ("gates/kernel", "gates/bias", "candidate/kernel", "candidate/bias")


def _describe_lstm_block(cell: Any) -> Any:
    if cell._use_peephole or cell._cell_clip > 0 or not isinstance(cell._forget_bias,
                                                                     (int, float)):  # fmt: skip
        return None
    return ("lstm", cell, [cell._kernel, cell._bias])


def _describe_gru_block(cell: Any) -> Any:
    ws = [cell._gate_kernel, cell._gate_bias, cell._candidate_kernel, cell._candidate_bias]
    return ("gru", cell, ws)


# LSTMBlockCell/GRUBlockCell compute LSTMCell's/GRUCell's math on the same weight layout, so
# dynamic_rnn may run them through the fused kernel.
_fusion.register_fusable_cell(LSTMBlockCell, _describe_lstm_block)
_fusion.register_fusable_cell(GRUBlockCell, _describe_gru_block)
_fusion.register_fusable_cell(GRUBlockCellV2, _describe_gru_block)


__all__ = [
    "GRUBlockCell",
    "GRUBlockCellV2",
    "LSTMBlockCell",
    "LSTMBlockFusedCell",
    "LSTMBlockWrapper",
]
