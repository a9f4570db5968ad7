"""TF-written checkpoints of small slim nets restore into scopeflow and give TF's outputs.

The checkpoints and TF's outputs come from ``tools/record_slim_nets_checkpoints.py`` (TF 1.15's
contrib code, tf_slim); the models are built by ``slim_net_models.py`` under both. Restoring goes
through ``slim.assign_from_checkpoint_fn`` (a ``Saver``) and ``slim.assign_from_checkpoint``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

import scopeflow.compat.v1 as tf

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import slim_net_models  # noqa: E402

GOLDEN = HERE / "golden"


@pytest.fixture(autouse=True)
def _fresh_graph():
    tf.reset_default_graph()


def _expected(name: str) -> dict[str, np.ndarray]:
    with np.load(GOLDEN / name / "outputs.npz") as data:
        return {k: data[k] for k in data.files}


def _close(actual: np.ndarray, expected: np.ndarray, what: str, tol: float = 1e-4) -> None:
    scale = max(1.0, float(np.abs(expected).max()))
    np.testing.assert_allclose(actual, expected, rtol=tol, atol=tol * 0.1 * scale, err_msg=what)


@pytest.mark.parametrize("name", slim_net_models.MODELS)
def test_checkpoint_restores_and_outputs_match_tensorflow(name: str) -> None:
    slim = tf.contrib.slim
    graph = slim_net_models.build(tf, name)
    expected = _expected(name)
    np.testing.assert_array_equal(graph["feed"], expected["input"])
    prefix = str(GOLDEN / name / "model.ckpt")
    reader = tf.train.NewCheckpointReader(prefix)
    names = sorted(v.op.name for v in tf.global_variables())
    assert names == sorted(reader.get_variable_to_shape_map()), "variable names differ from TF's"
    restore = slim.assign_from_checkpoint_fn(prefix, slim.get_variables_to_restore())
    with tf.Session() as sess:
        restore(sess)
        for v in tf.global_variables():
            np.testing.assert_array_equal(sess.run(v), reader.get_tensor(v.op.name), v.op.name)
        actual = slim_net_models.run(sess, graph)
    assert sorted(actual) == sorted(expected)
    for key in expected:
        # Training-mode batch norm over a batch of 2 renormalizes float32 rounding noise at every
        # one of Inception v3's 95 layers; the difference stays at a few 1e-4 relative.
        tol = 2e-3 if key == "train_logits" and "inception_v3" in name else 1e-4
        _close(actual[key], expected[key], f"{name}: {key}", tol)


def test_assign_from_checkpoint_feed_dict() -> None:
    slim = tf.contrib.slim
    slim_net_models.build(tf, "tiny_resnet_v1")
    prefix = str(GOLDEN / "tiny_resnet_v1" / "model.ckpt")
    weights = slim.get_variables_by_name("weights")
    op, feed = slim.assign_from_checkpoint(prefix, weights)
    reader = tf.train.NewCheckpointReader(prefix)
    with tf.Session() as sess:
        sess.run(op, feed)
        for v in weights:
            np.testing.assert_array_equal(sess.run(v), reader.get_tensor(v.op.name))


def test_assign_from_checkpoint_missing_variable() -> None:
    slim = tf.contrib.slim
    extra = tf.get_variable("not_in_checkpoint", [2])
    prefix = str(GOLDEN / "tiny_resnet_v1" / "model.ckpt")
    with pytest.raises(ValueError, match=r"Checkpoint is missing variable \[not_in_checkpoint\]"):
        slim.assign_from_checkpoint(prefix, [extra])
    _, feed = slim.assign_from_checkpoint(prefix, [extra], ignore_missing_vars=True)
    assert feed == {}
    assert slim.assign_from_checkpoint_fn(prefix, [extra], ignore_missing_vars=True) is None
