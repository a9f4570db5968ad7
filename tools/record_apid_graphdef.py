"""Record a TF GraphDef of the tf.signal / tf.sets / tf.strings.format / sparse serialization ops
and its outputs, for ``tests/graph_import/test_apid_import.py``.

Run under the TF oracle (never a scopeflow dependency)::

    TF_USE_LEGACY_KERAS=1 .tf-oracle/bin/python tools/record_apid_graphdef.py
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import tensorflow.compat.v1 as tf

OUT = Path(__file__).resolve().parent.parent / "tests" / "graph_import" / "fixtures"
FETCHES = ["rr:0", "ff:0", "f2:0", "setvals:0", "setidx:0", "sz:0", "dv:0", "fm:0", "sj:0"]


def build() -> None:
    x = tf.placeholder(tf.float32, [2, 8], name="x")
    r = tf.signal.rfft(x)
    tf.identity(tf.signal.irfft(r * tf.constant(2 + 1j, tf.complex64)), name="rr")
    c = tf.cast(x, tf.complex64)
    tf.identity(tf.cast(tf.signal.ifft(tf.signal.fft(c) * 3.0), tf.float32), name="ff")
    tf.identity(tf.cast(tf.signal.fft2d(c), tf.float32), name="f2")
    s = tf.sets.set_union(tf.constant([[1, 2], [3, 3]]), tf.constant([[2, 5], [1, 3]]))
    tf.identity(s.values, name="setvals")
    t = tf.sets.set_difference(tf.constant([[1, 2, 3]]), tf.SparseTensor([[0, 0]], [2], [1, 3]))
    tf.identity(t.indices, name="setidx")
    tf.identity(tf.sets.set_size(s), name="sz")
    sp = tf.SparseTensor([[0, 1], [1, 0]], [1.5, 2.0], [2, 3])
    d = tf.deserialize_many_sparse(tf.serialize_many_sparse(sp), tf.float32)
    tf.identity(d.values, name="dv")
    tf.strings.format("x={}", [x[0, :2]], name="fm")
    tf.identity(tf.strings.unsorted_segment_join(["a", "b", "c"], [1, 0, 1], 2), name="sj")


def main() -> None:
    tf.disable_eager_execution()
    tf.disable_v2_behavior()
    build()
    feed = np.arange(16, dtype=np.float32).reshape(2, 8) / 4.0
    with tf.Session() as sess:
        values = sess.run(FETCHES, {"x:0": feed})
    OUT.mkdir(parents=True, exist_ok=True)
    graph = tf.get_default_graph().as_graph_def().SerializeToString()
    (OUT / "apid_ops_graph.pb").write_bytes(graph)
    expected = {
        name: (v.decode() if isinstance(v, bytes) else
               [b.decode() for b in v.tolist()] if v.dtype == object else v.tolist())
        for name, v in zip(FETCHES, values, strict=True)
    }  # fmt: skip
    (OUT / "apid_ops_expected.json").write_text(json.dumps(expected, indent=1) + "\n")


if __name__ == "__main__":
    main()
