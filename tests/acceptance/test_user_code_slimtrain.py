"""TF-Slim's ``train_image_classifier.py`` and ``eval_image_classifier.py`` end to end on scopeflow.

The programs of tensorflow/models ``slim/`` as of Feb 2017 (TF 0.12 API) are read at test time
from ``$SCOPEFLOW_USER_CODE/pnpnpn+models/slim`` (skipped when absent) and run through
``python -m scopeflow run`` by the driver ``user_code_slimtrain.py`` (its docstring lists the
TF 0.12 -> 1.x names and the two Python 2 -> 3 rewrites it applies to both libraries): a
synthetic MNIST split written with the repo's own conversion code (and a CIFAR-10 one written with
its ``image_to_tfexample``), 3 training steps of LeNet on MNIST and of CifarNet on CIFAR-10 with
the repo's ``model_deploy`` and ``slim.learning.train``, then 2 evaluation batches of each
checkpoint with ``slim.evaluation.evaluate_once``.

Compared with TensorFlow's run of the same steps (``tools/record_user_code_slimtrain.py``,
``golden/user_code_slimtrain/run.json``): the checkpoint's variables (names and shapes) and its
step; the train op's name, the merged summary op and each summary it merges (op name, type,
tag); the LOSSES collection and UPDATE_OPS count; the steps ``slim.learning`` logged a loss for;
the eval metric summaries written and printed. Loss and metric values are not compared: the
weights start from unseeded initializers and the reader shuffles (the programs set no seed), so
TF's own runs differ from each other; they must be finite (losses) and in [0, 1] (metrics).
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import user_code_slimtrain as uc

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).parent / "golden" / "user_code_slimtrain" / "run.json"


def _step(step: str, model: str, slim_dir: Path, work: Path) -> tuple[dict[str, Any], str]:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "scopeflow",
            "run",
            uc.__file__,
            step,
            model,
            str(slim_dir),
            str(work),
        ],
        cwd=work,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")]
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-6000:]
    assert lines, proc.stdout[-3000:]
    return json.loads(lines[-1][len("RESULT ") :]), proc.stderr


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(slim dir, work dir holding ``data/``: the synthetic MNIST and CIFAR-10 splits)."""
    slim_dir = uc.sources(os.environ.get("SCOPEFLOW_USER_CODE"))
    if slim_dir is None:
        pytest.skip(f"set SCOPEFLOW_USER_CODE to a directory holding {uc.REPO}/slim/")
    work = tmp_path_factory.mktemp("slimtrain")
    data, _ = _step("data", "-", slim_dir, work)
    assert data["files"] == WANT["data"]["files"]
    return slim_dir, work


WANT = json.loads(GOLDEN.read_text(encoding="utf-8"))


@pytest.mark.slow
@pytest.mark.parametrize("model", list(uc.MODELS))
def test_train_then_eval_image_classifier_match_tf(dataset: tuple[Path, Path], model: str) -> None:
    slim_dir, work = dataset
    want = WANT[model]
    train, log = _step("train", model, slim_dir, work)
    want_train = want["train"]
    assert train["status"] == 0
    for key in ("train_op", "summary_op", "summaries", "losses", "update_ops", "checkpoint"):
        assert train[key] == want_train[key], key
    assert train["variables"] == want_train["variables"]
    logged = uc.logged_losses(log)
    assert [s for s, _ in logged] == [s for s, _ in want_train["logged_losses"]]
    assert all(math.isfinite(float(v)) for _, v in logged), logged

    evaluation, log = _step("eval", model, slim_dir, work)
    want_eval = want["eval"]
    assert evaluation["status"] == 0
    assert sorted(evaluation["summaries"]) == sorted(want_eval["summaries"])
    assert all(0.0 <= v <= 1.0 for v in evaluation["summaries"].values())
    assert sorted(set(uc.PRINT_LINE.findall(log))) == want_eval["printed"]
