"""The layering of DESIGN.md, enforced: each package imports only the layers below it.

Every ``import`` statement in every module is checked (module level and inside functions).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "scopeflow"

# package -> scopeflow packages (and third-party modules) it must not import
FORBIDDEN: dict[str, tuple[str, ...]] = {
    # compiled C loops shared by ops and distributed: standard library only
    "_native": (
        "torch",
        "numpy",
        *(
            f"scopeflow.{p.stem}"
            for p in SRC.iterdir()
            if p.stem != "_native" and not p.name.startswith("__")
        ),
    ),
    "_core": (
        "torch",
        "scopeflow.graph",
        "scopeflow.ops",
        "scopeflow.train",
        "scopeflow.compat",
        "scopeflow.checkpoint",
        "scopeflow.cli",
    ),
    "graph": ("scopeflow.ops", "scopeflow.train", "scopeflow.compat", "scopeflow.cli"),
    "ops": ("scopeflow.train", "scopeflow.compat", "scopeflow.cli"),
    "checkpoint": (
        "torch",
        "scopeflow._core",
        "scopeflow.graph",
        "scopeflow.ops",
        "scopeflow.train",
        "scopeflow.compat",
        "scopeflow.cli",
    ),
    "train": ("scopeflow.compat", "scopeflow.cli"),
    "protos": (
        "torch",
        "scopeflow._core",
        "scopeflow.graph",
        "scopeflow.ops",
        "scopeflow.train",
        "scopeflow.compat",
        "scopeflow.checkpoint",
        "scopeflow.cli",
    ),
    "graph_io": (
        "torch",
        "scopeflow.graph",
        "scopeflow.ops",
        "scopeflow.train",
        "scopeflow.compat",
        "scopeflow.cli",
    ),
    "graph_import": ("scopeflow.compat", "scopeflow.cli"),
    "saved_model": ("scopeflow.compat", "scopeflow.cli"),
    "summary": ("scopeflow.compat", "scopeflow.cli"),
    "metrics": ("torch", "scopeflow.compat", "scopeflow.cli"),
    "layers": ("scopeflow.train", "scopeflow.compat", "scopeflow.cli"),
    "contrib": ("scopeflow.compat", "scopeflow.cli"),
    "losses": ("scopeflow.compat", "scopeflow.cli", "scopeflow.contrib", "scopeflow.train"),
    "rnn": ("scopeflow.compat", "scopeflow.cli"),
    "contrib/rnn": ("scopeflow.compat", "scopeflow.cli"),
    "app": ("torch", "scopeflow.compat", "scopeflow.cli", "scopeflow.run"),
    "run": ("scopeflow.cli",),
    "data": ("scopeflow.compat", "scopeflow.cli", "scopeflow.run"),
    "contrib/seq2seq": ("scopeflow.compat", "scopeflow.cli"),
    "contrib/legacy_seq2seq": ("scopeflow.compat", "scopeflow.cli"),
    "contrib/cudnn_rnn": ("scopeflow.compat", "scopeflow.cli"),
    "contrib/crf": ("scopeflow.compat", "scopeflow.cli"),
    "contrib/factorization": ("scopeflow.compat", "scopeflow.cli"),
    "contrib/tensorboard": ("torch", "scopeflow.compat", "scopeflow.cli", "scopeflow.ops"),
    # slimlearn: contrib.training builds train ops and evaluation loops from ops (was HParams only)
    "contrib/training": ("torch", "numpy", "scopeflow.compat", "scopeflow.cli"),
    "contrib/metrics": ("torch", "scopeflow.compat", "scopeflow.cli"),
    "torch": ("scopeflow.compat", "scopeflow.cli", "scopeflow.run"),
    "estimator": ("scopeflow.compat", "scopeflow.cli"),
    "testing": ("scopeflow.compat", "scopeflow.cli", "scopeflow.run"),
    "distributed": ("scopeflow.compat", "scopeflow.cli", "scopeflow.run"),
    "feature_column": ("scopeflow.compat", "scopeflow.cli", "scopeflow.run", "scopeflow.estimator"),
}


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
            names.extend(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _cases() -> list[object]:
    cases = []
    for package, forbidden in FORBIDDEN.items():
        for path in sorted((SRC / package).rglob("*.py")):
            cases.append(
                pytest.param(path, forbidden, id=str(path.relative_to(SRC)).replace("/", "."))
            )
    return cases


@pytest.mark.parametrize(("path", "forbidden"), _cases())
def test_module_respects_layering(path: Path, forbidden: tuple[str, ...]) -> None:
    bad = [
        name for name in _imports(path) for f in forbidden if name == f or name.startswith(f + ".")
    ]
    assert not bad, f"{path.relative_to(SRC)} imports {sorted(set(bad))} (see DESIGN.md layers)"


def test_compat_modules_only_reexport() -> None:
    """``compat`` modules define no functions or classes beyond trivial TF shims in __init__."""
    for path in sorted((SRC / "compat").rglob("*.py")):
        if path.name == "__init__.py" and path.parent.name == "v1":
            continue  # the tf namespace carries a few one-line TF shims (get_collection, ...)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        defs = [n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))]
        assert not defs, f"{path.relative_to(SRC)} defines {defs}; compat only re-exports"
