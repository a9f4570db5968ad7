"""``stack_bidirectional_dynamic_rnn`` and ``stack_bidirectional_rnn`` (TF 1.15 ``contrib.rnn``).

Layer ``i`` runs a bidirectional RNN under ``stack_bidirectional_rnn/cell_<i>/`` on the
concatenated forward and backward outputs of layer ``i - 1``.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from typing import Any

from scopeflow._core.variable_scope import variable_scope
from scopeflow.ops.array_ops import concat
from scopeflow.rnn._dynamic_rnn import bidirectional_dynamic_rnn
from scopeflow.rnn._static_rnn import static_bidirectional_rnn


def _check(cells_fw: Any, cells_bw: Any, initial_states_fw: Any, initial_states_bw: Any) -> None:
    if not cells_fw:
        raise ValueError("Must specify at least one fw cell for BidirectionalRNN.")
    if not cells_bw:
        raise ValueError("Must specify at least one bw cell for BidirectionalRNN.")
    if not isinstance(cells_fw, list):
        raise ValueError("cells_fw must be a list of RNNCells (one per layer).")
    if not isinstance(cells_bw, list):
        raise ValueError("cells_bw must be a list of RNNCells (one per layer).")
    if len(cells_fw) != len(cells_bw):
        raise ValueError("Forward and Backward cells must have the same depth.")
    if initial_states_fw is not None and (
        not isinstance(initial_states_fw, list) or len(initial_states_fw) != len(cells_fw)
    ):
        raise ValueError("initial_states_fw must be a list of state tensors (one per layer).")
    if initial_states_bw is not None and (
        not isinstance(initial_states_bw, list) or len(initial_states_bw) != len(cells_bw)
    ):
        raise ValueError("initial_states_bw must be a list of state tensors (one per layer).")


def stack_bidirectional_dynamic_rnn(cells_fw: Any, cells_bw: Any, inputs: Any,
                                    initial_states_fw: Any = None, initial_states_bw: Any = None,
                                    dtype: Any = None, sequence_length: Any = None,
                                    parallel_iterations: int | None = None,
                                    time_major: bool = False, scope: Any = None,
                                    swap_memory: bool = False) -> Any:  # fmt: skip
    """Stacked ``bidirectional_dynamic_rnn``; returns ``(outputs, states_fw, states_bw)``.

    >>> import scopeflow.contrib.rnn as contrib_rnn
    >>> import scopeflow.compat.v1 as tf
    >>> out, _, _ = contrib_rnn.stack_bidirectional_dynamic_rnn(
    ...     [tf.nn.rnn_cell.GRUCell(2)], [tf.nn.rnn_cell.GRUCell(2)], tf.zeros([1, 3, 4]),
    ...     dtype=tf.float32)
    >>> print(out.name)
    stack_bidirectional_rnn/cell_0/concat:0
    >>> print(tf.global_variables()[0].name)
    stack_bidirectional_rnn/cell_0/bidirectional_rnn/fw/gru_cell/gates/kernel:0
    """
    _check(cells_fw, cells_bw, initial_states_fw, initial_states_bw)
    states_fw, states_bw = [], []
    prev_layer = inputs
    with variable_scope(scope or "stack_bidirectional_rnn"):
        for i, (cell_fw, cell_bw) in enumerate(zip(cells_fw, cells_bw, strict=True)):
            ifw = initial_states_fw[i] if initial_states_fw else None
            ibw = initial_states_bw[i] if initial_states_bw else None
            with variable_scope(f"cell_{i}"):
                outputs, (state_fw, state_bw) = bidirectional_dynamic_rnn(
                    cell_fw, cell_bw, prev_layer, initial_state_fw=ifw, initial_state_bw=ibw,
                    sequence_length=sequence_length, parallel_iterations=parallel_iterations,
                    dtype=dtype, swap_memory=swap_memory, time_major=time_major,
                )  # fmt: skip
                prev_layer = concat(outputs, 2)
            states_fw.append(state_fw)
            states_bw.append(state_bw)
    return prev_layer, tuple(states_fw), tuple(states_bw)


def stack_bidirectional_rnn(cells_fw: Any, cells_bw: Any, inputs: Any,
                            initial_states_fw: Any = None, initial_states_bw: Any = None,
                            dtype: Any = None, sequence_length: Any = None,
                            scope: Any = None) -> Any:  # fmt: skip
    """Stacked ``static_bidirectional_rnn``; returns ``(outputs, states_fw, states_bw)``.

    >>> import scopeflow.contrib.rnn as contrib_rnn
    >>> print(callable(contrib_rnn.stack_bidirectional_rnn))
    True
    """
    _check(cells_fw, cells_bw, initial_states_fw, initial_states_bw)
    if not inputs:
        raise ValueError("inputs must not be empty")
    states_fw, states_bw = [], []
    prev_layer = inputs
    with variable_scope(scope or "stack_bidirectional_rnn"):
        for i, (cell_fw, cell_bw) in enumerate(zip(cells_fw, cells_bw, strict=True)):
            ifw = initial_states_fw[i] if initial_states_fw else None
            ibw = initial_states_bw[i] if initial_states_bw else None
            with variable_scope(f"cell_{i}") as cell_scope:
                prev_layer, state_fw, state_bw = static_bidirectional_rnn(
                    cell_fw, cell_bw, prev_layer, initial_state_fw=ifw, initial_state_bw=ibw,
                    sequence_length=sequence_length, dtype=dtype, scope=cell_scope,
                )  # fmt: skip
            states_fw.append(state_fw)
            states_bw.append(state_bw)
    return prev_layer, tuple(states_fw), tuple(states_bw)


__all__ = ["stack_bidirectional_dynamic_rnn", "stack_bidirectional_rnn"]
