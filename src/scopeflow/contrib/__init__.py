"""``tf.contrib``: TF 1.15's contrib libraries that scopeflow provides, imported on first use.

``tf.contrib.X`` imports the subpackage ``scopeflow.contrib.X`` the first time it is read, so a
contrib library is added by adding its subpackage (this file lists none of them). Any other
``tf.contrib.X`` raises :class:`scopeflow.errors.UnsupportedContribError`, which is also an
``AttributeError`` (``hasattr(tf.contrib, "X")`` is False).

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.

>>> import scopeflow.contrib as contrib
>>> contrib.framework.arg_scope.__name__
'arg_scope'
>>> hasattr(contrib, "no_such_library")
False
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
from types import ModuleType

from scopeflow.errors import UnsupportedContribError


def __getattr__(name: str) -> ModuleType:
    if name.startswith("__"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    if importlib.util.find_spec(f"{__name__}.{name}") is None:
        raise UnsupportedContribError(name)
    module = importlib.import_module(f"{__name__}.{name}")
    globals()[name] = module
    return module


def __dir__() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))


__all__: list[str] = []
