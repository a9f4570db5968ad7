"""``tf.contrib.slim.regularizers``: the contrib regularizers module. Re-exports only.

TF 1.15's ``slim`` star-imports ``tensorflow.contrib.layers.python.layers``, whose submodule
``regularizers`` thereby becomes ``slim.regularizers``.
"""

from scopeflow.contrib.layers._regularizers import *  # noqa: F403
from scopeflow.contrib.layers._regularizers import __all__ as _names

__all__ = list(_names)
