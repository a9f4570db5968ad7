"""Record TF1 queue input pipelines as meta graphs (``queue_runners`` collection) and their output.

Run with the TensorFlow oracle virtualenv (TensorFlow is never a scopeflow dependency)::

    TF_USE_LEGACY_KERAS=1 .tf-oracle/bin/python tools/record_tf_queue_meta.py

The program (``tests/graph_import/queue_pipeline.py``, shared with the test) builds a
``range_input_producer`` feeding a ``tf.train.batch`` and a ``string_input_producer`` with an
epoch limit, a scaled ``slice_input_producer`` and a variable trained on the batches. TF's
``export_meta_graph`` of it is written to ``tests/graph_import/golden/queue_meta/pipeline.meta``;
``expected.json`` holds the ``queue_runners`` collection as text (``QueueRunnerDef``s), what
the program prints when run directly in TF, and what it prints when run from the imported meta
graph in a fresh TF graph.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "tests" / "graph_import" / "golden" / "queue_meta"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, str(REPO / "tests" / "graph_import"))

import queue_pipeline  # noqa: E402
import tensorflow.compat.v1 as tf  # noqa: E402


def main() -> None:
    tf.disable_eager_execution()
    tf.disable_v2_behavior()
    tf.disable_resource_variables()
    OUT.mkdir(parents=True, exist_ok=True)
    with tf.Graph().as_default():
        queue_pipeline.build(tf)
        direct = queue_pipeline.run(tf)
    with tf.Graph().as_default():
        queue_pipeline.build(tf)
        meta = tf.train.export_meta_graph()
    (OUT / "pipeline.meta").write_bytes(meta.SerializeToString(deterministic=True))
    with tf.Graph().as_default():
        tf.train.import_meta_graph(str(OUT / "pipeline.meta"))
        imported = queue_pipeline.run(tf)
    expected = {
        "queue_runners": queue_pipeline.queue_runner_text(meta),
        "direct": direct,
        "imported": imported,
    }
    (OUT / "expected.json").write_text(json.dumps(expected, indent=1) + "\n")
    print(json.dumps(expected, indent=1))


if __name__ == "__main__":
    main()
