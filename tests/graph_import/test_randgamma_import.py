"""A TF GraphDef with Complex, ComplexAbs, Real, Imag, MatrixDiagV3, MatrixSolve (TF 2.x
``tf.signal.stft``/``tf.linalg`` graphs), RandomGamma and RandomPoissonV2 imports and computes
TF's values, the seeded samples bit for bit (recorded by ``tools/record_randgamma_graphdef.py``
under TensorFlow)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

import scopeflow.compat.v1 as tf

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def test_randgamma_ops_graphdef_imports_with_tf_values() -> None:
    expected = json.loads((FIXTURES / "randgamma_ops_expected.json").read_text())
    gd = tf.GraphDef()
    gd.ParseFromString((FIXTURES / "randgamma_ops_graph.pb").read_bytes())
    types = {n.op for n in gd.node}
    for t in ("Complex", "ComplexAbs", "Real", "Imag", "MatrixDiagV3", "MatrixSolve",
              "RandomGamma", "RandomPoissonV2"):  # fmt: skip
        assert t in types, t
    tf.import_graph_def(gd, name="")
    graph = tf.get_default_graph()
    assert graph.get_operation_by_name("band").type == "MatrixDiagV3"
    feed = np.arange(16, dtype=np.float32).reshape(2, 8) / 4.0 - 1.0
    names = [k for k in expected if k.endswith(":0")]
    with tf.Session() as sess:
        values = sess.run(names, {"x:0": feed})
    for name, got in zip(names, values, strict=True):
        np.testing.assert_allclose(got, np.asarray(expected[name]), rtol=1e-5, atol=1e-5,
                                   err_msg=name)  # fmt: skip
    assert values[names.index("gamma:0")].tobytes().hex() == expected["gamma_bits"]
    assert graph.get_tensor_by_name("band:0").shape.as_list() == [2, 5, 4]
