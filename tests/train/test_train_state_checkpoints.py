"""Training-state checkpoints (Adam slots, beta powers, global_step, EMA shadows) cross between
TensorFlow and scopeflow: recorded by ``tools/record_train_state.py`` (see its docstring)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

import scopeflow.compat.v1 as tf

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "golden" / "train_state"
sys.path.insert(0, str(HERE))
import train_state_model as m  # noqa: E402

NAMES = [
    "dense/kernel", "dense/bias", "emb", "global_step", "beta1_power", "beta2_power",
    "dense/kernel/Adam", "dense/kernel/Adam_1", "dense/bias/Adam", "dense/bias/Adam_1",
    "emb/Adam", "emb/Adam_1", "dense/kernel/ExponentialMovingAverage",
    "dense/bias/ExponentialMovingAverage", "emb/ExponentialMovingAverage",
]  # fmt: skip


def _check(values: dict[str, np.ndarray], expected_file: Path) -> None:
    expected = np.load(expected_file)
    assert sorted(values) == sorted(expected.files)
    for name in expected.files:
        np.testing.assert_allclose(values[name], expected[name], rtol=2e-5, atol=2e-6,
                                   err_msg=name)  # fmt: skip


def test_global_variables_are_tfs_in_tfs_order() -> None:
    m.build(tf)
    assert [v.op.name for v in tf.global_variables()] == NAMES
    keys = [name for name, _ in tf.train.list_variables(str(GOLDEN / "tf_ckpt"))]
    assert sorted(keys) == sorted(NAMES)


def test_tf_checkpoint_mid_training_restores_and_continues_as_tf() -> None:
    train = m.build(tf)
    saver = tf.train.Saver()
    with tf.Session() as sess:
        saver.restore(sess, str(GOLDEN / "tf_ckpt"))
        assert int(sess.run(tf.train.get_global_step())) == m.STEPS_BEFORE
        for _ in range(m.STEPS_AFTER):
            sess.run(train)
        _check(m.values(tf, sess), GOLDEN / "tf_after.npz")


def test_scopeflow_checkpoint_is_what_tf_continued_from(tmp_path: Path) -> None:
    """scopeflow writes the checkpoint TF restored (``tf_after_sf_ckpt.npz``), and continuing
    from it in scopeflow gives TF's values."""
    train = m.build(tf)
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(m.STEPS_BEFORE):
            sess.run(train)
        saver.save(sess, str(tmp_path / "ckpt"), write_meta_graph=False, write_state=False)
    ours = dict(tf.train.list_variables(str(tmp_path / "ckpt")))
    assert ours == dict(tf.train.list_variables(str(GOLDEN / "sf_ckpt")))
    for name in ours:
        np.testing.assert_allclose(
            tf.train.load_variable(str(tmp_path / "ckpt"), name),
            tf.train.load_variable(str(GOLDEN / "sf_ckpt"), name),
            rtol=1e-5,
            atol=1e-7,
            err_msg=name,
        )
    with tf.Session() as sess:
        saver.restore(sess, str(GOLDEN / "sf_ckpt"))
        for _ in range(m.STEPS_AFTER):
            sess.run(train)
        _check(m.values(tf, sess), GOLDEN / "tf_after_sf_ckpt.npz")


def test_ema_variables_to_restore_loads_shadows_into_model() -> None:
    """An eval graph (the model's variables only) restores the averages through TF's names."""
    with tf.variable_scope("dense"):
        tf.get_variable("kernel", [4, 3])
        tf.get_variable("bias", [3])
    tf.get_variable("emb", [6, 4])
    ema = tf.train.ExponentialMovingAverage(0.9)
    saver = tf.train.Saver(ema.variables_to_restore())
    w = tf.trainable_variables()[0]
    with tf.Session() as sess:
        saver.restore(sess, str(GOLDEN / "tf_ckpt"))
        np.testing.assert_array_equal(
            sess.run(w),
            tf.train.load_variable(
                str(GOLDEN / "tf_ckpt"), "dense/kernel/ExponentialMovingAverage"
            ),
        )
