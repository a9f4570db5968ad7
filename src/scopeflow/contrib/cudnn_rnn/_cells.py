"""``CudnnCompatibleLSTMCell`` and ``CudnnCompatibleGRUCell`` (TF 1.15 ``contrib.cudnn_rnn``).

Platform-independent cells computing what ``CudnnLSTM``/``CudnnGRU`` compute, with the
variables the cuDNN layers' canonical checkpoints are saved under:

- ``CudnnCompatibleLSTMCell``: ``LSTMBlockCell`` with ``forget_bias=0``, no clipping or
  peepholes, named ``cudnn_compatible_lstm_cell`` (``kernel`` ``[input + units, 4 * units]`` in
  gate order ``i, c, f, o``; ``bias`` ``[4 * units]``).
- ``CudnnCompatibleGRUCell``: ``gates/kernel``, ``gates/bias`` (starts at 1.0),
  ``candidate/input_projection/{kernel,bias}`` and ``candidate/hidden_projection/{kernel,bias}``;
  the candidate is ``tanh(x W_h + b_Wh + r * (h R_h + b_Rh))`` -- the reset gate multiplies
  the recurrent matmul's result, where ``GRUCell`` multiplies its input.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from typing import Any

from scopeflow.contrib.rnn._block_cells import LSTMBlockCell, _describe_lstm_block
from scopeflow.ops.array_ops import concat
from scopeflow.ops.init_ops import Constant, Zeros
from scopeflow.ops.matmul_ops import matmul
from scopeflow.ops.nn_ops import bias_add
from scopeflow.ops.split_ops import split
from scopeflow.ops.unary_ops import sigmoid
from scopeflow.rnn import _fusion
from scopeflow.rnn._cells import GRUCell


class CudnnCompatibleLSTMCell(LSTMBlockCell):
    """``LSTMBlockCell`` with ``forget_bias=0`` under ``cudnn_compatible_lstm_cell``.

    >>> import scopeflow.compat.v1 as tf
    >>> from scopeflow.contrib.cudnn_rnn import CudnnCompatibleLSTMCell
    >>> cell = CudnnCompatibleLSTMCell(3)
    >>> h, _ = cell(tf.zeros([2, 4]), cell.zero_state(2, tf.float32))
    >>> print([v.name for v in cell.variables])
    ['cudnn_compatible_lstm_cell/kernel:0', 'cudnn_compatible_lstm_cell/bias:0']
    """

    def __init__(self, num_units: int, reuse: Any = None) -> None:
        super().__init__(num_units, forget_bias=0, cell_clip=None, use_peephole=False,
                         reuse=reuse, name="cudnn_compatible_lstm_cell")  # fmt: skip


class CudnnCompatibleGRUCell(GRUCell):
    """A GRU with cuDNN's candidate: ``tanh(x W_h + b_Wh + r * (h R_h + b_Rh))``.

    >>> import scopeflow.compat.v1 as tf
    >>> from scopeflow.contrib.cudnn_rnn import CudnnCompatibleGRUCell
    >>> cell = CudnnCompatibleGRUCell(3)
    >>> h, _ = cell(tf.zeros([2, 4]), cell.zero_state(2, tf.float32))
    >>> print([v.op.name for v in cell.variables][2:4])
    ['cudnn_compatible_gru_cell/candidate/input_projection/kernel', 'cudnn_compatible_gru_cell/candidate/hidden_projection/kernel']
    """  # noqa: E501

    def __init__(self, num_units: int, reuse: Any = None,
                 kernel_initializer: Any = None) -> None:  # fmt: skip
        super().__init__(num_units, activation=None, reuse=reuse,
                         kernel_initializer=kernel_initializer)  # fmt: skip

    def build(self, inputs_shape: Any) -> None:
        """Creates the gate and the two candidate projections' variables (TF's order)."""
        if inputs_shape.dims[1].value is None:
            raise ValueError(f"Expected inputs.shape[-1] to be known, saw shape: {inputs_shape}")
        input_depth = inputs_shape.dims[1].value
        n = self._num_units
        bias_init = self._bias_initializer
        self._gate_kernel = self.add_weight(
            "gates/kernel", shape=[input_depth + n, 2 * n], initializer=self._kernel_initializer
        )
        self._gate_bias = self.add_weight(
            "gates/bias", shape=[2 * n],
            initializer=bias_init if bias_init is not None else Constant(1.0, dtype=self._dtype),
        )  # fmt: skip
        self._candidate_input_kernel = self.add_weight(
            "candidate/input_projection/kernel", shape=[input_depth, n],
            initializer=self._kernel_initializer,
        )  # fmt: skip
        self._candidate_hidden_kernel = self.add_weight(
            "candidate/hidden_projection/kernel", shape=[n, n],
            initializer=self._kernel_initializer,
        )  # fmt: skip
        self._candidate_input_bias = self.add_weight(
            "candidate/input_projection/bias", shape=[n],
            initializer=bias_init if bias_init is not None else Zeros(dtype=self._dtype),
        )  # fmt: skip
        self._candidate_hidden_bias = self.add_weight(
            "candidate/hidden_projection/bias", shape=[n],
            initializer=bias_init if bias_init is not None else Zeros(dtype=self._dtype),
        )  # fmt: skip
        self.built = True

    def call(self, inputs: Any, state: Any) -> Any:
        """One step: ``(h, h)``."""
        gate_inputs = bias_add(matmul(concat([inputs, state], 1), self._gate_kernel),
                               self._gate_bias)  # fmt: skip
        value = sigmoid(gate_inputs)
        r, u = split(value=value, num_or_size_splits=2, axis=1)
        candidate = bias_add(matmul(inputs, self._candidate_input_kernel),
                             self._candidate_input_bias)  # fmt: skip
        candidate += r * bias_add(matmul(state, self._candidate_hidden_kernel),
                                  self._candidate_hidden_bias)  # fmt: skip
        candidate = self._activation(candidate)
        new_h = (1 - u) * candidate + u * state
        return new_h, new_h


def _describe_compatible_gru(cell: Any) -> Any:
    from scopeflow.ops.unary_ops import tanh  # noqa: PLC0415

    if cell._activation is not tanh:
        return None
    ws = [cell._gate_kernel, cell._gate_bias, cell._candidate_input_kernel,
          cell._candidate_hidden_kernel, cell._candidate_input_bias,
          cell._candidate_hidden_bias]  # fmt: skip
    return ("gru_cudnn", cell, ws)


# LSTMBlockCell's math with forget_bias 0, and torch.gru's math: dynamic_rnn may fuse both.
_fusion.register_fusable_cell(CudnnCompatibleLSTMCell, _describe_lstm_block)
_fusion.register_fusable_cell(CudnnCompatibleGRUCell, _describe_compatible_gru)


__all__ = ["CudnnCompatibleGRUCell", "CudnnCompatibleLSTMCell"]
