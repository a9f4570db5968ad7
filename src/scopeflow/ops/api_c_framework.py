"""``tf.container``: the resource container of the stateful ops created inside a block.

As TF 1.15, ``with tf.container("name"):`` gives every stateful op created inside with an empty
``container`` attr (variables, queues, readers, tables) that container; nested blocks use the
innermost name, and leaving the block restores the previous one.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

from scopeflow.graph.graph import get_default_graph


def container(container_name: str) -> Any:
    """``tf.container``: the default graph's ``container`` context manager.

    >>> import scopeflow.compat.v1 as tf
    >>> with tf.container("experiment0"):
    ...     v = tf.Variable(1.0)
    >>> v.op.get_attr("container")
    b'experiment0'
    """
    return get_default_graph().container(container_name)


__all__ = ["container"]
