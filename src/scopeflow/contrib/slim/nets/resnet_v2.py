"""``slim.nets.resnet_v2``: ResNet v2 (TF 1.15's variable names and end points). Re-exports only."""

from scopeflow.contrib.slim.nets._resnet import (
    bottleneck_v2 as bottleneck,
)
from scopeflow.contrib.slim.nets._resnet import (
    resnet_arg_scope,
    resnet_v2,
    resnet_v2_50,
    resnet_v2_101,
    resnet_v2_152,
    resnet_v2_200,
    resnet_v2_block,
)

__all__ = [
    "bottleneck",
    "resnet_arg_scope",
    "resnet_v2",
    "resnet_v2_50",
    "resnet_v2_101",
    "resnet_v2_152",
    "resnet_v2_200",
    "resnet_v2_block",
]
