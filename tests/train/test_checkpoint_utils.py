"""list_variables / load_variable / load_checkpoint / NewCheckpointReader / global step."""

from __future__ import annotations

import json

import numpy as np
import pytest

import scopeflow.compat.v1 as tf

from .conftest import FIXTURES


def test_list_variables_matches_fixture_expectations():
    for folder in ("mixed_dtypes", "partitioned", "multi_shard"):
        expected = json.loads((FIXTURES / folder / "expected.json").read_text())
        got = tf.train.list_variables(str(FIXTURES / folder))
        assert [n for n, _ in got] == sorted(v["name"] for v in expected["variables"])
        shapes = {v["name"]: v["shape"] for v in expected["variables"]}
        assert all(shapes[n] == s for n, s in got)
    many = tf.train.list_variables(str(FIXTURES / "many_vars"))
    assert len(many) == 16000
    assert many[0] == ("v00000/scope_0/block/sublayer/weights", [2])
    assert many[1] == ("v00001/scope_1/block/sublayer/weights", [])


def test_reader_api():
    prefix = str(FIXTURES / "mixed_dtypes" / "model.ckpt")
    reader = tf.train.NewCheckpointReader(prefix)
    dmap = reader.get_variable_to_dtype_map()
    assert dmap["dtypes/bfloat16"] == tf.bfloat16
    assert dmap["dtypes/float64"] == tf.float64
    assert isinstance(dmap["dtypes/int8"], tf.DType)
    assert reader.has_tensor("dtypes/float64")
    assert not reader.has_tensor("dtypes/float64:0")
    npz = np.load(FIXTURES / "mixed_dtypes" / "expected.npz")
    np.testing.assert_array_equal(reader.get_tensor("dtypes/float64"), npz["dtypes/float64"])
    assert b"dtypes/float64 (DT_DOUBLE)" in reader.debug_string()
    with pytest.raises(tf.errors.NotFoundError, match=r"^Key zz not found in checkpoint$"):
        reader.get_tensor("zz")
    np.testing.assert_array_equal(
        tf.train.load_variable(str(FIXTURES / "mixed_dtypes"), "dtypes/float64:0"),
        npz["dtypes/float64"],
    )


def test_load_checkpoint_errors(tmp_path):
    with pytest.raises(ValueError, match="Couldn't find 'checkpoint' file or checkpoints in given"):
        tf.train.list_variables(str(tmp_path))
    with pytest.raises(
        tf.errors.NotFoundError,
        match="Unsuccessful TensorSliceReader constructor: Failed to find any matching files for",
    ):
        tf.train.load_checkpoint(str(tmp_path / "nope"))


def test_state_file_helpers():
    state_dir = str(FIXTURES / "checkpoint_state")
    latest = tf.train.latest_checkpoint(state_dir)
    assert latest.endswith("model.ckpt-30")
    state = tf.train.get_checkpoint_state(state_dir)
    assert [p.rsplit("/", 1)[1] for p in state.all_model_checkpoint_paths] == [
        "model.ckpt-20",
        "model.ckpt-30",
    ]
    assert tf.train.checkpoint_exists(latest)
    assert not tf.train.checkpoint_exists(latest + "x")


def test_global_step_helpers():
    assert tf.train.get_global_step() is None
    gs = tf.train.get_or_create_global_step()
    assert gs.name == "global_step:0"
    assert gs.dtype.base_dtype == tf.int64
    assert gs.get_shape().as_list() == []
    assert tf.get_collection(tf.GraphKeys.GLOBAL_STEP) == [gs]
    assert gs not in tf.trainable_variables()
    assert tf.train.get_or_create_global_step() is gs
    assert tf.train.get_global_step() is gs
    with pytest.raises(ValueError, match=r'^"global_step" already exists\.$'):
        tf.train.create_global_step()
    with tf.Session() as sess:
        sess.run(gs.initializer)
        assert tf.train.global_step(sess, gs) == 0


def test_global_step_type_check():
    with tf.Graph().as_default():
        tf.Variable(1.0, name="global_step")
        with pytest.raises(TypeError, match="does not have integer type"):
            tf.train.get_global_step()
