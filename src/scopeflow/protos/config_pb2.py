"""TF's ``tensorflow/core/protobuf/config.proto`` messages as real protobuf classes.

Built by :mod:`scopeflow.protos._pool` from the ``tensorboard`` package's copy of the file.
"""

from typing import Any

from scopeflow.protos._pool import message_class

GPUOptions: Any = message_class("config", "GPUOptions")
OptimizerOptions: Any = message_class("config", "OptimizerOptions")
GraphOptions: Any = message_class("config", "GraphOptions")
ThreadPoolOptionProto: Any = message_class("config", "ThreadPoolOptionProto")
SessionMetadata: Any = message_class("config", "SessionMetadata")
ConfigProto: Any = message_class("config", "ConfigProto")
RunOptions: Any = message_class("config", "RunOptions")
RunMetadata: Any = message_class("config", "RunMetadata")
TensorConnection: Any = message_class("config", "TensorConnection")
CallableOptions: Any = message_class("config", "CallableOptions")
BatchingOptions: Any = message_class("config", "BatchingOptions")

__all__ = [
    "BatchingOptions",
    "CallableOptions",
    "ConfigProto",
    "GPUOptions",
    "GraphOptions",
    "OptimizerOptions",
    "RunMetadata",
    "RunOptions",
    "SessionMetadata",
    "TensorConnection",
    "ThreadPoolOptionProto",
]
