"""Runs every ``>>>`` example in the package's docstrings, each in a fresh default graph.

Modules are imported under their canonical names (``scopeflow.ops.nn_ops``): collecting them by
file path would import each module a second time under another name and register its kernels
twice.
"""

from __future__ import annotations

import builtins
import doctest
import importlib
import pkgutil
from pathlib import Path

import pytest

import scopeflow
import scopeflow.compat.v1 as tf

MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(scopeflow.__path__, "scopeflow.")
    if not m.name.endswith("__main__")
)


def test_every_module_is_collected() -> None:
    """A folder without ``__init__.py`` is a namespace package, which ``walk_packages`` skips."""
    root = Path(scopeflow.__file__).parent
    parts = (p.relative_to(root).with_suffix("").parts for p in root.rglob("*.py"))
    on_disk = {
        ".".join(("scopeflow", *part)).removesuffix(".__init__")
        for part in parts
        if part[-1] != "__main__"
    }
    assert sorted(on_disk - {*MODULES, "scopeflow"}) == []


@pytest.mark.parametrize("module_name", MODULES)
def test_docstring_examples(module_name: str) -> None:
    module = importlib.import_module(module_name)
    tests = [t for t in doctest.DocTestFinder().find(module, module_name) if t.examples]
    if not tests:
        pytest.skip("no examples")
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for test in tests:
        tf.reset_default_graph()
        # The tf namespace exports tf.print; examples mean Python's print.
        test.globs["print"] = builtins.print
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} doctest example(s) failed in {module_name}"
