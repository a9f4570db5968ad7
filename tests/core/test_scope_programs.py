"""Random scope programs with injected failures: scopeflow prints what TensorFlow printed.

The programs and TF's output come from ``tools/record_scope_programs.py`` (seeded generator,
``golden/scope_programs.json``). A hypothesis test runs further random programs of the same
grammar on scopeflow alone and checks that every failure leaves the stacks balanced.
"""

from __future__ import annotations

import difflib
import gc
import importlib.util
import json
import random
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import scopeflow.compat.v1 as tf
from scopeflow._core import graph_state

HERE = Path(__file__).resolve().parent


def _load_programs_module():
    spec = importlib.util.spec_from_file_location("_scope_programs", HERE / "scope_programs.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


scope_programs = _load_programs_module()
RECORDED = json.loads((HERE / "golden" / "scope_programs.json").read_text(encoding="utf-8"))
PARAMS = [pytest.param(r["program"], r["output"], id=f"p{i}") for i, r in
          enumerate(RECORDED["records"])]  # fmt: skip


@pytest.mark.parametrize(("program", "expected"), PARAMS)
def test_program_matches_tensorflow(program, expected):
    actual = scope_programs.run(tf, program)
    if actual != expected:
        diff = "\n".join(
            difflib.unified_diff(expected, actual, "tensorflow", "scopeflow", lineterm="")
        )
        pytest.fail(f"program {json.dumps(program)}\n{diff}", pytrace=False)


def test_recording_is_the_seeded_set():
    """The golden file holds exactly what the seeded generator makes (re-record after edits)."""
    programs = [r["program"] for r in RECORDED["records"]]
    assert programs == scope_programs.programs(RECORDED["seed"], len(programs))


def _scope_state():
    g = tf.get_default_graph()
    return (
        g.get_name_scope(),
        tf.get_variable_scope(),
        list(graph_state._default_stack.stack),
        list(g._thread.control_dependencies),
    )


class _CheckingRunner(scope_programs._Runner):
    """Checks, around every statement at every depth, that the scope state is restored."""

    def __init__(self, tf_module):
        super().__init__(tf_module)
        self.violations = []

    def statement(self, st):
        before = _scope_state()
        super().statement(st)  # a guarded statement returns even when it failed
        # Collect now: objects of a failed entry that sit in reference cycles with the
        # exception's traceback must not change the state whenever they are collected.
        gc.collect(0)
        if _scope_state() != before:  # recorded, not raised: an outer guard would catch it
            self.violations.append((st, before, _scope_state()))


@given(st.integers(min_value=0, max_value=2**32 - 1))
@settings(max_examples=80, deadline=None)
def test_stacks_balanced_after_any_failure(seed):
    """Every statement, failing or not, leaves the scope stacks exactly where it found them."""
    rng = random.Random(seed)
    for _ in range(5):
        program = scope_programs.generate(rng, size=8)
        tf.reset_default_graph()
        runner = _CheckingRunner(tf)
        root = _scope_state()
        for statement in program:
            runner.statement([statement[0], True, *statement[2:]])
        assert runner.violations == []
        assert _scope_state() == root
