"""``slim.nets.resnet_utils``: the ResNets' shared pieces. Re-exports only."""

from scopeflow.contrib.slim.nets._resnet import (
    Block,
    conv2d_same,
    resnet_arg_scope,
    stack_blocks_dense,
    subsample,
)

__all__ = ["Block", "conv2d_same", "resnet_arg_scope", "stack_blocks_dense", "subsample"]
