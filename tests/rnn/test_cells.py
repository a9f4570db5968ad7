"""Cell behaviour not covered by the recorded conformance cases (TF 1.15 specifics, errors)."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow.compat.v1 as tf

rc = tf.nn.rnn_cell


def test_cell_names_are_unique_per_graph_as_in_tf_1_15():
    # TF 1.15's tf.layers naming: one uniquifier call per object (TF 2.21's legacy layers
    # consume two numbers per object, giving lstm_cell_1 for the first cell).
    a, b = rc.LSTMCell(2), rc.LSTMCell(2)
    m = rc.MultiRNNCell([rc.GRUCell(2)])
    assert (a.name, b.name, m.name) == ("lstm_cell", "lstm_cell_1", "multi_rnn_cell")
    with tf.Graph().as_default():
        assert rc.LSTMCell(2).name == "lstm_cell"


def test_wrapper_variables_include_the_wrapped_cell():
    x = tf.zeros([2, 3])
    cell = rc.DropoutWrapper(rc.ResidualWrapper(rc.GRUCell(3)), output_keep_prob=0.5)
    cell(x, cell.zero_state(2, tf.float32))
    assert [v.name for v in cell.trainable_variables] == [
        "gru_cell/gates/kernel:0",
        "gru_cell/gates/bias:0",
        "gru_cell/candidate/kernel:0",
        "gru_cell/candidate/bias:0",
    ]


def test_non_trainable_cell_variables():
    cell = rc.BasicRNNCell(2, trainable=False)
    cell(tf.zeros([1, 2]), cell.zero_state(1, tf.float32))
    assert cell.trainable_variables == []
    assert [v.name for v in cell.non_trainable_variables] == [
        "basic_rnn_cell/kernel:0",
        "basic_rnn_cell/bias:0",
    ]
    assert tf.trainable_variables() == []


def test_scope_name_before_call_raises():
    with pytest.raises(ValueError, match="has not been used yet"):
        _ = rc.GRUCell(2).scope_name


def test_non_float_inputs_rejected():
    cell = rc.GRUCell(2)
    with pytest.raises(ValueError, match="RNN cell only supports floating point inputs"):
        cell(tf.zeros([2, 2], tf.int32), tf.zeros([2, 2], tf.int32))


def test_unknown_constructor_keyword():
    with pytest.raises(TypeError, match="Keyword argument not understood"):
        rc.LSTMCell(2, bogus=1)


def test_dynamic_rnn_needs_dtype_or_initial_state():
    with pytest.raises(ValueError, match="you must give a dtype"):
        tf.nn.dynamic_rnn(rc.GRUCell(2), tf.zeros([2, 3, 4]))


def test_sequence_length_shape_checked_at_run_time():
    x = tf.placeholder(tf.float32, [2, 3, 1])
    sl = tf.placeholder(tf.int32, [None])
    out, _ = tf.nn.dynamic_rnn(rc.GRUCell(2), x, sequence_length=sl, dtype=tf.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        with pytest.raises(tf.errors.InvalidArgumentError, match="Expected shape for Tensor"):
            sess.run(out, {x: np.zeros([2, 3, 1]), sl: [1, 2, 3]})


def test_checkpoint_names_of_a_stacked_lstm(tmp_path):
    x = tf.placeholder(tf.float32, [2, 3, 4])
    cell = rc.MultiRNNCell([rc.LSTMCell(5) for _ in range(2)])
    tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = tf.train.Saver().save(sess, str(tmp_path / "m.ckpt"), write_meta_graph=False)
    assert dict(tf.train.list_variables(path)) == {
        "rnn/multi_rnn_cell/cell_0/lstm_cell/kernel": [9, 20],
        "rnn/multi_rnn_cell/cell_0/lstm_cell/bias": [20],
        "rnn/multi_rnn_cell/cell_1/lstm_cell/kernel": [10, 20],
        "rnn/multi_rnn_cell/cell_1/lstm_cell/bias": [20],
    }
    assert [v.op.name for v in tf.global_variables()] == [
        "rnn/multi_rnn_cell/cell_0/lstm_cell/kernel",
        "rnn/multi_rnn_cell/cell_0/lstm_cell/bias",
        "rnn/multi_rnn_cell/cell_1/lstm_cell/kernel",
        "rnn/multi_rnn_cell/cell_1/lstm_cell/bias",
    ]
