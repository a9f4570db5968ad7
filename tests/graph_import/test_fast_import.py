"""The import fast path (``graph_import._fast``) builds the same ops as the op wrappers."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import scopeflow.compat.v1 as tf
from scopeflow.graph_import import importer


def _graph_def() -> Any:
    with tf.Graph().as_default() as g:
        x = tf.placeholder(tf.float32, [None, 4], name="x")
        w = tf.constant(np.arange(12, dtype=np.float32).reshape(4, 3) / 7, name="w")
        wt = tf.constant(np.ones((3, 4), np.float64), name="wt")
        b = tf.constant([0.5, -1.0, 2.0], name="b")
        h = tf.matmul(x, w, name="mm")
        h2 = tf.matmul(tf.cast(x, tf.float64), wt, transpose_b=True, name="mm_t")
        h = tf.nn.bias_add(h, b, name="ba")
        y = tf.identity(h, name="id")
        for op in (tf.nn.relu, tf.nn.relu6, tf.sigmoid, tf.tanh, tf.exp, tf.square, tf.abs):
            y = op(y)
        z = tf.maximum(y, tf.constant(0.1), name="mx") * tf.constant([[1.0], [2.0]], name="col")
        z = tf.squared_difference(z, y) - y / 3.0
        tf.constant([1, 2, 3], name="ints")
        tf.constant(7, tf.int64, name="scalar64")
        tf.constant([True, False], name="bools")
        tf.identity(h2, name="h2")
        tf.add(tf.constant([1, 2]), tf.constant([3, 4]), name="int_add")  # not a fast case
        tf.identity(z, name="out")
        return g.as_graph_def()


def _signature(g: Any) -> list[tuple[Any, ...]]:
    out = []
    for op in g.get_operations():
        attrs = {
            k: (v.tolist() if isinstance(v, np.ndarray) else v) for k, v in op.node_def.attr.items()
        }
        out.append((op.name, op.type, op.device, [t.name for t in op.inputs], sorted(attrs.items()),
                    [(t.dtype, str(t.shape)) for t in op.outputs],
                    [None if t._const is None else np.asarray(t._const).tolist()
                     for t in op.outputs]))  # fmt: skip
    return out


@pytest.mark.parametrize("device", ["", "/device:CPU:0"], ids=["no-device", "device"])
def test_fast_path_builds_what_the_wrappers_build(
    monkeypatch: pytest.MonkeyPatch, device: str
) -> None:
    gd = _graph_def()
    for node in gd.node:
        node.device = device
    with tf.Graph().as_default() as fast:
        tf.import_graph_def(gd, name="")
    monkeypatch.setattr(importer, "FAST", {})
    with tf.Graph().as_default() as slow:
        tf.import_graph_def(gd, name="")
    assert _signature(fast) == _signature(slow)
    feed = np.arange(8, dtype=np.float32).reshape(2, 4) / 5
    with tf.Session(graph=fast) as s:
        a = s.run("out:0", {"x:0": feed})
    with tf.Session(graph=slow) as s:
        b = s.run("out:0", {"x:0": feed})
    np.testing.assert_array_equal(a, b)


def test_fast_path_leaves_errors_to_the_wrappers() -> None:
    with tf.Graph().as_default() as g:
        a = tf.placeholder(tf.float32, [2, 3], name="a")
        b = tf.placeholder(tf.float32, [4, 5], name="b")
        gd = g.as_graph_def()
    node = gd.node.add(name="mm", op="MatMul")
    node.input.extend(["a", "b"])
    del a, b
    with pytest.raises(ValueError, match=r"Cannot import node 'mm' \(MatMul\): Dimensions must "
                       r"be equal, but are 3 and 4"):  # fmt: skip
        tf.import_graph_def(gd)


def test_fast_const_rejects_a_short_tensor_content() -> None:
    with tf.Graph().as_default() as g:
        tf.constant(np.ones((2, 2), np.float32), name="c")
        gd = g.as_graph_def()
    gd.node[0].attr["value"].tensor.tensor_content = b"\0" * 12
    with pytest.raises(ValueError, match=r"node 'c'.*tensor_content has 12 bytes"):
        tf.import_graph_def(gd)


@pytest.mark.parametrize("scope", ["device", "control_dependencies", "name_taken"])
def test_fast_path_inside_outer_scopes(monkeypatch: pytest.MonkeyPatch, scope: str) -> None:
    # The importer creates the fast ops itself unless a control-dependency scope is active; an
    # outer device applies to nodes without their own, as through ``Graph._create_op``.
    gd = _graph_def()
    gd.node[1].device = "/device:CPU:0"
    graphs = []
    for fast in (True, False):
        if not fast:
            monkeypatch.setattr(importer, "FAST", {})
        with tf.Graph().as_default() as g:
            c = tf.constant(1.0, name="outer")
            tf.constant(2.0, name="m/W")  # (case-insensitively taken: uniquified names skip it)
            if scope == "device":
                with tf.device("/device:GPU:0"):
                    tf.import_graph_def(gd, name="m")
            elif scope == "control_dependencies":
                with tf.control_dependencies([c]):
                    tf.import_graph_def(gd, name="m")
            else:
                tf.import_graph_def(gd, name="m")
            tf.constant(3.0, name="m/w")
            graphs.append(g)
    fast_sig, slow_sig = (_signature(g) for g in graphs)
    assert fast_sig == slow_sig
    names = [op.name for op in graphs[0].get_operations()]
    assert "m/w_1" in names
    if scope == "device":
        devices = {op.name: op.device for op in graphs[0].get_operations()}
        assert devices["m/x"] == "/device:GPU:0"
        assert devices["m/w"] == "/device:CPU:0"
    if scope == "control_dependencies":
        assert [o.name for o in graphs[0].get_operation_by_name("m/x").control_inputs] == ["outer"]
