"""TF's ``tensorflow/core/framework/summary.proto`` messages as real protobuf classes.

Built by :mod:`scopeflow.protos._pool` from the ``tensorboard`` package's copy of the file.
"""

from typing import Any

from scopeflow.protos._pool import enum_type, message_class

SummaryDescription: Any = message_class("summary", "SummaryDescription")
SummaryMetadata: Any = message_class("summary", "SummaryMetadata")
Summary: Any = message_class("summary", "Summary")
HistogramProto: Any = message_class("histogram", "HistogramProto")
DataClass: Any = enum_type("summary", "DataClass")
DATA_CLASS_UNKNOWN = 0
DATA_CLASS_SCALAR = 1
DATA_CLASS_TENSOR = 2
DATA_CLASS_BLOB_SEQUENCE = 3

__all__ = [
    "DATA_CLASS_BLOB_SEQUENCE",
    "DATA_CLASS_SCALAR",
    "DATA_CLASS_TENSOR",
    "DATA_CLASS_UNKNOWN",
    "DataClass",
    "HistogramProto",
    "Summary",
    "SummaryDescription",
    "SummaryMetadata",
]
