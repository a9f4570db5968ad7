"""tf-slim's own unit tests (TF 1.15's contrib.slim suite, with TF's exact expected values) pass on
scopeflow unchanged.

Each file of google-research/tf-slim listed in ``tf_slim_suite.FILES`` is read at test time from
``$SCOPEFLOW_USER_CODE/google-research+tf-slim`` (nothing of it is committed), run in a
subprocess through ``python -m scopeflow run`` and its set of passing tests compared with
``golden/tf_slim_suite.json``, which also lists each known failure with its reason. Without the
checkout the tests skip; the scopeflow fixes these files needed have their own always-running
cases (``tests/conformance/cases/slimt_layers.py``). Counts per file: docs/real_code.md,
"tf-slim's own test suite".
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import tf_slim_suite


@pytest.mark.slow
@pytest.mark.parametrize("rel", tf_slim_suite.FILES)
def test_tf_slim_file_passes_as_expected(rel: str, tmp_path: Path) -> None:
    repo = tf_slim_suite.checkout()
    if repo is None:
        pytest.skip(f"set SCOPEFLOW_USER_CODE to a directory holding {tf_slim_suite.REPO}/")
    want = json.loads(tf_slim_suite.GOLDEN.read_text(encoding="utf-8"))[rel]
    results, output = tf_slim_suite.run_file(repo, rel, tmp_path)
    got = tf_slim_suite.expectation(results)
    assert results, f"no test ran:\n{output[-3000:]}"
    newly_failing = sorted(set(want["pass"]) - set(got["pass"]))
    newly_passing = sorted(set(got["pass"]) - set(want["pass"]))
    assert not newly_failing, "tests that passed now fail:\n" + "\n".join(
        f"{n}: {results.get(n, 'did not run')}" for n in newly_failing
    )
    assert not newly_passing, f"tests now pass (update the golden file): {newly_passing}"
    assert sorted(got["fail"]) == sorted(want["fail"])
