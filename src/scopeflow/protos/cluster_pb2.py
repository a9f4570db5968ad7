"""TF's ``tensorflow/core/protobuf/cluster.proto`` messages as real protobuf classes.

Built by :mod:`scopeflow.protos._pool` from the ``tensorboard`` package's copy of the file.
"""

from typing import Any

from scopeflow.protos._pool import message_class

JobDef: Any = message_class("cluster", "JobDef")
ClusterDef: Any = message_class("cluster", "ClusterDef")

__all__ = ["ClusterDef", "JobDef"]
