"""``tf.nn``: re-exports only."""

from scopeflow.compat.v1 import _ns_nn
from scopeflow.compat.v1._ns_nn import *  # noqa: F403

__all__ = [*_ns_nn.__all__]  # noqa: PLE0604

# --- apic: convolution gradients ------------------------------------------------------------------
from scopeflow.ops.api_c_nn_ops import (
    avg_pool1d,
    conv1d_transpose,
    conv2d_backprop_filter,
    conv2d_backprop_input,
    conv_transpose,
    depthwise_conv2d_backprop_filter,
    depthwise_conv2d_backprop_input,
    depthwise_conv2d_native_backprop_filter,
    depthwise_conv2d_native_backprop_input,
    max_pool1d,
    max_pool_with_argmax,
)

__all__ += [
    "avg_pool1d",
    "conv1d_transpose",
    "conv2d_backprop_filter",
    "conv2d_backprop_input",
    "conv_transpose",
    "depthwise_conv2d_backprop_filter",
    "depthwise_conv2d_backprop_input",
    "depthwise_conv2d_native_backprop_filter",
    "depthwise_conv2d_native_backprop_input",
    "max_pool1d",
    "max_pool_with_argmax",
]
# --- end apic ---

# --- slimfix: dilated ops through space-to-batch ----------------------------------------------
from scopeflow.ops.with_space_to_batch import with_space_to_batch  # noqa: E402

__all__ += ["with_space_to_batch"]
# --- end slimfix ---
