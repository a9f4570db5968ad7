"""slim's convolution layers.

slim's convolution layers: ``convolution`` (1-D/2-D/3-D), ``convolution2d_transpose``,
``separable_convolution2d`` and ``convolution2d_in_plane``, with TF 1.15's variables
(``<scope>/weights``, ``<scope>/biases``), op names (``Conv/Conv2D``, ``Conv/BiasAdd``,
``Conv/Relu``) and static shapes.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from typing import Any

from scopeflow._core.tensor_shape import TensorShape
from scopeflow._core.variable_scope import variable_scope
from scopeflow.contrib.framework._arg_scope import add_arg_scope
from scopeflow.contrib.framework._variables import model_variable
from scopeflow.contrib.layers import utils
from scopeflow.contrib.layers._initializers import xavier_initializer
from scopeflow.contrib.layers._layer_variables import add_variable_to_collections, layer_weight
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.ops import conv_ops
from scopeflow.ops.activation_ops import relu
from scopeflow.ops.array_ops import shape as shape_op
from scopeflow.ops.array_ops import stack
from scopeflow.ops.conv_ops import convolution as nn_convolution
from scopeflow.ops.conv_ops import depthwise_conv2d
from scopeflow.ops.init_ops import zeros_initializer
from scopeflow.ops.nn_ops import bias_add
from scopeflow.ops.shape_ops import tile

# TF's defaults: one shared initializer object each, created at import time.
_XAVIER = xavier_initializer()
_ZEROS = zeros_initializer()

_DATA_FORMATS = (None, "NWC", "NCW", "NHWC", "NCHW", "NDHWC", "NCDHW")


def _tuple(value: Any, n: int, what: str) -> tuple[int, ...]:
    if isinstance(value, int):
        return (value,) * n
    values = tuple(int(v) for v in value)
    if len(values) != n:
        raise ValueError(
            f"The `{what}` argument must be a tuple of {n} integers. Received: {value}"
        )
    return values


def _finish(
    outputs: Any,
    normalizer_fn: Any,
    normalizer_params: Any,
    activation_fn: Any,
    outputs_collections: Any,
    alias: str,
) -> Any:
    if normalizer_fn is not None:
        outputs = normalizer_fn(outputs, **(normalizer_params or {}))
    if activation_fn is not None:
        outputs = activation_fn(outputs)
    return utils.collect_named_outputs(outputs_collections, alias, outputs)


@add_arg_scope
def convolution(
    inputs: Any,
    num_outputs: int,
    kernel_size: Any,
    stride: Any = 1,
    padding: str = "SAME",
    data_format: str | None = None,
    rate: Any = 1,
    activation_fn: Any = relu,
    normalizer_fn: Any = None,
    normalizer_params: Any = None,
    weights_initializer: Any = _XAVIER,
    weights_regularizer: Any = None,
    biases_initializer: Any = _ZEROS,
    biases_regularizer: Any = None,
    reuse: Any = None,
    variables_collections: Any = None,
    outputs_collections: Any = None,
    trainable: bool = True,
    scope: Any = None,
    conv_dims: int | None = None,
) -> Any:
    """An N-D convolution layer.

    An N-D convolution layer (N from the input's rank): weights, bias (or ``normalizer_fn``)
    and ``activation_fn``, in a variable scope named ``Conv`` by default.

    >>> import scopeflow.compat.v1 as tf
    >>> x = tf.placeholder(tf.float32, [None, 8, 8, 3])
    >>> y = tf.contrib.layers.conv2d(x, 4, 3)
    >>> print(y.name, y.shape)
    Conv/Relu:0 (?, 8, 8, 4)
    """
    if data_format not in _DATA_FORMATS:
        raise ValueError(f"Invalid data_format: {data_format!r}")
    with variable_scope(scope, "Conv", [inputs], reuse=reuse) as sc:
        inputs = convert_to_tensor(inputs)
        input_rank = inputs.get_shape().ndims
        if conv_dims is not None and conv_dims + 2 != input_rank:
            raise ValueError(
                f"Convolution expects input with rank {conv_dims + 2}, got {input_rank}"
            )
        if input_rank not in (3, 4, 5):
            raise ValueError(f"('Convolution not supported for input with rank', {input_rank})")
        nsp = input_rank - 2
        channels_first = bool(data_format) and data_format.startswith("NC")  # type: ignore[union-attr]
        kernel = _tuple(kernel_size, nsp, "kernel_size")
        strides = _tuple(stride, nsp, "strides")
        rates = _tuple(rate, nsp, "dilation_rate")
        in_channels = inputs.get_shape().as_list()[1 if channels_first else -1]
        if in_channels is None:
            raise ValueError("The channel dimension of the inputs should be defined. Found `None`.")
        dtype = inputs.dtype.base_dtype
        use_bias = not normalizer_fn and biases_initializer
        weights = layer_weight(
            "kernel",
            "weights",
            [*kernel, in_channels, num_outputs],
            dtype,
            weights_initializer,
            weights_regularizer,
            trainable,
        )
        biases = None
        if use_bias:
            biases = layer_weight(
                "bias",
                "biases",
                [num_outputs],
                dtype,
                biases_initializer,
                biases_regularizer,
                trainable,
            )
        op_name = {1: "conv1d", 2: "Conv2D", 3: "Conv3D"}[nsp]
        outputs = nn_convolution(
            inputs,
            weights,
            padding.upper(),
            strides=list(strides),
            dilation_rate=list(rates),
            name=op_name,
            data_format=data_format if channels_first else None,
        )
        if biases is not None:
            outputs = bias_add(outputs, biases, data_format="NCHW" if channels_first else None)
        add_variable_to_collections(weights, variables_collections, "weights")
        if biases is not None:
            add_variable_to_collections(biases, variables_collections, "biases")
        return _finish(
            outputs, normalizer_fn, normalizer_params, activation_fn, outputs_collections, sc.name
        )


def _fixed_dims(conv_dims: int, doc: str) -> Any:
    def layer(
        inputs: Any,
        num_outputs: int,
        kernel_size: Any,
        stride: Any = 1,
        padding: str = "SAME",
        data_format: str | None = None,
        rate: Any = 1,
        activation_fn: Any = relu,
        normalizer_fn: Any = None,
        normalizer_params: Any = None,
        weights_initializer: Any = _XAVIER,
        weights_regularizer: Any = None,
        biases_initializer: Any = _ZEROS,
        biases_regularizer: Any = None,
        reuse: Any = None,
        variables_collections: Any = None,
        outputs_collections: Any = None,
        trainable: bool = True,
        scope: Any = None,
    ) -> Any:
        return convolution(
            inputs,
            num_outputs,
            kernel_size,
            stride,
            padding,
            data_format,
            rate,
            activation_fn,
            normalizer_fn,
            normalizer_params,
            weights_initializer,
            weights_regularizer,
            biases_initializer,
            biases_regularizer,
            reuse,
            variables_collections,
            outputs_collections,
            trainable,
            scope,
            conv_dims,
        )

    layer.__name__ = layer.__qualname__ = f"convolution{conv_dims}d"
    layer.__doc__ = doc
    return add_arg_scope(layer)


convolution1d = _fixed_dims(1, "``convolution`` of a rank-3 input (``conv1d``).")
convolution2d = _fixed_dims(2, "``convolution`` of a rank-4 input (``conv2d``).")
convolution3d = _fixed_dims(3, "``convolution`` of a rank-5 input (``conv3d``).")


def _deconv_length(length: Any, kernel: int, padding: str, stride: int) -> Any:
    if padding == "VALID":
        return length * stride + max(kernel - stride, 0)
    return length * stride


@add_arg_scope
def convolution2d_transpose(
    inputs: Any,
    num_outputs: int,
    kernel_size: Any,
    stride: Any = 1,
    padding: str = "SAME",
    data_format: str = "NHWC",
    activation_fn: Any = relu,
    normalizer_fn: Any = None,
    normalizer_params: Any = None,
    weights_initializer: Any = _XAVIER,
    weights_regularizer: Any = None,
    biases_initializer: Any = _ZEROS,
    biases_regularizer: Any = None,
    reuse: Any = None,
    variables_collections: Any = None,
    outputs_collections: Any = None,
    trainable: bool = True,
    scope: Any = None,
) -> Any:
    """A transposed 2-D convolution layer.

    A transposed 2-D convolution layer (``Conv2d_transpose`` scope, ``[kh, kw, out, in]``
    weights); the output is ``input size * stride`` (``SAME``) or that plus
    ``max(kernel - stride, 0)`` (``VALID``).

    >>> import scopeflow.compat.v1 as tf
    >>> x = tf.placeholder(tf.float32, [None, 4, 4, 3])
    >>> print(tf.contrib.layers.conv2d_transpose(x, 2, 3, stride=2).shape)
    (?, 8, 8, 2)
    """
    if data_format not in ("NCHW", "NHWC"):
        raise ValueError("data_format has to be either NCHW or NHWC.")
    with variable_scope(scope, "Conv2d_transpose", [inputs], reuse=reuse) as sc:
        graph = get_default_graph()
        inputs = convert_to_tensor(inputs)
        if inputs.get_shape().ndims != 4:
            raise ValueError(
                f"Input 0 of layer conv2d_transpose is incompatible with the layer: "
                f"expected ndim=4, found ndim={inputs.get_shape().ndims}."
            )
        nchw = data_format == "NCHW"
        kh, kw = _tuple(kernel_size, 2, "kernel_size")
        sh, sw = _tuple(stride, 2, "strides")
        pad = padding.upper()
        dims = inputs.get_shape().as_list()
        in_channels = dims[1 if nchw else 3]
        if in_channels is None:
            raise ValueError("The channel dimension of the inputs should be defined. Found `None`.")
        dtype = inputs.dtype.base_dtype
        use_bias = not normalizer_fn and biases_initializer
        weights = layer_weight(
            "kernel",
            "weights",
            [kh, kw, num_outputs, in_channels],
            dtype,
            weights_initializer,
            weights_regularizer,
            trainable,
        )
        biases = None
        if use_bias:
            biases = layer_weight(
                "bias",
                "biases",
                [num_outputs],
                dtype,
                biases_initializer,
                biases_regularizer,
                trainable,
            )
        dyn = shape_op(inputs, name="Shape")
        h_ax, w_ax = (2, 3) if nchw else (1, 2)
        batch = dyn[0]
        height = dims[h_ax] if dims[h_ax] is not None else dyn[h_ax]
        width = dims[w_ax] if dims[w_ax] is not None else dyn[w_ax]
        out_h = _deconv_length(height, kh, pad, sh)
        out_w = _deconv_length(width, kw, pad, sw)
        out_dims = (
            (batch, num_outputs, out_h, out_w) if nchw else (batch, out_h, out_w, num_outputs)
        )
        output_shape = stack(list(out_dims), name="stack")
        graph._names.mark_used(graph.get_name_scope() + "/strided_slice_1")
        graph._names.mark_used(graph.get_name_scope() + "/conv2d_transpose")
        strides = [1, 1, sh, sw] if nchw else [1, sh, sw, 1]
        outputs = conv_ops.conv2d_transpose(
            inputs, weights, output_shape, strides, padding=pad, data_format=data_format
        )
        static = [
            dims[0],
            *(
                [
                    num_outputs,
                    *(_static_len(dims[a], k, pad, s) for a, k, s in ((2, kh, sh), (3, kw, sw))),
                ]
                if nchw
                else [
                    *(_static_len(dims[a], k, pad, s) for a, k, s in ((1, kh, sh), (2, kw, sw))),
                    num_outputs,
                ]
            ),
        ]
        outputs.set_shape(TensorShape(static))
        if biases is not None:
            outputs = bias_add(outputs, biases, data_format=data_format)
        add_variable_to_collections(weights, variables_collections, "weights")
        if biases is not None:
            add_variable_to_collections(biases, variables_collections, "biases")
        return _finish(
            outputs, normalizer_fn, normalizer_params, activation_fn, outputs_collections, sc.name
        )


def _static_len(length: int | None, kernel: int, padding: str, stride: int) -> int | None:
    return None if length is None else _deconv_length(length, kernel, padding, stride)


@add_arg_scope
def separable_convolution2d(
    inputs: Any,
    num_outputs: int | None,
    kernel_size: Any,
    depth_multiplier: int = 1,
    stride: Any = 1,
    padding: str = "SAME",
    data_format: str = "NHWC",
    rate: Any = 1,
    activation_fn: Any = relu,
    normalizer_fn: Any = None,
    normalizer_params: Any = None,
    weights_initializer: Any = _XAVIER,
    pointwise_initializer: Any = None,
    weights_regularizer: Any = None,
    biases_initializer: Any = _ZEROS,
    biases_regularizer: Any = None,
    reuse: Any = None,
    variables_collections: Any = None,
    outputs_collections: Any = None,
    trainable: bool = True,
    scope: Any = None,
) -> Any:
    """A depthwise-separable 2-D convolution layer (``SeparableConv2d`` scope).

    ``num_outputs=None`` skips the pointwise convolution (depthwise only, with
    ``in_channels * depth_multiplier`` outputs).

    >>> import scopeflow.compat.v1 as tf
    >>> x = tf.placeholder(tf.float32, [None, 8, 8, 3])
    >>> print(tf.contrib.layers.separable_conv2d(x, None, 3, depth_multiplier=2).shape)
    (?, 8, 8, 6)
    """
    if data_format not in ("NCHW", "NHWC"):
        raise ValueError("data_format has to be either NCHW or NHWC.")
    with variable_scope(scope, "SeparableConv2d", [inputs], reuse=reuse) as sc:
        inputs = convert_to_tensor(inputs)
        dtype = inputs.dtype.base_dtype
        nchw = data_format == "NCHW"
        kh, kw = _tuple(kernel_size, 2, "kernel_size")
        sh, sw = _tuple(stride, 2, "strides")
        rates = list(_tuple(rate, 2, "dilation_rate"))
        strides = [1, 1, sh, sw] if nchw else [1, sh, sw, 1]
        if inputs.get_shape().ndims is None or inputs.get_shape().ndims < 4:
            raise ValueError("rank of shape must be at least 4")
        in_channels = inputs.get_shape().as_list()[1 if nchw else -1]
        if in_channels is None:
            raise ValueError("The channel dimension of the inputs should be defined. Found `None`.")
        if num_outputs is not None:
            use_bias = not normalizer_fn and biases_initializer
            depthwise = layer_weight(
                "depthwise_kernel",
                "depthwise_weights",
                [kh, kw, in_channels, depth_multiplier],
                dtype,
                weights_initializer,
                weights_regularizer,
                trainable,
            )
            pointwise = layer_weight(
                "pointwise_kernel",
                "pointwise_weights",
                [1, 1, in_channels * depth_multiplier, num_outputs],
                dtype,
                pointwise_initializer or weights_initializer,
                weights_regularizer,
                trainable,
            )
            biases = None
            if use_bias:
                biases = layer_weight(
                    "bias",
                    "biases",
                    [num_outputs],
                    dtype,
                    biases_initializer,
                    biases_regularizer,
                    trainable,
                )
            outputs = conv_ops.separable_conv2d(
                inputs,
                depthwise,
                pointwise,
                strides,
                padding.upper(),
                rate=rates,
                data_format=data_format,
            )
            if biases is not None:
                outputs = bias_add(outputs, biases, data_format=data_format)
            add_variable_to_collections(depthwise, variables_collections, "weights")
            add_variable_to_collections(pointwise, variables_collections, "weights")
            if biases is not None:
                add_variable_to_collections(biases, variables_collections, "biases")
        else:
            weights_collections = utils.get_variable_collections(variables_collections, "weights")
            depthwise = model_variable(
                "depthwise_weights",
                shape=[kh, kw, in_channels, depth_multiplier],
                dtype=dtype,
                initializer=weights_initializer,
                regularizer=weights_regularizer,
                trainable=trainable,
                collections=weights_collections,
            )
            outputs = depthwise_conv2d(
                inputs, depthwise, strides, padding.upper(), rate=rates, data_format=data_format
            )
            num_outputs = depth_multiplier * in_channels
            if normalizer_fn is None and biases_initializer is not None:
                biases = model_variable(
                    "biases",
                    shape=[num_outputs],
                    dtype=dtype,
                    initializer=biases_initializer,
                    regularizer=biases_regularizer,
                    trainable=trainable,
                    collections=utils.get_variable_collections(variables_collections, "biases"),
                )
                outputs = bias_add(outputs, biases, data_format=data_format)
        return _finish(
            outputs, normalizer_fn, normalizer_params, activation_fn, outputs_collections, sc.name
        )


@add_arg_scope
def convolution2d_in_plane(
    inputs: Any,
    kernel_size: Any,
    stride: Any = 1,
    padding: str = "SAME",
    activation_fn: Any = relu,
    normalizer_fn: Any = None,
    normalizer_params: Any = None,
    weights_initializer: Any = _XAVIER,
    weights_regularizer: Any = None,
    biases_initializer: Any = _ZEROS,
    biases_regularizer: Any = None,
    reuse: Any = None,
    variables_collections: Any = None,
    outputs_collections: Any = None,
    trainable: bool = True,
    scope: Any = None,
) -> Any:
    """The same ``[kh, kw]`` filter applied to every channel separately (``ConvInPlane``)."""
    with variable_scope(scope, "ConvInPlane", [inputs], reuse=reuse) as sc:
        inputs = convert_to_tensor(inputs)
        dtype = inputs.dtype.base_dtype
        kh, kw = utils.two_element_tuple(kernel_size)
        sh, sw = utils.two_element_tuple(stride)
        num_filters_in = utils.last_dimension(inputs.get_shape(), min_rank=4)
        weights = model_variable(
            "weights",
            shape=[kh, kw, 1, 1],
            dtype=dtype,
            initializer=weights_initializer,
            regularizer=weights_regularizer,
            collections=utils.get_variable_collections(variables_collections, "weights"),
            trainable=trainable,
        )
        depthwise = tile(weights, [1, 1, num_filters_in, 1])
        outputs = depthwise_conv2d(inputs, depthwise, [1, sh, sw, 1], padding)
        if normalizer_fn is None and biases_initializer is not None:
            biases = model_variable(
                "biases",
                shape=[num_filters_in],
                dtype=dtype,
                initializer=biases_initializer,
                regularizer=biases_regularizer,
                collections=utils.get_variable_collections(variables_collections, "biases"),
                trainable=trainable,
            )
            outputs = bias_add(outputs, biases)
        return _finish(
            outputs, normalizer_fn, normalizer_params, activation_fn, outputs_collections, sc.name
        )


conv1d = convolution1d
conv2d = convolution2d
conv3d = convolution3d
conv2d_in_plane = convolution2d_in_plane
conv2d_transpose = convolution2d_transpose
separable_conv2d = separable_convolution2d

__all__ = [
    "conv1d",
    "conv2d",
    "conv2d_in_plane",
    "conv2d_transpose",
    "conv3d",
    "convolution",
    "convolution1d",
    "convolution2d",
    "convolution2d_in_plane",
    "convolution2d_transpose",
    "convolution3d",
    "separable_conv2d",
    "separable_convolution2d",
]
