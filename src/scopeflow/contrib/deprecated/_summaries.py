"""TF 1.15's deprecated summary functions (``tensorflow/python/ops/logging_ops.py``).

Each opens ``name_scope(name, "<Op>Summary")`` and names its op after the scope, tags are used
as given (no name-scope prefix, no tag cleaning), and the op joins ``GraphKeys.SUMMARIES`` unless
``collections`` says otherwise; ``merge_summary`` names its op ``name`` inside that scope and
joins no collection by default.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from typing import Any

from scopeflow._core import dtypes
from scopeflow._core.graph_keys import GraphKeys
from scopeflow._core.name_scope import name_scope
from scopeflow.app.logging import warning
from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.tensor import Tensor
from scopeflow.ops import summary_ops

_WARNED: set[str] = set()


def _deprecated(name: str, instead: str) -> None:
    """TF's ``@deprecated`` warning, logged once per function."""
    if name not in _WARNED:
        _WARNED.add(name)
        warning(
            "%s (from tensorflow.python.ops.logging_ops) is deprecated and will be removed "
            "after 2016-11-30.\nInstructions for updating:\nPlease switch to %s.",
            name,
            instead,
        )


def _collect(val: Tensor, collections: Any, default: list[str]) -> None:
    g = get_default_graph()
    for key in default if collections is None else collections:
        g.add_to_collection(key, val)


def scalar_summary(tags: Any, values: Any, collections: Any = None,
                   name: str | None = None) -> Tensor:  # fmt: skip
    """``ScalarSummary`` of ``values`` tagged ``tags`` (TF 0.12's ``tf.scalar_summary``)."""
    _deprecated("scalar_summary", "tf.summary.scalar")
    with name_scope(name, "ScalarSummary", [tags, values]) as scope:
        val = summary_ops.scalar_summary(tags=tags, values=values, name=scope)
        _collect(val, collections, [GraphKeys.SUMMARIES])
    return val


def histogram_summary(tag: Any, values: Any, collections: Any = None,
                      name: str | None = None) -> Tensor:  # fmt: skip
    """``HistogramSummary`` of ``values`` tagged ``tag`` (TF 0.12's ``tf.histogram_summary``)."""
    _deprecated("histogram_summary", "tf.summary.histogram")
    with name_scope(name, "HistogramSummary", [tag, values]) as scope:
        val = summary_ops.histogram_summary(tag=tag, values=values, name=scope)
        _collect(val, collections, [GraphKeys.SUMMARIES])
    return val


def image_summary(tag: Any, tensor: Any, max_images: int = 3, collections: Any = None,
                  name: str | None = None) -> Tensor:  # fmt: skip
    """``ImageSummary`` (TF 0.12's ``tf.image_summary``; tags ``<tag>/image/<i>``)."""
    _deprecated("image_summary", "tf.summary.image")
    with name_scope(name, "ImageSummary", [tag, tensor]) as scope:
        val = summary_ops.image_summary(tag=tag, tensor=tensor, max_images=max_images, name=scope)
        _collect(val, collections, [GraphKeys.SUMMARIES])
    return val


def audio_summary(tag: Any, tensor: Any, sample_rate: Any, max_outputs: int = 3,
                  collections: Any = None, name: str | None = None) -> Tensor:  # fmt: skip
    """``AudioSummaryV2`` (TF 0.12's ``tf.audio_summary``)."""
    _deprecated("audio_summary", "tf.summary.audio")
    with name_scope(name, "AudioSummary", [tag, tensor]) as scope:
        rate = convert_to_tensor(sample_rate, dtype=dtypes.float32, name="sample_rate")
        val = summary_ops.audio_summary_v2(
            tag=tag, tensor=tensor, sample_rate=rate, max_outputs=max_outputs, name=scope
        )
        _collect(val, collections, [GraphKeys.SUMMARIES])
    return val


def merge_summary(inputs: Any, collections: Any = None, name: str | None = None) -> Tensor:
    """``MergeSummary`` of ``inputs`` (TF 0.12's ``tf.merge_summary``)."""
    _deprecated("merge_summary", "tf.summary.merge")
    with name_scope(name, "MergeSummary", inputs):
        val = summary_ops.merge_summary(inputs=inputs, name=name)
        _collect(val, collections, [])
    return val


def merge_all_summaries(key: str = GraphKeys.SUMMARIES) -> Tensor | None:
    """``merge_summary`` of collection ``key`` (None if it is empty)."""
    _deprecated("merge_all_summaries", "tf.summary.merge_all")
    summaries = get_default_graph().get_collection(key)
    if not summaries:
        return None
    return merge_summary(summaries)
