"""TF's ``tensorflow/core/framework/op_def.proto`` messages as real protobuf classes.

Built by :mod:`scopeflow.protos._pool` from the ``tensorboard`` package's copy of the file.
"""

from typing import Any

from scopeflow.protos._pool import message_class

OpDef: Any = message_class("op_def", "OpDef")
OpDeprecation: Any = message_class("op_def", "OpDeprecation")
OpList: Any = message_class("op_def", "OpList")

__all__ = ["OpDef", "OpDeprecation", "OpList"]
