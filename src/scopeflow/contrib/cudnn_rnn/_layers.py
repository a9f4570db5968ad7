"""``CudnnLSTM``, ``CudnnGRU``, ``CudnnRNNTanh``, ``CudnnRNNRelu`` (TF 1.15 ``contrib.cudnn_rnn``).

``tf.layers`` layers holding one opaque parameter buffer, ``<layer>/opaque_kernel`` (default
scopes ``cudnn_lstm``, ``cudnn_gru``, ``cudnn_rnn_tanh``, ``cudnn_rnn_relu``), initialised as TF
1.15 does: each cuDNN canonical weight from ``kernel_initializer`` (default Glorot uniform with
the layer's ``seed``), each bias from ``bias_initializer`` (default zeros), packed by
``CudnnRNNCanonicalToParams``. Calling the layer on time-major ``[T, B, input]`` inputs runs one
``CudnnRNN`` op (``CudnnRNNV3`` with ``sequence_lengths`` or ``time_major=False``; computed on
CPU here, see ``scopeflow.ops.cudnn_rnn_ops``) and returns ``(outputs, (h, c))`` for LSTM,
``(outputs, (h,))`` otherwise; states are ``[num_layers * dirs, B, units]`` and default to
zeros.

Building a layer (not under a reusing scope) also creates its ``CudnnOpaqueParamsSaveable``
(``saveable``, named ``<layer>/opaque_kernel_saveable``, scope = the variable scope at build
time) and adds it to ``SAVEABLE_OBJECTS``, as TF does: the default ``Saver`` then writes
``opaque_kernel`` and the TF canonical tensors (e.g.
``cudnn_lstm/rnn/multi_rnn_cell/cell_0/cudnn_compatible_lstm_cell/kernel``), so checkpoints move
to and from graphs of ``CudnnCompatibleLSTMCell``/``CudnnCompatibleGRUCell``.

Differences from TensorFlow: ``num_proj``,
``input_mode='skip_input'`` and training-time ``dropout`` between layers raise
``UnsupportedError``; a zero entry in ``sequence_lengths`` is an ``InvalidArgumentError``.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from typing import Any

from scopeflow._core import dtypes
from scopeflow._core.graph_keys import GraphKeys
from scopeflow._core.tensor_shape import TensorShape
from scopeflow._core.variable_scope import get_variable_scope, variable_scope
from scopeflow._core.variable_store import get_variable
from scopeflow.contrib.cudnn_rnn import _ops, _saveables
from scopeflow.errors import UnsupportedError
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.layers._base import Layer
from scopeflow.layers._input_spec import InputSpec
from scopeflow.ops import cudnn_rnn_ops
from scopeflow.ops.array_ops import shape as shape_op
from scopeflow.ops.array_ops import zeros
from scopeflow.ops.constant_op import constant
from scopeflow.ops.init_ops import Constant, GlorotUniform


class _CudnnRNN(Layer):
    """Shared machinery of the cuDNN RNN layers."""

    _rnn_mode = ""
    _num_params_per_layer = 0
    _saveable_cls: type[_saveables.CudnnOpaqueParamsSaveable] = _saveables.CudnnOpaqueParamsSaveable

    def __init__(self, num_layers: int, num_units: int,
                 input_mode: str = _ops.CUDNN_INPUT_LINEAR_MODE,
                 direction: str = _ops.CUDNN_RNN_UNIDIRECTION, dropout: float = 0.0,
                 seed: int | None = None, dtype: Any = dtypes.float32,
                 kernel_initializer: Any = None, bias_initializer: Any = None,
                 name: str | None = None, num_proj: int | None = None) -> None:  # fmt: skip
        super().__init__(dtype=dtype, name=name)
        cudnn_rnn_ops.check_direction(direction)
        cudnn_rnn_ops.check_input_mode(input_mode)
        dt = dtypes.as_dtype(dtype)
        if dt not in (dtypes.float16, dtypes.float32, dtypes.float64):
            raise ValueError(f"Only support float16, float32, float64, provided {dt}")
        if num_proj:
            raise UnsupportedError("CudnnLSTM num_proj (LSTM projection)")
        self._plain_dtype = dt
        self._num_layers = num_layers
        self._num_units = num_units
        self._input_mode = input_mode
        self._direction = direction
        self._dropout = dropout
        self._seed = seed
        self._kernel_initializer = kernel_initializer
        self._bias_initializer = bias_initializer
        self._input_size: int | None = None
        self._saveable: Any = None
        self.kernel: Any = None

    @property
    def num_layers(self) -> int:
        """Number of stacked layers."""
        return self._num_layers

    @property
    def num_units(self) -> int:
        """Units per layer and direction."""
        return self._num_units

    @property
    def input_mode(self) -> str:
        """``linear_input``, ``skip_input`` or ``auto_select``."""
        return self._input_mode

    @property
    def input_size(self) -> int:
        """The input depth (known once built)."""
        if not self._input_size:
            raise ValueError("'input_size' is unknown since layer has not been built.")
        return self._input_size

    @property
    def rnn_mode(self) -> str:
        """``lstm``, ``gru``, ``rnn_tanh`` or ``rnn_relu``."""
        return self._rnn_mode

    @property
    def direction(self) -> str:
        """``unidirectional`` or ``bidirectional``."""
        return self._direction

    @property
    def num_dirs(self) -> int:
        """1 or 2."""
        return cudnn_rnn_ops.num_dirs(self._direction)

    @property
    def saveable(self) -> Any:
        """The layer's ``CudnnOpaqueParamsSaveable`` (``None`` before ``build``)."""
        return self._saveable

    @property
    def canonical_weight_shapes(self) -> list[list[int]]:
        """Shapes of the cuDNN canonical weights, TF's order."""
        if not self._input_size:
            raise RuntimeError(
                f"{type(self).__name__}.canonical_weight_shapes invoked before input shape is known"
            )
        ws, _ = cudnn_rnn_ops.canonical_shapes(self._rnn_mode, self._num_layers,
                                               self._num_units, self._input_size,
                                               self._direction)  # fmt: skip
        return ws

    @property
    def canonical_bias_shapes(self) -> list[list[int]]:
        """Shapes of the cuDNN canonical biases."""
        return [[self._num_units]] * (self._num_params_per_layer * self.num_dirs
                                      * self._num_layers)  # fmt: skip

    def state_shape(self, batch_size: Any) -> tuple[list[Any], ...]:
        """``[num_layers * num_dirs, batch_size, num_units]`` per state tensor."""
        return ([self._num_layers * self.num_dirs, batch_size, self._num_units],)

    def _zero_state(self, batch_size: Any) -> tuple[Any, ...]:
        return tuple(zeros(sp, dtype=self._plain_dtype) for sp in self.state_shape(batch_size))

    def build(self, input_shape: Any) -> None:
        """Creates ``opaque_kernel`` from initialised canonical weights and biases."""
        if self.built:
            return
        input_shape = TensorShape(input_shape)
        if input_shape.ndims != 3:
            raise ValueError(f"Expecting input_shape with 3 dims, got {input_shape.ndims}")
        if input_shape.dims[-1].value is None:
            raise ValueError(
                "The last dimension of the inputs to `CudnnRNN` should be defined. Found `None`."
            )
        self._input_size = input_shape.dims[-1].value
        self.input_spec = InputSpec(ndim=3, axes={-1: self._input_size})
        cudnn_rnn_ops.check_supported_input_mode(self._input_mode, self._input_size,
                                                 self._num_units)  # fmt: skip
        self._set_scope(None)
        # TF re-enters the layer's scope, so a manual build() names opaque_kernel as __call__ does
        with variable_scope(self._scope, reuse=self.built):
            if self._kernel_initializer is None:
                self._kernel_initializer = GlorotUniform(seed=self._seed, dtype=self._plain_dtype)
            if self._bias_initializer is None:
                self._bias_initializer = Constant(0.0, dtype=self._plain_dtype)
            weights = [self._kernel_initializer(sp, dtype=self._plain_dtype)
                       for sp in self.canonical_weight_shapes]  # fmt: skip
            biases = [self._bias_initializer(sp, dtype=self._plain_dtype)
                      for sp in self.canonical_bias_shapes]  # fmt: skip
            opaque = _ops.cudnn_rnn_canonical_to_opaque_params(
                self._rnn_mode, self._num_layers, self._num_units, self._input_size, weights,
                biases, input_mode=self._input_mode, direction=self._direction,
                dropout=self._dropout, seed=self._seed or 0,
            )  # fmt: skip
            self.kernel = get_variable("opaque_kernel", initializer=opaque, validate_shape=False)
            if self.kernel not in self._trainable_weights:
                self._trainable_weights.append(self.kernel)
        if not get_variable_scope().reuse:
            self._create_saveable()
        self.built = True

    def _create_saveable(self) -> None:
        """Registers the canonical-format saveable in ``SAVEABLE_OBJECTS`` (TF 1.15's rule)."""
        if self._saveable is not None:
            raise RuntimeError("Cudnn saveable already created.")
        self._saveable = self._saveable_cls(
            opaque_params=self.kernel, num_layers=self._num_layers, num_units=self._num_units,
            input_size=self.input_size, input_mode=self._input_mode, direction=self._direction,
            scope=get_variable_scope(), name=f"{self.kernel.op.name}_saveable",
        )  # fmt: skip
        get_default_graph().add_to_collection(GraphKeys.SAVEABLE_OBJECTS, self._saveable)

    def call(self, inputs: Any, initial_state: Any = None, sequence_lengths: Any = None,
             time_major: bool = True, training: bool = True) -> Any:  # fmt: skip
        """Runs the RNN; returns ``(outputs, states)``.

        ``inputs`` are ``[T, B, input]`` (``[B, T, input]`` with ``time_major=False``, as are the
        outputs); with ``sequence_lengths`` (or batch-major inputs) the op is ``CudnnRNNV3``.
        """
        if initial_state is not None and not isinstance(initial_state, tuple):
            raise ValueError(f"Invalid initial_state type: {type(initial_state)}, expecting tuple.")
        if training and self._dropout > 0 and self._num_layers > 1:
            raise UnsupportedError(
                "CudnnRNN dropout > 0 while training",
                "cuDNN's dropout random numbers cannot be reproduced; use dropout=0.",
            )
        dtype = self._plain_dtype
        inputs = convert_to_tensor(inputs, dtype=dtype)
        batch_size = shape_op(inputs)[1 if time_major else 0]
        if initial_state is None:
            initial_state = self._zero_state(batch_size)
        if self._rnn_mode == _ops.CUDNN_LSTM:
            h, c = initial_state
            h = convert_to_tensor(h, dtype=dtype)
            c = convert_to_tensor(c, dtype=dtype)
        else:
            (h,) = initial_state
            h = convert_to_tensor(h, dtype=dtype)
            c = constant([], dtype=dtype)
        outputs, output_h, output_c = _ops._cudnn_rnn(
            inputs, h, c, self.kernel, bool(training), self._rnn_mode,
            sequence_lengths=sequence_lengths, time_major=time_major,
            input_mode=self._input_mode, direction=self._direction, dropout=self._dropout,
            seed=self._seed,
        )  # fmt: skip
        if self._rnn_mode == _ops.CUDNN_LSTM:
            return outputs, (output_h, output_c)
        return outputs, (output_h,)


class CudnnLSTM(_CudnnRNN):
    """cuDNN LSTM layer (gates ``i, f, c, o``; two bias sets per gate).

    >>> import scopeflow.compat.v1 as tf
    >>> from scopeflow.contrib.cudnn_rnn import CudnnLSTM
    >>> lstm = CudnnLSTM(2, 4)
    >>> out, (h, c) = lstm(tf.zeros([5, 3, 6]))
    >>> print(out.shape, h.shape, lstm.kernel.op.name)
    (5, 3, 4) (2, 3, 4) cudnn_lstm/opaque_kernel
    """

    _rnn_mode = _ops.CUDNN_LSTM
    _saveable_cls = _saveables.CudnnLSTMSaveable
    _num_params_per_layer = _ops.CUDNN_LSTM_PARAMS_PER_LAYER

    def state_shape(self, batch_size: Any) -> tuple[list[Any], ...]:
        """``(h, c)`` shapes: ``[num_layers * num_dirs, batch_size, num_units]`` each."""
        sp = [self._num_layers * self.num_dirs, batch_size, self._num_units]
        return (sp, list(sp))


class CudnnGRU(_CudnnRNN):
    """cuDNN GRU layer (gates ``r, u, h``; the reset gate applied after the recurrent matmul).

    >>> from scopeflow.contrib.cudnn_rnn import CudnnGRU
    >>> print(CudnnGRU(1, 3).rnn_mode)
    gru
    """

    _rnn_mode = _ops.CUDNN_GRU
    _saveable_cls = _saveables.CudnnGRUSaveable
    _num_params_per_layer = _ops.CUDNN_GRU_PARAMS_PER_LAYER


class CudnnRNNTanh(_CudnnRNN):
    """cuDNN tanh RNN layer.

    >>> from scopeflow.contrib.cudnn_rnn import CudnnRNNTanh
    >>> print(CudnnRNNTanh(1, 3).rnn_mode)
    rnn_tanh
    """

    _rnn_mode = _ops.CUDNN_RNN_TANH
    _saveable_cls = _saveables.CudnnRNNTanhSaveable
    _num_params_per_layer = _ops.CUDNN_RNN_TANH_PARAMS_PER_LAYER


class CudnnRNNRelu(_CudnnRNN):
    """cuDNN relu RNN layer.

    >>> from scopeflow.contrib.cudnn_rnn import CudnnRNNRelu
    >>> print(CudnnRNNRelu(1, 3).rnn_mode)
    rnn_relu
    """

    _rnn_mode = _ops.CUDNN_RNN_RELU
    _saveable_cls = _saveables.CudnnRNNReluSaveable
    _num_params_per_layer = _ops.CUDNN_RNN_RELU_PARAMS_PER_LAYER


__all__ = ["CudnnGRU", "CudnnLSTM", "CudnnRNNRelu", "CudnnRNNTanh"]
