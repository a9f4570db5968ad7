"""More of TF 1.15's contrib layers: 3-D and N-D pooling, activation shorthands, legacy layers.

``max_pool3d``/``avg_pool3d`` (through ``tf.layers``' 3-D pooling, as TF's), ``pool``
(``tf.nn.pool``), ``relu``/``relu6``/``elu``/``linear`` (``fully_connected`` with that activation),
``legacy_fully_connected`` with ``legacy_relu``/``legacy_linear``, ``maxout`` and
``poincare_normalize``, with TF 1.15's op and variable names.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import functools
from typing import Any

from scopeflow._core import dtypes
from scopeflow._core.graph_keys import GraphKeys
from scopeflow._core.name_scope import name_scope
from scopeflow._core.variable_scope import variable_scope
from scopeflow._core.variable_store import get_variable
from scopeflow.contrib.framework._arg_scope import add_arg_scope
from scopeflow.contrib.framework._variables import model_variable
from scopeflow.contrib.layers import utils
from scopeflow.contrib.layers._core_layers import fully_connected
from scopeflow.contrib.layers._initializers import xavier_initializer
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.layers.pooling import AveragePooling3D, MaxPooling3D
from scopeflow.ops.activation_ops import elu as _elu
from scopeflow.ops.activation_ops import relu as _relu
from scopeflow.ops.activation_ops import relu6 as _relu6
from scopeflow.ops.activation_ops import softmax as _softmax
from scopeflow.ops.array_extra_ops import lin_space, meshgrid
from scopeflow.ops.array_ops import concat, reshape, shape, stack
from scopeflow.ops.check_ops import assert_rank_at_least
from scopeflow.ops.constant_op import constant
from scopeflow.ops.gather_scatter_ops import gather_nd, where
from scopeflow.ops.init_ops import constant_initializer, ones_initializer, zeros_initializer
from scopeflow.ops.math_ops import minimum, multiply, not_equal
from scopeflow.ops.matmul_ops import matmul
from scopeflow.ops.nn_ops import bias_add
from scopeflow.ops.pooling_ops import pool as _nn_pool
from scopeflow.ops.reduction_ops import reduce_max, reduce_prod, reduce_sum
from scopeflow.ops.shape_ops import transpose
from scopeflow.ops.slicing_ops import strided_slice
from scopeflow.ops.sparse_ops import SparseTensor
from scopeflow.ops.sparse_reshape_ops import sparse_reshape
from scopeflow.ops.split_ops import unstack
from scopeflow.ops.unary_ops import rsqrt, square

_NDHWC, _NCDHW = "NDHWC", "NCDHW"


def _pool3d(
    layer_cls: Any,
    default: str,
    inputs: Any,
    kernel_size: Any,
    stride: Any,
    padding: str,
    data_format: str,
    outputs_collections: Any,
    scope: Any,
) -> Any:
    if data_format not in (_NCDHW, _NDHWC):
        raise ValueError("data_format has to be either NCDHW or NDHWC.")
    with name_scope(scope, default, [inputs]) as sc:
        inputs = convert_to_tensor(inputs)
        df = "channels_first" if data_format.startswith("NC") else "channels_last"
        layer = layer_cls(
            pool_size=kernel_size, strides=stride, padding=padding, data_format=df, _scope=sc
        )
        outputs = layer.apply(inputs)
        return utils.collect_named_outputs(outputs_collections, sc, outputs)


@add_arg_scope
def max_pool3d(
    inputs: Any,
    kernel_size: Any,
    stride: Any = 2,
    padding: str = "VALID",
    data_format: str = _NDHWC,
    outputs_collections: Any = None,
    scope: Any = None,
) -> Any:
    """3-D max pooling (``MaxPool3D/MaxPool3D``), stride 2 and ``VALID`` by default.

    >>> import scopeflow.compat.v1 as tf
    >>> y = tf.contrib.layers.max_pool3d(tf.placeholder(tf.float32, [1, 4, 4, 4, 3]), 2)
    >>> print(y.name, y.shape)
    MaxPool3D/MaxPool3D:0 (1, 2, 2, 2, 3)
    """
    return _pool3d(
        MaxPooling3D,
        "MaxPool3D",
        inputs,
        kernel_size,
        stride,
        padding,
        data_format,
        outputs_collections,
        scope,
    )


@add_arg_scope
def avg_pool3d(
    inputs: Any,
    kernel_size: Any,
    stride: Any = 2,
    padding: str = "VALID",
    data_format: str = _NDHWC,
    outputs_collections: Any = None,
    scope: Any = None,
) -> Any:
    """3-D average pooling (``AvgPool3D/AvgPool3D``), stride 2 and ``VALID`` by default."""
    return _pool3d(
        AveragePooling3D,
        "AvgPool3D",
        inputs,
        kernel_size,
        stride,
        padding,
        data_format,
        outputs_collections,
        scope,
    )


@add_arg_scope
def pool(
    inputs: Any,
    kernel_size: Any,
    pooling_type: str,
    padding: str = "VALID",
    data_format: Any = None,
    dilation_rate: Any = 1,
    stride: Any = 1,
    outputs_collections: Any = None,
    scope: Any = None,
) -> Any:
    """N-D pooling through ``tf.nn.pool`` under the scope ``avg_pool``/``max_pool``."""
    with name_scope(scope, f"{pooling_type.lower()}_pool", [inputs]) as sc:
        inputs = convert_to_tensor(inputs)
        input_rank = inputs.get_shape().ndims
        if input_rank is None:
            raise ValueError("Rank of inputs must be known")
        if input_rank < 3:
            raise ValueError("Rank of inputs must be >= 3")
        n = input_rank - 2
        output = _nn_pool(
            inputs,
            window_shape=utils.n_positive_integers(n, kernel_size),
            pooling_type=pooling_type,
            padding=padding,
            data_format=data_format,
            dilation_rate=utils.n_positive_integers(n, dilation_rate),
            strides=utils.n_positive_integers(n, stride),
            name=sc,
        )
        return utils.collect_named_outputs(outputs_collections, sc, output)


def _apply_activation(y: Any, activation_fn: Any, output_collections: Any) -> Any:
    if activation_fn is not None:
        y = activation_fn(y)
    get_default_graph().add_to_collections(
        [*list(output_collections or []), GraphKeys.ACTIVATIONS], y
    )
    return y


_LEGACY_XAVIER = xavier_initializer()
_LEGACY_ZEROS = zeros_initializer()


def legacy_fully_connected(
    x: Any,
    num_output_units: int,
    activation_fn: Any = None,
    weight_init: Any = _LEGACY_XAVIER,
    bias_init: Any = _LEGACY_ZEROS,
    name: Any = None,
    weight_collections: Any = (GraphKeys.WEIGHTS,),
    bias_collections: Any = (GraphKeys.BIASES,),
    output_collections: Any = (GraphKeys.ACTIVATIONS,),
    trainable: bool = True,
    weight_regularizer: Any = None,
    bias_regularizer: Any = None,
) -> Any:
    """TF 1.15's pre-slim fully connected layer: ``weights`` and ``bias`` in ``fully_connected``.

    >>> import scopeflow.compat.v1 as tf
    >>> y = tf.contrib.layers.legacy_relu(tf.placeholder(tf.float32, [2, 3]), 4)
    >>> print(y.name, [v.op.name for v in tf.global_variables()])
    fully_connected/Relu:0 ['fully_connected/weights', 'fully_connected/bias']
    """
    with variable_scope(name, "fully_connected", [x]):
        x = convert_to_tensor(x)
        dims = x.get_shape().dims
        if dims is None:
            raise ValueError("dims of x must be known but is None")
        if len(dims) < 2:
            raise ValueError(f"rank of x must be at least 2 not: {len(dims)}")
        num_input_units = dims[-1].value
        if num_input_units is None:
            raise ValueError("last dimension of x must be known but is None")
        dtype = x.dtype.base_dtype
        w = get_variable(
            "weights",
            shape=[num_input_units, num_output_units],
            dtype=dtype,
            initializer=weight_init,
            collections={*list(weight_collections or []), GraphKeys.GLOBAL_VARIABLES},
            regularizer=weight_regularizer,
            trainable=trainable,
        )
        x_2_dim = x if len(dims) <= 2 else reshape(x, [-1, num_input_units])
        y = matmul(x_2_dim, w)
        if bias_init is not None:
            b = get_variable(
                "bias",
                shape=[num_output_units],
                dtype=dtype,
                initializer=bias_init,
                collections={*list(bias_collections or []), GraphKeys.GLOBAL_VARIABLES},
                regularizer=bias_regularizer,
                trainable=trainable,
            )
            y = bias_add(y, b)
        if len(dims) > 2:
            out_shape: list[Any] = unstack(shape(x))
            out_shape[-1] = num_output_units
            y = reshape(y, stack(out_shape))
            static_shape = x.get_shape().as_list()
            static_shape[-1] = num_output_units
            y.set_shape(static_shape)
        return _apply_activation(y, activation_fn, output_collections)


def maxout(inputs: Any, num_units: int, axis: int = -1, scope: Any = None) -> Any:
    """The maximum over groups of ``num_channels // num_units`` features along ``axis``."""
    with variable_scope(scope, "MaxOut", [inputs]):
        inputs = convert_to_tensor(inputs)
        dims: list[Any] = inputs.get_shape().as_list()
        num_channels = dims[axis]
        if num_channels % num_units:
            raise ValueError(
                f"number of features({num_channels}) is not a multiple of num_units({num_units})"
            )
        dims[axis] = num_units
        dims += [num_channels // num_units]
        for i in range(len(dims)):
            if dims[i] is None:
                dims[i] = shape(inputs)[i]
        return reduce_max(reshape(inputs, dims), -1, keepdims=False)


def poincare_normalize(x: Any, axis: Any = 1, epsilon: float = 1e-5, name: Any = None) -> Any:
    """Project ``x`` into the Poincare ball of norm ``1 - epsilon`` along ``axis``."""
    with name_scope(name, "poincare_normalize", [x]) as scope_name:
        x = convert_to_tensor(x, name="x")
        square_sum = reduce_sum(square(x), axis, keepdims=True)
        x_inv_norm = minimum((1.0 - epsilon) * rsqrt(square_sum), 1.0)
        return multiply(x, x_inv_norm, name=scope_name)


@add_arg_scope
def images_to_sequence(
    inputs: Any, data_format: str = "NHWC", outputs_collections: Any = None, scope: Any = None
) -> Any:
    """Images ``(num_images, height, width, depth)`` to a sequence ``(width, n*height, depth)``."""
    if data_format not in ("NCHW", "NHWC"):
        raise ValueError("data_format has to be either NCHW or NHWC.")
    with name_scope(scope, "ImagesToSequence", [inputs]) as sc:
        inputs = convert_to_tensor(inputs)
        if data_format.startswith("NC"):
            inputs = transpose(inputs, [0, 2, 3, 1])
        _, _, width, depth = inputs.get_shape().as_list()
        s = shape(inputs)
        batch_size, height = s[0], s[1]
        transposed = transpose(inputs, [2, 0, 1, 3])
        outputs = reshape(transposed, [width, batch_size * height, depth])
        return utils.collect_named_outputs(outputs_collections, sc, outputs)


@add_arg_scope
def sequence_to_images(
    inputs: Any,
    height: int,
    output_data_format: str = "channels_last",
    outputs_collections: Any = None,
    scope: Any = None,
) -> Any:
    """A ``(num_steps, num_batches, depth)`` sequence back to images of height ``height``."""
    with name_scope(scope, "SequenceToImages", [inputs]) as sc:
        inputs = convert_to_tensor(inputs)
        width, num_batches, depth = inputs.get_shape().as_list()
        num_batches = -1 if num_batches is None else num_batches // height
        reshaped = reshape(inputs, [width, num_batches, height, depth])
        perm = [1, 3, 2, 0] if output_data_format == "channels_first" else [1, 2, 0, 3]
        outputs = transpose(reshaped, perm)
        return utils.collect_named_outputs(outputs_collections, sc, outputs)


@add_arg_scope
def dense_to_sparse(
    tensor: Any, eos_token: Any = 0, outputs_collections: Any = None, scope: Any = None
) -> Any:
    """The entries of ``tensor`` other than ``eos_token`` as a ``SparseTensor``."""
    with variable_scope(scope, "dense_to_sparse", [tensor]) as sc:
        tensor = convert_to_tensor(tensor)
        indices = where(not_equal(tensor, constant(eos_token, tensor.dtype)))
        values = gather_nd(tensor, indices)
        dense_shape = shape(tensor, out_type=dtypes.int64)
        outputs = SparseTensor(indices, values, dense_shape)
        return utils.collect_named_outputs(outputs_collections, sc.name, outputs)


def _sparse_inner_flatten(inputs: Any, new_rank: int) -> Any:
    inputs_rank = inputs.dense_shape.get_shape().as_list()[0]
    if inputs_rank < new_rank:
        raise ValueError(
            f"Inputs has rank less than new_rank. {inputs} must have rank at least {new_rank}. "
            f"Received rank {inputs_rank}, shape {inputs.get_shape()}"
        )
    outer_dimensions = inputs.dense_shape[: new_rank - 1]
    inner_dimensions = inputs.dense_shape[new_rank - 1 :]
    new_shape = concat((outer_dimensions, [reduce_prod(inner_dimensions)]), 0)
    return sparse_reshape(inputs, new_shape)


def _dense_inner_flatten(inputs: Any, new_rank: Any) -> Any:
    rank_assertion = assert_rank_at_least(
        inputs, new_rank, message="inputs has rank less than new_rank"
    )
    with get_default_graph().control_dependencies([rank_assertion]):
        outer_dimensions = strided_slice(shape(inputs), [0], [new_rank - 1])
        new_shape = concat((outer_dimensions, [-1]), 0)
        reshaped = reshape(inputs, new_shape)
    if isinstance(new_rank, int):
        static_shape = inputs.get_shape()
        if static_shape.dims is not None:
            dims = static_shape.as_list()
            flattened: int | None = 1
            for inner_dim in dims[new_rank - 1 :]:
                if inner_dim is None:
                    flattened = None
                    break
                flattened *= inner_dim  # type: ignore[operator]
            reshaped.set_shape([*dims[: new_rank - 1], flattened])
    return reshaped


@add_arg_scope
def _inner_flatten(
    inputs: Any, new_rank: Any, output_collections: Any = None, scope: Any = None
) -> Any:
    """Flatten the inner dimensions of a tensor or ``SparseTensor`` to rank ``new_rank``."""
    with name_scope(scope, "InnerFlatten", [inputs, new_rank]) as sc:
        if isinstance(inputs, SparseTensor):
            flattened = _sparse_inner_flatten(inputs, new_rank)
        else:
            flattened = _dense_inner_flatten(convert_to_tensor(inputs), new_rank)
    return utils.collect_named_outputs(output_collections, sc, flattened)


elu = functools.partial(fully_connected, activation_fn=_elu)
legacy_relu = functools.partial(legacy_fully_connected, activation_fn=_relu)
legacy_linear = functools.partial(legacy_fully_connected, activation_fn=None)
relu = functools.partial(fully_connected, activation_fn=_relu)
relu6 = functools.partial(fully_connected, activation_fn=_relu6)
linear = functools.partial(fully_connected, activation_fn=None)


@add_arg_scope
def spatial_softmax(
    features: Any,
    temperature: Any = None,
    name: str | None = None,
    variables_collections: Any = None,
    trainable: bool = True,
    data_format: str = "NHWC",
) -> Any:
    """Spatial softmax keypoints (``tf.contrib.layers.spatial_softmax``), as TF 1.15.

    Per channel, the softmax over the spatial positions (divided by a scalar ``temperature``
    model variable, initialized to ``temperature`` or 1) gives the expected ``(i, j)`` position
    on a ``[-1, 1]`` grid; the result is ``[batch, channels * 2]`` ordered ``i1, j1, ... iN, jN``.

    >>> import scopeflow.compat.v1 as tf
    >>> y = tf.contrib.layers.spatial_softmax(tf.zeros([1, 3, 3, 2]))
    >>> print(y.name, y.shape, [v.op.name for v in tf.global_variables()])
    spatial_softmax/spatial_softmax_op/Reshape_3:0 (1, 4) ['spatial_softmax/temperature']
    """
    with variable_scope(name, "spatial_softmax"):
        features = convert_to_tensor(features)
        dyn = shape(features)
        static_shape = features.shape
        if data_format == "NHWC":
            height, width, num_channels = dyn[1], dyn[2], static_shape[3]
        elif data_format == "NCHW":
            num_channels, height, width = static_shape[1], dyn[2], dyn[3]
        else:
            raise ValueError("data_format has to be either NCHW or NHWC.")
        channels = num_channels.value
        if channels is None:
            raise ValueError(
                "The num_channels dimension of the inputs to `spatial_softmax` should be "
                "defined. Found `None`."
            )
        with name_scope("spatial_softmax_op", "spatial_softmax_op", [features]):
            pos_x, pos_y = meshgrid(
                lin_space(-1.0, 1.0, num=height), lin_space(-1.0, 1.0, num=width), indexing="ij"
            )
            pos_x = reshape(pos_x, [height * width])
            pos_y = reshape(pos_y, [height * width])
            init = ones_initializer() if temperature is None else constant_initializer(temperature)
            collections = (
                utils.get_variable_collections(variables_collections, "temperature")
                if trainable
                else None
            )
            temp = model_variable(
                "temperature", shape=(), dtype=dtypes.float32, initializer=init,
                collections=collections, trainable=trainable,
            )  # fmt: skip
            if data_format == "NCHW":
                flat = reshape(features, [-1, height * width])
            else:
                flat = reshape(transpose(features, [0, 3, 1, 2]), [-1, height * width])
            attention = _softmax(flat / temp)
            expected_x = reduce_sum(pos_x * attention, [1], keepdims=True)
            expected_y = reduce_sum(pos_y * attention, [1], keepdims=True)
            expected_xy = concat([expected_x, expected_y], 1)
            keypoints = reshape(expected_xy, [-1, channels * 2])
            keypoints.set_shape([None, channels * 2])
    return keypoints


__all__ = [
    "avg_pool3d",
    "spatial_softmax",
    "dense_to_sparse",
    "images_to_sequence",
    "sequence_to_images",
    "elu",
    "legacy_fully_connected",
    "legacy_linear",
    "legacy_relu",
    "linear",
    "max_pool3d",
    "maxout",
    "poincare_normalize",
    "pool",
    "relu",
    "relu6",
]
