"""The importer's validation and ordering: GraphDefs in any node order, and its errors."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import scopeflow.compat.v1 as tf


def _graph_def() -> Any:
    with tf.Graph().as_default() as g:
        x = tf.placeholder(tf.float32, [None, 3], name="x")
        w = tf.constant(np.arange(9, dtype=np.float32).reshape(3, 3), name="w")
        h = tf.nn.relu(tf.matmul(x, w), name="h")
        with tf.control_dependencies([h.op]):
            y = tf.identity(h * 2.0, name="y")
        tf.add(y, tf.constant(1.0), name="z")
        return g.as_graph_def()


def _describe(g: Any) -> list[tuple[Any, ...]]:
    ops = g.get_operations()
    return sorted(
        (op.name, op.type, [t.name for t in op.inputs], sorted(c.name for c in op.control_inputs))
        for op in ops
    )


def test_any_node_order_imports_the_same_graph() -> None:
    gd = _graph_def()
    shuffled = tf.GraphDef()
    shuffled.node.extend(reversed(gd.node))
    feed = np.ones([2, 3], np.float32)
    got = []
    for graph_def in (gd, shuffled):
        with tf.Graph().as_default() as g:
            tf.import_graph_def(graph_def, name="m")
            with tf.Session() as sess:
                got.append((_describe(g), sess.run("m/z:0", {"m/x:0": feed})))
    assert got[0][0] == got[1][0]
    np.testing.assert_array_equal(got[0][1], got[1][1])


def test_input_map_replaces_a_later_listed_node() -> None:
    gd = _graph_def()
    shuffled = tf.GraphDef()
    shuffled.node.extend(reversed(gd.node))
    with tf.Graph().as_default():
        x = tf.constant(np.ones([1, 3], np.float32))
        (z,) = tf.import_graph_def(shuffled, {"x": x}, ["z:0"], name="m")
        with tf.Session() as sess:
            np.testing.assert_array_equal(sess.run(z), [[19.0, 25.0, 31.0]])


def test_cycle_is_named() -> None:
    gd = _graph_def()
    for n in gd.node:
        if n.name == "h":
            n.input[0] = "y"  # h <- y <- h
    # ('mul/y', the constant 2.0, was made under the control dependency on h)
    with pytest.raises(ValueError, match=r"a cycle among the nodes 'h', 'mul', 'mul/y', 'y', 'z'"):
        tf.import_graph_def(gd)


def test_unknown_inputs_and_output_indices() -> None:
    gd = _graph_def()
    gd.node[-1].input[0] = "nowhere"
    with pytest.raises(ValueError, match=r"Node 'z': Unknown input node 'nowhere'"):
        tf.import_graph_def(gd)
    gd = _graph_def()
    gd.node[-1].input[0] = "y:1"
    with pytest.raises(ValueError, match=r"Node 'z': input 'y:1' refers to output 1 of an op "
                       r"with 1 outputs"):  # fmt: skip
        tf.import_graph_def(gd)


def test_reading_an_op_without_outputs() -> None:
    with tf.Graph().as_default() as g:
        tf.no_op(name="n")
        gd = g.as_graph_def()
    node = gd.node.add(name="i", op="Identity")
    node.input.append("n")
    node.attr["T"].type = tf.float32.as_datatype_enum
    with pytest.raises(ValueError, match=r"Node 'i': input 'n' refers to output 0 of an op with "
                       r"0 outputs"):  # fmt: skip
        tf.import_graph_def(gd)
