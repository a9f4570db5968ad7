"""``tf.sparse``: re-exports only."""

# --- featcol: sparse reshaping, crosses and segment reductions ---
from scopeflow.ops.hash_ops import sparse_cross as cross
from scopeflow.ops.hash_ops import sparse_cross_hashed as cross_hashed
from scopeflow.ops.segment_ops import sparse_segment_mean as segment_mean
from scopeflow.ops.segment_ops import sparse_segment_sqrt_n as segment_sqrt_n
from scopeflow.ops.segment_ops import sparse_segment_sum as segment_sum
from scopeflow.ops.sparse_math_ops import sparse_tensor_dense_matmul as matmul
from scopeflow.ops.sparse_math_ops import sparse_tensor_dense_matmul as sparse_dense_matmul
from scopeflow.ops.sparse_ops import SparseTensor
from scopeflow.ops.sparse_ops import sparse_placeholder as placeholder
from scopeflow.ops.sparse_ops import sparse_tensor_to_dense as to_dense
from scopeflow.ops.sparse_reshape_ops import sparse_fill_empty_rows as fill_empty_rows
from scopeflow.ops.sparse_reshape_ops import sparse_reorder as reorder
from scopeflow.ops.sparse_reshape_ops import sparse_reshape as reshape
from scopeflow.ops.sparse_reshape_ops import sparse_retain as retain

__all__ = [
    "SparseTensor",
    "cross",
    "cross_hashed",
    "fill_empty_rows",
    "matmul",
    "sparse_dense_matmul",
    "placeholder",
    "reorder",
    "reshape",
    "retain",
    "segment_mean",
    "segment_sqrt_n",
    "segment_sum",
    "to_dense",
]

# --- apic: sparse add and concat ------------------------------------------------------------------
from scopeflow.ops.api_c_sparse_ops import eye
from scopeflow.ops.api_c_sparse_ops import sparse_add as add
from scopeflow.ops.api_c_sparse_ops import sparse_concat as concat
from scopeflow.ops.api_c_sparse_ops import sparse_maximum as maximum
from scopeflow.ops.api_c_sparse_ops import sparse_minimum as minimum
from scopeflow.ops.api_c_sparse_ops import sparse_softmax as softmax

__all__ += ["add", "concat", "eye", "maximum", "minimum", "softmax"]
# --- end apic ---
