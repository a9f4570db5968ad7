"""Record the GraphDef TF builds for ``tests/graph_io/composite_models.py`` (node names/ops/inputs).

Run with the TensorFlow oracle virtualenv::

    .tf-oracle/bin/python tools/record_tf_composites_graph.py

Writes ``tests/graph_io/golden/tf_composites_graph.json``: ``[name, op, sorted inputs]`` for
every node TF's ``tf.compat.v1`` builds for the model (graph mode, reference variables).
``tests/graph_io/test_tf_subgraphs.py`` checks that scopeflow's export of the same model, whose
fused composites are written as TF subgraphs, has exactly these nodes.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import tensorflow.compat.v1 as tf  # noqa: E402

sys.path.insert(0, str(REPO / "tests" / "graph_io"))
import composite_models  # noqa: E402


def main() -> None:
    tf.disable_eager_execution()
    tf.disable_resource_variables()
    tf.disable_v2_behavior()
    g = tf.Graph()
    with g.as_default():
        composite_models.composite_model(tf)
    rows = sorted([n.name, n.op, sorted(n.input)] for n in g.as_graph_def().node)
    out = REPO / "tests" / "graph_io" / "golden" / "tf_composites_graph.json"
    out.write_text(json.dumps(rows, indent=0) + "\n")
    print(f"wrote {len(rows)} nodes to {out}")


if __name__ == "__main__":
    main()
