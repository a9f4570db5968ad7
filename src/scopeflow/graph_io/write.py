"""``tf.train.write_graph`` / ``tf.io.write_graph``: a GraphDef to a ``.pb`` or ``.pbtxt`` file.

Must not import torch, ``scopeflow.graph`` or any layer above.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from google.protobuf import text_format

from scopeflow.graph_io.graph_def import check_tf_loadable


def write_graph(graph_or_graph_def: Any, logdir: str, name: str, as_text: bool = True) -> str:
    """Writes a graph (or GraphDef) to ``logdir/name`` as text or binary protobuf; returns the path.

    Creates ``logdir`` if needed. Text files use protobuf's text format, as TF's do.

    Differences from TensorFlow: a graph using op types private to scopeflow (``Sf*``
    composites) raises ``UnsupportedError`` naming them instead of writing a file TF cannot load.

    >>> import tempfile, scopeflow.compat.v1 as tf
    >>> g = tf.Graph()
    >>> with g.as_default():
    ...     _ = tf.constant(1.0, name="c")
    >>> d = tempfile.mkdtemp()
    >>> path = tf.train.write_graph(g, d, "g.pbtxt")
    >>> print(open(path).read().splitlines()[:3])
    ['node {', '  name: "c"', '  op: "Const"']
    """
    graph_def = graph_or_graph_def
    if hasattr(graph_def, "as_graph_def"):
        graph_def = graph_def.as_graph_def()
    path = Path(logdir) / name
    check_tf_loadable(graph_def, f"{str(path)!r}")
    path.parent.mkdir(parents=True, exist_ok=True)
    if as_text:
        path.write_text(text_format.MessageToString(graph_def))
    else:
        path.write_bytes(graph_def.SerializeToString())
    return str(path)


__all__ = ["write_graph"]
