"""Verify with real TensorFlow that GraphDefs written by scopeflow import and compute the same.

Run with the TensorFlow oracle virtualenv::

    /path/to/tfenv/bin/python tools/tf_verify_graph_export.py

Step 1 runs scopeflow (in its own virtualenv, ``SCOPEFLOW_PYTHON``, default the repository's
``.venv`` next to it) to build the models of ``tests/graph_io/models.py``, initialize them, write
``tf.train.write_graph`` files (text and binary) and the outputs for a fixed input. Step 2
imports each file with TF's ``tf.import_graph_def``, runs TF's initializers and the outputs,
and compares. One PASS/FAIL line per case goes to
``tests/graph_io/golden/tf_export_verification.txt`` (a test asserts it says ALL PASS).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUTPUT = REPO / "tests" / "graph_io" / "golden" / "tf_export_verification.txt"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

_SCOPEFLOW_SIDE = r"""
import sys, importlib.util, numpy as np
import scopeflow.compat.v1 as tf
spec = importlib.util.spec_from_file_location("m", sys.argv[1] + "/tests/graph_io/models.py")
m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
out = sys.argv[2]
g = tf.Graph()
with g.as_default():
    t = m.simple_model(tf)
    feed = np.random.default_rng(0).normal(size=(2, 6, 6, 2)).astype(np.float32)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        vals = s.run([t["y"], t["logits"], t["z"]], {t["x"]: feed})
        init = s.run("out/k/Initializer/random_uniform:0")
        import os; os.makedirs(out + "/ckpt")
        tf.train.Saver().save(s, out + "/ckpt/model", global_step=3)
    tf.train.write_graph(g, out, "model.pbtxt", as_text=True)
    tf.train.write_graph(g.as_graph_def(add_shapes=True), out, "model.pb", as_text=False)
np.savez(out + "/expected.npz", x=feed, y=vals[0], logits=vals[1], z=vals[2], init=init)
"""


_COMPOSITES_SIDE = r"""
import sys, json, importlib.util, numpy as np
import scopeflow.compat.v1 as tf
path = sys.argv[1] + "/tests/graph_io/composite_models.py"
spec = importlib.util.spec_from_file_location("c", path)
c = importlib.util.module_from_spec(spec); spec.loader.exec_module(c)
out = sys.argv[2]
g = tf.Graph()
with g.as_default():
    t = c.composite_model(tf)
    t.update(c.renamed_model(tf))
    x = t.pop("x")
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        vals = s.run(t, {x: c.FEED})
    tf.train.write_graph(g.as_graph_def(add_shapes=True), out, "composites.pb", as_text=False)
vals = {k: v.astype(bytes) if np.asarray(v).dtype == object else v for k, v in vals.items()}
np.savez(out + "/composites.npz", **vals)
json.dump({k: v.name for k, v in t.items()}, open(out + "/composites.json", "w"))
"""


def _check_composites(tf, np, tmp: str, sf_python: str, env: dict) -> str:
    """scopeflow's fused composites, written as TF subgraphs, import in TF with equal values."""
    import json

    sys.path.insert(0, str(REPO / "tests" / "graph_io"))
    import composite_models

    subprocess.run([sf_python, "-c", _COMPOSITES_SIDE, str(REPO), tmp], check=True, env=env)
    names = json.loads((Path(tmp) / "composites.json").read_text())
    expected = np.load(Path(tmp) / "composites.npz")
    gd = tf.GraphDef()
    gd.ParseFromString((Path(tmp) / "composites.pb").read_bytes())
    try:
        g = tf.Graph()
        with g.as_default():
            tf.import_graph_def(gd, name="")
            with tf.Session(graph=g) as s:
                s.run([o for o in g.get_operations() if o.type == "Assign"])
                got = s.run(names, {"x:0": composite_models.FEED})
        for key in names:
            if expected[key].dtype.kind == "S":  # report_uninitialized_variables' names
                assert np.asarray(got[key]).astype(bytes).tolist() == expected[key].tolist()
            else:
                np.testing.assert_allclose(got[key], expected[key], rtol=1e-5, atol=1e-6)
        return (
            f"PASS composites.pb: {len(gd.node)} nodes import in TF (l2_normalize, moments, "
            "batch_normalization, crelu, sigmoid/weighted/softmax cross entropy, "
            "embedding_lookup, is_variable_initialized, report_uninitialized_variables, "
            "initialized_value, matrix_transpose, "
            f"per_image_standardization written as TF's subgraphs); {sorted(names)} match "
            "scopeflow"
        )
    except Exception as e:
        return f"FAIL composites.pb: {type(e).__name__}: {str(e).splitlines()[0]}"


def main() -> None:
    import numpy as np
    import tensorflow.compat.v1 as tf
    from google.protobuf import text_format

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
        expected = np.load(Path(tmp) / "expected.npz")
        for fname in ("model.pbtxt", "model.pb"):
            gd = tf.GraphDef()
            data = (Path(tmp) / fname).read_bytes()
            if fname.endswith("txt"):
                text_format.Parse(data.decode(), gd)
            else:
                gd.ParseFromString(data)
            try:
                g = tf.Graph()
                with g.as_default():
                    tf.import_graph_def(gd, name="")
                    ops = g.get_operations()
                    init = [o for o in ops if o.type == "Assign" and not o.name.startswith("save")]
                    with tf.Session(graph=g) as s:
                        s.run(init)
                        got = s.run(
                            ["y:0", "add:0", "z:0", "out/k/Initializer/random_uniform:0"],
                            {"x:0": expected["x"]},
                        )
                for key, val in zip(("y", "logits", "z", "init"), got, strict=True):
                    np.testing.assert_allclose(val, expected[key], rtol=1e-5, atol=1e-6)
                lines.append(
                    f"PASS {fname}: {len(gd.node)} nodes import in TF, y/logits/z and the "
                    "seeded glorot initial value match scopeflow"
                )
            except Exception as e:
                lines.append(f"FAIL {fname}: {type(e).__name__}: {str(e).splitlines()[0]}")
        try:
            g = tf.Graph()
            with g.as_default(), tf.Session(graph=g) as s:
                saver = tf.train.import_meta_graph(f"{tmp}/ckpt/model-3.meta")
                saver.restore(s, f"{tmp}/ckpt/model-3")
                got = s.run(["y:0", "add:0", "z:0"], {"x:0": expected["x"]})
                names = sorted(v.name for v in tf.trainable_variables())
            for key, val in zip(("y", "logits", "z"), got, strict=True):
                np.testing.assert_allclose(val, expected[key], rtol=1e-5, atol=1e-6)
            lines.append(
                "PASS model-3.meta: tf.train.import_meta_graph + Saver.restore of scopeflow's "
                f"checkpoint give scopeflow's outputs; trainable variables {names}"
            )
        except Exception as e:
            lines.append(f"FAIL model-3.meta: {type(e).__name__}: {str(e).splitlines()[0]}")
        lines.append(_check_composites(tf, np, tmp, sf_python, env))
    ok = all(line.startswith("PASS") for line in lines)
    lines.append("ALL PASS" if ok else "SOME FAILED")
    OUTPUT.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
