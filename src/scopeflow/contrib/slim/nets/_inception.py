"""Inception v1 (GoogLeNet), v2 (BN-Inception) and v3 as TF 1.15's ``slim.nets`` builds them.

Each network is a stem of single layers and a sequence of "mixed" modules, written here as
data: a module is a list of branches (scopes ``Branch_0``, ``Branch_1``, ...), a branch a list
of layer specs, and the branches' outputs are concatenated on the channel axis. Scope names,
including TF's irregular ones (``Mixed_5c/Branch_1/Conv_1_0c_5x5``), and the order in which
variables are created are TF's.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scopeflow._core.graph_keys import GraphKeys
from scopeflow._core.variable_scope import variable_scope
from scopeflow.contrib.framework._arg_scope import arg_scope
from scopeflow.contrib.layers._conv import conv2d, separable_conv2d
from scopeflow.contrib.layers._core_layers import (
    avg_pool2d,
    dropout,
    fully_connected,
    max_pool2d,
    softmax,
)
from scopeflow.contrib.layers._initializers import variance_scaling_initializer
from scopeflow.contrib.layers._normalization import batch_norm
from scopeflow.contrib.layers._regularizers import l2_regularizer
from scopeflow.ops.activation_ops import relu
from scopeflow.ops.array_ops import concat
from scopeflow.ops.init_ops import truncated_normal_initializer
from scopeflow.ops.shape_ops import squeeze

Spec = tuple[Any, ...]


def _trunc_normal(stddev: float) -> Any:
    return truncated_normal_initializer(0.0, stddev)


def _c(d: int, k: int | tuple[int, int], scope: str, **kw: Any) -> Spec:
    return ("conv", d, [k, k] if isinstance(k, int) else list(k), scope, kw)


def _max(k: int, scope: str, **kw: Any) -> Spec:
    return ("max", [k, k], scope, kw)


def _avg(k: int, scope: str, **kw: Any) -> Spec:
    return ("avg", [k, k], scope, kw)


def _split(*convs: Spec) -> Spec:
    return ("split", convs)


def _layer(net: Any, spec: Spec, depth: Callable[[int], int]) -> Any:
    kind = spec[0]
    if kind == "conv":
        _, d, kernel, scope, kw = spec
        kw = dict(kw)
        if "tn" in kw:
            kw["weights_initializer"] = _trunc_normal(kw.pop("tn"))
        return conv2d(net, depth(d), kernel, scope=scope, **kw)
    if kind == "split":
        return concat([_layer(net, s, depth) for s in spec[1]], 3)
    _, kernel, scope, kw = spec
    pool = max_pool2d if kind == "max" else avg_pool2d
    return pool(net, kernel, scope=scope, **kw)


def _mixed(net: Any, name: str, branches: list[list[Spec]], depth: Callable[[int], int]) -> Any:
    with variable_scope(name):
        outputs = []
        for i, branch in enumerate(branches):
            with variable_scope(f"Branch_{i}"):
                out = net
                for spec in branch:
                    out = _layer(out, spec, depth)
                outputs.append(out)
        return concat(outputs, 3)


def _run(
    net: Any,
    stages: list[tuple[str, Any]],
    final_endpoint: str,
    end_points: dict[str, Any],
    depth: Callable[[int], int],
) -> tuple[Any, bool]:
    """Build ``stages`` (``(name, spec or branches)``) until ``final_endpoint``."""
    for name, stage in stages:
        if isinstance(stage, list):
            net = _mixed(net, name, stage, depth)
        else:
            net = _layer(net, stage, depth)
        end_points[name] = net
        if name == final_endpoint:
            return net, True
    return net, False


def _depth_fn(depth_multiplier: float, min_depth: int) -> Callable[[int], int]:
    if depth_multiplier <= 0:
        raise ValueError("depth_multiplier is not greater than zero.")
    return lambda d: max(int(d * depth_multiplier), min_depth)


def _reduced_kernel_size_for_small_input(input_tensor: Any, kernel_size: list[int]) -> list[int]:
    shape = input_tensor.get_shape().as_list()
    if shape[1] is None or shape[2] is None:
        return kernel_size
    return [min(shape[1], kernel_size[0]), min(shape[2], kernel_size[1])]


def _inception_arg_scope(
    weight_decay: float, batch_norm_params: dict[str, Any] | None
) -> dict[str, Any]:
    with (
        arg_scope([conv2d, fully_connected], weights_regularizer=l2_regularizer(weight_decay)),
        arg_scope(
            [conv2d],
            weights_initializer=variance_scaling_initializer(),
            activation_fn=relu,
            normalizer_fn=batch_norm if batch_norm_params is not None else None,
            normalizer_params=batch_norm_params or {},
        ) as sc,
    ):
        return sc


def _bn_params(
    batch_norm_var_collection: str,
    decay: float = 0.9997,
    epsilon: float = 0.001,
    updates_collections: Any = GraphKeys.UPDATE_OPS,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "decay": decay,
        "epsilon": epsilon,
        "updates_collections": updates_collections,
        **extra,
        "variables_collections": {
            "beta": None,
            "gamma": None,
            "moving_mean": [batch_norm_var_collection],
            "moving_variance": [batch_norm_var_collection],
        },
    }


# --- Inception v1 ---------------------------------------------------------------------------


def _v1_mixed(
    b0: int, b1: tuple[int, int], b2: tuple[int, int], b3: int, b2_second: str = "Conv2d_0b_3x3"
) -> list[list[Spec]]:
    return [
        [_c(b0, 1, "Conv2d_0a_1x1")],
        [_c(b1[0], 1, "Conv2d_0a_1x1"), _c(b1[1], 3, "Conv2d_0b_3x3")],
        [_c(b2[0], 1, "Conv2d_0a_1x1"), _c(b2[1], 3, b2_second)],
        [_max(3, "MaxPool_0a_3x3"), _c(b3, 1, "Conv2d_0b_1x1")],
    ]


_V1_STAGES: list[tuple[str, Any]] = [
    ("Conv2d_1a_7x7", _c(64, 7, "Conv2d_1a_7x7", stride=2)),
    ("MaxPool_2a_3x3", _max(3, "MaxPool_2a_3x3", stride=2)),
    ("Conv2d_2b_1x1", _c(64, 1, "Conv2d_2b_1x1")),
    ("Conv2d_2c_3x3", _c(192, 3, "Conv2d_2c_3x3")),
    ("MaxPool_3a_3x3", _max(3, "MaxPool_3a_3x3", stride=2)),
    ("Mixed_3b", _v1_mixed(64, (96, 128), (16, 32), 32)),
    ("Mixed_3c", _v1_mixed(128, (128, 192), (32, 96), 64)),
    ("MaxPool_4a_3x3", _max(3, "MaxPool_4a_3x3", stride=2)),
    ("Mixed_4b", _v1_mixed(192, (96, 208), (16, 48), 64)),
    ("Mixed_4c", _v1_mixed(160, (112, 224), (24, 64), 64)),
    ("Mixed_4d", _v1_mixed(128, (128, 256), (24, 64), 64)),
    ("Mixed_4e", _v1_mixed(112, (144, 288), (32, 64), 64)),
    ("Mixed_4f", _v1_mixed(256, (160, 320), (32, 128), 128)),
    ("MaxPool_5a_2x2", ("max", [2, 2], "MaxPool_5a_2x2", {"stride": 2})),
    ("Mixed_5b", _v1_mixed(256, (160, 320), (32, 128), 128, b2_second="Conv2d_0a_3x3")),
    ("Mixed_5c", _v1_mixed(384, (192, 384), (48, 128), 128)),
]


def inception_v1_base(
    inputs: Any, final_endpoint: str = "Mixed_5c", scope: Any = "InceptionV1"
) -> tuple[Any, dict[str, Any]]:
    """Inception v1 from ``inputs`` up to ``final_endpoint``; returns ``(net, end_points)``."""
    end_points: dict[str, Any] = {}
    with (
        variable_scope(scope, "InceptionV1", [inputs]),
        arg_scope([conv2d, fully_connected], weights_initializer=_trunc_normal(0.01)),
        arg_scope([conv2d, max_pool2d], stride=1, padding="SAME"),
    ):
        net, done = _run(inputs, _V1_STAGES, final_endpoint, end_points, lambda d: d)
        if done:
            return net, end_points
    raise ValueError(f"Unknown final endpoint {final_endpoint}")


def inception_v1(
    inputs: Any,
    num_classes: int = 1000,
    is_training: Any = True,
    dropout_keep_prob: float = 0.8,
    prediction_fn: Any = softmax,
    spatial_squeeze: bool = True,
    reuse: Any = None,
    scope: str = "InceptionV1",
) -> tuple[Any, dict[str, Any]]:
    """Inception v1 (GoogLeNet) classifier; returns ``(logits, end_points)``."""
    with (
        variable_scope(scope, "InceptionV1", [inputs, num_classes], reuse=reuse) as sc,
        arg_scope([batch_norm, dropout], is_training=is_training),
    ):
        net, end_points = inception_v1_base(inputs, scope=sc)
        with variable_scope("Logits"):
            net = avg_pool2d(net, [7, 7], stride=1, scope="MaxPool_0a_7x7")
            net = dropout(net, dropout_keep_prob, scope="Dropout_0b")
            logits = conv2d(
                net,
                num_classes,
                [1, 1],
                activation_fn=None,
                normalizer_fn=None,
                scope="Conv2d_0c_1x1",
            )
            if spatial_squeeze:
                logits = squeeze(logits, [1, 2], name="SpatialSqueeze")
            end_points["Logits"] = logits
            end_points["Predictions"] = prediction_fn(logits, scope="Predictions")
    return logits, end_points


inception_v1.default_image_size = 224  # type: ignore[attr-defined]


def inception_v1_arg_scope(
    weight_decay: float = 0.00004,
    use_batch_norm: bool = True,
    batch_norm_var_collection: str = "moving_vars",
) -> dict[str, Any]:
    """L2-regularized He-initialized ReLU convs with (optional) batch norm."""
    params = _bn_params(batch_norm_var_collection) if use_batch_norm else None
    return _inception_arg_scope(weight_decay, params)


# --- Inception v2 ---------------------------------------------------------------------------


def _v2_mixed(
    b0: int, b1: tuple[int, int], b2: tuple[int, int], b3: int, pool: str = "avg"
) -> list[list[Spec]]:
    pool_spec = _avg(3, "AvgPool_0a_3x3") if pool == "avg" else _max(3, "MaxPool_0a_3x3")
    return [
        [_c(b0, 1, "Conv2d_0a_1x1")],
        [_c(b1[0], 1, "Conv2d_0a_1x1", tn=0.09), _c(b1[1], 3, "Conv2d_0b_3x3")],
        [
            _c(b2[0], 1, "Conv2d_0a_1x1", tn=0.09),
            _c(b2[1], 3, "Conv2d_0b_3x3"),
            _c(b2[1], 3, "Conv2d_0c_3x3"),
        ],
        [pool_spec, _c(b3, 1, "Conv2d_0b_1x1", tn=0.1)],
    ]


def _v2_reduction(b0: tuple[int, int], b1: tuple[int, int]) -> list[list[Spec]]:
    return [
        [_c(b0[0], 1, "Conv2d_0a_1x1", tn=0.09), _c(b0[1], 3, "Conv2d_1a_3x3", stride=2)],
        [
            _c(b1[0], 1, "Conv2d_0a_1x1", tn=0.09),
            _c(b1[1], 3, "Conv2d_0b_3x3"),
            _c(b1[1], 3, "Conv2d_1a_3x3", stride=2),
        ],
        [_max(3, "MaxPool_1a_3x3", stride=2)],
    ]


_V2_STAGES: list[tuple[str, Any]] = [
    ("MaxPool_2a_3x3", _max(3, "MaxPool_2a_3x3", stride=2)),
    ("Conv2d_2b_1x1", _c(64, 1, "Conv2d_2b_1x1", tn=0.1)),
    ("Conv2d_2c_3x3", _c(192, 3, "Conv2d_2c_3x3")),
    ("MaxPool_3a_3x3", _max(3, "MaxPool_3a_3x3", stride=2)),
    ("Mixed_3b", _v2_mixed(64, (64, 64), (64, 96), 32)),
    ("Mixed_3c", _v2_mixed(64, (64, 96), (64, 96), 64)),
    ("Mixed_4a", _v2_reduction((128, 160), (64, 96))),
    ("Mixed_4b", _v2_mixed(224, (64, 96), (96, 128), 128)),
    ("Mixed_4c", _v2_mixed(192, (96, 128), (96, 128), 128)),
    ("Mixed_4d", _v2_mixed(160, (128, 160), (128, 160), 96)),
    ("Mixed_4e", _v2_mixed(96, (128, 192), (160, 192), 96)),
    ("Mixed_5a", _v2_reduction((128, 192), (192, 256))),
    ("Mixed_5b", _v2_mixed(352, (192, 320), (160, 224), 128)),
    ("Mixed_5c", _v2_mixed(352, (192, 320), (192, 224), 128, pool="max")),
]


def inception_v2_base(
    inputs: Any,
    final_endpoint: str = "Mixed_5c",
    min_depth: int = 16,
    depth_multiplier: float = 1.0,
    scope: Any = None,
) -> tuple[Any, dict[str, Any]]:
    """Inception v2 from ``inputs`` up to ``final_endpoint``; returns ``(net, end_points)``."""
    end_points: dict[str, Any] = {}
    depth = _depth_fn(depth_multiplier, min_depth)
    with (
        variable_scope(scope, "InceptionV2", [inputs]),
        arg_scope([conv2d, max_pool2d, avg_pool2d, separable_conv2d], stride=1, padding="SAME"),
    ):
        end_point = "Conv2d_1a_7x7"
        depthwise_multiplier = min(int(depth(64) / 3), 8)
        net = separable_conv2d(
            inputs,
            depth(64),
            [7, 7],
            depth_multiplier=depthwise_multiplier,
            stride=2,
            weights_initializer=_trunc_normal(1.0),
            scope=end_point,
        )
        end_points[end_point] = net
        if end_point == final_endpoint:
            return net, end_points
        net, done = _run(net, _V2_STAGES, final_endpoint, end_points, depth)
        if done:
            return net, end_points
    raise ValueError(f"Unknown final endpoint {final_endpoint}")


def _classifier(
    net: Any,
    end_points: dict[str, Any],
    num_classes: int,
    kernel: list[int],
    dropout_keep_prob: float,
    prediction_fn: Any,
    spatial_squeeze: bool,
) -> Any:
    with variable_scope("Logits"):
        kernel_size = _reduced_kernel_size_for_small_input(net, kernel)
        net = avg_pool2d(
            net, kernel_size, padding="VALID", scope="AvgPool_1a_{}x{}".format(*kernel_size)
        )
        net = dropout(net, keep_prob=dropout_keep_prob, scope="Dropout_1b")
        end_points["PreLogits"] = net
        logits = conv2d(
            net, num_classes, [1, 1], activation_fn=None, normalizer_fn=None, scope="Conv2d_1c_1x1"
        )
        if spatial_squeeze:
            logits = squeeze(logits, [1, 2], name="SpatialSqueeze")
    end_points["Logits"] = logits
    end_points["Predictions"] = prediction_fn(logits, scope="Predictions")
    return logits


def inception_v2(
    inputs: Any,
    num_classes: int = 1000,
    is_training: Any = True,
    dropout_keep_prob: float = 0.8,
    min_depth: int = 16,
    depth_multiplier: float = 1.0,
    prediction_fn: Any = softmax,
    spatial_squeeze: bool = True,
    reuse: Any = None,
    scope: str = "InceptionV2",
) -> tuple[Any, dict[str, Any]]:
    """Inception v2 classifier; returns ``(logits, end_points)``."""
    if depth_multiplier <= 0:
        raise ValueError("depth_multiplier is not greater than zero.")
    with (
        variable_scope(scope, "InceptionV2", [inputs, num_classes], reuse=reuse) as sc,
        arg_scope([batch_norm, dropout], is_training=is_training),
    ):
        net, end_points = inception_v2_base(
            inputs, scope=sc, min_depth=min_depth, depth_multiplier=depth_multiplier
        )
        logits = _classifier(
            net, end_points, num_classes, [7, 7], dropout_keep_prob, prediction_fn, spatial_squeeze
        )
        end_points.pop("PreLogits")
    return logits, end_points


inception_v2.default_image_size = 224  # type: ignore[attr-defined]


def inception_v2_arg_scope(
    weight_decay: float = 0.00004, batch_norm_var_collection: str = "moving_vars"
) -> dict[str, Any]:
    """L2-regularized He-initialized ReLU convs with batch norm."""
    return _inception_arg_scope(weight_decay, _bn_params(batch_norm_var_collection))


# --- Inception v3 ---------------------------------------------------------------------------


def _v3_5x(
    b3: int, b1_names: tuple[str, str] = ("Conv2d_0a_1x1", "Conv2d_0b_5x5")
) -> list[list[Spec]]:
    return [
        [_c(64, 1, "Conv2d_0a_1x1")],
        [_c(48, 1, b1_names[0]), _c(64, 5, b1_names[1])],
        [_c(64, 1, "Conv2d_0a_1x1"), _c(96, 3, "Conv2d_0b_3x3"), _c(96, 3, "Conv2d_0c_3x3")],
        [_avg(3, "AvgPool_0a_3x3"), _c(b3, 1, "Conv2d_0b_1x1")],
    ]


def _v3_6x(mid: int) -> list[list[Spec]]:
    return [
        [_c(192, 1, "Conv2d_0a_1x1")],
        [
            _c(mid, 1, "Conv2d_0a_1x1"),
            _c(mid, (1, 7), "Conv2d_0b_1x7"),
            _c(192, (7, 1), "Conv2d_0c_7x1"),
        ],
        [
            _c(mid, 1, "Conv2d_0a_1x1"),
            _c(mid, (7, 1), "Conv2d_0b_7x1"),
            _c(mid, (1, 7), "Conv2d_0c_1x7"),
            _c(mid, (7, 1), "Conv2d_0d_7x1"),
            _c(192, (1, 7), "Conv2d_0e_1x7"),
        ],
        [_avg(3, "AvgPool_0a_3x3"), _c(192, 1, "Conv2d_0b_1x1")],
    ]


def _v3_7x(b1_second: str) -> list[list[Spec]]:
    return [
        [_c(320, 1, "Conv2d_0a_1x1")],
        [
            _c(384, 1, "Conv2d_0a_1x1"),
            _split(_c(384, (1, 3), "Conv2d_0b_1x3"), _c(384, (3, 1), b1_second)),
        ],
        [
            _c(448, 1, "Conv2d_0a_1x1"),
            _c(384, 3, "Conv2d_0b_3x3"),
            _split(_c(384, (1, 3), "Conv2d_0c_1x3"), _c(384, (3, 1), "Conv2d_0d_3x1")),
        ],
        [_avg(3, "AvgPool_0a_3x3"), _c(192, 1, "Conv2d_0b_1x1")],
    ]


_V3_STEM: list[tuple[str, Any]] = [
    ("Conv2d_1a_3x3", _c(32, 3, "Conv2d_1a_3x3", stride=2)),
    ("Conv2d_2a_3x3", _c(32, 3, "Conv2d_2a_3x3")),
    ("Conv2d_2b_3x3", _c(64, 3, "Conv2d_2b_3x3", padding="SAME")),
    ("MaxPool_3a_3x3", _max(3, "MaxPool_3a_3x3", stride=2)),
    ("Conv2d_3b_1x1", _c(80, 1, "Conv2d_3b_1x1")),
    ("Conv2d_4a_3x3", _c(192, 3, "Conv2d_4a_3x3")),
    ("MaxPool_5a_3x3", _max(3, "MaxPool_5a_3x3", stride=2)),
]
_VALID2 = {"stride": 2, "padding": "VALID"}
_V3_MIXED: list[tuple[str, Any]] = [
    ("Mixed_5b", _v3_5x(32)),
    ("Mixed_5c", _v3_5x(64, ("Conv2d_0b_1x1", "Conv_1_0c_5x5"))),
    ("Mixed_5d", _v3_5x(64)),
    (
        "Mixed_6a",
        [
            [_c(384, 3, "Conv2d_1a_1x1", **_VALID2)],
            [
                _c(64, 1, "Conv2d_0a_1x1"),
                _c(96, 3, "Conv2d_0b_3x3"),
                _c(96, 3, "Conv2d_1a_1x1", **_VALID2),
            ],
            [_max(3, "MaxPool_1a_3x3", **_VALID2)],
        ],
    ),
    ("Mixed_6b", _v3_6x(128)),
    ("Mixed_6c", _v3_6x(160)),
    ("Mixed_6d", _v3_6x(160)),
    ("Mixed_6e", _v3_6x(192)),
    (
        "Mixed_7a",
        [
            [_c(192, 1, "Conv2d_0a_1x1"), _c(320, 3, "Conv2d_1a_3x3", **_VALID2)],
            [
                _c(192, 1, "Conv2d_0a_1x1"),
                _c(192, (1, 7), "Conv2d_0b_1x7"),
                _c(192, (7, 1), "Conv2d_0c_7x1"),
                _c(192, 3, "Conv2d_1a_3x3", **_VALID2),
            ],
            [_max(3, "MaxPool_1a_3x3", **_VALID2)],
        ],
    ),
    ("Mixed_7b", _v3_7x("Conv2d_0b_3x1")),
    ("Mixed_7c", _v3_7x("Conv2d_0c_3x1")),
]


def inception_v3_base(
    inputs: Any,
    final_endpoint: str = "Mixed_7c",
    min_depth: int = 16,
    depth_multiplier: float = 1.0,
    scope: Any = None,
) -> tuple[Any, dict[str, Any]]:
    """Inception v3 from ``inputs`` up to ``final_endpoint``; returns ``(net, end_points)``."""
    end_points: dict[str, Any] = {}
    depth = _depth_fn(depth_multiplier, min_depth)
    with variable_scope(scope, "InceptionV3", [inputs]):
        with arg_scope([conv2d, max_pool2d, avg_pool2d], stride=1, padding="VALID"):
            net, done = _run(inputs, _V3_STEM, final_endpoint, end_points, depth)
            if done:
                return net, end_points
        with arg_scope([conv2d, max_pool2d, avg_pool2d], stride=1, padding="SAME"):
            net, done = _run(net, _V3_MIXED, final_endpoint, end_points, depth)
            if done:
                return net, end_points
    raise ValueError(f"Unknown final endpoint {final_endpoint}")


def inception_v3(
    inputs: Any,
    num_classes: int = 1000,
    is_training: Any = True,
    dropout_keep_prob: float = 0.8,
    min_depth: int = 16,
    depth_multiplier: float = 1.0,
    prediction_fn: Any = softmax,
    spatial_squeeze: bool = True,
    reuse: Any = None,
    create_aux_logits: bool = True,
    scope: str = "InceptionV3",
) -> tuple[Any, dict[str, Any]]:
    """Inception v3 classifier (with auxiliary logits); returns ``(logits, end_points)``.

    >>> import scopeflow.compat.v1 as tf
    >>> logits, end_points = tf.contrib.slim.nets.inception.inception_v3(
    ...     tf.zeros([1, 299, 299, 3]), 10)
    >>> print(logits.name, end_points["Mixed_7c"].shape)
    InceptionV3/Logits/SpatialSqueeze:0 (1, 8, 8, 2048)
    """
    depth = _depth_fn(depth_multiplier, min_depth)
    with (
        variable_scope(scope, "InceptionV3", [inputs, num_classes], reuse=reuse) as sc,
        arg_scope([batch_norm, dropout], is_training=is_training),
    ):
        net, end_points = inception_v3_base(
            inputs, scope=sc, min_depth=min_depth, depth_multiplier=depth_multiplier
        )
        if create_aux_logits and num_classes:
            with arg_scope([conv2d, max_pool2d, avg_pool2d], stride=1, padding="SAME"):
                aux = end_points["Mixed_6e"]
                with variable_scope("AuxLogits"):
                    aux = avg_pool2d(aux, [5, 5], stride=3, padding="VALID", scope="AvgPool_1a_5x5")
                    aux = conv2d(aux, depth(128), [1, 1], scope="Conv2d_1b_1x1")
                    kernel_size = _reduced_kernel_size_for_small_input(aux, [5, 5])
                    aux = conv2d(
                        aux,
                        depth(768),
                        kernel_size,
                        weights_initializer=_trunc_normal(0.01),
                        padding="VALID",
                        scope="Conv2d_2a_{}x{}".format(*kernel_size),
                    )
                    aux = conv2d(
                        aux,
                        num_classes,
                        [1, 1],
                        activation_fn=None,
                        normalizer_fn=None,
                        weights_initializer=_trunc_normal(0.001),
                        scope="Conv2d_2b_1x1",
                    )
                    if spatial_squeeze:
                        aux = squeeze(aux, [1, 2], name="SpatialSqueeze")
                    end_points["AuxLogits"] = aux
        logits = _classifier(
            net, end_points, num_classes, [8, 8], dropout_keep_prob, prediction_fn, spatial_squeeze
        )
    return logits, end_points


inception_v3.default_image_size = 299  # type: ignore[attr-defined]


def inception_v3_arg_scope(
    weight_decay: float = 0.00004,
    batch_norm_var_collection: str = "moving_vars",
    batch_norm_decay: float = 0.9997,
    batch_norm_epsilon: float = 0.001,
    updates_collections: Any = GraphKeys.UPDATE_OPS,
    use_fused_batchnorm: bool = True,
) -> dict[str, Any]:
    """L2-regularized He-initialized ReLU convs with batch norm (fused by default)."""
    params = _bn_params(
        batch_norm_var_collection,
        batch_norm_decay,
        batch_norm_epsilon,
        updates_collections,
        fused=use_fused_batchnorm,
    )
    return _inception_arg_scope(weight_decay, params)
