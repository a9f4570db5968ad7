"""The ``sys.meta_path`` finder that makes ``import tensorflow`` import scopeflow.

Installed only while ``scopeflow run`` executes a script (``tensorflow_import_hook``); it serves
``tensorflow`` and every ``tensorflow.*`` module (see ``_modules``), the ``ALIASES``
(``tf_slim``) and the ``EXTERNAL_MODULES`` (``horovod.tensorflow``). Other imports go to the
normal finders.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.abc
import importlib.machinery
import sys
import types
from collections.abc import Iterator, Sequence

from scopeflow.run._modules import EXTERNAL_MODULES, ROOT, import_tf_module, resolve_alias


def _served(fullname: str) -> bool:
    return (
        fullname == ROOT
        or fullname.startswith(f"{ROOT}.")
        or resolve_alias(fullname) is not None
        or fullname in EXTERNAL_MODULES
    )


class _TFLoader(importlib.abc.Loader):
    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        external = EXTERNAL_MODULES.get(spec.name)
        if external is not None:
            module: types.ModuleType = importlib.import_module(external)
        else:
            module = import_tf_module(resolve_alias(spec.name) or spec.name)
        sys.modules[spec.name] = module
        return module

    def exec_module(self, module: types.ModuleType) -> None:
        """Nothing to execute: the module's names come from scopeflow."""


class TensorFlowFinder(importlib.abc.MetaPathFinder):
    """Finds ``tensorflow[.*]`` (and ``tf_slim``, ``horovod.tensorflow``) as scopeflow modules."""

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None = None,
        target: types.ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        if not _served(fullname):
            return None
        is_package = fullname not in EXTERNAL_MODULES or any(
            k.startswith(f"{fullname}.") for k in EXTERNAL_MODULES
        )
        return importlib.machinery.ModuleSpec(fullname, _TFLoader(), is_package=is_package)


@contextlib.contextmanager
def tensorflow_import_hook() -> Iterator[TensorFlowFinder]:
    """Serves ``import tensorflow`` from scopeflow inside the ``with`` block.

    Modules named ``tensorflow*`` already imported (a real TensorFlow) are hidden for the block
    and restored afterwards; the scopeflow-backed ones are removed.
    """
    hidden = {name: sys.modules.pop(name) for name in list(sys.modules) if _served(name)}
    finder = TensorFlowFinder()
    sys.meta_path.insert(0, finder)
    try:
        yield finder
    finally:
        sys.meta_path.remove(finder)
        for name in [n for n in sys.modules if _served(n)]:
            del sys.modules[name]
        sys.modules.update(hidden)
