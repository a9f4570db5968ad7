"""``tf.contrib.cudnn_rnn``'s functional ops and canonical-weight converters (TF 1.15).

``cudnn_lstm``/``cudnn_gru``/``cudnn_rnn_tanh``/``cudnn_rnn_relu`` run the ``CudnnRNN`` op;
``cudnn_rnn_opaque_params_to_canonical``, ``cudnn_rnn_canonical_to_opaque_params`` and
``cudnn_rnn_opaque_params_size`` wrap the conversion ops. The
``CudnnParamsFormatConverter{LSTM,GRU,Tanh,Relu}`` classes convert between the opaque buffer
and the *TF canonical* weights -- the variables of ``CudnnCompatibleLSTMCell`` (``kernel``
``[input + units, 4 * units]`` in gate order ``i, c, f, o``, cuDNN's being ``i, f, c, o``;
``bias`` the sum of cuDNN's input and recurrent biases), ``CudnnCompatibleGRUCell``
(``gates/kernel``, ``candidate/input_projection/kernel``, ``candidate/hidden_projection/kernel``
and ``gates/bias`` = summed reset/update biases, the two candidate biases) and ``BasicRNNCell``
(``kernel``, summed ``bias``). Going back, each summed bias is split in two halves, as TF does.
Lists run layer by layer, forward before backward, weights before biases.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from typing import Any

from scopeflow._core import dtypes
from scopeflow.errors import UnsupportedError
from scopeflow.ops import cudnn_rnn_ops as _ops
from scopeflow.ops.array_ops import concat, fill, shape
from scopeflow.ops.constant_op import constant
from scopeflow.ops.random_ops import get_seed
from scopeflow.ops.shape_ops import transpose
from scopeflow.ops.split_ops import split

CUDNN_RNN_UNIDIRECTION = _ops.CUDNN_RNN_UNIDIRECTION
CUDNN_RNN_BIDIRECTION = _ops.CUDNN_RNN_BIDIRECTION
CUDNN_LSTM = _ops.CUDNN_LSTM
CUDNN_GRU = _ops.CUDNN_GRU
CUDNN_RNN_RELU = _ops.CUDNN_RNN_RELU
CUDNN_RNN_TANH = _ops.CUDNN_RNN_TANH
CUDNN_LSTM_PARAMS_PER_LAYER = 8
CUDNN_GRU_PARAMS_PER_LAYER = 6
CUDNN_RNN_TANH_PARAMS_PER_LAYER = 2
CUDNN_RNN_RELU_PARAMS_PER_LAYER = 2
CUDNN_INPUT_LINEAR_MODE = _ops.CUDNN_INPUT_LINEAR_MODE
CUDNN_INPUT_SKIP_MODE = _ops.CUDNN_INPUT_SKIP_MODE
CUDNN_INPUT_AUTO_MODE = _ops.CUDNN_INPUT_AUTO_MODE


def _seeds(seed: int | None) -> tuple[int, int]:
    s, s2 = get_seed(seed)
    return (s or 0), (s2 or 0)


def _cudnn_rnn(inputs: Any, input_h: Any, input_c: Any, params: Any, is_training: bool,
               rnn_mode: str, sequence_lengths: Any = None, time_major: bool = True,
               input_mode: str = CUDNN_INPUT_LINEAR_MODE,
               direction: str = CUDNN_RNN_UNIDIRECTION, dropout: float = 0.0,
               seed: int | None = 0, name: str | None = None) -> tuple[Any, Any, Any]:  # fmt: skip
    """``CudnnRNN``, or ``CudnnRNNV3`` with ``sequence_lengths`` or batch-major inputs (TF's)."""
    seed, seed2 = _seeds(seed)
    common: dict[str, Any] = {
        "rnn_mode": rnn_mode, "input_mode": input_mode, "direction": direction,
        "dropout": dropout, "seed": seed, "seed2": seed2, "is_training": is_training,
        "name": name,
    }  # fmt: skip
    if sequence_lengths is None and not time_major:
        from scopeflow.graph.conversion import convert_to_tensor  # noqa: PLC0415

        x = convert_to_tensor(inputs)
        sequence_lengths = fill([shape(x)[0]], shape(x)[1])
    if sequence_lengths is not None:
        op = _ops.cudnn_rnnv3(inputs, input_h, input_c, params, sequence_lengths,
                              time_major=time_major, **common)  # fmt: skip
    else:
        op = _ops.cudnn_rnn(inputs, input_h, input_c, params, **common)
    return op.outputs[0], op.outputs[1], op.outputs[2]


def cudnn_lstm(inputs: Any, input_h: Any, input_c: Any, params: Any, is_training: bool,
               input_mode: str = CUDNN_INPUT_LINEAR_MODE,
               direction: str = CUDNN_RNN_UNIDIRECTION, dropout: float = 0.0, seed: int = 0,
               name: str | None = None) -> tuple[Any, Any, Any]:  # fmt: skip
    """CuDNN LSTM over time-major ``inputs``: ``(outputs, output_h, output_c)``.

    >>> from scopeflow.contrib.cudnn_rnn import cudnn_lstm
    >>> print(callable(cudnn_lstm))
    True
    """
    return _cudnn_rnn(inputs, input_h, input_c, params, is_training, CUDNN_LSTM,
                      input_mode=input_mode, direction=direction, dropout=dropout, seed=seed,
                      name=name)  # fmt: skip


def _no_input_c(mode: str, inputs: Any, input_h: Any, params: Any, is_training: bool,
                input_mode: str, direction: str, dropout: float, seed: int,
                name: str | None) -> tuple[Any, Any]:  # fmt: skip
    from scopeflow.graph.conversion import convert_to_tensor  # noqa: PLC0415

    h = convert_to_tensor(input_h)
    input_c = constant([], dtype=h.dtype)
    outputs, output_h, _ = _cudnn_rnn(inputs, h, input_c, params, is_training, mode,
                                      input_mode=input_mode, direction=direction,
                                      dropout=dropout, seed=seed, name=name)  # fmt: skip
    return outputs, output_h


def cudnn_gru(inputs: Any, input_h: Any, params: Any, is_training: bool,
              input_mode: str = CUDNN_INPUT_LINEAR_MODE, direction: str = CUDNN_RNN_UNIDIRECTION,
              dropout: float = 0.0, seed: int = 0,
              name: str | None = None) -> tuple[Any, Any]:  # fmt: skip
    """CuDNN GRU: ``(outputs, output_h)``.

    >>> from scopeflow.contrib.cudnn_rnn import cudnn_gru
    >>> print(callable(cudnn_gru))
    True
    """
    return _no_input_c(CUDNN_GRU, inputs, input_h, params, is_training, input_mode, direction,
                       dropout, seed, name)  # fmt: skip


def cudnn_rnn_tanh(inputs: Any, input_h: Any, params: Any, is_training: bool,
                   input_mode: str = CUDNN_INPUT_LINEAR_MODE,
                   direction: str = CUDNN_RNN_UNIDIRECTION, dropout: float = 0.0,
                   seed: int = 0, name: str | None = None) -> tuple[Any, Any]:  # fmt: skip
    """CuDNN tanh RNN: ``(outputs, output_h)``.

    >>> from scopeflow.contrib.cudnn_rnn import cudnn_rnn_tanh
    >>> print(callable(cudnn_rnn_tanh))
    True
    """
    return _no_input_c(CUDNN_RNN_TANH, inputs, input_h, params, is_training, input_mode,
                       direction, dropout, seed, name)  # fmt: skip


def cudnn_rnn_relu(inputs: Any, input_h: Any, params: Any, is_training: bool,
                   input_mode: str = CUDNN_INPUT_LINEAR_MODE,
                   direction: str = CUDNN_RNN_UNIDIRECTION, dropout: float = 0.0,
                   seed: int = 0, name: str | None = None) -> tuple[Any, Any]:  # fmt: skip
    """CuDNN relu RNN: ``(outputs, output_h)``.

    >>> from scopeflow.contrib.cudnn_rnn import cudnn_rnn_relu
    >>> print(callable(cudnn_rnn_relu))
    True
    """
    return _no_input_c(CUDNN_RNN_RELU, inputs, input_h, params, is_training, input_mode,
                       direction, dropout, seed, name)  # fmt: skip


def cudnn_rnn_opaque_params_to_canonical(rnn_mode: str, num_layers: int, num_units: int,
                                         input_size: int,
                                         params: Any, input_mode: str = CUDNN_INPUT_LINEAR_MODE,
                                         direction: str = CUDNN_RNN_UNIDIRECTION,
                                         dropout: float = 0, seed: int = 0,
                                         name: str | None = None) -> Any:  # fmt: skip
    """Opaque buffer -> cuDNN canonical ``(weights, biases)`` lists.

    >>> import scopeflow.compat.v1 as tf
    >>> from scopeflow.contrib.cudnn_rnn import cudnn_rnn_opaque_params_to_canonical
    >>> w, b = cudnn_rnn_opaque_params_to_canonical("gru", 1, 2, 3, tf.zeros([42]))
    >>> print(len(w), w[0].shape, w[3].shape, b[0].shape)
    6 (2, 3) (2, 2) (2,)
    """
    _ops.check_rnn_mode(rnn_mode)
    n = _ops.PARAMS_PER_LAYER[rnn_mode] * num_layers * _ops.num_dirs(direction)
    s, s2 = _seeds(seed)
    return _ops.cudnn_rnn_params_to_canonical(num_layers, num_units, input_size, params, n,
                                              rnn_mode=rnn_mode, input_mode=input_mode,
                                              direction=direction, dropout=dropout, seed=s,
                                              seed2=s2, name=name)  # fmt: skip


def cudnn_rnn_canonical_to_opaque_params(rnn_mode: str, num_layers: int, num_units: int,
                                         input_size: int, weights: Any, biases: Any,
                                         input_mode: str = CUDNN_INPUT_LINEAR_MODE,
                                         direction: str = CUDNN_RNN_UNIDIRECTION,
                                         dropout: float = 0, seed: int = 0,
                                         name: str | None = None) -> Any:  # fmt: skip
    """CuDNN canonical weights and biases -> opaque buffer.

    >>> from scopeflow.contrib.cudnn_rnn import cudnn_rnn_canonical_to_opaque_params
    >>> print(callable(cudnn_rnn_canonical_to_opaque_params))
    True
    """
    s, s2 = _seeds(seed)
    return _ops.cudnn_rnn_canonical_to_params(num_layers, num_units, input_size, weights,
                                              biases, rnn_mode=rnn_mode, input_mode=input_mode,
                                              direction=direction, dropout=dropout, seed=s,
                                              seed2=s2, name=name)  # fmt: skip


def cudnn_rnn_opaque_params_size(rnn_mode: str, num_layers: int, num_units: int,
                                 input_size: int, input_mode: str = CUDNN_INPUT_LINEAR_MODE,
                                 direction: str = CUDNN_RNN_UNIDIRECTION,
                                 dtype: Any = dtypes.float32, dropout: float = 0,
                                 seed: int = 0, name: str | None = None) -> Any:  # fmt: skip
    """The opaque buffer's element count, a scalar ``int32`` tensor.

    >>> import scopeflow.compat.v1 as tf
    >>> from scopeflow.contrib.cudnn_rnn import cudnn_rnn_opaque_params_size
    >>> with tf.Session() as sess:
    ...     print(sess.run(cudnn_rnn_opaque_params_size("lstm", 2, 4, 3)))
    304
    """
    s, s2 = _seeds(seed)
    return _ops.cudnn_rnn_params_size(num_layers, num_units, input_size, T=dtype,
                                      S=dtypes.int32, rnn_mode=rnn_mode, input_mode=input_mode,
                                      direction=direction, dropout=dropout, seed=s, seed2=s2,
                                      name=name)[0]  # fmt: skip


class _ConverterBase:
    """Opaque <-> TF canonical weights of one cuDNN RNN configuration."""

    _rnn_mode = ""

    def __init__(self, num_layers: int, num_units: int, input_size: int,
                 num_proj: int | None = None, input_mode: str = CUDNN_INPUT_LINEAR_MODE,
                 direction: str = CUDNN_RNN_UNIDIRECTION) -> None:  # fmt: skip
        if num_proj:
            raise UnsupportedError("cudnn_rnn num_proj (LSTM projection)")
        _ops.check_direction(direction)
        _ops.check_input_mode(input_mode)
        self._num_layers = num_layers
        self._num_units = num_units
        self._input_size = input_size
        self._input_mode = input_mode
        self._direction = direction
        self._num_dirs = _ops.num_dirs(direction)
        self._num_params = _ops.PARAMS_PER_LAYER[self._rnn_mode] * num_layers * self._num_dirs

    def _width(self, layer: int) -> int:
        return self._input_size if layer == 0 else self._num_units * self._num_dirs

    def _layer_dirs(self) -> list[int]:
        return [layer for layer in range(self._num_layers) for _ in range(self._num_dirs)]

    def opaque_to_tf_canonical(self, opaque_param: Any) -> list[Any]:
        """The TF canonical weights (all), then biases (all)."""
        cu_w, cu_b = cudnn_rnn_opaque_params_to_canonical(
            self._rnn_mode, self._num_layers, self._num_units, self._input_size, opaque_param,
            input_mode=self._input_mode, direction=self._direction,
        )  # fmt: skip
        p = _ops.PARAMS_PER_LAYER[self._rnn_mode]
        tf_w: list[Any] = []
        tf_b: list[Any] = []
        for k, _ in enumerate(self._layer_dirs()):
            tf_w += self._cu_to_tf_weights(cu_w[k * p : (k + 1) * p])
            tf_b += self._cu_to_tf_biases(cu_b[k * p : (k + 1) * p])
        return tf_w + tf_b

    def tf_canonical_to_opaque(self, tf_canonicals: Any) -> Any:
        """The opaque buffer from TF canonical weights (all) then biases (all)."""
        n = len(self._layer_dirs())
        nw = len(tf_canonicals) // 2 if self._rnn_mode != CUDNN_GRU else 3 * n
        weights, biases = list(tf_canonicals[:nw]), list(tf_canonicals[nw:])
        per_w, per_b = len(weights) // n, len(biases) // n
        cu_w: list[Any] = []
        cu_b: list[Any] = []
        for k, layer in enumerate(self._layer_dirs()):
            cu_w += self._tf_to_cu_weights(layer, weights[k * per_w : (k + 1) * per_w])
            cu_b += self._tf_to_cu_biases(biases[k * per_b : (k + 1) * per_b])
        return cudnn_rnn_canonical_to_opaque_params(
            self._rnn_mode, self._num_layers, self._num_units, self._input_size, cu_w, cu_b,
            input_mode=self._input_mode, direction=self._direction,
        )  # fmt: skip

    def _split_in_rec(self, layer: int, w: Any) -> tuple[Any, Any]:
        a, b = split(w, [self._width(layer), self._num_units], axis=1)
        return a, b

    def _cu_to_tf_weights(self, cu: list[Any]) -> list[Any]:
        raise NotImplementedError

    def _cu_to_tf_biases(self, cu: list[Any]) -> list[Any]:
        raise NotImplementedError

    def _tf_to_cu_weights(self, layer: int, tf: list[Any]) -> list[Any]:
        raise NotImplementedError

    def _tf_to_cu_biases(self, tf: list[Any]) -> list[Any]:
        raise NotImplementedError


class CudnnParamsFormatConverterLSTM(_ConverterBase):
    """cuDNN LSTM <-> ``CudnnCompatibleLSTMCell`` ``kernel``/``bias`` (``i, c, f, o``).

    >>> import scopeflow.compat.v1 as tf
    >>> from scopeflow.contrib.cudnn_rnn import CudnnParamsFormatConverterLSTM
    >>> conv = CudnnParamsFormatConverterLSTM(1, 4, 3)
    >>> w, b = conv.opaque_to_tf_canonical(tf.zeros([144]))
    >>> print(w.shape, b.shape)
    (7, 16) (16,)
    """

    _rnn_mode = CUDNN_LSTM

    def _cu_to_tf_weights(self, cu: list[Any]) -> list[Any]:
        w_i, w_f, w_c, w_o, r_i, r_f, r_c, r_o = cu
        gates = [concat([w, r], axis=1) for w, r in ((w_i, r_i), (w_c, r_c), (w_f, r_f),
                                                     (w_o, r_o))]  # fmt: skip
        return [transpose(concat(gates, axis=0))]

    def _cu_to_tf_biases(self, cu: list[Any]) -> list[Any]:
        b_wi, b_wf, b_wc, b_wo, b_ri, b_rf, b_rc, b_ro = cu
        return [concat([b_wi + b_ri, b_wc + b_rc, b_wf + b_rf, b_wo + b_ro], axis=0)]

    def _tf_to_cu_weights(self, layer: int, tf: list[Any]) -> list[Any]:
        g_i, g_c, g_f, g_o = split(transpose(tf[0]), 4, axis=0)
        (w_i, r_i), (w_f, r_f), (w_c, r_c), (w_o, r_o) = (
            self._split_in_rec(layer, g) for g in (g_i, g_f, g_c, g_o)
        )
        return [w_i, w_f, w_c, w_o, r_i, r_f, r_c, r_o]

    def _tf_to_cu_biases(self, tf: list[Any]) -> list[Any]:
        b_i, b_c, b_f, b_o = split(tf[0], 4, axis=0)
        halves = [b * 0.5 for b in (b_i, b_f, b_c, b_o)]
        return halves + halves


class CudnnParamsFormatConverterGRU(_ConverterBase):
    """cuDNN GRU <-> ``CudnnCompatibleGRUCell``'s gate and candidate projections.

    >>> import scopeflow.compat.v1 as tf
    >>> from scopeflow.contrib.cudnn_rnn import CudnnParamsFormatConverterGRU
    >>> ws = CudnnParamsFormatConverterGRU(1, 2, 3).opaque_to_tf_canonical(tf.zeros([42]))
    >>> print([w.shape.as_list() for w in ws])
    [[5, 4], [3, 2], [2, 2], [4], [2], [2]]
    """

    _rnn_mode = CUDNN_GRU

    def _cu_to_tf_weights(self, cu: list[Any]) -> list[Any]:
        w_r, w_u, w_h, r_r, r_u, r_h = cu
        gates = concat([concat([w_r, r_r], axis=1), concat([w_u, r_u], axis=1)], axis=0)
        return [transpose(gates), transpose(w_h), transpose(r_h)]

    def _cu_to_tf_biases(self, cu: list[Any]) -> list[Any]:
        b_wr, b_wu, b_wh, b_rr, b_ru, b_rh = cu
        return [concat([b_wr, b_wu], axis=0) + concat([b_rr, b_ru], axis=0), b_wh, b_rh]

    def _tf_to_cu_weights(self, layer: int, tf: list[Any]) -> list[Any]:
        gates, w_h, r_h = tf
        g_r, g_u = split(transpose(gates), 2, axis=0)
        w_r, r_r = self._split_in_rec(layer, g_r)
        w_u, r_u = self._split_in_rec(layer, g_u)
        return [w_r, w_u, transpose(w_h), r_r, r_u, transpose(r_h)]

    def _tf_to_cu_biases(self, tf: list[Any]) -> list[Any]:
        b_ru, b_wh, b_rh = tf
        b_wr, b_wu = split(b_ru * 0.5, 2, axis=0)
        b_rr, b_rru = split(b_ru * 0.5, 2, axis=0)
        return [b_wr, b_wu, b_wh, b_rr, b_rru, b_rh]


class CudnnParamsFormatConverterTanh(_ConverterBase):
    """cuDNN tanh RNN <-> ``BasicRNNCell`` ``kernel``/``bias``.

    >>> from scopeflow.contrib.cudnn_rnn import CudnnParamsFormatConverterTanh
    >>> print(CudnnParamsFormatConverterTanh(1, 2, 3)._num_params)
    2
    """

    _rnn_mode = CUDNN_RNN_TANH

    def _cu_to_tf_weights(self, cu: list[Any]) -> list[Any]:
        return [transpose(concat(list(cu), axis=1))]

    def _cu_to_tf_biases(self, cu: list[Any]) -> list[Any]:
        return [cu[0] + cu[1]]

    def _tf_to_cu_weights(self, layer: int, tf: list[Any]) -> list[Any]:
        return list(self._split_in_rec(layer, transpose(tf[0])))

    def _tf_to_cu_biases(self, tf: list[Any]) -> list[Any]:
        return [tf[0] * 0.5, tf[0] * 0.5]


class CudnnParamsFormatConverterRelu(CudnnParamsFormatConverterTanh):
    """cuDNN relu RNN <-> ``BasicRNNCell`` ``kernel``/``bias``."""

    _rnn_mode = CUDNN_RNN_RELU


__all__ = [
    "CUDNN_GRU",
    "CUDNN_GRU_PARAMS_PER_LAYER",
    "CUDNN_INPUT_AUTO_MODE",
    "CUDNN_INPUT_LINEAR_MODE",
    "CUDNN_INPUT_SKIP_MODE",
    "CUDNN_LSTM",
    "CUDNN_LSTM_PARAMS_PER_LAYER",
    "CUDNN_RNN_BIDIRECTION",
    "CUDNN_RNN_RELU",
    "CUDNN_RNN_RELU_PARAMS_PER_LAYER",
    "CUDNN_RNN_TANH",
    "CUDNN_RNN_TANH_PARAMS_PER_LAYER",
    "CUDNN_RNN_UNIDIRECTION",
    "CudnnParamsFormatConverterGRU",
    "CudnnParamsFormatConverterLSTM",
    "CudnnParamsFormatConverterRelu",
    "CudnnParamsFormatConverterTanh",
    "cudnn_gru",
    "cudnn_lstm",
    "cudnn_rnn_canonical_to_opaque_params",
    "cudnn_rnn_opaque_params_size",
    "cudnn_rnn_opaque_params_to_canonical",
    "cudnn_rnn_relu",
    "cudnn_rnn_tanh",
]
