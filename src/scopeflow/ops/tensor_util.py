"""``tensorflow.python.framework.tensor_util``: the parts TF1 model code imports.

``constant_value(tensor)``: the tensor's value when it is known while the graph is built
(constants, shapes and what scopeflow folds from them), else ``None``; non-tensors are returned
as they are, as TF does. ``partial=True`` (TF's partially known shape vectors) is not supported.

Must not import any layer above ``ops``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from scopeflow.errors import UnsupportedError
from scopeflow.graph.tensor import Tensor, is_tensor


def constant_value(tensor: Any, partial: bool = False) -> Any:
    """The value of ``tensor`` if it is known at graph-build time, else None (TF's rules)."""
    if partial:
        msg = "tensor_util.constant_value(partial=True)"
        raise UnsupportedError(msg)
    if not isinstance(tensor, Tensor):
        return tensor if not is_tensor(tensor) else None
    value = tensor._const
    return None if value is None else np.asarray(value)


__all__ = ["constant_value", "is_tensor"]
