"""Top-level ``tf.*`` names of the array op family (re-exports only).

Each op family has its own export module so that families can grow independently; the ``tf``
namespace (``compat/v1/__init__.py``) star-imports all of them. Importing this module also installs
``Tensor.__getitem__`` (``scopeflow.ops.slicing_ops``).
"""

from scopeflow.ops.slicing_ops import newaxis, strided_slice

__all__ = [
    "newaxis",
    "strided_slice",
]
