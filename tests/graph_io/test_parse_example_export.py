"""``tf.parse_example`` in a GraphDef: written as TF's ``ParseExampleV2`` node, read back.

scopeflow keeps the keys and dense defaults as private attributes of its op; the GraphDef gets
TF's inputs (``names``/``sparse_keys``/``dense_keys``/``ragged_keys`` constants and one default
constant per dense key) and attributes, so TF imports it (checked with TF 2.21 for fixed-length,
defaulted, sequence and var-length features: same values) and so does scopeflow's importer.
"""

from __future__ import annotations

import numpy as np

import scopeflow.compat.v1 as tf

SPEC = {
    "x": tf.FixedLenFeature([2], tf.float32),
    "w": tf.FixedLenFeature([1], tf.string, default_value="q"),
    "v": tf.VarLenFeature(tf.int64),
    "q": tf.FixedLenSequenceFeature([2], tf.float32, allow_missing=True),
    "d": tf.FixedLenFeature([], tf.int64, default_value=7),
}


def _examples() -> list[bytes]:
    out = []
    for i in range(2):
        e = tf.train.Example()
        e.features.feature["x"].float_list.value.extend([i, i + 1.0])
        if i:
            e.features.feature["w"].bytes_list.value.append(b"z")
            e.features.feature["d"].int64_list.value.append(3)
        e.features.feature["v"].int64_list.value.extend(range(i + 1))
        e.features.feature["q"].float_list.value.extend([1.0, 2.0] * (i + 1))
        out.append(e.SerializeToString())
    return out


def test_parse_example_node_is_tfs() -> None:
    s = tf.placeholder(tf.string, [None], name="s")
    tf.parse_example(s, SPEC)
    nodes = {n.name: n for n in tf.get_default_graph().as_graph_def().node}
    node = nodes["ParseExample/ParseExampleV2"]
    assert list(node.input) == [
        "s",
        "ParseExample/ParseExampleV2/names",
        "ParseExample/ParseExampleV2/sparse_keys",
        "ParseExample/ParseExampleV2/dense_keys",
        "ParseExample/ParseExampleV2/ragged_keys",
        "ParseExample/key_d",
        "ParseExample/Const",
        "ParseExample/key_w",
        "ParseExample/Const_1",
    ]
    assert sorted(node.attr) == [
        "Tdense", "dense_shapes", "num_sparse", "ragged_split_types",
        "ragged_value_types", "sparse_types",
    ]  # fmt: skip
    assert [d.size for s in node.attr["dense_shapes"].list.shape for d in s.dim] == [-1, 2, 1, 2]
    keys = nodes["ParseExample/ParseExampleV2/dense_keys"].attr["value"].tensor.string_val
    assert list(keys) == [b"d", b"q", b"w", b"x"]


def test_parse_example_graph_def_reimports() -> None:
    with tf.Graph().as_default() as g:
        s = tf.placeholder(tf.string, [None], name="s")
        parsed = tf.parse_example(s, SPEC)
        with tf.Session() as sess:
            want = sess.run({k: v for k, v in parsed.items() if k != "v"}, {s: _examples()})
        graph_def = g.as_graph_def()
    names = {k: v.name for k, v in parsed.items() if k != "v"}
    with tf.Graph().as_default(), tf.Session() as sess:
        tf.import_graph_def(graph_def, name="")
        got = sess.run(names, {"s:0": _examples()})
    for key, value in want.items():
        np.testing.assert_array_equal(np.asarray(got[key]), np.asarray(value))
