"""``tf.test`` beyond the conformance topic ``testing_test_case`` (which compares with TF 2.21).

TF 1.15's ``test_session`` defaulted to ``use_gpu=False`` and so pinned the ops built inside it
to ``/device:CPU:0`` (TF 2.21 changed the default); a TF1 test file runs unchanged through
``scopeflow run`` with ``tf.test.main()``; ``tf.test.Benchmark`` times ops.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import scopeflow.compat.v1 as tf


class _Probe(tf.test.TestCase):
    __test__ = False  # a helper, not a test class of this file

    def runTest(self) -> None:
        pass


def test_test_session_pins_ops_to_the_cpu_as_tf115() -> None:
    case = _Probe()
    case.setUp()
    try:
        with case.test_session() as sess:
            a = tf.constant(1.0)
            assert a.op.device == "/device:CPU:0"
            assert sess is tf.get_default_session()
        with case.test_session(use_gpu=True):
            assert tf.constant(2.0).op.device == ""
        assert tf.get_default_graph().seed == 87654321
    finally:
        case.tearDown()


def test_cached_session_refuses_another_graph() -> None:
    case = _Probe()
    case.setUp()
    try:
        with case.cached_session():
            pass
        other = tf.Graph()
        with (
            pytest.raises(ValueError, match="The graph used to get the cached session is"),
            case.cached_session(graph=other),
        ):
            pass
    finally:
        case.tearDown()


def test_a_tf1_test_file_runs_with_tf_test_main(tmp_path: Path) -> None:
    script = tmp_path / "model_test.py"
    script.write_text(
        textwrap.dedent(
            """
            import numpy as np
            import tensorflow as tf

            class ModelTest(tf.test.TestCase):
                def testDense(self):
                    with self.test_session() as sess:
                        x = tf.constant([[1.0, 2.0]])
                        y = tf.layers.dense(x, 3, kernel_initializer=tf.ones_initializer())
                        sess.run(tf.global_variables_initializer())
                        self.assertAllClose(sess.run(y), [[3.0, 3.0, 3.0]])
                        self.assertShapeEqual(np.zeros([1, 3]), y)

                def testFails(self):
                    self.assertAllEqual([1, 2], [1, 3])

            if __name__ == "__main__":
                tf.test.main()
            """
        )
    )
    src = Path(__file__).resolve().parents[2] / "src"
    proc = subprocess.run(
        [sys.executable, "-m", "scopeflow", "run", str(script)],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin"},
        timeout=300,
        check=False,
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert "[       OK ] ModelTest.testDense" in out
    assert "[  FAILED  ] ModelTest.testFails" in out
    assert "not equal where = (array([1]),)" in out
    assert "Ran 3 tests" in out  # the inherited test_session is skipped, as in TF


def test_benchmark_times_an_op() -> None:
    class Bench(tf.test.Benchmark):
        pass

    with tf.Graph().as_default(), tf.Session() as sess:
        x = tf.constant(np.ones([4, 4], np.float32))
        values = Bench().run_op_benchmark(
            sess, tf.matmul(x, x), burn_iters=1, min_iters=3, name="mm", mbs=2
        )
    assert values["iters"] == 3
    assert values["name"] == "mm"
    assert values["wall_time"] >= 0.0
    assert values["extras"] == {}
    assert "throughput" in values or values["wall_time"] == 0.0
