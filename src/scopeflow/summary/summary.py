"""``tf.summary`` (TF1): summary ops with TF's name scopes, tags, families and collections.

Each function opens ``summary_scope(name, family)`` as TF does: the op is named after the scope
(``loss``, then ``loss_1``...) and the tag is the scope without its trailing slash
(``outer/loss_1``; with a family, ``family/outer/family/loss``). The op is added to
``GraphKeys.SUMMARIES`` unless ``collections`` says otherwise. Running it returns a serialized
``tensorflow.Summary`` (bytes).

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from typing import Any

from scopeflow._core import dtypes
from scopeflow._core.graph_keys import GraphKeys
from scopeflow._core.name_scope import name_scope
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.tensor import Tensor
from scopeflow.ops import summary_ops

_INVALID_TAG_CHARACTERS = re.compile(r"[^-/\w\.]")


def _clean_tag(name: str | None) -> str | None:
    """TF's ``clean_tag``: illegal characters become ``_``, leading slashes are dropped."""
    if name is not None:
        name = _INVALID_TAG_CHARACTERS.sub("_", name).lstrip("/")
    return name


@contextlib.contextmanager
def _summary_scope(
    name: str | None, family: str | None = None, default_name: str | None = None,
    values: Any = None,
) -> Iterator[tuple[str, str]]:  # fmt: skip
    """TF's ``summary_scope``: yields ``(tag, scope)``."""
    name = _clean_tag(name)
    family = _clean_tag(family)
    base = name if family is None else f"{family}/{name}"
    with name_scope(base, default_name, values) as scope:
        tag = scope.rstrip("/") if family is None else f"{family}/{scope.rstrip('/')}"
        yield tag, scope


def _collect(val: Tensor, collections: Any, default: list[str]) -> None:
    g = get_default_graph()
    for key in default if collections is None else collections:
        g.add_to_collection(key, val)


def scalar(name: str, tensor: Any, collections: Any = None, family: str | None = None) -> Tensor:
    """A summary with one scalar value (``ScalarSummary``).

    >>> import scopeflow.compat.v1 as tf
    >>> s = tf.summary.scalar("loss", tf.constant(0.5))
    >>> s.name, s.op.type
    ('loss:0', 'ScalarSummary')
    """
    with _summary_scope(name, family, values=[tensor]) as (tag, scope):
        val = summary_ops.scalar_summary(tags=tag, values=tensor, name=scope)
        _collect(val, collections, [GraphKeys.SUMMARIES])
    return val


def image(
    name: str, tensor: Any, max_outputs: int = 3, collections: Any = None,
    family: str | None = None,
) -> Tensor:  # fmt: skip
    """Up to ``max_outputs`` PNG images of a ``[batch, height, width, channels]`` tensor.

    Tags are ``<tag>/image/<i>`` (``<tag>/image`` when ``max_outputs`` is 1). Float images are
    scaled to ``[0, 255]`` per image as TF does.

    Differences from TensorFlow: the PNG bytes come from Pillow, not libpng; they decode to
    TF's pixels but are not byte-identical.

    >>> import scopeflow.compat.v1 as tf
    >>> tf.summary.image("img", tf.zeros([2, 4, 4, 3])).op.type
    'ImageSummary'
    """
    with _summary_scope(name, family, values=[tensor]) as (tag, scope):
        val = summary_ops.image_summary(tag=tag, tensor=tensor, max_images=max_outputs, name=scope)
        _collect(val, collections, [GraphKeys.SUMMARIES])
    return val


def histogram(name: str, values: Any, collections: Any = None, family: str | None = None) -> Tensor:
    """A histogram of ``values`` with TF's default bucket limits (``HistogramSummary``).

    >>> import scopeflow.compat.v1 as tf
    >>> tf.summary.histogram("w", tf.constant([1.0, 2.0])).name
    'w:0'
    """
    with _summary_scope(name, family, values=[values], default_name="HistogramSummary") as (
        tag,
        scope,
    ):
        val = summary_ops.histogram_summary(tag=tag, values=values, name=scope)
        _collect(val, collections, [GraphKeys.SUMMARIES])
    return val


def audio(
    name: str, tensor: Any, sample_rate: Any, max_outputs: int = 3, collections: Any = None,
    family: str | None = None,
) -> Tensor:  # fmt: skip
    """Up to ``max_outputs`` WAV clips of a ``[batch, frames(, channels)]`` float tensor.

    Samples in ``[-1, 1]`` become 16-bit PCM as TF's ``AudioSummaryV2`` encodes them.

    >>> import scopeflow.compat.v1 as tf
    >>> tf.summary.audio("a", tf.zeros([1, 8]), 8000).op.type
    'AudioSummaryV2'
    """
    with _summary_scope(name, family=family, values=[tensor]) as (tag, scope):
        rate = convert_to_tensor(sample_rate, dtype=dtypes.float32, name="sample_rate")
        val = summary_ops.audio_summary_v2(
            tag=tag, tensor=tensor, max_outputs=max_outputs, sample_rate=rate, name=scope
        )
        _collect(val, collections, [GraphKeys.SUMMARIES])
    return val


def _summary_metadata() -> Any:
    from scopeflow.protos import summary_pb2  # noqa: PLC0415  (protobuf loads on first use)

    return summary_pb2.SummaryMetadata


def tensor_summary(
    name: str, tensor: Any, summary_description: str | None = None, collections: Any = None,
    summary_metadata: Any = None, family: str | None = None, display_name: str | None = None,
) -> Tensor:  # fmt: skip
    """``tensor`` as a ``TensorProto`` in a summary (``TensorSummaryV2``).

    >>> import scopeflow.compat.v1 as tf
    >>> tf.summary.tensor_summary("t", tf.constant([1, 2])).op.type
    'TensorSummaryV2'
    """
    if summary_metadata is None:
        summary_metadata = _summary_metadata()()
    if summary_description is not None:
        summary_metadata.summary_description = summary_description
    if display_name is not None:
        summary_metadata.display_name = display_name
    serialized = summary_metadata.SerializeToString()
    with _summary_scope(name, family, values=[tensor]) as (tag, scope):
        val = summary_ops.tensor_summary_v2(
            tensor=tensor, tag=tag, name=scope, serialized_summary_metadata=serialized
        )
        _collect(val, collections, [GraphKeys.SUMMARIES])
    return val


def text(name: str, tensor: Any, collections: Any = None) -> Tensor:
    """A string tensor for TensorBoard's text plugin (a tensor summary, plugin ``text``).

    >>> import scopeflow.compat.v1 as tf
    >>> tf.summary.text("note", tf.constant("hi")).name
    'note:0'
    """
    t = convert_to_tensor(tensor) if not isinstance(tensor, Tensor) else tensor
    if t._dtype.base_dtype != dtypes.string:
        raise ValueError(f"Expected tensor {t.name} to have dtype string, got {t._dtype}")
    meta_cls = _summary_metadata()
    meta = meta_cls(plugin_data=meta_cls.PluginData(plugin_name="text"))
    return tensor_summary(name=name, tensor=t, summary_metadata=meta, collections=collections)


def merge(inputs: Any, collections: Any = None, name: str | None = None) -> Tensor:
    """One summary with the values of all ``inputs`` (``MergeSummary``).

    >>> import scopeflow.compat.v1 as tf
    >>> a = tf.summary.scalar("a", 1.0)
    >>> tf.summary.merge([a]).name
    'Merge/MergeSummary:0'
    """
    name = _clean_tag(name)
    with name_scope(name, "Merge", inputs):
        val = summary_ops.merge_summary(inputs=inputs, name=name)
        _collect(val, collections, [])
    return val


def merge_all(key: str = GraphKeys.SUMMARIES, scope: str | None = None,
              name: str | None = None) -> Tensor | None:  # fmt: skip
    """``merge`` of every summary in collection ``key`` (None if there is none).

    >>> import scopeflow.compat.v1 as tf
    >>> tf.summary.merge_all() is None
    True
    """
    summary_ops_ = get_default_graph().get_collection(key, scope=scope)
    if not summary_ops_:
        return None
    return merge(summary_ops_, name=name)


def get_summary_description(node_def: Any) -> Any:
    """The ``SummaryDescription`` stored in a ``TensorSummary`` node's ``description`` attr.

    Raises:
        ValueError: if ``node_def`` is not a ``TensorSummary`` node.
    """
    if node_def.op != "TensorSummary":
        raise ValueError(f"Can't get_summary_description on {node_def.op}")
    from scopeflow.protos import summary_pb2  # noqa: PLC0415

    description_str = node_def.attr["description"].s
    return summary_pb2.SummaryDescription.FromString(description_str)


__all__ = [
    "audio",
    "get_summary_description",
    "histogram",
    "image",
    "merge",
    "merge_all",
    "scalar",
    "tensor_summary",
    "text",
]
