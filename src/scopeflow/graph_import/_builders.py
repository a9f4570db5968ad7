"""How each supported TF op type is rebuilt from its ``NodeDef``: through the op's own wrapper.

A builder takes the node's input tensors, its attrs (Python values, see ``_attrs``) and the
verbatim op name (ending in ``/``, which the wrappers use as is) and returns what the wrapper
returns. Building through the wrappers gives imported ops the attrs, dtypes and static shapes
of ops built in Python. ``BUILDERS`` lists every op type ``import_graph_def`` supports.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scopeflow._core import dtypes
from scopeflow.ops import (
    activation_ops,
    array_ops,
    clip_ops,
    constant_op,
    conv_ops,
    creation_ops,
    gather_scatter_ops,
    gradients_impl,
    image_resize_ops,
    math_ops,
    matmul_ops,
    nn_ops,
    normalization_ops,
    numerics,
    pooling_ops,
    reduction_ops,
    shape_ops,
    slicing_ops,
    split_ops,
    unary_ops,
)
from scopeflow.ops._op_builder import make_multi_op, make_op, shape_from_tensor

Builder = Callable[[list[Any], dict[str, Any], str], Any]


def _unary(fn: Callable[..., Any]) -> Builder:
    return lambda i, a, n: fn(i[0], name=n)


def _binary(fn: Callable[..., Any]) -> Builder:
    return lambda i, a, n: fn(i[0], i[1], name=n)


def _reduce(fn: Callable[..., Any]) -> Builder:
    return lambda i, a, n: fn(i[0], i[1], keepdims=a.get("keep_dims", False), name=n)


def _fmt(a: dict[str, Any], default: str = "NHWC") -> str:
    return str(a.get("data_format", default))


def _conv2d(i: list[Any], a: dict[str, Any], n: str) -> Any:
    padding = a["padding"]
    if padding == "EXPLICIT":
        pads = list(a.get("explicit_paddings", []))
        padding = [pads[k : k + 2] for k in range(0, len(pads), 2)]
    return conv_ops.conv2d(
        i[0], i[1], a["strides"], padding, data_format=_fmt(a),
        dilations=a.get("dilations", [1, 1, 1, 1]), name=n,
    )  # fmt: skip


def _depthwise(i: list[Any], a: dict[str, Any], n: str) -> Any:
    return conv_ops.depthwise_conv2d_native(
        i[0], i[1], a["strides"], a["padding"], data_format=_fmt(a),
        dilations=a.get("dilations", [1, 1, 1, 1]), name=n,
    )  # fmt: skip


def _pool(fn: Callable[..., Any]) -> Builder:
    return lambda i, a, n: fn(
        i[0], a["ksize"], a["strides"], a["padding"], data_format=_fmt(a), name=n
    )


def _fused_bn(i: list[Any], a: dict[str, Any], n: str) -> Any:
    return normalization_ops.fused_batch_norm(
        i[0], i[1], i[2], i[3], i[4], epsilon=a.get("epsilon", 1e-4), data_format=_fmt(a),
        is_training=a.get("is_training", True),
        exponential_avg_factor=a.get("exponential_avg_factor", 1.0), name=n,
    )  # fmt: skip


def _variable(i: list[Any], a: dict[str, Any], n: str) -> Any:
    dt, shape = a["dtype"], a["shape"]
    attrs = {
        "shape": shape,
        "dtype": dt,
        "container": a.get("container", ""),
        "shared_name": a.get("shared_name", ""),
    }
    return make_multi_op("VariableV2", (), attrs, n, (dt._as_ref,), (shape,))


def _assign(i: list[Any], a: dict[str, Any], n: str) -> Any:
    ref, value = i
    validate = bool(a.get("validate_shape", True))
    attrs = {"validate_shape": validate, "use_locking": bool(a.get("use_locking", True)),
             "T": ref._dtype.base_dtype}  # fmt: skip
    shape = ref._shape if validate else value._shape
    return make_multi_op("Assign", (ref, value), attrs, n, (ref._dtype,), (shape,))


def _strided_slice(i: list[Any], a: dict[str, Any], n: str) -> Any:
    return slicing_ops.strided_slice(
        i[0], i[1], i[2], i[3], begin_mask=a.get("begin_mask", 0), end_mask=a.get("end_mask", 0),
        ellipsis_mask=a.get("ellipsis_mask", 0), new_axis_mask=a.get("new_axis_mask", 0),
        shrink_axis_mask=a.get("shrink_axis_mask", 0), name=n,
    )  # fmt: skip


def _matmul(i: list[Any], a: dict[str, Any], n: str) -> Any:
    return matmul_ops.matmul(
        i[0], i[1], transpose_a=a.get("transpose_a", False),
        transpose_b=a.get("transpose_b", False), name=n,
    )  # fmt: skip


def _batch_matmul(i: list[Any], a: dict[str, Any], n: str) -> Any:
    return matmul_ops.matmul(
        i[0], i[1], adjoint_a=a.get("adj_x", False), adjoint_b=a.get("adj_y", False), name=n
    )


def _random(op_type: str) -> Builder:
    """The raw random op with the node's own seeds (no ``get_seed``: they are already final)."""

    def build(i: list[Any], a: dict[str, Any], n: str) -> Any:
        dt = a["dtype"]
        attrs = {"dtype": dt, "T": i[0]._dtype.base_dtype, "seed": a.get("seed", 0),
                 "seed2": a.get("seed2", 0)}  # fmt: skip
        return make_op(op_type, (i[0],), attrs, n, dt, shape_from_tensor(i[0]))

    return build


BUILDERS: dict[str, Builder] = {
    "Const": lambda i, a, n: constant_op.constant(a["value"], dtype=a["dtype"], name=n),
    "Placeholder": lambda i, a, n: array_ops.placeholder(
        a["dtype"], None if a.get("shape") is None else a["shape"], name=n
    ),
    "PlaceholderWithDefault": lambda i, a, n: array_ops.placeholder_with_default(
        i[0], a["shape"], name=n
    ),
    "Identity": _unary(array_ops.identity),
    "StopGradient": _unary(gradients_impl.stop_gradient),
    "CheckNumerics": lambda i, a, n: numerics.check_numerics(
        i[0], str(a.get("message", "")), name=n
    ),
    "NoOp": lambda i, a, n: make_multi_op("NoOp", (), {}, n, (), ()),
    "VariableV2": _variable,
    "Assign": _assign,
    "MatMul": _matmul,
    "BatchMatMul": _batch_matmul,
    "BatchMatMulV2": _batch_matmul,
    "BiasAdd": lambda i, a, n: nn_ops.bias_add(i[0], i[1], data_format=_fmt(a), name=n),
    "Conv2D": _conv2d,
    "DepthwiseConv2dNative": _depthwise,
    "MaxPool": _pool(pooling_ops.max_pool),
    "AvgPool": _pool(pooling_ops.avg_pool),
    "FusedBatchNorm": _fused_bn,
    "FusedBatchNormV3": _fused_bn,
    "Relu": _unary(activation_ops.relu),
    "Relu6": _unary(activation_ops.relu6),
    "Elu": _unary(activation_ops.elu),
    "Selu": _unary(activation_ops.selu),
    "Softplus": _unary(activation_ops.softplus),
    "LeakyRelu": lambda i, a, n: activation_ops.leaky_relu(i[0], a.get("alpha", 0.2), name=n),
    "Softmax": lambda i, a, n: activation_ops.softmax(i[0], name=n),
    "LogSoftmax": lambda i, a, n: activation_ops.log_softmax(i[0], name=n),
    "Sigmoid": _unary(unary_ops.sigmoid),
    "Tanh": _unary(unary_ops.tanh),
    "Sqrt": _unary(unary_ops.sqrt),
    "Rsqrt": _unary(unary_ops.rsqrt),
    "Exp": _unary(unary_ops.exp),
    "Log": _unary(unary_ops.log),
    "Square": _unary(unary_ops.square),
    "Neg": _unary(unary_ops.negative),
    "Abs": _unary(unary_ops.abs),
    "Reciprocal": _unary(unary_ops.reciprocal),
    "Floor": _unary(unary_ops.floor),
    "Add": _binary(math_ops.add),
    "AddV2": _binary(math_ops.add),
    "Sub": _binary(math_ops.subtract),
    "Mul": _binary(math_ops.multiply),
    "RealDiv": _binary(math_ops.real_div),
    "FloorDiv": _binary(math_ops.floor_div),
    "Maximum": _binary(math_ops.maximum),
    "Minimum": _binary(math_ops.minimum),
    "SquaredDifference": _binary(math_ops.squared_difference),
    "Less": _binary(math_ops.less),
    "Greater": _binary(math_ops.greater),
    "Equal": _binary(math_ops.equal),
    "AddN": lambda i, a, n: matmul_ops.add_n(i, name=n),
    "Cast": lambda i, a, n: math_ops.cast(i[0], a["DstT"], name=n),
    "Sum": _reduce(reduction_ops.reduce_sum),
    "Mean": _reduce(reduction_ops.reduce_mean),
    "Max": _reduce(reduction_ops.reduce_max),
    "Min": _reduce(reduction_ops.reduce_min),
    "Prod": _reduce(reduction_ops.reduce_prod),
    "ArgMax": lambda i, a, n: reduction_ops.argmax(
        i[0], i[1], output_type=a.get("output_type", dtypes.int64), name=n
    ),
    "ArgMin": lambda i, a, n: reduction_ops.argmin(
        i[0], i[1], output_type=a.get("output_type", dtypes.int64), name=n
    ),
    "Reshape": _binary(array_ops.reshape),
    "Shape": lambda i, a, n: array_ops.shape(
        i[0], out_type=a.get("out_type", dtypes.int32), name=n
    ),
    "Squeeze": lambda i, a, n: shape_ops.squeeze(i[0], a.get("squeeze_dims") or None, name=n),
    "ExpandDims": _binary(shape_ops.expand_dims),
    "Transpose": _binary(shape_ops.transpose),
    "Pad": _binary(shape_ops.pad),
    "Tile": _binary(shape_ops.tile),
    "ConcatV2": lambda i, a, n: array_ops.concat(i[:-1], i[-1], name=n),
    "Pack": lambda i, a, n: array_ops.stack(i, axis=a.get("axis", 0), name=n),
    "StridedSlice": _strided_slice,
    "Fill": _binary(array_ops.fill),
    "Range": lambda i, a, n: creation_ops.range(i[0], i[1], i[2], dtype=a.get("Tidx"), name=n),
    "RandomUniform": _random("RandomUniform"),
    "RandomStandardNormal": _random("RandomStandardNormal"),
    "TruncatedNormal": _random("TruncatedNormal"),
    "GatherV2": lambda i, a, n: gather_scatter_ops.gather(
        i[0], i[1], axis=i[2], batch_dims=a.get("batch_dims", 0), name=n
    ),
    "Slice": lambda i, a, n: array_ops.slice(i[0], i[1], i[2], name=n),
    "Split": lambda i, a, n: split_ops.split(i[1], a["num_split"], axis=i[0], name=n),
    "SplitV": lambda i, a, n: split_ops.split(i[0], i[1], axis=i[2], name=n),
    "Unpack": lambda i, a, n: split_ops.unstack(i[0], a.get("num"), a.get("axis", 0), name=n),
    "SelectV2": lambda i, a, n: gather_scatter_ops.where_v2(i[0], i[1], i[2], name=n),
    "ZerosLike": _unary(array_ops.zeros_like),
    "OnesLike": _unary(array_ops.ones_like),
    "ClipByValue": lambda i, a, n: clip_ops.clip_by_value(i[0], i[1], i[2], name=n),
    "Pow": _binary(math_ops.pow),
    "GreaterEqual": _binary(math_ops.greater_equal),
    "LessEqual": _binary(math_ops.less_equal),
    "NotEqual": _binary(math_ops.not_equal),
    "LogicalAnd": _binary(math_ops.logical_and),
    "LogicalNot": _unary(math_ops.logical_not),
    "TopKV2": lambda i, a, n: reduction_ops.top_k(i[0], i[1], sorted=a.get("sorted", True), name=n),
    "ResizeBilinear": lambda i, a, n: image_resize_ops.resize_bilinear(
        i[0],
        i[1],
        align_corners=a.get("align_corners", False),
        name=n,
        half_pixel_centers=a.get("half_pixel_centers", False),
    ),
    "MirrorPad": lambda i, a, n: shape_ops.pad(i[0], i[1], mode=a["mode"], name=n),
}

from scopeflow.graph_import._builders_artifacts import ARTIFACT_BUILDERS  # noqa: E402
from scopeflow.graph_import._builders_common import COMMON_BUILDERS  # noqa: E402
from scopeflow.graph_import._builders_lookup import LOOKUP_BUILDERS  # noqa: E402
from scopeflow.graph_import._builders_queue import QUEUE_BUILDERS  # noqa: E402
from scopeflow.graph_import._builders_train import TRAIN_BUILDERS  # noqa: E402

BUILDERS.update(ARTIFACT_BUILDERS)
BUILDERS.update(COMMON_BUILDERS)
BUILDERS.update(TRAIN_BUILDERS)
BUILDERS.update(LOOKUP_BUILDERS)
BUILDERS.update(QUEUE_BUILDERS)
# --- apib ---
from scopeflow.graph_import._builders_apib import APIB_BUILDERS  # noqa: E402

BUILDERS.update(APIB_BUILDERS)

__all__ = ["BUILDERS", "Builder"]
# --- apid: tf.signal, tf.sets, tf.strings.format, sparse serialization ---
from scopeflow.graph_import._builders_apid import APID_BUILDERS  # noqa: E402

BUILDERS.update(APID_BUILDERS)
# --- end apid ---
# --- randgamma: complex parts, MatrixDiagV3, MatrixSolve, RandomGamma, RandomPoissonV2 ---
from scopeflow.graph_import._builders_randgamma import RANDGAMMA_BUILDERS  # noqa: E402

BUILDERS.update(RANDGAMMA_BUILDERS)
# --- end randgamma ---
