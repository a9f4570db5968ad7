"""``tf.config.experimental``: re-exports only."""

from scopeflow.graph.devices import (
    enable_tensor_float_32_execution,
    list_physical_devices,
    tensor_float_32_execution_enabled,
)

__all__ = [
    "enable_tensor_float_32_execution",
    "list_physical_devices",
    "tensor_float_32_execution_enabled",
]
