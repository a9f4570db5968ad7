"""Top-level ``tf.*`` names of the misc op family (re-exports only).

Each op family has its own export module so that families can grow independently; the ``tf``
namespace (``compat/v1/__init__.py``) star-imports all of them.

``tf.__version__``/``tf.VERSION`` are the TensorFlow API version scopeflow emulates (1.15.5), not
scopeflow's own version (``scopeflow.__version__``). ``GIT_VERSION`` and ``COMPILER_VERSION``
describe a TensorFlow build, which scopeflow is not: both are ``"unknown"``, TF's value for a
build without that information.
"""

from scopeflow.ops.sparse_ops import (
    IndexedSlices,
    SparseTensor,
    SparseTensorValue,
    sparse_placeholder,
    sparse_tensor_to_dense,
)

__version__ = "1.15.5"
VERSION = __version__
GIT_VERSION = "unknown"
COMPILER_VERSION = "unknown"

__all__: list[str] = [
    "COMPILER_VERSION",
    "GIT_VERSION",
    "IndexedSlices",
    "SparseTensor",
    "SparseTensorValue",
    "VERSION",
    "__version__",
    "sparse_placeholder",
    "sparse_tensor_to_dense",
]
