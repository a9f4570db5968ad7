"""A TF-frozen MobileNet-v1-shaped graph imports and gives TF's outputs.

``golden/mobilenet_v1_small.pb`` (depth multiplier 0.125, 64x64 inputs, 16 classes: depthwise
separable blocks with fused batch norms and ``relu6``) and TF's outputs for the input batch in
``mobilenet_v1_small.npz`` are recorded by ``tools/record_mobilenet_frozen.py`` (TF 2.21
``tf.compat.v1`` with ``tf.contrib.slim`` layers, ``convert_variables_to_constants``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import scopeflow.compat.v1 as tf
from scopeflow.graph_io.files import read_graph_def

GOLDEN = Path(__file__).parent / "golden"


def _expected() -> dict[str, np.ndarray]:
    with np.load(GOLDEN / "mobilenet_v1_small.npz") as f:
        return dict(f)


@pytest.mark.parametrize("batch", [2, 1])
def test_frozen_mobilenet_gives_tf_outputs(batch: int) -> None:
    exp = _expected()
    gd = read_graph_def(str(GOLDEN / "mobilenet_v1_small.pb"))
    with tf.Graph().as_default() as g:
        tf.import_graph_def(gd, name="")
        x = g.get_tensor_by_name(str(exp["input_name"]))
        logits = g.get_tensor_by_name(str(exp["logits_name"]))
        probs = g.get_tensor_by_name(str(exp["probs_name"]))
        assert logits.shape.as_list() == [None, 16]
        with tf.Session() as sess:
            for _ in range(2):  # the second run uses the kernels' cached (prepacked) filters
                lg, pr = sess.run([logits, probs], {x: exp["input"][:batch]})
                np.testing.assert_allclose(lg, exp["logits"][:batch], rtol=1e-4, atol=1e-4)
                np.testing.assert_allclose(pr, exp["probs"][:batch], rtol=1e-4, atol=1e-6)


def test_frozen_mobilenet_ops() -> None:
    gd = read_graph_def(str(GOLDEN / "mobilenet_v1_small.pb"))
    with tf.Graph().as_default() as g:
        tf.import_graph_def(gd, name="")
    types = [op.type for op in g.get_operations()]
    assert types.count("DepthwiseConv2dNative") == 13
    assert types.count("FusedBatchNormV3") == 27
    assert types.count("Relu6") == 27
