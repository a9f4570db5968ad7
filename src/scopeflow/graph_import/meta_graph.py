"""``tf.train.export_meta_graph``: a graph, its Saver and its collections as a ``MetaGraphDef``.

Collections are encoded as TF encodes them: variables as serialized ``VariableDef``s
(``bytes_list``), tensors and ops as names (``node_list``), strings, ints and floats as
``bytes_list`` / ``int64_list`` / ``float_list``.

Must not import ``scopeflow.compat``, ``scopeflow.cli`` or ``scopeflow.train`` (the Saver calls
this module).
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

from google.protobuf import text_format

from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.graph.variables import Variable
from scopeflow.graph_io.graph_def import check_tf_loadable
from scopeflow.protos import meta_graph_pb2, saver_pb2, variable_pb2


def variable_def(var: Variable) -> Any:
    """``var`` as TF's ``VariableDef`` proto (a reference variable)."""
    d = var.to_proto()
    return variable_pb2.VariableDef(
        variable_name=d["variable_name"],
        initial_value_name=d["initial_value_name"],
        initializer_name=d["initializer_name"],
        snapshot_name=d["snapshot_name"],
        trainable=bool(d["trainable"]),
        is_resource=False,
    )


def saver_def_proto(saver_def: Any) -> Any:
    """A scopeflow ``SaverDef`` (or the proto itself) as TF's ``SaverDef`` proto."""
    if isinstance(saver_def, saver_pb2.SaverDef):
        return saver_def
    return saver_pb2.SaverDef(
        filename_tensor_name=saver_def.filename_tensor_name,
        save_tensor_name=saver_def.save_tensor_name,
        restore_op_name=saver_def.restore_op_name,
        max_to_keep=int(saver_def.max_to_keep),
        sharded=bool(saver_def.sharded),
        keep_checkpoint_every_n_hours=float(saver_def.keep_checkpoint_every_n_hours),
        version=int(saver_def.version),
    )


def _add_collection(meta: Any, key: str, items: list[Any]) -> bool:
    """Encodes one collection as TF does; False if its items have no TF encoding."""
    col = meta_graph_pb2.CollectionDef()
    if all(isinstance(x, Variable) for x in items):
        col.bytes_list.value.extend(variable_def(v).SerializeToString() for v in items)
    elif all(isinstance(x, (Tensor, Operation)) for x in items):
        col.node_list.value.extend(x.name for x in items)
    elif all(isinstance(x, (str, bytes)) for x in items):
        col.bytes_list.value.extend(x.encode() if isinstance(x, str) else x for x in items)
    elif all(isinstance(x, int) and not isinstance(x, bool) for x in items):
        col.int64_list.value.extend(items)
    elif all(isinstance(x, float) for x in items):
        col.float_list.value.extend(items)
    else:
        return False
    meta.collection_def[key].CopyFrom(col)
    return True


def export_meta_graph(
    filename: str | None = None,
    meta_info_def: Any = None,
    graph_def: Any = None,
    saver_def: Any = None,
    collection_list: list[str] | None = None,
    as_text: bool = False,
    graph: Any = None,
    export_scope: str | None = None,
    clear_devices: bool = False,
    clear_extraneous_savers: bool = False,
    strip_default_attrs: bool = False,
    save_debug_info: bool = False,
    **kwargs: Any,
) -> Any:
    """Returns (and writes to ``filename``, if given) the ``MetaGraphDef`` of ``graph``.

    ``graph`` defaults to the default graph; ``collection_list`` to all its collections.

    Differences from TensorFlow: ``meta_info_def.stripped_op_list`` is empty (scopeflow has no
    ``OpDef`` registry; TF's importer needs none), ``export_scope`` and
    ``clear_extraneous_savers`` raise ``UnsupportedError``, and a collection whose items have no
    TF encoding (e.g. Python objects) is left out with a warning naming it, as TF does. A graph
    using ops private to scopeflow raises ``UnsupportedError`` (see ``check_tf_loadable``).

    >>> import scopeflow.compat.v1 as tf
    >>> v = tf.Variable([1.0], name="v")
    >>> meta = tf.train.export_meta_graph()
    >>> print(sorted(meta.collection_def), len(meta.graph_def.node))
    ['trainable_variables', 'variables'] 4
    """
    from scopeflow.errors import UnsupportedError  # noqa: PLC0415

    del kwargs, strip_default_attrs, save_debug_info
    if export_scope is not None:
        raise UnsupportedError("export_meta_graph(export_scope=...)")
    if clear_extraneous_savers:
        raise UnsupportedError("export_meta_graph(clear_extraneous_savers=True)")
    graph = graph if graph is not None else get_default_graph()
    meta = meta_graph_pb2.MetaGraphDef()
    if meta_info_def is not None:
        meta.meta_info_def.CopyFrom(meta_info_def)
    gd = graph_def if graph_def is not None else graph.as_graph_def(add_shapes=True)
    check_tf_loadable(gd, repr(filename) if filename else "the meta graph")
    meta.graph_def.CopyFrom(gd)
    if clear_devices:
        for node in meta.graph_def.node:
            node.device = ""
    if saver_def is not None:
        meta.saver_def.CopyFrom(saver_def_proto(saver_def))
    keys = collection_list if collection_list is not None else graph.get_all_collection_keys()
    for key in keys:
        if not isinstance(key, str):
            continue
        items = graph.get_collection(key)
        if items and not _add_collection(meta, key, items):
            warnings.warn(
                f"Issue encountered when serializing {key}: its items have no MetaGraphDef "
                "encoding; the collection is not exported.",
                UserWarning,
                stacklevel=2,
            )
    if filename:
        path = Path(filename)
        if as_text:
            path.write_text(text_format.MessageToString(meta))
        else:
            path.write_bytes(meta.SerializeToString())
    return meta


__all__ = ["export_meta_graph", "saver_def_proto", "variable_def"]
