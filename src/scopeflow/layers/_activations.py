"""Activation functions named by strings (Keras's ``activations.get``), for layer arguments.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scopeflow.ops import activation_ops, unary_ops

_ACTIVATIONS: dict[str, Callable[..., Any]] = {
    "relu": activation_ops.relu,
    "relu6": activation_ops.relu6,
    "elu": activation_ops.elu,
    "selu": activation_ops.selu,
    "softplus": activation_ops.softplus,
    "softsign": activation_ops.softsign,
    "softmax": activation_ops.softmax,
    "sigmoid": unary_ops.sigmoid,
    "tanh": unary_ops.tanh,
}


def get_activation(identifier: Any) -> Any:
    """An activation function for ``identifier``: None/'linear' (None), a name or a callable."""
    if identifier is None or identifier == "linear":
        return None
    if isinstance(identifier, str):
        fn = _ACTIVATIONS.get(identifier)
        if fn is None:
            raise ValueError(f"Unknown activation function: '{identifier}'.")
        return fn
    if callable(identifier):
        return identifier
    raise TypeError(f"Could not interpret activation function identifier: {identifier}")


__all__ = ["get_activation"]
