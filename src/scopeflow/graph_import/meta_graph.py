"""``tf.train.export_meta_graph``: a graph, its Saver and its collections as a ``MetaGraphDef``.

Collections are encoded as TF encodes them: variables as serialized ``VariableDef``s
(``bytes_list``), Savers (the ``savers`` collection) as serialized ``SaverDef``s
(``bytes_list``), tensors and ops as names (``node_list``), strings, ints and floats as
``bytes_list`` / ``int64_list`` / ``float_list``, ``google.protobuf.Any`` messages (SavedModel
assets) as ``any_list``.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``; ``scopeflow.train`` (whose Saver
calls this module) only inside ``import_meta_graph``, which returns a Saver.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.graph.variables import Variable
from scopeflow.graph_import.importer import import_graph_def


def variable_def(var: Variable) -> Any:
    """``var`` as TF's ``VariableDef`` proto (a reference variable)."""
    from scopeflow.protos import variable_pb2  # noqa: PLC0415

    d = var.to_proto()
    proto = variable_pb2.VariableDef(
        variable_name=d["variable_name"],
        initial_value_name=d["initial_value_name"],
        initializer_name=d["initializer_name"],
        snapshot_name=d["snapshot_name"],
        trainable=bool(d["trainable"]),
        is_resource=False,
    )
    info = getattr(var, "_save_slice_info", None)
    if info is not None:  # a partitioned variable's shard: how it is saved
        proto.save_slice_info_def.full_name = info.full_name
        proto.save_slice_info_def.full_shape.extend(info.full_shape)
        proto.save_slice_info_def.var_offset.extend(info.var_offset)
        proto.save_slice_info_def.var_shape.extend(info.var_shape)
    return proto


def saver_def_proto(saver_def: Any) -> Any:
    """A scopeflow ``SaverDef`` (or the proto itself) as TF's ``SaverDef`` proto."""
    from scopeflow.protos import saver_pb2  # noqa: PLC0415

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


def _is_any(x: Any) -> bool:
    descriptor = getattr(x, "DESCRIPTOR", None)
    return getattr(descriptor, "full_name", None) == "google.protobuf.Any"


def _add_collection(meta: Any, key: str, items: list[Any]) -> bool:
    """Encodes one collection as TF does; False if its items have no TF encoding."""
    from scopeflow.protos import meta_graph_pb2  # noqa: PLC0415

    col = meta_graph_pb2.CollectionDef()
    if key == _QUEUE_RUNNERS and all(hasattr(x, "enqueue_ops") for x in items):
        # TF's registered proto function for this key: each runner's ``QueueRunnerDef``
        col.bytes_list.value.extend(x.to_proto().SerializeToString() for x in items)
    elif all(_is_any(x) for x in items):  # e.g. SavedModel assets
        for x in items:  # (any google.protobuf.Any class: protobuf's or the private pool's)
            col.any_list.value.add(type_url=x.type_url, value=x.value)
    elif key in _VARIABLE_COLLECTIONS and all(isinstance(x, Variable) for x in items):
        col.bytes_list.value.extend(variable_def(v).SerializeToString() for v in items)
    elif all(getattr(x, "as_saver_def", lambda: None)() is not None for x in items):
        # Savers, as TF's ``Saver.to_proto``: their SaverDef (an empty Saver has none).
        col.bytes_list.value.extend(
            saver_def_proto(x.as_saver_def()).SerializeToString() for x in items
        )
    elif all(isinstance(x, (Tensor, Operation, Variable)) for x in items):
        # TF's default kind: a variable outside the variable collections is its tensor's name
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
    from google.protobuf import text_format  # noqa: PLC0415  (protobuf is lazy)

    from scopeflow.errors import UnsupportedError  # noqa: PLC0415
    from scopeflow.graph_io.graph_def import check_tf_loadable  # noqa: PLC0415
    from scopeflow.protos import meta_graph_pb2  # noqa: PLC0415

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


def read_meta_graph_file(filename: str) -> Any:
    """A ``MetaGraphDef`` from a binary or text file; ValueError naming the file if invalid."""
    from google.protobuf import message, text_format  # noqa: PLC0415  (protobuf is lazy)

    from scopeflow.protos import meta_graph_pb2  # noqa: PLC0415

    data = Path(filename).read_bytes()
    meta = meta_graph_pb2.MetaGraphDef()
    try:
        meta.ParseFromString(data)
        return meta
    except message.DecodeError:
        pass
    try:
        text_format.Parse(data.decode("utf-8"), meta)
    except (text_format.ParseError, UnicodeDecodeError):
        raise ValueError(
            f"{filename!r} is not a valid MetaGraphDef file ({len(data)} bytes; truncated or "
            "corrupt protobuf, binary or text)"
        ) from None
    return meta


_VARIABLE_COLLECTIONS = frozenset(
    ("variables", "trainable_variables", "local_variables", "model_variables",
     "moving_average_variables", "global_step", "metric_variables")
)  # fmt: skip


def import_meta_graph(
    meta_graph_or_file: Any,
    clear_devices: bool = False,
    import_scope: str | None = None,
    **kwargs: Any,
) -> Any:
    """Imports a ``MetaGraphDef`` (or ``.meta`` file) into the default graph; returns a Saver.

    The graph's nodes are imported with ``import_graph_def`` (under ``import_scope``), the
    variables of the variable collections become ``tf.Variable`` objects again (TF's
    ``VariableDef`` encoding), and node-list collections are restored. The returned Saver
    restores the collections' global variables.

    Differences from TensorFlow: the saver's own nodes (the ``SaverDef``'s name scope, e.g.
    ``save/``) are not imported: the returned ``tf.train.Saver`` builds scopeflow's save/restore
    ops for the imported global variables (same checkpoint keys; its SaverDef's settings such as
    ``max_to_keep`` are kept). The ``savers`` collection (TF's serialized ``SaverDef``s, as
    ``MonitoredTrainingSession`` and Estimator write it) comes back as Savers too: the one of the
    meta graph's ``saver_def`` is the returned Saver, any other saves the variables its
    ``SaveV2`` node saved, under the same checkpoint keys (all global variables when that node
    cannot be read, e.g. a sharded saver); their nodes are not imported either. The
    ``queue_runners`` collection (TF's ``QueueRunnerDef``s) comes back as ``QueueRunner``s of
    the imported queue ops, ready for ``start_queue_runners``. Returns None
    when the meta graph has no variables (as TF does without a SaverDef). Other collection
    kinds (bytes/ints/floats) are restored as-is;
    ``**kwargs`` (``input_map`` etc.) are not supported and raise ``UnsupportedError``.

    >>> import tempfile, scopeflow.compat.v1 as tf
    >>> path = tempfile.mkdtemp() + "/m.meta"
    >>> with tf.Graph().as_default():
    ...     v = tf.Variable([1.0, 2.0], name="v")
    ...     _ = tf.train.Saver().export_meta_graph(path)
    >>> with tf.Graph().as_default():
    ...     saver = tf.train.import_meta_graph(path)
    ...     print([x.name for x in tf.global_variables()], type(saver).__name__)
    ['v:0'] Saver
    """
    from scopeflow.errors import UnsupportedError  # noqa: PLC0415
    from scopeflow.protos import meta_graph_pb2, queue_runner_pb2, variable_pb2  # noqa: PLC0415
    from scopeflow.train.queue_runner import QueueRunner  # noqa: PLC0415
    from scopeflow.train.saver import Saver  # noqa: PLC0415

    if kwargs:
        raise UnsupportedError(f"import_meta_graph({', '.join(sorted(kwargs))}=...)")
    if isinstance(meta_graph_or_file, meta_graph_pb2.MetaGraphDef):
        meta = meta_graph_or_file
    else:
        meta = read_meta_graph_file(str(meta_graph_or_file))
    graph_def = type(meta.graph_def)()
    graph_def.CopyFrom(meta.graph_def)
    saver_defs = _collection_saver_defs(meta)
    if meta.HasField("saver_def"):
        saver_defs.insert(0, meta.saver_def)
    saver_scopes = tuple(sorted({_saver_scope(sd) for sd in saver_defs}))
    save_inputs = _save_inputs(graph_def, saver_scopes)
    if saver_scopes:
        keep = [n for n in graph_def.node if not n.name.startswith(saver_scopes)]
        del graph_def.node[:]
        graph_def.node.extend(keep)
    if clear_devices:
        for node in graph_def.node:
            node.device = ""
    graph = get_default_graph()
    with graph.name_scope(None):
        import_graph_def(graph_def, name=import_scope or "")
    scope = import_scope
    by_name: dict[str, Variable] = {}
    for key, col in sorted(meta.collection_def.items()):
        kind = col.WhichOneof("kind")
        if kind == "bytes_list" and key in _VARIABLE_COLLECTIONS:
            for raw in col.bytes_list.value:
                vdef = variable_pb2.VariableDef.FromString(raw)
                var = by_name.get(vdef.variable_name)
                if var is None:
                    var = Variable(variable_def=vdef, import_scope=scope)
                    by_name[vdef.variable_name] = var
                graph.add_to_collection(key, var)
        elif kind == "node_list":
            for name in col.node_list.value:
                full = f"{scope}/{name}" if scope else name
                if not saver_scopes or not full.split(":")[0].startswith(saver_scopes):
                    graph.add_to_collection(key, graph.as_graph_element(full))
        elif key == _SAVERS and kind == "bytes_list":
            continue  # rebuilt below, once the variables exist
        elif key == _QUEUE_RUNNERS and kind == "bytes_list":
            for raw in col.bytes_list.value:
                qr_def = queue_runner_pb2.QueueRunnerDef.FromString(raw)
                graph.add_to_collection(key, QueueRunner.from_proto(qr_def, scope))
        elif kind in ("bytes_list", "int64_list", "float_list", "any_list"):
            for value in getattr(col, kind).value:
                graph.add_to_collection(key, value)
    variables = graph.get_collection("variables")
    saver = None
    if variables:
        sd = meta.saver_def
        saver = Saver(
            var_list=_main_var_list(variables, scope),
            max_to_keep=sd.max_to_keep if meta.HasField("saver_def") else 5,
            keep_checkpoint_every_n_hours=(
                sd.keep_checkpoint_every_n_hours if meta.HasField("saver_def") else 10000.0
            ),
            sharded=sd.sharded,
        )
    main_scope = _saver_scope(meta.saver_def) if meta.HasField("saver_def") else None
    for sd in _collection_saver_defs(meta):
        sd_scope = _saver_scope(sd)
        if sd_scope == main_scope and saver is not None:
            graph.add_to_collection(_SAVERS, saver)
            continue
        var_list = _saver_var_list(save_inputs.get(sd_scope), by_name) or variables
        if not var_list:
            continue
        graph.add_to_collection(
            _SAVERS,
            Saver(
                var_list=var_list,
                max_to_keep=sd.max_to_keep,
                keep_checkpoint_every_n_hours=sd.keep_checkpoint_every_n_hours,
                sharded=sd.sharded,
            ),
        )
    return saver


_SAVERS = "savers"
_QUEUE_RUNNERS = "queue_runners"


def _main_var_list(variables: list[Variable], scope: str | None) -> Any:
    """The imported graph's Saver keys: the names before ``import_scope``.

    TF's imported save ops keep the original names in their ``tensor_names`` constants, so a
    checkpoint written before the import restores under the scope.
    """
    if not scope or any(getattr(v, "_save_slice_info", None) for v in variables):
        return variables
    cut = len(scope) + 1
    return {
        v.op.name[cut:] if v.op.name.startswith(scope + "/") else v.op.name: v for v in variables
    }


def _saver_scope(saver_def: Any) -> str:
    """The name scope of a Saver's nodes (``save/``, ``save_1/``...)."""
    return str(saver_def.filename_tensor_name).split("/")[0] + "/"


def _collection_saver_defs(meta: Any) -> list[Any]:
    """The ``SaverDef``s of the ``savers`` collection (TF's ``Saver.to_proto`` bytes)."""
    from scopeflow.protos import saver_pb2  # noqa: PLC0415

    col = meta.collection_def.get(_SAVERS)
    if col is None or col.WhichOneof("kind") != "bytes_list":
        return []
    return [saver_pb2.SaverDef.FromString(raw) for raw in col.bytes_list.value]


def _save_inputs(graph_def: Any, scopes: tuple[str, ...]) -> dict[str, list[tuple[str, str]]]:
    """Per saver scope, its ``SaveV2`` node's ``(checkpoint key, variable node)`` pairs.

    Read from the node's constant ``tensor_names`` input; a scope whose ``SaveV2`` (or its
    names) is not found (e.g. a sharded saver) is left out and saves all global variables.
    """
    import numpy as np  # noqa: PLC0415

    from scopeflow.graph_io.tensor_proto import tensor_value  # noqa: PLC0415

    nodes = {n.name: n for n in graph_def.node if n.name.startswith(scopes)} if scopes else {}
    out: dict[str, list[tuple[str, str]]] = {}
    for sc in scopes:
        save = nodes.get(sc + "SaveV2")
        if save is None or len(save.input) < 3:
            continue
        names = nodes.get(save.input[1].split(":")[0])
        if names is None or names.op != "Const":
            continue
        raw = np.asarray(tensor_value(names.attr["value"].tensor, names.name)).reshape(-1)
        keys = [k.decode() if isinstance(k, bytes) else str(k) for k in raw.tolist()]
        tensors = [i.split(":")[0] for i in save.input[3:] if not i.startswith("^")]
        if len(keys) == len(tensors):
            out[sc] = list(zip(keys, tensors, strict=True))
    return out


def _saver_var_list(
    pairs: list[tuple[str, str]] | None, by_name: dict[str, Variable]
) -> dict[str, Variable] | None:
    """``{checkpoint key: Variable}`` for a saver's ``SaveV2`` inputs; None if any is unknown."""
    if not pairs:
        return None
    out: dict[str, Variable] = {}
    for key, node in pairs:
        var = by_name.get(node + ":0")
        if var is None:
            return None
        out[key] = var
    return out


__all__ = [
    "export_meta_graph",
    "import_meta_graph",
    "read_meta_graph_file",
    "saver_def_proto",
    "variable_def",
]
