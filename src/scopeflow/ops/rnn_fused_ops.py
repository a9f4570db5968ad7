"""Fused run-time kernels for recurrent loops: a whole sequence of standard cells in torch.

``dynamic_rnn`` builds TF's ``while_loop`` graph; when the cell is a stack of standard cells it
marks the ``While`` op with a ``_fused_kernel`` factory from here. The ``While`` kernel then
computes all time steps at once from the loop's initial values, the time-major input, the
sequence lengths and the cells' variables (extra inputs appended to the op), writes the
per-step outputs into the output ``TensorArray`` and returns the loop's final values. Autograd
differentiates through the torch sequence kernels, so ``tf.gradients`` and optimizers work
unchanged.

Layer kinds and their TF math (weights stay in TF's layout; they are rearranged per run):

- ``lstm``: ``kernel`` ``[D+H, 4H]`` with gates ``i, j, f, o``, ``bias`` ``[4H]`` and
  ``forget_bias`` added to ``f``; computed by ``torch.lstm`` (gate order ``i, f, g, o``).
- ``rnn_tanh``/``rnn_relu``: ``kernel`` ``[D+H, H]``, ``bias`` ``[H]``; ``torch.rnn_tanh``/
  ``torch.rnn_relu``.
- ``gru``: TF's GRU (the reset gate multiplies the state *before* the candidate matmul, unlike
  ``torch.gru``), computed step by step with the input projections of all steps batched.
- ``gru_cudnn``: ``CudnnCompatibleGRUCell`` (``gates/kernel`` ``[D+H, 2H]``, ``gates/bias``,
  ``candidate/input_projection/kernel`` ``[D, H]``, ``candidate/hidden_projection/kernel``
  ``[H, H]`` and their biases; the reset gate multiplies the recurrent matmul's result), which
  is ``torch.gru``'s math: computed by it.

Sequence-length semantics are TF's: outputs past a row's length are zero and the final state
is the state at the row's length (a zero-length row keeps its initial state).

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch
from torch.nn.utils import rnn as torch_rnn

from scopeflow.graph.tensor import Operation


@dataclass(frozen=True)
class FusedLayer:
    """One layer of a fused stack: its kind, state layout and weight input positions."""

    kind: str  # "lstm", "gru", "gru_cudnn", "rnn_tanh", "rnn_relu"
    units: int
    forget_bias: float
    state_is_tuple: bool  # lstm: (c, h) as two tensors, else one [B, 2H] tensor (c then h)
    weights: tuple[int, ...]  # positions in the While op's inputs


@dataclass(frozen=True)
class FusedSpec:
    """Where a fused ``While`` op finds its operands, and the layers it computes."""

    layers: tuple[FusedLayer, ...]
    n_loop_vars: int
    n_flows: int
    x_index: int
    seq_len_index: int | None
    ta_handle_indices: tuple[int, ...]


def _lstm_params(kernel: torch.Tensor, bias: torch.Tensor, d: int, h: int,
                 forget_bias: float) -> list[torch.Tensor]:  # fmt: skip
    w = kernel.t()
    i, j, f, o = w.split(h, 0)
    w = torch.cat([i, f, j, o], 0)
    bi, bj, bf, bo = bias.split(h)
    b = torch.cat([bi, bf + forget_bias, bj, bo])
    return [w[:, :d], w[:, d:], b, torch.zeros_like(b)]


def _native_layer(kind: str, x: torch.Tensor, lengths: torch.Tensor | None, hx: Any,
                  params: list[torch.Tensor]) -> tuple[torch.Tensor, Any]:  # fmt: skip
    """One torch-native layer over ``x`` [T, B, D]; zero outputs past each length."""
    fn: Any = {"lstm": torch.lstm, "rnn_tanh": torch.rnn_tanh, "rnn_relu": torch.rnn_relu,
               "gru": torch.gru}[kind]  # fmt: skip
    is_lstm = kind == "lstm"
    if lengths is None:
        if is_lstm:
            out, hy, cy = fn(x, (hx[1][None], hx[0][None]), params, True, 1, 0.0, False, False,
                             False)  # fmt: skip
            return out, (cy[0], hy[0])
        out, hy = fn(x, hx[None], params, True, 1, 0.0, False, False, False)
        return out, hy[0]
    t_len = x.shape[0]
    packed = torch_rnn.pack_padded_sequence(x, lengths.clamp(min=1).cpu(), enforce_sorted=False)
    si, ui = packed.sorted_indices, packed.unsorted_indices
    if is_lstm:
        c0, h0 = hx
        data, hy, cy = fn(packed.data, packed.batch_sizes, (h0[si][None], c0[si][None]), params,
                          True, 1, 0.0, False, False)  # fmt: skip
        final: Any = (cy[0][ui], hy[0][ui])
    else:
        data, hy = fn(packed.data, packed.batch_sizes, hx[si][None], params, True, 1, 0.0,
                      False, False)  # fmt: skip
        final = hy[0][ui]
    out, _ = torch_rnn.pad_packed_sequence(
        torch_rnn.PackedSequence(data, packed.batch_sizes, si, ui), total_length=t_len
    )
    empty = lengths <= 0
    if bool(empty.any()):
        out = out.masked_fill(empty[None, :, None], 0.0)
        if is_lstm:
            pairs = zip(hx, final, strict=True)
            final = tuple(torch.where(empty[:, None], a, b) for a, b in pairs)
        else:
            final = torch.where(empty[:, None], hx, final)
    return out, final


def _gru_layer(x: torch.Tensor, lengths: torch.Tensor | None, h: torch.Tensor,
               gk: torch.Tensor, gb: torch.Tensor, ck: torch.Tensor,
               cb: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:  # fmt: skip
    """TF's GRUCell over ``x`` [T, B, D], step by step; input projections batched."""
    t_len, b, d = x.shape
    flat = x.reshape(t_len * b, d)
    xg = torch.addmm(gb, flat, gk[:d]).reshape(t_len, b, -1)
    xc = torch.addmm(cb, flat, ck[:d]).reshape(t_len, b, -1)
    hg, hc = gk[d:], ck[d:]
    outs = []
    for t in range(t_len):
        g = torch.sigmoid(xg[t] + h @ hg)
        r, u = g.chunk(2, 1)
        c = torch.tanh(xc[t] + (r * h) @ hc)
        new_h = u * h + (1 - u) * c
        if lengths is not None:
            m = (t < lengths)[:, None]
            outs.append(torch.where(m, new_h, torch.zeros_like(new_h)))
            h = torch.where(m, new_h, h)
        else:
            outs.append(new_h)
            h = new_h
    return torch.stack(outs), h


def run_stack(layers: tuple[FusedLayer, ...], x: torch.Tensor, lengths: torch.Tensor | None,
              states: list[Any], weights: list[list[torch.Tensor]]) -> tuple[torch.Tensor,
                                                                            list[Any]]:  # fmt: skip
    """The outputs [T, B, H] and per-layer final states of a fused stack over ``x``."""
    finals = []
    for layer, st, w in zip(layers, states, weights, strict=True):
        d = x.shape[-1]
        h = layer.units
        if layer.kind == "lstm":
            params = _lstm_params(w[0], w[1], d, h, layer.forget_bias)
            x, fin = _native_layer("lstm", x, lengths, st, params)
        elif layer.kind == "gru":
            x, fin = _gru_layer(x, lengths, st, *w)
        elif layer.kind == "gru_cudnn":
            gk, gb, ik, hk, ib, hb = w
            params = [torch.cat([gk[:d].t(), ik.t()]), torch.cat([gk[d:].t(), hk.t()]),
                      torch.cat([gb, ib]), torch.cat([torch.zeros_like(gb), hb])]  # fmt: skip
            x, fin = _native_layer("gru", x, lengths, st, params)
        else:
            params = [w[0][:d].t(), w[0][d:].t(), w[1], torch.zeros_like(w[1])]
            x, fin = _native_layer(layer.kind, x, lengths, st, params)
        finals.append(fin)
    return x, finals


def fused_while_kernel(spec: FusedSpec, op: Operation, session: Any) -> Any:
    """The run-time kernel of a ``While`` op marked as a fused RNN loop."""
    n = spec.n_loop_vars
    n_state_start = 2 + spec.n_flows

    def kernel(*args: Any) -> Any:
        x = args[spec.x_index]
        t_len = int(x.shape[0])
        lengths = None
        n_run = t_len
        if spec.seq_len_index is not None:
            lengths = args[spec.seq_len_index].to(torch.int64).clamp(min=0, max=t_len)
            n_run = min(t_len, max(1, int(lengths.max()))) if lengths.numel() else min(t_len, 1)
            if bool((lengths >= t_len).all()):
                lengths = None
        flat_states = list(args[n_state_start:n])
        states: list[Any] = []
        pos = 0
        for layer in spec.layers:
            if layer.kind == "lstm" and layer.state_is_tuple:
                states.append((flat_states[pos], flat_states[pos + 1]))
                pos += 2
            elif layer.kind == "lstm":
                s = flat_states[pos]
                states.append((s[:, : layer.units], s[:, layer.units :]))
                pos += 1
            else:
                states.append(flat_states[pos])
                pos += 1
        weights = [[args[i] for i in layer.weights] for layer in spec.layers]
        finals: list[Any]
        if t_len == 0:
            finals = states
            outs = None
        else:
            outs, finals = run_stack(spec.layers, x, lengths, states, weights)
        for k, i in enumerate(spec.ta_handle_indices):
            ta = args[i]
            if outs is not None and k == 0:
                # One ``unbind`` (a single autograd node) instead of ``n_run`` selects, whose
                # backward would each materialise a full-size zero gradient.
                for t, step in enumerate(outs.unbind(0)[:n_run]):
                    ta.items[t] = step
        flat_final: list[Any] = []
        for layer, fin in zip(spec.layers, finals, strict=True):
            if layer.kind == "lstm" and layer.state_is_tuple:
                flat_final.extend(fin)
            elif layer.kind == "lstm":
                flat_final.append(torch.cat(list(fin), 1))
            else:
                flat_final.append(fin)
        count = torch.tensor(n_run if t_len else 0, dtype=torch.int32)
        flows = [torch.zeros(()) for _ in range(spec.n_flows)]
        flat_final = [f.clone() if any(f is a for a in args) else f for f in flat_final]
        vals = [count, count.clone(), *flows, *flat_final]
        return tuple(vals) if n > 1 else vals[0]

    return kernel


__all__ = ["FusedLayer", "FusedSpec", "fused_while_kernel", "run_stack"]
