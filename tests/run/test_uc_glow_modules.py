"""Module paths openai/glow and NVlabs/stylegan import (``scopeflow run``'s ``_modules``)."""

from __future__ import annotations

from scopeflow.contrib.framework import add_arg_scope, arg_scope
from scopeflow.run import _modules


def test_framework_ops_package_attribute_is_the_arg_scope_function() -> None:
    """TF 1.15's ``contrib/framework/python/ops/__init__.py`` star-imports ``arg_scope.py``,
    so the package's ``arg_scope`` is the context manager (glow's ``tfops.py`` imports it
    from there); the submodule itself stays importable by its full path."""
    ops = _modules.import_tf_module("tensorflow.contrib.framework.python.ops")
    assert ops.arg_scope is arg_scope
    assert ops.add_arg_scope is add_arg_scope
    module = _modules.import_tf_module("tensorflow.contrib.framework.python.ops.arg_scope")
    assert module.arg_scope is arg_scope
    assert module.add_arg_scope is add_arg_scope
