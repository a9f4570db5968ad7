"""Verify with real TensorFlow that SavedModels written by scopeflow load and compute the same.

Run with the TensorFlow oracle virtualenv::

    TF_USE_LEGACY_KERAS=1 .tf-oracle/bin/python tools/tf_verify_saved_model.py

Step 1 runs scopeflow (in its own virtualenv, ``SCOPEFLOW_PYTHON``, default the repository's
``.venv`` next to it) to build the models of ``tests/saved_model/models.py``, export each as a
SavedModel with scopeflow's ``simple_save`` / ``SavedModelBuilder`` and record scopeflow's
outputs. Step 2 loads each directory with TF's ``tf.compat.v1.saved_model.loader.load`` (every
tag-set the model has), runs the ``serving_default`` signature and compares; for the asset model
it also checks the path TF fed the main op. Step 3 converts TF-written files with
``scopeflow graph convert`` (a SavedModel to a frozen ``.pb``, a frozen ``.pb`` to a SavedModel)
and checks TF loads the results with TF's recorded outputs. One PASS/FAIL line per case goes to
``tests/saved_model/golden/tf_verification.txt`` (a test asserts it says ALL PASS).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUTPUT = REPO / "tests" / "saved_model" / "golden" / "tf_verification.txt"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

_SCOPEFLOW_SIDE = r"""
import sys, numpy as np
sys.path.insert(0, sys.argv[1] + "/tests/saved_model")
import models
import scopeflow.compat.v1 as tf
out = sys.argv[2]
builds = {
    "mlp": (models.mlp, models.export_mlp),
    "convnet": (models.convnet, models.export_convnet),
    "asset": (lambda tf: models.asset_model(tf, out), models.export_asset_model),
}
for name, (build, export) in builds.items():
    with tf.Graph().as_default() as g, tf.Session(graph=g) as sess:
        t = build(tf)
        sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
        if name == "asset":
            sess.run(t["main_op"])
        feeds = {t["x"]: v for v in models.INPUTS[name].values()}
        keys = [k for k in t if k not in ("x", "main_op", "seen")]
        vals = sess.run([t[k] for k in keys], feeds)
        export(tf, sess, f"{out}/{name}", t)
    np.savez(f"{out}/{name}.npz", **{f"out:{k}": v for k, v in zip(keys, vals)})
"""

# signature output key -> key of the scopeflow side's outputs
_SIG_TO_MODEL = {"probs": "probs", "logits": "logits", "scores": "scores", "classes": "classes",
                 "y": "y"}  # fmt: skip
_TAGS = {"mlp": [["serve"]], "convnet": [["serve"], ["train"]], "asset": [["serve"]]}


def _check_cli_conversions(tf, np, tmp: str, sf_python: str, env: dict) -> list[str]:
    """``scopeflow graph convert`` outputs load in TF with the source's (TF-recorded) outputs.

    TF's mlp SavedModel fixture -> frozen ``.pb``; TF's frozen conv net
    (``tests/graph_io/golden/frozen_convnet.pb``) -> SavedModel.
    """
    fixtures = REPO / "tests" / "fixtures" / "saved_models"
    golden = REPO / "tests" / "graph_io" / "golden"
    lines = []
    cli = [sf_python, "-m", "scopeflow", "graph", "convert"]
    try:
        subprocess.run([*cli, str(fixtures / "mlp"), f"{tmp}/mlp_frozen.pb"], check=True, env=env,
                       capture_output=True)  # fmt: skip
        expected = np.load(fixtures / "mlp" / "expected.npz")
        gd = tf.GraphDef()
        gd.ParseFromString(Path(f"{tmp}/mlp_frozen.pb").read_bytes())
        with tf.Graph().as_default() as g, tf.Session(graph=g) as sess:
            tf.import_graph_def(gd, name="")
            got = sess.run("mlp/probs:0", {"x:0": expected["in:x"]})
        np.testing.assert_allclose(got, expected["out:probs"], rtol=1e-5, atol=1e-6)
        ops = sorted({n.op for n in gd.node})
        lines.append(f"PASS cli mlp SavedModel -> frozen .pb: TF imports it ({ops}) and gives "
                     "TF's recorded probs")  # fmt: skip
    except Exception as e:
        lines.append(f"FAIL cli mlp SavedModel -> frozen .pb: {type(e).__name__}: {e}")
    try:
        args = [str(golden / "frozen_convnet.pb"), f"{tmp}/convnet_sm", "--output", "probs",
                "--output", "top"]  # fmt: skip
        subprocess.run([*cli, *args], check=True, env=env, capture_output=True)
        expected = np.load(golden / "frozen_convnet.npz")
        with tf.Graph().as_default() as g, tf.Session(graph=g) as sess:
            meta = tf.saved_model.loader.load(sess, ["serve"], f"{tmp}/convnet_sm")
            sig = meta.signature_def["serving_default"]
            got = sess.run({k: v.name for k, v in sig.outputs.items()},
                           {sig.inputs["input"].name: expected["input"]})  # fmt: skip
        np.testing.assert_allclose(got["probs"], expected["probs"], rtol=1e-5, atol=1e-6)
        np.testing.assert_array_equal(got["top"], expected["top"])
        lines.append("PASS cli frozen_convnet.pb -> SavedModel: TF loads it, its serving_default "
                     "signature gives TF's recorded probs and top")  # fmt: skip
    except Exception as e:
        lines.append(f"FAIL cli frozen_convnet.pb -> SavedModel: {type(e).__name__}: {e}")
    try:
        args = [str(fixtures / "convnet"), f"{tmp}/convnet_resaved"]
        subprocess.run([*cli, *args], check=True, env=env, capture_output=True)
        expected = np.load(fixtures / "convnet" / "expected.npz")
        with tf.Graph().as_default() as g, tf.Session(graph=g) as sess:
            meta = tf.saved_model.loader.load(sess, ["serve"], f"{tmp}/convnet_resaved")
            sig = meta.signature_def["serving_default"]
            got = sess.run({k: v.name for k, v in sig.outputs.items()},
                           {sig.inputs["images"].name: expected["in:images"]})  # fmt: skip
        np.testing.assert_allclose(got["scores"], expected["out:scores"], rtol=1e-5, atol=1e-6)
        np.testing.assert_array_equal(got["classes"], expected["out:classes"])
        lines.append("PASS cli convnet SavedModel -> SavedModel: TF loads scopeflow's re-export "
                     f"of TF's SavedModel (signatures {sorted(meta.signature_def)}) with TF's "
                     "recorded outputs")  # fmt: skip
    except Exception as e:
        lines.append(f"FAIL cli convnet SavedModel -> SavedModel: {type(e).__name__}: {e}")
    return lines


def main() -> None:
    import numpy as np
    import tensorflow.compat.v1 as tf

    sys.path.insert(0, str(REPO / "tests" / "saved_model"))
    import models

    tf.disable_eager_execution()
    tf.disable_resource_variables()
    tf.disable_v2_behavior()
    sf_python = os.environ.get(
        "SCOPEFLOW_PYTHON", str(REPO.parent.parent / "main/.venv/bin/python")
    )
    lines: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
        subprocess.run([sf_python, "-c", _SCOPEFLOW_SIDE, str(REPO), tmp], check=True, env=env)
        for name, tag_sets in _TAGS.items():
            expected = np.load(f"{tmp}/{name}.npz")
            for tags in tag_sets:
                try:
                    with tf.Graph().as_default() as g, tf.Session(graph=g) as sess:
                        meta = tf.saved_model.loader.load(sess, tags, f"{tmp}/{name}")
                        sigs = meta.signature_def
                        checked = []
                        if "serving_default" in sigs:
                            sig = sigs["serving_default"]
                            (in_key,) = sig.inputs
                            feed = {sig.inputs[in_key].name: models.INPUTS[name][in_key]}
                            for key, info in sorted(sig.outputs.items()):
                                got = sess.run(info.name, feed)
                                want = expected[f"out:{_SIG_TO_MODEL[key]}"]
                                np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
                                checked.append(key)
                        extra = ""
                        if name == "asset":
                            seen = sess.run("seen_asset_path:0").decode()
                            rel = os.path.relpath(seen, f"{tmp}/{name}")
                            assert rel == "assets/vocab.txt", rel
                            text = Path(seen).read_text()
                            assert text == models.ASSET_TEXT, text
                            extra = (
                                "; main op ran with the asset path rewritten to assets/vocab.txt"
                            )
                    lines.append(
                        f"PASS {name} {tags}: TF loads scopeflow's SavedModel "
                        f"({len(meta.graph_def.node)} nodes), restores its variables"
                        + (f" and gives scopeflow's {checked}" if checked else "")
                        + extra
                    )
                except Exception as e:
                    msg = str(e).splitlines()[0] if str(e) else ""
                    lines.append(f"FAIL {name} {tags}: {type(e).__name__}: {msg}")
        lines.extend(_check_cli_conversions(tf, np, tmp, sf_python, env))
    ok = all(line.startswith("PASS") for line in lines)
    lines.append("ALL PASS" if ok else "SOME FAILED")
    OUTPUT.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
