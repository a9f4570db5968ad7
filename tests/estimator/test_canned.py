"""Canned linear estimators against TF 1.15's (recorded by ``tools/record_canned_estimators.py``).

The same program (``canned_model.py``) trains ``LinearRegressor`` and ``LinearClassifier``
with the optimizers ``'Ftrl'``, ``'SGD'`` and the default (``None``) for 5 steps, then
evaluates and predicts; metric dicts, predictions and every checkpoint variable (TF's names,
including the ``part_0`` FTRL slots) must match TF 1.15's.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

import scopeflow.compat.v1 as tf

HERE = Path(__file__).parent
GOLDEN = json.loads((HERE / "fixtures" / "canned_linear.json").read_text(encoding="utf-8"))
sys.path.insert(0, str(HERE))
import canned_model  # noqa: E402


@pytest.fixture(scope="module")
def results() -> dict:
    return canned_model.run(tf, tf.estimator)


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
def test_canned_linear_matches_tf115(results: dict, run: str) -> None:
    _close(GOLDEN[run], results[run], run)


def test_label_vocabulary_must_be_a_list() -> None:
    cols = [tf.feature_column.numeric_column("x")]
    with pytest.raises(TypeError, match="label_vocabulary should be a list or tuple"):
        tf.estimator.LinearClassifier(cols, label_vocabulary="ab")
    with pytest.raises(ValueError, match="label_vocabulary should be a list or a tuple"):
        tf.estimator.LinearClassifier(cols, n_classes=3, label_vocabulary="abc")
