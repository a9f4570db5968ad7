"""``LRN`` survives a GraphDef round trip: TF's attrs on export, the same values on import."""

import numpy as np

import scopeflow.compat.v1 as tf


def test_lrn_graphdef_round_trip():
    x = tf.placeholder(tf.float32, [1, 2, 2, 5], name="x")
    y = tf.nn.lrn(x, 2, 1.5, 0.5, 0.75)
    gd = tf.get_default_graph().as_graph_def()
    (node,) = [n for n in gd.node if n.op == "LRN"]
    assert sorted(node.attr) == ["T", "alpha", "beta", "bias", "depth_radius"]
    assert (node.attr["depth_radius"].i, node.attr["beta"].f) == (2, 0.75)
    feed = np.linspace(-2, 3, 20, dtype=np.float32).reshape(1, 2, 2, 5)
    with tf.Session() as sess:
        want = sess.run(y, {x: feed})
    with tf.Graph().as_default():
        tf.import_graph_def(gd, name="")
        with tf.Session() as sess:
            got = sess.run("LRN:0", {"x:0": feed})
    np.testing.assert_array_equal(got, want)
