"""slim's normalization layers.

slim's normalization layers: ``batch_norm`` (its three TF 1.15 code paths), ``layer_norm``,
``instance_norm`` and ``group_norm``.

``batch_norm`` follows TF 1.15 exactly in which implementation it picks, because the variables'
creation order, the op names and the moving-average arithmetic differ between them:

- slim's own fused path (``fused`` and rank 2 or 4, and ``zero_debias_moving_mean``, rank 2, or
  ``updates_collections`` other than ``UPDATE_OPS``): ``FusedBatchNormV3`` whose training-mode
  variance is the unbiased one, moving averages through ``assign_moving_average``;
- the ``tf.layers.BatchNormalization`` path (``UPDATE_OPS``, no zero-debias, no batch weights):
  variables ``gamma, beta, moving_mean, moving_variance``; fused for rank 4 (the momentum is a
  tensor, so ``1 - momentum`` is computed in float32), else ``moments`` (Python ``1 - momentum``);
- slim's own unfused path otherwise (``moments``, ``batchnorm``).

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import functools
from typing import Any

from scopeflow._core import dtypes
from scopeflow._core.graph_keys import GraphKeys
from scopeflow._core.variable_scope import get_variable_scope, variable_scope
from scopeflow.contrib.framework._arg_scope import add_arg_scope
from scopeflow.contrib.framework._variables import model_variable
from scopeflow.contrib.layers import utils
from scopeflow.contrib.layers._layer_variables import add_variable_to_collections, layer_weight
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.ops.array_ops import identity, reshape
from scopeflow.ops.array_ops import shape as shape_op
from scopeflow.ops.constant_op import constant
from scopeflow.ops.init_ops import ones_initializer, zeros_initializer
from scopeflow.ops.nn_extra2_ops import normalize_moments, sufficient_statistics
from scopeflow.ops.normalization_ops import (
    batch_normalization,
    fused_batch_norm,
    moments,
    weighted_moments,
)
from scopeflow.ops.unary_ops import rsqrt
from scopeflow.train.moving_averages import assign_moving_average

_NHWC, _NCHW = "NHWC", "NCHW"


def _add_to_collections(names: Any, value: Any) -> None:
    get_default_graph().add_to_collections(names, value)


def _moving_variables(
    params_shape: Any, dtype: Any, initializers: dict[str, Any], variables_collections: Any
) -> tuple[Any, Any]:
    with variable_scope(get_variable_scope()) as local_scope:
        local_scope.set_partitioner(None)
        mean = model_variable(
            "moving_mean",
            shape=params_shape,
            dtype=dtype,
            initializer=initializers.get("moving_mean", zeros_initializer()),
            trainable=False,
            collections=utils.get_variable_collections(variables_collections, "moving_mean"),
        )
        variance = model_variable(
            "moving_variance",
            shape=params_shape,
            dtype=dtype,
            initializer=initializers.get("moving_variance", ones_initializer()),
            trainable=False,
            collections=utils.get_variable_collections(variables_collections, "moving_variance"),
        )
    return mean, variance


def _slim_param(
    name: str,
    params_shape: Any,
    dtype: Any,
    initializer: Any,
    regularizer: Any,
    variables_collections: Any,
    trainable: bool,
) -> Any:
    return model_variable(
        name,
        shape=params_shape,
        dtype=dtype,
        initializer=initializer,
        regularizer=regularizer,
        trainable=trainable,
        collections=utils.get_variable_collections(variables_collections, name),
    )


def _fused_batch_norm(
    inputs: Any,
    decay: float,
    center: bool,
    scale: bool,
    epsilon: float,
    activation_fn: Any,
    param_initializers: Any,
    param_regularizers: Any,
    updates_collections: Any,
    is_training: Any,
    reuse: Any,
    variables_collections: Any,
    outputs_collections: Any,
    trainable: bool,
    data_format: str,
    zero_debias_moving_mean: bool,
    scope: Any,
) -> Any:
    if data_format not in (_NCHW, _NHWC):
        raise ValueError("data_format has to be either NCHW or NHWC.")
    with variable_scope(scope, "BatchNorm", [inputs], reuse=reuse) as sc:
        inputs = convert_to_tensor(inputs)
        original_shape = inputs.get_shape()
        original_inputs = inputs
        rank = original_shape.ndims
        if rank is None:
            raise ValueError(f"Inputs {inputs.name} has undefined rank")
        if rank not in (2, 4):
            raise ValueError(
                f"Inputs {inputs.name} has unsupported rank. Expected 2 or 4 but got {rank}"
            )
        if rank == 2:
            channels = original_shape.as_list()[-1]
            if channels is None:
                raise ValueError("`C` dimension must be known but is None")
            inputs = reshape(
                inputs, [-1, channels, 1, 1] if data_format == _NCHW else [-1, 1, 1, channels]
            )
        inputs_shape = inputs.get_shape()
        params_shape = inputs_shape[-1:] if data_format == _NHWC else inputs_shape[1:2]
        if not params_shape.is_fully_defined():
            raise ValueError(f"Inputs {inputs.name} has undefined `C` dimension {params_shape}.")
        dtype = dtypes.float32
        initializers = param_initializers or {}
        regularizers = param_regularizers or {}
        if center:
            beta = _slim_param(
                "beta",
                params_shape,
                dtype,
                initializers.get("beta", zeros_initializer()),
                regularizers.get("beta"),
                variables_collections,
                trainable,
            )
        else:
            beta = constant(0.0, dtype=dtype, shape=params_shape.as_list())
        if scale:
            gamma = _slim_param(
                "gamma",
                params_shape,
                dtype,
                initializers.get("gamma", ones_initializer()),
                regularizers.get("gamma"),
                variables_collections,
                trainable,
            )
        else:
            gamma = constant(1.0, dtype=dtype, shape=params_shape.as_list())
        moving_mean, moving_variance = _moving_variables(
            params_shape, dtype, initializers, variables_collections
        )

        def training() -> Any:
            empty_mean, empty_variance = constant([]), constant([])
            return fused_batch_norm(
                inputs,
                gamma,
                beta,
                mean=empty_mean,
                variance=empty_variance,
                epsilon=epsilon,
                data_format=data_format,
            )

        def inference() -> Any:
            return fused_batch_norm(
                inputs,
                gamma,
                beta,
                mean=moving_mean,
                variance=moving_variance,
                epsilon=epsilon,
                is_training=False,
                data_format=data_format,
            )

        outputs, mean, variance = utils.smart_cond(is_training, training, inference)
        training_value = utils.constant_value(is_training)
        if training_value is None or training_value:

            def updates() -> tuple[Any, Any]:
                return (
                    assign_moving_average(
                        moving_mean, mean, decay, zero_debias=zero_debias_moving_mean
                    ),
                    assign_moving_average(moving_variance, variance, decay, zero_debias=False),
                )

            if updates_collections is None:
                result = outputs

                def force_updates() -> Any:
                    update_mean, update_variance = updates()
                    with get_default_graph().control_dependencies([update_mean, update_variance]):
                        return identity(result)

                outputs = utils.smart_cond(is_training, force_updates, lambda: result)
            else:
                update_mean, update_variance = utils.smart_cond(
                    is_training, updates, lambda: (moving_mean, moving_variance)
                )
                _add_to_collections(updates_collections, update_mean)
                _add_to_collections(updates_collections, update_variance)
        outputs.set_shape(inputs_shape)
        if rank == 2:
            dims = original_inputs.get_shape().as_list()
            if sum(d is None for d in dims) <= 1:
                outputs = reshape(outputs, [-1 if d is None else d for d in dims])
            else:
                outputs = reshape(outputs, shape_op(original_inputs))
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return utils.collect_named_outputs(outputs_collections, sc.name, outputs)


def _layer_assign_moving_average(variable: Any, value: Any, momentum: Any) -> Any:
    """``tf.layers.BatchNormalization``'s update: ``decay = 1 - momentum`` then ``AssignSub``."""
    graph = get_default_graph()
    with graph.name_scope("AssignMovingAvg") as scope:
        decay = convert_to_tensor(1.0 - momentum, name="decay")
        return variable.assign_sub((variable - value) * decay, name=scope)


def _identity_value(value: Any) -> Any:
    return value


def _layer_batch_norm(
    inputs: Any,
    decay: float,
    center: bool,
    scale: bool,
    epsilon: float,
    param_initializers: Any,
    param_regularizers: Any,
    is_training: Any,
    trainable: bool,
    data_format: str,
    fused: bool,
    variables_collections: Any,
) -> Any:
    """TF 1.15's ``tf.layers.BatchNormalization`` as slim configures it."""
    graph = get_default_graph()
    rank = inputs.get_shape().ndims
    if rank is None:
        raise ValueError(f"Input has undefined rank: {inputs.get_shape()}")
    axis = 1 if data_format == _NCHW else rank - 1
    channels = inputs.get_shape().as_list()[axis]
    if channels is None:
        raise ValueError(
            f"Input has undefined `axis` dimension. Received input with shape "
            f"{inputs.get_shape()}. Axis value: {[axis]}"
        )
    params_shape = [channels]
    dtype = inputs.dtype.base_dtype
    if fused and rank == 4 and dtype in (dtypes.float16, dtypes.bfloat16):
        # TF's BatchNormalization keeps the parameters of a half-precision fused batch norm
        # (FusedBatchNormV3 takes float32 scale, offset and statistics) in float32
        dtype = dtypes.float32
    initializers = param_initializers or {}
    regularizers = param_regularizers or {}
    gamma = beta = None
    if scale:
        gamma = layer_weight(
            "gamma",
            "gamma",
            params_shape,
            dtype,
            initializers.get("gamma", ones_initializer()),
            regularizers.get("gamma"),
            trainable,
        )
    if center:
        beta = layer_weight(
            "beta",
            "beta",
            params_shape,
            dtype,
            initializers.get("beta", zeros_initializer()),
            regularizers.get("beta"),
            trainable,
        )
    with variable_scope(get_variable_scope()) as local_scope:
        local_scope.set_partitioner(None)
        moving_mean = layer_weight(
            "moving_mean",
            "moving_mean",
            params_shape,
            dtype,
            initializers.get("moving_mean", zeros_initializer()),
            None,
            False,
        )
        moving_variance = layer_weight(
            "moving_variance",
            "moving_variance",
            params_shape,
            dtype,
            initializers.get("moving_variance", ones_initializer()),
            None,
            False,
        )
    training_value = utils.constant_value(is_training)
    if fused and rank == 4:
        beta_t = beta if beta is not None else constant(0.0, dtype=dtype, shape=params_shape)
        gamma_t = gamma if gamma is not None else constant(1.0, dtype=dtype, shape=params_shape)

        def fused_fn(training: bool) -> Any:
            return lambda: fused_batch_norm(
                inputs,
                gamma_t,
                beta_t,
                mean=moving_mean,
                variance=moving_variance,
                epsilon=epsilon,
                is_training=training,
                data_format=data_format,
            )

        outputs, mean, variance = utils.smart_cond(is_training, fused_fn(True), fused_fn(False))
        if training_value is None or training_value:
            if training_value is None:
                momentum = utils.smart_cond(
                    is_training, lambda: constant(decay), lambda: constant(1.0)
                )
            else:
                momentum = convert_to_tensor(decay)
            for var, value in ((moving_mean, mean), (moving_variance, variance)):
                update = _layer_assign_moving_average(var, value, momentum)
                graph.add_to_collection(GraphKeys.UPDATE_OPS, update.op)
    else:
        reduction_axes = [i for i in range(rank) if i != axis]

        def broadcast(v: Any) -> Any:
            if v is not None and axis != rank - 1:
                target = [1] * rank
                target[axis] = channels
                return reshape(v, target)
            return v

        offset, scale_t = broadcast(beta), broadcast(gamma)
        if training_value is False:
            mean, variance = moving_mean, moving_variance
        else:
            batch_mean, batch_variance = moments(inputs, reduction_axes)
            mean = utils.smart_cond(
                is_training, lambda: batch_mean, lambda: convert_to_tensor(moving_mean)
            )
            variance = utils.smart_cond(
                is_training, lambda: batch_variance, lambda: convert_to_tensor(moving_variance)
            )
            for var, value in ((moving_mean, mean), (moving_variance, variance)):
                update = utils.smart_cond(
                    is_training,
                    functools.partial(_layer_assign_moving_average, var, value, decay),
                    functools.partial(_identity_value, var),
                )
                graph.add_to_collection(GraphKeys.UPDATE_OPS, getattr(update, "op", update))
        graph._names.mark_used(graph.get_name_scope() + "/batchnorm")
        outputs = batch_normalization(
            inputs, broadcast(mean), broadcast(variance), offset, scale_t, epsilon
        )
    add_variable_to_collections(moving_mean, variables_collections, "moving_mean")
    add_variable_to_collections(moving_variance, variables_collections, "moving_variance")
    if beta is not None:
        add_variable_to_collections(beta, variables_collections, "beta")
    if gamma is not None:
        add_variable_to_collections(gamma, variables_collections, "gamma")
    return outputs


def _model_variable_getter(getter: Any, name: str, *args: Any, **kwargs: Any) -> Any:
    """A ``tf.layers`` variable created as slim's model variable (slim's layer getter)."""
    for key in ("reuse", "rename", "constraint", "validate_shape"):
        kwargs.pop(key, None)
    return model_variable(name, *args, custom_getter=getter, **kwargs)


def _renorm_batch_norm(
    inputs: Any,
    decay: float,
    center: bool,
    scale: bool,
    epsilon: float,
    activation_fn: Any,
    param_initializers: Any,
    param_regularizers: Any,
    is_training: Any,
    reuse: Any,
    variables_collections: Any,
    outputs_collections: Any,
    trainable: bool,
    fused: bool,
    data_format: str,
    scope: Any,
    renorm: bool,
    renorm_clipping: Any,
    renorm_decay: float,
    adjustment: Any,
) -> Any:
    """TF 1.15's slim batch norm through ``tf.layers.BatchNormalization`` (renorm, adjustment).

    As slim: the layer lives in slim's ``BatchNorm`` scope (``_scope``), its variables are model
    variables (a custom getter on that scope) and go to ``variables_collections``.
    """
    from scopeflow.layers.normalization import BatchNormalization  # noqa: PLC0415

    if data_format not in (_NCHW, _NHWC):
        raise ValueError("data_format has to be either NCHW or NHWC.")
    initializers = param_initializers or {}
    regularizers = param_regularizers or {}
    with variable_scope(
        scope, "BatchNorm", [inputs], reuse=reuse, custom_getter=_model_variable_getter
    ) as sc:
        inputs = convert_to_tensor(inputs)
        layer = BatchNormalization(
            axis=1 if data_format == _NCHW else -1,
            momentum=decay,
            epsilon=epsilon,
            center=center,
            scale=scale,
            beta_initializer=initializers.get("beta", zeros_initializer()),
            gamma_initializer=initializers.get("gamma", ones_initializer()),
            moving_mean_initializer=initializers.get("moving_mean", zeros_initializer()),
            moving_variance_initializer=initializers.get("moving_variance", ones_initializer()),
            beta_regularizer=regularizers.get("beta"),
            gamma_regularizer=regularizers.get("gamma"),
            trainable=trainable,
            renorm=renorm,
            renorm_clipping=renorm_clipping,
            renorm_momentum=renorm_decay,
            adjustment=adjustment,
            name=sc.name,
            _scope=sc,
            _reuse=reuse,
            fused=fused,
        )
        outputs = layer.apply(inputs, training=is_training)
        add_variable_to_collections(layer.moving_mean, variables_collections, "moving_mean")
        add_variable_to_collections(layer.moving_variance, variables_collections, "moving_variance")
        if layer.beta is not None:
            add_variable_to_collections(layer.beta, variables_collections, "beta")
        if layer.gamma is not None:
            add_variable_to_collections(layer.gamma, variables_collections, "gamma")
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return utils.collect_named_outputs(outputs_collections, sc.name, outputs)


@add_arg_scope
def batch_norm(
    inputs: Any,
    decay: float = 0.999,
    center: bool = True,
    scale: bool = False,
    epsilon: float = 0.001,
    activation_fn: Any = None,
    param_initializers: Any = None,
    param_regularizers: Any = None,
    updates_collections: Any = GraphKeys.UPDATE_OPS,
    is_training: Any = True,
    reuse: Any = None,
    variables_collections: Any = None,
    outputs_collections: Any = None,
    trainable: bool = True,
    batch_weights: Any = None,
    fused: bool | None = None,
    data_format: str = _NHWC,
    zero_debias_moving_mean: bool = False,
    scope: Any = None,
    renorm: bool = False,
    renorm_clipping: Any = None,
    renorm_decay: float = 0.99,
    adjustment: Any = None,
) -> Any:
    """Batch normalization (``BatchNorm`` scope) with moving statistics for inference.

    In training (``is_training`` True, or a bool tensor that is true at run time) the batch's
    statistics normalize and the moving averages are updated by ops added to
    ``updates_collections`` (run them with the train op), or, with ``updates_collections=None``,
    by control dependencies of the output.

    ``renorm`` (with ``renorm_clipping`` and ``renorm_decay``) and ``adjustment`` run through
    ``tf.layers.BatchNormalization`` as TF 1.15 does (only with the default
    ``updates_collections`` and without ``batch_weights`` or ``zero_debias_moving_mean``);
    ``batch_weights`` weigh the batch statistics (``tf.nn.weighted_moments``).

    >>> import scopeflow.compat.v1 as tf
    >>> y = tf.contrib.layers.batch_norm(tf.placeholder(tf.float32, [None, 4, 4, 3]))
    >>> print(y.name, [v.op.name.split("/")[1] for v in tf.global_variables()])
    BatchNorm/FusedBatchNormV3:0 ['beta', 'moving_mean', 'moving_variance']
    """
    if fused is None:
        fused = True
    inputs = convert_to_tensor(inputs)
    rank = inputs.get_shape().ndims
    possible_to_fuse = (
        batch_weights is None and not renorm and rank in (2, 4) and adjustment is None
    )
    if (
        fused
        and possible_to_fuse
        and (
            zero_debias_moving_mean or rank == 2 or updates_collections is not GraphKeys.UPDATE_OPS
        )
    ):
        return _fused_batch_norm(
            inputs,
            decay,
            center,
            scale,
            epsilon,
            activation_fn,
            param_initializers,
            param_regularizers,
            updates_collections,
            is_training,
            reuse,
            variables_collections,
            outputs_collections,
            trainable,
            data_format,
            zero_debias_moving_mean,
            scope,
        )
    if data_format not in (_NCHW, _NHWC):
        raise ValueError("data_format has to be either NCHW or NHWC.")
    core_layer = (
        batch_weights is None
        and updates_collections is GraphKeys.UPDATE_OPS
        and not zero_debias_moving_mean
    )
    if core_layer and (renorm or adjustment is not None):
        return _renorm_batch_norm(
            inputs,
            decay,
            center,
            scale,
            epsilon,
            activation_fn,
            param_initializers,
            param_regularizers,
            is_training,
            reuse,
            variables_collections,
            outputs_collections,
            trainable,
            bool(fused),
            data_format,
            scope,
            renorm,
            renorm_clipping,
            renorm_decay,
            adjustment,
        )
    with variable_scope(scope, "BatchNorm", [inputs], reuse=reuse) as sc:
        inputs = convert_to_tensor(inputs)
        if core_layer:
            outputs = _layer_batch_norm(
                inputs,
                decay,
                center,
                scale,
                epsilon,
                param_initializers,
                param_regularizers,
                is_training,
                trainable,
                data_format,
                bool(fused),
                variables_collections,
            )
            if activation_fn is not None:
                outputs = activation_fn(outputs)
            return utils.collect_named_outputs(outputs_collections, sc.name, outputs)
        if renorm:
            raise ValueError(
                "renorm is not supported with batch_weights, updates_collections or "
                "zero_debias_moving_mean"
            )
        inputs_shape = inputs.get_shape()
        rank = inputs_shape.ndims
        if rank is None:
            raise ValueError(f"Inputs {inputs.name} has undefined rank.")
        dtype = inputs.dtype.base_dtype
        if batch_weights is not None:
            batch_weights = convert_to_tensor(batch_weights)
            inputs_shape[0:1].assert_is_compatible_with(batch_weights.get_shape())
            # Weights broadcast across the other axes.
            batch_weights = reshape(batch_weights, [-1] + [1] * (rank - 1))
        if data_format == _NCHW:
            moments_axes = [0, *range(2, rank)]
            params_shape = inputs_shape[1:2]
            broadcast_shape: list[Any] | None = [1, inputs_shape.as_list()[1]] + [1] * (rank - 2)
        else:
            moments_axes = list(range(rank - 1))
            params_shape = inputs_shape[-1:]
            broadcast_shape = None
        if not params_shape.is_fully_defined():
            raise ValueError(
                f"Inputs {inputs.name} has undefined channels dimension {params_shape}."
            )
        initializers = param_initializers or {}
        beta = gamma = None
        if center:
            beta = _slim_param(
                "beta",
                params_shape,
                dtype,
                initializers.get("beta", zeros_initializer()),
                None,
                variables_collections,
                trainable,
            )
        if scale:
            gamma = _slim_param(
                "gamma",
                params_shape,
                dtype,
                initializers.get("gamma", ones_initializer()),
                None,
                variables_collections,
                trainable,
            )
        moving_mean, moving_variance = _moving_variables(
            params_shape, dtype, initializers, variables_collections
        )
        training_value = utils.constant_value(is_training)
        if training_value is None or training_value:
            if batch_weights is None:
                if data_format == _NCHW:
                    mean, variance = moments(inputs, moments_axes, keep_dims=True)
                    mean, variance = reshape(mean, [-1]), reshape(variance, [-1])
                else:
                    mean, variance = moments(inputs, moments_axes)
            elif data_format == _NCHW:
                mean, variance = weighted_moments(
                    inputs, moments_axes, batch_weights, keepdims=True
                )
                mean, variance = reshape(mean, [-1]), reshape(variance, [-1])
            else:
                mean, variance = weighted_moments(inputs, moments_axes, batch_weights)
            batch_mean, batch_variance = mean, variance

            def updates() -> tuple[Any, Any]:
                # TF builds this batch norm under slim's model-variable custom getter, so the
                # zero-debias variables (``biased``, ``local_step``) are model variables too
                with variable_scope(
                    get_variable_scope(),
                    custom_getter=_model_variable_getter,
                    auxiliary_name_scope=False,
                ):
                    return (
                        assign_moving_average(
                            moving_mean, batch_mean, decay, zero_debias=zero_debias_moving_mean
                        ),
                        assign_moving_average(
                            moving_variance, batch_variance, decay, zero_debias=False
                        ),
                    )

            def moving_vars() -> tuple[Any, Any]:
                return moving_mean, moving_variance

            if updates_collections is None:

                def force_updates() -> tuple[Any, Any]:
                    with get_default_graph().control_dependencies(list(updates())):
                        return identity(batch_mean), identity(batch_variance)

                mean, variance = utils.smart_cond(is_training, force_updates, moving_vars)
            else:
                update_mean, update_variance = utils.smart_cond(is_training, updates, moving_vars)
                _add_to_collections(updates_collections, update_mean)
                _add_to_collections(updates_collections, update_variance)
                mean, variance = utils.smart_cond(
                    is_training, lambda: (batch_mean, batch_variance), moving_vars
                )
        else:
            mean, variance = moving_mean, moving_variance
        if broadcast_shape is not None:
            mean, variance = reshape(mean, broadcast_shape), reshape(variance, broadcast_shape)
            if beta is not None:
                beta = reshape(beta, broadcast_shape)
            if gamma is not None:
                gamma = reshape(gamma, broadcast_shape)
        outputs = batch_normalization(inputs, mean, variance, beta, gamma, epsilon)
        outputs.set_shape(inputs_shape)
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return utils.collect_named_outputs(outputs_collections, sc.name, outputs)


@add_arg_scope
def layer_norm(
    inputs: Any,
    center: bool = True,
    scale: bool = True,
    activation_fn: Any = None,
    reuse: Any = None,
    variables_collections: Any = None,
    outputs_collections: Any = None,
    trainable: bool = True,
    begin_norm_axis: int = 1,
    begin_params_axis: int = -1,
    scope: Any = None,
) -> Any:
    """Layer normalization.

    Layer normalization over axes ``begin_norm_axis:`` with ``beta``/``gamma`` of shape
    ``inputs.shape[begin_params_axis:]`` (``LayerNorm`` scope, epsilon 1e-12).

    >>> import scopeflow.compat.v1 as tf
    >>> y = tf.contrib.layers.layer_norm(tf.placeholder(tf.float32, [None, 4]))
    >>> print(y.name, [v.op.name for v in tf.global_variables()])
    LayerNorm/batchnorm/add_1:0 ['LayerNorm/beta', 'LayerNorm/gamma']
    """
    with variable_scope(scope, "LayerNorm", [inputs], reuse=reuse) as sc:
        inputs = convert_to_tensor(inputs)
        inputs_shape = inputs.get_shape()
        rank = inputs_shape.ndims
        if rank is None:
            raise ValueError(f"Inputs {inputs.name} has undefined rank.")
        dtype = inputs.dtype.base_dtype
        if begin_norm_axis < 0:
            begin_norm_axis = rank + begin_norm_axis
        if begin_params_axis >= rank or begin_norm_axis >= rank:
            raise ValueError(
                f"begin_params_axis ({begin_params_axis}) and begin_norm_axis "
                f"({begin_norm_axis}) must be < rank(inputs) ({rank})"
            )
        params_shape = inputs_shape[begin_params_axis:]
        if not params_shape.is_fully_defined():
            raise ValueError(
                f"Inputs {inputs.name}: shape(inputs)[{begin_params_axis}:] is not "
                f"fully defined: {inputs_shape}"
            )
        beta = gamma = None
        if center:
            beta = _slim_param(
                "beta",
                params_shape,
                dtype,
                zeros_initializer(),
                None,
                variables_collections,
                trainable,
            )
        if scale:
            gamma = _slim_param(
                "gamma",
                params_shape,
                dtype,
                ones_initializer(),
                None,
                variables_collections,
                trainable,
            )
        mean, variance = moments(inputs, list(range(begin_norm_axis, rank)), keep_dims=True)
        epsilon = 1e-12 if dtype != dtypes.float16 else 1e-3
        outputs = batch_normalization(
            inputs, mean, variance, offset=beta, scale=gamma, variance_epsilon=epsilon
        )
        outputs.set_shape(inputs_shape)
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return utils.collect_named_outputs(outputs_collections, sc.name, outputs)


@add_arg_scope
def instance_norm(
    inputs: Any,
    center: bool = True,
    scale: bool = True,
    epsilon: float = 1e-6,
    activation_fn: Any = None,
    param_initializers: Any = None,
    reuse: Any = None,
    variables_collections: Any = None,
    outputs_collections: Any = None,
    trainable: bool = True,
    data_format: str = _NHWC,
    scope: Any = None,
) -> Any:
    """Per-example, per-channel normalization over the spatial axes (``InstanceNorm``)."""
    inputs = convert_to_tensor(inputs)
    inputs_shape = inputs.get_shape()
    rank = inputs_shape.ndims
    if rank is None:
        raise ValueError(f"Inputs {inputs.name} has undefined rank.")
    if data_format not in (_NCHW, _NHWC):
        raise ValueError("data_format has to be either NCHW or NHWC.")
    with variable_scope(scope, "InstanceNorm", [inputs], reuse=reuse) as sc:
        if data_format == _NCHW:
            reduction_axis = 1
            broadcast_shape: list[Any] | None = [1, inputs_shape.as_list()[1]] + [1] * (rank - 2)
        else:
            reduction_axis = rank - 1
            broadcast_shape = None
        moments_axes = [a for a in range(1, rank) if a != reduction_axis]
        params_shape = inputs_shape[reduction_axis : reduction_axis + 1]
        if not params_shape.is_fully_defined():
            raise ValueError(
                f"Inputs {inputs.name} has undefined channels dimension {params_shape}."
            )
        dtype = inputs.dtype.base_dtype
        initializers = param_initializers or {}
        beta = gamma = None
        if center:
            beta = _slim_param(
                "beta",
                params_shape,
                dtype,
                initializers.get("beta", zeros_initializer()),
                None,
                variables_collections,
                trainable,
            )
            if broadcast_shape:
                beta = reshape(beta, broadcast_shape)
        if scale:
            gamma = _slim_param(
                "gamma",
                params_shape,
                dtype,
                initializers.get("gamma", ones_initializer()),
                None,
                variables_collections,
                trainable,
            )
            if broadcast_shape:
                gamma = reshape(gamma, broadcast_shape)
        mean, variance = moments(inputs, moments_axes, keep_dims=True)
        outputs = batch_normalization(
            inputs, mean, variance, beta, gamma, epsilon, name="instancenorm"
        )
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return utils.collect_named_outputs(outputs_collections, sc.name, outputs)


@add_arg_scope
def group_norm(
    inputs: Any,
    groups: int = 32,
    channels_axis: int = -1,
    reduction_axes: Any = (-3, -2),
    center: bool = True,
    scale: bool = True,
    epsilon: float = 1e-6,
    activation_fn: Any = None,
    param_initializers: Any = None,
    reuse: Any = None,
    variables_collections: Any = None,
    outputs_collections: Any = None,
    trainable: bool = True,
    scope: Any = None,
    mean_close_to_zero: bool = False,
) -> Any:
    """Group normalization.

    Group normalization: channels split into ``groups``, each normalized over
    ``reduction_axes`` and its channels (``GroupNorm`` scope).

    ``mean_close_to_zero=True`` computes the moments in one pass (``nn.sufficient_statistics``
    then ``nn.normalize_moments``), as TF does.
    """
    inputs = convert_to_tensor(inputs)
    in_shape = inputs.get_shape()
    if in_shape.ndims is None:
        raise ValueError(f"Inputs {inputs.name} has undefined rank.")
    rank = in_shape.ndims
    if channels_axis > rank - 1:
        raise ValueError("Axis is out of bounds.")
    dynamic_shape = shape_op(inputs)
    dims = in_shape.as_list()
    shape_list: list[Any] = [dynamic_shape[i] if d is None else d for i, d in enumerate(dims)]
    if channels_axis < 0:
        channels_axis = rank + channels_axis
    channels = dims[channels_axis]
    if channels is None:
        raise ValueError(f"Inputs {inputs.name} has undefined channel dimension: {channels_axis}.")
    axes = [a + rank if a < 0 else a for a in reduction_axes]
    for a in axes:
        if a > rank:
            raise ValueError("Axis is out of bounds.")
        if dims[a] is None:
            raise ValueError(f"Inputs {inputs.name} has undefined dimensions {a}.")
        if channels_axis == a:
            raise ValueError("reduction_axis must be mutually exclusive with channels_axis")
    if groups > channels:
        raise ValueError(f"Invalid groups {groups} for {channels} channels.")
    if channels % groups != 0:
        raise ValueError(f"{channels} channels is not commensurate with {groups} groups.")
    before, after = shape_list[:channels_axis], shape_list[channels_axis + 1 :]
    broadcast_shape = [1] * len(before) + [groups, channels // groups] + [1] * len(after)
    inputs = reshape(inputs, [*before, groups, channels // groups, *after])
    moments_axes = [channels_axis + 1] + [a + 1 if a > channels_axis else a for a in axes]
    with variable_scope(scope, "GroupNorm", [inputs], reuse=reuse) as sc:
        dtype = inputs.dtype.base_dtype
        initializers = param_initializers or {}
        beta = gamma = None
        if center:
            beta = reshape(
                _slim_param(
                    "beta",
                    [channels],
                    dtype,
                    initializers.get("beta", zeros_initializer()),
                    None,
                    variables_collections,
                    trainable,
                ),
                broadcast_shape,
            )
        if scale:
            gamma = reshape(
                _slim_param(
                    "gamma",
                    [channels],
                    dtype,
                    initializers.get("gamma", ones_initializer()),
                    None,
                    variables_collections,
                    trainable,
                ),
                broadcast_shape,
            )
        if mean_close_to_zero:  # TF's one-pass moments
            counts, means_ss, variance_ss, _ = sufficient_statistics(
                inputs, moments_axes, keep_dims=True
            )
            mean, variance = normalize_moments(counts, means_ss, variance_ss, shift=None)
        else:
            mean, variance = moments(inputs, moments_axes, keep_dims=True)
        gain = rsqrt(variance + epsilon)
        offset = -mean * gain
        if gamma is not None:
            gain *= gamma
            offset *= gamma
        if beta is not None:
            offset += beta
        outputs = inputs * gain + offset
        outputs = reshape(outputs, shape_list)
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return utils.collect_named_outputs(outputs_collections, sc.name, outputs)


__all__ = ["batch_norm", "group_norm", "instance_norm", "layer_norm"]
