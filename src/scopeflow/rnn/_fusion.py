"""Recognising standard cells in ``dynamic_rnn`` and marking its loop for the fused kernel.

A cell is fusable when it is exactly one of TF's standard cells with the default activation
and plain variables (no peepholes, clipping, projection, partitioning or custom getters that
replace variables by tensors), such a cell in a ``DropoutWrapper`` whose keep probabilities are
all 1.0 (which adds no op), or a ``MultiRNNCell`` of such cells; the input is a single
tensor of a floating dtype. The loop graph is built as usual; this module appends the time-major
input, the sequence lengths and the cells' variables to the ``While`` op's inputs and attaches
``scopeflow.ops.rnn_fused_ops.fused_while_kernel`` with the layer description.

``set_fused_enabled(False)`` turns recognition off (every loop runs step by step), which tests
use to compare the two paths.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.tensor import Tensor
from scopeflow.graph.variables import Variable
from scopeflow.ops import nest
from scopeflow.ops.activation_ops import relu
from scopeflow.ops.rnn_fused_ops import FusedLayer, FusedSpec, fused_while_kernel
from scopeflow.ops.unary_ops import tanh
from scopeflow.rnn._cells import BasicLSTMCell, BasicRNNCell, GRUCell, LSTMCell
from scopeflow.rnn._wrappers import DropoutWrapper, MultiRNNCell

_ENABLED = [True]


def set_fused_enabled(enabled: bool) -> bool:
    """Turns fused recognition on or off; returns the previous setting."""
    prev = _ENABLED[0]
    _ENABLED[0] = bool(enabled)
    return prev


def _plain(v: Any) -> bool:
    return isinstance(v, Variable)


def _is_identity_dropout(cell: Any) -> bool:
    """A ``DropoutWrapper`` whose keep probabilities are all the Python float 1.0 (a no-op)."""
    probs = (cell._input_keep_prob, cell._state_keep_prob, cell._output_keep_prob)
    return all(isinstance(p, float) and p == 1.0 for p in probs)


# Cell types of other libraries (``contrib.rnn`` block cells...) with the same math as a
# standard cell: type -> function(cell) giving (kind, cell, variables) or None.
_REGISTERED: dict[type, Callable[[Any], tuple[str, Any, list[Any]] | None]] = {}


def register_fusable_cell(cls: type, describe: Callable[[Any], Any]) -> None:
    """Lets ``dynamic_rnn`` fuse cells of exactly type ``cls``.

    ``describe(cell)`` returns ``(kind, cell, variables)`` -- kind ``"lstm"`` (variables
    ``[kernel, bias]`` in ``LSTMCell``'s layout; ``cell._forget_bias`` and ``_num_units``),
    ``"gru"`` (``GRUCell``'s ``[gates/kernel, gates/bias, candidate/kernel, candidate/bias]``),
    ``"rnn_tanh"``/``"rnn_relu"`` -- when the built cell computes exactly that, else None.
    """
    _REGISTERED[cls] = describe


def _layer_of(cell: Any) -> tuple[str, Any, list[Any]] | None:
    """(kind, cell, variables) for a fusable single cell, else None."""
    t = type(cell)
    if t is DropoutWrapper and _is_identity_dropout(cell):
        return _layer_of(cell.cell)
    if not cell.built:
        return None
    if t in _REGISTERED:
        part = _REGISTERED[t](cell)
        return part if part is not None and all(_plain(w) for w in part[2]) else None
    if t in (BasicLSTMCell, LSTMCell):
        if cell._activation is not tanh or not isinstance(cell._forget_bias, (int, float)):
            return None
        if t is LSTMCell and (
            cell._use_peepholes or cell._cell_clip is not None or cell._num_proj is not None
        ):
            return None
        ws = [cell._kernel, cell._bias]
        return ("lstm", cell, ws) if all(_plain(w) for w in ws) else None
    if t is GRUCell:
        if cell._activation is not tanh:
            return None
        ws = [cell._gate_kernel, cell._gate_bias, cell._candidate_kernel, cell._candidate_bias]
        return ("gru", cell, ws) if all(_plain(w) for w in ws) else None
    if t is BasicRNNCell:
        kind = {id(tanh): "rnn_tanh", id(relu): "rnn_relu"}.get(id(cell._activation))
        ws = [cell._kernel, cell._bias]
        return (kind, cell, ws) if kind and all(_plain(w) for w in ws) else None
    return None


def maybe_fuse(cell: Any, flat_input: list[Tensor], state: Any, sequence_length: Any,
               output_ta: Any, output_final_ta: Any, final_state: Any) -> bool:  # fmt: skip
    """Marks the ``while_loop`` of a ``dynamic_rnn`` over ``cell`` as fused, if it can be."""
    if not _ENABLED[0] or len(flat_input) != 1 or len(output_ta) != 1:
        return False
    x = flat_input[0]
    if not x.dtype.base_dtype.is_floating or x.shape.ndims != 3:
        return False
    if type(cell) is MultiRNNCell:
        if not cell._state_is_tuple:
            return False
        parts = [_layer_of(c) for c in cell._cells]
        if len({id(c) for c in cell._cells}) != len(cell._cells):
            return False
    else:
        parts = [_layer_of(cell)]
    if any(p is None for p in parts):
        return False
    exit_flow = output_final_ta[0].flow
    while_op = exit_flow.op._inputs[0].op
    if while_op.type != "While":
        return False
    n = len(while_op._attrs["T"])
    # Loop variables: (iteration counter, time, output flows, state...).
    n_state = len(nest.flatten(state))
    if n != 2 + len(output_ta) + n_state:
        return False
    inputs = list(while_op._inputs)
    handle_idx = [i for i, t in enumerate(inputs) if t is output_ta[0].handle]
    if not handle_idx:
        return False
    extra: list[Tensor] = [x]
    seq_idx = None
    if sequence_length is not None:
        seq_idx = len(inputs) + 1
        extra.append(sequence_length)
    layers = []
    for part in parts:
        assert part is not None
        kind, c, ws = part
        base = len(inputs) + len(extra)
        extra.extend(convert_to_tensor(w) for w in ws)
        layers.append(FusedLayer(
            kind=kind, units=int(getattr(c, "_num_units", None) or c._cell_size),
            forget_bias=float(getattr(c, "_forget_bias", 0.0)),
            state_is_tuple=bool(getattr(c, "_state_is_tuple", True)),
            weights=tuple(range(base, base + len(ws))),
        ))  # fmt: skip
    spec = FusedSpec(
        layers=tuple(layers),
        n_loop_vars=n,
        n_flows=len(output_ta),
        x_index=len(inputs),
        seq_len_index=seq_idx,
        ta_handle_indices=(handle_idx[0],),
    )
    while_op._inputs = (*inputs, *extra)
    while_op._attrs["_fused_kernel"] = functools.partial(fused_while_kernel, spec)
    return True


__all__ = ["maybe_fuse", "register_fusable_cell", "set_fused_enabled"]
