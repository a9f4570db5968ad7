"""scopeflow's Estimator resumes a model_dir that TF 1.15's Estimator wrote.

The fixture and the numbers TF's Estimator reported for it come from
``tools/record_estimator_model_dir.py`` (TF 1.15's estimator source on TF 2.21).
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

import scopeflow.compat.v1 as tf

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import tf_model  # noqa: E402

FIXTURES = HERE / "fixtures"
RECORD = json.loads((FIXTURES / "tf115_model_dir.json").read_text(encoding="utf-8"))


@pytest.fixture
def model_dir(tmp_path):
    target = tmp_path / "model"
    shutil.copytree(FIXTURES / "tf115_model_dir", target)
    return target


def _close(got, want):
    assert sorted(got) == sorted(want)
    for key, value in want.items():
        assert got[key] == pytest.approx(value, abs=2e-5), key


def test_resumes_evaluates_and_predicts_like_tf(model_dir):
    est = tf_model.estimator(tf, str(model_dir))
    assert est.get_variable_names() == RECORD["variable_names"]
    assert Path(est.latest_checkpoint()).name == "model.ckpt-5"
    _close(tf_model.rounded(est.evaluate(tf_model.input_fn(tf))), RECORD["evaluate"])
    preds = [float(p["pred"][0]) for p in est.predict(tf_model.input_fn(tf, labels=False))]
    np.testing.assert_allclose(preds, RECORD["predict"], atol=2e-5)


def test_continues_training_from_tf_checkpoint(model_dir):
    est = tf_model.estimator(tf, str(model_dir))
    est.train(tf_model.input_fn(tf, num_epochs=None), steps=3)
    assert est.get_variable_value("global_step") == 8
    _close(
        tf_model.rounded(est.evaluate(tf_model.input_fn(tf))),
        RECORD["evaluate_after_3_more_steps"],
    )
