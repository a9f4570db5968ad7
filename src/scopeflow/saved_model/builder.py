"""``tf.saved_model.builder.SavedModelBuilder`` (TF 1.15's v1 builder) and ``simple_save``.

A SavedModel directory holds ``saved_model.pb`` (or ``.pbtxt``: a ``SavedModel`` proto with
one ``MetaGraphDef`` per tag-set), ``variables/variables.{index,data-00000-of-00001}`` (a V2
checkpoint written by a sharded :class:`~scopeflow.train.saver.Saver`, as TF's builder does)
and ``assets/`` (copies of the files named by the ``asset_filepaths`` string constants).
Assets are recorded as TF 1.15 records them: ``AssetFileDef`` protos packed in ``Any`` in the
``saved_model_assets`` collection; the main op (``main_op`` / ``legacy_init_op``) as the op
named in the ``saved_model_main_op`` collection.

Differences from TensorFlow: ``save()`` returns the written path as ``bytes``, as TF 1.15 does.
``strip_default_attrs`` has no effect (scopeflow's NodeDefs never carry the attributes TF
would strip). ``meta_info_def`` carries the tags only (no ``stripped_op_list``; TF's loader
does not need it).

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import filecmp
import os
import shutil
from pathlib import Path
from typing import Any

from scopeflow._core import dtypes
from scopeflow._core.graph_keys import GraphKeys
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.tensor import Operation, Tensor
from scopeflow.saved_model import constants, signature_constants, tag_constants
from scopeflow.saved_model.signature_defs import predict_signature_def
from scopeflow.train.saver import Saver, _all_saveable_objects


def _variables_path(export_dir: str) -> str:
    return str(Path(export_dir) / constants.VARIABLES_DIRECTORY / constants.VARIABLES_FILENAME)


def _asset_path_from_tensor(path_tensor: Any) -> bytes:
    """The file path held by the scalar string ``Const`` ``path_tensor`` (TF's checks)."""
    if not isinstance(path_tensor, Tensor):
        raise TypeError("Asset path tensor must be a Tensor.")
    if path_tensor.op.type != "Const":
        raise TypeError("Asset path tensor must be of type constant.")
    if path_tensor.dtype != dtypes.string:
        raise TypeError("Asset path tensor must be of dtype string.")
    value = path_tensor.op._attrs["value"]
    values = list(getattr(value, "flat", [value]))
    if len(values) != 1:
        raise TypeError("Asset path tensor must be a scalar.")
    v = values[0]
    return v if isinstance(v, bytes) else str(v).encode()


def _asset_filename_to_add(source: bytes, filename_map: dict[bytes, bytes]) -> bytes:
    """A basename for ``source`` in ``assets/``: suffixed ``_1``, ``_2``... on a content clash."""
    name = os.path.basename(source)  # noqa: PTH119  (bytes paths, as TF keeps them)
    other = filename_map.get(name)
    if other is None or other == source:
        return name
    src, oth = os.fsdecode(source), os.fsdecode(other)
    if Path(src).is_file() and Path(oth).is_file() and filecmp.cmp(src, oth, shallow=False):
        return name
    i, unique = 1, name
    while unique in filename_map:
        unique = b"_".join([name, str(i).encode()])
        i += 1
    return unique


class SavedModelBuilder:
    """Builds a TF1 SavedModel: several tagged meta graphs sharing one set of variables/assets.

    The first meta graph is added with :meth:`add_meta_graph_and_variables` (it saves the
    variables); later ones with :meth:`add_meta_graph`; :meth:`save` writes
    ``saved_model.pb``.

    Raises:
        AssertionError: ``export_dir`` exists and is not empty (TF's message).

    >>> import tempfile, scopeflow.compat.v1 as tf
    >>> d = tempfile.mkdtemp() + "/model"
    >>> with tf.Graph().as_default(), tf.Session() as sess:
    ...     x = tf.placeholder(tf.float32, [None], name="x")
    ...     v = tf.Variable(2.0, name="v")
    ...     y = tf.multiply(x, v, name="y")
    ...     sess.run(v.initializer)
    ...     b = tf.saved_model.builder.SavedModelBuilder(d)
    ...     sig = tf.saved_model.predict_signature_def({"x": x}, {"y": y})
    ...     b.add_meta_graph_and_variables(sess, ["serve"], {"serving_default": sig})
    ...     print(b.save().decode().endswith("saved_model.pb"))
    True
    """

    def __init__(self, export_dir: str) -> None:
        from scopeflow.protos import saved_model_pb2  # noqa: PLC0415  (protobuf is lazy)

        self._saved_model = saved_model_pb2.SavedModel(
            saved_model_schema_version=constants.SAVED_MODEL_SCHEMA_VERSION
        )
        self._export_dir = os.fspath(export_dir)
        path = Path(self._export_dir)
        if path.exists():
            if not path.is_dir() or any(path.iterdir()):
                raise AssertionError(
                    "Export directory already exists, and isn't empty. Please choose a "
                    "different export directory, or delete all the contents of the specified "
                    f"directory: {self._export_dir}"
                )
        else:
            path.mkdir(parents=True)
        self._has_saved_variables = False
        self._saved_asset_files: set[bytes] = set()

    # --- pieces -----------------------------------------------------------------------------

    def _save_and_write_assets(self, assets_collection_to_add: Any = None) -> None:
        from google.protobuf import any_pb2  # noqa: PLC0415

        from scopeflow.protos import meta_graph_pb2  # noqa: PLC0415

        if assets_collection_to_add is None:
            return
        filename_map: dict[bytes, bytes] = {}
        for asset_tensor in assets_collection_to_add:
            source = _asset_path_from_tensor(asset_tensor)
            if not source:
                raise ValueError(f"Invalid asset filepath tensor {asset_tensor}")
            name = _asset_filename_to_add(source, filename_map)
            proto = meta_graph_pb2.AssetFileDef(filename=name.decode())
            proto.tensor_info.name = asset_tensor.name
            packed = any_pb2.Any()
            packed.Pack(proto)
            get_default_graph().add_to_collection(constants.ASSETS_KEY, packed)
            filename_map[name] = source
        if not filename_map:
            return
        assets_dir = Path(self._export_dir) / constants.ASSETS_DIRECTORY
        assets_dir.mkdir(exist_ok=True)
        for name, source in filename_map.items():
            dest = os.fsencode(assets_dir / os.fsdecode(name))
            copy = source != dest and dest not in self._saved_asset_files
            if copy and Path(os.fsdecode(source)).is_file():
                shutil.copyfile(os.fsdecode(source), os.fsdecode(dest))
                self._saved_asset_files.add(dest)

    def _maybe_add_main_op(self, main_op: Any) -> None:
        if main_op is None:
            return
        if not isinstance(main_op, Operation):
            raise TypeError(f"main_op needs to be an Operation: {main_op!r}")
        graph = get_default_graph()
        for key in (constants.MAIN_OP_KEY, constants.LEGACY_INIT_OP_KEY):
            if graph.get_collection(key):
                raise ValueError(
                    f"Graph already contains one or more main ops under the collection {key}."
                )
        graph.add_to_collection(constants.MAIN_OP_KEY, main_op)

    def _add_train_op(self, train_op: Any) -> None:
        """Records ``train_op`` in the ``saved_model_train_op`` collection (not run on load)."""
        if train_op is None:
            return
        if not isinstance(train_op, (Tensor, Operation)):
            raise TypeError(f"train_op needs to be a Tensor or Op: {train_op!r}")
        get_default_graph().add_to_collection(constants.TRAIN_OP_KEY, train_op)

    def _validate_tensor_info(self, tensor_info: Any) -> None:
        if tensor_info is None:
            raise AssertionError(
                "All TensorInfo protos used in the SignatureDefs must have the name and dtype "
                "fields set."
            )
        if tensor_info.WhichOneof("encoding") is None:
            raise AssertionError(
                "All TensorInfo protos used in the SignatureDefs must have one of the "
                f"'encoding' fields (e.g., name or coo_sparse) set: {tensor_info}"
            )
        if tensor_info.dtype == 0:
            raise AssertionError(
                "All TensorInfo protos used in the SignatureDefs must have the dtype field set: "
                f"{tensor_info}"
            )

    def _validate_signature_def_map(self, signature_def_map: dict[str, Any]) -> None:
        for sig in signature_def_map.values():
            for info in sig.inputs.values():
                self._validate_tensor_info(info)
            for info in sig.outputs.values():
                self._validate_tensor_info(info)
        for key in (constants.INIT_OP_SIGNATURE_KEY, constants.TRAIN_OP_SIGNATURE_KEY):
            if key in signature_def_map:
                raise KeyError(
                    f'SignatureDef map key "{key}" is reserved for initialization. Please use '
                    "a different key."
                    if key == constants.INIT_OP_SIGNATURE_KEY
                    else f'SignatureDef map key "{key}" is reserved for the train op. Please '
                    "use a different key."
                )

    def _tag_and_add_meta_graph(
        self, meta_graph_def: Any, tags: Any, signature_def_map: dict[str, Any]
    ) -> None:
        for tag in tags:
            meta_graph_def.meta_info_def.tags.append(tag)
        for key, sig in signature_def_map.items():
            meta_graph_def.signature_def[key].CopyFrom(sig)
        self._saved_model.meta_graphs.add().CopyFrom(meta_graph_def)

    @staticmethod
    def _maybe_create_saver(saver: Any = None) -> Any:
        if saver:
            return saver
        return Saver(_all_saveable_objects(), sharded=True, allow_empty=True)

    # --- API ------------------------------------------------------------------------------

    def add_meta_graph(
        self,
        tags: Any,
        signature_def_map: dict[str, Any] | None = None,
        assets_collection: Any = None,
        legacy_init_op: Any = None,
        clear_devices: bool = False,
        main_op: Any = None,
        strip_default_attrs: bool = False,
        saver: Any = None,
    ) -> None:
        """Adds the default graph's meta graph under ``tags`` (variables already saved).

        Raises:
            AssertionError: ``add_meta_graph_and_variables`` was not called first.
        """
        if not self._has_saved_variables:
            raise AssertionError(
                "Graph state including variables and assets has not been saved yet. Please "
                "invoke `add_meta_graph_and_variables()` first."
            )
        signature_def_map = signature_def_map or {}
        self._validate_signature_def_map(signature_def_map)
        main_op = main_op if main_op is not None else legacy_init_op
        self._save_and_write_assets(assets_collection)
        self._maybe_add_main_op(main_op)
        saver = self._maybe_create_saver(saver)
        meta = saver.export_meta_graph(
            clear_devices=clear_devices, strip_default_attrs=strip_default_attrs
        )
        self._tag_and_add_meta_graph(meta, tags, signature_def_map)

    def add_meta_graph_and_variables(
        self,
        sess: Any,
        tags: Any,
        signature_def_map: dict[str, Any] | None = None,
        assets_collection: Any = None,
        legacy_init_op: Any = None,
        clear_devices: bool = False,
        main_op: Any = None,
        strip_default_attrs: bool = False,
        saver: Any = None,
    ) -> None:
        """Saves ``sess``'s variables and adds the default graph's meta graph under ``tags``.

        Raises:
            AssertionError: called a second time.
        """
        if self._has_saved_variables:
            raise AssertionError(
                "Graph state including variables and assets has already been saved. Please "
                "invoke `add_meta_graph()` instead."
            )
        signature_def_map = signature_def_map or {}
        self._validate_signature_def_map(signature_def_map)
        main_op = main_op or legacy_init_op
        self._save_and_write_assets(assets_collection)
        self._maybe_add_main_op(main_op)
        (Path(self._export_dir) / constants.VARIABLES_DIRECTORY).mkdir(exist_ok=True)
        saver = self._maybe_create_saver(saver)
        saver.save(
            sess, _variables_path(self._export_dir), write_meta_graph=False, write_state=False
        )
        meta = saver.export_meta_graph(
            clear_devices=clear_devices, strip_default_attrs=strip_default_attrs
        )
        self._tag_and_add_meta_graph(meta, tags, signature_def_map)
        self._has_saved_variables = True

    def save(self, as_text: bool = False) -> bytes:
        """Writes ``saved_model.pb`` (``saved_model.pbtxt`` if ``as_text``); returns its path."""
        from google.protobuf import text_format  # noqa: PLC0415

        directory = Path(self._export_dir)
        directory.mkdir(parents=True, exist_ok=True)
        if as_text:
            path = directory / constants.SAVED_MODEL_FILENAME_PBTXT
            path.write_text(text_format.MessageToString(self._saved_model))
        else:
            path = directory / constants.SAVED_MODEL_FILENAME_PB
            path.write_bytes(self._saved_model.SerializeToString(deterministic=True))
        return os.fsencode(path)


Builder = SavedModelBuilder


def simple_save(
    session: Any,
    export_dir: str,
    inputs: dict[str, Any],
    outputs: dict[str, Any],
    legacy_init_op: Any = None,
) -> None:
    """Saves a SavedModel for serving: tag ``serve``, one ``serving_default`` predict signature.

    Assets are the ``asset_filepaths`` collection; devices are cleared.

    >>> import os, tempfile, scopeflow.compat.v1 as tf
    >>> d = tempfile.mkdtemp() + "/m"
    >>> with tf.Graph().as_default(), tf.Session() as sess:
    ...     x = tf.placeholder(tf.float32, [None], name="x")
    ...     simple_save(sess, d, {"x": x}, {"y": tf.negative(x, name="y")})
    >>> sorted(os.listdir(d))
    ['saved_model.pb', 'variables']
    """
    signature_def_map = {
        signature_constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY: predict_signature_def(
            inputs, outputs
        )
    }
    b = SavedModelBuilder(export_dir)
    b.add_meta_graph_and_variables(
        session,
        tags=[tag_constants.SERVING],
        signature_def_map=signature_def_map,
        assets_collection=get_default_graph().get_collection(GraphKeys.ASSET_FILEPATHS),
        main_op=legacy_init_op,
        clear_devices=True,
    )
    b.save()


__all__ = ["Builder", "SavedModelBuilder", "simple_save"]
