"""GraphDef export: scopeflow's NodeDefs against TF's own GraphDef of the same model.

TF's side is recorded by ``tools/record_graphio_golden.py``; that real TF imports and runs
scopeflow-written graphs is checked by ``tools/tf_verify_graph_export.py`` (its result file is
asserted below).
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import numpy as np
import pytest
from google.protobuf import text_format

import scopeflow.compat.v1 as tf
from scopeflow.errors import UnsupportedError
from scopeflow.graph_io.tensor_proto import make_ndarray
from scopeflow.protos import graph_pb2

GOLDEN = Path(__file__).parent / "golden"
_spec = importlib.util.spec_from_file_location(
    "graph_io_models", Path(__file__).parent / "models.py"
)
assert _spec is not None
assert _spec.loader is not None
models = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(models)


def _tf_graph_def() -> graph_pb2.GraphDef:
    return text_format.Parse((GOLDEN / "tf_model_graph.pbtxt").read_text(), graph_pb2.GraphDef())


def _sf_graph_def() -> graph_pb2.GraphDef:
    g = tf.Graph()
    with g.as_default():
        models.simple_model(tf)
    return g.as_graph_def(add_shapes=True)


def test_nodes_match_tf() -> None:
    ours, theirs = _sf_graph_def(), _tf_graph_def()
    assert [(n.name, n.op, list(n.input)) for n in ours.node] == [
        (n.name, n.op, list(n.input)) for n in theirs.node
    ]


def test_attrs_match_tf() -> None:
    theirs = {n.name: n for n in _tf_graph_def().node}
    for node in _sf_graph_def().node:
        tf_node = theirs[node.name]
        assert set(node.attr) <= set(tf_node.attr), node.name
        for key, value in node.attr.items():
            if node.name.endswith("/max") and key == "value":
                # offset + scale of the fused initializer: TF's max up to the last bit
                ours = make_ndarray(value.tensor)
                np.testing.assert_allclose(ours, make_ndarray(tf_node.attr[key].tensor))
                continue
            assert value == tf_node.attr[key], (node.name, key)


def test_missing_attrs_are_tf_defaults() -> None:
    theirs = {n.name: n for n in _tf_graph_def().node}
    missing = {
        (n.op, key) for n in _sf_graph_def().node for key in set(theirs[n.name].attr) - set(n.attr)
    }
    assert missing <= {("Fill", "index_type"), ("Conv2D", "explicit_paddings")}, missing


def test_node_def_is_proto() -> None:
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    y = tf.nn.softmax(x, name="y")
    nd = y.op.node_def
    assert type(nd).DESCRIPTOR.full_name == "tensorflow.NodeDef"
    assert (nd.name, nd.op, list(nd.input), sorted(nd.attr)) == ("y", "Softmax", ["x"], ["T"])


def test_softmax_on_other_axis_cannot_be_exported() -> None:
    x = tf.placeholder(tf.float32, [None, 3, 4], name="x")
    tf.nn.softmax(x, axis=1, name="s")
    with pytest.raises(UnsupportedError, match=r"'s' .*axis=1"):
        tf.get_default_graph().as_graph_def()


def test_private_ops_listed_when_writing(tmp_path: Path) -> None:
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    # over axis 0: scopeflow writes no TF subgraph for a class axis other than the last
    tf.nn.softmax_cross_entropy_with_logits_v2(labels=x, logits=x, axis=0, name="n1")
    tf.nn.softmax_cross_entropy_with_logits_v2(labels=x, logits=x, axis=0, name="n2")
    with pytest.raises(
        UnsupportedError, match=r"2 x SfSoftmaxCrossEntropy \(e.g. node 'n1/Reshape_2'\)"
    ) as e:
        tf.train.write_graph(tf.get_default_graph(), str(tmp_path), "g.pb", as_text=False)
    assert "g.pb" in str(e.value)
    assert not (tmp_path / "g.pb").exists()


@pytest.mark.parametrize("as_text", [True, False])
def test_write_graph_round_trip(tmp_path: Path, as_text: bool) -> None:
    gd = _sf_graph_def()
    path = tf.train.write_graph(gd, str(tmp_path / "sub"), "g.pb", as_text=as_text)
    back = graph_pb2.GraphDef()
    if as_text:
        text_format.Parse(Path(path).read_text(), back)
    else:
        back.ParseFromString(Path(path).read_bytes())
    assert back == gd


def test_tf_loaded_scopeflow_graphs() -> None:
    text = (GOLDEN / "tf_export_verification.txt").read_text()
    assert text.strip().endswith("ALL PASS"), text


def test_docs_list_private_and_importable_op_types() -> None:
    from scopeflow.graph_import._builders import BUILDERS
    from scopeflow.graph_io.graph_def import private_op_types

    docs = (Path(__file__).parents[2] / "docs" / "graph_io.md").read_text()
    listed = set(re.findall(r"`(\w+)`", docs))
    assert private_op_types() - {"_FusedRandomInit"} <= listed
    assert set(BUILDERS) <= listed
    assert f"Supported op types ({len(BUILDERS)})" in docs
