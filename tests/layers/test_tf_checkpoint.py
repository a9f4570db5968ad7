"""A TensorFlow-written checkpoint of a tf.layers model restores into the same model built on
scopeflow: same variables in the same order, values bit-exact, outputs within float32 tolerance.

The checkpoint and outputs come from ``tools/record_layers_golden.py`` (TF 2.21 with tf-keras).
"""

import importlib.util
from pathlib import Path

import numpy as np
import pytest

import scopeflow.compat.v1 as tf

HERE = Path(__file__).parent
GOLDEN = HERE / "golden"


def _model():
    spec = importlib.util.spec_from_file_location("_tf_layers_model", HERE / "tf_layers_model.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(autouse=True)
def _fresh_graph():
    tf.reset_default_graph()


def test_tf_checkpoint_restores_bit_exactly_and_outputs_match():
    model = _model()
    expected = np.load(GOLDEN / "gan_outputs.npz")
    graph = model.build(tf)
    names = [v.op.name for v in tf.global_variables()]
    assert names == [k[len("var:") :] for k in expected.files if k.startswith("var:")]
    with tf.Session() as sess:
        tf.train.Saver().restore(sess, str(GOLDEN / "gan" / "model.ckpt"))
        for v in tf.global_variables():
            np.testing.assert_array_equal(sess.run(v), expected["var:" + v.op.name])
        feed = {graph["z"]: model.z_value(7)}
        infer = sess.run(graph["d_fake"], {**feed, graph["training"]: False})
        train = sess.run(graph["d_fake"], feed)
    np.testing.assert_allclose(infer, expected["infer"], rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(train, expected["train"], rtol=1e-5, atol=1e-5)
