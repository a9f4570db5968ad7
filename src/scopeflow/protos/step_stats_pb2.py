"""TF's ``tensorflow/core/framework/step_stats.proto`` messages as real protobuf classes.

Built by :mod:`scopeflow.protos._pool` from the ``tensorboard`` package's copy of the file.
"""

from typing import Any

from scopeflow.protos._pool import message_class

AllocationRecord: Any = message_class("step_stats", "AllocationRecord")
AllocatorMemoryUsed: Any = message_class("step_stats", "AllocatorMemoryUsed")
NodeOutput: Any = message_class("step_stats", "NodeOutput")
MemoryStats: Any = message_class("step_stats", "MemoryStats")
NodeExecStats: Any = message_class("step_stats", "NodeExecStats")
DeviceStepStats: Any = message_class("step_stats", "DeviceStepStats")
StepStats: Any = message_class("step_stats", "StepStats")

__all__ = [
    "AllocationRecord",
    "AllocatorMemoryUsed",
    "DeviceStepStats",
    "MemoryStats",
    "NodeExecStats",
    "NodeOutput",
    "StepStats",
]
