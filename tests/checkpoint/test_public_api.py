"""Snapshot of the public surface, and the layering rule (numpy only, no torch/TF/scopeflow)."""

from __future__ import annotations

import ast
from pathlib import Path

import scopeflow.checkpoint

PACKAGE = Path(__file__).parents[2] / "src" / "scopeflow" / "checkpoint"
ALLOWED_THIRD_PARTY = {"numpy", "ml_dtypes", "crc32c", "cramjam"}


def test_public_surface_snapshot() -> None:
    assert sorted(scopeflow.checkpoint.__all__) == [
        "BundleReader",
        "BundleWriteError",
        "BundleWriter",
        "CheckpointError",
        "CheckpointNotFoundError",
        "CheckpointState",
        "DataLossError",
        "TensorNotFoundError",
        "UnsupportedCheckpointError",
        "checkpoint_exists",
        "get_checkpoint_state",
        "latest_checkpoint",
        "update_checkpoint_state",
    ]


def test_error_classes_subclass_the_builtins_tf_raises() -> None:
    cp = scopeflow.checkpoint
    assert issubclass(cp.DataLossError, ValueError)
    assert issubclass(cp.UnsupportedCheckpointError, ValueError)
    assert issubclass(cp.BundleWriteError, ValueError)
    assert issubclass(cp.CheckpointNotFoundError, FileNotFoundError)
    assert issubclass(cp.TensorNotFoundError, KeyError)
    for name in scopeflow.checkpoint.__all__:
        obj = getattr(cp, name)
        if isinstance(obj, type) and issubclass(obj, Exception):
            assert issubclass(obj, cp.CheckpointError)


def test_checkpoint_layer_imports_only_numpy_and_its_declared_helpers() -> None:
    modules = sorted(PACKAGE.glob("*.py"))
    assert len(modules) > 10
    for module in modules:
        tree = ast.parse(module.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top == "scopeflow":
                    assert name.startswith("scopeflow.checkpoint") or name == "scopeflow.errors"
                else:
                    assert top in ALLOWED_THIRD_PARTY or _is_stdlib(top), f"{module.name}: {name}"


def _is_stdlib(name: str) -> bool:
    import sys

    return name in sys.stdlib_module_names or name == "__future__"
