"""``tensorflow.python.ops.nccl_ops``: all-reduce across tensors held by one process.

TF 1.13+ path; ``tf.contrib.nccl`` before.

``all_sum(tensors)`` returns, for each input, the sum of all inputs (``all_prod``, ``all_min``,
``all_max`` likewise), as TF's ``NcclAllReduce`` ops do across the GPUs of one process
(stylegan's ``tflib.Optimizer`` sums its per-GPU gradients with ``all_sum``). The reduction is
computed once and each result is an ``Identity`` of it placed under its input's device.

Differences from TensorFlow: TF runs one ``NcclAllReduce`` op per input, on GPUs only; here the
ops are ``AddN``/``Mul``/``Minimum``/``Maximum`` plus ``Identity`` and run on any device. NCCL's
``reduce_sum`` and ``broadcast`` are not provided.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

from scopeflow.graph.conversion import convert_to_tensor
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.tensor import Tensor
from scopeflow.ops import array_ops, math_ops
from scopeflow.ops.matmul_ops import add_n


def _all_reduce(
    combine: Callable[[Any, Any], Tensor], tensors: Sequence[Any], name: str
) -> list[Tensor]:
    if not tensors:
        raise ValueError("Must pass >0 tensors to all reduce operations")
    values = [convert_to_tensor(t) for t in tensors]
    g = get_default_graph()
    with g.name_scope(name):
        if combine is math_ops.add:
            total = add_n(values) if len(values) > 1 else values[0]
        else:
            total = functools.reduce(combine, values)
    out = []
    for t in values:
        with g.device(t.device):
            out.append(array_ops.identity(total, name=name))
    return out


def all_sum(tensors: Sequence[Any]) -> list[Tensor]:
    """Each output is the sum of ``tensors`` (TF's ``nccl_ops.all_sum``).

    >>> import scopeflow.compat.v1 as tf
    >>> from scopeflow.ops import nccl_ops
    >>> [t.shape.as_list() for t in nccl_ops.all_sum([tf.ones([2]), tf.ones([2])])]
    [[2], [2]]
    """
    return _all_reduce(math_ops.add, tensors, "NcclAllReduce")


def all_prod(tensors: Sequence[Any]) -> list[Tensor]:
    """Each output is the product of ``tensors`` (TF's ``nccl_ops.all_prod``)."""
    return _all_reduce(math_ops.multiply, tensors, "NcclAllReduce")


def all_min(tensors: Sequence[Any]) -> list[Tensor]:
    """Each output is the minimum of ``tensors`` (TF's ``nccl_ops.all_min``)."""
    return _all_reduce(math_ops.minimum, tensors, "NcclAllReduce")


def all_max(tensors: Sequence[Any]) -> list[Tensor]:
    """Each output is the maximum of ``tensors`` (TF's ``nccl_ops.all_max``)."""
    return _all_reduce(math_ops.maximum, tensors, "NcclAllReduce")


__all__ = ["all_max", "all_min", "all_prod", "all_sum"]
