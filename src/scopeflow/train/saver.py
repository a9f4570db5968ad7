"""``tf.train.Saver`` (TF1, V2 checkpoints) and ``SaverDef``.

Design: as in TF, the Saver adds graph ops under a ``save`` name scope (``save/Const`` filename
placeholder, ``save/SaveV2`` + ``save/control_dependency``, ``save/RestoreV2`` + ``save/Assign*``
+ ``save/restore_all``; sharded: per-device ``SaveV2``/``RestoreV2`` and ``MergeV2Checkpoints``)
and ``save``/``restore`` run them with ``Session.run``, so ``saver_def`` names real tensors and
ops. Kernels are in :mod:`scopeflow.train.io_ops`. The checkpoint bundle is written atomically
(temporary files + renames) and the ``checkpoint`` state file is rewritten only after that
succeeded.

Custom saveables (``saveable_object.SaveableObject``: in ``var_list`` or, by default, the
``SAVEABLE_OBJECTS`` collection, e.g. the cuDNN layers' canonical-format saveables) write their
``SaveSpec`` tensors; on restore their ``restore(tensors, shapes)`` op joins ``restore_all``.

Before restoring, ``restore`` compares the saveables with the checkpoint and raises one
:class:`~scopeflow.train.restore_check.CheckpointMismatchError` listing every missing,
shape/dtype-mismatched and unused name (TF stops at the first).

``write_meta_graph=True`` (the default) writes ``<checkpoint>.meta`` (a ``MetaGraphDef`` with the
GraphDef, this SaverDef and the collections, see :mod:`scopeflow.graph_import.meta_graph`).

Differences from TensorFlow: a graph using ops private to scopeflow (``Sf*`` composites) has
no ``.meta`` file TF could load: ``save`` warns naming them and writes only the checkpoint.
The sharded-save graph omits TF's ``StaticRegexFullMatch``/``Select``/
``StringJoin`` ops that build the temporary shard name (``save/ShardedFilename`` takes the
prefix itself; its output only keys the shard's tensors until ``MergeV2Checkpoints``, fed the
packed shard names as in TF, writes); TF loads and runs that graph.
``write_version=V1``, custom ``builder`` objects and object-based checkpoint fallback are
unsupported.

Must not import ``scopeflow.compat``.
"""

from __future__ import annotations

import contextlib
import os
import time
import warnings
from typing import Any

import numpy as np

from scopeflow._core import dtypes
from scopeflow._core.graph_keys import GraphKeys
from scopeflow._core.name_scope import name_scope
from scopeflow.app import logging
from scopeflow.errors import (
    FailedPreconditionError,
    InvalidArgumentError,
    NotFoundError,
    UnsupportedError,
)
from scopeflow.graph.graph import get_default_graph
from scopeflow.graph.session import BaseSession
from scopeflow.ops.array_ops import placeholder_with_default, reshape
from scopeflow.ops.constant_op import constant
from scopeflow.ops.state_ops import group, no_op
from scopeflow.train import checkpoint_management as cm
from scopeflow.train import io_ops
from scopeflow.train.restore_check import check_restore, restore_error_message
from scopeflow.train.saveables import SaveSpec, op_list_to_dict, saveables_for
from scopeflow.train.training_util import global_step as _global_step_value

__all__ = ["Saver", "SaverDef"]


class SaverDef:
    """TF's ``SaverDef`` message: the tensor/op names and settings of a Saver.

    >>> print(SaverDef(filename_tensor_name="save/Const:0").filename_tensor_name)
    save/Const:0
    """

    LEGACY = 0
    V1 = 1
    V2 = 2

    def __init__(
        self,
        filename_tensor_name: str = "",
        save_tensor_name: str = "",
        restore_op_name: str = "",
        max_to_keep: int = 0,
        sharded: bool = False,
        keep_checkpoint_every_n_hours: float = 0.0,
        version: int = 2,
    ) -> None:
        self.filename_tensor_name = filename_tensor_name
        self.save_tensor_name = save_tensor_name
        self.restore_op_name = restore_op_name
        self.max_to_keep = max_to_keep
        self.sharded = sharded
        self.keep_checkpoint_every_n_hours = keep_checkpoint_every_n_hours
        self.version = version

    def __str__(self) -> str:
        lines = [
            f'filename_tensor_name: "{self.filename_tensor_name}"',
            f'save_tensor_name: "{self.save_tensor_name}"',
            f'restore_op_name: "{self.restore_op_name}"',
        ]
        if self.max_to_keep:
            lines.append(f"max_to_keep: {self.max_to_keep}")
        if self.sharded:
            lines.append("sharded: true")
        if self.keep_checkpoint_every_n_hours:
            lines.append(f"keep_checkpoint_every_n_hours: {self.keep_checkpoint_every_n_hours:g}")
        lines.append(f"version: {['LEGACY', 'V1', 'V2'][self.version]}")
        return "\n".join(lines) + "\n"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SaverDef) and vars(self) == vars(other)

    __hash__ = None  # type: ignore[assignment]


_META_WARNED = False


def _warn_no_meta_graph(reason: str) -> None:
    global _META_WARNED
    if not _META_WARNED:
        _META_WARNED = True
        warnings.warn(
            f"No .meta file written ({reason}); the .index and .data checkpoint files are. "
            "Pass write_meta_graph=False to silence this.",
            UserWarning,
            stacklevel=3,
        )


def _all_saveable_objects() -> list[Any]:
    g = get_default_graph()
    return g.get_collection(GraphKeys.GLOBAL_VARIABLES) + g.get_collection(
        GraphKeys.SAVEABLE_OBJECTS
    )


def _group_by_device(specs: list[SaveSpec]) -> list[tuple[str, list[SaveSpec]]]:
    groups: dict[str, list[SaveSpec]] = {}
    for s in specs:
        groups.setdefault(s.device, []).append(s)
    return sorted(groups.items(), key=lambda kv: kv[0])


class Saver:
    """Saves and restores variables (``tf.compat.v1.train.Saver``), TF's V2 checkpoint format.

    >>> import tempfile, scopeflow.compat.v1 as tf
    >>> with tf.Graph().as_default():
    ...     v = tf.get_variable("v", initializer=[1.0, 2.0])
    ...     saver = tf.train.Saver()
    ...     with tf.Session() as sess, tempfile.TemporaryDirectory() as d:
    ...         sess.run(v.initializer)
    ...         path = saver.save(sess, d + "/model.ckpt", global_step=7, write_meta_graph=False)
    ...         print(path.endswith("model.ckpt-7"), tf.train.list_variables(d))
    True [('v', [2])]
    """

    def __init__(
        self,
        var_list: Any = None,
        reshape: bool = False,
        sharded: bool = False,
        max_to_keep: int = 5,
        keep_checkpoint_every_n_hours: float = 10000.0,
        name: str | None = None,
        restore_sequentially: bool = False,
        saver_def: SaverDef | None = None,
        builder: Any = None,
        defer_build: bool = False,
        allow_empty: bool = False,
        write_version: int = SaverDef.V2,
        pad_step_number: bool = False,
        save_relative_paths: bool = False,
        filename: str | None = None,
    ) -> None:
        if defer_build and var_list:
            raise ValueError(
                "If `var_list` is provided then build cannot be deferred. Either set "
                "defer_build=False or var_list=None."
            )
        if builder is not None:
            raise UnsupportedError("Saver(builder=...)", "Only the default bulk builder exists.")
        if write_version != SaverDef.V2:
            raise UnsupportedError(
                f"Saver(write_version={write_version})", "Only V2 checkpoints are written."
            )
        self._var_list = var_list
        self._reshape = reshape
        self._sharded = sharded
        self._max_to_keep = max_to_keep
        self._keep_checkpoint_every_n_hours = keep_checkpoint_every_n_hours
        self._name = name
        self._restore_sequentially = restore_sequentially
        self.saver_def = saver_def
        self._is_built = False
        self._allow_empty = allow_empty
        self._is_empty: bool | None = None
        self._write_version = write_version
        self._pad_step_number = pad_step_number
        self._filename = filename
        self._last_checkpoints: list[tuple[str, float]] = []
        self._checkpoints_to_be_deleted: list[tuple[str, float]] = []
        self._saveables: list[SaveSpec] = []
        self._next_checkpoint_time = time.time() + keep_checkpoint_every_n_hours * 3600
        if not defer_build:
            self.build()
        if self.saver_def is not None:
            self._check_saver_def()
        self._save_relative_paths = save_relative_paths

    # --- building --------------------------------------------------------------------------

    def build(self) -> None:
        """Add the save/restore ops (called by the constructor unless ``defer_build``)."""
        if self._is_built:
            return
        self._is_built = True
        if self.saver_def is None:
            if self._var_list is None:
                self._var_list = _all_saveable_objects()
            if not self._var_list:
                if self._allow_empty:
                    self._is_empty = True
                    return
                raise ValueError("No variables to save")
            self._is_empty = False
            self._saveables = saveables_for(op_list_to_dict(self._var_list))
            self.saver_def = self._build_graph()
        elif self._name:
            sd = self.saver_def
            sd.filename_tensor_name = f"{self._name}/{sd.filename_tensor_name}"
            sd.save_tensor_name = f"{self._name}/{sd.save_tensor_name}"
            sd.restore_op_name = f"{self._name}/{sd.restore_op_name}"
        self._check_saver_def()
        self._next_checkpoint_time = (
            time.time() + self.saver_def.keep_checkpoint_every_n_hours * 3600  # type: ignore[union-attr]
        )

    def _check_saver_def(self) -> None:
        sd = self.saver_def
        if not isinstance(sd, SaverDef):
            raise ValueError(f"saver_def must be a saver_pb2.SaverDef: {sd}")
        if not sd.save_tensor_name:
            raise ValueError(f"saver_def must specify the save_tensor_name: {sd}")
        if not sd.restore_op_name:
            raise ValueError(f"saver_def must specify the restore_op_name: {sd}")

    def _build_graph(self) -> SaverDef:
        with name_scope(self._name, "save"):
            fname = placeholder_with_default(self._filename or "model", shape=(), name="filename")
            filename = placeholder_with_default(fname, shape=(), name="Const")
            if self._sharded:
                save_name = self._add_sharded_save(filename)
                restore = self._add_sharded_restore(filename)
            else:
                specs = self._saveables
                save_op = io_ops.save_v2(
                    filename, [s.name for s in specs], [s.spec for s in specs],
                    [s.tensor for s in specs],
                )  # fmt: skip
                g = get_default_graph()
                with g.control_dependencies([save_op]):
                    save_t = _identity(filename, "control_dependency")
                save_name = save_t.name
                assigns = self._add_restore(filename, specs, "RestoreV2")
                restore = group(*assigns, name="restore_all")
        return SaverDef(
            filename_tensor_name=filename.name,
            save_tensor_name=save_name,
            restore_op_name=restore.name,
            max_to_keep=self._max_to_keep,
            sharded=self._sharded,
            keep_checkpoint_every_n_hours=self._keep_checkpoint_every_n_hours,
            version=SaverDef.V2,
        )

    def _add_restore(self, filename: Any, specs: list[SaveSpec], name: str) -> list[Any]:
        shapes = [s.slice_shape for s in specs]
        outs = io_ops.restore_v2(
            filename, [s.name for s in specs], [s.spec for s in specs],
            [s.dtype for s in specs], name=name, shapes=None,
        )  # fmt: skip
        assigns = []
        g = get_default_graph()
        custom: dict[int, tuple[Any, list[Any], list[Any]]] = {}
        for s, restored, shape in zip(specs, outs, shapes, strict=True):
            value = restored
            if s.saveable is not None:  # a custom saveable restores itself, TF's order
                entry = custom.setdefault(id(s.saveable), (s.saveable, [], []))
                entry[1].append(value)
                entry[2].append(list(shape) if self._reshape and shape is not None else None)
                continue
            if self._reshape and shape is not None:
                value = reshape(restored, list(shape))
            var = s.variable
            assert var is not None
            base = var.dtype.base_dtype
            validate = var.get_shape().is_fully_defined()
            assigns.append(
                g._create_op(
                    "Assign",
                    (var._as_graph_element(), value),
                    {"T": base, "validate_shape": validate, "use_locking": True},
                    "Assign",
                    (base._as_ref,),
                    (var.get_shape(),),
                )
            )
        for saveable, tensors, restored_shapes in custom.values():
            shapes_arg = restored_shapes if self._reshape else None
            assigns.append(saveable.restore(tensors, shapes_arg))
        return assigns

    def _add_sharded_save(self, filename: Any) -> str:
        groups = _group_by_device(self._saveables)
        num = constant(len(groups), dtype=dtypes.int32, name="num_shards")
        g = get_default_graph()
        prefixes, deps = [], []
        for i, (_, specs) in enumerate(groups):
            shard = io_ops.sharded_filename(filename, i, num, name="ShardedFilename")
            save_op = io_ops.save_v2(
                shard, [s.name for s in specs], [s.spec for s in specs], [s.tensor for s in specs]
            )
            with g.control_dependencies([save_op]):
                deps.append(_identity(shard, "control_dependency").op)
            prefixes.append(shard)
        with g.control_dependencies(deps):
            merge = io_ops.merge_v2_checkpoints(prefixes, filename, name="MergeV2Checkpoints")
        with g.control_dependencies([*deps, merge]):
            return _identity(filename, "Identity").name

    def _add_sharded_restore(self, filename: Any) -> Any:
        shard_ops = []
        for _, specs in _group_by_device(self._saveables):
            assigns = self._add_restore(filename, specs, "RestoreV2")
            shard_ops.append(group(*assigns, name="restore_shard"))
        with name_scope("restore_all") as scope:
            noops = []
            for op in shard_ops:
                with get_default_graph().control_dependencies([op]):
                    noops.append(no_op())
            return group(*noops, name=scope)

    # --- checkpoints bookkeeping -------------------------------------------------------------

    @property
    def last_checkpoints(self) -> list[str]:
        """Not-yet-deleted checkpoint prefixes, oldest first."""
        return [p for p, _ in self._last_checkpoints]

    def set_last_checkpoints(self, last_checkpoints: list[str]) -> None:
        """DEPRECATED: use :meth:`set_last_checkpoints_with_time`."""
        assert isinstance(last_checkpoints, list)
        self._last_checkpoints = [(s, np.inf) for s in last_checkpoints]

    def set_last_checkpoints_with_time(self, last_checkpoints_with_time: list[Any]) -> None:
        """Set the list of ``(prefix, timestamp)`` of old checkpoints."""
        assert isinstance(last_checkpoints_with_time, list)
        self._last_checkpoints = last_checkpoints_with_time

    def recover_last_checkpoints(self, checkpoint_paths: list[str]) -> None:
        """Rebuild :attr:`last_checkpoints` after a crash from the prefixes that still exist."""
        found = []
        for path in checkpoint_paths:
            mtimes = cm.get_checkpoint_mtimes([path])
            if mtimes:
                found.append((path, mtimes[0]))
        self.set_last_checkpoints_with_time(found)

    def _record_last_checkpoint(self, latest: str) -> None:
        if not self.saver_def.max_to_keep:  # type: ignore[union-attr]
            return
        self._last_checkpoints = [p for p in self._last_checkpoints if p[0] != latest]
        self._last_checkpoints.append((latest, time.time()))
        if len(self._last_checkpoints) > self.saver_def.max_to_keep:  # type: ignore[union-attr]
            self._checkpoints_to_be_deleted.append(self._last_checkpoints.pop(0))

    def _maybe_delete_old_checkpoints(self, meta_graph_suffix: str) -> None:
        if not self._checkpoints_to_be_deleted:
            return
        path, stamp = self._checkpoints_to_be_deleted.pop(0)
        if stamp > self._next_checkpoint_time:
            self._next_checkpoint_time += (
                self.saver_def.keep_checkpoint_every_n_hours * 3600  # type: ignore[union-attr]
            )
            return
        with contextlib.suppress(OSError):  # TF logs "Ignoring: ..." and goes on
            cm.remove_checkpoint(path, SaverDef.V2, meta_graph_suffix)

    def as_saver_def(self) -> SaverDef | None:
        """The :class:`SaverDef` of this saver."""
        return self.saver_def

    def to_proto(self, export_scope: str | None = None) -> SaverDef | None:
        """The :class:`SaverDef` (``export_scope`` is not supported)."""
        if export_scope is not None:
            raise UnsupportedError("Saver.to_proto(export_scope=...)")
        return self.saver_def

    def export_meta_graph(
        self,
        filename: str | None = None,
        collection_list: list[str] | None = None,
        as_text: bool = False,
        export_scope: str | None = None,
        clear_devices: bool = False,
        clear_extraneous_savers: bool = False,
        strip_default_attrs: bool = False,
        save_debug_info: bool = False,
    ) -> Any:
        """Writes (to ``filename``, if given) and returns the MetaGraphDef with this SaverDef."""
        from scopeflow.graph_import.meta_graph import export_meta_graph  # noqa: PLC0415

        return export_meta_graph(
            filename=filename,
            saver_def=self.saver_def,
            collection_list=collection_list,
            as_text=as_text,
            export_scope=export_scope,
            clear_devices=clear_devices,
            clear_extraneous_savers=clear_extraneous_savers,
            strip_default_attrs=strip_default_attrs,
            save_debug_info=save_debug_info,
        )

    # --- save / restore ----------------------------------------------------------------------

    def save(
        self,
        sess: Any,
        save_path: str,
        global_step: Any = None,
        latest_filename: str | None = None,
        meta_graph_suffix: str = "meta",
        write_meta_graph: bool = True,
        write_state: bool = True,
        strip_default_attrs: bool = False,
        save_debug_info: bool = False,
    ) -> str | None:
        """Save the variables to ``save_path`` (``<save_path>-<global_step>`` with a step).

        Returns:
            The checkpoint prefix written, or ``None`` for an empty ``allow_empty`` saver.

        Raises:
            ValueError: Bad ``latest_filename``, or the parent directory does not exist.
            TypeError: If ``sess`` is not a Session.
        """
        if latest_filename is None:
            latest_filename = "checkpoint"
        if os.path.split(latest_filename)[0]:
            raise ValueError("'latest_filename' must not contain path components")
        save_path = os.fspath(save_path)
        if global_step is not None:
            if not isinstance(global_step, (int, np.integer)):
                global_step = _global_step_value(sess, global_step)
            checkpoint_file = f"{save_path}-{int(global_step)}"
            if self._pad_step_number:
                checkpoint_file = f"{save_path}-{int(global_step):08d}"
        else:
            checkpoint_file = save_path
            if os.path.basename(save_path) == latest_filename and not self._sharded:  # noqa: PTH119
                raise ValueError(
                    f"'latest_filename' collides with 'save_path': '{latest_filename}' and "
                    f"'{save_path}'"
                )
        if not isinstance(sess, BaseSession):
            raise TypeError(f"'sess' must be a Session; {sess}")
        parent = os.path.dirname(save_path)  # noqa: PTH120
        path: str | None = None
        if not self._is_empty:
            sd = self.saver_def
            assert sd is not None
            try:
                raw = sess.run(sd.save_tensor_name, {sd.filename_tensor_name: checkpoint_file})
            except (FailedPreconditionError, NotFoundError) as exc:
                if not os.path.isdir(parent or "."):  # noqa: PTH112
                    raise ValueError(
                        f"Parent directory of {save_path} doesn't exist, can't save."
                    ) from None
                raise exc from None
            path = io_ops._text(raw)
            if write_state:
                self._record_last_checkpoint(path)
                cm.update_checkpoint_state(
                    parent,
                    path,
                    self.last_checkpoints,
                    latest_filename,
                    save_relative_paths=self._save_relative_paths,
                )
                self._maybe_delete_old_checkpoints(meta_graph_suffix)
        if write_meta_graph:
            meta_file = cm.meta_graph_filename(checkpoint_file, meta_graph_suffix)
            try:
                with sess.graph.as_default():
                    self.export_meta_graph(meta_file, strip_default_attrs=strip_default_attrs)
            except UnsupportedError as e:
                _warn_no_meta_graph(str(e))
        return path

    def restore(self, sess: Any, save_path: str | None) -> None:
        """Restore the variables from the checkpoint prefix ``save_path``.

        Raises:
            ValueError: ``save_path`` is None or not a valid checkpoint (TF's texts).
            CheckpointMismatchNotFoundError: Variables missing from the checkpoint (a
                ``NotFoundError``); the message lists every difference.
            CheckpointMismatchInvalidArgumentError: Only shape/dtype mismatches (an
                ``InvalidArgumentError``); lists every difference.
        """
        if self._is_empty:
            return
        if save_path is None:
            raise ValueError("Can't load save_path when it is None.")
        prefix = os.fspath(save_path)
        if not cm.checkpoint_exists(prefix):
            raise ValueError("The passed save_path is not a valid checkpoint: " + prefix)
        sd = self.saver_def
        assert sd is not None
        logging.info("Restoring parameters from %s", prefix)
        if self._saveables:
            check_restore(io_ops.open_reader(prefix), self._saveables, prefix,
                          reshape=self._reshape)  # fmt: skip
        try:
            sess.run(sd.restore_op_name, {sd.filename_tensor_name: prefix})
        except NotFoundError as err:
            raise type(err)(
                err.node_def,
                err.op,
                restore_error_message(
                    "a Variable name or other graph key that is missing", err.message
                ),
            ) from None
        except InvalidArgumentError as err:
            raise type(err)(
                err.node_def,
                err.op,
                restore_error_message(
                    "a mismatch between the current graph and the graph", err.message
                ),
            ) from None

    @staticmethod
    def from_proto(saver_def: SaverDef, import_scope: str | None = None) -> Saver:
        """A Saver over existing ops named by ``saver_def``."""
        return Saver(saver_def=saver_def, name=import_scope)


def _identity(x: Any, name: str) -> Any:
    from scopeflow.ops.array_ops import identity  # noqa: PLC0415

    return identity(x, name=name)
