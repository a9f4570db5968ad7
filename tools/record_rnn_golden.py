"""Record TensorFlow's outputs for the ``tf.contrib.rnn`` pieces TF 2.21 no longer ships.

TF 2.21 lacks the contrib classes but still has their kernels as raw ops (``LSTMBlockCell``,
``BlockLSTM``, ``GRUBlockCell``); this script runs those ops on fixed random inputs and weights,
plus TF 1.15's ``LayerNormBasicLSTMCell`` equations written with TF ops and ``tf_slim``'s
``layer_norm`` (the function contrib used), and the variable names of TF 1.15's
``stack_bidirectional_dynamic_rnn`` built from TF's ``bidirectional_dynamic_rnn`` under the
scopes contrib opened. Output: ``tests/rnn/golden/contrib_rnn.npz`` and
``tests/rnn/golden/contrib_rnn.json``. Needs TensorFlow (never a scopeflow dependency)::

    TF_USE_LEGACY_KERAS=1 /work/tfenv/bin/python tools/record_rnn_golden.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
OUT = Path(__file__).resolve().parent.parent / "tests" / "rnn" / "golden"


def main() -> None:
    import tensorflow.compat.v1 as tf

    tf.disable_eager_execution()
    tf.disable_resource_variables()
    tf.disable_v2_behavior()
    import tensorflow.python.framework.ops as _o

    _o.Tensor = tf.Tensor
    import tf_slim as slim

    rng = np.random.RandomState(0)
    d, h, b, t = 3, 4, 2, 5
    arr: dict[str, np.ndarray] = {
        "x": rng.randn(b, d).astype(np.float32),
        "xs": rng.randn(t, b, d).astype(np.float32),
        "cs": rng.randn(b, h).astype(np.float32),
        "h": rng.randn(b, h).astype(np.float32),
        "w": (rng.randn(d + h, 4 * h) * 0.5).astype(np.float32),
        "b": (rng.randn(4 * h) * 0.1).astype(np.float32),
        "wci": rng.randn(h).astype(np.float32),
        "wcf": rng.randn(h).astype(np.float32),
        "wco": rng.randn(h).astype(np.float32),
        "w_ru": (rng.randn(d + h, 2 * h) * 0.5).astype(np.float32),
        "w_c": (rng.randn(d + h, h) * 0.5).astype(np.float32),
        "b_ru": (rng.randn(2 * h) * 0.1).astype(np.float32),
        "b_c": (rng.randn(h) * 0.1).astype(np.float32),
        "seq_len": np.array([5, 2], np.int64),
    }
    a = {k: tf.constant(v) for k, v in arr.items()}
    fetch = {}
    for peep in (False, True):
        cell = tf.raw_ops.LSTMBlockCell(
            x=a["x"], cs_prev=a["cs"], h_prev=a["h"], w=a["w"], wci=a["wci"], wcf=a["wcf"],
            wco=a["wco"], b=a["b"], forget_bias=0.7, cell_clip=1.5 if peep else -1.0,
            use_peephole=peep)  # fmt: skip
        for i, n in enumerate(("i", "cs", "f", "o", "ci", "co", "h")):
            fetch[f"lstm_block_cell_{int(peep)}_{n}"] = cell[i]
        blk = tf.raw_ops.BlockLSTM(
            seq_len_max=tf.constant(4, tf.int64), x=a["xs"], cs_prev=a["cs"], h_prev=a["h"],
            w=a["w"], wci=a["wci"], wcf=a["wcf"], wco=a["wco"], b=a["b"], forget_bias=1.0,
            cell_clip=1.5 if peep else -1.0, use_peephole=peep)  # fmt: skip
        for i, n in enumerate(("i", "cs", "f", "o", "ci", "co", "h")):
            fetch[f"block_lstm_{int(peep)}_{n}"] = blk[i]
    gru = tf.raw_ops.GRUBlockCell(x=a["x"], h_prev=a["h"], w_ru=a["w_ru"], w_c=a["w_c"],
                                  b_ru=a["b_ru"], b_c=a["b_c"])  # fmt: skip
    for i, n in enumerate(("r", "u", "c", "h")):
        fetch[f"gru_block_cell_{n}"] = gru[i]

    # sequence_loss (TF 1.15 contrib/seq2seq/python/ops/loss.py) with TF's ops.
    arr["sl_logits"] = rng.randn(3, 4, 5).astype(np.float32)
    arr["sl_targets"] = rng.randint(0, 5, (3, 4)).astype(np.int32)
    arr["sl_weights"] = (rng.rand(3, 4) > 0.3).astype(np.float32)
    xent = tf.reshape(tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=tf.reshape(arr["sl_targets"], [-1]), logits=tf.reshape(arr["sl_logits"], [-1, 5])
    ) * tf.reshape(arr["sl_weights"], [-1]), [3, 4])  # fmt: skip
    w = tf.constant(arr["sl_weights"])
    fetch["sl_mean"] = tf.math.divide_no_nan(tf.reduce_sum(xent), tf.reduce_sum(w))
    fetch["sl_batch"] = tf.math.divide_no_nan(tf.reduce_sum(xent, 0), tf.reduce_sum(w, 0))
    fetch["sl_time"] = tf.math.divide_no_nan(tf.reduce_sum(xent, 1), tf.reduce_sum(w, 1))
    fetch["sl_sum_time"] = tf.math.divide_no_nan(
        tf.reduce_sum(xent, 1), tf.cast(tf.math.count_nonzero(w, 1), tf.float32)
    )
    fetch["sl_none"] = xent

    # LayerNormBasicLSTMCell (TF 1.15 contrib/rnn/python/ops/rnn_cell.py), kernel = w.
    def norm(v: object, scope: str) -> object:
        with tf.variable_scope(scope):
            tf.get_variable("gamma", shape=[h], initializer=tf.constant_initializer(1.0))
            tf.get_variable("beta", shape=[h], initializer=tf.constant_initializer(0.0))
        return slim.layer_norm(v, reuse=True, scope=scope)

    with tf.variable_scope("layer_norm_basic_lstm_cell"):
        args = tf.concat([a["x"], a["h"]], 1)
        i_, j_, f_, o_ = tf.split(tf.matmul(args, a["w"]), 4, axis=1)
        i_, j_, f_, o_ = (norm(i_, "input"), norm(j_, "transform"), norm(f_, "forget"),
                          norm(o_, "output"))  # fmt: skip
        new_c = a["cs"] * tf.sigmoid(f_ + 1.0) + tf.sigmoid(i_) * tf.tanh(j_)
        new_c = norm(new_c, "state")
        fetch["layer_norm_lstm_c"] = new_c
        fetch["layer_norm_lstm_h"] = tf.tanh(new_c) * tf.sigmoid(o_)
    ln_vars = [v.name for v in tf.global_variables()]

    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float32, [2, 5, 3])
        prev = x
        with tf.variable_scope("stack_bidirectional_rnn"):
            for i in range(2):
                with tf.variable_scope(f"cell_{i}"):
                    outs, _ = tf.nn.bidirectional_dynamic_rnn(
                        tf.nn.rnn_cell.LSTMCell(4), tf.nn.rnn_cell.GRUCell(3), prev,
                        dtype=tf.float32)  # fmt: skip
                    prev = tf.concat(outs, 2)
        stack_names = {"output": prev.name, "vars": [
            (v.name, v.shape.as_list()) for v in tf.global_variables()]}  # fmt: skip

    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        vals = sess.run(fetch)
    OUT.mkdir(parents=True, exist_ok=True)
    np.savez(OUT / "contrib_rnn.npz", **arr, **vals)
    (OUT / "contrib_rnn.json").write_text(
        json.dumps({"layer_norm_vars": ln_vars, "stack": stack_names}, indent=1) + "\n",
        encoding="utf-8",
    )
    print(f"wrote {OUT / 'contrib_rnn.npz'} ({len(vals)} recorded outputs)")


if __name__ == "__main__":
    main()
