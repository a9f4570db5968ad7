"""Depthwise-separable convolution ``tf.layers``: ``SeparableConv1D``, ``SeparableConv2D``.

Variables ``depthwise_kernel``, ``pointwise_kernel``, ``bias``; ``tf.nn.separable_conv2d``, with
``ExpandDims``/``Squeeze`` around it in 1-D, as TF.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from typing import Any

from scopeflow._core.tensor_shape import as_shape
from scopeflow.layers._base import InputSpec
from scopeflow.layers._initializers import get as get_initializer
from scopeflow.layers.convolutional import _ZEROS, _Conv, _conv_init, _functional
from scopeflow.ops.conv_ops import separable_conv2d as nn_separable_conv2d
from scopeflow.ops.nn_ops import bias_add
from scopeflow.ops.shape_ops import expand_dims, squeeze


class _SeparableConv(_Conv):
    """Depthwise then pointwise convolution (``SeparableConv1D``/``SeparableConv2D``)."""

    def __init__(
        self,
        filters: int,
        kernel_size: Any,
        strides: Any,
        padding: str,
        data_format: str,
        dilation_rate: Any,
        depth_multiplier: int,
        activation: Any,
        use_bias: bool,
        depthwise_initializer: Any,
        pointwise_initializer: Any,
        bias_initializer: Any,
        depthwise_regularizer: Any,
        pointwise_regularizer: Any,
        bias_regularizer: Any,
        activity_regularizer: Any,
        depthwise_constraint: Any,
        pointwise_constraint: Any,
        bias_constraint: Any,
        trainable: bool,
        name: Any,
        **kwargs: Any,
    ) -> None:
        _conv_init(
            self,
            filters,
            kernel_size,
            strides,
            padding,
            data_format,
            dilation_rate,
            activation,
            use_bias,
            None,
            bias_initializer,
            None,
            bias_regularizer,
            activity_regularizer,
            None,
            bias_constraint,
            trainable,
            name,
            kwargs,
        )
        self.depth_multiplier = depth_multiplier
        self.depthwise_initializer = get_initializer(depthwise_initializer)
        self.pointwise_initializer = get_initializer(pointwise_initializer)
        self.depthwise_regularizer = depthwise_regularizer
        self.pointwise_regularizer = pointwise_regularizer
        self.depthwise_constraint = depthwise_constraint
        self.pointwise_constraint = pointwise_constraint

    def build(self, input_shape: Any) -> None:
        """Creates ``depthwise_kernel``, ``pointwise_kernel`` and ``bias``."""
        input_shape = as_shape(input_shape)
        channel = self._input_channel(input_shape)
        self.input_spec = InputSpec(
            ndim=self._rank + 2, axes={self._channel_axis % (self._rank + 2): channel}
        )
        self.depthwise_kernel = self.add_weight(
            name="depthwise_kernel",
            shape=(*self.kernel_size, channel, self.depth_multiplier),
            initializer=self.depthwise_initializer,
            regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint,
            trainable=True,
            dtype=self.dtype,
        )
        self.pointwise_kernel = self.add_weight(
            name="pointwise_kernel",
            shape=(*((1,) * self._rank), self.depth_multiplier * channel, self.filters),
            initializer=self.pointwise_initializer,
            regularizer=self.pointwise_regularizer,
            constraint=self.pointwise_constraint,
            trainable=True,
            dtype=self.dtype,
        )
        self.bias = self._make_bias()
        self.built = True

    def call(self, inputs: Any) -> Any:
        """``tf.nn.separable_conv2d`` (with ``ExpandDims``/``Squeeze`` in 1-D), ``BiasAdd``."""
        first = self.data_format == "channels_first"
        df = "NCHW" if first else "NHWC"
        if self._rank == 1:
            if self.padding == "causal":
                inputs = self._causal_pad(inputs)
            strides = (1, 1, *(self.strides * 2)) if first else (1, *(self.strides * 2), 1)
            start = 2 if first else 1
            inputs = expand_dims(inputs, start)
            dw = expand_dims(self.depthwise_kernel, 0)
            pw = expand_dims(self.pointwise_kernel, 0)
            rate = (1, *self.dilation_rate)
            padding = "VALID" if self.padding == "causal" else self.padding.upper()
            outputs = nn_separable_conv2d(
                inputs,
                dw,
                pw,
                strides=list(strides),
                padding=padding,
                rate=list(rate),
                data_format=df,
            )
            if self.use_bias:
                outputs = bias_add(outputs, self.bias, data_format=df)
            outputs = squeeze(outputs, [start])
        else:
            strides = (1, 1, *self.strides) if first else (1, *self.strides, 1)
            outputs = nn_separable_conv2d(
                inputs,
                self.depthwise_kernel,
                self.pointwise_kernel,
                strides=list(strides),
                padding=self.padding.upper(),
                rate=list(self.dilation_rate),
                data_format=df,
            )
            if self.use_bias:
                outputs = bias_add(outputs, self.bias, data_format=df)
        if self.activation is not None:
            return self.activation(outputs)
        return outputs


class SeparableConv1D(_SeparableConv):
    """Depthwise-separable 1-D convolution layer (``tf.layers.SeparableConv1D``).

    >>> import scopeflow.compat.v1 as tf
    >>> x = tf.placeholder(tf.float32, [None, 10, 3])
    >>> print(tf.layers.SeparableConv1D(4, 3)(x))
    Tensor("separable_conv1d/Squeeze:0", shape=(?, 8, 4), dtype=float32)
    """

    _rank = 1

    def __init__(
        self,
        filters: int,
        kernel_size: Any,
        strides: Any = 1,
        padding: str = "valid",
        data_format: str = "channels_last",
        dilation_rate: Any = 1,
        depth_multiplier: int = 1,
        activation: Any = None,
        use_bias: bool = True,
        depthwise_initializer: Any = None,
        pointwise_initializer: Any = None,
        bias_initializer: Any = _ZEROS,
        depthwise_regularizer: Any = None,
        pointwise_regularizer: Any = None,
        bias_regularizer: Any = None,
        activity_regularizer: Any = None,
        depthwise_constraint: Any = None,
        pointwise_constraint: Any = None,
        bias_constraint: Any = None,
        trainable: bool = True,
        name: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            filters,
            kernel_size,
            strides,
            padding,
            data_format,
            dilation_rate,
            depth_multiplier,
            activation,
            use_bias,
            depthwise_initializer,
            pointwise_initializer,
            bias_initializer,
            depthwise_regularizer,
            pointwise_regularizer,
            bias_regularizer,
            activity_regularizer,
            depthwise_constraint,
            pointwise_constraint,
            bias_constraint,
            trainable,
            name,
            **kwargs,
        )


class SeparableConv2D(_SeparableConv):
    """Depthwise-separable 2-D convolution layer (``tf.layers.SeparableConv2D``).

    >>> import scopeflow.compat.v1 as tf
    >>> x = tf.placeholder(tf.float32, [None, 10, 10, 3])
    >>> print(tf.layers.SeparableConv2D(4, 3)(x))
    Tensor("separable_conv2d/BiasAdd:0", shape=(?, 8, 8, 4), dtype=float32)
    """

    _rank = 2

    def __init__(
        self,
        filters: int,
        kernel_size: Any,
        strides: Any = (1, 1),
        padding: str = "valid",
        data_format: str = "channels_last",
        dilation_rate: Any = (1, 1),
        depth_multiplier: int = 1,
        activation: Any = None,
        use_bias: bool = True,
        depthwise_initializer: Any = None,
        pointwise_initializer: Any = None,
        bias_initializer: Any = _ZEROS,
        depthwise_regularizer: Any = None,
        pointwise_regularizer: Any = None,
        bias_regularizer: Any = None,
        activity_regularizer: Any = None,
        depthwise_constraint: Any = None,
        pointwise_constraint: Any = None,
        bias_constraint: Any = None,
        trainable: bool = True,
        name: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            filters,
            kernel_size,
            strides,
            padding,
            data_format,
            dilation_rate,
            depth_multiplier,
            activation,
            use_bias,
            depthwise_initializer,
            pointwise_initializer,
            bias_initializer,
            depthwise_regularizer,
            pointwise_regularizer,
            bias_regularizer,
            activity_regularizer,
            depthwise_constraint,
            pointwise_constraint,
            bias_constraint,
            trainable,
            name,
            **kwargs,
        )


def separable_conv1d(
    inputs: Any,
    filters: int,
    kernel_size: Any,
    strides: Any = 1,
    padding: str = "valid",
    data_format: str = "channels_last",
    dilation_rate: Any = 1,
    depth_multiplier: int = 1,
    activation: Any = None,
    use_bias: bool = True,
    depthwise_initializer: Any = None,
    pointwise_initializer: Any = None,
    bias_initializer: Any = _ZEROS,
    depthwise_regularizer: Any = None,
    pointwise_regularizer: Any = None,
    bias_regularizer: Any = None,
    activity_regularizer: Any = None,
    depthwise_constraint: Any = None,
    pointwise_constraint: Any = None,
    bias_constraint: Any = None,
    trainable: bool = True,
    name: Any = None,
    reuse: Any = None,
) -> Any:
    """Functional form of ``SeparableConv1D`` (``tf.layers.separable_conv1d``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.layers.separable_conv1d(tf.zeros([2, 10, 3]), 4, 3).name)
    separable_conv1d/Squeeze:0
    """
    return _functional(
        SeparableConv1D,
        inputs,
        (filters, kernel_size),
        {
            "strides": strides,
            "padding": padding,
            "data_format": data_format,
            "dilation_rate": dilation_rate,
            "depth_multiplier": depth_multiplier,
            "activation": activation,
            "use_bias": use_bias,
            "depthwise_initializer": depthwise_initializer,
            "pointwise_initializer": pointwise_initializer,
            "bias_initializer": bias_initializer,
            "depthwise_regularizer": depthwise_regularizer,
            "pointwise_regularizer": pointwise_regularizer,
            "bias_regularizer": bias_regularizer,
            "activity_regularizer": activity_regularizer,
            "depthwise_constraint": depthwise_constraint,
            "pointwise_constraint": pointwise_constraint,
            "bias_constraint": bias_constraint,
            "trainable": trainable,
            "name": name,
            "reuse": reuse,
        },
    )


def separable_conv2d(
    inputs: Any,
    filters: int,
    kernel_size: Any,
    strides: Any = (1, 1),
    padding: str = "valid",
    data_format: str = "channels_last",
    dilation_rate: Any = (1, 1),
    depth_multiplier: int = 1,
    activation: Any = None,
    use_bias: bool = True,
    depthwise_initializer: Any = None,
    pointwise_initializer: Any = None,
    bias_initializer: Any = _ZEROS,
    depthwise_regularizer: Any = None,
    pointwise_regularizer: Any = None,
    bias_regularizer: Any = None,
    activity_regularizer: Any = None,
    depthwise_constraint: Any = None,
    pointwise_constraint: Any = None,
    bias_constraint: Any = None,
    trainable: bool = True,
    name: Any = None,
    reuse: Any = None,
) -> Any:
    """Functional form of ``SeparableConv2D`` (``tf.layers.separable_conv2d``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.layers.separable_conv2d(tf.zeros([2, 10, 10, 3]), 4, 3).name)
    separable_conv2d/BiasAdd:0
    """
    return _functional(
        SeparableConv2D,
        inputs,
        (filters, kernel_size),
        {
            "strides": strides,
            "padding": padding,
            "data_format": data_format,
            "dilation_rate": dilation_rate,
            "depth_multiplier": depth_multiplier,
            "activation": activation,
            "use_bias": use_bias,
            "depthwise_initializer": depthwise_initializer,
            "pointwise_initializer": pointwise_initializer,
            "bias_initializer": bias_initializer,
            "depthwise_regularizer": depthwise_regularizer,
            "pointwise_regularizer": pointwise_regularizer,
            "bias_regularizer": bias_regularizer,
            "activity_regularizer": activity_regularizer,
            "depthwise_constraint": depthwise_constraint,
            "pointwise_constraint": pointwise_constraint,
            "bias_constraint": bias_constraint,
            "trainable": trainable,
            "name": name,
            "reuse": reuse,
        },
    )


__all__ = ["SeparableConv1D", "SeparableConv2D", "separable_conv1d", "separable_conv2d"]
