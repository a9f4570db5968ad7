"""TF's ``tensorflow/core/framework/attr_value.proto`` messages as real protobuf classes.

Built by :mod:`scopeflow.protos._pool` from the ``tensorboard`` package's copy of the file.
"""

from typing import Any

from scopeflow.protos._pool import message_class

AttrValue: Any = message_class("attr_value", "AttrValue")
NameAttrList: Any = message_class("attr_value", "NameAttrList")

__all__ = ["AttrValue", "NameAttrList"]
