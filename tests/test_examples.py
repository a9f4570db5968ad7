"""Run each seed example with scopeflow and compare its stdout with TensorFlow's recorded output.

Golden output comes from ``tools/record_tf_golden.py`` (see its docstring for the command).
"""

from __future__ import annotations

import difflib
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
GOLDEN = EXAMPLES / "golden"
SEEDS = sorted([*EXAMPLES.glob("seed_*.py"), *EXAMPLES.glob("tf1_*.py")])


@pytest.mark.slow
@pytest.mark.parametrize("example", [pytest.param(p, id=p.stem) for p in SEEDS])
def test_example_prints_what_tensorflow_prints(example):
    expected = (GOLDEN / f"{example.stem}.txt").read_text(encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, str(example)],
        capture_output=True,
        text=True,
        cwd=EXAMPLES,
        check=False,
        timeout=600,
    )
    assert proc.returncode == 0, f"{example.name} failed:\n{proc.stderr}"
    if proc.stdout != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                proc.stdout.splitlines(keepends=True),
                fromfile="tensorflow",
                tofile="scopeflow",
            )
        )
        pytest.fail(f"{example.name} differs from TensorFlow:\n{diff}", pytrace=False)


def test_every_example_has_golden_output():
    recorded = sorted(p.stem for p in GOLDEN.glob("*.txt"))
    assert recorded == [p.stem for p in SEEDS]


def test_examples_import_scopeflow_once():
    for example in SEEDS:
        lines = example.read_text(encoding="utf-8").splitlines()
        assert lines.count("import scopeflow.compat.v1 as tf") == 1, example.name
