"""TF1's ``tf.layers`` library: the ``Layer`` base and TF's layers, built from ``ops``.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from scopeflow.layers._base import InputSpec, Layer
from scopeflow.layers.core import Dense, Dropout, Flatten, dense, dropout, flatten

__all__ = ["Dense", "Dropout", "Flatten", "InputSpec", "Layer", "dense", "dropout", "flatten"]
