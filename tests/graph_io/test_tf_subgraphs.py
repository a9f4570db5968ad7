"""scopeflow's fused composites are exported as the TF subgraphs they stand for.

``golden/tf_composites_graph.json`` is the GraphDef TF builds for the same model
(``tools/record_tf_composites_graph.py``); ``tools/tf_verify_graph_export.py`` imports
scopeflow's export in TF and compares values (its ``composites.pb`` line must PASS).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from tests.graph_io import composite_models

import scopeflow.compat.v1 as tf
from scopeflow.errors import UnsupportedError

GOLDEN = Path(__file__).resolve().parent / "golden"


def test_export_has_tf_nodes_names_and_inputs() -> None:
    t = composite_models.composite_model(tf)
    gd = tf.get_default_graph().as_graph_def(add_shapes=True)
    got = sorted([n.name, n.op, sorted(n.input)] for n in gd.node)
    want = json.loads((GOLDEN / "tf_composites_graph.json").read_text())
    # scopeflow converts a Python-number pos_weight to a Const before knowing TF folds
    # pos_weight - 1 into one constant: it stays in the graph, unused (TF has no such node)
    extra = ["logistic_loss_1/pos_weight", "Const", []]
    assert got == sorted([*want, extra])
    ops = {n.op for n in gd.node}
    assert not any(op.startswith("Sf") for op in ops)
    shapes = {n.name: n.attr["_output_shapes"].list.shape for n in gd.node}
    assert [d.size for d in shapes["l2_normalize"][0].dim] == [-1, 4]
    assert t["mean"].name == "moments/Squeeze:0"


def test_tf_imports_composites_with_scopeflow_values() -> None:
    lines = (GOLDEN / "tf_export_verification.txt").read_text().splitlines()
    assert any(line.startswith("PASS composites.pb:") for line in lines)
    assert lines[-1] == "ALL PASS"


def test_control_dependencies_reach_the_subgraph_entry_nodes() -> None:
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    dep = tf.no_op(name="dep")
    with tf.control_dependencies([dep]):
        tf.nn.l2_normalize(x, axis=1, name="n")
    nodes = {n.name: list(n.input) for n in tf.get_default_graph().as_graph_def().node}
    assert nodes["n/Square"] == ["x", "^dep"]
    assert nodes["n/Sum/reduction_indices"] == ["^dep"]
    assert "^dep" not in nodes["n/Rsqrt"]


def _uint8_image(x):
    return tf.image.per_image_standardization(tf.cast(tf.reshape(x, [1, 2, 2, 3]), tf.uint8))


@pytest.mark.parametrize(
    ("build", "op_type"),
    [
        (lambda x: tf.nn.moments(tf.cast(x, tf.float16), axes=[0], name="m"), "SfMomentsMean"),
        (lambda x: tf.nn.embedding_lookup([x, x], tf.constant([0])), "SfEmbeddingLookup"),
        (_uint8_image, "SfPerImageStandardization"),
        (lambda x: tf.nn.softmax_cross_entropy_with_logits_v2(x, x, axis=0), "SfSoftmaxCross"),
    ],
)
def test_cases_without_a_tf_subgraph_still_refuse(tmp_path: Path, build, op_type: str) -> None:
    x = tf.placeholder(tf.float32, [4, 3], name="x")
    build(x)
    with pytest.raises(UnsupportedError, match=op_type):
        tf.train.write_graph(tf.get_default_graph(), str(tmp_path), "g.pb")


def test_exported_composites_reimport_in_scopeflow() -> None:
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float32, [None, 4], name="x")
        y = tf.nn.batch_normalization(x, *tf.nn.moments(x, axes=[0]), None, None, 1e-3)
        z = tf.nn.l2_normalize(tf.nn.crelu(y), axis=1, name="out")
        with tf.Session() as s:
            want = s.run(z, {x: composite_models.FEED})
    with tf.Graph().as_default(), tf.Session() as s:
        tf.import_graph_def(g.as_graph_def(), name="")
        got = s.run("out:0", {"x:0": composite_models.FEED})
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-6)


def test_initialized_value_is_a_cond_under_scopeflow_name() -> None:
    composite_models.renamed_model(tf)
    nodes = {n.name: (n.op, list(n.input)) for n in tf.get_default_graph().as_graph_def().node}
    p = "w_iv/initialized_value"
    assert nodes[p] == ("Merge", [f"{p}/cond/Switch_1", f"{p}/cond/read"])
    assert nodes[f"{p}/cond/read/Switch"] == ("RefSwitch", ["w_iv", f"{p}/cond/pred_id"])
    assert nodes[f"{p}/IsVariableInitialized"] == ("IsVariableInitialized", ["w_iv"])
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        assert s.run("init_value:0").tolist() == [3.0, 6.0]
