"""Record a TF GraphDef with Complex, ComplexAbs, Real, Imag, MatrixDiagV3, MatrixSolve,
RandomGamma and RandomPoissonV2 nodes (TF 2.x ``tf.signal``/``tf.linalg`` graphs and seeded
random ops) and its outputs, for ``tests/graph_import/test_randgamma_import.py``.

Run under the TF oracle (never a scopeflow dependency)::

    TF_USE_LEGACY_KERAS=1 .tf-oracle/bin/python tools/record_randgamma_graphdef.py
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import tensorflow.compat.v1 as tf

OUT = Path(__file__).resolve().parent.parent / "tests" / "graph_import" / "fixtures"
FETCHES = ["mag:0", "re:0", "im:0", "cabs:0", "diag:0", "band:0", "solve:0", "gamma:0",
           "poisson:0"]  # fmt: skip


def build() -> None:
    x = tf.placeholder(tf.float32, [2, 8], name="x")
    spec = tf.signal.stft(x, frame_length=4, frame_step=2, fft_length=4)
    tf.abs(spec, name="mag")
    tf.math.real(spec, name="re")
    tf.math.imag(spec, name="im")
    tf.abs(tf.complex(x, 2.0 * x - 1.0), name="cabs")
    tf.linalg.diag(x[:, :3], name="diag")
    tf.raw_ops.MatrixDiagV3(diagonal=tf.reshape(x, [2, 2, 4]), k=[-1, 0], num_rows=5,
                            num_cols=-1, padding_value=9.0, align="LEFT_RIGHT",
                            name="band")  # fmt: skip
    a = tf.constant([[4.0, 1.0, 0.0], [1.0, 3.0, 1.0], [0.0, 1.0, 2.0]])
    tf.linalg.solve(a, tf.transpose(x[:, :3]), name="solve")
    tf.identity(tf.random.gamma([4], [1.5, 0.5, 1.0], seed=3), name="gamma")
    tf.identity(tf.random.poisson([2.0, 30.0], [5], seed=4), name="poisson")


def main() -> None:
    tf.disable_eager_execution()
    tf.disable_v2_behavior()
    build()
    feed = np.arange(16, dtype=np.float32).reshape(2, 8) / 4.0 - 1.0
    with tf.Session() as sess:
        values = sess.run(FETCHES, {"x:0": feed})
    OUT.mkdir(parents=True, exist_ok=True)
    graph = tf.get_default_graph().as_graph_def().SerializeToString()
    (OUT / "randgamma_ops_graph.pb").write_bytes(graph)
    expected = {name: v.tolist() for name, v in zip(FETCHES, values, strict=True)}
    expected["gamma_bits"] = values[FETCHES.index("gamma:0")].tobytes().hex()
    (OUT / "randgamma_ops_expected.json").write_text(json.dumps(expected, indent=1) + "\n")
    types = sorted({n.op for n in tf.get_default_graph().as_graph_def().node})
    print(types)


if __name__ == "__main__":
    main()
