"""TF's ``tensorflow/core/framework/tensor.proto`` messages as real protobuf classes.

Built by :mod:`scopeflow.protos._pool` from the ``tensorboard`` package's copy of the file.
"""

from typing import Any

from scopeflow.protos._pool import message_class

TensorProto: Any = message_class("tensor", "TensorProto")
VariantTensorDataProto: Any = message_class("tensor", "VariantTensorDataProto")

__all__ = ["TensorProto", "VariantTensorDataProto"]
