"""``tf.contrib.nccl`` (TF before 1.13): ``scopeflow.ops.nccl_ops``'s all-reduce functions."""

from scopeflow.ops.nccl_ops import all_max, all_min, all_prod, all_sum

__all__ = ["all_max", "all_min", "all_prod", "all_sum"]
