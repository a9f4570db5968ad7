"""ResNet v1 and v2.

ResNet v1 and v2 (He et al. 2015, 2016) as TF 1.15's ``slim.nets`` builds them: bottleneck
units stacked in blocks, TF's variable scopes (``resnet_v1_50/block1/unit_1/bottleneck_v1/conv1``),
``end_points`` keys and ``SAME``-padding arithmetic (``conv2d_same`` pads explicitly when
striding).

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from collections import namedtuple
from typing import Any

from scopeflow._core.graph_keys import GraphKeys
from scopeflow._core.variable_scope import variable_scope
from scopeflow.contrib.framework._arg_scope import add_arg_scope, arg_scope
from scopeflow.contrib.layers import utils
from scopeflow.contrib.layers._conv import conv2d
from scopeflow.contrib.layers._core_layers import max_pool2d, softmax
from scopeflow.contrib.layers._initializers import variance_scaling_initializer
from scopeflow.contrib.layers._normalization import batch_norm
from scopeflow.contrib.layers._regularizers import l2_regularizer
from scopeflow.ops.activation_ops import relu
from scopeflow.ops.reduction_ops import reduce_mean
from scopeflow.ops.shape_ops import pad


class Block(namedtuple("Block", ["scope", "unit_fn", "args"])):
    """A ResNet block: its scope name, the unit function and one kwargs dict per unit."""


def subsample(inputs: Any, factor: int, scope: str | None = None) -> Any:
    """``inputs`` strided by ``factor`` (a 1x1 max pool), or ``inputs`` itself for factor 1."""
    if factor == 1:
        return inputs
    return max_pool2d(inputs, [1, 1], stride=factor, scope=scope)


def conv2d_same(
    inputs: Any,
    num_outputs: int,
    kernel_size: int,
    stride: int,
    rate: int = 1,
    scope: str | None = None,
) -> Any:
    """A ``SAME`` convolution independent of the input size.

    A ``SAME`` convolution whose padding does not depend on the input size: stride 1 is a
    ``SAME`` conv2d, a larger stride pads explicitly then convolves ``VALID``.
    """
    if stride == 1:
        return conv2d(
            inputs, num_outputs, kernel_size, stride=1, rate=rate, padding="SAME", scope=scope
        )
    effective = kernel_size + (kernel_size - 1) * (rate - 1)
    pad_total = effective - 1
    pad_beg = pad_total // 2
    pad_end = pad_total - pad_beg
    inputs = pad(inputs, [[0, 0], [pad_beg, pad_end], [pad_beg, pad_end], [0, 0]])
    return conv2d(
        inputs, num_outputs, kernel_size, stride=stride, rate=rate, padding="VALID", scope=scope
    )


@add_arg_scope
def stack_blocks_dense(
    net: Any, blocks: list[Block], output_stride: Any = None, outputs_collections: Any = None
) -> Any:
    """Apply the blocks' units in order.

    Apply the blocks' units in order (scopes ``<block>/unit_<i>``); with ``output_stride``,
    later strides become atrous rates so the output keeps that stride.
    """
    current_stride = 1
    rate = 1
    for block in blocks:
        with variable_scope(block.scope, "block", [net]) as sc:
            for i, unit in enumerate(block.args):
                if output_stride is not None and current_stride > output_stride:
                    raise ValueError("The target output_stride cannot be reached.")
                with variable_scope(f"unit_{i + 1}", values=[net]):
                    if output_stride is not None and current_stride == output_stride:
                        net = block.unit_fn(net, rate=rate, **dict(unit, stride=1))
                        rate *= unit.get("stride", 1)
                    else:
                        net = block.unit_fn(net, rate=1, **unit)
                        current_stride *= unit.get("stride", 1)
            net = utils.collect_named_outputs(outputs_collections, sc.name, net)
    if output_stride is not None and current_stride != output_stride:
        raise ValueError("The target output_stride cannot be reached.")
    return net


def resnet_arg_scope(
    weight_decay: float = 0.0001,
    batch_norm_decay: float = 0.997,
    batch_norm_epsilon: float = 1e-5,
    batch_norm_scale: bool = True,
) -> dict[str, Any]:
    """The arg scope of the ResNets: L2-regularized He-initialized convs with batch norm.

    >>> import scopeflow.compat.v1 as tf
    >>> nets = tf.contrib.slim.nets
    >>> with tf.contrib.slim.arg_scope(nets.resnet_utils.resnet_arg_scope()):
    ...     net, end_points = nets.resnet_v1.resnet_v1_50(tf.zeros([1, 64, 64, 3]), 10)
    >>> print(net.shape, len(tf.global_variables()))
    (1, 1, 1, 10) 267
    """
    batch_norm_params = {
        "decay": batch_norm_decay,
        "epsilon": batch_norm_epsilon,
        "scale": batch_norm_scale,
        "updates_collections": GraphKeys.UPDATE_OPS,
    }
    with (
        arg_scope(
            [conv2d],
            weights_regularizer=l2_regularizer(weight_decay),
            weights_initializer=variance_scaling_initializer(),
            activation_fn=relu,
            normalizer_fn=batch_norm,
            normalizer_params=batch_norm_params,
        ),
        arg_scope([batch_norm], **batch_norm_params),
        arg_scope([max_pool2d], padding="SAME") as arg_sc,
    ):
        return arg_sc


@add_arg_scope
def bottleneck_v1(
    inputs: Any,
    depth: int,
    depth_bottleneck: int,
    stride: int,
    rate: int = 1,
    outputs_collections: Any = None,
    scope: str | None = None,
) -> Any:
    """ResNet v1 bottleneck unit: 1x1, 3x3 (strided), 1x1 convs plus a (projected) shortcut."""
    with variable_scope(scope, "bottleneck_v1", [inputs]) as sc:
        depth_in = utils.last_dimension(inputs.get_shape(), min_rank=4)
        if depth == depth_in:
            shortcut = subsample(inputs, stride, "shortcut")
        else:
            shortcut = conv2d(
                inputs, depth, [1, 1], stride=stride, activation_fn=None, scope="shortcut"
            )
        residual = conv2d(inputs, depth_bottleneck, [1, 1], stride=1, scope="conv1")
        residual = conv2d_same(residual, depth_bottleneck, 3, stride, rate=rate, scope="conv2")
        residual = conv2d(residual, depth, [1, 1], stride=1, activation_fn=None, scope="conv3")
        output = relu(shortcut + residual)
        return utils.collect_named_outputs(outputs_collections, sc.name, output)


@add_arg_scope
def bottleneck_v2(
    inputs: Any,
    depth: int,
    depth_bottleneck: int,
    stride: int,
    rate: int = 1,
    outputs_collections: Any = None,
    scope: str | None = None,
) -> Any:
    """ResNet v2 (pre-activation) bottleneck unit."""
    with variable_scope(scope, "bottleneck_v2", [inputs]) as sc:
        depth_in = utils.last_dimension(inputs.get_shape(), min_rank=4)
        preact = batch_norm(inputs, activation_fn=relu, scope="preact")
        if depth == depth_in:
            shortcut = subsample(inputs, stride, "shortcut")
        else:
            shortcut = conv2d(
                preact,
                depth,
                [1, 1],
                stride=stride,
                normalizer_fn=None,
                activation_fn=None,
                scope="shortcut",
            )
        residual = conv2d(preact, depth_bottleneck, [1, 1], stride=1, scope="conv1")
        residual = conv2d_same(residual, depth_bottleneck, 3, stride, rate=rate, scope="conv2")
        residual = conv2d(
            residual, depth, [1, 1], stride=1, normalizer_fn=None, activation_fn=None, scope="conv3"
        )
        output = shortcut + residual
        return utils.collect_named_outputs(outputs_collections, sc.name, output)


def _resnet(
    version: int,
    inputs: Any,
    blocks: list[Block],
    num_classes: int | None,
    is_training: Any,
    global_pool: bool,
    output_stride: Any,
    include_root_block: bool,
    reuse: Any,
    scope: str | None,
) -> tuple[Any, dict[str, Any]]:
    unit = bottleneck_v1 if version == 1 else bottleneck_v2
    with variable_scope(scope, f"resnet_v{version}", [inputs], reuse=reuse) as sc:
        end_points_collection = sc.original_name_scope + "_end_points"
        with (
            arg_scope(
                [conv2d, unit, stack_blocks_dense], outputs_collections=end_points_collection
            ),
            arg_scope([batch_norm], is_training=is_training),
        ):
            net = inputs
            if include_root_block:
                if output_stride is not None:
                    if output_stride % 4 != 0:
                        raise ValueError("The output_stride needs to be a multiple of 4.")
                    output_stride /= 4
                if version == 1:
                    net = conv2d_same(net, 64, 7, stride=2, scope="conv1")
                else:
                    with arg_scope([conv2d], activation_fn=None, normalizer_fn=None):
                        net = conv2d_same(net, 64, 7, stride=2, scope="conv1")
                net = max_pool2d(net, [3, 3], stride=2, scope="pool1")
            net = stack_blocks_dense(net, blocks, output_stride)
            if version == 2:
                net = batch_norm(net, activation_fn=relu, scope="postnorm")
            if global_pool:
                net = reduce_mean(net, [1, 2], name="pool5", keepdims=True)
            if num_classes is not None:
                net = conv2d(
                    net, num_classes, [1, 1], activation_fn=None, normalizer_fn=None, scope="logits"
                )
            end_points = utils.convert_collection_to_dict(end_points_collection)
            if num_classes is not None:
                end_points["predictions"] = softmax(net, scope="predictions")
            return net, end_points


def resnet_v1(
    inputs: Any,
    blocks: list[Block],
    num_classes: int | None = None,
    is_training: Any = True,
    global_pool: bool = True,
    output_stride: Any = None,
    include_root_block: bool = True,
    reuse: Any = None,
    scope: str | None = None,
) -> tuple[Any, dict[str, Any]]:
    """A ResNet v1 of the given blocks; returns ``(net, end_points)``."""
    return _resnet(
        1,
        inputs,
        blocks,
        num_classes,
        is_training,
        global_pool,
        output_stride,
        include_root_block,
        reuse,
        scope,
    )


def resnet_v2(
    inputs: Any,
    blocks: list[Block],
    num_classes: int | None = None,
    is_training: Any = True,
    global_pool: bool = True,
    output_stride: Any = None,
    include_root_block: bool = True,
    reuse: Any = None,
    scope: str | None = None,
) -> tuple[Any, dict[str, Any]]:
    """A ResNet v2 (pre-activation) of the given blocks; returns ``(net, end_points)``."""
    return _resnet(
        2,
        inputs,
        blocks,
        num_classes,
        is_training,
        global_pool,
        output_stride,
        include_root_block,
        reuse,
        scope,
    )


resnet_v1.default_image_size = 224  # type: ignore[attr-defined]
resnet_v2.default_image_size = 224  # type: ignore[attr-defined]


def _block(unit_fn: Any, scope: str, base_depth: int, num_units: int, stride: int) -> Block:
    unit = {"depth": base_depth * 4, "depth_bottleneck": base_depth, "stride": 1}
    return Block(scope, unit_fn, [unit] * (num_units - 1) + [dict(unit, stride=stride)])


def resnet_v1_block(scope: str, base_depth: int, num_units: int, stride: int) -> Block:
    """A block of ``num_units`` v1 bottlenecks, the last one strided."""
    return _block(bottleneck_v1, scope, base_depth, num_units, stride)


def resnet_v2_block(scope: str, base_depth: int, num_units: int, stride: int) -> Block:
    """A block of ``num_units`` v2 bottlenecks, the last one strided."""
    return _block(bottleneck_v2, scope, base_depth, num_units, stride)


_UNITS = {50: (3, 4, 6, 3), 101: (3, 4, 23, 3), 152: (3, 8, 36, 3), 200: (3, 24, 36, 3)}


def _named(version: int, layers: int) -> Any:
    block_fn = resnet_v1_block if version == 1 else resnet_v2_block
    build = resnet_v1 if version == 1 else resnet_v2
    units = _UNITS[layers]

    def net(
        inputs: Any,
        num_classes: int | None = None,
        is_training: Any = True,
        global_pool: bool = True,
        output_stride: Any = None,
        reuse: Any = None,
        scope: str = f"resnet_v{version}_{layers}",
    ) -> tuple[Any, dict[str, Any]]:
        blocks = [
            block_fn("block1", base_depth=64, num_units=units[0], stride=2),
            block_fn("block2", base_depth=128, num_units=units[1], stride=2),
            block_fn("block3", base_depth=256, num_units=units[2], stride=2),
            block_fn("block4", base_depth=512, num_units=units[3], stride=1),
        ]
        return build(
            inputs,
            blocks,
            num_classes,
            is_training,
            global_pool,
            output_stride,
            include_root_block=True,
            reuse=reuse,
            scope=scope,
        )

    net.__name__ = net.__qualname__ = f"resnet_v{version}_{layers}"
    net.__doc__ = f"ResNet-{layers} v{version} (blocks of {units} bottleneck units)."
    net.default_image_size = 224  # type: ignore[attr-defined]
    return net


resnet_v1_50 = _named(1, 50)
resnet_v1_101 = _named(1, 101)
resnet_v1_152 = _named(1, 152)
resnet_v1_200 = _named(1, 200)
resnet_v2_50 = _named(2, 50)
resnet_v2_101 = _named(2, 101)
resnet_v2_152 = _named(2, 152)
resnet_v2_200 = _named(2, 200)
