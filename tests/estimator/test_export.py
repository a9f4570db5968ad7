"""Estimator SavedModel export against TF 1.15's (recorded by ``tools/record_estimator_export.py``).

The same program (``export_model.py``) exports a custom ``model_fn`` (three export outputs, a
vocabulary-file asset, ``assets_extra``, ``as_text``, an older checkpoint, receiver
alternatives, TRAIN/EVAL/PREDICT meta graphs) and the canned linear estimators, and runs
``train_and_evaluate`` with ``FinalExporter``/``LatestExporter``/``BestExporter``. Signature
defs (keys, method names, tensor names, dtypes, shapes), tags, main/train ops, asset and file
layout, saved variables and what each signature serves after loading must match TF 1.15's.

Known difference, spelled out below: TF's canned graphs also carry a ``cond_context``
collection.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import scopeflow.compat.v1 as tf
from scopeflow.saved_model.loader import parse_saved_model

HERE = Path(__file__).parent
GOLDEN = json.loads((HERE / "fixtures" / "estimator_export.json").read_text(encoding="utf-8"))
sys.path.insert(0, str(HERE))
import export_model  # noqa: E402

_COLLECTIONS_ONLY_IN_TF = {"cond_context"}


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    with tf.Graph().as_default():
        return export_model.run(
            tf, tf.estimator, parse_saved_model, str(tmp_path_factory.mktemp("export"))
        )


def _normalize(x: Any) -> Any:
    if isinstance(x, dict):
        return {k: _normalize(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_normalize(v) for v in x]
    return x


def _close(a: Any, b: Any, path: str) -> None:
    if isinstance(a, dict):
        assert isinstance(b, dict), path
        assert sorted(a) == sorted(b), f"{path}: keys {sorted(b)} != TF's {sorted(a)}"
        for k in a:
            _close(a[k], b[k], f"{path}/{k}")
    elif isinstance(a, list) and a and not _numeric(a):
        assert a == b, f"{path}: {b} != TF's {a}"
    elif isinstance(a, (list, float)) and not isinstance(a, bool):
        np.testing.assert_allclose(
            np.asarray(b, float), np.asarray(a, float), rtol=2e-4, atol=2e-5, err_msg=path
        )
    else:
        assert a == b, f"{path}: {b} != TF's {a}"


def _numeric(a: list[Any]) -> bool:
    flat = a
    while flat and isinstance(flat[0], list):
        flat = [x for sub in flat for x in sub]
    return all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in flat)


def _without_tf_only_collections(case: dict[str, Any]) -> dict[str, Any]:
    case = json.loads(json.dumps(case))
    for meta in case["meta_graphs"].values():
        meta["collections"] = [c for c in meta["collections"] if c not in _COLLECTIONS_ONLY_IN_TF]
    return case


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(k for k in GOLDEN if k != "exporters"))
def test_export_matches_tf115(results: dict[str, Any], case: str) -> None:
    theirs = _without_tf_only_collections(GOLDEN[case])
    _close(theirs, _normalize(results[case]), case)


@pytest.mark.slow
def test_exporters_match_tf115(results: dict[str, Any]) -> None:
    theirs, ours = GOLDEN["exporters"], results["exporters"]
    assert ours["results"] == theirs["results"]
    assert ours["kept"] == theirs["kept"]
    _close(theirs["final"], ours["final"], "exporters/final")


def test_canned_linear_logits_have_tfs_name(results: dict[str, Any]) -> None:
    """TF's ``linear_logit_fn`` builds ``_LinearModel`` itself: no ``linear_model_1`` scope."""
    sig = results["canned/LinearRegressor"]["meta_graphs"]["serve"]["signatures"]
    assert sig["predict"]["outputs"]["predictions"][0].startswith(
        "linear/linear_model/linear_model/weighted_sum"
    )


def test_tf_loads_scopeflow_exports() -> None:
    """``tools/tf_verify_estimator_export.py``: TF 2.21 loads and serves scopeflow's exports.

    The train/eval meta graphs hold scopeflow's gradient op, which TF cannot load (KNOWN lines).
    """
    report = (HERE / "fixtures" / "tf_verification.txt").read_text(encoding="utf-8").splitlines()
    assert report[-1].startswith("ALL PASS"), report
    assert all(line.startswith(("PASS", "KNOWN")) for line in report[:-1]), report
    assert all("[serve]" not in line for line in report if line.startswith("KNOWN")), report
