"""``tf.contrib.slim.initializers``: the contrib initializers module. Re-exports only.

TF 1.15's ``slim`` star-imports ``tensorflow.contrib.layers.python.layers``, whose submodule
``initializers`` thereby becomes ``slim.initializers`` (facenet writes
``slim.initializers.xavier_initializer()``).
"""

from scopeflow.contrib.layers._initializers import (
    variance_scaling_initializer,
    xavier_initializer,
    xavier_initializer_conv2d,
)

__all__ = ["variance_scaling_initializer", "xavier_initializer", "xavier_initializer_conv2d"]
