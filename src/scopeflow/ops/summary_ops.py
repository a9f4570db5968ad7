"""TF's v1 summary ops, each returning a serialized ``tensorflow.Summary`` when run.

ScalarSummary, HistogramSummary, ImageSummary, AudioSummaryV2, TensorSummaryV2, MergeSummary.

These are the raw ops (``gen_logging_ops``); ``scopeflow.summary`` builds ``tf.summary.*`` on
them with TF's name scopes, tags and collections. Kernels build real protobuf messages
(:mod:`scopeflow.protos`), loaded when the first summary kernel is prepared.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from scopeflow._core import dtypes
from scopeflow.errors import InvalidArgumentError
from scopeflow.graph._torch_dtypes import to_numpy
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.op_registry import register_kernel
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.ops import _summary_encoders as enc
from scopeflow.ops._op_builder import SCALAR, make_op
from scopeflow.ops.constant_op import constant

_REAL = frozenset(
    ("float16", "bfloat16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8",
     "uint16", "uint32", "uint64")
)  # fmt: skip


def _summary_pb2() -> Any:
    from scopeflow.protos import summary_pb2  # noqa: PLC0415  (protobuf loads with the first summary)

    return summary_pb2


def _string_const(value: Any, name: str) -> Tensor:
    if isinstance(value, Tensor):
        if value._dtype.base_dtype != dtypes.string:
            raise TypeError(
                f"Input '{name}' of summary op has type {value._dtype.base_dtype.name} that does "
                "not match expected type of string."
            )
        return value
    return constant(value, dtype=dtypes.string, name=name)


def _real_input(value: Any, name: str, op_type: str) -> Tensor:
    t = convert_to_tensor(value, name=name)
    if t._dtype.base_dtype.name not in _REAL:
        raise TypeError(
            f"Value passed to parameter '{name}' has DataType {t._dtype.base_dtype.name} not in "
            f"list of allowed values for {op_type}."
        )
    return t


def _tag(value: Any) -> str:
    arr = np.asarray(value, dtype=object)
    t = arr.reshape(-1)[0]
    return t.decode("utf-8", "replace") if isinstance(t, bytes) else str(t)


def _out(summary: Any) -> Any:
    return np.array(summary.SerializeToString(), dtype=object)


# --- ScalarSummary ------------------------------------------------------------------------------


def scalar_summary(tags: Any, values: Any, name: str | None = None) -> Tensor:
    """``ScalarSummary``: one ``simple_value`` per element of ``values`` tagged by ``tags``."""
    tags_t = _string_const(tags, "tags")
    vals = _real_input(values, "values", "ScalarSummary")
    attrs = {"T": vals._dtype.base_dtype}
    return make_op("ScalarSummary", (tags_t, vals), attrs, name, dtypes.string, SCALAR)


@register_kernel("ScalarSummary")
def _scalar_summary_kernel(op: Operation, session: Any) -> Any:
    pb = _summary_pb2()

    def kernel(tags: Any, values: Any) -> Any:
        tags_a = np.asarray(tags, dtype=object)
        vals = np.asarray(to_numpy(values))
        if tags_a.shape != vals.shape:
            single = f" (tag '{_tag(tags_a)}')" if tags_a.size == 1 else ""
            raise InvalidArgumentError(
                None, op,
                f"tags and values are not the same shape: {_shape_str(tags_a.shape)} != "
                f"{_shape_str(vals.shape)}{single}",
            )  # fmt: skip
        s = pb.Summary()
        for t, v in zip(tags_a.reshape(-1), vals.reshape(-1).astype(np.float32), strict=True):
            s.value.add(tag=_tag(t), simple_value=float(v))
        return _out(s)

    return kernel


def _shape_str(shape: tuple[int, ...]) -> str:
    return "[" + ",".join(str(d) for d in shape) + "]"


# --- HistogramSummary ---------------------------------------------------------------------------


def histogram_summary(tag: Any, values: Any, name: str | None = None) -> Tensor:
    """``HistogramSummary``: a ``HistogramProto`` of ``values`` with TF's default buckets."""
    tag_t = _string_const(tag, "tag")
    vals = _real_input(values, "values", "HistogramSummary")
    attrs = {"T": vals._dtype.base_dtype}
    return make_op("HistogramSummary", (tag_t, vals), attrs, name, dtypes.string, SCALAR)


@register_kernel("HistogramSummary")
def _histogram_summary_kernel(op: Operation, session: Any) -> Any:
    pb = _summary_pb2()

    def kernel(tag: Any, values: Any) -> Any:
        s = pb.Summary()
        v = s.value.add(tag=_tag(tag))
        bad = enc.fill_histogram(v.histo, np.asarray(to_numpy(values)))
        if bad is not None:
            # TF's two texts: the first non-finite element decides which
            what = "Nan in summary histogram" if bad == "nan" else "Infinity in Histogram"
            raise InvalidArgumentError(None, op, f"{what} for: {op.name}")
        return _out(s)

    return kernel


# --- ImageSummary -------------------------------------------------------------------------------

_BAD_COLOR = np.array([255, 0, 0, 255], np.uint8)


def image_summary(
    tag: Any, tensor: Any, max_images: int = 3, bad_color: Any = None, name: str | None = None
) -> Tensor:
    """``ImageSummary``: up to ``max_images`` PNG images from a ``[batch, h, w, c]`` tensor."""
    tag_t = _string_const(tag, "tag")
    t = convert_to_tensor(tensor, name="tensor")
    if t._dtype.base_dtype.name not in ("uint8", "float32", "float16", "float64"):
        raise TypeError(
            f"Value passed to parameter 'tensor' has DataType {t._dtype.base_dtype.name} not in "
            "list of allowed values: uint8, float32, float16, float64"
        )
    if int(max_images) < 1:
        raise ValueError(
            f"Attr 'max_images' of 'ImageSummary' Op passed {max_images} less than minimum 1."
        )
    color = _BAD_COLOR if bad_color is None else np.asarray(bad_color, np.uint8).reshape(-1)
    attrs = {"T": t._dtype.base_dtype, "max_images": int(max_images), "bad_color": color}
    return make_op("ImageSummary", (tag_t, t), attrs, name, dtypes.string, SCALAR)


@register_kernel("ImageSummary")
def _image_summary_kernel(op: Operation, session: Any) -> Any:
    pb = _summary_pb2()
    max_images = op._attrs["max_images"]
    bad_color = op._attrs["bad_color"]

    def kernel(tag: Any, tensor: Any) -> Any:
        images = np.asarray(to_numpy(tensor))
        if images.ndim != 4 or images.shape[3] not in (1, 3, 4):
            raise InvalidArgumentError(
                None, op,
                "Tensor must be 4-D with last dim 1, 3, or 4, not "
                f"{_shape_str(images.shape)}",
            )  # fmt: skip
        base = _tag(tag)
        n = min(images.shape[0], max_images)
        if images.shape[3] > bad_color.size:
            raise InvalidArgumentError(
                None, op,
                f"bad_color has fewer elements than image depth: {bad_color.size} < "
                f"{images.shape[3]}",
            )  # fmt: skip
        s = pb.Summary()
        for i in range(n):
            pixels = enc.image_to_uint8(images[i], bad_color)
            v = s.value.add(tag=f"{base}/image" if max_images == 1 else f"{base}/image/{i}")
            v.image.height = images.shape[1]
            v.image.width = images.shape[2]
            v.image.colorspace = images.shape[3]
            v.image.encoded_image_string = enc.encode_png(pixels)
        return _out(s)

    return kernel


# --- AudioSummaryV2 -----------------------------------------------------------------------------


def audio_summary_v2(
    tag: Any, tensor: Any, sample_rate: Any, max_outputs: int = 3, name: str | None = None
) -> Tensor:
    """``AudioSummaryV2``: up to ``max_outputs`` WAV clips of ``[batch, frames(, channels)]``."""
    tag_t = _string_const(tag, "tag")
    t = convert_to_tensor(tensor, name="tensor")
    if t._dtype.base_dtype != dtypes.float32:
        raise TypeError(
            f"Input 'tensor' of 'AudioSummaryV2' Op has type {t._dtype.base_dtype.name} that does "
            "not match expected type of float32."
        )
    rate = convert_to_tensor(sample_rate, dtype=dtypes.float32, name="sample_rate")
    if int(max_outputs) < 1:
        raise ValueError(
            f"Attr 'max_outputs' of 'AudioSummaryV2' Op passed {max_outputs} less than minimum 1."
        )
    attrs = {"max_outputs": int(max_outputs)}
    return make_op("AudioSummaryV2", (tag_t, t, rate), attrs, name, dtypes.string, SCALAR)


@register_kernel("AudioSummaryV2")
def _audio_summary_kernel(op: Operation, session: Any) -> Any:
    pb = _summary_pb2()
    max_outputs = op._attrs["max_outputs"]

    def kernel(tag: Any, tensor: Any, sample_rate: Any) -> Any:
        audio = np.asarray(to_numpy(tensor), dtype=np.float32)
        rate = float(np.asarray(to_numpy(sample_rate)))
        if rate <= 0:
            raise InvalidArgumentError(None, op, "sample_rate must be > 0")
        if audio.ndim not in (2, 3):
            raise InvalidArgumentError(
                None, op, f"Tensor must be 3-D or 2-D, got: {_shape_str(audio.shape)}"
            )
        if audio.ndim == 2:
            audio = audio[:, :, None]
        base = _tag(tag)
        s = pb.Summary()
        for i in range(min(audio.shape[0], max_outputs)):
            v = s.value.add(tag=f"{base}/audio" if max_outputs == 1 else f"{base}/audio/{i}")
            v.audio.sample_rate = rate
            v.audio.num_channels = audio.shape[2]
            v.audio.length_frames = audio.shape[1]
            v.audio.content_type = "audio/wav"
            v.audio.encoded_audio_string = enc.encode_wav(audio[i], rate)
        return _out(s)

    return kernel


# --- TensorSummaryV2 ----------------------------------------------------------------------------


def tensor_summary_v2(
    tag: Any, tensor: Any, serialized_summary_metadata: Any, name: str | None = None
) -> Tensor:
    """``TensorSummaryV2``: ``tensor`` as a ``TensorProto`` with a ``SummaryMetadata``."""
    tag_t = _string_const(tag, "tag")
    t = convert_to_tensor(tensor, name="tensor")
    meta = _string_const(serialized_summary_metadata, "serialized_summary_metadata")
    attrs = {"T": t._dtype.base_dtype}
    return make_op("TensorSummaryV2", (tag_t, t, meta), attrs, name, dtypes.string, SCALAR)


@register_kernel("TensorSummaryV2")
def _tensor_summary_kernel(op: Operation, session: Any) -> Any:
    from scopeflow.graph_io.tensor_proto import make_tensor_proto  # noqa: PLC0415

    pb = _summary_pb2()
    dtype = op._attrs["T"]

    def kernel(tag: Any, tensor: Any, meta: Any) -> Any:
        s = pb.Summary()
        v = s.value.add(tag=_tag(tag))
        # TF: strings as string_val (AsProtoField), everything else as raw tensor_content
        v.tensor.CopyFrom(make_tensor_proto(to_numpy(tensor), dtype, content=True))
        raw = np.asarray(meta, dtype=object).reshape(-1)[0]
        v.metadata.ParseFromString(raw if isinstance(raw, bytes) else str(raw).encode())
        return _out(s)

    return kernel


# --- MergeSummary -------------------------------------------------------------------------------


def merge_summary(inputs: Any, name: str | None = None) -> Tensor:
    """``MergeSummary``: the values of serialized ``Summary`` inputs in one ``Summary``."""
    ts = [convert_to_tensor(x, name=f"inputs_{i}") for i, x in enumerate(inputs)]
    if not ts:
        raise ValueError("List argument 'inputs' to 'MergeSummary' Op with length 0 shorter than "
                         "minimum length 1.")  # fmt: skip
    for t in ts:
        if t._dtype.base_dtype != dtypes.string:
            raise TypeError(
                "Tensors in list passed to 'inputs' of 'MergeSummary' Op have types "
                f"[{', '.join(x._dtype.base_dtype.name for x in ts)}] that don't all match."
            )
    attrs = {"N": len(ts)}
    return make_op("MergeSummary", ts, attrs, name, dtypes.string, SCALAR)


@register_kernel("MergeSummary")
def _merge_summary_kernel(op: Operation, session: Any) -> Any:
    from google.protobuf.message import DecodeError  # noqa: PLC0415

    pb = _summary_pb2()

    def kernel(*inputs: Any) -> Any:
        merged = pb.Summary()
        seen: set[str] = set()
        for inp in inputs:
            for raw in np.asarray(inp, dtype=object).reshape(-1):
                part = pb.Summary()
                try:
                    part.ParseFromString(raw)
                except DecodeError:
                    raise InvalidArgumentError(
                        None, op, "Could not parse one of the summary inputs"
                    ) from None
                for v in part.value:
                    if v.tag:
                        if v.tag in seen:
                            raise InvalidArgumentError(
                                None, op, f"Duplicate tag {v.tag} found in summary inputs "
                            )
                        seen.add(v.tag)
                merged.value.extend(part.value)
        return _out(merged)

    return kernel


__all__ = [
    "audio_summary_v2",
    "histogram_summary",
    "image_summary",
    "merge_summary",
    "scalar_summary",
    "tensor_summary_v2",
]
