"""TF's ``tensorflow/core/protobuf/saver.proto`` messages as real protobuf classes.

Built by :mod:`scopeflow.protos._pool` from the ``tensorboard`` package's copy of the file.
"""

from typing import Any

from scopeflow.protos._pool import message_class

SaverDef: Any = message_class("saver", "SaverDef")

__all__ = ["SaverDef"]
