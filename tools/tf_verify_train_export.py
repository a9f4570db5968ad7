"""Verify with real TensorFlow that imported training meta graphs, saved again by scopeflow, train.

Run with the TensorFlow oracle virtualenv::

    TF_USE_LEGACY_KERAS=1 .tf-oracle/bin/python tools/tf_verify_train_export.py

Step 1 runs scopeflow (``SCOPEFLOW_PYTHON``, default the main checkout's ``.venv``): it imports
each training fixture of ``tests/graph_import/golden/train_meta`` (recorded by
``tools/record_tf_train_meta.py``), restores its checkpoint and saves it again with the returned
``Saver`` (``.meta`` written by scopeflow). Step 2 imports each written ``.meta`` with TF's
``tf.train.import_meta_graph``, restores, runs the recorded training steps and compares the
losses with TF's recording. One PASS/FAIL line per setup goes to
``tests/graph_import/golden/train_meta/tf_export_verification.txt`` (a test asserts ALL PASS).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TRAIN = REPO / "tests" / "graph_import" / "golden" / "train_meta"
OUTPUT = TRAIN / "tf_export_verification.txt"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

_SCOPEFLOW_SIDE = r"""
import sys
from pathlib import Path
import scopeflow.compat.v1 as tf
src, out = Path(sys.argv[1]), Path(sys.argv[2])
for d in sorted(p for p in src.iterdir() if p.is_dir()):
    with tf.Graph().as_default():
        saver = tf.train.import_meta_graph(str(d / "model.ckpt.meta"))
        with tf.Session() as sess:
            saver.restore(sess, str(d / "model.ckpt"))
            (out / d.name).mkdir()
            saver.save(sess, str(out / d.name / "model.ckpt"))
"""


def main() -> None:
    import numpy as np
    import tensorflow.compat.v1 as tf

    tf.disable_v2_behavior()
    python = os.environ.get("SCOPEFLOW_PYTHON", str(REPO.parent.parent / "main/.venv/bin/python"))
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
        subprocess.run([python, "-c", _SCOPEFLOW_SIDE, str(TRAIN), tmp], check=True, env=env)
        for d in sorted(p for p in TRAIN.iterdir() if p.is_dir()):
            data = np.load(d / "expected.npz")
            case = json.loads((d / "case.json").read_text())
            try:
                with tf.Graph().as_default(), tf.Session() as sess:
                    saver = tf.train.import_meta_graph(f"{tmp}/{d.name}/model.ckpt.meta")
                    saver.restore(sess, f"{tmp}/{d.name}/model.ckpt")
                    losses = []
                    for k in range(case["steps"]):
                        pre = f"feed{k}:"
                        feeds = {x[len(pre) :]: data[x] for x in data.files if x.startswith(pre)}
                        losses.append(sess.run([case["loss"], case["train_op"]], feeds)[0])
                np.testing.assert_allclose(losses, data["loss"], rtol=1e-5)
                lines.append(
                    f"PASS {d.name}: .meta saved by scopeflow after import, TF imports, "
                    f"restores and trains {case['steps']} steps with the recorded losses"
                )
            except Exception as e:
                lines.append(f"FAIL {d.name}: {type(e).__name__}: {str(e)[:300]}")
    ok = all(line.startswith("PASS") for line in lines)
    lines.append("ALL PASS" if ok else "SOME FAILED")
    OUTPUT.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
