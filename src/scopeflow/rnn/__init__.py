"""TF 1.x recurrent networks: cells (``tf.nn.rnn_cell``) and drivers (``tf.nn.dynamic_rnn``...).

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from scopeflow.rnn._cell_base import RNNCell
from scopeflow.rnn._cells import (
    BasicLSTMCell,
    BasicRNNCell,
    GRUCell,
    LSTMCell,
    LSTMStateTuple,
)
from scopeflow.rnn._dynamic_rnn import bidirectional_dynamic_rnn, dynamic_rnn
from scopeflow.rnn._static_rnn import (
    raw_rnn,
    static_bidirectional_rnn,
    static_rnn,
    static_state_saving_rnn,
)
from scopeflow.rnn._wrappers import DeviceWrapper, DropoutWrapper, MultiRNNCell, ResidualWrapper

__all__ = [
    "BasicLSTMCell",
    "BasicRNNCell",
    "DeviceWrapper",
    "DropoutWrapper",
    "GRUCell",
    "LSTMCell",
    "LSTMStateTuple",
    "MultiRNNCell",
    "RNNCell",
    "ResidualWrapper",
    "bidirectional_dynamic_rnn",
    "dynamic_rnn",
    "raw_rnn",
    "static_bidirectional_rnn",
    "static_rnn",
    "static_state_saving_rnn",
]
