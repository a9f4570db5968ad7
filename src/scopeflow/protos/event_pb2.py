"""TF's ``tensorflow/core/util/event.proto`` messages as real protobuf classes.

Built by :mod:`scopeflow.protos._pool` from the ``tensorboard`` package's copy of the file.
"""

from typing import Any

from scopeflow.protos._pool import enum_type, message_class

Event: Any = message_class("event", "Event")
SourceMetadata: Any = message_class("event", "SourceMetadata")
LogMessage: Any = message_class("event", "LogMessage")
SessionLog: Any = message_class("event", "SessionLog")
TaggedRunMetadata: Any = message_class("event", "TaggedRunMetadata")
WatchdogConfig: Any = message_class("event", "WatchdogConfig")
RequestedExitCode: Any = message_class("event", "RequestedExitCode")
WorkerHeartbeatRequest: Any = message_class("event", "WorkerHeartbeatRequest")
WorkerHeartbeatResponse: Any = message_class("event", "WorkerHeartbeatResponse")
WorkerHealth: Any = enum_type("event", "WorkerHealth")
OK = 0
RECEIVED_SHUTDOWN_SIGNAL = 1
INTERNAL_ERROR = 2
SHUTTING_DOWN = 3
WorkerShutdownMode: Any = enum_type("event", "WorkerShutdownMode")
DEFAULT = 0
NOT_CONFIGURED = 1
WAIT_FOR_COORDINATOR = 2
SHUTDOWN_AFTER_TIMEOUT = 3

__all__ = [
    "DEFAULT",
    "Event",
    "INTERNAL_ERROR",
    "LogMessage",
    "NOT_CONFIGURED",
    "OK",
    "RECEIVED_SHUTDOWN_SIGNAL",
    "RequestedExitCode",
    "SHUTDOWN_AFTER_TIMEOUT",
    "SHUTTING_DOWN",
    "SessionLog",
    "SourceMetadata",
    "TaggedRunMetadata",
    "WAIT_FOR_COORDINATOR",
    "WatchdogConfig",
    "WorkerHealth",
    "WorkerHeartbeatRequest",
    "WorkerHeartbeatResponse",
    "WorkerShutdownMode",
]
