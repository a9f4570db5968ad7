"""A TF1 MonitoredTrainingSession script run unmodified by ``scopeflow run`` prints what TF printed.

The script is ``tests/train/scripts/mts_train.py`` (flags, tf.data, MonitoredTrainingSession
with StopAtStepHook, NanTensorHook, LoggingTensorHook and a custom hook; trained twice so the
second run resumes from the checkpoint). TensorFlow's output was recorded by
``tools/record_monitored_script.py`` into ``tests/train/golden/mts_train_script.txt``.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tests" / "train" / "scripts" / "mts_train.py"
GOLDEN = ROOT / "tests" / "train" / "golden" / "mts_train_script.txt"


def _recorder():
    path = ROOT / "tools" / "record_monitored_script.py"
    spec = importlib.util.spec_from_file_location("_record_monitored_script", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_monitored_training_script_matches_tensorflow(tmp_path):
    model_dir = str(tmp_path / "model")
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    out = subprocess.run(
        [sys.executable, "-m", "scopeflow", "run", str(SCRIPT), f"--model_dir={model_dir}"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=env,
        cwd=tmp_path,
    )
    assert out.returncode == 0, out.stderr
    actual = _recorder().normalized(out.stdout, out.stderr, model_dir)
    assert actual == GOLDEN.read_text(encoding="utf-8")
