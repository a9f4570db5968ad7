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
# --- apib: sparse reductions ---------------------------------------------------------------------
from scopeflow.ops.sparse_compose_ops import from_dense
from scopeflow.ops.sparse_compose_ops import sparse_transpose as transpose
from scopeflow.ops.sparse_reduce_ops import sparse_reduce_max as reduce_max
from scopeflow.ops.sparse_reduce_ops import (
    sparse_reduce_max_sparse as reduce_max_sparse,
)
from scopeflow.ops.sparse_reduce_ops import sparse_reduce_sum as reduce_sum
from scopeflow.ops.sparse_reduce_ops import (
    sparse_reduce_sum_sparse as reduce_sum_sparse,
)

__all__ += [
    "from_dense",
    "reduce_max",
    "reduce_max_sparse",
    "reduce_sum",
    "reduce_sum_sparse",
    "transpose",
]
# --- end apib ---

# --- apic: sparse add and concat ------------------------------------------------------------------
from scopeflow.ops.api_c_sparse_ops import eye  # noqa: E402
from scopeflow.ops.api_c_sparse_ops import sparse_add as add  # noqa: E402
from scopeflow.ops.api_c_sparse_ops import sparse_concat as concat  # noqa: E402
from scopeflow.ops.api_c_sparse_ops import sparse_maximum as maximum  # noqa: E402
from scopeflow.ops.api_c_sparse_ops import sparse_minimum as minimum  # noqa: E402
from scopeflow.ops.api_c_sparse_ops import sparse_softmax as softmax  # noqa: E402

__all__ += ["add", "concat", "eye", "maximum", "minimum", "softmax"]
# --- end apic ---

# --- sparse shape composites: reset_shape, expand_dims, mask --------------------------------------
from scopeflow.ops.sparse_shape_compose_ops import sparse_expand_dims as expand_dims  # noqa: E402
from scopeflow.ops.sparse_shape_compose_ops import sparse_mask as mask  # noqa: E402
from scopeflow.ops.sparse_shape_compose_ops import sparse_reset_shape as reset_shape  # noqa: E402

__all__ += ["expand_dims", "mask", "reset_shape"]
# --- end sparse shape composites ---

# --- SparseSplit / SparseSlice ---
from scopeflow.ops.sparse_split_slice_ops import sparse_slice as slice  # noqa: E402
from scopeflow.ops.sparse_split_slice_ops import sparse_split as split  # noqa: E402

__all__ += ["slice", "split"]
# --- end SparseSplit / SparseSlice ---

# --- SparseMerge / SparseToIndicator ---
from scopeflow.ops.sparse_merge_ops import sparse_merge as merge  # noqa: E402
from scopeflow.ops.sparse_merge_ops import sparse_to_indicator as to_indicator  # noqa: E402

__all__ += ["merge", "to_indicator"]
# --- end SparseMerge / SparseToIndicator ---
