"""TF's protocol buffer messages under TF's names, built from the ``tensorboard`` package's copies.

The ``tensorboard`` package ships TensorFlow's ``.proto`` files compiled under the package name
``tensorboard`` (``tensorboard.Summary``). This module takes those file descriptors, renames the
package back to ``tensorflow`` (and the file paths to TF's ``tensorflow/core/...`` paths) and adds
them to a private descriptor pool, so scopeflow's classes are real protobuf messages with TF's full
names (``tensorflow.Summary``), fields and wire format, and never clash with a TensorFlow or
TensorBoard loaded in the same process.

Must not import torch or any scopeflow layer.
"""

from __future__ import annotations

import importlib
import threading
from typing import Any

from google.protobuf import any_pb2, descriptor_pb2, descriptor_pool, message_factory, wrappers_pb2
from google.protobuf.internal import enum_type_wrapper

# google/protobuf/{any,wrappers}.proto come from the default pool (imported for that).
_WELL_KNOWN = (any_pb2, wrappers_pb2)
_TB_PREFIX = "tensorboard/compat/proto/"
_TB_MODULE = "tensorboard.compat.proto."
# Where TF keeps each file (the rest are under tensorflow/core/framework/).
_TF_DIRS = {
    "event": "tensorflow/core/util/",
    "histogram": "tensorflow/core/framework/",
    **dict.fromkeys(
        (
            "cluster",
            "config",
            "coordination_config",
            "debug",
            "meta_graph",
            "rewriter_config",
            "rpc_options",
            "saved_object_graph",
            "saver",
            "struct",
            "trackable_object_graph",
            "verifier_config",
        ),
        "tensorflow/core/protobuf/",
    ),
}

_lock = threading.Lock()
_pool: descriptor_pool.DescriptorPool | None = None
_added: set[str] = set()


def _tf_path(tb_name: str) -> str:
    stem = tb_name[len(_TB_PREFIX) : -len(".proto")]
    return _TF_DIRS.get(stem, "tensorflow/core/framework/") + stem + ".proto"


def _renamed(fdp: descriptor_pb2.FileDescriptorProto) -> descriptor_pb2.FileDescriptorProto:
    """A copy of ``fdp`` with package ``tensorboard`` renamed to ``tensorflow`` throughout."""
    out = descriptor_pb2.FileDescriptorProto()
    out.CopyFrom(fdp)
    out.name = _tf_path(fdp.name)
    out.package = "tensorflow"
    out.dependency[:] = [_tf_path(d) if d.startswith(_TB_PREFIX) else d for d in fdp.dependency]

    def fix_messages(messages: Any) -> None:
        for m in messages:
            for f in m.field:
                if f.type_name.startswith(".tensorboard."):
                    f.type_name = ".tensorflow." + f.type_name[len(".tensorboard.") :]
            fix_messages(m.nested_type)

    fix_messages(out.message_type)
    return out


def _add_file(pool: descriptor_pool.DescriptorPool, tb_name: str) -> None:
    if tb_name in _added:
        return
    if not tb_name.startswith(_TB_PREFIX):  # google/protobuf/any.proto etc.
        src = descriptor_pool.Default().FindFileByName(tb_name)
        fdp = descriptor_pb2.FileDescriptorProto.FromString(src.serialized_pb)
        _added.add(tb_name)
        pool.Add(fdp)
        return
    module = importlib.import_module(
        _TB_MODULE + tb_name[len(_TB_PREFIX) : -len(".proto")] + "_pb2"
    )
    fdp = descriptor_pb2.FileDescriptorProto.FromString(module.DESCRIPTOR.serialized_pb)
    for dep in fdp.dependency:
        _add_file(pool, dep)
    _added.add(tb_name)
    pool.Add(_renamed(fdp))


def load_file(stem: str) -> Any:
    """The ``FileDescriptor`` of TF's ``<stem>.proto`` (``"summary"``), loading it on first use."""
    global _pool
    with _lock:
        if _pool is None:
            _pool = descriptor_pool.DescriptorPool()
        _add_file(_pool, f"{_TB_PREFIX}{stem}.proto")
        return _pool.FindFileByName(_tf_path(f"{_TB_PREFIX}{stem}.proto"))


def add_file(fdp: descriptor_pb2.FileDescriptorProto, deps: tuple[str, ...] = ()) -> Any:
    """Adds a TF file that ``tensorboard`` does not ship, after its dependencies (stems).

    ``fdp`` is written by hand from TF's ``.proto`` (package ``tensorflow``, TF's file path);
    returns its ``FileDescriptor``. Adding the same file again returns the one already added.
    """
    global _pool
    with _lock:
        if _pool is None:
            _pool = descriptor_pool.DescriptorPool()
        for stem in deps:
            _add_file(_pool, f"{_TB_PREFIX}{stem}.proto")
        if fdp.name not in _added:
            _added.add(fdp.name)
            _pool.Add(fdp)
        return _pool.FindFileByName(fdp.name)


def message_class(stem: str, name: str) -> Any:
    """The message class ``tensorflow.<name>`` defined in TF's ``<stem>.proto``."""
    fd = load_file(stem)
    return message_factory.GetMessageClass(fd.message_types_by_name[name])


def enum_values(stem: str, name: str) -> dict[str, int]:
    """The values of the top-level enum ``tensorflow.<name>`` in TF's ``<stem>.proto``."""
    fd = load_file(stem)
    return {v.name: v.number for v in fd.enum_types_by_name[name].values}


def enum_type(stem: str, name: str) -> Any:
    """The top-level enum ``tensorflow.<name>`` of TF's ``<stem>.proto`` (``Name``/``Value``)."""
    return enum_type_wrapper.EnumTypeWrapper(load_file(stem).enum_types_by_name[name])


__all__ = ["add_file", "enum_type", "enum_values", "load_file", "message_class"]
