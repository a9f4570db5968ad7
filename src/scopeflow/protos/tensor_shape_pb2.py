"""TF's ``tensorflow/core/framework/tensor_shape.proto`` messages as real protobuf classes.

Built by :mod:`scopeflow.protos._pool` from the ``tensorboard`` package's copy of the file.
"""

from typing import Any

from scopeflow.protos._pool import message_class

TensorShapeProto: Any = message_class("tensor_shape", "TensorShapeProto")

__all__ = ["TensorShapeProto"]
