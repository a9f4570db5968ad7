"""The ``horovod`` package as a script run by ``scopeflow run`` sees it.

Only ``horovod.tensorflow`` (the TF1 API) exists; see ``scopeflow.distributed._horovod``.
"""

__version__ = "0.28.1"

__all__ = ["__version__"]
