"""Record TensorFlow's numbers for ``tf.contrib.cudnn_rnn`` (no CPU kernel in TF 1.15 or 2.21).

TF 1.15 computed ``CudnnLSTM``/``CudnnGRU``/``CudnnRNNTanh``/``CudnnRNNRelu`` on GPU only and
published their CPU equivalents: ``CudnnCompatibleLSTMCell`` (``LSTMBlockCell`` with
``forget_bias=0``), ``CudnnCompatibleGRUCell`` (reset gate applied after the recurrent matmul)
and ``BasicRNNCell``, fed with the cuDNN canonical weights converted by ``CudnnLSTMSaveable``
et al. (gate order ``i, f, c, o`` -> ``i, c, f, o``, input and recurrent biases summed). This
script draws random cuDNN canonical weights, converts them as TF 1.15 does (NumPy), and runs the
compatible math with TF's ops: the ``LSTMBlockCell`` raw op (the kernel of
``CudnnCompatibleLSTMCell``), ``CudnnCompatibleGRUCell``'s ``call`` written with TF ops, and
``matmul``+activation, stacked over layers and (reversed) directions as cuDNN stacks them. It
also records ``CudnnCompatibleLSTMCell`` inside ``dynamic_rnn`` through its TF 2.21 equivalent,
``tf.nn.rnn_cell.LSTMCell(forget_bias=0)``. Output: ``tests/contrib/golden/cudnn_rnn.json``
(configs) and ``tests/contrib/golden/cudnn_rnn.npz`` (inputs, weights, outputs, gradients).
Needs TensorFlow (never a scopeflow dependency)::

    TF_USE_LEGACY_KERAS=1 .tf-oracle/bin/python tools/record_cudnn_rnn.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
OUT = Path(__file__).resolve().parent.parent / "tests" / "contrib" / "golden"
PARAMS = {"lstm": 8, "gru": 6, "rnn_tanh": 2, "rnn_relu": 2}
CONFIGS = [
    {"mode": "lstm", "layers": 1, "units": 4, "input": 3, "dir": "unidirectional"},
    {"mode": "lstm", "layers": 2, "units": 3, "input": 5, "dir": "bidirectional"},
    {"mode": "lstm", "layers": 2, "units": 4, "input": 4, "dir": "unidirectional",
     "dtype": "float64"},
    {"mode": "gru", "layers": 1, "units": 4, "input": 3, "dir": "unidirectional"},
    {"mode": "gru", "layers": 2, "units": 3, "input": 2, "dir": "bidirectional"},
    {"mode": "rnn_tanh", "layers": 2, "units": 3, "input": 4, "dir": "unidirectional"},
    {"mode": "rnn_relu", "layers": 1, "units": 3, "input": 2, "dir": "bidirectional"},
    {"mode": "lstm", "layers": 2, "units": 3, "input": 4, "dir": "bidirectional",
     "seq": [5, 2, 1], "time_major": False},
    {"mode": "gru", "layers": 1, "units": 4, "input": 3, "dir": "unidirectional",
     "seq": [3, 5, 1]},
    {"mode": "rnn_tanh", "layers": 2, "units": 2, "input": 3, "dir": "bidirectional",
     "seq": [4, 5, 2]},
    {"mode": "gru", "layers": 1, "units": 3, "input": 2, "dir": "bidirectional",
     "time_major": False},
]  # fmt: skip
T = 5


def canonical_shapes(mode, layers, units, input_size, ndirs):
    p = PARAMS[mode]
    ws = []
    for layer in range(layers):
        width = input_size if layer == 0 else units * ndirs
        ws += ([[units, width]] * (p // 2) + [[units, units]] * (p // 2)) * ndirs
    return ws, [[units]] * len(ws)


def tf_canonical(tf, mode, ws, bs):
    """One layer-direction's cuDNN canonical params -> TF 1.15's compatible-cell params."""
    cat, tr = tf.concat, tf.transpose
    if mode == "lstm":
        w_i, w_f, w_c, w_o, r_i, r_f, r_c, r_o = ws
        b = [bs[k] + bs[k + 4] for k in range(4)]
        kernel = tr(
            cat([cat([w, r], 1) for w, r in ((w_i, r_i), (w_c, r_c), (w_f, r_f), (w_o, r_o))], 0)
        )
        return [kernel, cat([b[0], b[2], b[1], b[3]], 0)]
    if mode == "gru":
        w_r, w_u, w_h, r_r, r_u, r_h = ws
        gates = tr(cat([cat([w_r, r_r], 1), cat([w_u, r_u], 1)], 0))
        b_ru = cat([bs[0], bs[1]], 0) + cat([bs[3], bs[4]], 0)
        return [gates, tr(w_h), tr(r_h), b_ru, bs[2], bs[5]]
    return [tr(cat([ws[0], ws[1]], 1)), bs[0] + bs[1]]


def step(tf, mode, params, x, h, c):
    if mode == "lstm":
        # LSTMCell(forget_bias=0)'s equations; TF 2.21 has no gradient for the LSTMBlockCell
        # op, so main() checks the values against that op separately.
        kernel, bias = params
        gates = tf.nn.bias_add(tf.matmul(tf.concat([x, h], 1), kernel), bias)
        i, j, f, o = tf.split(value=gates, num_or_size_splits=4, axis=1)
        c = tf.sigmoid(f) * c + tf.sigmoid(i) * tf.tanh(j)
        return tf.sigmoid(o) * tf.tanh(c), c
    if mode == "gru":
        gk, ik, hk, gb, ib, hb = params
        value = tf.sigmoid(tf.nn.bias_add(tf.matmul(tf.concat([x, h], 1), gk), gb))
        r, u = tf.split(value=value, num_or_size_splits=2, axis=1)
        cand = tf.nn.bias_add(tf.matmul(x, ik), ib)
        cand += r * tf.nn.bias_add(tf.matmul(h, hk), hb)
        cand = tf.tanh(cand)
        return (1 - u) * cand + u * h, None
    kernel, bias = params
    pre = tf.nn.bias_add(tf.matmul(tf.concat([x, h], 1), kernel), bias)
    return (tf.tanh(pre) if mode == "rnn_tanh" else tf.nn.relu(pre)), None


def reference(tf, cfg, x, h0, c0, ws, bs):
    """The cuDNN stack with TF's drivers: ``dynamic_rnn``/``bidirectional_dynamic_rnn`` per
    layer over a cell running the compatible step (TF's ``sequence_length`` semantics: zero
    outputs and copied states past each length, the backward direction reversed within it)."""
    mode, layers = cfg["mode"], cfg["layers"]
    ndirs = 2 if cfg["dir"] == "bidirectional" else 1
    p = PARAMS[mode]
    seq = cfg.get("seq")
    units = cfg["units"]

    class StepCell(tf.nn.rnn_cell.RNNCell):
        def __init__(self, params):
            super().__init__()
            self._params = params

        @property
        def state_size(self):
            if mode == "lstm":
                return tf.nn.rnn_cell.LSTMStateTuple(units, units)
            return units

        @property
        def output_size(self):
            return units

        def call(self, inputs, state):
            if mode == "lstm":
                h, c = step(tf, mode, self._params, inputs, state.h, state.c)
                return h, tf.nn.rnn_cell.LSTMStateTuple(c, h)
            h, _ = step(tf, mode, self._params, inputs, state, None)
            return h, h

    def init(k):
        if mode == "lstm":
            return tf.nn.rnn_cell.LSTMStateTuple(c0[k], h0[k])
        return h0[k]

    inp = x if cfg.get("time_major", True) else tf.transpose(x, [1, 0, 2])
    hs, cs = [], []
    for layer in range(layers):
        cells = []
        for d in range(ndirs):
            k = layer * ndirs + d
            cells.append(
                StepCell(tf_canonical(tf, mode, ws[k * p : (k + 1) * p], bs[k * p : (k + 1) * p]))
            )
        with tf.variable_scope(f"layer{layer}"):
            if ndirs == 1:
                inp, st = tf.nn.dynamic_rnn(
                    cells[0], inp, sequence_length=seq, initial_state=init(layer), time_major=True
                )
                states = [st]
            else:
                (fw, bw), states = tf.nn.bidirectional_dynamic_rnn(
                    cells[0],
                    cells[1],
                    inp,
                    sequence_length=seq,
                    initial_state_fw=init(2 * layer),
                    initial_state_bw=init(2 * layer + 1),
                    time_major=True,
                )
                inp = tf.concat([fw, bw], 2)
        for st in states:
            hs.append(st.h if mode == "lstm" else st)
            cs.append(st.c if mode == "lstm" else None)
    out = inp if cfg.get("time_major", True) else tf.transpose(inp, [1, 0, 2])
    return out, tf.stack(hs), (tf.stack(cs) if mode == "lstm" else None)


def main() -> None:
    import tensorflow.compat.v1 as tf

    tf.disable_eager_execution()
    tf.disable_resource_variables()
    tf.disable_v2_behavior()
    arrays: dict[str, np.ndarray] = {}
    for i, cfg in enumerate(CONFIGS):
        rng = np.random.RandomState(100 + i)
        dt = np.dtype(cfg.get("dtype", "float32"))
        ndirs = 2 if cfg["dir"] == "bidirectional" else 1
        wshapes, bshapes = canonical_shapes(
            cfg["mode"], cfg["layers"], cfg["units"], cfg["input"], ndirs
        )
        b = len(cfg.get("seq", [0, 0]))
        xshape = [T, b, cfg["input"]] if cfg.get("time_major", True) else [b, T, cfg["input"]]
        vals = {
            "x": rng.randn(*xshape),
            "h0": rng.randn(cfg["layers"] * ndirs, b, cfg["units"]) * 0.5,
            "c0": rng.randn(cfg["layers"] * ndirs, b, cfg["units"]) * 0.5,
        }
        for j, s in enumerate(wshapes):
            vals[f"w{j}"] = rng.uniform(-0.6, 0.6, s)
        for j, s in enumerate(bshapes):
            vals[f"b{j}"] = rng.uniform(-0.3, 0.3, s)
        vals = {k: v.astype(dt) for k, v in vals.items()}
        with tf.Graph().as_default():
            ph = {k: tf.placeholder(tf.as_dtype(dt), v.shape, name=k) for k, v in vals.items()}
            ws = [ph[f"w{j}"] for j in range(len(wshapes))]
            bs = [ph[f"b{j}"] for j in range(len(bshapes))]
            out, h, c = reference(tf, cfg, ph["x"], ph["h0"], ph["c0"], ws, bs)
            fetch = {"out": out, "h": h}
            if c is not None:
                fetch["c"] = c
            loss = tf.add_n([tf.reduce_sum(t * t) for t in fetch.values()])
            wrt = (
                ["x", "h0"]
                + (["c0"] if c is not None else [])
                + [f"w{j}" for j in range(len(wshapes))]
                + [f"b{j}" for j in range(len(bshapes))]
            )
            grads = tf.gradients(loss, [ph[k] for k in wrt])
            with tf.Session() as sess:
                res, gres = sess.run([fetch, grads], {ph[k]: v for k, v in vals.items()})
                if cfg["mode"] == "lstm" and cfg["layers"] == 1 and ndirs == 1:
                    kernel, bias = tf_canonical(tf, "lstm", ws[:8], bs[:8])
                    n = cfg["units"]
                    z = tf.zeros([n], tf.as_dtype(dt))
                    hh, cc = ph["h0"][0], ph["c0"][0]
                    for t in range(T):  # the LSTMBlockCell op: CudnnCompatibleLSTMCell's kernel
                        blk = tf.raw_ops.LSTMBlockCell(
                            x=ph["x"][t],
                            cs_prev=cc,
                            h_prev=hh,
                            w=kernel,
                            wci=z,
                            wcf=z,
                            wco=z,
                            b=bias,
                            forget_bias=0.0,
                            cell_clip=-1.0,
                            use_peephole=False,
                        )
                        hh, cc = blk[6], blk[1]
                    got = sess.run(hh, {ph[k]: v for k, v in vals.items()})
                    np.testing.assert_allclose(got, res["h"][0], rtol=1e-5, atol=1e-6)
        for k, v in vals.items():
            arrays[f"{i}/in/{k}"] = v
        for k, v in res.items():
            arrays[f"{i}/out/{k}"] = v
        for k, g in zip(wrt, gres, strict=True):
            arrays[f"{i}/grad/{k}"] = g

    # CudnnCompatibleLSTMCell in a 2-layer MultiRNNCell under dynamic_rnn: TF 2.21's
    # LSTMCell(forget_bias=0) computes the same (the names are the cudnn-compatible ones).
    rng = np.random.RandomState(7)
    xb = rng.randn(2, T, 3).astype(np.float32)
    with tf.Graph().as_default():
        x = tf.constant(xb)
        cells = [tf.nn.rnn_cell.LSTMCell(4, forget_bias=0.0) for _ in range(2)]
        out, st = tf.nn.dynamic_rnn(tf.nn.rnn_cell.MultiRNNCell(cells), x, dtype=tf.float32)
        variables = tf.global_variables()
        assigns = [
            tf.assign(v, rng.uniform(-0.5, 0.5, v.shape.as_list()).astype(np.float32))
            for v in variables
        ]
        with tf.Session() as sess:
            sess.run(assigns)
            res = sess.run([out, st[1].c, st[1].h, *variables])
    arrays["compat_lstm/x"] = xb
    for k, v in zip(["out", "c", "h", "kernel0", "bias0", "kernel1", "bias1"], res, strict=True):
        arrays[f"compat_lstm/{k}"] = v
    # TF 1.15's CudnnLSTM.build draws every canonical weight from one
    # glorot_uniform_initializer(seed=layer seed): with a graph seed, each same-shaped weight
    # gets the same values. Those draws, for CudnnLSTM(1, 4, seed=11) on 3 input features.
    with tf.Graph().as_default():
        tf.set_random_seed(5)
        init = tf.glorot_uniform_initializer(seed=11, dtype=tf.float32)
        with tf.Session() as sess:
            arrays["glorot/input"], arrays["glorot/recurrent"] = sess.run(
                [init([4, 3], dtype=tf.float32), init([4, 4], dtype=tf.float32)]
            )
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "cudnn_rnn.json").write_text(json.dumps({"T": T, "configs": CONFIGS}, indent=1) + "\n")
    np.savez_compressed(OUT / "cudnn_rnn.npz", **arrays)
    print(f"{len(CONFIGS)} configs, {len(arrays)} arrays")


if __name__ == "__main__":
    main()
