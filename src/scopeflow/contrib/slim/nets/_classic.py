"""VGG, AlexNet v2 and OverFeat.

VGG (A/16/19), AlexNet v2 and OverFeat as TF 1.15's ``slim.nets`` builds them: fully
convolutional classifiers (``fc6``-``fc8`` are convolutions), TF's scopes and end points.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from typing import Any

from scopeflow._core.variable_scope import variable_scope
from scopeflow.contrib.framework._arg_scope import arg_scope
from scopeflow.contrib.layers import utils
from scopeflow.contrib.layers._conv import conv2d
from scopeflow.contrib.layers._core_layers import dropout, fully_connected, max_pool2d, repeat
from scopeflow.contrib.layers._regularizers import l2_regularizer
from scopeflow.ops.activation_ops import relu
from scopeflow.ops.init_ops import (
    constant_initializer,
    truncated_normal_initializer,
    zeros_initializer,
)
from scopeflow.ops.shape_ops import squeeze


def _trunc_normal(stddev: float) -> Any:
    return truncated_normal_initializer(0.0, stddev)


def vgg_arg_scope(weight_decay: float = 0.0005) -> dict[str, Any]:
    """ReLU, L2-regularized, zero-bias convs and dense layers; ``SAME`` convs."""
    with (
        arg_scope(
            [conv2d, fully_connected],
            activation_fn=relu,
            weights_regularizer=l2_regularizer(weight_decay),
            biases_initializer=zeros_initializer(),
        ),
        arg_scope([conv2d], padding="SAME") as arg_sc,
    ):
        return arg_sc


def _head(
    net: Any,
    sc: Any,
    end_points_collection: str,
    num_classes: int,
    is_training: Any,
    dropout_keep_prob: float,
    spatial_squeeze: bool,
    fc6: tuple[int, int],
    fc8_zero_biases: bool,
) -> tuple[Any, dict[str, Any]]:
    net = conv2d(net, fc6[0], [fc6[1], fc6[1]], padding="VALID", scope="fc6")
    net = dropout(net, dropout_keep_prob, is_training=is_training, scope="dropout6")
    net = conv2d(net, 4096, [1, 1], scope="fc7")
    net = dropout(net, dropout_keep_prob, is_training=is_training, scope="dropout7")
    extra = {"biases_initializer": zeros_initializer()} if fc8_zero_biases else {}
    net = conv2d(
        net, num_classes, [1, 1], activation_fn=None, normalizer_fn=None, scope="fc8", **extra
    )
    end_points = utils.convert_collection_to_dict(end_points_collection)
    if spatial_squeeze:
        net = squeeze(net, [1, 2], name="fc8/squeezed")
        end_points[sc.name + "/fc8"] = net
    return net, end_points


def _vgg(
    repeats: tuple[int, ...],
    default: str,
    inputs: Any,
    num_classes: int,
    is_training: Any,
    dropout_keep_prob: float,
    spatial_squeeze: bool,
    scope: str,
    collection_from_name: bool = False,
) -> tuple[Any, dict[str, Any]]:
    with variable_scope(scope, default, [inputs]) as sc:
        end_points_collection = (
            sc.name if collection_from_name else sc.original_name_scope
        ) + "_end_points"
        with arg_scope(
            [conv2d, fully_connected, max_pool2d], outputs_collections=end_points_collection
        ):
            net = inputs
            for i, (n, depth) in enumerate(zip(repeats, (64, 128, 256, 512, 512), strict=True)):
                net = repeat(net, n, conv2d, depth, [3, 3], scope=f"conv{i + 1}")
                net = max_pool2d(net, [2, 2], scope=f"pool{i + 1}")
            return _head(
                net,
                sc,
                end_points_collection,
                num_classes,
                is_training,
                dropout_keep_prob,
                spatial_squeeze,
                (4096, 7),
                False,
            )


def vgg_a(
    inputs: Any,
    num_classes: int = 1000,
    is_training: Any = True,
    dropout_keep_prob: float = 0.5,
    spatial_squeeze: bool = True,
    scope: str = "vgg_a",
) -> tuple[Any, dict[str, Any]]:
    """VGG configuration A (11 layers); returns ``(logits, end_points)``."""
    return _vgg(
        (1, 1, 2, 2, 2),
        "vgg_a",
        inputs,
        num_classes,
        is_training,
        dropout_keep_prob,
        spatial_squeeze,
        scope,
    )


def vgg_16(
    inputs: Any,
    num_classes: int = 1000,
    is_training: Any = True,
    dropout_keep_prob: float = 0.5,
    spatial_squeeze: bool = True,
    scope: str = "vgg_16",
) -> tuple[Any, dict[str, Any]]:
    """VGG configuration D (16 layers).

    >>> import scopeflow.compat.v1 as tf
    >>> nets = tf.contrib.slim.nets
    >>> logits, end_points = nets.vgg.vgg_16(tf.zeros([1, 224, 224, 3]), 10)
    >>> print(logits.name, logits.shape, list(end_points)[:2])
    vgg_16/fc8/squeezed:0 (1, 10) ['vgg_16/conv1/conv1_1', 'vgg_16/conv1/conv1_2']
    """
    return _vgg(
        (2, 2, 3, 3, 3),
        "vgg_16",
        inputs,
        num_classes,
        is_training,
        dropout_keep_prob,
        spatial_squeeze,
        scope,
    )


def vgg_19(
    inputs: Any,
    num_classes: int = 1000,
    is_training: Any = True,
    dropout_keep_prob: float = 0.5,
    spatial_squeeze: bool = True,
    scope: str = "vgg_19",
) -> tuple[Any, dict[str, Any]]:
    """VGG configuration E (19 layers)."""
    return _vgg(
        (2, 2, 4, 4, 4),
        "vgg_19",
        inputs,
        num_classes,
        is_training,
        dropout_keep_prob,
        spatial_squeeze,
        scope,
        collection_from_name=True,
    )


for _net in (vgg_a, vgg_16, vgg_19):
    _net.default_image_size = 224  # type: ignore[attr-defined]
vgg_d = vgg_16
vgg_e = vgg_19


def alexnet_v2_arg_scope(weight_decay: float = 0.0005) -> dict[str, Any]:
    """ReLU convs and dense layers with 0.1 biases; ``SAME`` convs, ``VALID`` pools."""
    with (
        arg_scope(
            [conv2d, fully_connected],
            activation_fn=relu,
            biases_initializer=constant_initializer(0.1),
            weights_regularizer=l2_regularizer(weight_decay),
        ),
        arg_scope([conv2d], padding="SAME"),
        arg_scope([max_pool2d], padding="VALID") as arg_sc,
    ):
        return arg_sc


def alexnet_v2(
    inputs: Any,
    num_classes: int = 1000,
    is_training: Any = True,
    dropout_keep_prob: float = 0.5,
    spatial_squeeze: bool = True,
    scope: str = "alexnet_v2",
) -> tuple[Any, dict[str, Any]]:
    """AlexNet v2 (one-tower); 224x224 input gives 1x1 logits."""
    with variable_scope(scope, "alexnet_v2", [inputs]) as sc:
        end_points_collection = sc.original_name_scope + "_end_points"
        with arg_scope(
            [conv2d, fully_connected, max_pool2d], outputs_collections=[end_points_collection]
        ):
            net = conv2d(inputs, 64, [11, 11], 4, padding="VALID", scope="conv1")
            net = max_pool2d(net, [3, 3], 2, scope="pool1")
            net = conv2d(net, 192, [5, 5], scope="conv2")
            net = max_pool2d(net, [3, 3], 2, scope="pool2")
            net = conv2d(net, 384, [3, 3], scope="conv3")
            net = conv2d(net, 384, [3, 3], scope="conv4")
            net = conv2d(net, 256, [3, 3], scope="conv5")
            net = max_pool2d(net, [3, 3], 2, scope="pool5")
            with arg_scope(
                [conv2d],
                weights_initializer=_trunc_normal(0.005),
                biases_initializer=constant_initializer(0.1),
            ):
                return _head(
                    net,
                    sc,
                    end_points_collection,
                    num_classes,
                    is_training,
                    dropout_keep_prob,
                    spatial_squeeze,
                    (4096, 5),
                    True,
                )


alexnet_v2.default_image_size = 224  # type: ignore[attr-defined]


def overfeat_arg_scope(weight_decay: float = 0.0005) -> dict[str, Any]:
    """ReLU, L2-regularized, zero-bias layers; ``SAME`` convs, ``VALID`` pools."""
    with (
        arg_scope(
            [conv2d, fully_connected],
            activation_fn=relu,
            weights_regularizer=l2_regularizer(weight_decay),
            biases_initializer=zeros_initializer(),
        ),
        arg_scope([conv2d], padding="SAME"),
        arg_scope([max_pool2d], padding="VALID") as arg_sc,
    ):
        return arg_sc


def overfeat(
    inputs: Any,
    num_classes: int = 1000,
    is_training: Any = True,
    dropout_keep_prob: float = 0.5,
    spatial_squeeze: bool = True,
    scope: str = "overfeat",
) -> tuple[Any, dict[str, Any]]:
    """OverFeat (fast model); 231x231 input gives 1x1 logits."""
    with variable_scope(scope, "overfeat", [inputs]) as sc:
        end_points_collection = sc.name + "_end_points"
        with arg_scope(
            [conv2d, fully_connected, max_pool2d], outputs_collections=end_points_collection
        ):
            net = conv2d(inputs, 64, [11, 11], 4, padding="VALID", scope="conv1")
            net = max_pool2d(net, [2, 2], scope="pool1")
            net = conv2d(net, 256, [5, 5], padding="VALID", scope="conv2")
            net = max_pool2d(net, [2, 2], scope="pool2")
            net = conv2d(net, 512, [3, 3], scope="conv3")
            net = conv2d(net, 1024, [3, 3], scope="conv4")
            net = conv2d(net, 1024, [3, 3], scope="conv5")
            net = max_pool2d(net, [2, 2], scope="pool5")
            with arg_scope(
                [conv2d],
                weights_initializer=_trunc_normal(0.005),
                biases_initializer=constant_initializer(0.1),
            ):
                return _head(
                    net,
                    sc,
                    end_points_collection,
                    num_classes,
                    is_training,
                    dropout_keep_prob,
                    spatial_squeeze,
                    (3072, 6),
                    True,
                )


overfeat.default_image_size = 231  # type: ignore[attr-defined]
