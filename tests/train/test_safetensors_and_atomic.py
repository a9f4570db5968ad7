"""safetensors save/restore; atomic saves (a killed save leaves the previous checkpoint)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import ml_dtypes
import numpy as np
import pytest
import torch
from safetensors.torch import load_file

import scopeflow.compat.v1 as tf
from scopeflow.errors import UnsupportedError
from scopeflow.train import CheckpointMismatchNotFoundError


def test_safetensors_round_trip_bf16_and_partitioned(tmp_path):
    a = tf.Variable(np.arange(6, dtype=np.float32).reshape(2, 3), name="dense/kernel")
    b = tf.Variable(np.array([1.5, -2.0, 3e38], ml_dtypes.bfloat16), name="dense/bias")
    i = tf.Variable(np.array([1, 2], np.int64), name="step")
    p = tf.get_variable("emb", [5, 2], partitioner=tf.fixed_size_partitioner(2))
    path = tmp_path / "w.safetensors"
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        want_p = sess.run(p.as_tensor())
        tf.train.save_safetensors(sess, path)
    loaded = load_file(str(path))
    assert sorted(loaded) == ["dense/bias", "dense/kernel", "emb", "step"]
    assert loaded["dense/bias"].dtype == torch.bfloat16
    assert loaded["dense/bias"].view(torch.int16).numpy().tobytes() == (
        np.array([1.5, -2.0, 3e38], ml_dtypes.bfloat16).tobytes()
    )
    np.testing.assert_array_equal(loaded["emb"].numpy(), want_p)
    assert not [f for f in tmp_path.iterdir() if "tempstate" in f.name]
    with tf.Session() as sess:
        tf.train.restore_safetensors(sess, path)
        np.testing.assert_array_equal(sess.run(a), np.arange(6).reshape(2, 3))
        assert sess.run(b).tobytes() == np.array([1.5, -2.0, 3e38], ml_dtypes.bfloat16).tobytes()
        np.testing.assert_array_equal(sess.run(i), [1, 2])
        np.testing.assert_array_equal(sess.run(p.as_tensor()), want_p)


def test_safetensors_mismatch_and_unsupported(tmp_path):
    path = tmp_path / "w.safetensors"
    with tf.Graph().as_default():
        tf.Variable(np.zeros(3, np.float32), name="a")
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            tf.train.save_safetensors(sess, path)
    with tf.Graph().as_default():
        tf.Variable(np.zeros(4, np.float32), name="a")
        tf.Variable(np.zeros(1, np.float32), name="b")
        with tf.Session() as sess, pytest.raises(CheckpointMismatchNotFoundError) as info:
            tf.train.restore_safetensors(sess, path)
        assert info.value.mismatch.missing == ["b"]
        assert info.value.mismatch.shape == [("a", [4], [3])]
    with tf.Graph().as_default():
        tf.Variable(np.array([b"x"], object), name="s")
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            with pytest.raises(UnsupportedError, match="string tensor 's'"):
                tf.train.save_safetensors(sess, tmp_path / "s.safetensors")
    tf.Variable(1.0, name="c")
    with tf.Session() as sess, pytest.raises(FileNotFoundError):
        tf.train.restore_safetensors(sess, tmp_path / "none.safetensors")


KILL_SCRIPT = textwrap.dedent(
    """
    import sys, time
    import numpy as np
    import scopeflow.compat.v1 as tf
    import scopeflow.checkpoint._bundle_writer as bw
    real_build = bw.build_table
    def slow_build(items):
        print("WRITING", flush=True)
        time.sleep(60)
        return real_build(items)
    out = sys.argv[1]
    v = tf.Variable(np.arange(1000, dtype=np.float32), name="v")
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        saver.save(sess, out + "/model.ckpt", global_step=1, write_meta_graph=False)
        print("SAVED", flush=True)
        sess.run(tf.assign(v, -np.arange(1000, dtype=np.float32)))
        bw.build_table = slow_build
        saver.save(sess, out + "/model.ckpt", global_step=2, write_meta_graph=False)
    """
)


@pytest.mark.slow
def test_killed_save_keeps_previous_checkpoint(tmp_path):
    proc = subprocess.Popen(
        [sys.executable, "-c", KILL_SCRIPT, str(tmp_path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout.readline().strip() == "SAVED"
        assert proc.stdout.readline().strip() == "WRITING"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(30)
    files = sorted(p.name for p in Path(tmp_path).iterdir())
    assert "model.ckpt-2.index" not in files
    assert not [f for f in files if f.startswith("model.ckpt-2.data") and "tempstate" not in f]
    latest = tf.train.latest_checkpoint(str(tmp_path))
    assert latest == str(tmp_path / "model.ckpt-1")
    v = tf.Variable(np.zeros(1000, np.float32), name="v")
    with tf.Session() as sess:
        tf.train.Saver().restore(sess, latest)
        np.testing.assert_array_equal(sess.run(v), np.arange(1000, dtype=np.float32))
