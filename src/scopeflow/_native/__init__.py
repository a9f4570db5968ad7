"""Small C loops compiled at run time with the machine's C compiler (``compiled_library``).

Must not import torch, NumPy or any other scopeflow package (pure standard library).
"""

from scopeflow._native._compile import compiled_library

__all__ = ["compiled_library"]
