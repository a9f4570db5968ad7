"""scopeflow: TensorFlow 1's graph and variable-sharing system on PyTorch.

Use it as TF1's ``tf`` namespace: ``import scopeflow.compat.v1 as tf``.
"""

from importlib.metadata import PackageNotFoundError, version

from scopeflow import compat, errors

try:
    __version__ = version("scopeflow")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0"

__all__ = ["__version__", "compat", "errors"]
