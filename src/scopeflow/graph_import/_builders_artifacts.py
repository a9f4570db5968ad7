"""Builders for the op types of real TF1 artifacts beyond model code.

Detection post-processing (``NonMaxSuppressionV2``..``V5``, ``CropAndResize``, ``Where``),
``TensorArray*V3`` (inside imported while loops), image codecs and string ops of input
signatures, assertions.

Same contract as ``_builders``: ``builder(inputs, attrs, name)`` with ``name`` ending in ``/``.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.errors import UnsupportedError
from scopeflow.graph.graph import get_default_graph
from scopeflow.ops import (
    gather_scatter_ops,
    image_codec_ops,
    image_crop_ops,
    image_resize_ops,
    math_ops,
    nms_ops,
    normalization_ops,
    raw_io_ops,
    reduction_ops,
    string_ops,
)
from scopeflow.ops._op_builder import SCALAR, UNKNOWN, make_multi_op, make_op

Builder = Callable[[list[Any], dict[str, Any], str], Any]


def _nms(version: int) -> Builder:
    def build(i: list[Any], a: dict[str, Any], n: str) -> Any:
        pad = bool(a.get("pad_to_max_output_size", False))
        rest = list(i[4:]) + [None] * (6 - len(i))
        return nms_ops._nms_op(version, i[0], i[1], i[2], i[3], rest[0], rest[1], pad, n)

    return build


def _assert(i: list[Any], a: dict[str, Any], n: str) -> Any:
    attrs = {"T": tuple(t._dtype.base_dtype for t in i[1:]), "summarize": a.get("summarize", 3)}
    return get_default_graph()._create_op("Assert", tuple(i), attrs, n, (), ())


def _fused_bn(i: list[Any], a: dict[str, Any], n: str) -> Any:
    return normalization_ops.fused_batch_norm(
        i[0], i[1], i[2], i[3], i[4], epsilon=a.get("epsilon", 1e-4),
        data_format=str(a.get("data_format", "NHWC")), is_training=a.get("is_training", True),
        exponential_avg_factor=a.get("exponential_avg_factor", 1.0), name=n,
    )  # fmt: skip


# --- TensorArray (V3): the ops ``tensor_array_ops`` builds, from their NodeDef attrs -----------


def _handle(op_type: str, i: list[Any], flow: int | None) -> None:
    """TF's input type check: ``handle`` is a resource (and ``flow_in`` a float32)."""
    checks = [(0, "handle", dtypes.resource)]
    if flow is not None:
        checks.append((flow, "flow_in", dtypes.float32))
    for k, arg, want in checks:
        got = i[k]._dtype.base_dtype if k < len(i) else None
        if got != want:
            raise TypeError(
                f"Input '{arg}' of '{op_type}' Op has type {getattr(got, 'name', None)} that "
                f"does not match expected type of {want.name}."
            )


def _ta(i: list[Any], a: dict[str, Any], n: str) -> Any:
    attrs = {
        "dtype": a["dtype"],
        "element_shape": a.get("element_shape", UNKNOWN),
        "dynamic_size": bool(a.get("dynamic_size", False)),
        "clear_after_read": bool(a.get("clear_after_read", True)),
        "identical_element_shapes": bool(a.get("identical_element_shapes", False)),
        "tensor_array_name": a.get("tensor_array_name", ""),
    }
    return make_multi_op("TensorArrayV3", (i[0],), attrs, n, (dtypes.resource, dtypes.float32),
                         (TensorShape([2]), SCALAR))  # fmt: skip


def _ta_write(op_type: str, value: int = 2) -> Builder:
    def build(i: list[Any], a: dict[str, Any], n: str) -> Any:
        _handle(op_type, i, 3)
        t = i[value]._dtype.base_dtype
        return make_op(op_type, tuple(i), {"T": t}, n, dtypes.float32, SCALAR)

    return build


def _ta_read(i: list[Any], a: dict[str, Any], n: str) -> Any:
    _handle("TensorArrayReadV3", i, 2)
    return make_op("TensorArrayReadV3", tuple(i), {"dtype": a["dtype"]}, n, a["dtype"], UNKNOWN)


def _ta_gather(i: list[Any], a: dict[str, Any], n: str) -> Any:
    _handle("TensorArrayGatherV3", i, 2)
    es = a.get("element_shape", UNKNOWN)
    out = UNKNOWN if es.dims is None else TensorShape([None, *es.dims])
    attrs = {"dtype": a["dtype"], "element_shape": es}
    return make_op("TensorArrayGatherV3", tuple(i), attrs, n, a["dtype"], out)


def _ta_size(i: list[Any], a: dict[str, Any], n: str) -> Any:
    _handle("TensorArraySizeV3", i, 1)
    return make_op("TensorArraySizeV3", tuple(i), {}, n, dtypes.int32, SCALAR)


def _ta_close(i: list[Any], a: dict[str, Any], n: str) -> Any:
    _handle("TensorArrayCloseV3", i, None)
    return make_multi_op("TensorArrayCloseV3", (i[0],), {}, n, (), ())


def _ta_concat(i: list[Any], a: dict[str, Any], n: str) -> Any:
    _handle("TensorArrayConcatV3", i, 1)
    return make_multi_op("TensorArrayConcatV3", tuple(i), {"dtype": a["dtype"]}, n,
                         (a["dtype"], dtypes.int64), (UNKNOWN, TensorShape([None])))  # fmt: skip


# --- ParseExample / ParseExampleV2: keys and defaults are constants of the GraphDef -------------


def _static_value(t: Any, what: str, depth: int = 0) -> np.ndarray:
    """The constant value of ``t`` (a ``Const``, possibly through ``Identity``/``Reshape``)."""
    shapes: list[list[int]] = []
    op = t._op
    for _ in range(64 if depth < 4 else 0):
        if op._type == "Const":
            value = np.asarray(op._attrs["value"])
            for shape in reversed(shapes):
                value = value.reshape(shape)
            return value
        if op._type == "Reshape":
            target = _static_value(op._inputs[1], what, depth + 1)
            shapes.append([int(d) for d in target.reshape(-1)])
        elif op._type != "Identity":
            break
        op = op._inputs[0]._op
    raise UnsupportedError(f"a {what} computed by a {op._type} op (only constants are supported)")


def _keys(t: Any, what: str) -> list[str]:
    return [
        k.decode() if isinstance(k, bytes) else str(k) for k in _static_value(t, what).reshape(-1)
    ]


def _parse_example(
    serialized: Any, sparse: list[str], sparse_types: list[Any], dense: list[str],
    defaults: list[Any], dense_types: list[Any], dense_shapes: list[Any], n: str,
) -> Any:  # fmt: skip
    """TF's ParseExample outputs in the NodeDef's key order, as scopeflow's ``ParseExampleV2``."""
    rank = serialized._shape.ndims
    if rank not in (0, 1, None):
        raise ValueError(f"Shape must be at most rank 1 but is rank {rank}")
    batch: list[int | None] = (
        [] if rank == 0 else [serialized._shape.as_list()[0] if rank else None]
    )
    sparse_rank = (1 if rank == 0 else 2) if rank is not None else None
    out_dtypes = [dtypes.int64] * len(sparse) + list(sparse_types) + [dtypes.int64] * len(sparse)
    out_shapes = (
        [TensorShape([None, sparse_rank])] * len(sparse)
        + [TensorShape([None])] * len(sparse)
        + [TensorShape([sparse_rank])] * len(sparse)
    )
    dense_info = []
    for key, d, dt, shape in zip(dense, defaults, dense_types, dense_shapes, strict=True):
        # a sequence feature (FixedLenSequenceFeature): unknown first dimension, the default
        # is the scalar padding value
        is_seq = bool(shape.ndims) and shape.dims[0].value is None
        rest = shape[1:] if is_seq else shape
        if not rest.is_fully_defined():
            raise UnsupportedError(f"ParseExample of a feature of shape {shape} ({key!r})")
        dims = [int(x) for x in rest.as_list()]
        value = _static_value(d, f"default of {key!r}")
        if is_seq:
            default = value.reshape(()) if value.size else None
        else:
            default = value.reshape(dims) if value.size else None  # empty: the key is required
        if default is not None and dt == dtypes.string:
            default = np.vectorize(lambda v: v.encode() if isinstance(v, str) else bytes(v),
                                   otypes=[object])(default)  # fmt: skip
        dense_info.append((key, dt, dims, is_seq, default))
        out_dtypes.append(dt)
        full = batch + ([None] if is_seq else []) + dims
        out_shapes.append(TensorShape(full) if rank is not None else UNKNOWN)
    attrs = {"sparse_keys": tuple(sparse), "sparse_types": tuple(sparse_types),
             "_dense": tuple(dense_info)}  # fmt: skip
    return make_multi_op("ParseExampleV2", [serialized], attrs, n, out_dtypes, out_shapes)


def _parse_v1(i: list[Any], a: dict[str, Any], n: str) -> Any:
    ns, nd = int(a.get("Nsparse", 0)), int(a.get("Ndense", 0))
    sparse = [_keys(t, "sparse key")[0] for t in i[2 : 2 + ns]]
    dense = [_keys(t, "dense key")[0] for t in i[2 + ns : 2 + ns + nd]]
    defaults = i[2 + ns + nd : 2 + ns + 2 * nd]
    types, shapes = list(a.get("Tdense", [])), list(a.get("dense_shapes", []))
    sparse_types = list(a.get("sparse_types", []))
    return _parse_example(i[0], sparse, sparse_types, dense, defaults, types, shapes, n)


def _parse_v2(i: list[Any], a: dict[str, Any], n: str) -> Any:
    if _keys(i[4], "ragged key") or a.get("ragged_value_types"):
        raise UnsupportedError("ParseExampleV2 with ragged features")
    return _parse_example(
        i[0], _keys(i[2], "sparse key"), list(a.get("sparse_types", [])),
        _keys(i[3], "dense key"), i[5:], list(a.get("Tdense", [])),
        list(a.get("dense_shapes", [])), n,
    )  # fmt: skip


ARTIFACT_BUILDERS: dict[str, Builder] = {
    "ParseExample": _parse_v1,
    "ParseExampleV2": _parse_v2,
    "NonMaxSuppressionV2": _nms(2),
    "NonMaxSuppressionV3": _nms(3),
    "NonMaxSuppressionV4": _nms(4),
    "NonMaxSuppressionV5": _nms(5),
    "CropAndResize": lambda i, a, n: image_crop_ops.crop_and_resize(
        i[0],
        i[1],
        i[2],
        i[3],
        method=a.get("method", "bilinear"),
        extrapolation_value=a.get("extrapolation_value", 0.0),
        name=n,
    ),
    "ResizeNearestNeighbor": lambda i, a, n: image_resize_ops.resize_nearest_neighbor(
        i[0],
        i[1],
        align_corners=a.get("align_corners", False),
        name=n,
        half_pixel_centers=a.get("half_pixel_centers", False),
    ),
    "Where": lambda i, a, n: gather_scatter_ops.where(i[0], name=n),
    "Select": lambda i, a, n: gather_scatter_ops.where(i[0], i[1], i[2], name=n),
    "FloorMod": lambda i, a, n: math_ops.floormod(i[0], i[1], name=n),
    "All": lambda i, a, n: reduction_ops.reduce_all(
        i[0], i[1], keepdims=a.get("keep_dims", False), name=n
    ),
    "Any": lambda i, a, n: reduction_ops.reduce_any(
        i[0], i[1], keepdims=a.get("keep_dims", False), name=n
    ),
    "Assert": _assert,
    "FusedBatchNormV2": _fused_bn,
    "TensorArrayV3": _ta,
    "TensorArrayWriteV3": _ta_write("TensorArrayWriteV3"),
    "TensorArrayScatterV3": _ta_write("TensorArrayScatterV3"),
    "TensorArraySplitV3": _ta_write("TensorArraySplitV3", value=1),
    "TensorArrayReadV3": _ta_read,
    "TensorArrayGatherV3": _ta_gather,
    "TensorArrayConcatV3": _ta_concat,
    "TensorArraySizeV3": _ta_size,
    "TensorArrayCloseV3": _ta_close,
    "DecodeJpeg": lambda i, a, n: image_codec_ops._decode_op(
        "DecodeJpeg", i[0], a.get("channels", 0), n
    ),
    "DecodePng": lambda i, a, n: image_codec_ops._decode_op(
        "DecodePng", i[0], a.get("channels", 0), n
    ),
    "DecodeImage": lambda i, a, n: image_codec_ops._decode_op(
        "DecodeImage",
        i[0],
        a.get("channels", 0),
        n,
        expand_animations=a.get("expand_animations", True),
    ),
    "EncodePng": lambda i, a, n: image_codec_ops.encode_png(
        i[0], compression=a.get("compression", -1), name=n
    ),
    "EncodeJpeg": lambda i, a, n: image_codec_ops.encode_jpeg(
        i[0], format=a.get("format", ""), quality=a.get("quality", 95), name=n
    ),
    "StringLength": lambda i, a, n: string_ops.string_length(
        i[0], name=n, unit=a.get("unit", "BYTE")
    ),
    "StringToNumber": lambda i, a, n: string_ops.string_to_number(
        i[0], a.get("out_type", dtypes.float32), name=n
    ),
    "AsString": lambda i, a, n: string_ops.as_string(
        i[0],
        precision=a.get("precision", -1),
        scientific=a.get("scientific", False),
        shortest=a.get("shortest", False),
        width=a.get("width", -1),
        fill=a.get("fill", ""),
        name=n,
    ),
    "Substr": lambda i, a, n: string_ops.substr(
        i[0], i[1], i[2], name=n, unit=a.get("unit", "BYTE")
    ),
    "StringJoin": lambda i, a, n: string_ops.string_join(
        i, separator=a.get("separator", ""), name=n
    ),
    "RegexReplace": lambda i, a, n: string_ops.regex_replace(
        i[0], i[1], i[2], replace_global=a.get("replace_global", True), name=n
    ),
    "StaticRegexReplace": lambda i, a, n: string_ops.regex_replace(
        i[0], a["pattern"], a["rewrite"], replace_global=a.get("replace_global", True), name=n
    ),
    "DecodeBase64": lambda i, a, n: string_ops.decode_base64(i[0], name=n),
    "EncodeBase64": lambda i, a, n: string_ops.encode_base64(i[0], pad=a.get("pad", False), name=n),
    "StringSplit": lambda i, a, n: (
        string_ops._split_op(
            "StringSplit", (i[0], i[1]), {"skip_empty": bool(a.get("skip_empty", True))}, n
        ).indices
    ),
    "StringSplitV2": lambda i, a, n: (
        string_ops._split_op(
            "StringSplitV2", (i[0], i[1]), {"maxsplit": int(a.get("maxsplit", -1))}, n
        ).indices
    ),
    "DecodeRaw": lambda i, a, n: raw_io_ops.decode_raw(
        i[0], a["out_type"], little_endian=a.get("little_endian", True), name=n
    ),
}

__all__ = ["ARTIFACT_BUILDERS"]
