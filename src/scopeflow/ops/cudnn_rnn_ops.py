"""TF's cuDNN RNN ops computed on CPU (``CudnnRNN`` and the parameter conversions).

The ops are ``CudnnRNN``, ``CudnnRNNCanonicalToParams``, ``CudnnRNNParamsToCanonical`` and
``CudnnRNNParamsSize``. TF 1.15 ran these only on GPU (TF 2.21 still declares them, with no
CPU kernel). The math is cuDNN's (the equations of the cuDNN user guide that TF 1.15's
``CudnnCompatible*Cell``s reproduce), which is also what torch's ``lstm``/``gru``/``rnn_tanh``/
``rnn_relu`` kernels compute, gate for gate, so the kernels call those:

- LSTM, gates ``i, f, c, o``: ``g = W_g x + R_g h + b_Wg + b_Rg`` for each gate; ``c' =
  sigmoid(g_f) * c + sigmoid(g_i) * tanh(g_c)``; ``h' = sigmoid(g_o) * tanh(c')``.
- GRU, gates ``r, u, h``: ``r, u = sigmoid(W x + R h + b_W + b_R)``; ``h~ = tanh(W_h x + b_Wh
  + r * (R_h h + b_Rh))`` (the reset gate after the recurrent matmul); ``h' = (1 - u) * h~ + u *
  h``.
- RNN: ``h' = act(W x + R h + b_W + b_R)``.

The *canonical* parameters are TF's: per layer and direction, ``P`` weights (``P`` = 8, 6, 2;
input weights ``[num_units, input_width]`` first, then recurrent ``[num_units, num_units]``,
each in gate order) and ``P`` biases ``[num_units]``; lists ordered by layer, then direction
(forward, backward). The *opaque* buffer is a flat vector holding, for each layer and
direction in that order, its ``P`` weights (row-major) followed by its ``P`` biases -- the
layout of cuDNN's standard algorithm for ``linear_input``, which PyTorch's cuDNN path relies on
too. ``input_width`` is ``input_size`` for layer 0, ``num_units`` (``2 * num_units``
bidirectional) above.

``CudnnRNNV3`` (variable sequence lengths, batch-major) runs torch's packed-sequence kernels.

Differences from TensorFlow: ``input_mode="skip_input"`` (and ``auto_select`` resolving to
it) and dropout between layers while training (cuDNN's dropout random numbers cannot be
reproduced) raise ``UnsupportedError``; on GPU, TF's opaque layout is whatever the installed
cuDNN uses.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

import torch

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.errors import UnsupportedError
from scopeflow.graph._torch_dtypes import torch_dtype
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Operation, Tensor

CUDNN_RNN_UNIDIRECTION = "unidirectional"
CUDNN_RNN_BIDIRECTION = "bidirectional"
CUDNN_LSTM = "lstm"
CUDNN_GRU = "gru"
CUDNN_RNN_RELU = "rnn_relu"
CUDNN_RNN_TANH = "rnn_tanh"
CUDNN_INPUT_LINEAR_MODE = "linear_input"
CUDNN_INPUT_SKIP_MODE = "skip_input"
CUDNN_INPUT_AUTO_MODE = "auto_select"
PARAMS_PER_LAYER = {CUDNN_LSTM: 8, CUDNN_GRU: 6, CUDNN_RNN_TANH: 2, CUDNN_RNN_RELU: 2}


def check_rnn_mode(rnn_mode: str) -> None:
    """TF's ``ValueError`` for an unknown ``rnn_mode``."""
    if rnn_mode not in PARAMS_PER_LAYER:
        raise ValueError(
            f"Invalid rnn_mode: {rnn_mode}, expect one of ({CUDNN_LSTM}, {CUDNN_GRU}, "
            f"{CUDNN_RNN_TANH}, {CUDNN_RNN_RELU})"
        )


def check_direction(direction: str) -> None:
    """TF's ``ValueError`` for an unknown ``direction``."""
    if direction not in (CUDNN_RNN_UNIDIRECTION, CUDNN_RNN_BIDIRECTION):
        raise ValueError(
            f"Invalid direction: {direction}, expecting {CUDNN_RNN_UNIDIRECTION} or "
            f"{CUDNN_RNN_BIDIRECTION}"
        )


def check_input_mode(input_mode: str) -> None:
    """TF's ``ValueError`` for an unknown ``input_mode``."""
    if input_mode not in (CUDNN_INPUT_LINEAR_MODE, CUDNN_INPUT_SKIP_MODE, CUDNN_INPUT_AUTO_MODE):
        raise ValueError(
            f"Invalid input_mode: {input_mode}, expect one of ({CUDNN_INPUT_LINEAR_MODE}, "
            f"{CUDNN_INPUT_SKIP_MODE}, {CUDNN_INPUT_AUTO_MODE})"
        )


def check_supported_input_mode(input_mode: str, input_size: int | None, num_units: int) -> None:
    """Raises ``UnsupportedError`` when the first layer would skip its input projection."""
    if input_mode == CUDNN_INPUT_SKIP_MODE or (
        input_mode == CUDNN_INPUT_AUTO_MODE and input_size == num_units
    ):
        raise UnsupportedError(
            f"cudnn_rnn input_mode={input_mode!r} (skip_input: no first-layer input weights)",
            "Use input_mode='linear_input'.",
        )


def num_dirs(direction: str) -> int:
    """1 for ``unidirectional``, 2 for ``bidirectional``."""
    return 1 if direction == CUDNN_RNN_UNIDIRECTION else 2


def canonical_shapes(rnn_mode: str, num_layers: int, num_units: int, input_size: int,
                     direction: str) -> tuple[list[list[int]], list[list[int]]]:  # fmt: skip
    """TF's canonical weight and bias shapes, in TF's list order."""
    p = PARAMS_PER_LAYER[rnn_mode]
    d = num_dirs(direction)
    ws: list[list[int]] = []
    for layer in range(num_layers):
        width = input_size if layer == 0 else num_units * d
        per_dir = [[num_units, width]] * (p // 2) + [[num_units, num_units]] * (p // 2)
        ws += per_dir * d
    bs = [[num_units]] * (p * d * num_layers)
    return ws, bs


def opaque_params_size(rnn_mode: str, num_layers: int, num_units: int, input_size: int,
                       direction: str) -> int:  # fmt: skip
    """Number of elements of the opaque buffer."""
    ws, bs = canonical_shapes(rnn_mode, num_layers, num_units, input_size, direction)
    return sum(a * b for a, b in ws) + sum(b[0] for b in bs)


def _ints(*ts: Any) -> list[Tensor]:
    return [convert_to_tensor(t, dtype=dtypes.int32) for t in ts]


def _attrs(rnn_mode: str, input_mode: str, direction: str, dropout: float, seed: int,
           seed2: int) -> dict[str, Any]:  # fmt: skip
    check_rnn_mode(rnn_mode)
    check_direction(direction)
    check_input_mode(input_mode)
    return {"rnn_mode": rnn_mode, "input_mode": input_mode, "direction": direction,
            "dropout": float(dropout), "seed": int(seed), "seed2": int(seed2)}  # fmt: skip


def cudnn_rnn_canonical_to_params(num_layers: Any, num_units: Any, input_size: Any,
                                  weights: Any, biases: Any, rnn_mode: str = CUDNN_LSTM,
                                  input_mode: str = CUDNN_INPUT_LINEAR_MODE,
                                  direction: str = CUDNN_RNN_UNIDIRECTION, dropout: float = 0.0,
                                  seed: int = 0, seed2: int = 0,
                                  name: str | None = None) -> Tensor:  # fmt: skip
    """TF's ``CudnnRNNCanonicalToParams``: canonical weights and biases -> opaque buffer.

    >>> import scopeflow.compat.v1 as tf
    >>> from scopeflow.ops.cudnn_rnn_ops import cudnn_rnn_canonical_to_params
    >>> p = cudnn_rnn_canonical_to_params(1, 2, 3, [tf.zeros([2, 3]), tf.zeros([2, 2])],
    ...                                   [tf.ones([2]), tf.ones([2])], rnn_mode="rnn_tanh")
    >>> print(p.op.type, p.shape)
    CudnnRNNCanonicalToParams (?,)
    """
    ws = [convert_to_tensor(w) for w in weights]
    dt = ws[0].dtype.base_dtype
    bs = [convert_to_tensor(b, dtype=dt) for b in biases]
    attrs = _attrs(rnn_mode, input_mode, direction, dropout, seed, seed2)
    attrs.update({"T": dt, "num_params": len(ws)})
    op = get_default_graph()._create_op(
        "CudnnRNNCanonicalToParams", [*_ints(num_layers, num_units, input_size), *ws, *bs],
        attrs, name or "CudnnRNNCanonicalToParams", [dt], [TensorShape([None])],
    )  # fmt: skip
    return op.outputs[0]


@register_kernel("CudnnRNNCanonicalToParams")
def _canonical_to_params_kernel(op: Operation, session: Any) -> Any:
    a = op._attrs
    n = a["num_params"]
    p = PARAMS_PER_LAYER[a["rnn_mode"]]

    def kernel(num_layers: Any, num_units: Any, input_size: Any, *wb: Any) -> Any:
        check_supported_input_mode(a["input_mode"], int(input_size), int(num_units))
        ws, bs = wb[:n], wb[n:]
        ws_shapes, _ = canonical_shapes(a["rnn_mode"], int(num_layers), int(num_units),
                                        int(input_size), a["direction"])  # fmt: skip
        if len(ws) != len(ws_shapes) or len(bs) != len(ws_shapes):
            raise ValueError(
                f"CudnnRNNCanonicalToParams: expected {len(ws_shapes)} weights and biases, "
                f"got {len(ws)} and {len(bs)}"
            )
        parts = []
        for k in range(len(ws) // p):
            for w, shp in zip(ws[k * p : (k + 1) * p], ws_shapes[k * p : (k + 1) * p],
                              strict=True):  # fmt: skip
                if w.numel() != shp[0] * shp[1]:
                    raise ValueError(
                        f"CudnnRNNCanonicalToParams: weight of {w.numel()} elements where "
                        f"{shp} was expected"
                    )
                parts.append(w.reshape(-1))
            parts += [b.reshape(-1) for b in bs[k * p : (k + 1) * p]]
        return torch.cat(parts)

    return kernel


def cudnn_rnn_params_to_canonical(num_layers: Any, num_units: Any, input_size: Any,
                                  params: Any, num_params: int, rnn_mode: str = CUDNN_LSTM,
                                  input_mode: str = CUDNN_INPUT_LINEAR_MODE,
                                  direction: str = CUDNN_RNN_UNIDIRECTION, dropout: float = 0.0,
                                  seed: int = 0, seed2: int = 0,
                                  name: str | None = None) -> Any:  # fmt: skip
    """TF's ``CudnnRNNParamsToCanonical``: opaque buffer -> (weights, biases).

    Weights come out 2-D (``[num_units, width]``), biases 1-D, when the sizes are Python ints.
    """
    pt = convert_to_tensor(params)
    dt = pt.dtype.base_dtype
    attrs = _attrs(rnn_mode, input_mode, direction, dropout, seed, seed2)
    attrs.update({"T": dt, "num_params": int(num_params)})
    static = [x if isinstance(x, int) else None for x in (num_layers, num_units, input_size)]
    if None in static:
        w_shapes = [TensorShape([None, None])] * num_params
        b_shapes = [TensorShape([None])] * num_params
    else:
        ws, bs = canonical_shapes(rnn_mode, static[0], static[1], static[2], direction)  # type: ignore[arg-type]
        w_shapes = [TensorShape(s) for s in ws]
        b_shapes = [TensorShape(s) for s in bs]
    op = get_default_graph()._create_op(
        "CudnnRNNParamsToCanonical", [*_ints(num_layers, num_units, input_size), pt], attrs,
        name or "CudnnRNNParamsToCanonical", [dt] * (2 * num_params), w_shapes + b_shapes,
    )  # fmt: skip
    outs = list(op.outputs)
    return outs[:num_params], outs[num_params:]


@register_kernel("CudnnRNNParamsToCanonical")
def _params_to_canonical_kernel(op: Operation, session: Any) -> Any:
    a = op._attrs
    p = PARAMS_PER_LAYER[a["rnn_mode"]]

    def kernel(num_layers: Any, num_units: Any, input_size: Any, params: Any) -> Any:
        check_supported_input_mode(a["input_mode"], int(input_size), int(num_units))
        ws_shapes, _ = canonical_shapes(a["rnn_mode"], int(num_layers), int(num_units),
                                        int(input_size), a["direction"])  # fmt: skip
        h = int(num_units)
        expected = sum(x * y for x, y in ws_shapes) + h * len(ws_shapes)
        if params.numel() != expected or a["num_params"] != len(ws_shapes):
            raise ValueError(
                f"CudnnRNNParamsToCanonical: params of {params.numel()} elements for "
                f"{a['num_params']} params; this model needs {expected} elements and "
                f"{len(ws_shapes)} params"
            )
        ws, bs, off = [], [], 0
        for k in range(len(ws_shapes) // p):
            for x, y in ws_shapes[k * p : (k + 1) * p]:
                ws.append(params[off : off + x * y].reshape(x, y))
                off += x * y
            for _ in range(p):
                bs.append(params[off : off + h])
                off += h
        return (*ws, *bs)

    return kernel


def cudnn_rnn_params_size(num_layers: Any, num_units: Any, input_size: Any, T: Any,
                          S: Any = dtypes.int32, rnn_mode: str = CUDNN_LSTM,
                          input_mode: str = CUDNN_INPUT_LINEAR_MODE,
                          direction: str = CUDNN_RNN_UNIDIRECTION, dropout: float = 0.0,
                          seed: int = 0, seed2: int = 0,
                          name: str | None = None) -> Tensor:  # fmt: skip
    """TF's ``CudnnRNNParamsSize``: ``[size]`` of the opaque buffer (dtype ``S``)."""
    s = dtypes.as_dtype(S)
    attrs = _attrs(rnn_mode, input_mode, direction, dropout, seed, seed2)
    attrs.update({"T": dtypes.as_dtype(T), "S": s})
    op = get_default_graph()._create_op(
        "CudnnRNNParamsSize", _ints(num_layers, num_units, input_size), attrs,
        name or "CudnnRNNParamsSize", [s], [TensorShape([1])],
    )  # fmt: skip
    return op.outputs[0]


@register_kernel("CudnnRNNParamsSize")
def _params_size_kernel(op: Operation, session: Any) -> Any:
    a = op._attrs

    def kernel(num_layers: Any, num_units: Any, input_size: Any) -> Any:
        check_supported_input_mode(a["input_mode"], int(input_size), int(num_units))
        n = opaque_params_size(a["rnn_mode"], int(num_layers), int(num_units), int(input_size),
                               a["direction"])  # fmt: skip
        return torch.tensor([n], dtype=torch_dtype(a["S"]))

    return kernel


def cudnn_rnn(input: Any, input_h: Any, input_c: Any, params: Any, rnn_mode: str = CUDNN_LSTM,
              input_mode: str = CUDNN_INPUT_LINEAR_MODE,
              direction: str = CUDNN_RNN_UNIDIRECTION, dropout: float = 0.0, seed: int = 0,
              seed2: int = 0, is_training: bool = True,
              name: str | None = None) -> Operation:  # fmt: skip
    """TF's ``CudnnRNN`` op; returns the op (``output, output_h, output_c, reserve_space``).

    ``input`` is ``[T, B, input_size]``, ``input_h``/``input_c`` ``[num_layers * dirs, B,
    num_units]`` (``input_c`` unused but for LSTM).

    >>> import scopeflow.compat.v1 as tf
    >>> from scopeflow.ops.cudnn_rnn_ops import cudnn_rnn
    >>> op = cudnn_rnn(tf.zeros([5, 2, 3]), tf.zeros([1, 2, 4]), tf.zeros([1, 2, 4]),
    ...                tf.zeros([144]))
    >>> print(op.type, op.outputs[0].shape, op.outputs[1].shape)
    CudnnRNN (5, 2, 4) (1, 2, 4)
    """
    x = convert_to_tensor(input)
    dt = x.dtype.base_dtype
    h = convert_to_tensor(input_h, dtype=dt)
    c = convert_to_tensor(input_c, dtype=dt)
    p = convert_to_tensor(params, dtype=dt)
    attrs = _attrs(rnn_mode, input_mode, direction, dropout, seed, seed2)
    attrs.update({"T": dt, "is_training": bool(is_training)})
    xs = x.shape.with_rank(3).as_list()
    hs = h.shape.with_rank(3).as_list()
    units = hs[2]
    width = None if units is None else units * num_dirs(direction)
    out = TensorShape([xs[0], xs[1], width])
    hshape = TensorShape(hs)
    cshape = hshape if rnn_mode == CUDNN_LSTM else TensorShape(None)
    return get_default_graph()._create_op(
        "CudnnRNN", [x, h, c, p], attrs, name or "CudnnRNN", [dt] * 4,
        [out, hshape, cshape, TensorShape(None)],
    )  # fmt: skip


_VF_FNS: dict[str, Any] = {
    CUDNN_LSTM: torch._VF.lstm,  # type: ignore[attr-defined]
    CUDNN_GRU: torch._VF.gru,  # type: ignore[attr-defined]
    CUDNN_RNN_TANH: torch._VF.rnn_tanh,  # type: ignore[attr-defined]
    CUDNN_RNN_RELU: torch._VF.rnn_relu,  # type: ignore[attr-defined]
}


def torch_flat_weights(params: Any, rnn_mode: str, num_layers: int, num_units: int,
                       input_size: int, direction: str) -> list[Any]:  # fmt: skip
    """The opaque buffer as torch's ``[w_ih, w_hh, b_ih, b_hh]`` per layer and direction."""
    p = PARAMS_PER_LAYER[rnn_mode]
    half = p // 2
    ws_shapes, _ = canonical_shapes(rnn_mode, num_layers, num_units, input_size, direction)
    expected = sum(x * y for x, y in ws_shapes) + num_units * len(ws_shapes)
    if params.numel() != expected:
        raise ValueError(
            f"CudnnRNN: params has {params.numel()} elements; a {rnn_mode} of {num_layers} "
            f"layers, {num_units} units, input size {input_size} ({direction}) needs {expected}"
        )
    flat, off = [], 0
    for k in range(len(ws_shapes) // p):
        mats = []
        for x, y in ws_shapes[k * p : (k + 1) * p]:
            mats.append(params[off : off + x * y].reshape(x, y))
            off += x * y
        biases = params[off : off + p * num_units].reshape(p, num_units)
        off += p * num_units
        flat += [torch.cat(mats[:half]), torch.cat(mats[half:]),
                 biases[:half].reshape(-1), biases[half:].reshape(-1)]  # fmt: skip
    return flat


@register_kernel("CudnnRNN")
def _cudnn_rnn_kernel(op: Operation, session: Any) -> Any:
    a = op._attrs
    mode = a["rnn_mode"]
    bidi = a["direction"] == CUDNN_RNN_BIDIRECTION

    def kernel(x: Any, h0: Any, c0: Any, params: Any) -> Any:
        d = 2 if bidi else 1
        layers_dirs, _, units = h0.shape
        num_layers = int(layers_dirs) // d
        input_size = int(x.shape[2])
        check_supported_input_mode(a["input_mode"], input_size, int(units))
        if a["is_training"] and a["dropout"] > 0 and num_layers > 1:
            raise UnsupportedError(
                "CudnnRNN dropout > 0 while training",
                "cuDNN's dropout random numbers cannot be reproduced; use dropout=0.",
            )
        flat = torch_flat_weights(params, mode, num_layers, int(units), input_size,
                                  a["direction"])  # fmt: skip
        hx = (h0, c0) if mode == CUDNN_LSTM else h0
        res = _VF_FNS[mode](x, hx, flat, True, num_layers, 0.0, False, bidi, False)
        empty = x.new_zeros((0,))
        if mode == CUDNN_LSTM:
            return res[0], res[1], res[2], empty
        return res[0], res[1], empty, empty

    return kernel


def cudnn_rnnv3(input: Any, input_h: Any, input_c: Any, params: Any, sequence_lengths: Any,
                rnn_mode: str = CUDNN_LSTM, input_mode: str = CUDNN_INPUT_LINEAR_MODE,
                direction: str = CUDNN_RNN_UNIDIRECTION, dropout: float = 0.0, seed: int = 0,
                seed2: int = 0, num_proj: int = 0, is_training: bool = True,
                time_major: bool = True, name: str | None = None) -> Operation:  # fmt: skip
    """TF's ``CudnnRNNV3``: ``CudnnRNN`` over variable-length sequences.

    Row ``b`` runs for ``sequence_lengths[b]`` steps (the backward direction from that step
    down to 0); outputs past a row's length are zero and ``output_h``/``output_c`` are taken at
    its length. ``time_major=False`` takes and gives ``[B, T, ...]``; states stay ``[layers *
    dirs, B, units]``. Returns the op (``output, output_h, output_c, reserve_space,
    host_reserved``).

    >>> import scopeflow.compat.v1 as tf
    >>> from scopeflow.ops.cudnn_rnn_ops import cudnn_rnnv3
    >>> op = cudnn_rnnv3(tf.zeros([2, 5, 3]), tf.zeros([1, 2, 4]), tf.zeros([1, 2, 4]),
    ...                  tf.zeros([144]), [5, 3], time_major=False)
    >>> print(op.type, op.outputs[0].shape)
    CudnnRNNV3 (2, 5, 4)
    """
    if num_proj:
        raise UnsupportedError("CudnnRNNV3 num_proj (LSTM projection)")
    x = convert_to_tensor(input)
    dt = x.dtype.base_dtype
    h = convert_to_tensor(input_h, dtype=dt)
    c = convert_to_tensor(input_c, dtype=dt)
    p = convert_to_tensor(params, dtype=dt)
    sl = convert_to_tensor(sequence_lengths, dtype=dtypes.int32)
    attrs = _attrs(rnn_mode, input_mode, direction, dropout, seed, seed2)
    attrs.update({"T": dt, "is_training": bool(is_training), "time_major": bool(time_major),
                  "num_proj": 0})  # fmt: skip
    xs = x.shape.with_rank(3).as_list()
    hs = h.shape.with_rank(3).as_list()
    width = None if hs[2] is None else hs[2] * num_dirs(direction)
    out = TensorShape([xs[0], xs[1], width])
    hshape = TensorShape(hs)
    cshape = hshape if rnn_mode == CUDNN_LSTM else TensorShape(None)
    return get_default_graph()._create_op(
        "CudnnRNNV3", [x, h, c, p, sl], attrs, name or "CudnnRNNV3", [dt] * 4 + [dtypes.int8],
        [out, hshape, cshape, TensorShape(None), TensorShape(None)],
    )  # fmt: skip


@register_kernel("CudnnRNNV3")
def _cudnn_rnnv3_kernel(op: Operation, session: Any) -> Any:
    from torch.nn.utils.rnn import PackedSequence, pack_padded_sequence, pad_packed_sequence  # noqa: PLC0415

    a = op._attrs
    mode = a["rnn_mode"]
    bidi = a["direction"] == CUDNN_RNN_BIDIRECTION

    def kernel(x: Any, h0: Any, c0: Any, params: Any, lengths: Any) -> Any:
        if not a["time_major"]:
            x = x.transpose(0, 1)
        d = 2 if bidi else 1
        layers_dirs, batch, units = h0.shape
        num_layers = int(layers_dirs) // d
        t_len, input_size = int(x.shape[0]), int(x.shape[2])
        check_supported_input_mode(a["input_mode"], input_size, int(units))
        if a["is_training"] and a["dropout"] > 0 and num_layers > 1:
            raise UnsupportedError("CudnnRNNV3 dropout > 0 while training")
        lens = lengths.detach().to("cpu", torch.int64)
        if lens.shape != (int(batch),) or bool((lens < 1).any()) or bool((lens > t_len).any()):
            raise ValueError(
                f"CudnnRNNV3: sequence_lengths must hold {int(batch)} values in [1, {t_len}], "
                f"got {lens.tolist()}"
            )
        flat = torch_flat_weights(params, mode, num_layers, int(units), input_size,
                                  a["direction"])  # fmt: skip
        packed = pack_padded_sequence(x, lens, enforce_sorted=False)
        order, back = packed.sorted_indices, packed.unsorted_indices
        hx: Any = h0.index_select(1, order)
        if mode == CUDNN_LSTM:
            hx = (hx, c0.index_select(1, order))
        res = _VF_FNS[mode](packed.data, packed.batch_sizes, hx, flat, True, num_layers, 0.0,
                            False, bidi)  # fmt: skip
        out, _ = pad_packed_sequence(PackedSequence(res[0], packed.batch_sizes, order, back),
                                     total_length=t_len)  # fmt: skip
        if not a["time_major"]:
            out = out.transpose(0, 1)
        empty = x.new_zeros((0,))
        h_out = res[1].index_select(1, back)
        c_out = res[2].index_select(1, back) if mode == CUDNN_LSTM else empty
        return out, h_out, c_out, empty, torch.zeros(0, dtype=torch.int8)

    return kernel


__all__ = [
    "CUDNN_GRU",
    "CUDNN_INPUT_AUTO_MODE",
    "CUDNN_INPUT_LINEAR_MODE",
    "CUDNN_INPUT_SKIP_MODE",
    "CUDNN_LSTM",
    "CUDNN_RNN_BIDIRECTION",
    "CUDNN_RNN_RELU",
    "CUDNN_RNN_TANH",
    "CUDNN_RNN_UNIDIRECTION",
    "PARAMS_PER_LAYER",
    "canonical_shapes",
    "check_direction",
    "check_input_mode",
    "check_rnn_mode",
    "check_supported_input_mode",
    "cudnn_rnn",
    "cudnn_rnn_canonical_to_params",
    "cudnn_rnn_params_size",
    "cudnn_rnn_params_to_canonical",
    "cudnn_rnnv3",
    "num_dirs",
    "opaque_params_size",
    "torch_flat_weights",
]
