"""``tf.saved_model.utils``. Re-exports only."""

from scopeflow.saved_model.tensor_info import build_tensor_info, get_tensor_from_tensor_info

__all__ = ["build_tensor_info", "get_tensor_from_tensor_info"]
