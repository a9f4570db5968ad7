"""TF1 SavedModels: scopeflow loads TF-written ones with TF's outputs, and writes TF's layout.

The fixtures under ``tests/fixtures/saved_models/`` were written by real TensorFlow
(``tools/record_tf_saved_models.py``) with TF's outputs; the reverse direction (TF loading
scopeflow's SavedModels) is checked by ``tools/tf_verify_saved_model.py``, whose recorded
result ``golden/tf_verification.txt`` is asserted here.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from tests.saved_model import models

import scopeflow.compat.v1 as tf
from scopeflow.protos import saved_model_pb2

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "saved_models"
GOLDEN = Path(__file__).resolve().parent / "golden"


def _run_signature(sess: tf.Session, meta, name: str, feeds: dict[str, np.ndarray]) -> dict:
    sig = meta.signature_def["serving_default"]
    feed = {sig.inputs[k].name: v for k, v in feeds.items()}
    return sess.run({k: v.name for k, v in sig.outputs.items()}, feed)


@pytest.mark.parametrize("name", ["mlp", "convnet", "asset"])
def test_tf_written_saved_model_gives_tf_outputs(name: str) -> None:
    d = FIXTURES / name
    expected = np.load(d / "expected.npz")
    feeds = {k[3:]: expected[k] for k in expected.files if k.startswith("in:")}
    with tf.Session() as sess:
        meta = tf.saved_model.loader.load(sess, ["serve"], str(d))
        got = _run_signature(sess, meta, name, feeds)
        for key in (k for k in expected.files if k.startswith("out:")):
            np.testing.assert_allclose(got[key[4:]], expected[key], rtol=1e-5, atol=1e-6)
        if name == "asset":  # the main op ran, fed the asset's path under *this* directory
            seen = sess.run("seen_asset_path:0").decode()
            assert os.path.relpath(seen, d).encode() == expected["seen_asset_path"].item()
            assert Path(seen).read_text() == models.ASSET_TEXT
    assert list(meta.meta_info_def.tags) == ["serve"]


def test_tf_written_second_meta_graph_and_signatures() -> None:
    d = str(FIXTURES / "convnet")  # saved_model.pbtxt with tags {serve} and {train}
    with tf.Graph().as_default(), tf.Session() as sess:
        meta = tf.saved_model.loader.load(sess, ["train"], d)
        assert list(meta.meta_info_def.tags) == ["train"]
        assert dict(meta.signature_def) == {}
        w = sess.run("fc/w:0")
    with tf.Graph().as_default(), tf.Session() as sess:
        meta = tf.saved_model.loader.load(sess, [tf.saved_model.tag_constants.SERVING], d)
        assert sorted(meta.signature_def) == ["scores", "serving_default"]
        sig = meta.signature_def["scores"]
        assert sig.method_name == tf.saved_model.signature_constants.PREDICT_METHOD_NAME
        x = tf.saved_model.utils.get_tensor_from_tensor_info(sig.inputs["images"])
        assert (x.name, x.shape.as_list()) == ("images:0", [None, 8, 8, 3])
        np.testing.assert_array_equal(sess.run("fc/w:0"), w)


def test_tags_not_found_lists_available_tag_sets() -> None:
    with tf.Session() as sess, pytest.raises(RuntimeError) as info:
        tf.saved_model.loader.load(sess, ["gpu"], str(FIXTURES / "convnet"))
    msg = str(info.value)
    assert msg.startswith(
        "MetaGraphDef associated with tags 'gpu' could not be found in SavedModel. To inspect "
        "available tag-sets in the SavedModel, please use the SavedModel CLI: `saved_model_cli`"
    )
    assert msg.endswith("available_tags: [{'serve'}, {'train'}]")


def test_load_with_import_scope() -> None:
    with tf.Session() as sess:
        meta = tf.saved_model.load(sess, ["serve"], str(FIXTURES / "mlp"), import_scope="m")
        sig = meta.signature_def["serving_default"]
        assert sig.outputs["probs"].name == "mlp/probs:0"  # the proto is not rewritten
        x = tf.saved_model.utils.get_tensor_from_tensor_info(sig.inputs["x"], import_scope="m")
        probs = sess.run("m/mlp/probs:0", {x: np.ones((1, 4), np.float32)})
        assert probs.shape == (1, 3)
        np.testing.assert_allclose(probs.sum(), 1.0, rtol=1e-6)


def _build_and_export(name: str, export_dir: Path, tmp_path: Path) -> dict[str, np.ndarray]:
    build = {
        "mlp": models.mlp,
        "convnet": models.convnet,
        "asset": lambda tf: models.asset_model(tf, str(tmp_path)),
    }[name]
    export = {
        "mlp": models.export_mlp,
        "convnet": models.export_convnet,
        "asset": models.export_asset_model,
    }[name]
    with tf.Graph().as_default(), tf.Session() as sess:
        t = build(tf)
        sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
        if name == "asset":
            sess.run(t["main_op"])
        feeds = {t["x"]: next(iter(models.INPUTS[name].values()))}
        keys = [k for k in t if k not in ("x", "main_op", "seen")]
        values = dict(zip(keys, sess.run([t[k] for k in keys], feeds), strict=True))
        export(tf, sess, str(export_dir), t)
    return values


@pytest.mark.parametrize("name", ["mlp", "convnet", "asset"])
def test_scopeflow_round_trip_has_tf_layout(name: str, tmp_path: Path) -> None:
    d = tmp_path / "export"
    want = _build_and_export(name, d, tmp_path)
    tf_layout = sorted(p.name for p in (FIXTURES / name).iterdir() if p.name != "expected.npz")
    assert sorted(p.name for p in d.iterdir()) == tf_layout
    assert sorted(p.name for p in (d / "variables").iterdir()) == [
        "variables.data-00000-of-00001",
        "variables.index",
    ]
    with tf.Graph().as_default(), tf.Session() as sess:
        meta = tf.saved_model.loader.load(sess, ["serve"], str(d))
        got = _run_signature(sess, meta, name, models.INPUTS[name])
        for key, value in got.items():
            np.testing.assert_allclose(value, want[key], rtol=1e-6, atol=1e-7)
    if name == "asset":
        assert (d / "assets" / "vocab.txt").read_text() == models.ASSET_TEXT


def test_scopeflow_saved_model_loads_in_tensorflow() -> None:
    """Recorded by ``tools/tf_verify_saved_model.py`` under the TF oracle."""
    lines = (GOLDEN / "tf_verification.txt").read_text().splitlines()
    assert lines[-1] == "ALL PASS"
    assert [line.split(":")[0] for line in lines[:-1]] == [
        "PASS mlp ['serve']",
        "PASS convnet ['serve']",
        "PASS convnet ['train']",
        "PASS asset ['serve']",
        "PASS cli mlp SavedModel -> frozen .pb",
        "PASS cli frozen_convnet.pb -> SavedModel",
        "PASS cli convnet SavedModel -> SavedModel",
    ]


def test_saved_model_proto_is_tf_message(tmp_path: Path) -> None:
    v = tf.Variable(2.0, name="v")
    with tf.Session() as sess:
        sess.run(v.initializer)
        x = tf.placeholder(tf.float32, [None], name="x")
        tf.saved_model.simple_save(sess, str(tmp_path / "m"), {"x": x}, {"y": tf.negative(x)})
    sm = saved_model_pb2.SavedModel.FromString((tmp_path / "m" / "saved_model.pb").read_bytes())
    assert sm.DESCRIPTOR.full_name == "tensorflow.SavedModel"
    assert sm.saved_model_schema_version == 1
    (meta,) = sm.meta_graphs
    assert list(meta.meta_info_def.tags) == ["serve"]
    assert meta.saver_def.sharded
    assert meta.saver_def.restore_op_name == "save/restore_all"
    sig = meta.signature_def["serving_default"]
    assert (sig.method_name, sig.inputs["x"].name, sig.outputs["y"].name) == (
        "tensorflow/serving/predict",
        "x:0",
        "Neg:0",
    )


def test_export_dir_must_be_new_or_empty(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(AssertionError, match="Export directory already exists, and isn't empty"):
        tf.saved_model.builder.SavedModelBuilder(str(tmp_path))
    empty = tmp_path / "empty"
    empty.mkdir()
    tf.saved_model.Builder(str(empty))  # an empty directory is accepted


def test_builder_call_order(tmp_path: Path) -> None:
    b = tf.saved_model.builder.SavedModelBuilder(str(tmp_path / "m"))
    with pytest.raises(AssertionError, match="has not been saved yet"):
        b.add_meta_graph(["serve"])
    tf.Variable(1.0, name="v")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        b.add_meta_graph_and_variables(sess, ["serve"])
        with pytest.raises(AssertionError, match="has already been saved"):
            b.add_meta_graph_and_variables(sess, ["train"])
    with pytest.raises(KeyError, match="reserved for initialization"):
        b.add_meta_graph(["x"], {"__saved_model_init_op": tf.saved_model.build_signature_def()})
    path = b.save(as_text=True)
    assert path == os.fsencode(tmp_path / "m" / "saved_model.pbtxt")  # bytes, as TF 1.15


def test_main_op_runs_after_restore(tmp_path: Path) -> None:
    v = tf.Variable(5.0, name="v")
    counter = tf.Variable(0.0, name="counter", collections=[tf.GraphKeys.LOCAL_VARIABLES])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(tf.assign(v, 7.0))
        main = tf.saved_model.main_op.main_op()
        b = tf.saved_model.builder.SavedModelBuilder(str(tmp_path / "m"))
        b.add_meta_graph_and_variables(sess, ["serve"], main_op=main)
        b.save()
    del counter
    with tf.Graph().as_default(), tf.Session() as sess:
        tf.saved_model.loader.load(sess, ["serve"], str(tmp_path / "m"))
        # main_op() re-runs the global initializer after the restore, as in TF
        assert sess.run(["v:0", "counter:0"]) == [5.0, 0.0]
        assert [op.name for op in tf.get_collection("saved_model_main_op")] == ["group_deps"]


def test_a_second_main_op_is_refused(tmp_path: Path) -> None:
    tf.add_to_collection("saved_model_main_op", tf.no_op())
    b = tf.saved_model.builder.SavedModelBuilder(str(tmp_path / "m"))
    with tf.Session() as sess, pytest.raises(ValueError, match="already contains one or more"):
        b.add_meta_graph_and_variables(sess, ["serve"], main_op=tf.no_op())


def test_assets_with_clashing_basenames_are_renamed(tmp_path: Path) -> None:
    for sub, text in (("a", "first"), ("b", "second")):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "vocab.txt").write_text(text)
        tf.add_to_collection(
            tf.GraphKeys.ASSET_FILEPATHS, tf.constant(str(tmp_path / sub / "vocab.txt"))
        )
    x = tf.placeholder(tf.float32, name="x")
    with tf.Session() as sess:
        tf.saved_model.simple_save(sess, str(tmp_path / "m"), {"x": x}, {"y": tf.identity(x)})
    assets = tmp_path / "m" / "assets"
    assert sorted(p.name for p in assets.iterdir()) == ["vocab.txt", "vocab.txt_1"]
    assert (assets / "vocab.txt_1").read_text() == "second"


def test_asset_path_must_be_string_constant(tmp_path: Path) -> None:
    b = tf.saved_model.builder.SavedModelBuilder(str(tmp_path / "m"))
    with tf.Session() as sess, pytest.raises(TypeError, match="must be of type constant"):
        b.add_meta_graph_and_variables(
            sess, ["serve"], assets_collection=[tf.identity(tf.constant("p"))]
        )


def test_missing_and_corrupt_saved_model(tmp_path: Path) -> None:
    assert not tf.saved_model.loader.maybe_saved_model_directory(str(tmp_path))
    with tf.Session() as sess, pytest.raises(OSError, match="SavedModel file does not exist at"):
        tf.saved_model.loader.load(sess, ["serve"], str(tmp_path))
    (tmp_path / "saved_model.pb").write_bytes(
        (FIXTURES / "mlp" / "saved_model.pb").read_bytes()[:100]
    )
    assert tf.saved_model.maybe_saved_model_directory(str(tmp_path))
    with tf.Session() as sess, pytest.raises(OSError, match=r"Cannot parse file .*saved_model.pb"):
        tf.saved_model.loader.load(sess, ["serve"], str(tmp_path))


def test_run_hook_private_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from scopeflow.run._modules import import_tf_module

    # the TF modules the hook creates must not outlive this test
    monkeypatch.setattr(sys, "modules", dict(sys.modules))
    loader = import_tf_module("tensorflow.python.saved_model.loader")
    assert loader.load is tf.saved_model.loader.load
    sdu = import_tf_module("tensorflow.python.saved_model.signature_def_utils")
    assert sdu.predict_signature_def is tf.saved_model.predict_signature_def
    assert import_tf_module("tensorflow.saved_model").simple_save is tf.saved_model.simple_save


def test_missing_variables_is_tf_error(tmp_path: Path) -> None:
    import shutil

    shutil.copytree(FIXTURES / "mlp", tmp_path / "m")
    shutil.rmtree(tmp_path / "m" / "variables")
    with tf.Session() as sess, pytest.raises(ValueError, match="not a valid checkpoint"):
        tf.saved_model.loader.load(sess, ["serve"], str(tmp_path / "m"))


def test_saved_model_without_variables_loads(tmp_path: Path) -> None:
    x = tf.placeholder(tf.float32, [None], name="x")
    with tf.Session() as sess:
        tf.saved_model.simple_save(sess, str(tmp_path / "m"), {"x": x}, {"y": tf.square(x)})
    assert list((tmp_path / "m" / "variables").iterdir()) == []  # as TF: an empty directory
    with tf.Graph().as_default(), tf.Session() as sess:
        meta = tf.saved_model.loader.load(sess, ["serve"], str(tmp_path / "m"))
        assert not meta.HasField("saver_def")
        assert sess.run("Square:0", {"x:0": [3.0]}).tolist() == [9.0]


@pytest.mark.parametrize("name", ["mlp", "convnet", "asset"])
def test_scopeflow_meta_graphs_match_tf_fixture(name: str, tmp_path: Path) -> None:
    from scopeflow.saved_model.loader import parse_saved_model

    _build_and_export(name, tmp_path / "export", tmp_path)
    ours = parse_saved_model(str(tmp_path / "export"))
    theirs = parse_saved_model(str(FIXTURES / name))
    assert ours.saved_model_schema_version == theirs.saved_model_schema_version == 1
    assert len(ours.meta_graphs) == len(theirs.meta_graphs)
    for a, b in zip(ours.meta_graphs, theirs.meta_graphs, strict=True):
        assert list(a.meta_info_def.tags) == list(b.meta_info_def.tags)
        assert dict(a.signature_def) == dict(b.signature_def)
        assert a.saver_def == b.saver_def
        assert sorted(a.collection_def) == sorted(b.collection_def)
        for key in ("saved_model_assets", "saved_model_main_op"):  # the same encodings
            if key in b.collection_def:
                assert a.collection_def[key] == b.collection_def[key], key
        nodes_a = {(n.name, n.op) for n in a.graph_def.node if not n.name.startswith("save")}
        nodes_b = {(n.name, n.op) for n in b.graph_def.node if not n.name.startswith("save")}
        assert (nodes_a - nodes_b, nodes_b - nodes_a) == (set(), set())
