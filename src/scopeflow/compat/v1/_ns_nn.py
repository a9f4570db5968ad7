"""``tf.nn.*`` names of the nn op family (re-exports only); ``compat/v1/nn.py`` star-imports it."""

# --- recurrent networks (scopeflow.rnn) ---
from scopeflow.compat.v1 import _nn_rnn_cell as rnn_cell
from scopeflow.compat.v1 import _ns_nn_extra
from scopeflow.compat.v1._ns_nn_extra import *  # noqa: F403
from scopeflow.ops.nn_ops import (
    atrous_conv2d,
    avg_pool,
    avg_pool2d,
    avg_pool3d,
    batch_normalization,
    bias_add,
    conv1d,
    conv2d,
    conv2d_transpose,
    conv3d,
    conv3d_transpose,
    convolution,
    crelu,
    depthwise_conv2d,
    depthwise_conv2d_native,
    dropout,
    elu,
    embedding_lookup,
    fused_batch_norm,
    in_top_k,
    l2_loss,
    l2_normalize,
    leaky_relu,
    log_softmax,
    max_pool,
    max_pool2d,
    max_pool3d,
    moments,
    pool,
    relu,
    relu6,
    selu,
    separable_conv2d,
    sigmoid_cross_entropy_with_logits,
    softmax,
    softmax_cross_entropy_with_logits,
    softmax_cross_entropy_with_logits_v2,
    softplus,
    softsign,
    sparse_softmax_cross_entropy_with_logits,
    top_k,
    weighted_cross_entropy_with_logits,
    weighted_moments,
    xw_plus_b,
)
from scopeflow.ops.sort_ops import zero_fraction

# --- end recurrent networks ---
from scopeflow.ops.unary_ops import sigmoid, tanh
from scopeflow.rnn import (
    bidirectional_dynamic_rnn,
    dynamic_rnn,
    raw_rnn,
    static_bidirectional_rnn,
    static_rnn,
    static_state_saving_rnn,
)

__all__ = [  # noqa: PLE0604
    *_ns_nn_extra.__all__,
    "bidirectional_dynamic_rnn",
    "dynamic_rnn",
    "raw_rnn",
    "rnn_cell",
    "static_bidirectional_rnn",
    "static_rnn",
    "static_state_saving_rnn",
    "zero_fraction",
    "atrous_conv2d",
    "avg_pool",
    "avg_pool2d",
    "avg_pool3d",
    "batch_normalization",
    "bias_add",
    "conv1d",
    "conv2d",
    "conv2d_transpose",
    "conv3d",
    "conv3d_transpose",
    "convolution",
    "crelu",
    "depthwise_conv2d",
    "depthwise_conv2d_native",
    "dropout",
    "elu",
    "embedding_lookup",
    "fused_batch_norm",
    "in_top_k",
    "l2_loss",
    "l2_normalize",
    "leaky_relu",
    "log_softmax",
    "max_pool",
    "max_pool2d",
    "max_pool3d",
    "moments",
    "weighted_moments",
    "pool",
    "relu",
    "relu6",
    "selu",
    "separable_conv2d",
    "sigmoid",
    "sigmoid_cross_entropy_with_logits",
    "softmax",
    "softmax_cross_entropy_with_logits",
    "softmax_cross_entropy_with_logits_v2",
    "softplus",
    "softsign",
    "sparse_softmax_cross_entropy_with_logits",
    "tanh",
    "top_k",
    "weighted_cross_entropy_with_logits",
    "xw_plus_b",
]
# --- featcol: embedding lookups of sparse ids ---
from scopeflow.ops.embedding_sparse_ops import (
    embedding_lookup_sparse,
    safe_embedding_lookup_sparse,
)

__all__ += ["embedding_lookup_sparse", "safe_embedding_lookup_sparse"]
# --- apib: tf.nn helpers built from other ops, space/depth re-exports ---------------------------
from scopeflow.ops.lrn_ops import local_response_normalization, lrn  # noqa: E402
from scopeflow.ops.nn_extra2_ops import (  # noqa: E402
    batch_norm_with_global_normalization,
    log_poisson_loss,
    normalize_moments,
    relu_layer,
    sufficient_statistics,
    swish,
)
from scopeflow.ops.space_depth_ops import depth_to_space, space_to_depth  # noqa: E402

__all__ += [
    "batch_norm_with_global_normalization",
    "depth_to_space",
    "local_response_normalization",
    "log_poisson_loss",
    "lrn",
    "normalize_moments",
    "relu_layer",
    "space_to_depth",
    "sufficient_statistics",
    "swish",
]
# --- end apib ---
# --- CTC label helpers ---
from scopeflow.ops.ctc_label_ops import collapse_repeated, ctc_unique_labels  # noqa: E402

__all__ += ["collapse_repeated", "ctc_unique_labels"]
# --- end CTC label helpers ---
# --- grayscale morphology ---
from scopeflow.ops.dilation_ops import dilation2d, erosion2d  # noqa: E402

__all__ += ["dilation2d", "erosion2d"]
# --- end grayscale morphology ---
