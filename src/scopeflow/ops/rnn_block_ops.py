"""TF's block RNN ops: ``LSTMBlockCell``, ``BlockLSTM`` and ``GRUBlockCell``.

The kernels compute TF's equations (``tensorflow/core/kernels/rnn/lstm_ops.h``, ``gru_ops.h``)
with torch, so autograd differentiates them; every output TF defines is computed:

- ``LSTMBlockCell(x, cs_prev, h_prev, w, wci, wcf, wco, b)`` -> ``i, cs, f, o, ci, co, h``:
  ``[i, ci, f, o] = [x, h_prev] @ w + b``; ``i = sigmoid(i + cs_prev * wci)``, ``f =
  sigmoid(f + forget_bias + cs_prev * wcf)``, ``ci = tanh(ci)``, ``cs = ci * i + cs_prev * f``
  (clipped to ``cell_clip`` when > 0), ``o = sigmoid(o + cs * wco)``, ``co = tanh(cs)``,
  ``h = co * o``; the peephole terms only with ``use_peephole``.
- ``BlockLSTM(seq_len_max, x, ...)``: the same over ``x`` ``[T, B, D]``; steps from
  ``seq_len_max`` on are zero in every output.
- ``GRUBlockCell(x, h_prev, w_ru, w_c, b_ru, b_c)`` -> ``r, u, c, h``: ``r, u = sigmoid([x,
  h_prev] @ w_ru + b_ru)``, ``c = tanh([x, r * h_prev] @ w_c + b_c)``, ``h = (1 - u) * c + u *
  h_prev``.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

import torch

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Operation, Tensor


def _lstm_step(x: Any, cs_prev: Any, h_prev: Any, w: Any, wci: Any, wcf: Any, wco: Any,
               b: Any, forget_bias: float, cell_clip: float,
               use_peephole: bool) -> tuple[Any, ...]:  # fmt: skip
    icfo = torch.addmm(b, torch.cat([x, h_prev], 1), w)
    i_, ci_, f_, o_ = icfo.chunk(4, 1)
    if use_peephole:
        i_ = i_ + cs_prev * wci
        f_ = f_ + cs_prev * wcf
    i = torch.sigmoid(i_)
    f = torch.sigmoid(f_ + forget_bias)
    ci = torch.tanh(ci_)
    cs = ci * i + cs_prev * f
    if cell_clip > 0:
        cs = cs.clamp(-cell_clip, cell_clip)
    o = torch.sigmoid(o_ + cs * wco) if use_peephole else torch.sigmoid(o_)
    co = torch.tanh(cs)
    h = co * o
    return i, cs, f, o, ci, co, h


def _check_lstm_inputs(op_name: str, x: Tensor, cs_prev: Tensor, w: Tensor) -> int:
    h = cs_prev.shape.with_rank(2).as_list()[1]
    if w.shape.ndims == 2 and h is not None and w.shape.as_list()[1] not in (None, 4 * h):
        raise ValueError(f"{op_name}: w.dim_size(1) != cell_size * 4")
    return h  # type: ignore[return-value]


def lstm_block_cell(x: Any, cs_prev: Any, h_prev: Any, w: Any, wci: Any, wcf: Any, wco: Any,
                    b: Any, forget_bias: float = 1.0, cell_clip: float = 3.0,
                    use_peephole: bool = False, name: str | None = None) -> Operation:  # fmt: skip
    """One LSTM step as TF's ``LSTMBlockCell`` op; returns the op (7 outputs).

    >>> import scopeflow.compat.v1 as tf
    >>> from scopeflow.ops.rnn_block_ops import lstm_block_cell
    >>> z = tf.zeros([2, 3])
    >>> op = lstm_block_cell(tf.zeros([2, 4]), z, z, tf.zeros([7, 12]), tf.zeros([3]),
    ...                      tf.zeros([3]), tf.zeros([3]), tf.zeros([12]))
    >>> print(op.name, op.outputs[6].shape)
    LSTMBlockCell (2, 3)
    """
    g = get_default_graph()
    ts = [convert_to_tensor(v) for v in (x, cs_prev, h_prev, w, wci, wcf, wco, b)]
    h = _check_lstm_inputs("LSTMBlockCell", ts[0], ts[1], ts[3])
    dt = ts[0].dtype.base_dtype
    out_shape = TensorShape([ts[0].shape.with_rank(2).as_list()[0], h])
    attrs = {"forget_bias": float(forget_bias), "cell_clip": float(cell_clip),
             "use_peephole": bool(use_peephole), "T": dt}  # fmt: skip
    return g._create_op("LSTMBlockCell", ts, attrs, name or "LSTMBlockCell", [dt] * 7,
                        [out_shape] * 7)  # fmt: skip


@register_kernel("LSTMBlockCell")
def _lstm_block_cell_kernel(op: Operation, session: Any) -> Any:
    a = op._attrs

    def kernel(x: Any, cs_prev: Any, h_prev: Any, w: Any, wci: Any, wcf: Any, wco: Any,
               b: Any) -> Any:  # fmt: skip
        return _lstm_step(x, cs_prev, h_prev, w, wci, wcf, wco, b, a["forget_bias"],
                          a["cell_clip"], a["use_peephole"])  # fmt: skip

    return kernel


def block_lstm(seq_len_max: Any, x: Any, cs_prev: Any, h_prev: Any, w: Any, wci: Any,
               wcf: Any, wco: Any, b: Any, forget_bias: float = 1.0, cell_clip: float = 3.0,
               use_peephole: bool = False, name: str | None = None) -> Operation:  # fmt: skip
    """A whole LSTM sequence as TF's ``BlockLSTM`` op; returns the op (7 outputs ``[T, B, H]``).

    >>> import scopeflow.compat.v1 as tf
    >>> from scopeflow.ops.rnn_block_ops import block_lstm
    >>> z = tf.zeros([2, 3])
    >>> op = block_lstm(tf.constant(5, tf.int64), tf.zeros([5, 2, 4]), z, z, tf.zeros([7, 12]),
    ...                 tf.zeros([3]), tf.zeros([3]), tf.zeros([3]), tf.zeros([12]))
    >>> print(op.name, op.outputs[1].shape)
    BlockLSTM (5, 2, 3)
    """
    g = get_default_graph()
    ts = [convert_to_tensor(v) for v in (x, cs_prev, h_prev, w, wci, wcf, wco, b)]
    sl = convert_to_tensor(seq_len_max, dtype=dtypes.int64)
    h = _check_lstm_inputs("BlockLSTM", ts[0], ts[1], ts[3])
    dt = ts[0].dtype.base_dtype
    xs = ts[0].shape.with_rank(3)
    out_shape = TensorShape([xs.as_list()[0], xs.as_list()[1], h])
    attrs = {"forget_bias": float(forget_bias), "cell_clip": float(cell_clip),
             "use_peephole": bool(use_peephole), "T": dt}  # fmt: skip
    return g._create_op("BlockLSTM", (sl, *ts), attrs, name or "BlockLSTM", [dt] * 7,
                        [out_shape] * 7)  # fmt: skip


@register_kernel("BlockLSTM")
def _block_lstm_kernel(op: Operation, session: Any) -> Any:
    a = op._attrs

    def kernel(seq_len_max: Any, x: Any, cs_prev: Any, h_prev: Any, w: Any, wci: Any,
               wcf: Any, wco: Any, b: Any) -> Any:  # fmt: skip
        t_len = int(x.shape[0])
        n = max(0, min(t_len, int(seq_len_max)))
        steps: list[tuple[Any, ...]] = []
        cs, h = cs_prev, h_prev
        for t in range(n):
            out = _lstm_step(x[t], cs, h, w, wci, wcf, wco, b, a["forget_bias"],
                             a["cell_clip"], a["use_peephole"])  # fmt: skip
            cs, h = out[1], out[6]
            steps.append(out)
        zero = x.new_zeros((t_len - n, x.shape[1], cs_prev.shape[1]))
        result = []
        for k in range(7):
            parts = [s[k] for s in steps]
            stacked = torch.stack(parts) if parts else zero[:0]
            result.append(torch.cat([stacked, zero]) if t_len > n else stacked)
        return tuple(result)

    return kernel


def gru_block_cell(x: Any, h_prev: Any, w_ru: Any, w_c: Any, b_ru: Any, b_c: Any,
                   name: str | None = None) -> Operation:  # fmt: skip
    """One GRU step as TF's ``GRUBlockCell`` op; returns the op (outputs ``r, u, c, h``).

    >>> import scopeflow.compat.v1 as tf
    >>> from scopeflow.ops.rnn_block_ops import gru_block_cell
    >>> op = gru_block_cell(tf.zeros([2, 4]), tf.zeros([2, 3]), tf.zeros([7, 6]),
    ...                     tf.zeros([7, 3]), tf.zeros([6]), tf.zeros([3]))
    >>> print(op.name, op.outputs[3].shape)
    GRUBlockCell (2, 3)
    """
    g = get_default_graph()
    ts = [convert_to_tensor(v) for v in (x, h_prev, w_ru, w_c, b_ru, b_c)]
    dt = ts[0].dtype.base_dtype
    shp = TensorShape([ts[0].shape.with_rank(2).as_list()[0],
                       ts[1].shape.with_rank(2).as_list()[1]])  # fmt: skip
    return g._create_op("GRUBlockCell", ts, {"T": dt}, name or "GRUBlockCell", [dt] * 4,
                        [shp] * 4)  # fmt: skip


@register_kernel("GRUBlockCell")
def _gru_block_cell_kernel(op: Operation, session: Any) -> Any:
    def kernel(x: Any, h_prev: Any, w_ru: Any, w_c: Any, b_ru: Any, b_c: Any) -> Any:
        ru = torch.sigmoid(torch.addmm(b_ru, torch.cat([x, h_prev], 1), w_ru))
        r, u = ru.chunk(2, 1)
        c = torch.tanh(torch.addmm(b_c, torch.cat([x, r * h_prev], 1), w_c))
        h = (1 - u) * c + u * h_prev
        return r, u, c, h

    return kernel


__all__ = ["block_lstm", "gru_block_cell", "lstm_block_cell"]
