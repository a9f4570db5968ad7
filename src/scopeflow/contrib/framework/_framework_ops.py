"""``get_graph_from_inputs`` and ``get_name_scope`` (TF 1.15's contrib ``framework_ops``).

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from typing import Any

from scopeflow._core.name_scope import get_name_scope
from scopeflow.graph.graph import Graph, get_default_graph
from scopeflow.graph.tensor import Operation, Tensor


def get_graph_from_inputs(op_input_list: Any, graph: Any = None) -> Any:
    """The graph of the inputs (checked to be one graph), else ``graph``, else the default.

    As TF's: tensors, operations and objects with ``_as_graph_element`` (variables) count;
    other inputs are ignored. With ``graph`` given, every input must be in it.

    >>> import scopeflow.compat.v1 as tf
    >>> g = tf.Graph()
    >>> with g.as_default():
    ...     c = tf.constant(1.0)
    >>> get_graph_from_inputs([c, 3]) is g
    True
    """
    op_input_list = tuple(op_input_list)
    if graph and not isinstance(graph, Graph):
        raise TypeError(f"Input graph needs to be a Graph: {graph}")
    original: Any = None
    for op_input in op_input_list:
        element: Any
        if isinstance(op_input, (Operation, Tensor)):
            element = op_input
        else:
            convert = getattr(op_input, "_as_graph_element", None)
            element = convert() if callable(convert) else None
        if element is None:
            continue
        if not graph:
            original = element
            graph = element.graph
        elif original is not None:
            if original.graph is not element.graph:
                raise ValueError(f"{element} must be from the same graph as {original}.")
        elif element.graph is not graph:
            raise ValueError(f"{element} is not from the passed-in graph.")
    return graph or get_default_graph()


__all__ = ["get_graph_from_inputs", "get_name_scope"]
