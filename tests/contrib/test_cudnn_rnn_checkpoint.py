"""cuDNN layers' checkpoints in TF 1.15's canonical format (``CudnnOpaqueParamsSaveable``).

TF 1.15's ``CudnnLSTM``/``CudnnGRU``/``CudnnRNNTanh``/``CudnnRNNRelu`` could not run here
(GPU-only kernels; TF 2.21 has no ``tf.contrib``), so the recordings
(``tools/record_cudnn_checkpoint.py``) are checkpoints TF 2.21 wrote from the CPU graph TF 1.15
users restored cuDNN checkpoints into: ``CudnnCompatibleLSTMCell``/``CudnnCompatibleGRUCell``/
``BasicRNNCell`` under ``MultiRNNCell`` + ``dynamic_rnn`` or ``stack_bidirectional_dynamic_rnn``,
in the layer's scope, with TF's outputs and final states. The names are those of TF 1.15's
``CudnnLSTMSaveable``/``CudnnGRUSaveable``/``CudnnRNNTanhSaveable``/``CudnnRNNReluSaveable``
(contrib/cudnn_rnn/python/ops/cudnn_rnn_ops.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import scopeflow.compat.v1 as tf
from scopeflow.contrib import cudnn_rnn as cr
from scopeflow.errors import NotFoundError
from scopeflow.train.saveable_object import SaveableObject, SaveSpec

GOLDEN = Path(__file__).parent / "golden" / "cudnn_checkpoint"
META = json.loads((GOLDEN / "cases.json").read_text())
ARRAYS = np.load(GOLDEN / "cases.npz")
CASES = {c["name"]: c for c in META["cases"]}


LAYERS = {"lstm": cr.CudnnLSTM, "gru": cr.CudnnGRU, "rnn_tanh": cr.CudnnRNNTanh,
          "rnn_relu": cr.CudnnRNNRelu}  # fmt: skip


def _layer(case, **kwargs):
    cls = LAYERS[case["mode"]]
    direction = cr.CUDNN_RNN_BIDIRECTION if case["bidi"] else cr.CUDNN_RNN_UNIDIRECTION
    return cls(case["layers"], case["units"], direction=direction, **kwargs)


def _ckpt(name):
    return str(GOLDEN / name / "model.ckpt")


@pytest.mark.parametrize("name", sorted(CASES))
def test_cudnn_layer_restores_tf_compatible_cell_checkpoint(name):
    case = CASES[name]
    x = ARRAYS[f"{name}/x"]
    with tf.Graph().as_default():
        layer = _layer(case)
        out, states = layer(tf.constant(x))
        assert layer.saveable.name == f"cudnn_{case['mode']}/opaque_kernel_saveable"
        assert tf.get_collection(tf.GraphKeys.SAVEABLE_OBJECTS) == [layer.saveable]
        saver = tf.train.Saver(tf.get_collection(tf.GraphKeys.SAVEABLE_OBJECTS))
        with tf.Session() as sess:
            saver.restore(sess, _ckpt(name))
            got = sess.run([out, *states])
    np.testing.assert_allclose(got[0], ARRAYS[f"{name}/outputs"], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got[1], ARRAYS[f"{name}/h"], rtol=1e-5, atol=1e-6)
    if case["mode"] == "lstm":
        np.testing.assert_allclose(got[2], ARRAYS[f"{name}/c"], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", sorted(CASES))
def test_cudnn_layer_saves_tf_canonical_names_and_values(name, tmp_path):
    """Restore TF's checkpoint, save it again: same keys (plus opaque_kernel), same values."""
    case = CASES[name]
    with tf.Graph().as_default():
        layer = _layer(case)
        layer(tf.constant(ARRAYS[f"{name}/x"]))
        restorer = tf.train.Saver(tf.get_collection(tf.GraphKeys.SAVEABLE_OBJECTS))
        saver = tf.train.Saver()  # TF 1.15's default: global variables + SAVEABLE_OBJECTS
        with tf.Session() as sess:
            restorer.restore(sess, _ckpt(name))
            path = saver.save(sess, str(tmp_path / "m"), write_meta_graph=False)
    mine = dict(tf.train.list_variables(path))
    opaque = mine.pop(f"cudnn_{case['mode']}/opaque_kernel")
    assert len(opaque) == 1
    assert sorted(mine) == case["variables"]
    theirs = tf.train.load_checkpoint(_ckpt(name))
    ours = tf.train.load_checkpoint(path)
    for key in case["variables"]:
        np.testing.assert_allclose(ours.get_tensor(key), theirs.get_tensor(key), rtol=1e-6,
                                   atol=1e-7, err_msg=key)  # fmt: skip


def test_default_saver_needs_opaque_kernel_like_tf():
    """TF 1.15's default Saver also lists opaque_kernel, absent from a compatible-cell file."""
    case = CASES["lstm_uni"]
    with tf.Graph().as_default():
        _layer(case)(tf.constant(ARRAYS["lstm_uni/x"]))
        saver = tf.train.Saver()
        with tf.Session() as sess, pytest.raises(NotFoundError, match="opaque_kernel"):
            saver.restore(sess, _ckpt("lstm_uni"))


def _compatible_graph(case, x):
    """The CPU graph of TF 1.15 users: compatible cells under the layer's canonical scope."""
    mode, units = case["mode"], case["units"]

    def cell():
        if mode == "lstm":
            return cr.CudnnCompatibleLSTMCell(units)
        if mode == "rnn_tanh":
            return tf.nn.rnn_cell.BasicRNNCell(units)
        if mode == "rnn_relu":
            return tf.nn.rnn_cell.BasicRNNCell(units, activation=tf.nn.relu)
        return cr.CudnnCompatibleGRUCell(units)

    with tf.variable_scope("cudnn_" + mode):
        if not case["bidi"]:
            multi = tf.nn.rnn_cell.MultiRNNCell([cell() for _ in range(case["layers"])])
            out, _ = tf.nn.dynamic_rnn(multi, tf.constant(x), time_major=True, dtype=tf.float32)
            return out
        out = tf.constant(x)
        with tf.variable_scope("stack_bidirectional_rnn"):
            for i in range(case["layers"]):
                with tf.variable_scope(f"cell_{i}"):
                    (fw, bw), _ = tf.nn.bidirectional_dynamic_rnn(
                        cell(), cell(), out, time_major=True, dtype=tf.float32
                    )
                    out = tf.concat([fw, bw], 2)
        return out


@pytest.mark.parametrize("name", sorted(CASES))
def test_cudnn_checkpoint_restores_into_compatible_cells(name, tmp_path):
    """A CudnnLSTM/CudnnGRU checkpoint (default Saver) loads into the compatible-cell graph."""
    case = CASES[name]
    rng = np.random.RandomState(3)
    x = rng.randn(4, 3, case["input"]).astype(np.float32)
    with tf.Graph().as_default():
        tf.set_random_seed(5)
        # non-zero cuDNN biases, so the summed-bias conversion matters
        layer = _layer(case, bias_initializer=tf.random_uniform_initializer(-0.5, 0.5))
        out, _ = layer(tf.constant(x))
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            want = sess.run(out)
            path = saver.save(sess, str(tmp_path / "m"), write_meta_graph=False)
    with tf.Graph().as_default():
        got_t = _compatible_graph(case, x)
        saver = tf.train.Saver()  # its variables only; the file's opaque_kernel is unused
        with tf.Session() as sess:
            saver.restore(sess, path)
            got = sess.run(got_t)
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_bias_halves_round_trip_and_random_biases(tmp_path):
    """Non-zero cuDNN biases: saved as the sum, restored as two halves (TF 1.15's rule)."""
    with tf.Graph().as_default():
        layer = cr.CudnnGRU(1, 3, bias_initializer=tf.random_uniform_initializer(-1.0, 1.0, 7))
        out, _ = layer(tf.constant(np.ones([2, 1, 2], np.float32)))
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            a = sess.run(out)
            path = saver.save(sess, str(tmp_path / "m"), write_meta_graph=False)
            sess.run(tf.assign(layer.kernel, tf.zeros_like(layer.kernel)))
            assert not np.allclose(sess.run(out), a)
            tf.train.Saver(tf.get_collection(tf.GraphKeys.SAVEABLE_OBJECTS)).restore(sess, path)
            np.testing.assert_allclose(sess.run(out), a, rtol=1e-6, atol=1e-7)
    reader = tf.train.load_checkpoint(path)
    b = reader.get_tensor(
        "cudnn_gru/rnn/multi_rnn_cell/cell_0/cudnn_compatible_gru_cell/gates/bias"
    )
    assert b.shape == (6,)
    assert np.abs(b).max() > 0


def test_saveable_scope_is_the_scope_at_build_time():
    """TF 1.15: built by __call__ the prefix is the layer's scope; by build(), the outer one."""
    cell = "rnn/multi_rnn_cell/cell_0/cudnn_compatible_lstm_cell/"
    with tf.Graph().as_default():
        manual = cr.CudnnLSTM(1, 4)
        manual.build([5, 3, 6])
        with tf.variable_scope("enc"):
            called = cr.CudnnLSTM(1, 4)
            called(tf.zeros([5, 3, 6]))
        assert manual.kernel.op.name == "cudnn_lstm/opaque_kernel"
        assert [s.name for s in manual.saveable.specs] == [cell + "kernel", cell + "bias"]
        assert called.kernel.op.name == "enc/cudnn_lstm/opaque_kernel"
        assert called.saveable.name == "enc/cudnn_lstm/opaque_kernel_saveable"
        assert [s.name for s in called.saveable.specs] == [
            f"enc/cudnn_lstm/{cell}kernel",
            f"enc/cudnn_lstm/{cell}bias",
        ]
        with tf.variable_scope("enc", reuse=True):  # no second saveable under reuse
            cr.CudnnLSTM(1, 4)(tf.zeros([5, 3, 6]))
        assert len(tf.get_collection(tf.GraphKeys.SAVEABLE_OBJECTS)) == 2


class _Doubled(SaveableObject):
    """A custom saveable: writes 2 * v under '<v>_doubled', restores v = value / 2."""

    def __init__(self, var):
        self._var = var
        super().__init__(var, [SaveSpec(var * 2.0, "", var.op.name + "_doubled")], "doubled")

    def restore(self, restored_tensors, restored_shapes):
        return tf.assign(self._var, restored_tensors[0] / 2.0)


@pytest.mark.parametrize("sharded", [False, True])
def test_saver_custom_saveable_object(tmp_path, sharded):
    with tf.Graph().as_default():
        v = tf.get_variable("v", initializer=[1.0, 3.0])
        w = tf.get_variable("w", initializer=[5.0])
        saver = tf.train.Saver([w, _Doubled(v)], sharded=sharded)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            path = saver.save(sess, str(tmp_path / "m"), write_meta_graph=False)
            sess.run([tf.assign(v, [0.0, 0.0]), tf.assign(w, [0.0])])
            saver.restore(sess, path)
            np.testing.assert_array_equal(sess.run(v), [1.0, 3.0])
            np.testing.assert_array_equal(sess.run(w), [5.0])
    assert tf.train.list_variables(path) == [("v_doubled", [2]), ("w", [1])]
    np.testing.assert_array_equal(tf.train.load_checkpoint(path).get_tensor("v_doubled"), [2, 6])
