"""``CudnnOpaqueParamsSaveable`` and its LSTM/GRU/tanh/relu subclasses (TF 1.15).

A ``Saver`` writes a cuDNN layer's opaque parameter buffer through one of these as the *TF
canonical* tensors -- the variables the platform-independent cells create -- under the names
those cells get inside ``tf.nn.rnn_cell.MultiRNNCell`` + ``tf.nn.dynamic_rnn`` (unidirectional:
``<scope>/rnn/multi_rnn_cell/cell_<i>/<cell>/...``) or
``tf.contrib.rnn.stack_bidirectional_dynamic_rnn`` (``<scope>/stack_bidirectional_rnn/cell_<i>/
bidirectional_rnn/{fw,bw}/<cell>/...``), ``<cell>`` being ``cudnn_compatible_lstm_cell``
(``kernel``, ``bias``), ``cudnn_compatible_gru_cell`` (``gates/kernel``, ``gates/bias``,
``candidate/{input,hidden}_projection/{kernel,bias}``) or ``basic_rnn_cell``. Restoring
converts them back (each summed bias split in two halves, as TF does) and assigns the buffer,
so checkpoints move between ``CudnnLSTM``/``CudnnGRU`` and ``CudnnCompatible*Cell`` graphs.
The conversions are the ``CudnnParamsFormatConverter*`` classes of :mod:`._ops`.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from typing import Any

from scopeflow._core.variable_scope import VariableScope
from scopeflow.contrib.cudnn_rnn import _ops
from scopeflow.ops.array_ops import identity
from scopeflow.ops.state_ops import assign
from scopeflow.train.saveable_object import SaveableObject, SaveSpec


class CudnnOpaqueParamsSaveable(SaveableObject):
    """Saves a cuDNN opaque parameter buffer as TF canonical weights, restores it from them.

    Args:
        opaque_params: The opaque parameter variable.
        num_layers, num_units, input_size, input_mode, direction: The cuDNN configuration.
        scope: Variable scope (or its name) prefixed to the canonical names.
        name: Name of this saveable.
    """

    _rnn_mode = ""
    _rnn_cell_name = ""
    _converter_cls: type[_ops._ConverterBase] = _ops._ConverterBase
    _weight_suffixes: tuple[str, ...] = ("kernel",)
    _bias_suffixes: tuple[str, ...] = ("bias",)

    def __init__(self, opaque_params: Any, num_layers: int, num_units: int, input_size: int,
                 input_mode: str = _ops.CUDNN_INPUT_LINEAR_MODE,
                 direction: str = _ops.CUDNN_RNN_UNIDIRECTION, scope: Any = None,
                 name: str = "cudnn_rnn_saveable") -> None:  # fmt: skip
        self._num_layers = num_layers
        self._num_units = num_units
        self._input_size = input_size
        self._input_mode = input_mode
        self._direction = direction
        scope_name = scope.name if isinstance(scope, VariableScope) else scope
        self._scope = scope_name or None
        self._variables = opaque_params
        self._converter = self._converter_cls(num_layers, num_units, input_size,
                                              input_mode=input_mode,
                                              direction=direction)  # fmt: skip
        params = self._converter.opaque_to_tf_canonical(opaque_params)
        names = self._canonical_names()
        if self._scope:
            names = [f"{self._scope}/{n}" for n in names]
        specs = [SaveSpec(p, "", n) for p, n in zip(params, names, strict=True)]
        super().__init__(identity(opaque_params), specs, name)

    def _prefixes(self) -> list[str]:
        out = []
        for layer in range(self._num_layers):
            if self._direction == _ops.CUDNN_RNN_UNIDIRECTION:
                out.append(f"rnn/multi_rnn_cell/cell_{layer}/{self._rnn_cell_name}")
            else:
                for d in ("fw", "bw"):
                    out.append(
                        f"stack_bidirectional_rnn/cell_{layer}/bidirectional_rnn/{d}/"
                        f"{self._rnn_cell_name}"
                    )
        return out

    def _canonical_names(self) -> list[str]:
        prefixes = self._prefixes()
        weights = [f"{p}/{s}" for p in prefixes for s in self._weight_suffixes]
        biases = [f"{p}/{s}" for p in prefixes for s in self._bias_suffixes]
        return weights + biases

    def restore(self, restored_tensors: list[Any], restored_shapes: Any) -> Any:
        """Assigns the opaque buffer rebuilt from the restored canonical tensors."""
        opaque = self._converter.tf_canonical_to_opaque(list(restored_tensors))
        return assign(self._variables, opaque, validate_shape=False)


class CudnnLSTMSaveable(CudnnOpaqueParamsSaveable):
    """``CudnnLSTM``'s buffer as ``cudnn_compatible_lstm_cell/kernel`` and ``/bias``."""

    _rnn_mode = _ops.CUDNN_LSTM
    _rnn_cell_name = "cudnn_compatible_lstm_cell"
    _converter_cls = _ops.CudnnParamsFormatConverterLSTM


class CudnnGRUSaveable(CudnnOpaqueParamsSaveable):
    """``CudnnGRU``'s buffer as ``cudnn_compatible_gru_cell``'s gate and candidate tensors."""

    _rnn_mode = _ops.CUDNN_GRU
    _rnn_cell_name = "cudnn_compatible_gru_cell"
    _converter_cls = _ops.CudnnParamsFormatConverterGRU
    _weight_suffixes = (
        "gates/kernel",
        "candidate/input_projection/kernel",
        "candidate/hidden_projection/kernel",
    )
    _bias_suffixes = (
        "gates/bias",
        "candidate/input_projection/bias",
        "candidate/hidden_projection/bias",
    )


class CudnnRNNTanhSaveable(CudnnOpaqueParamsSaveable):
    """``CudnnRNNTanh``'s buffer as ``basic_rnn_cell/kernel`` and ``/bias``."""

    _rnn_mode = _ops.CUDNN_RNN_TANH
    _rnn_cell_name = "basic_rnn_cell"
    _converter_cls = _ops.CudnnParamsFormatConverterTanh


class CudnnRNNReluSaveable(CudnnOpaqueParamsSaveable):
    """``CudnnRNNRelu``'s buffer as ``basic_rnn_cell/kernel`` and ``/bias``."""

    _rnn_mode = _ops.CUDNN_RNN_RELU
    _rnn_cell_name = "basic_rnn_cell"
    _converter_cls = _ops.CudnnParamsFormatConverterRelu


__all__ = [
    "CudnnGRUSaveable",
    "CudnnLSTMSaveable",
    "CudnnOpaqueParamsSaveable",
    "CudnnRNNReluSaveable",
    "CudnnRNNTanhSaveable",
]
