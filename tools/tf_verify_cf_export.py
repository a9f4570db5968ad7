"""Verify with real TensorFlow that imported control-flow graphs, written back by scopeflow, run.

Run with the TensorFlow oracle virtualenv::

    TF_USE_LEGACY_KERAS=1 .tf-oracle/bin/python tools/tf_verify_cf_export.py

Step 1 runs scopeflow (``SCOPEFLOW_PYTHON``, default the main checkout's ``.venv``): it imports
each control-flow fixture of ``tests/graph_import/golden`` (recorded by
``tools/record_cf_graphs.py``) and writes it again with ``tf.train.write_graph``. Step 2 imports
each written file with TF's ``tf.import_graph_def`` (control flow v1) and compares its outputs
with the TF outputs recorded in the fixture. One PASS/FAIL line per graph goes to
``tests/graph_import/golden/tf_cf_export_verification.txt`` (a test asserts it says ALL PASS).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GOLDEN = REPO / "tests" / "graph_import" / "golden"
OUTPUT = GOLDEN / "tf_cf_export_verification.txt"
GRAPHS = (
    "while_counter",
    "nested_loops",
    "cond_in_loop",
    "cond_side_effects",
    "dynamic_rnn_lstm",
    "map_fn",
    "ssd_batched",
)
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

_SCOPEFLOW_SIDE = r"""
import sys
import scopeflow.compat.v1 as tf
from scopeflow.graph_io.files import read_graph_def
golden, out = sys.argv[1], sys.argv[2]
for name in sys.argv[3:]:
    with tf.Graph().as_default() as g:
        tf.import_graph_def(read_graph_def(f"{golden}/{name}.pb"), name="")
        tf.train.write_graph(g, out, f"{name}.pb", as_text=False)
"""


def main() -> None:
    import numpy as np
    import tensorflow.compat.v1 as tf

    tf.disable_eager_execution()
    tf.disable_resource_variables()
    tf.disable_v2_behavior()
    tf.disable_control_flow_v2()
    sf_python = os.environ.get(
        "SCOPEFLOW_PYTHON", str(REPO.parent.parent / "main/.venv/bin/python")
    )
    cases = json.loads((GOLDEN / "cases.json").read_text())
    lines: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
        subprocess.run(
            [sf_python, "-c", _SCOPEFLOW_SIDE, str(GOLDEN), tmp, *GRAPHS], check=True, env=env
        )
        for name in GRAPHS:
            data = np.load(GOLDEN / f"{name}.npz")
            try:
                gd = tf.GraphDef()
                gd.ParseFromString((Path(tmp) / f"{name}.pb").read_bytes())
                with tf.Graph().as_default() as g:
                    tf.import_graph_def(gd, name="")
                    feeds = {k: data[f"in:{k}"] for k in cases[name]["feeds"]}
                    fetches = cases[name]["fetches"]
                    with tf.Session(graph=g) as s:
                        got = s.run(fetches, feeds)
                for key, val in zip(fetches, got, strict=True):
                    np.testing.assert_allclose(val, data[f"out:{key}"], rtol=1e-5, atol=1e-6)
                ops = sorted({n.op for n in gd.node} & {"Enter", "Merge", "Switch", "Exit"})
                lines.append(
                    f"PASS {name}.pb: written by scopeflow after import ({len(gd.node)} nodes, "
                    f"{', '.join(ops)}), TF imports it and computes the recorded outputs"
                )
            except Exception as e:
                lines.append(f"FAIL {name}.pb: {type(e).__name__}: {str(e).splitlines()[0]}")
    ok = all(line.startswith("PASS") for line in lines)
    lines.append("ALL PASS" if ok else "SOME FAILED")
    OUTPUT.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
