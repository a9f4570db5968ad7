"""Record TensorFlow's run of TF-Slim's image classification programs (``tests/acceptance``).

Runs the three steps of ``tests/acceptance/user_code_slimtrain.py`` (write a synthetic MNIST
split with the repo's conversion code, ``train_image_classifier.py``, ``eval_image_classifier.py``)
each in its own TF-oracle process on the repo's files under ``DIR/pnpnpn+models/slim`` and writes
``tests/acceptance/golden/user_code_slimtrain/run.json``.

    TF_USE_LEGACY_KERAS=1 .tf-oracle/bin/python tools/record_user_code_slimtrain.py DIR

What the oracle needed (TF 2.21 + tf-slim 1.1.0 standing in for TF 1.0): ``tf.contrib`` from
``tools/tf_contrib_shim.py``, whose ``tf.contrib.deprecated`` (TF 1.x's module of the TF 0.12
summary functions) is TF 2.21's ``tensorflow.python.ops.logging_ops`` functions. The TF 0.12
names themselves are bound on both sides by the driver's ``install_tf012_names``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "acceptance" / "golden" / "user_code_slimtrain"
DRIVER = ROOT / "tests" / "acceptance" / "user_code_slimtrain.py"


def install_oracle_contrib(tf: Any) -> None:
    """``tf.contrib`` (tf-slim, with ``contrib.deprecated``) on TF 2's ``tf.compat.v1``."""
    sys.path.insert(0, str(ROOT / "tools"))
    import tf_contrib_shim

    tf_contrib_shim.install(tf)


def run_step(step: str, model: str, slim_dir: Path, work: Path) -> tuple[dict[str, Any], str]:
    proc = subprocess.run(
        [sys.executable, str(DRIVER), "--oracle", step, model, str(slim_dir), str(work)],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")]
    if proc.returncode != 0 or not lines:
        raise SystemExit(f"{step} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-6000:]}")
    return json.loads(lines[-1][len("RESULT ") :]), proc.stderr


def main(argv: list[str]) -> None:
    sys.path.insert(0, str(DRIVER.parent))
    import user_code_slimtrain as uc

    slim_dir = uc.sources(argv[0])
    if slim_dir is None:
        raise SystemExit(f"no {uc.REPO}/slim with {uc.FILES} under {argv[0]}")
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        out["data"], _ = run_step("data", "-", slim_dir, work)
        for model in uc.MODELS:
            train, log = run_step("train", model, slim_dir, work)
            train["logged_losses"] = uc.logged_losses(log)
            evaluation, log = run_step("eval", model, slim_dir, work)
            evaluation["printed"] = sorted(set(uc.PRINT_LINE.findall(log)))
            out[model] = {"train": train, "eval": evaluation}
    GOLDEN.mkdir(parents=True, exist_ok=True)
    (GOLDEN / "run.json").write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")
    print(json.dumps(out)[:3000])


if __name__ == "__main__":
    main(sys.argv[1:])
