"""A TF GraphDef with FFT/RFFT, set, SetSize, StringFormat, UnsortedSegmentJoin and sparse
(de)serialization ops imports and computes TF's values (recorded by
``tools/record_apid_graphdef.py`` under TensorFlow)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

import scopeflow.compat.v1 as tf

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def test_apid_ops_graphdef_imports_with_tf_values() -> None:
    expected = json.loads((FIXTURES / "apid_ops_expected.json").read_text())
    gd = tf.GraphDef()
    gd.ParseFromString((FIXTURES / "apid_ops_graph.pb").read_bytes())
    tf.import_graph_def(gd, name="")
    graph = tf.get_default_graph()
    assert graph.get_operation_by_name("rfft").type == "RFFT"
    assert graph.get_operation_by_name("DenseToDenseSetOperation").type == (
        "DenseToDenseSetOperation"
    )
    feed = np.arange(16, dtype=np.float32).reshape(2, 8) / 4.0
    names = list(expected)
    with tf.Session() as sess:
        values = sess.run(names, {"x:0": feed})
    for name, got in zip(names, values, strict=True):
        want = expected[name]
        if isinstance(got, bytes):
            assert got.decode() == want, name
        elif got.dtype == object:
            assert [b.decode() for b in got.tolist()] == want, name
        else:
            np.testing.assert_allclose(got, np.asarray(want), rtol=1e-5, atol=1e-5, err_msg=name)
