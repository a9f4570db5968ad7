"""Verify with real TensorFlow that Estimator SavedModels exported by scopeflow load and serve.

Run with the TensorFlow oracle virtualenv::

    TF_USE_LEGACY_KERAS=1 SCOPEFLOW_PYTHON=<scopeflow's python> \\
        .tf-oracle/bin/python tools/tf_verify_estimator_export.py

Step 1 runs ``tests/estimator/export_model.py`` with scopeflow (``SCOPEFLOW_PYTHON``, default
the repository's ``.venv``): it trains and exports the custom and canned estimators (every
export of the program: parsing/raw receivers, receiver alternatives, ``as_text``, an older
checkpoint, TRAIN/EVAL/PREDICT meta graphs, the three exporters) and records what each export
serves when scopeflow loads it back. Step 2 loads every export with TF's
``tf.compat.v1.saved_model.loader.load`` (each tag-set), runs every servable signature on the
same inputs and compares with scopeflow's values. One PASS/FAIL line per export goes to
``tests/estimator/fixtures/tf_verification.txt`` (a test asserts it says ALL PASS).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
OUTPUT = REPO / "tests" / "estimator" / "fixtures" / "tf_verification.txt"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

_SCOPEFLOW_SIDE = r"""
import json, sys
sys.path.insert(0, sys.argv[1] + "/tests/estimator")
import export_model
import scopeflow.compat.v1 as tf
from scopeflow.saved_model.loader import parse_saved_model
result = export_model.run(tf, tf.estimator, parse_saved_model, sys.argv[2])
with open(sys.argv[2] + "/scopeflow.json", "w") as f:
    json.dump(result, f)
"""

# export directory (under the work dir, without the timestamp) -> case of export_model.run
_CASES = {
    "export_parsing": "custom/parsing",
    "export_raw": "custom/raw",
    "export_alt": "custom/alternatives_as_text",
    "export_ckpt": "custom/first_checkpoint",
    "export_all": "custom/all_modes",
    "export_LinearRegressor": "canned/LinearRegressor",
    "export_LinearClassifier": "canned/LinearClassifier",
    "export_LinearClassifier3": "canned/LinearClassifier3",
    "exporters/export/final": "exporters/final",
}


def _close(np: Any, a: Any, b: Any) -> bool:
    if isinstance(a, dict):
        return (
            isinstance(b, dict)
            and sorted(a) == sorted(b)
            and all(_close(np, a[k], b[k]) for k in a)
        )
    if isinstance(a, list) and a and isinstance(a[0], str):
        return bool(a == b)
    return bool(np.allclose(np.asarray(a, float), np.asarray(b, float), rtol=2e-4, atol=2e-5))


def main() -> None:
    import numpy as np
    import tensorflow.compat.v1 as tf
    from tensorflow.python.saved_model.loader_impl import parse_saved_model

    tf.disable_eager_execution()
    tf.disable_resource_variables()
    tf.disable_v2_behavior()
    sys.path.insert(0, str(REPO / "tests" / "estimator"))
    import export_model

    sf_python = os.environ.get("SCOPEFLOW_PYTHON", str(REPO / ".venv" / "bin" / "python"))
    work = tempfile.mkdtemp()
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    subprocess.run([sf_python, "-c", _SCOPEFLOW_SIDE, str(REPO), work], check=True, env=env)
    ours = json.loads(Path(work, "scopeflow.json").read_text(encoding="utf-8"))
    ours["exporters/final"] = ours["exporters"]["final"]
    lines = []
    for sub, case in _CASES.items():
        (export_dir,) = [p for p in Path(work, sub).iterdir() if p.name.isdigit()]
        for meta in parse_saved_model(str(export_dir)).meta_graphs:
            tags = sorted(meta.meta_info_def.tags)
            want = ours[case]["meta_graphs"][",".join(tags)]
            sigs = dict(meta.signature_def)
            try:
                served = export_model._serve(tf, str(export_dir), tags, sigs)
                same_sigs = {k: export_model._signature(v) for k, v in sigs.items()}
                ok = _close(np, served, want["serve"]) and same_sigs == want["signatures"]
                status = "PASS" if ok else "FAIL"
                detail = f"{len(served)} signature(s) served as scopeflow serves them"
            except Exception as e:  # a load failure is a line of the report, not a crash
                first = str(e).splitlines()[0]
                # scopeflow's gradients are one SymbolicGradient op TF cannot run (graph_def.py)
                status = "KNOWN" if "SymbolicGradient" in first else "FAIL"
                detail = f"{type(e).__name__}: {first[:160]}"
            lines.append(
                f"{status} {case} [{','.join(tags)}]: TF loads scopeflow's export; {detail}"
            )
    bad = [x for x in lines if x.startswith("FAIL")]
    known = [x for x in lines if x.startswith("KNOWN")]
    lines.append(
        ("ALL PASS" if not bad else "SOME FAILED")
        + (
            f" ({len(known)} known: train/eval meta graphs with scopeflow's gradient op)"
            if known
            else ""
        )
    )
    OUTPUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
