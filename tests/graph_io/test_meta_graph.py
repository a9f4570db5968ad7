"""``tf.train.export_meta_graph`` and the ``.meta`` files ``Saver.save`` writes.

That TF's ``import_meta_graph`` loads them and restores scopeflow's checkpoint is checked by
``tools/tf_verify_graph_export.py`` (its result file is asserted in ``test_export.py``).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest
from google.protobuf import text_format

import scopeflow.compat.v1 as tf
from scopeflow.protos import meta_graph_pb2, variable_pb2

_spec = importlib.util.spec_from_file_location(
    "graph_io_models", Path(__file__).parent / "models.py"
)
assert _spec is not None
assert _spec.loader is not None
models = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(models)


def test_collections_encoded_as_tf_does() -> None:
    v = tf.get_variable("w", [2], trainable=False)
    t = tf.get_variable("t", [3])
    y = tf.identity(t, name="y")
    tf.add_to_collection("outputs", y)
    tf.add_to_collection("outputs", y.op)
    tf.add_to_collection("names", "hello")
    tf.add_to_collection("ints", 7)
    meta = tf.train.export_meta_graph()
    variables = [
        variable_pb2.VariableDef.FromString(b)
        for b in meta.collection_def["variables"].bytes_list.value
    ]
    assert [d.variable_name for d in variables] == [v.name, t.name]
    assert (variables[1].initializer_name, variables[1].snapshot_name) == ("t/Assign", "t/read:0")
    assert variables[1].initial_value_name == "t/Initializer/random_uniform:0"
    assert (variables[0].trainable, variables[1].trainable) == (False, True)
    assert list(meta.collection_def["outputs"].node_list.value) == ["y:0", "y"]
    assert list(meta.collection_def["names"].bytes_list.value) == [b"hello"]
    assert list(meta.collection_def["ints"].int64_list.value) == [7]


def test_unencodable_collection_warns_and_is_left_out() -> None:
    tf.add_to_collection("objects", object())
    with pytest.warns(UserWarning, match="serializing objects"):
        meta = tf.train.export_meta_graph()
    assert "objects" not in meta.collection_def


@pytest.mark.parametrize("as_text", [True, False])
def test_saver_export_meta_graph_file(tmp_path: Path, as_text: bool) -> None:
    tf.get_variable("v", [2])
    saver = tf.train.Saver(max_to_keep=3)
    path = tmp_path / "m.meta"
    meta = saver.export_meta_graph(str(path), as_text=as_text, clear_devices=True)
    back = meta_graph_pb2.MetaGraphDef()
    if as_text:
        text_format.Parse(path.read_text(), back)
    else:
        back.ParseFromString(path.read_bytes())
    assert back == meta
    assert back.saver_def.max_to_keep == 3
    assert back.saver_def.filename_tensor_name == "save/Const:0"
    assert back.saver_def.version == 2
    assert "save/RestoreV2" in {n.name for n in back.graph_def.node}


GOLDEN = Path(__file__).parent / "golden"


def test_tf_written_meta_graph_and_checkpoint_give_tf_outputs() -> None:
    expected = np.load(GOLDEN / "tf_meta" / "expected.npz")
    saver = tf.train.import_meta_graph(str(GOLDEN / "tf_meta" / "model-5.meta"))
    names = sorted(v.name for v in tf.trainable_variables())
    assert names == ["conv/b:0", "conv/w:0", "fc/k:0", "out/k3:0", "out/k:0"]
    with tf.Session() as s:
        saver.restore(s, str(GOLDEN / "tf_meta" / "model-5"))
        y, z = s.run(["y:0", "z:0"], {"x:0": expected["x"]})
    np.testing.assert_allclose(y, expected["y"], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(z, expected["z"], rtol=1e-5, atol=1e-6)


def test_tf_written_meta_graph_initializers_run() -> None:
    tf.train.import_meta_graph(str(GOLDEN / "tf_meta" / "model-5.meta"), import_scope="m")
    assert tf.global_variables()[0].name == "m/conv/w:0"
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        b = s.run("m/conv/b:0")
    np.testing.assert_allclose(b, [0.1, -0.2, 0.3, -0.4])


def test_scopeflow_save_and_import_meta_graph(tmp_path: Path) -> None:
    feed = np.random.default_rng(2).normal(size=(2, 6, 6, 2)).astype(np.float32)
    with tf.Graph().as_default():
        t = models.simple_model(tf)
        tf.add_to_collection("outputs", t["z"])
        with tf.Session() as s:
            s.run(tf.global_variables_initializer())
            want = s.run(t["z"], {t["x"]: feed})
            path = tf.train.Saver().save(s, str(tmp_path / "model"), global_step=1)
    with tf.Graph().as_default():
        saver = tf.train.import_meta_graph(path + ".meta")
        (z,) = tf.get_collection("outputs")
        with tf.Session() as s:
            saver.restore(s, path)
            np.testing.assert_allclose(s.run(z, {"x:0": feed}), want, rtol=1e-6)


def test_corrupt_meta_file_names_it(tmp_path: Path) -> None:
    path = tmp_path / "bad.meta"
    path.write_bytes((GOLDEN / "tf_meta" / "model-5.meta").read_bytes()[:700])
    with pytest.raises(ValueError, match=r"bad.meta' is not a valid MetaGraphDef file"):
        tf.train.import_meta_graph(str(path))
