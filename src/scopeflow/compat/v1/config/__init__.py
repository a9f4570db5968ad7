"""``tf.config``: physical devices and the TF32 switch (re-exports only)."""

from scopeflow.compat.v1.config import experimental
from scopeflow.graph.devices import PhysicalDevice, list_physical_devices

__all__ = ["PhysicalDevice", "experimental", "list_physical_devices"]
