"""``tf.graph_util``: GraphDef rewrites (freeze variables, extract and clean subgraphs).

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from scopeflow._core import dtypes


def _node_name(name: str) -> str:
    name = name[1:] if name.startswith("^") else name
    return name.split(":")[0]


def extract_sub_graph(graph_def: Any, dest_nodes: list[str]) -> Any:
    """The nodes ``dest_nodes`` need (inputs and control inputs), in ``graph_def``'s order.

    >>> import scopeflow.compat.v1 as tf
    >>> g = tf.Graph()
    >>> with g.as_default():
    ...     a = tf.constant(1.0, name="a")
    ...     b = tf.identity(a, name="b")
    ...     c = tf.constant(2.0, name="c")
    >>> [n.name for n in extract_sub_graph(g.as_graph_def(), ["b"]).node]
    ['a', 'b']
    """
    if isinstance(dest_nodes, str):
        raise TypeError("dest_nodes must be a list.")
    from scopeflow.protos import graph_pb2  # noqa: PLC0415  (protobuf is lazy)

    by_name = {n.name: n for n in graph_def.node}
    for d in dest_nodes:
        if d not in by_name:
            raise AssertionError(f"{d} is not in graph")
    keep: set[str] = set()
    stack = list(dest_nodes)
    while stack:
        name = stack.pop()
        if name in keep:
            continue
        keep.add(name)
        stack.extend(_node_name(i) for i in by_name[name].input)
    out = graph_pb2.GraphDef()
    out.versions.CopyFrom(graph_def.versions)
    out.library.CopyFrom(graph_def.library)
    out.node.extend(n for n in graph_def.node if n.name in keep)
    return out


def convert_variables_to_constants(
    sess: Any,
    input_graph_def: Any,
    output_node_names: list[str],
    variable_names_whitelist: Any = None,
    variable_names_blacklist: Any = None,
) -> Any:
    """Freezes a graph: the subgraph for ``output_node_names`` with each variable a ``Const``.

    Variable values are read from ``sess``; each ``VariableV2`` node becomes a ``Const`` of
    its value under the same name (its ``Assign`` initializers are dropped with the rest of the
    unneeded nodes), and ``Identity`` reads keep reading it.

    >>> import scopeflow.compat.v1 as tf
    >>> v = tf.Variable([1.0, 2.0], name="v")
    >>> y = tf.multiply(v, 3.0, name="y")
    >>> with tf.Session() as s:
    ...     s.run(tf.global_variables_initializer())
    ...     frozen = convert_variables_to_constants(s, s.graph.as_graph_def(), ["y"])
    >>> [(n.name, n.op) for n in frozen.node]
    [('v', 'Const'), ('v/read', 'Identity'), ('y/y', 'Const'), ('y', 'Mul')]
    """
    from scopeflow.graph_io.tensor_proto import make_tensor_proto  # noqa: PLC0415
    from scopeflow.protos import graph_pb2  # noqa: PLC0415  (protobuf is lazy)

    sub = extract_sub_graph(input_graph_def, output_node_names)
    names = [
        n.name
        for n in sub.node
        if n.op in ("VariableV2", "Variable")
        and (variable_names_whitelist is None or n.name in variable_names_whitelist)
        and (variable_names_blacklist is None or n.name not in variable_names_blacklist)
    ]
    values = sess.run([f"{n}:0" for n in names]) if names else []
    frozen = dict(zip(names, values, strict=True))
    out = graph_pb2.GraphDef()
    out.versions.CopyFrom(sub.versions)
    out.library.CopyFrom(sub.library)
    for node in sub.node:
        new = out.node.add()
        if node.name in frozen:
            value = np.asarray(frozen[node.name])
            dt = dtypes.as_dtype(node.attr["dtype"].type).base_dtype
            new.name, new.op = node.name, "Const"
            new.attr["dtype"].type = dt.as_datatype_enum
            new.attr["value"].tensor.CopyFrom(make_tensor_proto(value, dt))
            if node.device:
                new.device = node.device
        else:
            new.CopyFrom(node)
            if node.op == "Identity" and _node_name(node.input[0]) in frozen:
                new.attr["T"].type = dtypes.as_dtype(new.attr["T"].type).base_dtype.as_datatype_enum
    return out


_TRAINING_OPS = frozenset(("CheckNumerics", "Identity"))


def remove_training_nodes(input_graph: Any, protected_nodes: list[str] | None = None) -> Any:
    """Removes ``Identity`` and ``CheckNumerics`` nodes (rewiring their users) and ``Assert``s.

    Nodes named in ``protected_nodes`` and identities carrying control inputs are kept.

    >>> import scopeflow.compat.v1 as tf
    >>> g = tf.Graph()
    >>> with g.as_default():
    ...     a = tf.constant(1.0, name="a")
    ...     b = tf.identity(a, name="b")
    ...     c = tf.negative(b, name="c")
    >>> [(n.name, list(n.input)) for n in remove_training_nodes(g.as_graph_def()).node]
    [('a', []), ('c', ['a'])]
    """
    from scopeflow.protos import graph_pb2  # noqa: PLC0415  (protobuf is lazy)

    protected = set(protected_nodes or ())
    replace: dict[str, str] = {}
    for node in input_graph.node:
        if (
            node.op in _TRAINING_OPS
            and node.name not in protected
            and not any(i.startswith("^") for i in node.input)
        ):
            replace[node.name] = node.input[0]

    def resolve(inp: str) -> str:
        control = inp.startswith("^")
        base = inp[1:] if control else inp
        seen: set[str] = set()
        while _node_name(base) in replace and _node_name(base) not in seen:  # (cycle-safe)
            seen.add(_node_name(base))
            base = replace[_node_name(base)]
        if control:
            return "^" + _node_name(base)
        return base

    asserts = {n.name for n in input_graph.node if n.op == "Assert" and n.name not in protected}
    out = graph_pb2.GraphDef()
    out.versions.CopyFrom(input_graph.versions)
    out.library.CopyFrom(input_graph.library)
    for node in input_graph.node:
        if node.name in replace or node.name in asserts:
            continue
        new = out.node.add()
        new.CopyFrom(node)
        del new.input[:]
        new.input.extend(resolve(i) for i in node.input if _node_name(i) not in asserts)
    return out


__all__ = ["convert_variables_to_constants", "extract_sub_graph", "remove_training_nodes"]
