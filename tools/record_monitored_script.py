"""Record TF's output of ``tests/train/scripts/mts_train.py`` (MonitoredTrainingSession script).

Regenerate (needs TensorFlow, installed separately; never a scopeflow dependency)::

    TF_USE_LEGACY_KERAS=1 .tf-oracle/bin/python tools/record_monitored_script.py

The script runs unmodified in a temporary directory; its stdout and its ``INFO:tensorflow:``
log lines (the model directory replaced by ``<dir>``, rates by ``T``) are written to
``tests/train/golden/mts_train_script.txt``, which ``tests/train/test_monitored_script.py``
compares with the same script run by ``scopeflow run``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "tests" / "train" / "scripts" / "mts_train.py"
GOLDEN = ROOT / "tests" / "train" / "golden" / "mts_train_script.txt"


def normalized(stdout: str, stderr: str, model_dir: str) -> str:
    """Stdout, then the ``tensorflow`` logger's INFO lines, with run-specific parts replaced."""
    logs = []
    for raw in stderr.splitlines():
        if raw.startswith("INFO:tensorflow:"):
            line = raw.replace(model_dir, "<dir>")
            if "global_step/sec: " in line:
                line = line.split("global_step/sec: ")[0] + "global_step/sec: T"
            logs.append(line)
    return stdout + "--- log ---\n" + "\n".join(logs) + "\n"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        model_dir = str(Path(tmp) / "model")
        env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
        out = subprocess.run(
            [sys.executable, str(SCRIPT), f"--model_dir={model_dir}"],
            capture_output=True,
            text=True,
            check=True,
            env=env,
            cwd=tmp,
        )
        GOLDEN.write_text(normalized(out.stdout, out.stderr, model_dir), encoding="utf-8")
    print(f"wrote {GOLDEN.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
