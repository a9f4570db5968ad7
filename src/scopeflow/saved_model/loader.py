"""``tf.saved_model.loader``: TF1 SavedModels into a session (``load``, TF 1.15's v1 loader).

``load`` finds the ``MetaGraphDef`` whose tag-set equals ``tags``, imports it with
``tf.train.import_meta_graph`` (under ``import_scope``), restores the variables from
``variables/variables`` and runs the init op (the ``__saved_model_init_op`` signature, else the
``saved_model_main_op`` or ``legacy_init_op`` collection) with each asset tensor fed the path of
its file under ``assets/``, as TF does.

Differences from TensorFlow: ``import_meta_graph`` rebuilds the Saver's ops for the imported
variables instead of importing the file's ``save/`` nodes (see
:func:`scopeflow.graph_import.meta_graph.import_meta_graph`); the checkpoint keys, and so the
restored values, are the same. The save/restore nodes of other Savers in the meta graph
(a builder's later meta graphs hold the first one's ``save/`` beside their own) are not
imported. ``**saver_kwargs`` raise ``UnsupportedError``.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from scopeflow.graph_import.meta_graph import import_meta_graph
from scopeflow.saved_model import constants
from scopeflow.saved_model.tensor_info import get_element_from_tensor_info
from scopeflow.train.saver import Saver, _all_saveable_objects


def maybe_saved_model_directory(export_dir: str) -> bool:
    """Whether ``export_dir`` holds a ``saved_model.pb`` or ``saved_model.pbtxt`` file.

    >>> import tempfile
    >>> maybe_saved_model_directory(tempfile.mkdtemp())
    False
    """
    d = Path(os.fsdecode(export_dir))
    return (d / constants.SAVED_MODEL_FILENAME_PBTXT).is_file() or (
        d / constants.SAVED_MODEL_FILENAME_PB
    ).is_file()


contains_saved_model = maybe_saved_model_directory


def parse_saved_model(export_dir: str) -> Any:
    """The ``SavedModel`` proto of ``export_dir`` (``saved_model.pb``, else ``.pbtxt``).

    Raises:
        OSError: the file is missing or is not a valid SavedModel (TF's ``IOError`` texts).
    """
    from google.protobuf import message, text_format  # noqa: PLC0415  (protobuf is lazy)

    from scopeflow.protos import saved_model_pb2  # noqa: PLC0415

    export_dir = os.fsdecode(export_dir)
    pb = Path(export_dir) / constants.SAVED_MODEL_FILENAME_PB
    pbtxt = Path(export_dir) / constants.SAVED_MODEL_FILENAME_PBTXT
    saved_model = saved_model_pb2.SavedModel()
    if pb.is_file():
        try:
            saved_model.ParseFromString(pb.read_bytes())
        except message.DecodeError as e:
            raise OSError(f"Cannot parse file {pb}: {e}.") from None
    elif pbtxt.is_file():
        try:
            text_format.Merge(pbtxt.read_bytes().decode("utf-8"), saved_model)
        except (text_format.ParseError, UnicodeDecodeError) as e:
            raise OSError(f"Cannot parse file {pbtxt}: {e}.") from None
    else:
        raise OSError(
            f"SavedModel file does not exist at: {export_dir}/"
            f"{{{constants.SAVED_MODEL_FILENAME_PBTXT}|{constants.SAVED_MODEL_FILENAME_PB}}}"
        )
    return saved_model


def get_asset_tensors(
    export_dir: str, meta_graph_def_to_load: Any, import_scope: str | None = None
) -> dict[str, bytes]:
    """``asset tensor name -> path of its file under export_dir/assets`` (bytes, as TF's)."""
    from scopeflow.protos import meta_graph_pb2  # noqa: PLC0415

    protos: list[Any] = list(meta_graph_def_to_load.asset_file_def)
    collection_def = meta_graph_def_to_load.collection_def
    if not protos and constants.ASSETS_KEY in collection_def:
        for packed in collection_def[constants.ASSETS_KEY].any_list.value:
            proto = meta_graph_pb2.AssetFileDef()
            packed.Unpack(proto)
            protos.append(proto)
    assets_dir = os.path.join(  # noqa: PTH118  (bytes paths, as TF returns them)
        os.fsencode(export_dir), constants.ASSETS_DIRECTORY.encode()
    )
    out = {}
    for proto in protos:
        name = proto.tensor_info.name
        if import_scope:
            name = f"{import_scope}/{name}"
        out[name] = os.path.join(assets_dir, proto.filename.encode())  # noqa: PTH118
    return out


def _op_from_collection(meta_graph_def: Any, key: str, graph: Any) -> Any:
    collection_def = meta_graph_def.collection_def
    if key not in collection_def:
        return None
    names = collection_def[key].node_list.value
    if len(names) != 1:
        raise RuntimeError(f"Expected exactly one SavedModel init op. Found: {list(names)}")
    return graph.get_collection(key)[0]


def get_init_op(meta_graph_def: Any, graph: Any, import_scope: str | None = None) -> Any:
    """The op a load runs after restoring (signature ``__saved_model_init_op``, main op...)."""
    sigs = meta_graph_def.signature_def
    if constants.INIT_OP_SIGNATURE_KEY in sigs:
        info = sigs[constants.INIT_OP_SIGNATURE_KEY].outputs[constants.INIT_OP_SIGNATURE_KEY]
        return get_element_from_tensor_info(info, graph, import_scope)
    return _op_from_collection(meta_graph_def, constants.MAIN_OP_KEY, graph) or (
        _op_from_collection(meta_graph_def, constants.LEGACY_INIT_OP_KEY, graph)
    )


class SavedModelLoader:
    """Loads graphs and restores variable values from a SavedModel directory."""

    def __init__(self, export_dir: str) -> None:
        self._export_dir = os.fsdecode(export_dir)
        self._variables_path = str(
            Path(self._export_dir) / constants.VARIABLES_DIRECTORY / constants.VARIABLES_FILENAME
        )
        self._saved_model = parse_saved_model(self._export_dir)

    @property
    def export_dir(self) -> str:
        """The SavedModel directory."""
        return self._export_dir

    @property
    def variables_path(self) -> str:
        """The prefix of the variables checkpoint."""
        return self._variables_path

    @property
    def saved_model(self) -> Any:
        """The parsed ``SavedModel`` proto."""
        return self._saved_model

    def get_meta_graph_def_from_tags(self, tags: Any) -> Any:
        """The ``MetaGraphDef`` whose tag-set is exactly ``set(tags)``.

        Raises:
            RuntimeError: none matches (TF's message, listing the available tag-sets).
        """
        available = []
        for meta in self._saved_model.meta_graphs:
            available.append(set(meta.meta_info_def.tags))
            if set(meta.meta_info_def.tags) == set(tags):
                return meta
        raise RuntimeError(
            "MetaGraphDef associated with tags " + str(tags).strip("[]") + " could not be "
            "found in SavedModel. To inspect available tag-sets in the SavedModel, please use "
            "the SavedModel CLI: `saved_model_cli`\navailable_tags: " + str(available)
        )

    def load_graph(
        self, graph: Any, tags: Any, import_scope: str | None = None, **saver_kwargs: Any
    ) -> tuple[Any, None]:
        """Imports the tagged meta graph into ``graph``; returns ``(saver or None, None)``."""
        meta = _without_other_savers(self.get_meta_graph_def_from_tags(tags))
        with graph.as_default():
            saver = import_meta_graph(meta, import_scope=import_scope, **saver_kwargs)
        return saver, None

    def restore_variables(self, sess: Any, saver: Any, import_scope: str | None = None) -> None:
        """Restores the variables into ``sess`` with ``saver``.

        Raises:
            ValueError: ``saver`` is None but the graph has variables (TF's message).
        """
        with sess.graph.as_default():
            if saver is None and not _scoped(_all_saveable_objects(), import_scope):
                return
            if isinstance(saver, Saver):
                saver.restore(sess, self._variables_path)
            else:
                raise ValueError(
                    "No tf.train.Saver object was passed to the function "
                    "SavedModelLoader.restore_variables. Since there are variables in the "
                    "graph, a saver is required."
                )

    def run_init_ops(self, sess: Any, tags: Any, import_scope: str | None = None) -> None:
        """Runs the meta graph's init op with the asset tensors fed their files' paths."""
        meta = self.get_meta_graph_def_from_tags(tags)
        with sess.graph.as_default():
            assets = get_asset_tensors(self._export_dir, meta, import_scope)
            init_op = get_init_op(meta, sess.graph, import_scope)
            if init_op is not None:
                sess.run(fetches=[init_op], feed_dict=assets)

    def load(
        self, sess: Any, tags: Any, import_scope: str | None = None, **saver_kwargs: Any
    ) -> Any:
        """Loads the tagged meta graph into ``sess`` and restores; returns its MetaGraphDef."""
        with sess.graph.as_default():
            saver, _ = self.load_graph(sess.graph, tags, import_scope, **saver_kwargs)
            self.restore_variables(sess, saver, import_scope)
            self.run_init_ops(sess, tags, import_scope)
        return self.get_meta_graph_def_from_tags(tags)


# The ops of a Saver's save/restore subgraph: they mark its name scope.
_SAVER_OPS = frozenset(
    ("SaveV2", "RestoreV2", "MergeV2Checkpoints", "ShardedFilename", "Save", "SaveSlices",
     "Restore", "RestoreSlice")
)  # fmt: skip


def _without_other_savers(meta: Any) -> Any:
    """``meta`` without the nodes of Savers other than its ``saver_def``'s.

    A builder's later meta graphs share the graph of the first, so they also hold the first
    meta graph's Saver (``save/``) beside their own (``save_1/``). ``import_meta_graph`` drops
    its own Saver's scope (scopeflow rebuilds it); the others are dropped here.
    """
    own = meta.saver_def.filename_tensor_name.split("/")[0] + "/" if meta.saver_def else None
    scopes = {
        n.name.split("/")[0] + "/"
        for n in meta.graph_def.node
        if n.op in _SAVER_OPS and "/" in n.name
    } - {own}
    if not scopes:
        return meta
    pruned = type(meta)()
    pruned.CopyFrom(meta)
    keep = [n for n in pruned.graph_def.node if not n.name.startswith(tuple(scopes))]
    del pruned.graph_def.node[:]
    pruned.graph_def.node.extend(keep)
    return pruned


def _scoped(variables: list[Any], scope: str | None) -> list[Any]:
    if not scope:
        return variables
    return [v for v in variables if getattr(v, "name", "").startswith(scope)]


def load(
    sess: Any, tags: Any, export_dir: str, import_scope: str | None = None, **saver_kwargs: Any
) -> Any:
    """Loads the SavedModel meta graph tagged ``tags`` into ``sess``; returns the MetaGraphDef.

    Raises:
        RuntimeError: no meta graph has exactly these tags (TF's message, listing the
            available tag-sets).
        OSError: ``export_dir`` holds no (valid) ``saved_model.pb`` / ``.pbtxt``.

    >>> import tempfile, scopeflow.compat.v1 as tf
    >>> d = tempfile.mkdtemp() + "/m"
    >>> with tf.Graph().as_default(), tf.Session() as sess:
    ...     x = tf.placeholder(tf.float32, [None], name="x")
    ...     v = tf.Variable(3.0, name="v")
    ...     sess.run(v.initializer)
    ...     tf.saved_model.simple_save(sess, d, {"x": x}, {"y": tf.multiply(x, v, name="y")})
    >>> with tf.Graph().as_default(), tf.Session() as sess:
    ...     meta = load(sess, ["serve"], d)
    ...     y = meta.signature_def["serving_default"].outputs["y"].name
    ...     print(y, sess.run(y, {"x:0": [1.0, 2.0]}))
    y:0 [3. 6.]
    """
    return SavedModelLoader(export_dir).load(sess, tags, import_scope, **saver_kwargs)


__all__ = [
    "SavedModelLoader",
    "contains_saved_model",
    "get_asset_tensors",
    "get_init_op",
    "load",
    "maybe_saved_model_directory",
    "parse_saved_model",
]
