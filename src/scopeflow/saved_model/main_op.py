"""``tf.saved_model.main_op``: the op a SavedModel load runs to initialize state.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from typing import Any

from scopeflow._core.graph_keys import GraphKeys
from scopeflow.graph.graph import get_default_graph
from scopeflow.ops.state_ops import (
    global_variables_initializer,
    group,
    local_variables_initializer,
    no_op,
)


def _tables_initializer(name: str = "init_all_tables") -> Any:
    initializers = get_default_graph().get_collection(GraphKeys.TABLE_INITIALIZERS)
    if initializers:
        return group(*initializers, name=name)
    return no_op(name=name)


def main_op() -> Any:
    """A group of the global, local and table initializers (TF's ``main_op``).

    >>> import scopeflow.compat.v1 as tf
    >>> op = main_op()
    >>> print(op.type, sorted(c.name for c in op.control_inputs))
    NoOp ['init', 'init_1', 'init_all_tables']
    """
    init = global_variables_initializer()
    init_local = local_variables_initializer()
    init_tables = _tables_initializer()
    return group(init, init_local, init_tables)


def main_op_with_restore(restore_op_name: Any) -> Any:
    """:func:`main_op`, then ``restore_op_name`` (grouped under the main op's control)."""
    with get_default_graph().control_dependencies([main_op()]):
        return group(restore_op_name)


__all__ = ["main_op", "main_op_with_restore"]
