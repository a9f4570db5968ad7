"""scopeflow: TensorFlow 1's graph and variable-sharing system on PyTorch.

Use it as TF1's ``tf`` namespace: ``import scopeflow.compat.v1 as tf``.
"""

from importlib.metadata import PackageNotFoundError, version

from scopeflow._openmp_env import apply_openmp_defaults

apply_openmp_defaults()  # before any subpackage imports torch (see _openmp_env)

from scopeflow import compat, errors  # noqa: E402

try:
    __version__ = version("scopeflow")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0"

__all__ = ["__version__", "compat", "errors"]
