"""``scopeflow.contrib.rnn`` against TF: TF 2.21 lacks the contrib classes, so the values are
TF's raw ``LSTMBlockCell``/``BlockLSTM``/``GRUBlockCell`` kernels and TF 1.15's
``LayerNormBasicLSTMCell`` equations, recorded by ``tools/record_rnn_golden.py``."""

from __future__ import annotations

import builtins
import doctest
import importlib
import json
from pathlib import Path

import numpy as np
import pytest

import scopeflow.compat.v1 as tf
import scopeflow.contrib.rnn as contrib_rnn

GOLDEN = Path(__file__).resolve().parent / "golden"
G = dict(np.load(GOLDEN / "contrib_rnn.npz"))
NAMES = json.loads((GOLDEN / "contrib_rnn.json").read_text(encoding="utf-8"))
C = tf.constant_initializer


def _run(fetches):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(fetches)


@pytest.mark.parametrize("peep", [False, True])
def test_lstm_block_cell_matches_tf_kernel(peep):
    cell = contrib_rnn.LSTMBlockCell(4, forget_bias=0.7, cell_clip=1.5 if peep else None,
                                     use_peephole=peep)  # fmt: skip
    with tf.variable_scope("s", initializer=None):
        h, _st = cell(tf.constant(G["x"]), (tf.constant(G["cs"]), tf.constant(G["h"])))
    assign = [tf.assign(cell._kernel, G["w"]), tf.assign(cell._bias, G["b"])]
    if peep:
        assign += [tf.assign(cell._w_i_diag, G["wci"]), tf.assign(cell._w_f_diag, G["wcf"]),
                   tf.assign(cell._w_o_diag, G["wco"])]  # fmt: skip
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(assign)
        outs = sess.run(list(h.op.outputs))
    for val, n in zip(outs, ("i", "cs", "f", "o", "ci", "co", "h"), strict=True):
        np.testing.assert_allclose(val, G[f"lstm_block_cell_{int(peep)}_{n}"], rtol=1e-5,
                                   atol=1e-6)  # fmt: skip
    assert [v.name for v in cell.variables][:2] == ["s/lstm_cell/kernel:0", "s/lstm_cell/bias:0"]


@pytest.mark.parametrize("peep", [False, True])
def test_block_lstm_op_matches_tf_kernel(peep):
    from scopeflow.ops.rnn_block_ops import block_lstm

    op = block_lstm(tf.constant(4, tf.int64), G["xs"], G["cs"], G["h"], G["w"], G["wci"],
                    G["wcf"], G["wco"], G["b"], forget_bias=1.0,
                    cell_clip=1.5 if peep else -1.0, use_peephole=peep)  # fmt: skip
    outs = _run(list(op.outputs))
    for val, n in zip(outs, ("i", "cs", "f", "o", "ci", "co", "h"), strict=True):
        # TF zeroes cs and h past seq_len_max and leaves the gate outputs there uninitialised.
        k = 5 if n in ("cs", "h") else 4
        np.testing.assert_allclose(val[:k], G[f"block_lstm_{int(peep)}_{n}"][:k], rtol=1e-5,
                                   atol=1e-6)  # fmt: skip


def test_lstm_block_fused_cell_sequence_length_and_gradients():
    cell = contrib_rnn.LSTMBlockFusedCell(4)
    xs = tf.constant(G["xs"])
    sl = tf.constant([5, 2])
    out, st = cell(xs, initial_state=(tf.constant(G["cs"]), tf.constant(G["h"])),
                   sequence_length=sl)  # fmt: skip
    assert [v.name for v in tf.global_variables()] == [
        "lstm_fused_cell/kernel:0", "lstm_fused_cell/bias:0"]  # fmt: skip
    # The same sequence with LSTMBlockCell steps (shared TF math) and a manual mask.
    with tf.variable_scope("ref"):
        ref = contrib_rnn.LSTMBlockCell(4)
        state = (tf.constant(G["cs"]), tf.constant(G["h"]))
        hs = []
        for t in range(5):
            hh, state = ref(xs[t], state)
            hs.append(hh)
    copy = [tf.assign(ref._kernel, cell._kernel), tf.assign(ref._bias, cell._bias)]
    grads = tf.gradients(tf.reduce_sum(out) + tf.reduce_sum(st.c), [cell._kernel, xs])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(copy)
        o, s, r, g = sess.run([out, st, hs, grads])
    np.testing.assert_allclose(o[:, 0], np.stack(r)[:, 0], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(o[:2, 1], np.stack(r)[:2, 1], rtol=1e-5, atol=1e-6)
    assert not o[2:, 1].any()
    np.testing.assert_allclose(s.h[1], r[1][1], rtol=1e-5, atol=1e-6)
    assert np.isfinite(g[0]).all()
    assert g[1][2:, 1].sum() == 0


def test_gru_block_cells_match_tf_kernel():
    v2_names = ["gates/kernel", "gates/bias", "candidate/kernel", "candidate/bias"]
    for cls, names in ((contrib_rnn.GRUBlockCell, ["w_c", "b_ru", "w_ru", "b_c"]),
                       (contrib_rnn.GRUBlockCellV2, v2_names)):  # fmt: skip
        with tf.Graph().as_default():
            cell = cls(4)
            h, _ = cell(tf.constant(G["x"]), tf.constant(G["h"]))
            assert [v.op.name for v in tf.global_variables()] == [f"gru_cell/{n}" for n in names]
            ws = [G["w_ru"], G["b_ru"], G["w_c"], G["b_c"]]
            with tf.Session() as sess:
                sess.run([tf.assign(v, w) for v, w in zip(tf.global_variables(), ws,
                                                          strict=True)])  # fmt: skip
                outs = sess.run(list(h.op.outputs))
        for val, n in zip(outs, ("r", "u", "c", "h"), strict=True):
            np.testing.assert_allclose(val, G[f"gru_block_cell_{n}"], rtol=1e-5, atol=1e-6)


def test_layer_norm_basic_lstm_cell_matches_tf_1_15_math():
    cell = contrib_rnn.LayerNormBasicLSTMCell(4)
    h, st = cell(tf.constant(G["x"]), (tf.constant(G["cs"]), tf.constant(G["h"])))
    names = [v.name for v in tf.global_variables()]
    assert names == ["layer_norm_basic_lstm_cell/kernel:0", *NAMES["layer_norm_vars"]]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(tf.assign(tf.global_variables()[0], G["w"]))
        hv, cv = sess.run([h, st.c])
    np.testing.assert_allclose(cv, G["layer_norm_lstm_c"], rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(hv, G["layer_norm_lstm_h"], rtol=1e-4, atol=1e-5)


def test_stack_bidirectional_dynamic_rnn_names():
    x = tf.placeholder(tf.float32, [2, 5, 3])
    out, sfw, sbw = contrib_rnn.stack_bidirectional_dynamic_rnn(
        [tf.nn.rnn_cell.LSTMCell(4), tf.nn.rnn_cell.LSTMCell(4)],
        [tf.nn.rnn_cell.GRUCell(3), tf.nn.rnn_cell.GRUCell(3)],
        x,
        dtype=tf.float32,
    )
    assert out.name == NAMES["stack"]["output"]
    assert [[v.name, v.shape.as_list()] for v in tf.global_variables()] == NAMES["stack"]["vars"]
    assert len(sfw) == len(sbw) == 2
    with pytest.raises(ValueError, match="same depth"):
        contrib_rnn.stack_bidirectional_dynamic_rnn(
            [tf.nn.rnn_cell.GRUCell(2)], [tf.nn.rnn_cell.GRUCell(2)] * 2, x
        )


def test_projection_embedding_and_attention_wrappers():
    x = tf.constant(G["x"])
    out = contrib_rnn.OutputProjectionWrapper(tf.nn.rnn_cell.GRUCell(4), 2,
                                              activation=tf.nn.relu)  # fmt: skip
    o, _ = out(x, out.zero_state(2, tf.float32))
    inp = contrib_rnn.InputProjectionWrapper(tf.nn.rnn_cell.GRUCell(4), 5)
    o2, _ = inp(x, inp.zero_state(2, tf.float32))
    att = contrib_rnn.AttentionCellWrapper(tf.nn.rnn_cell.LSTMCell(4), 3, state_is_tuple=True)
    o3, s3 = att(x, att.zero_state(2, tf.float32))
    o4, _ = att(x, s3)
    assert [v.op.name for v in tf.global_variables()] == [
        "output_projection_wrapper/gru_cell/gates/kernel",
        "output_projection_wrapper/gru_cell/gates/bias",
        "output_projection_wrapper/gru_cell/candidate/kernel",
        "output_projection_wrapper/gru_cell/candidate/bias",
        "output_projection_wrapper/kernel",
        "output_projection_wrapper/bias",
        "input_projection_wrapper/kernel",
        "input_projection_wrapper/bias",
        "input_projection_wrapper/gru_cell/gates/kernel",
        "input_projection_wrapper/gru_cell/gates/bias",
        "input_projection_wrapper/gru_cell/candidate/kernel",
        "input_projection_wrapper/gru_cell/candidate/bias",
        "attention_cell_wrapper/kernel",
        "attention_cell_wrapper/bias",
        "attention_cell_wrapper/lstm_cell/kernel",
        "attention_cell_wrapper/lstm_cell/bias",
        "attention_cell_wrapper/attention/attn_w",
        "attention_cell_wrapper/attention/attn_v",
        "attention_cell_wrapper/attention/kernel",
        "attention_cell_wrapper/attention/bias",
        "attention_cell_wrapper/attn_output_projection/kernel",
        "attention_cell_wrapper/attn_output_projection/bias",
    ]
    vals = _run([o, o2, o3, o4])
    assert vals[0].shape == (2, 2)
    assert (vals[0] >= 0).all()
    assert vals[1].shape == (2, 4)
    assert vals[3].shape == (2, 4)
    emb = contrib_rnn.EmbeddingWrapper(tf.nn.rnn_cell.GRUCell(3), 7, 2)
    e, _ = emb(tf.constant([1, 6]), emb.zero_state(2, tf.float32))
    assert _run(e).shape == (2, 3)
    with pytest.raises(ValueError, match="must be > 0"):
        contrib_rnn.OutputProjectionWrapper(tf.nn.rnn_cell.GRUCell(4), 0)


@pytest.mark.parametrize(
    "module_name",
    [
        "scopeflow.contrib.rnn._block_cells",
        "scopeflow.contrib.rnn._contrib_cells",
        "scopeflow.contrib.rnn._stack",
    ],
)
def test_contrib_rnn_docstring_examples(module_name):
    # scopeflow.contrib has no __init__ on this branch, so tests/test_doctests.py cannot walk it.
    module = importlib.import_module(module_name)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for test in doctest.DocTestFinder().find(module, module_name):
        test.globs["print"] = builtins.print
        with tf.Graph().as_default():
            runner.run(test)
    assert runner.summarize(verbose=False).failed == 0
