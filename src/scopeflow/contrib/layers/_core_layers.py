"""slim's non-convolutional layers.

slim's non-convolutional layers: ``fully_connected``, ``dropout``, ``flatten``, 2-D pooling,
``bias_add``, ``one_hot_encoding``, ``softmax``, ``unit_norm``, ``repeat``, ``stack`` and
``embed_sequence``, with TF 1.15's variables, op names and static shapes.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable
from typing import Any

from scopeflow._core import dtypes
from scopeflow._core.name_scope import name_scope
from scopeflow._core.variable_scope import variable_scope
from scopeflow.contrib.framework._arg_scope import add_arg_scope
from scopeflow.contrib.framework._variables import model_variable
from scopeflow.contrib.layers import utils
from scopeflow.contrib.layers._initializers import xavier_initializer
from scopeflow.contrib.layers._layer_variables import add_variable_to_collections, layer_weight
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.ops import nn_ops
from scopeflow.ops.activation_ops import relu
from scopeflow.ops.array_ops import concat, ones, reshape, shape
from scopeflow.ops.constant_op import constant
from scopeflow.ops.creation_ops import one_hot
from scopeflow.ops.embedding_ops import embedding_lookup
from scopeflow.ops.init_ops import zeros_initializer
from scopeflow.ops.math_ops import div, to_int64
from scopeflow.ops.matmul_ops import matmul
from scopeflow.ops.pooling_ops import avg_pool, max_pool
from scopeflow.ops.reduction_ops import reduce_sum
from scopeflow.ops.shape_ops import expand_dims, tile
from scopeflow.ops.slicing_ops import strided_slice
from scopeflow.ops.unary_ops import sqrt, square

# TF's defaults: one shared initializer object each, created at import time.
_XAVIER = xavier_initializer()
_ZEROS = zeros_initializer()

_NHWC, _NCHW = "NHWC", "NCHW"


@add_arg_scope
def fully_connected(
    inputs: Any,
    num_outputs: int,
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
    """A dense layer over the last dimension.

    A dense layer over the last dimension (``fully_connected`` scope): ``MatMul`` for rank 2,
    ``Tensordot`` above, then ``BiasAdd`` (or ``normalizer_fn``) and ``activation_fn``.

    >>> import scopeflow.compat.v1 as tf
    >>> y = tf.contrib.layers.fully_connected(tf.placeholder(tf.float32, [None, 5]), 3)
    >>> print(y.name, y.shape)
    fully_connected/Relu:0 (?, 3)
    """
    if not isinstance(num_outputs, int) or isinstance(num_outputs, bool):
        raise ValueError(
            f"num_outputs type should be one of [<class 'int'>], got {type(num_outputs)}."
        )
    with variable_scope(scope, "fully_connected", [inputs], reuse=reuse) as sc:
        inputs = convert_to_tensor(inputs)
        in_shape = inputs.get_shape()
        if in_shape.ndims is None or in_shape.as_list()[-1] is None:
            raise ValueError(
                "The last dimension of the inputs to `Dense` should be defined. Found `None`."
            )
        dtype = inputs.dtype.base_dtype
        weights = layer_weight(
            "kernel",
            "weights",
            [in_shape.as_list()[-1], num_outputs],
            dtype,
            weights_initializer,
            weights_regularizer,
            trainable,
        )
        biases = None
        if not normalizer_fn and biases_initializer:
            biases = layer_weight(
                "bias",
                "biases",
                [num_outputs],
                dtype,
                biases_initializer,
                biases_regularizer,
                trainable,
            )
        rank = in_shape.ndims
        if rank == 2:
            outputs = matmul(inputs, weights)
        else:
            outputs = _tensordot_last(inputs, weights, num_outputs)
        if biases is not None:
            outputs = nn_ops.bias_add(outputs, biases)
        add_variable_to_collections(weights, variables_collections, "weights")
        if biases is not None:
            add_variable_to_collections(biases, variables_collections, "biases")
        if normalizer_fn is not None:
            outputs = normalizer_fn(outputs, **(normalizer_params or {}))
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return utils.collect_named_outputs(outputs_collections, sc.name, outputs)


def _tensordot_last(inputs: Any, weights: Any, num_outputs: int) -> Any:
    """Contract the last dimension with ``weights``, named as TF's ``Tensordot``.

    ``tensordot(inputs, weights, [[rank - 1], [0]])`` for any batch shape, named as TF's
    (``Tensordot/MatMul``, result ``Tensordot``): flatten, ``MatMul``, reshape back.
    """
    graph = get_default_graph()
    in_shape = inputs.get_shape()
    with graph.name_scope("Tensordot") as scope:
        free = shape(inputs, name="Shape")
        flat = reshape(inputs, [-1, in_shape.as_list()[-1]], name="Reshape")
        product = matmul(flat, weights, name="MatMul")
        out_shape = concat([free[:-1], constant([num_outputs])], 0, name="concat_1")
        outputs = reshape(product, out_shape, name=scope)
    outputs.set_shape(in_shape[:-1].concatenate([num_outputs]))
    return outputs


@add_arg_scope
def dropout(
    inputs: Any,
    keep_prob: Any = 0.5,
    noise_shape: Any = None,
    is_training: Any = True,
    outputs_collections: Any = None,
    scope: Any = None,
    seed: int | None = None,
) -> Any:
    """Dropout in training, identity in inference.

    ``tf.nn.dropout`` with ``rate = 1 - keep_prob`` when ``is_training`` (a bool or a bool
    tensor), else the input (``Dropout`` scope).

    >>> import scopeflow.compat.v1 as tf
    >>> x = tf.placeholder(tf.float32, [None, 4])
    >>> print(tf.contrib.layers.dropout(x).name)
    Dropout/dropout_1/SelectV2:0
    """
    with variable_scope(scope, "Dropout", [inputs]) as sc:
        inputs = convert_to_tensor(inputs)
        graph = get_default_graph()
        rate = 1 - keep_prob

        def dropped() -> Any:
            if sc.name.rsplit("/", 1)[-1].lower() == "dropout":
                # TF's layer (named like its scope) takes the op name "dropout" itself
                graph._names.mark_used(graph.get_name_scope() + "/dropout")
            return nn_ops.dropout(inputs, noise_shape=noise_shape, seed=seed, rate=rate)

        def identity_fn() -> Any:
            from scopeflow.ops.array_ops import identity  # noqa: PLC0415

            return identity(inputs)

        outputs = utils.smart_cond(is_training, dropped, identity_fn)
        return utils.collect_named_outputs(outputs_collections, sc.name, outputs)


@add_arg_scope
def flatten(inputs: Any, outputs_collections: Any = None, scope: Any = None) -> Any:
    """``[batch, ...]`` to ``[batch, k]`` (``Flatten/flatten/Reshape``), static shape kept.

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.contrib.layers.flatten(tf.placeholder(tf.float32, [None, 2, 3])).shape)
    (?, 6)
    """
    with name_scope(scope, "Flatten", [inputs]) as sc:
        inputs = convert_to_tensor(inputs)
        with name_scope("flatten"):
            in_shape = inputs.get_shape()
            if in_shape.ndims == 1:
                outputs = expand_dims(inputs, axis=1)
            else:
                batch_dim = in_shape.as_list()[0] if in_shape.ndims is not None else None
                non_batch = in_shape[1:] if in_shape.ndims is not None else None
                if non_batch is not None and non_batch.is_fully_defined():
                    last = int(functools.reduce(operator.mul, non_batch.as_list(), 1))
                    target: Any = constant([-1, last])
                elif batch_dim is not None:
                    target = constant([int(batch_dim), -1])
                else:
                    target = [shape(inputs)[0], -1]
                outputs = reshape(inputs, target)
        return utils.collect_named_outputs(outputs_collections, sc, outputs)


def _pool2d(
    op: Callable[..., Any],
    default: str,
    inputs: Any,
    kernel_size: Any,
    stride: Any,
    padding: str,
    data_format: str,
    outputs_collections: Any,
    scope: Any,
) -> Any:
    if data_format not in (_NCHW, _NHWC):
        raise ValueError("data_format has to be either NCHW or NHWC.")
    with name_scope(scope, default, [inputs]) as sc:
        inputs = convert_to_tensor(inputs)
        kh, kw = utils.two_element_tuple(kernel_size)
        sh, sw = utils.two_element_tuple(stride)
        nchw = data_format == _NCHW
        ksize = [1, 1, kh, kw] if nchw else [1, kh, kw, 1]
        strides = [1, 1, sh, sw] if nchw else [1, sh, sw, 1]
        outputs = op(inputs, ksize, strides, padding.upper(), data_format=data_format)
        return utils.collect_named_outputs(outputs_collections, sc, outputs)


@add_arg_scope
def max_pool2d(
    inputs: Any,
    kernel_size: Any,
    stride: Any = 2,
    padding: str = "VALID",
    data_format: str = _NHWC,
    outputs_collections: Any = None,
    scope: Any = None,
) -> Any:
    """2-D max pooling (``MaxPool2D/MaxPool``), stride 2 and ``VALID`` by default.

    >>> import scopeflow.compat.v1 as tf
    >>> y = tf.contrib.layers.max_pool2d(tf.placeholder(tf.float32, [None, 8, 8, 3]), 2)
    >>> print(y.name, y.shape)
    MaxPool2D/MaxPool:0 (?, 4, 4, 3)
    """
    return _pool2d(
        max_pool,
        "MaxPool2D",
        inputs,
        kernel_size,
        stride,
        padding,
        data_format,
        outputs_collections,
        scope,
    )


@add_arg_scope
def avg_pool2d(
    inputs: Any,
    kernel_size: Any,
    stride: Any = 2,
    padding: str = "VALID",
    data_format: str = _NHWC,
    outputs_collections: Any = None,
    scope: Any = None,
) -> Any:
    """2-D average pooling (``AvgPool2D/AvgPool``), stride 2 and ``VALID`` by default."""
    return _pool2d(
        avg_pool,
        "AvgPool2D",
        inputs,
        kernel_size,
        stride,
        padding,
        data_format,
        outputs_collections,
        scope,
    )


@add_arg_scope
def bias_add(
    inputs: Any,
    activation_fn: Any = None,
    initializer: Any = _ZEROS,
    regularizer: Any = None,
    reuse: Any = None,
    variables_collections: Any = None,
    outputs_collections: Any = None,
    trainable: bool = True,
    data_format: str = _NHWC,
    scope: Any = None,
) -> Any:
    """Add a learned bias over the channel dimension (``BiasAdd/biases``)."""
    if data_format not in (_NCHW, _NHWC):
        raise ValueError("data_format has to be either NCHW or NHWC.")
    with variable_scope(scope, "BiasAdd", [inputs], reuse=reuse) as sc:
        inputs = convert_to_tensor(inputs)
        in_shape = inputs.get_shape()
        if in_shape.ndims is None:
            raise ValueError("Dims of shape must be known but is None")
        if in_shape.ndims != 4 and data_format == _NCHW:
            raise ValueError("Data format NCHW only supports 4D Tensor")
        num_features = in_shape.as_list()[1 if data_format == _NCHW else -1]
        if num_features is None:
            raise ValueError("`C` dimension must be known but is None")
        biases = model_variable(
            "biases",
            shape=[num_features],
            dtype=inputs.dtype.base_dtype,
            initializer=initializer,
            regularizer=regularizer,
            collections=utils.get_variable_collections(variables_collections, "biases"),
            trainable=trainable,
        )
        outputs = nn_ops.bias_add(inputs, biases, data_format=data_format)
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return utils.collect_named_outputs(outputs_collections, sc.name, outputs)


@add_arg_scope
def one_hot_encoding(
    labels: Any,
    num_classes: int,
    on_value: float = 1.0,
    off_value: float = 0.0,
    outputs_collections: Any = None,
    scope: Any = None,
) -> Any:
    """``one_hot`` of the labels (int32 labels are cast to int64 first, as TF).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.contrib.layers.one_hot_encoding(tf.constant([0, 2]), 3).name)
    OneHotEncoding/one_hot:0
    """
    with name_scope(scope, "OneHotEncoding", [labels, num_classes]) as sc:
        labels = convert_to_tensor(labels)
        if labels.dtype == dtypes.int32:
            labels = to_int64(labels)
        outputs = one_hot(labels, num_classes, on_value=on_value, off_value=off_value)
        return utils.collect_named_outputs(outputs_collections, sc, outputs)


@add_arg_scope
def softmax(logits: Any, scope: Any = None) -> Any:
    """Softmax over the last dimension of a tensor of any rank >= 2 (``softmax/Reshape_1``)."""
    with variable_scope(scope, "softmax", [logits]):
        num_logits = utils.last_dimension(logits.get_shape(), min_rank=2)
        logits_2d = reshape(logits, [-1, num_logits])
        predictions = nn_ops.softmax(logits_2d)
        predictions = reshape(predictions, shape(logits))
        predictions.set_shape(logits.get_shape())
        return predictions


@add_arg_scope
def unit_norm(inputs: Any, dim: int, epsilon: float = 1e-7, scope: Any = None) -> Any:
    """``inputs`` divided by its L2 norm along ``dim`` (``UnitNorm/div``)."""
    with variable_scope(scope, "UnitNorm", [inputs]):
        if not inputs.get_shape():
            raise ValueError("The input rank must be known.")
        input_rank = len(inputs.get_shape().as_list())
        if dim < 0 or dim >= input_rank:
            raise ValueError("dim must be positive but smaller than the input rank.")
        lengths = sqrt(epsilon + reduce_sum(square(inputs), dim, True))
        multiples = []
        if dim > 0:
            multiples.append(ones([dim], dtypes.int32))
        multiples.append(strided_slice(shape(inputs), [dim], [dim + 1]))
        if dim < input_rank - 1:
            multiples.append(ones([input_rank - 1 - dim], dtypes.int32))
        return div(inputs, tile(lengths, concat(multiples, 0)))


def _layer_name(layer: Any, fallback: str) -> str:
    if hasattr(layer, "__name__"):
        return layer.__name__  # type: ignore[no-any-return]
    if hasattr(layer, "func") and hasattr(layer.func, "__name__"):
        return layer.func.__name__  # type: ignore[no-any-return]
    return fallback


def repeat(inputs: Any, repetitions: int, layer: Any, *args: Any, **kwargs: Any) -> Any:
    """Apply ``layer`` ``repetitions`` times, scopes ``<scope>/<scope>_1``, ``_2``, ...

    >>> import scopeflow.compat.v1 as tf
    >>> x = tf.placeholder(tf.float32, [None, 4, 4, 3])
    >>> print(repeat(x, 2, tf.contrib.layers.conv2d, 3, [3, 3], scope="c").name)
    c/c_2/Relu:0
    """
    scope = kwargs.pop("scope", None)
    with variable_scope(scope, "Repeat", [inputs]):
        inputs = convert_to_tensor(inputs)
        if scope is None:
            scope = _layer_name(layer, "repeat")
        outputs = inputs
        for i in range(repetitions):
            kwargs["scope"] = scope + "_" + str(i + 1)
            outputs = layer(outputs, *args, **kwargs)
        return outputs


@add_arg_scope
def stack(inputs: Any, layer: Any, stack_args: Any, **kwargs: Any) -> Any:
    """Apply ``layer`` once per entry of ``stack_args`` (its extra positional arguments)."""
    scope = kwargs.pop("scope", None)
    if not isinstance(stack_args, list | tuple):
        raise ValueError("stack_args need to be a list or tuple")
    with variable_scope(scope, "Stack", [inputs]):
        inputs = convert_to_tensor(inputs)
        if scope is None:
            scope = _layer_name(layer, "stack")
        outputs = inputs
        for i, args in enumerate(stack_args):
            kwargs["scope"] = scope + "_" + str(i + 1)
            layer_args = args if isinstance(args, list | tuple) else [args]
            outputs = layer(outputs, *layer_args, **kwargs)
        return outputs


def embed_sequence(
    ids: Any,
    vocab_size: int | None = None,
    embed_dim: int | None = None,
    unique: bool = False,
    initializer: Any = None,
    regularizer: Any = None,
    trainable: bool = True,
    scope: Any = None,
    reuse: Any = None,
) -> Any:
    """Embed ``ids`` with a ``[vocab_size, embed_dim]`` model variable ``EmbedSequence/embeddings``.

    Differences from TensorFlow: ``unique=True`` (``embedding_lookup_unique``) raises
    ``UnsupportedError``.
    """
    if not (vocab_size and embed_dim):
        raise ValueError("Must specify vocab size and embedding dimension")
    if unique:
        from scopeflow.errors import UnsupportedError  # noqa: PLC0415

        raise UnsupportedError("embed_sequence(unique=True)")
    with variable_scope(scope, "EmbedSequence", [ids], reuse=reuse):
        embeddings = model_variable(
            "embeddings",
            shape=[vocab_size, embed_dim],
            initializer=initializer,
            regularizer=regularizer,
            trainable=trainable,
        )
        return embedding_lookup(embeddings, ids)


__all__ = [
    "avg_pool2d",
    "bias_add",
    "dropout",
    "embed_sequence",
    "flatten",
    "fully_connected",
    "max_pool2d",
    "one_hot_encoding",
    "repeat",
    "softmax",
    "stack",
    "unit_norm",
]
