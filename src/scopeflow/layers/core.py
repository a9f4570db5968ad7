"""Core ``tf.layers``: ``Dense``/``dense``, ``Dropout``/``dropout``, ``Flatten``/``flatten``.

Graphs, names and defaults are TF's (``tf.compat.v1.layers`` of TF 2.21 = TF 1.15's API): a
dense layer makes ``kernel`` (glorot-uniform) and ``bias`` (zeros), then ``MatMul`` (``Tensordot``
for inputs of rank > 2), ``BiasAdd`` and the activation.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import numbers
from functools import reduce
from operator import mul
from typing import Any

from scopeflow._core.tensor_shape import TensorShape, as_shape
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.tensor import Tensor
from scopeflow.layers._activations import get_activation
from scopeflow.layers._base import InputSpec, Layer, learning_phase, smart_cond
from scopeflow.layers._initializers import get as get_initializer
from scopeflow.ops import array_ops
from scopeflow.ops.constant_op import constant
from scopeflow.ops.dropout_ops import dropout as nn_dropout
from scopeflow.ops.init_ops import zeros_initializer
from scopeflow.ops.matmul_ops import matmul, tensordot
from scopeflow.ops.nn_ops import bias_add
from scopeflow.ops.shape_ops import expand_dims, transpose

_ZEROS = zeros_initializer()


class Dense(Layer):
    """Densely-connected layer: ``activation(inputs @ kernel + bias)`` (``tf.layers.Dense``).

    >>> import scopeflow.compat.v1 as tf
    >>> x = tf.placeholder(tf.float32, [None, 4])
    >>> print(tf.layers.Dense(3, activation=tf.nn.relu)(x))
    Tensor("dense/Relu:0", shape=(?, 3), dtype=float32)
    """

    def __init__(
        self,
        units: int,
        activation: Any = None,
        use_bias: bool = True,
        kernel_initializer: Any = None,
        bias_initializer: Any = _ZEROS,
        kernel_regularizer: Any = None,
        bias_regularizer: Any = None,
        activity_regularizer: Any = None,
        kernel_constraint: Any = None,
        bias_constraint: Any = None,
        trainable: bool = True,
        name: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            trainable=trainable, name=name, activity_regularizer=activity_regularizer, **kwargs
        )
        self.units = int(units) if not isinstance(units, int) else units
        if self.units < 0:
            raise ValueError(
                f"Received an invalid value for `units`, expected a positive integer. "
                f"Received: units={units}"
            )
        self.activation = get_activation(activation)
        self.use_bias = use_bias
        self.kernel_initializer = get_initializer(kernel_initializer)
        self.bias_initializer = get_initializer(bias_initializer)
        self.kernel_regularizer = kernel_regularizer
        self.bias_regularizer = bias_regularizer
        self.kernel_constraint = kernel_constraint
        self.bias_constraint = bias_constraint
        self.input_spec = InputSpec(min_ndim=2)
        self.supports_masking = True

    def build(self, input_shape: Any) -> None:
        """Creates ``kernel`` ``[in, units]`` and ``bias`` ``[units]``."""
        dt = self._dtype
        if dt is not None and not (dt.is_floating or dt.is_complex):
            raise TypeError(
                f"A Dense layer can only be built with a floating-point dtype. Received: dtype={dt}"
            )
        input_shape = as_shape(input_shape)
        last_dim = input_shape.as_list()[-1] if input_shape.ndims else None
        if last_dim is None:
            raise ValueError(
                f"The last dimension of the inputs to a Dense layer should be defined. Found "
                f"None. Full input shape received: {input_shape}"
            )
        self.input_spec = InputSpec(min_ndim=2, axes={-1: last_dim})
        self.kernel = self.add_weight(
            "kernel",
            shape=[last_dim, self.units],
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
            dtype=self.dtype,
            trainable=True,
        )
        if self.use_bias:
            self.bias = self.add_weight(
                "bias",
                shape=[self.units],
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
                dtype=self.dtype,
                trainable=True,
            )
        else:
            self.bias = None
        self.built = True

    def call(self, inputs: Any) -> Any:
        """``MatMul`` (rank 2) or ``Tensordot``, then ``BiasAdd`` and the activation."""
        from scopeflow.ops.math_ops import cast  # noqa: PLC0415

        if inputs.dtype.base_dtype != self._dtype:
            inputs = cast(inputs, self._dtype)
        rank = inputs.shape.ndims
        if rank == 2 or rank is None:
            outputs = matmul(inputs, self.kernel)
        else:
            outputs = tensordot(inputs, self.kernel, [[rank - 1], [0]])
            shape = inputs.shape.as_list()
            outputs.set_shape([*shape[:-1], self.units])
        if self.use_bias:
            outputs = bias_add(outputs, self.bias)
        if self.activation is not None:
            return self.activation(outputs)
        return outputs

    def compute_output_shape(self, input_shape: Any) -> TensorShape:
        """``input_shape[:-1] + [units]``."""
        input_shape = as_shape(input_shape).with_rank_at_least(2)
        if input_shape.as_list()[-1] is None:
            raise ValueError(
                f"The last dimension of the input shape of a Dense layer should be defined. "
                f"Found None. Received: input_shape={input_shape}"
            )
        return input_shape[:-1].concatenate(self.units)


def dense(
    inputs: Any,
    units: int,
    activation: Any = None,
    use_bias: bool = True,
    kernel_initializer: Any = None,
    bias_initializer: Any = _ZEROS,
    kernel_regularizer: Any = None,
    bias_regularizer: Any = None,
    activity_regularizer: Any = None,
    kernel_constraint: Any = None,
    bias_constraint: Any = None,
    trainable: bool = True,
    name: Any = None,
    reuse: Any = None,
) -> Any:
    """Functional form of ``Dense`` (``tf.layers.dense``); ``name``/``reuse`` select the scope.

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.layers.dense(tf.zeros([2, 4]), 3).name)
    dense/BiasAdd:0
    """
    layer = Dense(
        units,
        activation=activation,
        use_bias=use_bias,
        kernel_initializer=kernel_initializer,
        bias_initializer=bias_initializer,
        kernel_regularizer=kernel_regularizer,
        bias_regularizer=bias_regularizer,
        activity_regularizer=activity_regularizer,
        kernel_constraint=kernel_constraint,
        bias_constraint=bias_constraint,
        trainable=trainable,
        name=name,
        _scope=name,
        _reuse=reuse,
    )
    return layer(inputs)


class Dropout(Layer):
    """Applies dropout in training mode (``tf.layers.Dropout``); ``training`` defaults to False.

    As TF 2.21's legacy layer: training runs ``tf.nn.dropout`` (named ``dropout/dropout/...``)
    with ``seed``, then ``seed + 1``, ... on later calls of the same layer; inference is an
    ``Identity``; a tensor ``training`` builds a ``cond``.

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.layers.Dropout(0.5)(tf.zeros([2, 4]), training=True).name)
    dropout/dropout/SelectV2:0
    """

    def __init__(
        self,
        rate: Any = 0.5,
        noise_shape: Any = None,
        seed: int | None = None,
        name: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(name=name, **kwargs)
        if isinstance(rate, (int, float)) and not 0 <= rate <= 1:
            raise ValueError(
                f"Invalid value {rate} received for `rate`, expected a value between 0 and 1."
            )
        self.rate = rate
        self.noise_shape = noise_shape
        self.seed = seed
        self.supports_masking = True

    def _next_seed(self) -> int | None:
        if self.seed is None:
            return None
        seed = self.seed
        self.seed += 1
        return seed

    def _get_noise_shape(self, inputs: Any) -> Any:
        if self.noise_shape is None:
            return None
        if isinstance(self.noise_shape, Tensor):
            # TF iterates over ``noise_shape`` in graph mode, which a tensor does not allow.
            raise TypeError(
                "You are attempting to use Python control flow in a layer that was not declared "
                "to be dynamic. Pass `dynamic=True` to the class constructor.\nEncountered "
                'error:\n"""\nIterating over a symbolic `tf.Tensor` is not allowed.\n"""'
            )
        shape = array_ops.shape(inputs)
        return convert_to_tensor(
            [shape[i] if value is None else value for i, value in enumerate(self.noise_shape)]
        )

    def call(self, inputs: Any, training: Any = False) -> Any:
        """``tf.nn.dropout(inputs, rate)`` when ``training`` holds, else ``Identity``."""
        if isinstance(self.rate, numbers.Real) and self.rate == 0:
            return array_ops.identity(inputs)
        if training is None:
            training = learning_phase()

        def dropped() -> Any:
            return nn_dropout(
                inputs,
                rate=self.rate,
                noise_shape=self._get_noise_shape(inputs),
                seed=self._next_seed(),
            )

        return smart_cond(training, dropped, lambda: array_ops.identity(inputs))

    def compute_output_shape(self, input_shape: Any) -> Any:
        """The input shape."""
        return input_shape


def dropout(
    inputs: Any,
    rate: Any = 0.5,
    noise_shape: Any = None,
    seed: int | None = None,
    training: Any = False,
    name: Any = None,
) -> Any:
    """Functional form of ``Dropout`` (``tf.layers.dropout``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.layers.dropout(tf.zeros([2, 4])).name)
    dropout/Identity:0
    """
    layer = Dropout(rate, noise_shape=noise_shape, seed=seed, name=name)
    return layer(inputs, training=training)


class Flatten(Layer):
    """Flattens all but the batch dimension (``tf.layers.Flatten``), keeping static shapes.

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.layers.Flatten()(tf.placeholder(tf.float32, [None, 2, 3])))
    Tensor("flatten/Reshape:0", shape=(?, 6), dtype=float32)
    """

    def __init__(self, data_format: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.data_format = _normalize_data_format(data_format)
        self.input_spec = InputSpec(min_ndim=1)
        self._channels_first = self.data_format == "channels_first"

    def call(self, inputs: Any) -> Any:
        """A ``Reshape`` to ``[batch, -1]`` (``ExpandDims`` for rank-1 inputs)."""
        if self._channels_first:
            rank = inputs.shape.ndims
            if rank and rank > 1:
                inputs = transpose(inputs, perm=[0, *range(2, rank), 1])
        input_shape = inputs.shape
        if input_shape.ndims == 1:
            return expand_dims(inputs, axis=1)
        dims = input_shape.as_list() if input_shape.ndims is not None else None
        batch_dim = dims[0] if dims else None
        rest = input_shape[1:] if dims is not None else TensorShape(None)
        if rest.is_fully_defined():
            last = int(reduce(mul, rest.as_list(), 1))
            shape: Any = constant([-1, last])
        elif batch_dim is not None:
            shape = constant([int(batch_dim), -1])
        else:
            shape = [array_ops.shape(inputs)[0], -1]
        return array_ops.reshape(inputs, shape)

    def compute_output_shape(self, input_shape: Any) -> TensorShape:
        """``[batch, prod(rest)]``."""
        dims = as_shape(input_shape).as_list()
        if not dims:
            return TensorShape([1])
        rest = dims[1:]
        flat = None if any(d is None for d in rest) else int(reduce(mul, rest, 1))
        return TensorShape([dims[0], flat])


def flatten(inputs: Any, name: Any = None, data_format: str = "channels_last") -> Any:
    """Functional form of ``Flatten`` (``tf.layers.flatten``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.layers.flatten(tf.zeros([2, 3, 4])).shape)
    (2, 12)
    """
    return Flatten(name=name, data_format=data_format)(inputs)


def _normalize_data_format(value: str | None) -> str:
    if value is None:
        return "channels_last"
    fmt = value.lower()
    if fmt not in {"channels_first", "channels_last"}:
        raise ValueError(
            f'The `data_format` argument must be one of "channels_first", "channels_last". '
            f"Received: {value}"
        )
    return fmt


__all__ = ["Dense", "Dropout", "Flatten", "dense", "dropout", "flatten"]
