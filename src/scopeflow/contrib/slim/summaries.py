"""``tf.contrib.slim.summaries``: summaries named after the tensors they describe (TF 1.15).

Each summary is named ``[prefix/]<name or tensor.op.name>``; ``print_summary`` wraps the
summary in a ``Print`` of the tensor (the printing op, not the summary, goes into
``SUMMARIES``); the zero-fraction summary is ``<name>/Fraction_of_Zero_Values`` of
``nn.zero_fraction``.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.

>>> import scopeflow.compat.v1 as tf
>>> from scopeflow.contrib.slim import summaries
>>> summaries.add_scalar_summary(tf.constant(1.0, name="c"), prefix="p").name
'p/c:0'
"""

from __future__ import annotations

from typing import Any

from scopeflow._core.graph_keys import GraphKeys
from scopeflow.graph.graph import get_default_graph
from scopeflow.ops.logging_ops import Print
from scopeflow.ops.sort_ops import zero_fraction
from scopeflow.summary import summary

__all__ = [
    "add_histogram_summaries",
    "add_histogram_summary",
    "add_image_summaries",
    "add_image_summary",
    "add_scalar_summaries",
    "add_scalar_summary",
    "add_zero_fraction_summaries",
    "add_zero_fraction_summary",
]


def _get_summary_name(
    tensor: Any, name: str | None = None, prefix: str | None = None, postfix: str | None = None
) -> str:
    name = name or tensor.op.name
    if prefix:
        name = f"{prefix}/{name}"
    if postfix:
        name = f"{name}/{postfix}"
    return name


def add_histogram_summary(tensor: Any, name: str | None = None, prefix: str | None = None) -> Any:
    """A histogram summary of ``tensor``."""
    return summary.histogram(_get_summary_name(tensor, name, prefix), tensor)


def _printed(op: Any, tensor: Any, summary_name: str, print_summary: bool) -> Any:
    if print_summary:
        op = Print(op, [tensor], summary_name)
        get_default_graph().add_to_collection(GraphKeys.SUMMARIES, op)
    return op


def add_image_summary(
    tensor: Any, name: str | None = None, prefix: str | None = None, print_summary: bool = False
) -> Any:
    """An image summary of a ``[batch, height, width, channels]`` tensor."""
    summary_name = _get_summary_name(tensor, name, prefix)
    op = summary.image(name=summary_name, tensor=tensor,
                       collections=[] if print_summary else None)  # fmt: skip
    return _printed(op, tensor, summary_name, print_summary)


def add_scalar_summary(
    tensor: Any, name: str | None = None, prefix: str | None = None, print_summary: bool = False
) -> Any:
    """A scalar summary of ``tensor``."""
    summary_name = _get_summary_name(tensor, name, prefix)
    op = summary.scalar(name=summary_name, tensor=tensor,
                        collections=[] if print_summary else None)  # fmt: skip
    return _printed(op, tensor, summary_name, print_summary)


def add_zero_fraction_summary(
    tensor: Any, name: str | None = None, prefix: str | None = None, print_summary: bool = False
) -> Any:
    """A scalar summary of the fraction of zeros in ``tensor``."""
    name = _get_summary_name(tensor, name, prefix, "Fraction_of_Zero_Values")
    return add_scalar_summary(zero_fraction(tensor), name, print_summary=print_summary)


def add_histogram_summaries(tensors: Any, prefix: str | None = None) -> list[Any]:
    """A histogram summary for each tensor."""
    return [add_histogram_summary(t, prefix=prefix) for t in tensors]


def add_image_summaries(tensors: Any, prefix: str | None = None) -> list[Any]:
    """An image summary for each tensor."""
    return [add_image_summary(t, prefix=prefix) for t in tensors]


def add_scalar_summaries(
    tensors: Any, prefix: str | None = None, print_summary: bool = False
) -> list[Any]:
    """A scalar summary for each tensor."""
    return [add_scalar_summary(t, prefix=prefix, print_summary=print_summary) for t in tensors]


def add_zero_fraction_summaries(tensors: Any, prefix: str | None = None) -> list[Any]:
    """A zero-fraction summary for each tensor."""
    return [add_zero_fraction_summary(t, prefix=prefix) for t in tensors]
