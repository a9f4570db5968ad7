"""Record TF-written checkpoints under the canonical names of TF 1.15's cuDNN saveables.

TF 1.15's ``CudnnLSTM``/``CudnnGRU`` layers save their opaque buffer through
``CudnnLSTMSaveable``/``CudnnGRUSaveable`` as the variables of the platform-independent cells
(``CudnnCompatibleLSTMCell``, ``CudnnCompatibleGRUCell``) stacked by ``MultiRNNCell`` +
``dynamic_rnn`` (``cudnn_lstm/rnn/multi_rnn_cell/cell_<i>/cudnn_compatible_lstm_cell/kernel``)
or ``stack_bidirectional_dynamic_rnn``
(``.../stack_bidirectional_rnn/cell_<i>/bidirectional_rnn/{fw,bw}/<cell>/...``); the CPU
inference path TF users took was to build those cells under the layer's scope and restore the
checkpoint. Neither TF 1.15's ``CudnnLSTM`` (GPU only) nor ``tf.contrib`` runs here, so this
script builds that CPU graph in TF 2.21's ``tf.compat.v1``: ``CudnnCompatibleLSTMCell`` is
``tf.nn.rnn_cell.LSTMCell(forget_bias=0)`` named ``cudnn_compatible_lstm_cell`` (same ``i, c,
f, o`` kernel/bias layout as its ``LSTMBlockCell`` base), ``CudnnCompatibleGRUCell`` is
re-written below as TF 1.15 defines it (a ``GRUCell`` whose reset gate multiplies the projected
state plus its bias), ``stack_bidirectional_dynamic_rnn`` is its TF 1.15 definition
(``bidirectional_dynamic_rnn`` per layer under ``stack_bidirectional_rnn/cell_<i>``, outputs
concatenated). Variables get seeded random values; the script saves a checkpoint with
``tf.train.Saver`` and the outputs/final states for a fixed input.

Output: ``tests/contrib/golden/cudnn_checkpoint/<case>/model.ckpt.*`` and
``tests/contrib/golden/cudnn_checkpoint/cases.npz``. Needs TensorFlow (never a scopeflow
dependency)::

    TF_USE_LEGACY_KERAS=1 .tf-oracle/bin/python tools/record_cudnn_checkpoint.py
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
OUT = Path(__file__).resolve().parent.parent / "tests" / "contrib" / "golden" / "cudnn_checkpoint"
CASES = [
    {"name": "lstm_uni", "mode": "lstm", "layers": 2, "units": 4, "input": 3, "bidi": False},
    {"name": "gru_uni", "mode": "gru", "layers": 2, "units": 3, "input": 4, "bidi": False},
    {"name": "lstm_bidi", "mode": "lstm", "layers": 2, "units": 3, "input": 2, "bidi": True},
    {"name": "gru_bidi", "mode": "gru", "layers": 2, "units": 2, "input": 3, "bidi": True},
    {"name": "tanh_uni", "mode": "rnn_tanh", "layers": 2, "units": 3, "input": 2, "bidi": False},
    {"name": "relu_bidi", "mode": "rnn_relu", "layers": 1, "units": 3, "input": 4, "bidi": True},
]
T, B = 5, 2


def main() -> None:
    import tensorflow.compat.v1 as tf

    tf.disable_eager_execution()
    tf.disable_resource_variables()
    tf.disable_v2_behavior()

    class CudnnCompatibleGRUCell(tf.nn.rnn_cell.GRUCell):
        """TF 1.15's ``CudnnCompatibleGRUCell`` (contrib/cudnn_rnn/python/ops)."""

        def build(self, inputs_shape):
            depth = inputs_shape[-1]
            n = self._num_units
            self._gate_kernel = self.add_weight("gates/kernel", shape=[depth + n, 2 * n])
            self._gate_bias = self.add_weight("gates/bias", shape=[2 * n])
            self._candidate_input_kernel = self.add_weight(
                "candidate/input_projection/kernel", shape=[depth, n]
            )
            self._candidate_hidden_kernel = self.add_weight(
                "candidate/hidden_projection/kernel", shape=[n, n]
            )
            self._candidate_input_bias = self.add_weight(
                "candidate/input_projection/bias", shape=[n]
            )
            self._candidate_hidden_bias = self.add_weight(
                "candidate/hidden_projection/bias", shape=[n]
            )
            self.built = True

        def call(self, inputs, state):
            gate = tf.nn.bias_add(
                tf.matmul(tf.concat([inputs, state], 1), self._gate_kernel), self._gate_bias
            )
            r, u = tf.split(tf.sigmoid(gate), 2, axis=1)
            candidate = tf.nn.bias_add(
                tf.matmul(inputs, self._candidate_input_kernel), self._candidate_input_bias
            )
            candidate += r * tf.nn.bias_add(
                tf.matmul(state, self._candidate_hidden_kernel), self._candidate_hidden_bias
            )
            candidate = tf.tanh(candidate)
            new_h = (1 - u) * candidate + u * state
            return new_h, new_h

    def cell(mode, units):
        if mode == "lstm":
            return tf.nn.rnn_cell.LSTMCell(units, forget_bias=0.0,
                                           name="cudnn_compatible_lstm_cell")  # fmt: skip
        if mode in ("rnn_tanh", "rnn_relu"):  # CudnnRNNTanh/ReluSaveable: BasicRNNCell
            act = tf.tanh if mode == "rnn_tanh" else tf.nn.relu
            return tf.nn.rnn_cell.BasicRNNCell(units, activation=act, name="basic_rnn_cell")
        return CudnnCompatibleGRUCell(units, name="cudnn_compatible_gru_cell")

    def final(mode, state):  # (h, c) of one cell's final state
        if mode == "lstm":
            return state.h, state.c
        return state, state

    arrays: dict[str, np.ndarray] = {}
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    for case in CASES:
        rng = np.random.RandomState(len(case["name"]) * 7 + case["units"])
        x = rng.randn(T, B, case["input"]).astype(np.float32)
        mode, layers, units = case["mode"], case["layers"], case["units"]
        g = tf.Graph()
        with g.as_default():
            hs, cs = [], []
            with tf.variable_scope("cudnn_" + mode):  # the layers' default names
                inputs = tf.constant(x)
                if not case["bidi"]:
                    multi = tf.nn.rnn_cell.MultiRNNCell([cell(mode, units) for _ in range(layers)])
                    out, states = tf.nn.dynamic_rnn(multi, inputs, time_major=True,
                                                    dtype=tf.float32)  # fmt: skip
                    for st in states:
                        h, c = final(mode, st)
                        hs.append(h)
                        cs.append(c)
                else:  # TF 1.15's stack_bidirectional_dynamic_rnn
                    out = inputs
                    with tf.variable_scope("stack_bidirectional_rnn"):
                        for i in range(layers):
                            with tf.variable_scope(f"cell_{i}"):
                                (fw, bw), (sf, sb) = tf.nn.bidirectional_dynamic_rnn(
                                    cell(mode, units), cell(mode, units), out,
                                    time_major=True, dtype=tf.float32,
                                )  # fmt: skip
                                out = tf.concat([fw, bw], 2)
                            for st in (sf, sb):
                                h, c = final(mode, st)
                                hs.append(h)
                                cs.append(c)
            h_all, c_all = tf.stack(hs), tf.stack(cs)
            variables = tf.global_variables()
            values = {v.op.name: rng.uniform(-0.6, 0.6, v.shape.as_list()).astype(np.float32)
                      for v in variables}  # fmt: skip
            saver = tf.train.Saver()
            with tf.Session() as sess:
                for v in variables:
                    v.load(values[v.op.name], sess)
                o, h, c = sess.run([out, h_all, c_all])
                (OUT / case["name"]).mkdir()
                saver.save(sess, str(OUT / case["name"] / "model.ckpt"), write_meta_graph=False,
                           write_state=False)  # fmt: skip
        arrays[f"{case['name']}/x"] = x
        arrays[f"{case['name']}/outputs"] = o
        arrays[f"{case['name']}/h"] = h
        arrays[f"{case['name']}/c"] = c
        case["variables"] = sorted(values)
        print(case["name"], o.shape, h.shape, case["variables"])
    np.savez(OUT / "cases.npz", **arrays)
    (OUT / "cases.json").write_text(json.dumps({"tf_version": tf.__version__, "T": T, "B": B,
                                                "cases": CASES}, indent=1) + "\n")  # fmt: skip


if __name__ == "__main__":
    main()
