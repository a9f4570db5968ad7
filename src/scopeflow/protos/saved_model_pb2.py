"""TF's ``tensorflow/core/protobuf/saved_model.proto`` (``SavedModel``) as a real protobuf class.

The ``tensorboard`` package does not ship this file, so its one message is declared here from
TF's schema (two fields: ``int64 saved_model_schema_version = 1`` and ``repeated MetaGraphDef
meta_graphs = 2``) and added to :mod:`scopeflow.protos._pool`'s pool after ``meta_graph.proto``;
the wire format and full name (``tensorflow.SavedModel``) are TF's.
"""

from typing import Any

from google.protobuf import descriptor_pb2, message_factory

from scopeflow.protos._pool import _tf_path, add_file


def _file() -> descriptor_pb2.FileDescriptorProto:
    f = descriptor_pb2.FileDescriptorProto(
        name="tensorflow/core/protobuf/saved_model.proto",
        package="tensorflow",
        syntax="proto3",
        dependency=[_tf_path("tensorboard/compat/proto/meta_graph.proto")],
    )
    m = f.message_type.add(name="SavedModel")
    fd = descriptor_pb2.FieldDescriptorProto
    m.field.add(
        name="saved_model_schema_version", number=1, type=fd.TYPE_INT64, label=fd.LABEL_OPTIONAL,
        json_name="savedModelSchemaVersion",
    )  # fmt: skip
    m.field.add(
        name="meta_graphs", number=2, type=fd.TYPE_MESSAGE, label=fd.LABEL_REPEATED,
        type_name=".tensorflow.MetaGraphDef", json_name="metaGraphs",
    )  # fmt: skip
    return f


_FILE = add_file(_file(), deps=("meta_graph",))
SavedModel: Any = message_factory.GetMessageClass(_FILE.message_types_by_name["SavedModel"])

__all__ = ["SavedModel"]
