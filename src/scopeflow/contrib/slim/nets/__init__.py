"""``tf.contrib.slim.nets``: TF 1.15's model definitions. Re-exports only.

``tf.contrib.slim.nets``: TF 1.15's model definitions (AlexNet, Inception v1-v3, OverFeat,
ResNet v1/v2, VGG) with its variable names, end points and arg scopes. Re-exports only.

>>> import scopeflow.compat.v1 as tf
>>> nets = tf.contrib.slim.nets
>>> net, end_points = nets.resnet_v1.resnet_v1_50(tf.zeros([1, 64, 64, 3]))
>>> print(net.name, net.shape)
resnet_v1_50/pool5:0 (1, 1, 1, 2048)
"""

from scopeflow.contrib.slim.nets import (
    alexnet,
    inception,
    inception_v1,
    inception_v2,
    inception_v3,
    overfeat,
    resnet_utils,
    resnet_v1,
    resnet_v2,
    vgg,
)

__all__ = [
    "alexnet",
    "inception",
    "inception_v1",
    "inception_v2",
    "inception_v3",
    "overfeat",
    "resnet_utils",
    "resnet_v1",
    "resnet_v2",
    "vgg",
]
