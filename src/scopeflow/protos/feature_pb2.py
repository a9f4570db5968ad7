"""TF's ``tensorflow/core/example/feature.proto`` and ``example.proto`` as protobuf classes.

``tensorboard`` does not ship these files, so their descriptors are built here from a
``FileDescriptorProto`` that matches TF's field numbers, types and packing exactly, in a private
descriptor pool (a real TensorFlow imported in the same process keeps its own). The classes are
TF's: ``Example.DESCRIPTOR.full_name == "tensorflow.Example"``, same wire format.

Must not import torch or any other scopeflow layer.

>>> f = Feature(int64_list=Int64List(value=[1, 2]))
>>> f.SerializeToString().hex(), f.DESCRIPTOR.full_name
('1a040a020102', 'tensorflow.Feature')
"""

from __future__ import annotations

from typing import Any

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

_F = descriptor_pb2.FieldDescriptorProto
_POOL = descriptor_pool.DescriptorPool()


def _field(
    msg: Any,
    name: str,
    number: int,
    ftype: int,
    *,
    repeated: bool = False,
    type_name: str = "",
    oneof: int | None = None,
    json_name: str = "",
) -> None:
    f = msg.field.add(name=name, number=number, type=ftype)
    f.label = _F.LABEL_REPEATED if repeated else _F.LABEL_OPTIONAL
    if type_name:
        f.type_name = type_name
    if oneof is not None:
        f.oneof_index = oneof
    f.json_name = json_name or name.split("_", maxsplit=1)[0] + "".join(
        p.capitalize() for p in name.split("_")[1:]
    )


def _map(msg: Any, field: str, entry: str, value_type: str) -> None:
    e = msg.nested_type.add(name=entry)
    e.options.map_entry = True
    _field(e, "key", 1, _F.TYPE_STRING)
    _field(e, "value", 2, _F.TYPE_MESSAGE, type_name=value_type)
    _field(msg, field, 1, _F.TYPE_MESSAGE, repeated=True, type_name=f"{msg.name}.{entry}")


def _feature_file() -> descriptor_pb2.FileDescriptorProto:
    fd = descriptor_pb2.FileDescriptorProto(
        name="tensorflow/core/example/feature.proto", package="tensorflow", syntax="proto3"
    )
    for name, ftype in (
        ("BytesList", _F.TYPE_BYTES),
        ("FloatList", _F.TYPE_FLOAT),
        ("Int64List", _F.TYPE_INT64),
    ):
        m = fd.message_type.add(name=name)
        _field(m, "value", 1, ftype, repeated=True)  # proto3: numeric repeated fields are packed
    feature = fd.message_type.add(name="Feature")
    feature.oneof_decl.add(name="kind")
    for i, (field, typ) in enumerate(
        (("bytes_list", "BytesList"), ("float_list", "FloatList"), ("int64_list", "Int64List"))
    ):
        _field(feature, field, i + 1, _F.TYPE_MESSAGE, type_name=f".tensorflow.{typ}", oneof=0)
    features = fd.message_type.add(name="Features")
    _map(features, "feature", "FeatureEntry", ".tensorflow.Feature")
    feature_list = fd.message_type.add(name="FeatureList")
    _field(
        feature_list, "feature", 1, _F.TYPE_MESSAGE, repeated=True, type_name=".tensorflow.Feature"
    )
    feature_lists = fd.message_type.add(name="FeatureLists")
    _map(feature_lists, "feature_list", "FeatureListEntry", ".tensorflow.FeatureList")
    features.field[0].type_name = ".tensorflow.Features.FeatureEntry"
    feature_lists.field[0].type_name = ".tensorflow.FeatureLists.FeatureListEntry"
    return fd


def _example_file() -> descriptor_pb2.FileDescriptorProto:
    fd = descriptor_pb2.FileDescriptorProto(
        name="tensorflow/core/example/example.proto", package="tensorflow", syntax="proto3"
    )
    fd.dependency.append("tensorflow/core/example/feature.proto")
    example = fd.message_type.add(name="Example")
    _field(example, "features", 1, _F.TYPE_MESSAGE, type_name=".tensorflow.Features")
    seq = fd.message_type.add(name="SequenceExample")
    _field(seq, "context", 1, _F.TYPE_MESSAGE, type_name=".tensorflow.Features")
    _field(seq, "feature_lists", 2, _F.TYPE_MESSAGE, type_name=".tensorflow.FeatureLists")
    return fd


_POOL.Add(_feature_file())
_POOL.Add(_example_file())


def _cls(name: str) -> Any:
    return message_factory.GetMessageClass(_POOL.FindMessageTypeByName(f"tensorflow.{name}"))


BytesList = _cls("BytesList")
FloatList = _cls("FloatList")
Int64List = _cls("Int64List")
Feature = _cls("Feature")
Features = _cls("Features")
FeatureList = _cls("FeatureList")
FeatureLists = _cls("FeatureLists")
Example = _cls("Example")
SequenceExample = _cls("SequenceExample")

__all__ = [
    "BytesList",
    "Example",
    "Feature",
    "FeatureList",
    "FeatureLists",
    "Features",
    "FloatList",
    "Int64List",
    "SequenceExample",
]
