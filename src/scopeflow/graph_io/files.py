"""GraphDef files: ``tf.train.write_graph`` (``.pb`` / ``.pbtxt``) and ``read_graph_def``.

Must not import torch, ``scopeflow.graph`` or any layer above.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

_TEXT_SUFFIXES = (".pbtxt", ".txt", ".prototxt")


def read_graph_def(path: str) -> Any:
    """Reads a ``GraphDef`` from a binary (``.pb``) or text (``.pbtxt``) file.

    Raises:
        ValueError: naming the file, if it is not a valid (e.g. a truncated) GraphDef.

    >>> import tempfile, scopeflow.compat.v1 as tf
    >>> g = tf.Graph()
    >>> with g.as_default():
    ...     _ = tf.constant(1.0, name="c")
    >>> path = tf.train.write_graph(g, tempfile.mkdtemp(), "g.pb", as_text=False)
    >>> [n.name for n in read_graph_def(path).node]
    ['c']
    """
    from google.protobuf import message, text_format  # noqa: PLC0415  (protobuf is lazy)

    from scopeflow.protos import graph_pb2  # noqa: PLC0415

    data = Path(path).read_bytes()
    graph_def = graph_pb2.GraphDef()
    try:
        if str(path).endswith(_TEXT_SUFFIXES):
            text_format.Parse(data.decode("utf-8"), graph_def)
        else:
            graph_def.ParseFromString(data)
    except (message.DecodeError, text_format.ParseError, UnicodeDecodeError) as e:
        kind = "text" if str(path).endswith(_TEXT_SUFFIXES) else "binary"
        raise ValueError(
            f"{str(path)!r} is not a valid {kind} GraphDef file ({len(data)} bytes; truncated or "
            f"corrupt protobuf): {e}"
        ) from None
    return graph_def


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
    from google.protobuf import text_format  # noqa: PLC0415  (protobuf is lazy)

    from scopeflow.graph_io.graph_def import check_tf_loadable  # noqa: PLC0415

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


__all__ = ["read_graph_def", "write_graph"]
