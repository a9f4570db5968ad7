"""tf.train.init_from_checkpoint: every assignment_map form and TF's errors."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow.compat.v1 as tf

CKPT_VALUES = {
    "old/a": np.arange(6, dtype=np.float32).reshape(2, 3),
    "old/b": np.array([1.5, 2.5], np.float32),
    "old/p": np.arange(12, dtype=np.float32).reshape(6, 2),
    "root_v": np.array([9.0], np.float32),
}


@pytest.fixture
def ckpt(tmp_path):
    with tf.Graph().as_default():
        for name, value in CKPT_VALUES.items():
            tf.Variable(value, name=name)
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            saver.save(sess, str(tmp_path / "model.ckpt"), write_meta_graph=False)
    return str(tmp_path)


def _run_init(*tensors):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(list(tensors))


def test_scope_to_scope(ckpt):
    with tf.variable_scope("new"):
        a = tf.get_variable("a", [2, 3])
        b = tf.get_variable("b", [2])
    tf.train.init_from_checkpoint(ckpt, {"old/": "new/"})
    got_a, got_b = _run_init(a, b)
    np.testing.assert_array_equal(got_a, CKPT_VALUES["old/a"])
    np.testing.assert_array_equal(got_b, CKPT_VALUES["old/b"])


def test_root_to_scope(ckpt):
    with tf.variable_scope("s"):
        v = tf.get_variable("root_v", [1])
    tf.train.init_from_checkpoint(ckpt, {"/": "s/"})
    np.testing.assert_array_equal(_run_init(v)[0], CKPT_VALUES["root_v"])


def test_name_to_name_and_ops(ckpt):
    with tf.variable_scope("s"):
        x = tf.get_variable("x", [2, 3])
    tf.train.init_from_checkpoint(ckpt, {"old/a": "s/x"})
    g = tf.get_default_graph()
    restore = g.get_operation_by_name("checkpoint_initializer")
    assert restore.type == "RestoreV2"
    assert [t.name for t in restore.inputs] == [
        "checkpoint_initializer/prefix:0",
        "checkpoint_initializer/tensor_names:0",
        "checkpoint_initializer/shape_and_slices:0",
    ]
    assert x.initializer.name == "Assign"
    assert x.initial_value.name == "checkpoint_initializer:0"
    assert x.initial_value.get_shape().as_list() == [2, 3]
    np.testing.assert_array_equal(_run_init(x)[0], CKPT_VALUES["old/a"])


def test_name_to_variable_object_and_list_of_pairs(ckpt):
    v1 = tf.get_variable("v1", [2])
    v2 = tf.get_variable("v2", [2])
    tf.train.init_from_checkpoint(ckpt, [("old/b", v1), ("old/b", v2)])
    got = _run_init(v1, v2)
    np.testing.assert_array_equal(got[0], CKPT_VALUES["old/b"])
    np.testing.assert_array_equal(got[1], CKPT_VALUES["old/b"])


def test_partitioned_forms(ckpt):
    p1 = tf.get_variable("p1", [6, 2], partitioner=tf.fixed_size_partitioner(2))
    p2 = tf.get_variable("p2", [6, 2], partitioner=tf.fixed_size_partitioner(3))
    p3 = tf.get_variable("p3", [6, 2], partitioner=tf.fixed_size_partitioner(3))
    tf.train.init_from_checkpoint(ckpt, {"old/p": "p1"})  # name of a partitioned variable
    tf.train.init_from_checkpoint(ckpt, {"old/p": p2._get_variable_list()})  # list of shards
    tf.train.init_from_checkpoint(ckpt, {"old/p": p3})  # PartitionedVariable
    for got in _run_init(p1.as_tensor(), p2.as_tensor(), p3.as_tensor()):
        np.testing.assert_array_equal(got, CKPT_VALUES["old/p"])


def test_partitioned_inside_scope_mapping(ckpt):
    with tf.variable_scope("new"):
        p = tf.get_variable("p", [6, 2], partitioner=tf.fixed_size_partitioner(2))
        tf.get_variable("a", [2, 3])
        tf.get_variable("b", [2])
    tf.train.init_from_checkpoint(ckpt, {"old/": "new/"})
    np.testing.assert_array_equal(_run_init(p.as_tensor())[0], CKPT_VALUES["old/p"])


def test_errors(ckpt, tmp_path):
    x = tf.get_variable("x", [4])
    with pytest.raises(ValueError, match=r"^Tensor zz is not found in .* checkpoint \{"):
        tf.train.init_from_checkpoint(ckpt, {"zz": "x"})
    with pytest.raises(
        ValueError,
        match=r"^Shape of variable x:0 \(\(4,\)\) doesn't match with shape of tensor old/a "
        r"\(\[2, 3\]\) from checkpoint reader\.$",
    ):
        tf.train.init_from_checkpoint(ckpt, {"old/a": x})
    with pytest.raises(ValueError, match=r"should map to scope only old/a\. Should be 'scope/'"):
        tf.train.init_from_checkpoint(ckpt, {"old/a": "nope"})
    with tf.variable_scope("t"):
        tf.get_variable("missing", [1])
    with pytest.raises(ValueError, match=r"^Tensor old/missing \(missing in old/\) is not found"):
        tf.train.init_from_checkpoint(ckpt, {"old/": "t/"})
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match="Couldn't find 'checkpoint' file or checkpoints"):
        tf.train.init_from_checkpoint(str(tmp_path / "empty"), {"old/a": "x"})
    with pytest.raises(tf.errors.NotFoundError, match="Failed to find any matching files"):
        tf.train.init_from_checkpoint(str(tmp_path / "nonexist"), {"old/a": "x"})
