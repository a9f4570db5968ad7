"""TF's ``tensorflow/core/framework/graph.proto`` messages as real protobuf classes.

Built by :mod:`scopeflow.protos._pool` from the ``tensorboard`` package's copy of the file.
"""

from typing import Any

from scopeflow.protos._pool import message_class

GraphDef: Any = message_class("graph", "GraphDef")

__all__ = ["GraphDef"]
