"""What an ``input_fn`` returns, taken apart as TF's ``estimator.util`` does.

An ``input_fn`` returns a ``tf.data.Dataset`` (the Estimator makes an initializable iterator and a
hook that initializes it when the session is created), a ``(features, labels)`` pair, or
``features`` alone.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from typing import Any

from scopeflow._core.graph_keys import GraphKeys
from scopeflow.data.dataset_ops import Dataset
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.tensor import Tensor
from scopeflow.ops import nest
from scopeflow.train.session_run_hook import SessionRunHook

__all__ = ["has_dataset_or_queue_runner", "parse_input_fn_result", "parse_iterator_result"]


class _DatasetInitializerHook(SessionRunHook):
    """Initializes the iterator of a ``Dataset`` an ``input_fn`` returned, once per session."""

    def __init__(self, iterator: Any) -> None:
        self._iterator = iterator
        self._initializer: Any = None

    def begin(self) -> None:
        self._initializer = self._iterator.initializer

    def after_create_session(self, session: Any, coord: Any) -> None:
        del coord
        session.run(self._initializer)


def parse_iterator_result(result: Any) -> tuple[Any, Any]:
    """``(features, labels)`` from a pair, ``(features, None)`` from anything else."""
    if isinstance(result, (list, tuple)):
        if len(result) != 2:
            raise ValueError("input_fn should return (features, labels) as a len 2 tuple.")
        return result[0], result[1]
    return result, None


def parse_input_fn_result(result: Any) -> tuple[Any, Any, list[SessionRunHook]]:
    """``(features, labels, input_hooks)`` from an ``input_fn``'s return value."""
    hooks: list[SessionRunHook] = []
    if isinstance(result, Dataset):
        iterator = result.make_initializable_iterator()
        hooks.append(_DatasetInitializerHook(iterator))
        result = iterator.get_next()
    features, labels = parse_iterator_result(result)
    return features, labels, hooks


def has_dataset_or_queue_runner(maybe_tensor: Any) -> bool:
    """Whether the input comes from a ``Dataset`` iterator or the graph has queue runners."""
    tensors = [x for x in nest.flatten(maybe_tensor) if isinstance(x, Tensor)]
    if any(t.op.type == "IteratorGetNext" for t in tensors):
        return True
    return bool(get_default_graph().get_collection(GraphKeys.QUEUE_RUNNERS))
