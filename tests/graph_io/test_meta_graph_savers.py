"""The ``savers`` collection in a ``MetaGraphDef``: serialized ``SaverDef``s, as TF writes it."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np

import scopeflow.compat.v1 as tf
from scopeflow.graph_import.meta_graph import saver_def_proto
from scopeflow.protos import saver_pb2


def _build() -> tuple[object, object]:
    a = tf.Variable([1.0, 2.0], name="a")
    tf.Variable(3.0, name="b", trainable=False)
    main = tf.train.Saver(max_to_keep=3)
    only_a = tf.train.Saver([a])
    tf.add_to_collection(tf.GraphKeys.SAVERS, main)
    tf.add_to_collection(tf.GraphKeys.SAVERS, only_a)
    return main, only_a


def test_export_encodes_savers_as_saver_defs() -> None:
    main, only_a = _build()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        meta = tf.train.export_meta_graph()
    raw = list(meta.collection_def["savers"].bytes_list.value)
    defs = [saver_pb2.SaverDef.FromString(r) for r in raw]
    assert [d.filename_tensor_name for d in defs] == ["save/Const:0", "save_1/Const:0"]
    assert defs[0].max_to_keep == 3
    assert defs[0] == saver_def_proto(main.as_saver_def())
    assert defs[1] == saver_def_proto(only_a.as_saver_def())


def test_savers_round_trip(tmp_path: Path) -> None:
    with tf.Graph().as_default():
        main, _ = _build()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            ckpt = main.save(sess, str(tmp_path / "model"))
    with tf.Graph().as_default():
        saver = tf.train.import_meta_graph(ckpt + ".meta")
        savers = tf.get_collection(tf.GraphKeys.SAVERS)
        assert len(savers) == 2
        assert savers[0] is saver
        with tf.Session() as sess:
            savers[1].restore(sess, ckpt)
            np.testing.assert_array_equal(sess.run("a:0"), [1.0, 2.0])
            path = savers[1].save(sess, str(tmp_path / "only_a"))
        assert [n for n, _ in tf.train.list_variables(path)] == ["a"]
        assert saver.as_saver_def().max_to_keep == 3
