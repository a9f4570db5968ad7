"""``tf.estimator.inputs``: ``numpy_input_fn`` and ``pandas_input_fn``.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from scopeflow.estimator.inputs.numpy_io import numpy_input_fn
from scopeflow.estimator.inputs.pandas_io import pandas_input_fn

__all__ = ["numpy_input_fn", "pandas_input_fn"]
