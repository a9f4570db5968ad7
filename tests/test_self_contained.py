"""The repository stands alone: no file refers to a path outside it.

A fresh clone has nothing beside it, so code, tests, tools, examples, benchmarks and docs must not
read or point readers at sibling folders (``../shared``), machine-specific locations (the
workspace root, home directories) or a particular TF virtualenv. The TF reference virtualenv is
created where the user chooses by ``tools/setup_tf_oracle.sh``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCANNED = ["src", "tests", "tools", "examples", "benchmarks", "docs", "README.md", "pyproject.toml"]
SKIPPED_DIRS = {"__pycache__", ".hypothesis", ".pytest_cache", ".mypy_cache", ".ruff_cache"}
OUTSIDE = re.compile(
    rb"\.\./shared|\.\./\.\./docs|/work/|/home/[A-Za-z0-9_.-]+|/Users/[A-Za-z0-9_.-]+|/root/"
)
# Absolute paths that are data, not references: where they occur and why they are kept.
ALLOWED = {
    # The training directory TF recorded in the checkpoint_state fixture's `checkpoint` file;
    # tests check that checkpoints resolve after being moved away from it.
    b"/home/ml/tf1_train_run",
    # Sample content of a `checkpoint` file in docs/tf_checkpoint_format.md.
    b"/home/user/train_run",
}


def _files() -> list[Path]:
    out = []
    for entry in SCANNED:
        path = ROOT / entry
        if path.is_file():
            out.append(path)
            continue
        for file in path.rglob("*"):
            if file.is_file() and not SKIPPED_DIRS.intersection(file.relative_to(ROOT).parts):
                out.append(file)
    return [f for f in out if f.resolve() != Path(__file__).resolve()]


def _outside_references(data: bytes) -> list[str]:
    found = []
    for match in OUTSIDE.finditer(data):
        if not any(data.startswith(allowed, match.start()) for allowed in ALLOWED):
            line = data[: match.start()].count(b"\n") + 1
            found.append(f"line {line}: {match.group().decode(errors='replace')}")
    return found


def test_no_file_refers_outside_the_repository():
    offenders = {}
    for file in _files():
        found = _outside_references(file.read_bytes())
        if found:
            offenders[str(file.relative_to(ROOT))] = found
    assert offenders == {}


@pytest.mark.parametrize(
    "text",
    [b"see ../shared/docs/x.md", b"/work/tfenv/bin/python", b"open('/home/alice/data')",
     b"/Users/bob/ckpt", b"/root/.cache/x", b"../../docs/tf_checkpoint_format.md"],
)  # fmt: skip
def test_outside_references_are_detected(text):
    assert _outside_references(text)


def test_allowed_fixture_path_is_not_reported():
    assert not _outside_references(b'model_checkpoint_path: "/home/ml/tf1_train_run/model.ckpt-30"')
