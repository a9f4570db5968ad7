"""scopeflow: TensorFlow 1's graph and variable-sharing system on PyTorch.

Use it as TF1's ``tf`` namespace: ``import scopeflow.compat.v1 as tf``.
"""

from importlib.metadata import PackageNotFoundError, version

from scopeflow._openmp_env import apply_openmp_defaults, protect_forked_children

apply_openmp_defaults()  # before any subpackage imports torch (see _openmp_env)
protect_forked_children()  # a forked child runs torch on one thread (see _openmp_env)

from scopeflow import compat, errors  # noqa: E402
from scopeflow._core.explain import explain  # noqa: E402

try:
    __version__ = version("scopeflow")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0"


def __getattr__(name: str) -> object:
    # ``scopeflow.torch`` (the torch bridge) is imported on first use only.
    if name == "torch":
        import importlib  # noqa: PLC0415

        return importlib.import_module("scopeflow.torch")
    raise AttributeError(f"module 'scopeflow' has no attribute {name!r}")


__all__ = ["__version__", "compat", "errors", "explain"]
