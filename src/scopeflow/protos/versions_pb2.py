"""TF's ``tensorflow/core/framework/versions.proto`` messages as real protobuf classes.

Built by :mod:`scopeflow.protos._pool` from the ``tensorboard`` package's copy of the file.
"""

from typing import Any

from scopeflow.protos._pool import message_class

VersionDef: Any = message_class("versions", "VersionDef")

__all__ = ["VersionDef"]
