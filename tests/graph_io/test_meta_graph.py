"""``tf.train.export_meta_graph`` and the ``.meta`` files ``Saver.save`` writes.

That TF's ``import_meta_graph`` loads them and restores scopeflow's checkpoint is checked by
``tools/tf_verify_graph_export.py`` (its result file is asserted in ``test_export.py``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from google.protobuf import text_format

import scopeflow.compat.v1 as tf
from scopeflow.protos import meta_graph_pb2, variable_pb2


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
