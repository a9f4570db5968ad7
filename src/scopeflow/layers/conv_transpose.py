"""Transposed-convolution ``tf.layers``: ``Conv2DTranspose``, ``Conv3DTranspose``, functions.

TF's variables (``kernel`` shaped ``kernel_size + (filters, in)``), op names (``Shape``/``stack``
of the output shape, ``conv2d_transpose``, ``BiasAdd``) and static shapes.

Differences from TensorFlow: ``data_format='channels_first'`` computes in NHWC between two
``transpose`` ops, as TF's Keras does on CPU, without TF's exact shape-tensor ops.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from typing import Any

from scopeflow._core.tensor_shape import TensorShape, as_shape
from scopeflow.layers._base import InputSpec
from scopeflow.layers.convolutional import (
    _ZEROS,
    _Conv,
    _conv_init,
    _functional,
    deconv_output_length,
)
from scopeflow.ops import array_ops
from scopeflow.ops.conv_ops import conv2d_transpose as nn_conv2d_transpose
from scopeflow.ops.conv_ops import conv3d_transpose as nn_conv3d_transpose
from scopeflow.ops.nn_ops import bias_add
from scopeflow.ops.shape_ops import transpose


class _ConvTranspose(_Conv):
    """Transposed convolution (the gradient of a convolution with respect to its input)."""

    def build(self, input_shape: Any) -> None:
        """Creates ``kernel`` ``kernel_size + (filters, in)`` and ``bias``."""
        input_shape = as_shape(input_shape)
        n = self._rank + 2
        if input_shape.ndims is not None and input_shape.ndims != n:
            raise ValueError(f"Inputs should have rank {n}. Received input_shape={input_shape}.")
        channel = self._input_channel(input_shape)
        axis = self._channel_axis % n
        self.input_spec = InputSpec(ndim=n, axes={axis: channel})
        self.kernel = self.add_weight(
            name="kernel",
            shape=(*self.kernel_size, self.filters, channel),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
            trainable=True,
            dtype=self.dtype,
        )
        self.bias = self._make_bias()
        self.built = True

    def call(self, inputs: Any) -> Any:
        """``Shape``/``stack`` of the output shape, the transposed convolution, ``BiasAdd``."""
        shape_t = array_ops.shape(inputs)
        batch = shape_t[0]
        first = self.data_format == "channels_first"
        axes = list(range(2, self._rank + 2)) if first else list(range(1, self._rank + 1))
        dims = inputs.shape.as_list()
        # TF's Conv2DTranspose uses known static sizes; Conv3DTranspose always slices Shape.
        lengths = [
            dims[ax] if self._rank == 2 and dims[ax] is not None else shape_t[ax] for ax in axes
        ]
        sizes = [
            deconv_output_length(n, self.kernel_size[i], self.padding, self.strides[i])
            for i, n in enumerate(lengths)
        ]
        full = [batch, self.filters, *sizes] if first else [batch, *sizes, self.filters]
        out_shape = array_ops.stack(full)
        x = inputs
        if first:
            x = transpose(x, [0, *range(2, self._rank + 2), 1])
            out_shape = array_ops.stack([batch, *sizes, self.filters])
        strides = [1, *self.strides, 1]
        if self._rank == 2:
            _ = out_shape[0]  # TF's Keras backend indexes the shape tensor here (strided_slice_1)
            outputs = nn_conv2d_transpose(
                x, self.kernel, out_shape, strides, padding=self.padding.upper(), data_format="NHWC"
            )
        else:
            outputs = nn_conv3d_transpose(
                x,
                self.kernel,
                out_shape,
                strides,
                padding=self.padding.upper(),
                data_format="NDHWC",
            )
        if first:
            outputs = transpose(outputs, [0, self._rank + 1, *range(1, self._rank + 1)])
        if inputs.shape.ndims:
            outputs.set_shape(self.compute_output_shape(inputs.shape))
        if self.use_bias:
            outputs = bias_add(outputs, self.bias, data_format="NCHW" if first else "NHWC")
        if self.activation is not None:
            return self.activation(outputs)
        return outputs

    def compute_output_shape(self, input_shape: Any) -> TensorShape:
        """Keras's ``deconv_output_length`` per spatial axis; channels become ``filters``."""
        dims = as_shape(input_shape).as_list()
        first = self.data_format == "channels_first"
        c_axis = 1 if first else len(dims) - 1
        axes = list(range(2, self._rank + 2)) if first else list(range(1, self._rank + 1))
        dims[c_axis] = self.filters
        for i, ax in enumerate(axes):
            dims[ax] = deconv_output_length(
                dims[ax], self.kernel_size[i], self.padding, self.strides[i]
            )
        return TensorShape(dims)


class Conv2DTranspose(_ConvTranspose):
    """Transposed 2-D convolution layer (``tf.layers.Conv2DTranspose``).

    >>> import scopeflow.compat.v1 as tf
    >>> x = tf.placeholder(tf.float32, [None, 5, 5, 3])
    >>> print(tf.layers.Conv2DTranspose(4, 3, strides=2, padding="same")(x))
    Tensor("conv2d_transpose/BiasAdd:0", shape=(?, 10, 10, 4), dtype=float32)
    """

    _rank = 2

    def __init__(
        self,
        filters: int,
        kernel_size: Any,
        strides: Any = (1, 1),
        padding: str = "valid",
        data_format: str = "channels_last",
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
        _conv_init(
            self,
            filters,
            kernel_size,
            strides,
            padding,
            data_format,
            1,
            activation,
            use_bias,
            kernel_initializer,
            bias_initializer,
            kernel_regularizer,
            bias_regularizer,
            activity_regularizer,
            kernel_constraint,
            bias_constraint,
            trainable,
            name,
            kwargs,
        )
        self.input_spec = InputSpec(ndim=4)


class Conv3DTranspose(_ConvTranspose):
    """Transposed 3-D convolution layer (``tf.layers.Conv3DTranspose``).

    >>> import scopeflow.compat.v1 as tf
    >>> x = tf.placeholder(tf.float32, [None, 5, 5, 5, 3])
    >>> print(tf.layers.Conv3DTranspose(4, 3, strides=2)(x))
    Tensor("conv3d_transpose/BiasAdd:0", shape=(?, 11, 11, 11, 4), dtype=float32)
    """

    _rank = 3

    def __init__(
        self,
        filters: int,
        kernel_size: Any,
        strides: Any = (1, 1, 1),
        padding: str = "valid",
        data_format: str = "channels_last",
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
        _conv_init(
            self,
            filters,
            kernel_size,
            strides,
            padding,
            data_format,
            1,
            activation,
            use_bias,
            kernel_initializer,
            bias_initializer,
            kernel_regularizer,
            bias_regularizer,
            activity_regularizer,
            kernel_constraint,
            bias_constraint,
            trainable,
            name,
            kwargs,
        )
        self.input_spec = InputSpec(ndim=5)


def conv2d_transpose(
    inputs: Any,
    filters: int,
    kernel_size: Any,
    strides: Any = (1, 1),
    padding: str = "valid",
    data_format: str = "channels_last",
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
    """Functional form of ``Conv2DTranspose`` (``tf.layers.conv2d_transpose``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.layers.conv2d_transpose(tf.zeros([1, 5, 5, 3]), 4, 3, strides=2).shape)
    (1, 11, 11, 4)
    """
    return _functional(
        Conv2DTranspose,
        inputs,
        (filters, kernel_size),
        {
            "strides": strides,
            "padding": padding,
            "data_format": data_format,
            "activation": activation,
            "use_bias": use_bias,
            "kernel_initializer": kernel_initializer,
            "bias_initializer": bias_initializer,
            "kernel_regularizer": kernel_regularizer,
            "bias_regularizer": bias_regularizer,
            "activity_regularizer": activity_regularizer,
            "kernel_constraint": kernel_constraint,
            "bias_constraint": bias_constraint,
            "trainable": trainable,
            "name": name,
            "reuse": reuse,
        },
    )


def conv3d_transpose(
    inputs: Any,
    filters: int,
    kernel_size: Any,
    strides: Any = (1, 1, 1),
    padding: str = "valid",
    data_format: str = "channels_last",
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
    """Functional form of ``Conv3DTranspose`` (``tf.layers.conv3d_transpose``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.layers.conv3d_transpose(tf.zeros([1, 2, 2, 2, 3]), 4, 2, strides=2).shape)
    (1, 4, 4, 4, 4)
    """
    return _functional(
        Conv3DTranspose,
        inputs,
        (filters, kernel_size),
        {
            "strides": strides,
            "padding": padding,
            "data_format": data_format,
            "activation": activation,
            "use_bias": use_bias,
            "kernel_initializer": kernel_initializer,
            "bias_initializer": bias_initializer,
            "kernel_regularizer": kernel_regularizer,
            "bias_regularizer": bias_regularizer,
            "activity_regularizer": activity_regularizer,
            "kernel_constraint": kernel_constraint,
            "bias_constraint": bias_constraint,
            "trainable": trainable,
            "name": name,
            "reuse": reuse,
        },
    )


__all__ = ["Conv2DTranspose", "Conv3DTranspose", "conv2d_transpose", "conv3d_transpose"]
