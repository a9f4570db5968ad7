"""TF's protobuf classes in the ``tf`` namespace (``tf.Summary``, ``tf.Event``...), loaded lazily.

Loading the protobuf descriptors costs a noticeable part of a second, so the ``tf`` namespaces
resolve these names through a module ``__getattr__`` made here, on first access.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``, nor ``scopeflow.protos`` at import
time.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

# name in the namespace -> (module of scopeflow.protos, class name)
ROOT_PROTOS: dict[str, tuple[str, str]] = {
    "AttrValue": ("attr_value_pb2", "AttrValue"),
    "Event": ("event_pb2", "Event"),
    "GraphDef": ("graph_pb2", "GraphDef"),
    "HistogramProto": ("summary_pb2", "HistogramProto"),
    "LogMessage": ("event_pb2", "LogMessage"),
    "MetaGraphDef": ("meta_graph_pb2", "MetaGraphDef"),
    "NameAttrList": ("attr_value_pb2", "NameAttrList"),
    "NodeDef": ("node_def_pb2", "NodeDef"),
    "RunMetadata": ("config_pb2", "RunMetadata"),  # timeline: Session.run fills its step_stats
    "SessionLog": ("event_pb2", "SessionLog"),
    "Summary": ("summary_pb2", "Summary"),
    "SummaryMetadata": ("summary_pb2", "SummaryMetadata"),
    "TensorInfo": ("meta_graph_pb2", "TensorInfo"),
}

SUMMARY_PROTOS: dict[str, tuple[str, str]] = {
    "Event": ("event_pb2", "Event"),
    "SessionLog": ("event_pb2", "SessionLog"),
    "Summary": ("summary_pb2", "Summary"),
    "SummaryDescription": ("summary_pb2", "SummaryDescription"),
    "TaggedRunMetadata": ("event_pb2", "TaggedRunMetadata"),
}

# ``tf.train.Example`` and friends (issue 10's ``feature_pb2``)
TRAIN_PROTOS: dict[str, tuple[str, str]] = {
    **{
        name: ("feature_pb2", name)
        for name in (
            "BytesList",
            "Example",
            "Feature",
            "FeatureList",
            "FeatureLists",
            "Features",
            "FloatList",
            "Int64List",
            "SequenceExample",
        )
    },
    # devplace: tf.train.ClusterDef / JobDef (cluster.proto)
    "ClusterDef": ("cluster_pb2", "ClusterDef"),
    "JobDef": ("cluster_pb2", "JobDef"),
}


def lazy_getattr(module_name: str, table: dict[str, tuple[str, str]]) -> Callable[[str], Any]:
    """A module ``__getattr__`` that resolves the names of ``table`` on first access."""

    def __getattr__(name: str) -> Any:  # noqa: N807  (a module __getattr__)
        entry = table.get(name)
        if entry is None:
            raise AttributeError(f"module {module_name!r} has no attribute {name!r}")
        module = importlib.import_module(f"scopeflow.protos.{entry[0]}")
        return getattr(module, entry[1])

    return __getattr__


__all__ = ["ROOT_PROTOS", "SUMMARY_PROTOS", "TRAIN_PROTOS", "lazy_getattr"]
