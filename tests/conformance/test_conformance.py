"""Run every conformance case with scopeflow and compare with TensorFlow's recorded output.

Golden files come from ``tools/record_tf_golden.py`` (see its docstring for the command).
"""

from __future__ import annotations

import difflib
import importlib.util
import json
import sys
from pathlib import Path

import pytest


def _load_harness():
    path = Path(__file__).parent / "harness.py"
    spec = importlib.util.spec_from_file_location("_conformance_harness", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


harness = _load_harness()
MODULES = harness.load_case_modules()
CASES = {topic: dict(harness.iter_cases(module)) for topic, module in MODULES.items()}
GOLDEN = {
    path.stem: json.loads(path.read_text(encoding="utf-8"))
    for path in sorted(harness.GOLDEN_DIR.glob("*.json"))
}
PARAMS = [
    pytest.param(topic, name, expected, id=f"{topic}::{name}")
    for topic, cases in GOLDEN.items()
    for name, expected in cases.items()
]


@pytest.fixture(scope="module")
def tf():
    import scopeflow.compat.v1 as tf_module

    return tf_module


@pytest.mark.parametrize(("topic", "name", "expected"), PARAMS)
def test_case_matches_tensorflow(tf, topic, name, expected):
    fn = CASES.get(topic, {}).get(name)
    assert fn is not None, f"golden entry {topic}::{name} has no case function"
    actual = harness.run_case(tf, fn)
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                actual.splitlines(keepends=True),
                fromfile="tensorflow",
                tofile="scopeflow",
            )
        )
        pytest.fail(f"{topic}::{name} differs from TensorFlow:\n{diff}", pytrace=False)


def test_every_case_has_a_golden_entry():
    recorded = {(topic, name) for topic, cases in GOLDEN.items() for name in cases}
    defined = {(topic, name) for topic, cases in CASES.items() for name in cases}
    assert sorted(defined - recorded) == [], "cases without golden output: record them"
    assert sorted(recorded - defined) == [], "golden entries without a case: re-record"
