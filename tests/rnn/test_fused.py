"""The fused ``dynamic_rnn`` loop equals the general step-by-step loop (values and gradients)."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow.compat.v1 as tf
from scopeflow.contrib import cudnn_rnn
from scopeflow.contrib import rnn as contrib_rnn
from scopeflow.rnn import _fusion

rc = tf.nn.rnn_cell

CELLS = [
    pytest.param(lambda: rc.LSTMCell(5), id="lstm"),
    pytest.param(lambda: rc.BasicLSTMCell(5, forget_bias=0.3), id="basic_lstm"),
    pytest.param(lambda: rc.LSTMCell(5, state_is_tuple=False), id="lstm_concat_state"),
    pytest.param(lambda: rc.GRUCell(4), id="gru"),
    pytest.param(lambda: rc.BasicRNNCell(4), id="rnn_tanh"),
    pytest.param(lambda: rc.BasicRNNCell(4, activation=tf.nn.relu), id="rnn_relu"),
    pytest.param(lambda: rc.MultiRNNCell([rc.LSTMCell(4), rc.LSTMCell(3)]), id="multi_lstm"),
    pytest.param(
        lambda: rc.MultiRNNCell([rc.GRUCell(3), rc.BasicLSTMCell(4), rc.BasicRNNCell(2)]),
        id="multi_mixed",
    ),
    pytest.param(lambda: rc.DropoutWrapper(rc.LSTMCell(5)), id="dropout_keep_1"),
    pytest.param(lambda: contrib_rnn.LSTMBlockCell(5, forget_bias=0.7), id="lstm_block"),
    pytest.param(lambda: contrib_rnn.GRUBlockCell(4), id="gru_block"),
    pytest.param(
        lambda: rc.MultiRNNCell(
            [contrib_rnn.GRUBlockCellV2(3), cudnn_rnn.CudnnCompatibleLSTMCell(4)]
        ),
        id="gru_block_v2_and_cudnn_compatible_lstm",
    ),
    pytest.param(lambda: cudnn_rnn.CudnnCompatibleGRUCell(4), id="cudnn_compatible_gru"),
    pytest.param(
        lambda: rc.MultiRNNCell(
            [
                rc.DropoutWrapper(rc.GRUCell(3), output_keep_prob=1.0),
                rc.DropoutWrapper(rc.LSTMCell(4), input_keep_prob=1.0),
            ]
        ),
        id="multi_dropout_keep_1",
    ),
]

SEQ_LENGTHS = [
    pytest.param(None, id="no_lengths"),
    pytest.param([6, 3, 0, 1], id="lengths_with_zero"),
    pytest.param([0, 0, 0, 0], id="all_zero"),
    pytest.param([9, 6, 6, 7], id="all_full"),
]


def _run(make_cell, fused, lengths, time_major):
    _fusion.set_fused_enabled(fused)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(3)
        shape = [6, 4, 3] if time_major else [4, 6, 3]
        x = tf.placeholder(tf.float32, shape)
        sl = None if lengths is None else tf.constant(lengths)
        h0 = None
        out, st = tf.nn.dynamic_rnn(make_cell(), x, sequence_length=sl, dtype=tf.float32,
                                    time_major=time_major)  # fmt: skip
        w = next(op for op in g.get_operations() if op.type == "While")
        assert ("_fused_kernel" in w._attrs) == fused
        flat_st = tf.nest.flatten(st)
        loss = tf.reduce_sum(out * out) + tf.add_n([tf.reduce_sum(s) for s in flat_st])
        grads = tf.gradients(loss, [*tf.trainable_variables(), x])
        names = [out.name, *(s.name for s in flat_st)]
        with tf.Session(graph=g) as sess:
            sess.run(tf.global_variables_initializer())
            xv = np.random.RandomState(1).randn(*shape).astype(np.float32)
            vals = sess.run([out, flat_st, grads], {x: xv})
        del h0
    return names, vals


@pytest.mark.parametrize("make_cell", CELLS)
@pytest.mark.parametrize("lengths", SEQ_LENGTHS)
def test_fused_equals_general_loop(make_cell, lengths):
    names_f, (out_f, st_f, g_f) = _run(make_cell, True, lengths, False)
    names_g, (out_g, st_g, g_g) = _run(make_cell, False, lengths, False)
    assert names_f == names_g
    np.testing.assert_allclose(out_f, out_g, rtol=1e-5, atol=1e-5)
    for a, b in zip(st_f, st_g, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5)
    for a, b in zip(g_f, g_g, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("make_cell", CELLS[:1] + CELLS[3:4])
def test_fused_time_major(make_cell):
    _, (out_f, _st_f, g_f) = _run(make_cell, True, [6, 2, 0, 5], True)
    _, (out_g, _st_g, g_g) = _run(make_cell, False, [6, 2, 0, 5], True)
    np.testing.assert_allclose(out_f, out_g, rtol=1e-5, atol=1e-5)
    for a, b in zip(g_f, g_g, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-4)


def test_zero_length_rows_keep_initial_state_and_zero_outputs():
    x = tf.placeholder(tf.float32, [2, 3, 2])
    h0 = tf.constant(np.arange(8, dtype=np.float32).reshape(2, 4) / 10)
    out, st = tf.nn.dynamic_rnn(rc.GRUCell(4), x, sequence_length=[0, 2], initial_state=h0)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        o, s = sess.run([out, st], {x: np.ones([2, 3, 2])})
    np.testing.assert_array_equal(s[0], np.arange(4, dtype=np.float32) / 10)
    assert not o[0].any()
    assert not o[1, 2].any()
    assert o[1, :2].any()


def test_not_fused_cells_run_the_general_loop():
    x = tf.placeholder(tf.float32, [2, 3, 2])
    for i, cell in enumerate([
        rc.LSTMCell(3, use_peepholes=True),
        rc.LSTMCell(3, num_proj=2),
        rc.DropoutWrapper(rc.GRUCell(3), output_keep_prob=0.5),
        rc.GRUCell(3, activation=tf.nn.relu),
        rc.DropoutWrapper(rc.GRUCell(3), output_keep_prob=tf.placeholder_with_default(1.0, [])),
        contrib_rnn.LSTMBlockCell(3, cell_clip=0.5),
        contrib_rnn.LSTMBlockCell(3, use_peephole=True),
        rc.MultiRNNCell([cudnn_rnn.CudnnCompatibleGRUCell(3),
                         rc.GRUCell(3, activation=tf.sigmoid)]),
    ]):  # fmt: skip
        tf.nn.dynamic_rnn(cell, x, dtype=tf.float32, scope=f"s{i}")
    loops = [op for op in tf.get_default_graph().get_operations() if op.type == "While"]
    assert len(loops) == 8
    assert not any("_fused_kernel" in op._attrs for op in loops)


def test_fused_loop_trains_and_loads_tf_layout_weights():
    # kernel [input + units, 4 * units] in TF's i, j, f, o order: a hand-computed step.
    x = tf.placeholder(tf.float32, [1, 1, 1])
    k = np.zeros([2, 4], np.float32)
    k[0] = [1.0, 2.0, 3.0, 4.0]  # input weights of i, j, f, o
    cell = rc.LSTMCell(1, initializer=tf.constant_initializer(k), forget_bias=0.5)
    out, st = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        o, s = sess.run([out, st], {x: [[[1.0]]]})

    def sig(v):
        return 1 / (1 + np.exp(-v))

    c = sig(1.0) * np.tanh(2.0)
    h = np.tanh(c) * sig(4.0)
    np.testing.assert_allclose(s.c, [[c]], rtol=1e-6)
    np.testing.assert_allclose(o, [[[h]]], rtol=1e-6)
