"""TF's ``tensorflow/core/protobuf/meta_graph.proto`` messages as real protobuf classes.

Built by :mod:`scopeflow.protos._pool` from the ``tensorboard`` package's copy of the file.
"""

from typing import Any

from scopeflow.protos._pool import message_class

MetaGraphDef: Any = message_class("meta_graph", "MetaGraphDef")
CollectionDef: Any = message_class("meta_graph", "CollectionDef")
TensorInfo: Any = message_class("meta_graph", "TensorInfo")
SignatureDef: Any = message_class("meta_graph", "SignatureDef")
AssetFileDef: Any = message_class("meta_graph", "AssetFileDef")

__all__ = ["AssetFileDef", "CollectionDef", "MetaGraphDef", "SignatureDef", "TensorInfo"]
