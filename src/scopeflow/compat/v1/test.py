"""``tf.test``: the device queries (re-exports only)."""

from scopeflow.graph.devices import gpu_device_name, is_built_with_cuda, is_gpu_available

__all__ = ["gpu_device_name", "is_built_with_cuda", "is_gpu_available"]
