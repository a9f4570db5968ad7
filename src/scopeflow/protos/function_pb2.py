"""TF's ``tensorflow/core/framework/function.proto`` messages as real protobuf classes.

Built by :mod:`scopeflow.protos._pool` from the ``tensorboard`` package's copy of the file.
"""

from typing import Any

from scopeflow.protos._pool import message_class

FunctionDefLibrary: Any = message_class("function", "FunctionDefLibrary")
FunctionDef: Any = message_class("function", "FunctionDef")
GradientDef: Any = message_class("function", "GradientDef")
RegisteredGradient: Any = message_class("function", "RegisteredGradient")

__all__ = ["FunctionDef", "FunctionDefLibrary", "GradientDef", "RegisteredGradient"]
