"""``slim.nets.resnet_v1``: ResNet v1 (TF 1.15's variable names and end points). Re-exports only."""

from scopeflow.contrib.slim.nets._resnet import (
    bottleneck_v1 as bottleneck,
)
from scopeflow.contrib.slim.nets._resnet import (
    resnet_arg_scope,
    resnet_v1,
    resnet_v1_50,
    resnet_v1_101,
    resnet_v1_152,
    resnet_v1_200,
    resnet_v1_block,
)

__all__ = [
    "bottleneck",
    "resnet_arg_scope",
    "resnet_v1",
    "resnet_v1_50",
    "resnet_v1_101",
    "resnet_v1_152",
    "resnet_v1_200",
    "resnet_v1_block",
]
