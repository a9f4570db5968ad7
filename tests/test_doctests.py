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

import pytest

import scopeflow
import scopeflow.compat.v1 as tf

MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(scopeflow.__path__, "scopeflow.")
    if not m.name.endswith("__main__")
)


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
