"""GraphDef import: a frozen graph written by real TF runs in scopeflow with TF's outputs.

``golden/frozen_convnet.pb`` and its outputs are recorded by ``tools/record_graphio_golden.py``
(TF 2.21 ``tf.compat.v1``, graph mode, control flow v1, ``convert_variables_to_constants``).
"""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import scopeflow.compat.v1 as tf
from scopeflow.errors import UnsupportedError
from scopeflow.graph_io.files import read_graph_def
from scopeflow.protos import graph_pb2

GOLDEN = Path(__file__).parent / "golden"
_spec = importlib.util.spec_from_file_location(
    "graph_io_models", Path(__file__).parent / "models.py"
)
assert _spec is not None
assert _spec.loader is not None
models = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(models)


def _frozen() -> graph_pb2.GraphDef:
    return read_graph_def(str(GOLDEN / "frozen_convnet.pb"))


def test_tf_frozen_graph_gives_tf_outputs() -> None:
    expected = np.load(GOLDEN / "frozen_convnet.npz")
    probs, top = tf.import_graph_def(_frozen(), return_elements=["probs:0", "top:0"])
    g = tf.get_default_graph()
    assert probs is g.get_tensor_by_name("import/probs:0")
    x = g.get_tensor_by_name("import/input:0")
    logits = g.get_tensor_by_name("import/fc/BiasAdd:0")
    with tf.Session() as s:
        p, t, lg = s.run([probs, top, logits], {x: expected["input"]})
    np.testing.assert_allclose(lg, expected["logits"], rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(p, expected["probs"], rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(t, expected["top"])


def test_imported_ops_keep_names_types_and_shapes() -> None:
    gd = _frozen()
    tf.import_graph_def(gd, name="")
    g = tf.get_default_graph()
    for node in gd.node:
        assert g.get_operation_by_name(node.name).type == node.op
    assert g.get_tensor_by_name("probs:0").shape.as_list() == [None, 5]
    assert g.get_operation_by_name("bn1/FusedBatchNormV3").get_attr("is_training") is False


def test_input_map_and_name_prefix() -> None:
    expected = np.load(GOLDEN / "frozen_convnet.npz")
    feed = tf.constant(expected["input"], name="feed")
    (top,) = tf.import_graph_def(_frozen(), {"input:0": feed}, ["top:0"], name="net")
    (again,) = tf.import_graph_def(_frozen(), {"input": feed}, ["top:0"], name="net")
    assert (top.name, again.name) == ("net/top:0", "net_1/top:0")
    with tf.Session() as s:
        np.testing.assert_array_equal(s.run(again), expected["top"])


def test_return_operation_and_unknown_element() -> None:
    (op,) = tf.import_graph_def(_frozen(), return_elements=["probs"])
    assert op.name == "import/probs"
    assert op.type == "Softmax"
    with pytest.raises(ValueError, match="return_element 'nope:0' not found"):
        tf.import_graph_def(_frozen(), return_elements=["nope:0"])


def test_unused_input_map_key() -> None:
    with pytest.raises(ValueError, match=r"not found in graph_def: \[missing:0\]"):
        tf.import_graph_def(_frozen(), {"missing:0": tf.constant(1.0)})


def _node(gd: graph_pb2.GraphDef, name: str, op: str, *inputs: str) -> None:
    gd.node.add(name=name, op=op, input=list(inputs))


def test_missing_op_types_listed_in_one_error() -> None:
    gd = _frozen()
    _node(gd, "n1", "CTCGreedyDecoder", "probs")
    _node(gd, "n2", "CTCGreedyDecoder", "probs")
    _node(gd, "b", "Bucketize", "probs")
    msg = r"2 op types are not implemented: Bucketize \(1 node\), CTCGreedyDecoder \(2 nodes\)"
    with pytest.raises(UnsupportedError, match=msg):
        tf.import_graph_def(gd)
    assert tf.get_default_graph().get_operations() == []  # nothing half-imported


def test_cycle_is_reported() -> None:
    gd = graph_pb2.GraphDef()
    _node(gd, "a", "Identity", "b")
    _node(gd, "b", "Identity", "a")
    with pytest.raises(ValueError, match="cycle among the nodes 'a', 'b'"):
        tf.import_graph_def(gd)


def test_unknown_input_and_duplicate_name() -> None:
    gd = graph_pb2.GraphDef()
    _node(gd, "a", "Identity", "ghost:0")
    with pytest.raises(ValueError, match="Node 'a': Unknown input node 'ghost:0'"):
        tf.import_graph_def(gd)
    gd = graph_pb2.GraphDef()
    _node(gd, "a", "NoOp")
    _node(gd, "a", "NoOp")
    with pytest.raises(ValueError, match="two nodes named 'a'"):
        tf.import_graph_def(gd)


def _const(
    shape: list[int], *, values: list[float] | None = None, content: bytes = b""
) -> graph_pb2.GraphDef:
    gd = graph_pb2.GraphDef()
    node = gd.node.add(name="big", op="Const")
    node.attr["dtype"].type = tf.float32.as_datatype_enum
    t = node.attr["value"].tensor
    t.dtype = tf.float32.as_datatype_enum
    for d in shape:
        t.tensor_shape.dim.add(size=d)
    t.float_val.extend(values or [])
    t.tensor_content = content
    return gd


def test_const_claiming_huge_shape_is_refused_before_allocation() -> None:
    start = time.perf_counter()
    with pytest.raises(ValueError, match=r"node 'big'.*claims 4398046511104 bytes"):
        tf.import_graph_def(_const([2**20, 2**20], values=[1.0]))
    assert time.perf_counter() - start < 1.0


def test_const_with_wrong_content_size() -> None:
    with pytest.raises(ValueError, match=r"node 'big'.*tensor_content has 4 bytes.*needs 24"):
        tf.import_graph_def(_const([2, 3], content=b"\0\0\0\0"))
    with pytest.raises(ValueError, match=r"node 'big'.*negative dimension"):
        tf.import_graph_def(_const([-5], values=[1.0]))


def test_broadcast_const_values_repeat_the_last() -> None:
    (t,) = tf.import_graph_def(_const([2, 2], values=[1.0, 2.0]), return_elements=["big:0"])
    with tf.Session() as s:
        np.testing.assert_array_equal(s.run(t), [[1.0, 2.0], [2.0, 2.0]])


def test_truncated_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "frozen.pb"
    path.write_bytes((GOLDEN / "frozen_convnet.pb").read_bytes()[:1000])
    with pytest.raises(ValueError, match=r"frozen.pb' is not a valid binary GraphDef"):
        read_graph_def(str(path))


def _run_model(gd: graph_pb2.GraphDef, feed: np.ndarray) -> list[np.ndarray]:
    with tf.Graph().as_default() as g:
        tf.import_graph_def(gd, name="")
        with tf.Session() as s:
            s.run([op for op in g.get_operations() if op.type == "Assign"])
            return s.run(["y:0", "z:0"], {"x:0": feed})


def test_scopeflow_graph_round_trip_and_freeze() -> None:
    feed = np.random.default_rng(0).normal(size=(2, 6, 6, 2)).astype(np.float32)
    t = models.simple_model(tf)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        want = s.run([t["y"], t["z"]], {t["x"]: feed})
        gd = s.graph.as_graph_def()
        frozen = tf.graph_util.convert_variables_to_constants(s, gd, ["y", "z"])
    got = _run_model(gd, feed)  # variables re-initialized by their (seeded) Assign ops
    for a, b in zip(got, want, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-6)
    assert {n.op for n in frozen.node}.isdisjoint({"VariableV2", "Assign"})
    got = _run_model(frozen, feed)
    for a, b in zip(got, want, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-6)


def test_remove_training_nodes_keeps_outputs() -> None:
    cleaned = tf.graph_util.remove_training_nodes(_frozen(), protected_nodes=["probs"])
    assert "Identity" not in {n.op for n in cleaned.node}
    expected = np.load(GOLDEN / "frozen_convnet.npz")
    (probs,) = tf.import_graph_def(cleaned, return_elements=["probs:0"], name="")
    with tf.Session() as s:
        p = s.run(probs, {"input:0": expected["input"]})
    np.testing.assert_allclose(p, expected["probs"], rtol=1e-5, atol=1e-6)


def _roundtrip_case(build: Any) -> None:
    """Builds with scopeflow, exports, imports into a fresh graph: same op types and values."""
    with tf.Graph().as_default() as g:
        out = build()
        outs = out if isinstance(out, (list, tuple)) else [out]
        with tf.Session() as s:
            want = s.run(list(outs))
        gd = g.as_graph_def()
        names = [t.name for t in outs]
    with tf.Graph().as_default() as g2:
        got_t = tf.import_graph_def(gd, return_elements=names, name="")
        assert sorted(o.type for o in g2.get_operations()) == sorted(n.op for n in gd.node)
        with tf.Session() as s:
            got = s.run(got_t)
    for a, b in zip(got, want, strict=True):
        np.testing.assert_array_equal(a, b)


_X = np.arange(24, dtype=np.float32).reshape(2, 3, 4) / 7.0

ROUND_TRIPS = [
    pytest.param(lambda: tf.gather(tf.constant(_X), [2, 0], axis=1), id="GatherV2"),
    pytest.param(lambda: tf.slice(tf.constant(_X), [0, 1, 1], [2, 2, 2]), id="Slice"),
    pytest.param(lambda: tf.split(tf.constant(_X), 2, axis=2), id="Split"),
    pytest.param(lambda: tf.split(tf.constant(_X), [1, 3], axis=2), id="SplitV"),
    pytest.param(lambda: tf.unstack(tf.constant(_X), axis=1), id="Unpack"),
    pytest.param(
        lambda: tf.where_v2(tf.constant(_X) > 1.0, tf.constant(_X), tf.zeros_like(_X)),
        id="SelectV2",
    ),
    pytest.param(lambda: tf.clip_by_value(tf.constant(_X), 0.5, 2.0), id="ClipByValue"),
    pytest.param(lambda: tf.pow(tf.constant(_X), 2.0), id="Pow"),
    pytest.param(lambda: tf.nn.top_k(tf.constant(_X), 2), id="TopKV2"),
    pytest.param(
        lambda: tf.image.resize_bilinear(tf.constant(_X[..., None]), [4, 6]), id="ResizeBilinear"
    ),
    pytest.param(
        lambda: tf.pad(tf.constant(_X), [[0, 0], [1, 1], [2, 0]], "REFLECT"), id="MirrorPad"
    ),
    pytest.param(
        lambda: tf.logical_and(tf.constant(_X) >= 1.0, tf.logical_not(tf.constant(_X) <= 2.0)),
        id="logical",
    ),
    pytest.param(
        lambda: tf.reduce_mean(tf.nn.relu6(tf.constant(_X) * 3.0), axis=[1], keepdims=True),
        id="Mean",
    ),
    pytest.param(
        lambda: tf.nn.avg_pool(tf.constant(_X[..., None]), [1, 2, 2, 1], [1, 1, 1, 1], "SAME"),
        id="AvgPool",
    ),
]


@pytest.mark.parametrize("build", ROUND_TRIPS)
def test_export_import_round_trip(build: Any) -> None:
    _roundtrip_case(build)
