"""``tf.contrib.cudnn_rnn`` on CPU against TF's numbers.

TF 1.15 ran the cuDNN layers on GPU only (TF 2.21 has no CPU kernel either), so the reference
is TF 1.15's published CPU equivalent, recorded by ``tools/record_cudnn_rnn.py``: the cuDNN
canonical weights converted as TF 1.15's ``CudnnLSTMSaveable``/``CudnnGRUSaveable`` convert
them and run through ``CudnnCompatibleLSTMCell`` (``LSTMBlockCell``, ``forget_bias=0``),
``CudnnCompatibleGRUCell`` and ``BasicRNNCell`` math with TF's ops, stacked over layers and
directions by ``dynamic_rnn``/``bidirectional_dynamic_rnn`` (whose ``sequence_length``
handling is the variable-length semantics of ``CudnnRNNV3``). Compared: outputs, final states
and gradients with respect to inputs, initial states and every canonical weight and bias;
plus the TF 2.21 equivalent of ``CudnnCompatibleLSTMCell`` in ``dynamic_rnn``
(``LSTMCell(forget_bias=0)``).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import scopeflow.compat.v1 as tf
from scopeflow.contrib import cudnn_rnn as cr
from scopeflow.contrib.cudnn_rnn import _ops as _cudnn_ops
from scopeflow.errors import UnsupportedError

HERE = Path(__file__).parent
META = json.loads((HERE / "golden" / "cudnn_rnn.json").read_text())
REC = np.load(HERE / "golden" / "cudnn_rnn.npz")


@pytest.fixture(autouse=True)
def _fresh_graph():
    with tf.Graph().as_default() as g:
        yield g


FUNCS = {"lstm": cr.cudnn_lstm, "gru": cr.cudnn_gru, "rnn_tanh": cr.cudnn_rnn_tanh,
         "rnn_relu": cr.cudnn_rnn_relu}  # fmt: skip
LAYERS = {"lstm": cr.CudnnLSTM, "gru": cr.CudnnGRU, "rnn_tanh": cr.CudnnRNNTanh,
          "rnn_relu": cr.CudnnRNNRelu}  # fmt: skip


def _inputs(i):
    prefix = f"{i}/in/"
    return {k[len(prefix) :]: REC[k] for k in REC.files if k.startswith(prefix)}


def _build(i, cfg):
    vals = _inputs(i)
    ph = {k: tf.placeholder(tf.as_dtype(v.dtype), v.shape, name=k) for k, v in vals.items()}
    nw = len([k for k in vals if k.startswith("w")])
    ws = [ph[f"w{j}"] for j in range(nw)]
    bs = [ph[f"b{j}"] for j in range(nw)]
    opaque = cr.cudnn_rnn_canonical_to_opaque_params(
        cfg["mode"], cfg["layers"], cfg["units"], cfg["input"], ws, bs, direction=cfg["dir"]
    )
    return vals, ph, nw, opaque


def _tol(cfg):
    return {"rtol": 1e-10, "atol": 1e-12} if cfg.get("dtype") == "float64" else {
        "rtol": 2e-5, "atol": 2e-6}  # fmt: skip


@pytest.mark.parametrize("i", range(len(META["configs"])))
def test_functional_op_matches_tensorflow(i):
    cfg = META["configs"][i]
    vals, ph, nw, opaque = _build(i, cfg)
    if "seq" in cfg or not cfg.get("time_major", True):
        # The public functions have no sequence_lengths/time_major (as in TF 1.15): the
        # layers' CudnnRNNV3 path, called directly.
        c_in = ph["c0"] if cfg["mode"] == "lstm" else tf.constant([], ph["x"].dtype)
        out, h, c = _cudnn_ops._cudnn_rnn(
            ph["x"], ph["h0"], c_in, opaque, True, cfg["mode"], sequence_lengths=cfg.get("seq"),
            time_major=cfg.get("time_major", True), direction=cfg["dir"])  # fmt: skip
        assert out.op.type == "CudnnRNNV3"
    elif cfg["mode"] == "lstm":
        out, h, c = cr.cudnn_lstm(ph["x"], ph["h0"], ph["c0"], opaque, True,
                                  direction=cfg["dir"])  # fmt: skip
    else:
        out, h = FUNCS[cfg["mode"]](ph["x"], ph["h0"], opaque, True, direction=cfg["dir"])
    if cfg["mode"] == "lstm":
        fetch = {"out": out, "h": h, "c": c}
        wrt = ["x", "h0", "c0"]
    else:
        fetch = {"out": out, "h": h}
        wrt = ["x", "h0"]
    wrt += [f"w{j}" for j in range(nw)] + [f"b{j}" for j in range(nw)]
    loss = tf.add_n([tf.reduce_sum(t * t) for t in fetch.values()])
    grads = tf.gradients(loss, [ph[k] for k in wrt])
    with tf.Session() as sess:
        res, gres = sess.run([fetch, grads], {ph[k]: v for k, v in vals.items()})
    for k, v in res.items():
        np.testing.assert_allclose(v, REC[f"{i}/out/{k}"], err_msg=k, **_tol(cfg))
    for k, g in zip(wrt, gres, strict=True):
        np.testing.assert_allclose(g, REC[f"{i}/grad/{k}"], err_msg=k, **_tol(cfg))


@pytest.mark.parametrize("i", range(len(META["configs"])))
def test_layer_with_loaded_opaque_kernel_matches_tensorflow(i):
    cfg = META["configs"][i]
    vals, ph, _, opaque = _build(i, cfg)
    dt = tf.as_dtype(vals["x"].dtype)
    layer = LAYERS[cfg["mode"]](cfg["layers"], cfg["units"], direction=cfg["dir"], dtype=dt)
    state = (ph["h0"], ph["c0"]) if cfg["mode"] == "lstm" else (ph["h0"],)
    out, st = layer(
        ph["x"],
        initial_state=state,
        training=False,
        sequence_lengths=cfg.get("seq"),
        time_major=cfg.get("time_major", True),
    )
    load = tf.assign(layer.kernel, opaque, validate_shape=False)
    feed = {ph[k]: v for k, v in vals.items()}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(load, feed)
        got_out, got_h = sess.run([out, st[0]], feed)
    np.testing.assert_allclose(got_out, REC[f"{i}/out/out"], **_tol(cfg))
    np.testing.assert_allclose(got_h, REC[f"{i}/out/h"], **_tol(cfg))


def test_compatible_lstm_cell_in_dynamic_rnn_matches_tensorflow():
    x = tf.constant(REC["compat_lstm/x"])
    cells = [cr.CudnnCompatibleLSTMCell(4) for _ in range(2)]
    out, st = tf.nn.dynamic_rnn(tf.nn.rnn_cell.MultiRNNCell(cells), x, dtype=tf.float32)
    names = [v.op.name for v in tf.global_variables()]
    assert names == [
        "rnn/multi_rnn_cell/cell_0/cudnn_compatible_lstm_cell/kernel",
        "rnn/multi_rnn_cell/cell_0/cudnn_compatible_lstm_cell/bias",
        "rnn/multi_rnn_cell/cell_1/cudnn_compatible_lstm_cell/kernel",
        "rnn/multi_rnn_cell/cell_1/cudnn_compatible_lstm_cell/bias",
    ]
    keys = ["kernel0", "bias0", "kernel1", "bias1"]
    with tf.Session() as sess:
        for v, k in zip(tf.global_variables(), keys, strict=True):
            v.load(REC[f"compat_lstm/{k}"], sess)
        got = sess.run([out, st[1].c, st[1].h])
    for g, k in zip(got, ["out", "c", "h"], strict=True):
        np.testing.assert_allclose(g, REC[f"compat_lstm/{k}"], rtol=2e-5, atol=2e-6)


@pytest.mark.parametrize(
    ("mode", "cell_fn", "converter"),
    [
        ("lstm", cr.CudnnCompatibleLSTMCell, cr.CudnnParamsFormatConverterLSTM),
        ("gru", cr.CudnnCompatibleGRUCell, cr.CudnnParamsFormatConverterGRU),
        ("rnn_tanh", tf.nn.rnn_cell.BasicRNNCell, cr.CudnnParamsFormatConverterTanh),
    ],
)
def test_tf_canonical_weights_drive_the_compatible_cells(mode, cell_fn, converter):
    """Opaque -> TF canonical -> compatible cells give the cuDNN layer's outputs (TF's recipe)."""
    tf.set_random_seed(3)
    x = tf.constant(np.random.RandomState(0).randn(6, 2, 3).astype(np.float32))
    layer = LAYERS[mode](2, 4, bias_initializer=tf.random_uniform_initializer(-0.5, 0.5))
    out, _ = layer(x)
    conv = converter(2, 4, 3)
    canon = conv.opaque_to_tf_canonical(layer.kernel)
    cells = [cell_fn(4) for _ in range(2)]
    ref, _ = tf.nn.dynamic_rnn(tf.nn.rnn_cell.MultiRNNCell(cells), x, dtype=tf.float32,
                               time_major=True)  # fmt: skip
    rnn_vars = [v for v in tf.global_variables() if v.op.name.startswith("rnn/")]
    per_w = len(canon) // 2 if mode != "gru" else 6
    tf_w, tf_b = canon[:per_w], canon[per_w:]
    n_w, n_b = len(tf_w) // 2, len(tf_b) // 2
    ordered = []
    for layer_i in range(2):
        ordered += _interleave(mode, tf_w[layer_i * n_w : (layer_i + 1) * n_w],
                               tf_b[layer_i * n_b : (layer_i + 1) * n_b])  # fmt: skip
    assigns = [tf.assign(v, t) for v, t in zip(rnn_vars, ordered, strict=True)]
    back = conv.tf_canonical_to_opaque(canon)  # summed biases come back as two halves
    h0 = tf.zeros([2, 2, 4])
    if mode == "lstm":
        rt_out = cr.cudnn_lstm(x, h0, h0, back, True)[0]
    else:
        rt_out = FUNCS[mode](x, h0, back, True)[0]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(assigns)
        a, b, c = sess.run([out, ref, rt_out])
    np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(c, a, rtol=1e-5, atol=1e-6)


def _interleave(mode, ws, bs):
    """A compatible cell's variables in creation order from the converter's lists."""
    if mode == "gru":
        return [ws[0], bs[0], ws[1], ws[2], bs[1], bs[2]]
    return [ws[0], bs[0]]


def test_names_shapes_and_sizes():
    x = tf.zeros([5, 3, 6])
    lstm = cr.CudnnLSTM(1, 4)
    out, (h, c) = lstm(x)
    gru = cr.CudnnGRU(2, 3, direction="bidirectional", name="enc")
    out2, (h2,) = gru(x)
    assert [v.op.name for v in tf.global_variables()] == [
        "cudnn_lstm/opaque_kernel", "enc/opaque_kernel"]  # fmt: skip
    assert out.op.type == "CudnnRNN"
    assert (out.shape.as_list(), h.shape.as_list(), c.shape.as_list()) == (
        [5, 3, 4], [1, 3, 4], [1, 3, 4])  # fmt: skip
    assert (out2.shape.as_list(), h2.shape.as_list()) == ([5, 3, 6], [4, 3, 3])
    assert lstm.canonical_weight_shapes == [[4, 6]] * 4 + [[4, 4]] * 4
    assert lstm.canonical_bias_shapes == [[4]] * 8
    assert gru.canonical_weight_shapes[6:9] == [[3, 6]] * 3
    size = cr.cudnn_rnn_opaque_params_size("gru", 2, 3, 6, direction="bidirectional")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        k1, k2, n = sess.run([lstm.kernel, gru.kernel, size])
    assert k1.shape == (4 * 4 * 6 + 4 * 4 * 4 + 8 * 4,)
    assert k2.shape == (n,)
    assert n == 2 * (3 * 3 * 6 + 3 * 3 * 3 + 6 * 3) + 2 * (3 * 3 * 6 + 3 * 3 * 3 + 6 * 3)


def test_unsupported_and_invalid_arguments():
    with pytest.raises(ValueError, match="Invalid direction"):
        cr.CudnnLSTM(1, 2, direction="sideways")
    with pytest.raises(ValueError, match="Invalid input_mode"):
        cr.CudnnGRU(1, 2, input_mode="nope")
    with pytest.raises(UnsupportedError, match="skip_input"):
        cr.CudnnLSTM(1, 3, input_mode="skip_input")(tf.zeros([2, 1, 3]))
    bad, _ = cr.CudnnLSTM(1, 3)(tf.zeros([2, 2, 3]), sequence_lengths=[2, 0])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"in \[1, 2\]"):
            sess.run(bad)
    with pytest.raises(UnsupportedError, match="dropout"):
        cr.CudnnLSTM(2, 3, dropout=0.5)(tf.zeros([2, 1, 3]), training=True)
    out, _ = cr.CudnnLSTM(2, 3, dropout=0.5)(tf.ones([2, 1, 3]), training=False)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(out).shape == (2, 1, 3)


def test_seeded_initial_weights_are_tf_glorot_draws():
    """TF 1.15 draws each canonical weight from ``glorot_uniform_initializer(seed=seed)``."""
    tf.set_random_seed(5)
    lstm = cr.CudnnLSTM(1, 4, seed=11)
    lstm(tf.zeros([2, 1, 3]))
    ws, bs = cr.cudnn_rnn_opaque_params_to_canonical("lstm", 1, 4, 3, lstm.kernel)
    got_w, got_b = _run_init(ws, bs)
    for w in got_w[:4]:
        np.testing.assert_allclose(w, REC["glorot/input"], rtol=1e-6)
    for w in got_w[4:]:
        np.testing.assert_allclose(w, REC["glorot/recurrent"], rtol=1e-6)
    assert not np.any(got_b)


def _run_init(*fetches):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(list(fetches))


def test_cudnn_trained_weights_run_in_an_lstm_block_fused_cell_inference_graph():
    """The DeepSpeech pattern: train ``CudnnLSTM`` with ``sequence_lengths``; infer with
    ``LSTMBlockFusedCell(forget_bias=0, name="cudnn_compatible_lstm_cell")`` under the canonical
    scope, its ``kernel``/``bias`` being the TF canonical weights."""
    rng = np.random.RandomState(4)
    x = rng.randn(5, 3, 2).astype(np.float32)
    lengths = np.array([5, 2, 4], np.int32)
    with tf.Graph().as_default():
        tf.set_random_seed(2)
        lstm = cr.CudnnLSTM(1, 4, bias_initializer=tf.random_uniform_initializer(-0.5, 0.5))
        out, (h, c) = lstm(tf.constant(x), sequence_lengths=lengths)
        kernel, bias = cr.CudnnParamsFormatConverterLSTM(1, 4, 2).opaque_to_tf_canonical(
            lstm.kernel
        )
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            want_out, want_h, want_c, k, b = sess.run([out, h, c, kernel, bias])
    with tf.Graph().as_default():
        from scopeflow.contrib import rnn as contrib_rnn

        with tf.variable_scope("cudnn_lstm/rnn/multi_rnn_cell/cell_0"):
            cell = contrib_rnn.LSTMBlockFusedCell(4, forget_bias=0,
                                                  name="cudnn_compatible_lstm_cell")  # fmt: skip
            got, (gc, gh) = cell(tf.constant(x), sequence_length=lengths, dtype=tf.float32)
        names = [v.op.name for v in tf.global_variables()]
        assert names == [
            "cudnn_lstm/rnn/multi_rnn_cell/cell_0/cudnn_compatible_lstm_cell/kernel",
            "cudnn_lstm/rnn/multi_rnn_cell/cell_0/cudnn_compatible_lstm_cell/bias",
        ]
        with tf.Session() as sess:
            for v, val in zip(tf.global_variables(), [k, b], strict=True):
                v.load(val, sess)
            got_out, got_h, got_c = sess.run([got, gh, gc])
    np.testing.assert_allclose(got_out, want_out, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got_h, want_h[0], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got_c, want_c[0], rtol=1e-5, atol=1e-6)


def test_layer_reuse_and_checkpoint_round_trip(tmp_path):
    x = np.random.RandomState(0).randn(4, 2, 3).astype(np.float32)
    with tf.Graph().as_default():
        tf.set_random_seed(1)
        lstm = cr.CudnnLSTM(2, 5)
        out, _ = lstm(tf.constant(x))
        again, _ = lstm(tf.constant(x[:2]))  # a second call shares the opaque kernel
        assert [v.op.name for v in tf.global_variables()] == ["cudnn_lstm/opaque_kernel"]
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            a, a2 = sess.run([out, again])
            path = saver.save(sess, str(tmp_path / "m"))
    np.testing.assert_allclose(a2, a[:2], rtol=1e-6)
    # TF 1.15 saves the opaque buffer and (CudnnLSTMSaveable) the canonical tensors
    cell = "cudnn_lstm/rnn/multi_rnn_cell/cell_{}/cudnn_compatible_lstm_cell/"
    assert tf.train.list_variables(path) == [
        ("cudnn_lstm/opaque_kernel", [440]),
        (cell.format(0) + "bias", [20]),
        (cell.format(0) + "kernel", [8, 20]),
        (cell.format(1) + "bias", [20]),
        (cell.format(1) + "kernel", [10, 20]),
    ]
    with tf.Graph().as_default():
        out, _ = cr.CudnnLSTM(2, 5)(tf.constant(x))
        saver = tf.train.Saver()
        with tf.Session() as sess:
            saver.restore(sess, path)
            np.testing.assert_array_equal(sess.run(out), a)
