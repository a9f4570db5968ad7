"""Canned DNN and wide-n-deep estimators against TF 1.15's.

Recorded by ``tools/record_canned_dnn.py`` (TF 1.15's ``tensorflow_estimator`` source on the TF
oracle). The same program (``canned_dnn_model.py``) trains each configuration for 3 seeded
steps, evaluates and predicts: the per-step training losses, metric dicts, predictions, every
checkpoint variable (TF's names, including the ``t_0`` optimizer slots TF's slot naming gives
partitioned layers) and the variable/summary op names in creation order must match TF 1.15's.
Also covers ``weight_column`` and ``label_vocabulary`` of the linear and baseline estimators.
"""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path

import numpy as np
import pytest

import scopeflow.compat.v1 as tf
from scopeflow.estimator.canned._head import RegressionHead

HERE = Path(__file__).parent
GOLDEN = json.loads((HERE / "fixtures" / "canned_dnn.json").read_text(encoding="utf-8"))
sys.path.insert(0, str(HERE))
import canned_dnn_model  # noqa: E402


def _estimators() -> types.SimpleNamespace:
    names = {n for _, n, _, _ in canned_dnn_model.RUNS}
    ns = types.SimpleNamespace(**{n: getattr(tf.estimator, n) for n in names})
    ns.regression_head = RegressionHead
    return ns


def _close(a: object, b: object, path: str) -> None:
    if isinstance(a, dict):
        assert isinstance(b, dict), path
        assert sorted(a) == sorted(b), f"{path}: keys {sorted(b)} != TF's {sorted(a)}"
        for k in a:
            _close(a[k], b[k], f"{path}/{k}")
    elif isinstance(a, list) and a and isinstance(a[0], str):
        assert a == b, path
    else:
        np.testing.assert_allclose(
            np.asarray(b, float), np.asarray(a, float), rtol=2e-4, atol=2e-5, err_msg=path
        )


@pytest.mark.parametrize("run", sorted(GOLDEN))
def test_canned_dnn_matches_tf115(run: str) -> None:
    result = canned_dnn_model.run(tf, _estimators(), only=[run])[run]
    assert result["graph"] == GOLDEN[run]["graph"]
    _close(GOLDEN[run], result, run)
