"""Convolution ``tf.layers``: ``Conv1D/2D/3D`` and their functional forms.

With TF's variables, ops and static shapes; also the shared convolution base and Keras's
``conv_utils`` helpers used by ``conv_transpose`` and ``separable``.

As TF 2.21's ``tf.compat.v1.layers`` (TF 1.15's API): ``kernel`` (glorot-uniform, shaped
``kernel_size + (in, filters)``) and ``bias`` (zeros); the convolution is named after the class
(``conv2d/Conv2D``, ``conv1d/Conv1D``), then ``BiasAdd`` and the activation.

Differences from TensorFlow: with ``dilation_rate`` > 1 TF wraps a 2-D/3-D convolution in
``SpaceToBatchND``/``BatchToSpaceND``; here one dilated op named as TF's result
(``conv2d/Conv2D/BatchToSpaceND``) computes the same values.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from typing import Any

from scopeflow._core.tensor_shape import TensorShape, as_shape
from scopeflow.graph.graph import get_default_graph
from scopeflow.layers._activations import get_activation
from scopeflow.layers._base import InputSpec, Layer
from scopeflow.layers._initializers import get as get_initializer
from scopeflow.layers.core import _normalize_data_format
from scopeflow.ops import array_ops
from scopeflow.ops.conv_ops import conv1d as nn_conv1d
from scopeflow.ops.conv_ops import conv2d as nn_conv2d
from scopeflow.ops.conv_ops import conv3d as nn_conv3d
from scopeflow.ops.init_ops import zeros_initializer
from scopeflow.ops.nn_ops import bias_add
from scopeflow.ops.shape_ops import pad

_ZEROS = zeros_initializer()


def normalize_tuple(value: Any, n: int, name: str, allow_zero: bool = False) -> tuple[int, ...]:
    """Keras's ``conv_utils.normalize_tuple``: an int or ``n`` ints, as a tuple of ``n`` ints."""
    error = f"The `{name}` argument must be a tuple of {n} integers. Received: {value}"
    if isinstance(value, int):
        out: tuple[Any, ...] = (value,) * n
    else:
        try:
            out = tuple(value)
        except TypeError:
            raise ValueError(error) from None
        if len(out) != n:
            raise ValueError(error)
        for v in out:
            try:
                int(v)
            except (ValueError, TypeError):
                raise ValueError(f"{error}including element {v} of type {type(v)}") from None
    bad = {v for v in out if (v < 0 if allow_zero else v <= 0)}
    if bad:
        req = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{error} including {bad} that does not satisfy the requirement `{req}`.")
    return tuple(int(v) for v in out)


def normalize_padding(value: Any) -> str:
    """``'valid'``, ``'same'`` or ``'causal'`` (case-insensitive), as Keras checks it."""
    if isinstance(value, (list, tuple)):
        return value  # type: ignore[return-value]
    padding = value.lower()
    if padding not in {"valid", "same", "causal"}:
        raise ValueError(
            "The `padding` argument must be a list/tuple or one of "
            f'"valid", "same" (or "causal", only for `Conv1D). Received: {padding}'
        )
    return padding


def conv_output_length(
    length: int | None, k: int, padding: str, stride: int, dilation: int = 1
) -> int | None:
    """Keras's ``conv_utils.conv_output_length``."""
    if length is None:
        return None
    k = k + (k - 1) * (dilation - 1)
    if padding in ("same", "causal"):
        out = length
    elif padding == "valid":
        out = length - k + 1
    else:
        out = length + k - 1
    return (out + stride - 1) // stride


def deconv_output_length(length: Any, k: int, padding: str, stride: int) -> Any:
    """Keras's ``conv_utils.deconv_output_length`` (no output padding, dilation 1).

    Works on ints and on int32 tensors (``mul``/``add`` ops, as TF).
    """
    if length is None:
        return None
    if padding == "valid":
        return length * stride + max(k - stride, 0)
    if padding == "full":
        return length * stride - (stride + k - 2)
    return length * stride


def _tf_data_format(data_format: str, ndim: int) -> str:
    last = {3: "NWC", 4: "NHWC", 5: "NDHWC"}
    first = {3: "NCW", 4: "NCHW", 5: "NCDHW"}
    return (first if data_format == "channels_first" else last)[ndim]


class _Conv(Layer):
    """The N-D convolution layer shared by ``Conv1D``, ``Conv2D`` and ``Conv3D``."""

    _rank = 2

    def __init__(
        self,
        filters: int,
        kernel_size: Any,
        strides: Any = 1,
        padding: str = "valid",
        data_format: str | None = "channels_last",
        dilation_rate: Any = 1,
        activation: Any = None,
        use_bias: bool = True,
        kernel_initializer: Any = None,
        bias_initializer: Any = None,
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
        rank = self._rank
        if filters is not None and not isinstance(filters, int):
            filters = int(filters)
        if filters is not None and filters <= 0:
            raise ValueError(
                "Invalid value for argument `filters`. Expected a strictly positive value. "
                f"Received filters={filters}."
            )
        self.filters = filters
        self.kernel_size = normalize_tuple(kernel_size, rank, "kernel_size")
        self.strides = normalize_tuple(strides, rank, "strides", allow_zero=True)
        self.padding = normalize_padding(padding)
        self.data_format = _normalize_data_format(data_format)
        self.dilation_rate = normalize_tuple(dilation_rate, rank, "dilation_rate")
        self.activation = get_activation(activation)
        self.use_bias = use_bias
        self.kernel_initializer = get_initializer(kernel_initializer)
        self.bias_initializer = get_initializer(bias_initializer)
        self.kernel_regularizer = kernel_regularizer
        self.bias_regularizer = bias_regularizer
        self.kernel_constraint = kernel_constraint
        self.bias_constraint = bias_constraint
        self.input_spec = InputSpec(min_ndim=rank + 2)
        if not all(self.kernel_size):
            raise ValueError(
                f"The argument `kernel_size` cannot contain 0(s). Received: {(kernel_size,)}"
            )
        if not all(self.strides):
            raise ValueError(f"The argument `strides` cannot contains 0(s). Received: {(strides,)}")
        if self.padding == "causal" and type(self).__name__ not in ("Conv1D", "SeparableConv1D"):
            raise ValueError("Causal padding is only supported for `Conv1D`and `SeparableConv1D`.")
        self._tf_data_format = _tf_data_format(self.data_format, rank + 2)

    @property
    def _channel_axis(self) -> int:
        return 1 if self.data_format == "channels_first" else -1

    def _input_channel(self, input_shape: TensorShape) -> int:
        dims = input_shape.as_list()
        channel = dims[self._channel_axis]
        if channel is None:
            raise ValueError(
                "The channel dimension of the inputs should be defined. The input_shape "
                f"received is {input_shape}, where axis {self._channel_axis} (0-based) is the "
                "channel dimension, which found to be `None`."
            )
        return int(channel)

    def build(self, input_shape: Any) -> None:
        """Creates ``kernel`` and ``bias``."""
        input_shape = as_shape(input_shape)
        channel = self._input_channel(input_shape)
        self.kernel = self.add_weight(
            name="kernel",
            shape=(*self.kernel_size, channel, self.filters),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
            trainable=True,
            dtype=self.dtype,
        )
        self.bias = self._make_bias()
        axis = self._channel_axis % (self._rank + 2)
        self.input_spec = InputSpec(min_ndim=self._rank + 2, axes={axis: channel})
        self.built = True

    def _make_bias(self) -> Any:
        if not self.use_bias:
            return None
        return self.add_weight(
            name="bias",
            shape=(self.filters,),
            initializer=self.bias_initializer,
            regularizer=self.bias_regularizer,
            constraint=self.bias_constraint,
            trainable=True,
            dtype=self.dtype,
        )

    def _causal_pad(self, inputs: Any) -> Any:
        left = self.dilation_rate[0] * (self.kernel_size[0] - 1)
        if self.data_format == "channels_last":
            return pad(inputs, [[0, 0], [left, 0], [0, 0]])
        return pad(inputs, [[0, 0], [0, 0], [left, 0]])

    def _convolution(self, inputs: Any) -> Any:
        padding = "VALID" if self.padding == "causal" else self.padding.upper()
        name = type(self).__name__
        if self._rank == 1:
            return nn_conv1d(
                inputs,
                self.kernel,
                stride=list(self.strides),
                padding=padding,
                data_format=self._tf_data_format,
                dilations=list(self.dilation_rate),
                name=name,
            )
        first = self.data_format == "channels_first"
        strides = [1, 1, *self.strides] if first else [1, *self.strides, 1]
        dil = [1, 1, *self.dilation_rate] if first else [1, *self.dilation_rate, 1]
        op = nn_conv2d if self._rank == 2 else nn_conv3d
        if any(r != 1 for r in self.dilation_rate):
            # TF's result is ``<Class>/BatchToSpaceND`` of a SpaceToBatchND/conv/BatchToSpaceND
            # chain; here one dilated convolution carries that name (same values).
            unique = get_default_graph().unique_name(name)
            name = unique.rsplit("/", 1)[-1] + "/BatchToSpaceND"
        return op(
            inputs,
            self.kernel,
            strides=strides,
            padding=padding,
            data_format=self._tf_data_format,
            dilations=dil,
            name=name,
        )

    def _bias_add(self, outputs: Any) -> Any:
        first = self.data_format == "channels_first"
        if self._rank == 1 and first:
            return outputs + array_ops.reshape(self.bias, (1, self.filters, 1))
        return bias_add(outputs, self.bias, data_format="NCHW" if first else "NHWC")

    def call(self, inputs: Any) -> Any:
        """Convolution, ``BiasAdd``, static shape, activation."""
        input_shape = inputs.shape
        if self.padding == "causal":
            inputs = self._causal_pad(inputs)
        outputs = self._convolution(inputs)
        if self.use_bias:
            outputs = self._bias_add(outputs)
        if input_shape.ndims:
            outputs.set_shape(self.compute_output_shape(input_shape))
        if self.activation is not None:
            return self.activation(outputs)
        return outputs

    def compute_output_shape(self, input_shape: Any) -> TensorShape:
        """The convolution's output shape (Keras's ``conv_output_length`` per spatial axis)."""
        dims = as_shape(input_shape).as_list()
        first = self.data_format == "channels_first"
        spatial = dims[2:] if first else dims[1:-1]
        out = [
            conv_output_length(d, k, self.padding, s, r)
            for d, k, s, r in zip(
                spatial, self.kernel_size, self.strides, self.dilation_rate, strict=True
            )
        ]
        return TensorShape(
            [dims[0], self.filters, *out] if first else [dims[0], *out, self.filters]
        )


def _conv_init(
    self: Any,
    filters: Any,
    kernel_size: Any,
    strides: Any,
    padding: Any,
    data_format: Any,
    dilation_rate: Any,
    activation: Any,
    use_bias: Any,
    kernel_initializer: Any,
    bias_initializer: Any,
    kernel_regularizer: Any,
    bias_regularizer: Any,
    activity_regularizer: Any,
    kernel_constraint: Any,
    bias_constraint: Any,
    trainable: Any,
    name: Any,
    kwargs: Any,
) -> None:
    _Conv.__init__(
        self,
        filters,
        kernel_size,
        strides=strides,
        padding=padding,
        data_format=data_format,
        dilation_rate=dilation_rate,
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
        **kwargs,
    )


class Conv1D(_Conv):
    """1-D convolution layer (``tf.layers.Conv1D``); ``padding`` may be ``'causal'``.

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.layers.Conv1D(4, 3)(tf.placeholder(tf.float32, [None, 10, 3])))
    Tensor("conv1d/BiasAdd:0", shape=(?, 8, 4), dtype=float32)
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
            dilation_rate,
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


class Conv2D(_Conv):
    """2-D convolution layer (``tf.layers.Conv2D``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.layers.Conv2D(4, 3)(tf.placeholder(tf.float32, [None, 8, 8, 3])))
    Tensor("conv2d/BiasAdd:0", shape=(?, 6, 6, 4), dtype=float32)
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
            dilation_rate,
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


class Conv3D(_Conv):
    """3-D convolution layer (``tf.layers.Conv3D``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.layers.Conv3D(4, 3)(tf.placeholder(tf.float32, [None, 6, 6, 6, 3])))
    Tensor("conv3d/BiasAdd:0", shape=(?, 4, 4, 4, 4), dtype=float32)
    """

    _rank = 3

    def __init__(
        self,
        filters: int,
        kernel_size: Any,
        strides: Any = (1, 1, 1),
        padding: str = "valid",
        data_format: str = "channels_last",
        dilation_rate: Any = (1, 1, 1),
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
            dilation_rate,
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


def _functional(cls: type, inputs: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    name = kwargs.get("name")
    reuse = kwargs.pop("reuse", None)
    return cls(*args, _scope=name, _reuse=reuse, **kwargs)(inputs)


def conv1d(
    inputs: Any,
    filters: int,
    kernel_size: Any,
    strides: Any = 1,
    padding: str = "valid",
    data_format: str = "channels_last",
    dilation_rate: Any = 1,
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
    """Functional form of ``Conv1D`` (``tf.layers.conv1d``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.layers.conv1d(tf.zeros([2, 10, 3]), 4, 3, padding="same").shape)
    (2, 10, 4)
    """
    return _functional(
        Conv1D,
        inputs,
        (filters, kernel_size),
        {
            "strides": strides,
            "padding": padding,
            "data_format": data_format,
            "dilation_rate": dilation_rate,
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


def conv2d(
    inputs: Any,
    filters: int,
    kernel_size: Any,
    strides: Any = (1, 1),
    padding: str = "valid",
    data_format: str = "channels_last",
    dilation_rate: Any = (1, 1),
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
    """Functional form of ``Conv2D`` (``tf.layers.conv2d``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.layers.conv2d(tf.zeros([2, 8, 8, 3]), 4, 3).name)
    conv2d/BiasAdd:0
    """
    return _functional(
        Conv2D,
        inputs,
        (filters, kernel_size),
        {
            "strides": strides,
            "padding": padding,
            "data_format": data_format,
            "dilation_rate": dilation_rate,
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


def conv3d(
    inputs: Any,
    filters: int,
    kernel_size: Any,
    strides: Any = (1, 1, 1),
    padding: str = "valid",
    data_format: str = "channels_last",
    dilation_rate: Any = (1, 1, 1),
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
    """Functional form of ``Conv3D`` (``tf.layers.conv3d``).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.layers.conv3d(tf.zeros([1, 4, 4, 4, 2]), 3, 3).shape)
    (1, 2, 2, 2, 3)
    """
    return _functional(
        Conv3D,
        inputs,
        (filters, kernel_size),
        {
            "strides": strides,
            "padding": padding,
            "data_format": data_format,
            "dilation_rate": dilation_rate,
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


__all__ = [
    "Conv1D",
    "Conv2D",
    "Conv3D",
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_output_length",
    "deconv_output_length",
    "normalize_padding",
    "normalize_tuple",
]
