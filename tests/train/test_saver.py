"""tf.train.Saver: round trips, partitioned/sharded, state file, max_to_keep, errors."""

from __future__ import annotations

import warnings
from pathlib import Path

import ml_dtypes
import numpy as np
import pytest

import scopeflow.compat.v1 as tf
from scopeflow.checkpoint import BundleReader
from scopeflow.errors import UnsupportedError
from scopeflow.train import CheckpointMismatchInvalidArgumentError, CheckpointMismatchNotFoundError

from .conftest import FIXTURES

VALUES = {
    "f32": np.arange(6, dtype=np.float32).reshape(2, 3) / 7,
    "f64": np.array([1 / 3, -0.0, np.inf]),
    "i64": np.array([-(2**63), 2**63 - 1], np.int64),
    "i32": np.array(7, np.int32),
    "bf16": np.array([1.5, -2.0, 3e38], ml_dtypes.bfloat16),
    "flag": np.array([True, False]),
    "s/str": np.array([b"a", b"\x00bin"], object),
}


def _save(sess, saver, path, **kw):
    kw.setdefault("write_meta_graph", False)
    return saver.save(sess, path, **kw)


def _build_all():
    out = {}
    for name, value in VALUES.items():
        out[name] = tf.Variable(value, name=name)
    return out


def test_round_trip_bit_exact_all_dtypes(tmp_path):
    variables = _build_all()
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = _save(sess, saver, str(tmp_path / "model.ckpt"))
    assert path == str(tmp_path / "model.ckpt")
    with BundleReader(path) as r:
        for name, value in VALUES.items():
            got = r.get_tensor(name)
            assert got.dtype == value.dtype or value.dtype == object
            assert (
                got.tobytes() == value.tobytes()
                if value.dtype != object
                else (got.tolist() == value.tolist())
            )
    with tf.Session() as sess:
        saver.restore(sess, path)
        for name, v in variables.items():
            got = sess.run(v)
            if VALUES[name].dtype == object:
                assert list(got) == list(VALUES[name])
            else:
                assert np.asarray(got).tobytes() == VALUES[name].tobytes()


def test_saver_graph_names_and_saver_def():
    tf.get_variable("a", [2])
    saver = tf.train.Saver()
    sd = saver.as_saver_def()
    assert (sd.filename_tensor_name, sd.save_tensor_name, sd.restore_op_name) == (
        "save/Const:0",
        "save/control_dependency:0",
        "save/restore_all",
    )
    g = tf.get_default_graph()
    assert g.get_operation_by_name("save/SaveV2").type == "SaveV2"
    assert g.get_operation_by_name("save/RestoreV2").type == "RestoreV2"
    assert g.get_operation_by_name("save/Assign").type == "Assign"
    assert tf.train.Saver().saver_def.restore_op_name == "save_1/restore_all"
    assert "version: V2" in str(sd)


def test_partitioned_saved_as_one_full_entry(tmp_path):
    p = tf.get_variable("p", [7, 3], partitioner=tf.fixed_size_partitioner(3))
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        full = sess.run(p.as_tensor())
        path = _save(sess, saver, str(tmp_path / "m"))
    assert tf.train.list_variables(path) == [("p", [7, 3])]
    np.testing.assert_array_equal(tf.train.load_variable(path, "p"), full)
    with tf.Session() as sess:
        saver.restore(sess, path)
        np.testing.assert_array_equal(sess.run(p.as_tensor()), full)


def test_partitioned_var_list_dict_forms(tmp_path):
    p = tf.get_variable("p", [4, 2], partitioner=tf.fixed_size_partitioner(2))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        full = sess.run(p.as_tensor())
        for i, var_list in enumerate([{"renamed": p}, {"renamed": list(p)}, [p], list(p)]):
            if isinstance(var_list, dict):
                saver = tf.train.Saver(var_list)
                key = "renamed"
            else:
                saver = tf.train.Saver(var_list)
                key = "p"
            path = _save(sess, saver, str(tmp_path / f"m{i}"))
            np.testing.assert_array_equal(tf.train.load_variable(path, key), full)


def test_sharded_save_writes_one_data_file_per_device(tmp_path):
    with tf.device("/cpu:0"):
        a = tf.get_variable("a", initializer=np.arange(4.0, dtype=np.float32))
    with tf.device("/cpu:1"):
        b = tf.get_variable("b", initializer=np.ones((2, 2), np.float64))
    with tf.device("/cpu:2"):
        c = tf.get_variable("c", [6, 2], partitioner=tf.fixed_size_partitioner(2))
    saver = tf.train.Saver(sharded=True)
    assert saver.saver_def.save_tensor_name == "save/Identity:0"
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        cval = sess.run(c.as_tensor())
        path = _save(sess, saver, str(tmp_path / "model.ckpt"), global_step=1)
    files = sorted(f.name for f in tmp_path.iterdir())
    assert [f for f in files if ".data-" in f] == [
        f"model.ckpt-1.data-0000{i}-of-00003" for i in range(3)
    ]
    assert not [f for f in files if "temp" in f]
    with tf.Session() as sess:
        saver.restore(sess, path)
        np.testing.assert_array_equal(sess.run(a), np.arange(4.0))
        np.testing.assert_array_equal(sess.run(b), np.ones((2, 2)))
        np.testing.assert_array_equal(sess.run(c.as_tensor()), cval)


def test_global_step_suffixes_and_state_file(tmp_path):
    tf.get_variable("v", [1])
    gs = tf.train.get_or_create_global_step()
    saver = tf.train.Saver(pad_step_number=False)
    padded = tf.train.Saver(pad_step_number=True)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(tf.assign(gs, 20))
        assert _save(sess, saver, str(tmp_path / "m"), global_step=gs).endswith("m-20")
        assert _save(sess, saver, str(tmp_path / "m"), global_step=np.int64(5)).endswith("m-5")
        assert _save(sess, padded, str(tmp_path / "p"), global_step=3).endswith("p-00000003")
    state = tf.train.get_checkpoint_state(str(tmp_path))
    assert state.model_checkpoint_path == str(tmp_path / "p-00000003")
    assert tf.train.latest_checkpoint(str(tmp_path)) == str(tmp_path / "p-00000003")
    assert tf.train.checkpoint_exists(str(tmp_path / "m-20"))


def test_save_relative_paths(tmp_path):
    tf.get_variable("v", [1])
    saver = tf.train.Saver(save_relative_paths=True)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        _save(sess, saver, str(tmp_path / "model.ckpt"), global_step=1)
    text = (tmp_path / "checkpoint").read_text()
    assert text.startswith('model_checkpoint_path: "model.ckpt-1"')


def test_max_to_keep_deletes_oldest(tmp_path):
    tf.get_variable("v", [1])
    saver = tf.train.Saver(max_to_keep=2)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for step in range(1, 5):
            _save(sess, saver, str(tmp_path / "m"), global_step=step)
    prefixes = [str(tmp_path / f"m-{i}") for i in (3, 4)]
    assert saver.last_checkpoints == prefixes
    assert sorted(f.name for f in tmp_path.iterdir() if f.name.endswith(".index")) == [
        "m-3.index",
        "m-4.index",
    ]
    assert not list(tmp_path.glob("m-1.*"))
    assert not list(tmp_path.glob("m-2.*"))
    state = tf.train.get_checkpoint_state(str(tmp_path))
    assert state.all_model_checkpoint_paths == prefixes


def test_max_to_keep_zero_or_none_keeps_all(tmp_path):
    tf.get_variable("v", [1])
    saver = tf.train.Saver(max_to_keep=0)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for step in range(3):
            _save(sess, saver, str(tmp_path / "m"), global_step=step)
    assert len(list(tmp_path.glob("*.index"))) == 3
    assert saver.last_checkpoints == []


def test_keep_checkpoint_every_n_hours_preserves(tmp_path):
    tf.get_variable("v", [1])
    saver = tf.train.Saver(max_to_keep=1, keep_checkpoint_every_n_hours=0.0)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for step in range(3):
            _save(sess, saver, str(tmp_path / "m"), global_step=step)
    # every checkpoint is older than "0 hours": all are preserved on disk
    assert len(list(tmp_path.glob("*.index"))) == 3
    assert saver.last_checkpoints == [str(tmp_path / "m-2")]


def test_set_and_recover_last_checkpoints(tmp_path):
    tf.get_variable("v", [1])
    saver = tf.train.Saver(max_to_keep=2)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        a = _save(sess, saver, str(tmp_path / "m"), global_step=1)
        b = _save(sess, saver, str(tmp_path / "m"), global_step=2)
    fresh = tf.train.Saver(max_to_keep=2)
    fresh.recover_last_checkpoints([a, b, str(tmp_path / "gone")])
    assert fresh.last_checkpoints == [a, b]
    fresh.set_last_checkpoints_with_time([(a, 1.0)])
    assert fresh.last_checkpoints == [a]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        _save(sess, fresh, str(tmp_path / "m"), global_step=3)
        _save(sess, fresh, str(tmp_path / "m"), global_step=4)
    assert not Path(a + ".index").exists()


def test_write_meta_graph_writes_meta(tmp_path):
    tf.get_variable("v", [1])
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            path = saver.save(sess, str(tmp_path / "m"), global_step=2)
    meta = tf.MetaGraphDef()
    meta.ParseFromString(Path(path + ".meta").read_bytes())
    assert meta.saver_def.restore_op_name == "save/restore_all"
    assert sorted(meta.collection_def) == ["trainable_variables", "variables"]


def test_write_meta_graph_warns_for_private_ops(tmp_path, monkeypatch):
    import scopeflow.train.saver as saver_mod

    monkeypatch.setattr(saver_mod, "_META_WARNED", False)
    v = tf.get_variable("v", [1, 3])
    tf.nn.softmax_cross_entropy_with_logits_v2(labels=v, logits=v, axis=0)  # no TF subgraph
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        with pytest.warns(UserWarning, match=r"No \.meta file written .*SfSoftmaxCrossEntropy"):
            saver.save(sess, str(tmp_path / "m"))
    assert not list(tmp_path.glob("*.meta"))
    assert list(tmp_path.glob("*.index"))


def test_write_state_false_leaves_state_file(tmp_path):
    tf.get_variable("v", [1])
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        _save(sess, saver, str(tmp_path / "m"), write_state=False)
    assert not (tmp_path / "checkpoint").exists()
    assert (tmp_path / "m.index").exists()


def test_restore_error_none_and_invalid_path(tmp_path):
    tf.get_variable("v", [1])
    saver = tf.train.Saver()
    with tf.Session() as sess:
        with pytest.raises(ValueError, match=r"^Can't load save_path when it is None\.$"):
            saver.restore(sess, None)
        with pytest.raises(ValueError, match="The passed save_path is not a valid checkpoint: "):
            saver.restore(sess, str(tmp_path / "nope"))


def _write_reference(path):
    with tf.Graph().as_default():
        tf.get_variable("a", [2, 3])
        tf.get_variable("b", [4], dtype=tf.float64)
        tf.get_variable("c", [1])
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            return _save(sess, saver, path)


def test_restore_reports_all_problems_not_found(tmp_path):
    ckpt = _write_reference(str(tmp_path / "ref"))
    tf.get_variable("a", [2, 4])
    tf.get_variable("b", [4], dtype=tf.float32)
    tf.get_variable("x", [1])
    tf.get_variable("y", [1])
    saver = tf.train.Saver()
    with tf.Session() as sess, pytest.raises(CheckpointMismatchNotFoundError) as info:
        saver.restore(sess, ckpt)
    err = info.value
    assert isinstance(err, tf.errors.NotFoundError)
    msg = str(err)
    assert msg.startswith(
        "Restoring from checkpoint failed. This is most likely due to a Variable name or other "
        "graph key that is missing from the checkpoint."
    )
    assert "Key x not found in checkpoint" in msg
    assert err.mismatch.missing == ["x", "y"]
    assert err.mismatch.shape == [("a", [2, 4], [2, 3])]
    assert err.mismatch.dtype == [("b", "float", "double")]
    assert err.mismatch.unexpected == ["c"]
    for line in ("    x", "    y", "a: graph [2,4] vs checkpoint [2,3]", "b: graph float vs"):
        assert line in msg


def test_restore_shape_mismatch_only_is_invalid_argument(tmp_path):
    ckpt = _write_reference(str(tmp_path / "ref"))
    tf.get_variable("a", [3, 2])
    saver = tf.train.Saver()
    with tf.Session() as sess, pytest.raises(CheckpointMismatchInvalidArgumentError) as info:
        saver.restore(sess, ckpt)
    assert isinstance(info.value, tf.errors.InvalidArgumentError)
    assert str(info.value).startswith(
        "Restoring from checkpoint failed. This is most likely due to a mismatch between the "
        "current graph and the graph from the checkpoint."
    )
    assert "lhs shape= [3,2] rhs shape= [2,3]" in str(info.value)


def test_reshape_true_restores_same_size(tmp_path):
    ckpt = _write_reference(str(tmp_path / "ref"))
    ref = tf.train.load_variable(ckpt, "a")
    a = tf.get_variable("a", [3, 2])
    saver = tf.train.Saver(reshape=True)
    with tf.Session() as sess:
        saver.restore(sess, ckpt)
        np.testing.assert_array_equal(sess.run(a), ref.reshape(3, 2))


def test_restore_op_run_directly_raises_tf_error(tmp_path):
    ckpt = _write_reference(str(tmp_path / "ref"))
    tf.get_variable("zz", [1])
    saver = tf.train.Saver()
    sd = saver.saver_def
    with tf.Session() as sess, pytest.raises(tf.errors.NotFoundError, match="Key zz not found"):
        sess.run(sd.restore_op_name, {sd.filename_tensor_name: ckpt})


def test_constructor_errors():
    with pytest.raises(ValueError, match=r"^No variables to save$"):
        tf.train.Saver()
    with tf.Session() as sess:
        assert tf.train.Saver(allow_empty=True).save(sess, "/x/y", write_meta_graph=False) is None
    x = tf.get_variable("x", [1])
    with pytest.raises(ValueError, match="At least two variables have the same name: x"):
        tf.train.Saver([x, x])
    with pytest.raises(ValueError, match="The same saveable will be restored with two names: r"):
        tf.train.Saver({"q": x, "r": x})
    with pytest.raises(ValueError, match="build cannot be deferred"):
        tf.train.Saver([x], defer_build=True)
    with pytest.raises(UnsupportedError, match="write_version=1"):
        tf.train.Saver(write_version=1)
    with pytest.raises(TypeError, match="dict or a list"):
        tf.train.Saver(x)


def test_save_errors(tmp_path):
    tf.get_variable("v", [1])
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        with pytest.raises(ValueError, match="doesn't exist, can't save"):
            _save(sess, saver, str(tmp_path / "missing_dir" / "m"))
        with pytest.raises(ValueError, match="must not contain path components"):
            _save(sess, saver, str(tmp_path / "m"), latest_filename="a/b")
        with pytest.raises(ValueError, match="collides with 'save_path'"):
            _save(sess, saver, str(tmp_path / "checkpoint"))
    with pytest.raises(TypeError, match="'sess' must be a Session"):
        _save(object(), saver, str(tmp_path / "m"))
    with tf.Session() as sess, pytest.raises(tf.errors.FailedPreconditionError):
        _save(sess, saver, str(tmp_path / "m"))


def test_restore_tf_written_fixtures():
    for folder in ("mixed_dtypes", "partitioned", "multi_shard"):
        prefix = str(FIXTURES / folder / "model.ckpt")
        with tf.Graph().as_default():
            reader = tf.train.load_checkpoint(prefix)
            dtypes_ = reader.get_variable_to_dtype_map()
            shapes = reader.get_variable_to_shape_map()
            variables = {}
            for name in shapes:
                if dtypes_[name] == tf.string:
                    init = np.full(shapes[name], b"", object)
                else:
                    init = tf.zeros(shapes[name], dtypes_[name])
                variables[name] = tf.Variable(init, name=name)
            saver = tf.train.Saver(variables)
            with tf.Session() as sess:
                saver.restore(sess, prefix)
                for name, v in variables.items():
                    got, want = sess.run(v), reader.get_tensor(name)
                    if dtypes_[name] == tf.string:
                        assert np.asarray(got).tolist() == np.asarray(want).tolist()
                    else:
                        assert np.asarray(got).tobytes() == np.asarray(want).tobytes(), name


def _image_filter_graph():
    def conv_relu(inp, kernel_shape, bias_shape):
        w = tf.get_variable("weights", kernel_shape, initializer=tf.random_normal_initializer())
        b = tf.get_variable("biases", bias_shape, initializer=tf.constant_initializer(0.0))
        conv = tf.nn.conv2d(inp, w, strides=[1, 1, 1, 1], padding="SAME")
        return tf.nn.relu(conv + b)

    def my_image_filter(x):
        with tf.variable_scope("conv1"):
            relu1 = conv_relu(x, [5, 5, 32, 32], [32])
        with tf.variable_scope("conv2"):
            return conv_relu(relu1, [5, 5, 32, 32], [32])

    image1 = tf.placeholder(tf.float32, [1, 8, 8, 32], name="image1")
    image2 = tf.placeholder(tf.float32, [1, 8, 8, 32], name="image2")
    with tf.variable_scope("image_filters") as scope:
        r1 = my_image_filter(image1)
        scope.reuse_variables()
        r2 = my_image_filter(image2)
    return image1, image2, r1, r2


def test_restore_image_filter_fixture_and_run_forward():
    image1, image2, r1, r2 = _image_filter_graph()
    io = np.load(FIXTURES / "image_filter" / "expected_io.npz")
    saver = tf.train.Saver()
    with tf.Session() as sess:
        saver.restore(sess, tf.train.latest_checkpoint(str(FIXTURES / "image_filter")))
        o1, o2 = sess.run([r1, r2], {image1: io["image1"], image2: io["image2"]})
    np.testing.assert_allclose(o1, io["result1"], rtol=1e-5, atol=1e-3)
    np.testing.assert_allclose(o2, io["result2"], rtol=1e-5, atol=1e-3)


def test_saver_output_byte_identical_to_tf_fixture(tmp_path):
    """Saving the image_filter values reproduces TF's .index and .data files byte for byte."""
    _image_filter_graph()
    saver = tf.train.Saver()
    src = str(FIXTURES / "image_filter" / "model.ckpt")
    with tf.Session() as sess:
        saver.restore(sess, src)
        out = _save(sess, saver, str(tmp_path / "model.ckpt"))
    for suffix in (".index", ".data-00000-of-00001"):
        assert (tmp_path / f"model.ckpt{suffix}").read_bytes() == (
            FIXTURES / "image_filter" / f"model.ckpt{suffix}"
        ).read_bytes()
    assert out == str(tmp_path / "model.ckpt")
