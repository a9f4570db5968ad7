"""Record TF1 SavedModels written by real TensorFlow, with TF's outputs, as test fixtures.

Run with the TensorFlow oracle virtualenv (TensorFlow is never a scopeflow dependency)::

    TF_USE_LEGACY_KERAS=1 .tf-oracle/bin/python tools/record_tf_saved_models.py

For each model of ``tests/saved_model/models.py`` (``mlp``: ``simple_save``; ``convnet``:
``SavedModelBuilder`` with two signatures, a second ``train`` meta graph, saved as
``saved_model.pbtxt``; ``asset``: an asset file and a table-free ``legacy_init_op``), builds it
with ``tf.compat.v1`` in graph mode (control flow v1, reference variables), exports it to
``tests/fixtures/saved_models/<model>/`` and writes ``expected.npz`` beside it: the inputs and
TF's outputs after ``tf.saved_model.loader.load`` of the written directory (keys
``in:<name>`` / ``out:<signature output>``) and, for ``asset``,
the path the main op saw (relative to the directory loaded).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "tests" / "fixtures" / "saved_models"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow.compat.v1 as tf  # noqa: E402

sys.path.insert(0, str(REPO / "tests" / "saved_model"))
import models  # noqa: E402


def record(name: str, build, export, tags: list[str]) -> None:
    target = OUT / name
    shutil.rmtree(target, ignore_errors=True)
    with tf.Graph().as_default() as g, tf.Session(graph=g) as sess:
        t = build()
        sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
        export(tf, sess, str(target), t)
    for extra in ("fingerprint.pb",):  # TF 2's addition; TF 1.15 writes none
        (target / extra).unlink(missing_ok=True)
    feeds = models.INPUTS[name]
    out: dict[str, np.ndarray] = {f"in:{k}": v for k, v in feeds.items()}
    with tf.Graph().as_default() as g, tf.Session(graph=g) as sess:
        meta = tf.saved_model.loader.load(sess, tags, str(target))
        sig = meta.signature_def["serving_default"]
        fetch = {k: v.name for k, v in sig.outputs.items()}
        feed = {sig.inputs[k].name: v for k, v in feeds.items()}
        for k, v in sess.run(fetch, feed).items():
            out[f"out:{k}"] = v
        if name == "asset":  # relative to the load directory (no machine paths committed)
            seen = sess.run("seen_asset_path:0").decode()
            out["seen_asset_path"] = np.array(os.path.relpath(seen, target).encode())
    np.savez(target / "expected.npz", **out)
    print(name, sorted(p.name for p in target.iterdir()), {k: v.shape for k, v in out.items()})


def main() -> None:
    tf.disable_eager_execution()
    tf.disable_resource_variables()
    tf.disable_v2_behavior()
    tf.disable_control_flow_v2()
    OUT.mkdir(parents=True, exist_ok=True)
    record("mlp", lambda: models.mlp(tf), models.export_mlp, ["serve"])
    record("convnet", lambda: models.convnet(tf), models.export_convnet, ["serve"])
    with tempfile.TemporaryDirectory() as tmp:
        record("asset", lambda: models.asset_model(tf, tmp), models.export_asset_model, ["serve"])


if __name__ == "__main__":
    main()
