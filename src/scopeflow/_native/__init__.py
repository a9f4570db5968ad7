"""Small C loops compiled at run time with the machine's C compiler (``compiled_library``).

``PARALLEL_SOURCE`` is a work-sharing loop (``sf_parallel``) such loops can split over threads.

Must not import torch, NumPy or any other scopeflow package (pure standard library).
"""

from scopeflow._native._compile import compiled_library
from scopeflow._native._parallel import PARALLEL_FLAGS, PARALLEL_SOURCE

__all__ = ["PARALLEL_FLAGS", "PARALLEL_SOURCE", "compiled_library"]
