"""TF's ``tensorflow/core/framework/variable.proto`` messages as real protobuf classes.

Built by :mod:`scopeflow.protos._pool` from the ``tensorboard`` package's copy of the file.
"""

from typing import Any

from scopeflow.protos._pool import enum_type, message_class

VariableDef: Any = message_class("variable", "VariableDef")
SaveSliceInfoDef: Any = message_class("variable", "SaveSliceInfoDef")
VariableSynchronization: Any = enum_type("variable", "VariableSynchronization")
VARIABLE_SYNCHRONIZATION_AUTO = 0
VARIABLE_SYNCHRONIZATION_NONE = 1
VARIABLE_SYNCHRONIZATION_ON_WRITE = 2
VARIABLE_SYNCHRONIZATION_ON_READ = 3
VariableAggregation: Any = enum_type("variable", "VariableAggregation")
VARIABLE_AGGREGATION_NONE = 0
VARIABLE_AGGREGATION_SUM = 1
VARIABLE_AGGREGATION_MEAN = 2
VARIABLE_AGGREGATION_ONLY_FIRST_REPLICA = 3

__all__ = [
    "SaveSliceInfoDef",
    "VARIABLE_AGGREGATION_MEAN",
    "VARIABLE_AGGREGATION_NONE",
    "VARIABLE_AGGREGATION_ONLY_FIRST_REPLICA",
    "VARIABLE_AGGREGATION_SUM",
    "VARIABLE_SYNCHRONIZATION_AUTO",
    "VARIABLE_SYNCHRONIZATION_NONE",
    "VARIABLE_SYNCHRONIZATION_ON_READ",
    "VARIABLE_SYNCHRONIZATION_ON_WRITE",
    "VariableAggregation",
    "VariableDef",
    "VariableSynchronization",
]
