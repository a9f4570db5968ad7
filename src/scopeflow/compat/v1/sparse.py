"""``tf.sparse``: re-exports only."""

from scopeflow.ops.sparse_ops import SparseTensor
from scopeflow.ops.sparse_ops import sparse_placeholder as placeholder
from scopeflow.ops.sparse_ops import sparse_tensor_to_dense as to_dense

__all__ = ["SparseTensor", "placeholder", "to_dense"]
