"""TF 1.15's ``tf.contrib.layers`` summary helpers (``contrib/layers/python/layers/summaries``).

``summarize_tensor`` adds a scalar summary for a rank-0 tensor and a histogram otherwise, tagged
``<op name>_summary`` (string and bool tensors get none); ``summarize_activation`` adds the
activation's histogram ``<op>/activation`` and, for ``Relu``/``Softplus``/``Relu6``, the
fraction of negative inputs ``<op>/zeros`` (and for ``Relu6`` of inputs above six,
``<op>/sixes``); the collection helpers summarize every tensor of a graph collection whose op
name matches a regular expression.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

from scopeflow._core import dtypes
from scopeflow._core.graph_keys import GraphKeys
from scopeflow.graph.graph import get_default_graph
from scopeflow.ops.math_ops import cast, greater, less
from scopeflow.ops.reduction_ops import reduce_mean
from scopeflow.summary import summary

_Summarizer = Callable[[Any], Any]


def _add_scalar_summary(tensor: Any, tag: str | None = None) -> Any:
    tensor.get_shape().assert_has_rank(0)
    return summary.scalar(tag or f"{tensor.op.name}_summary", tensor)


def _add_histogram_summary(tensor: Any, tag: str | None = None) -> Any:
    return summary.histogram(tag or f"{tensor.op.name}_summary", tensor)


def _fraction(compare: Any, op: Any, bound: float) -> Any:
    """The mean of ``compare(op's input, bound)`` as float32."""
    inputs = op.op.inputs[0]
    return reduce_mean(cast(compare(inputs, cast(bound, inputs.dtype)), dtypes.float32))


def summarize_activation(op: Any) -> Any:
    """Summaries of an activation tensor: its histogram, and the zero/six fractions of ReLUs.

    >>> import scopeflow.compat.v1 as tf
    >>> s = tf.contrib.layers.summarize_activation(tf.nn.relu(tf.zeros([3]), name="act"))
    >>> print(s.op.name, [t.op.name for t in tf.get_collection(tf.GraphKeys.SUMMARIES)])
    act/activation ['act/zeros', 'act/activation']
    """
    if op.op.type in ("Relu", "Softplus", "Relu6"):
        _add_scalar_summary(_fraction(less, op, 0.0), f"{op.op.name}/zeros")
    if op.op.type == "Relu6":
        _add_scalar_summary(_fraction(greater, op, 6.0), f"{op.op.name}/sixes")
    return _add_histogram_summary(op, f"{op.op.name}/activation")


def summarize_tensor(tensor: Any, tag: str | None = None) -> Any:
    """A scalar summary for a rank-0 ``tensor``, else a histogram (None for string/bool).

    >>> import scopeflow.compat.v1 as tf
    >>> print(tf.contrib.layers.summarize_tensor(tf.constant(2.0, name="c")).op.name)
    c_summary
    """
    if tensor.dtype.is_compatible_with(dtypes.string) or tensor.dtype.base_dtype == dtypes.bool:
        return None
    if tensor.get_shape().ndims == 0:
        return _add_scalar_summary(tensor, tag)
    return _add_histogram_summary(tensor, tag)


def summarize_tensors(tensors: Any, summarizer: _Summarizer = summarize_tensor) -> list[Any]:
    """``summarizer`` applied to each tensor."""
    return [summarizer(tensor) for tensor in tensors]


def summarize_collection(
    collection: str, name_filter: str | None = None, summarizer: _Summarizer = summarize_tensor
) -> list[Any]:
    """Summaries of the tensors of ``collection`` whose op name matches ``name_filter``."""
    tensors = [
        t
        for t in get_default_graph().get_collection(collection)
        if name_filter is None or re.match(name_filter, t.op.name)
    ]
    return summarize_tensors(tensors, summarizer)


summarize_variables = functools.partial(summarize_collection, GraphKeys.GLOBAL_VARIABLES)
summarize_weights = functools.partial(summarize_collection, GraphKeys.WEIGHTS)
summarize_biases = functools.partial(summarize_collection, GraphKeys.BIASES)


def summarize_activations(
    name_filter: str | None = None, summarizer: _Summarizer = summarize_activation
) -> list[Any]:
    """``summarize_activation`` of each tensor of ``GraphKeys.ACTIVATIONS`` (filtered by name)."""
    return summarize_collection(GraphKeys.ACTIVATIONS, name_filter, summarizer)


__all__ = [
    "summarize_activation",
    "summarize_activations",
    "summarize_biases",
    "summarize_collection",
    "summarize_tensor",
    "summarize_tensors",
    "summarize_variables",
    "summarize_weights",
]
