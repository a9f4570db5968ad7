"""TF's ``tensorflow/core/framework/node_def.proto`` messages as real protobuf classes.

Built by :mod:`scopeflow.protos._pool` from the ``tensorboard`` package's copy of the file.
"""

from typing import Any

from scopeflow.protos._pool import message_class

NodeDef: Any = message_class("node_def", "NodeDef")

__all__ = ["NodeDef"]
