"""More op types of frozen inference graphs: built by scopeflow, exported, imported again (same
op types, same values). Their TF semantics are the ops' own tests; this checks the builders."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import scopeflow.compat.v1 as tf

_X = (np.arange(24, dtype=np.float32).reshape(2, 3, 4) - 11.0) / 7.0
_IMG = np.arange(2 * 4 * 4 * 4, dtype=np.float32).reshape(2, 4, 4, 4) / 50.0


def _x() -> Any:
    return tf.constant(_X)


CASES = [
    pytest.param(
        lambda: [
            f(_x())
            for f in (
                tf.erf,
                tf.sin,
                tf.cos,
                tf.tan,
                tf.sinh,
                tf.cosh,
                tf.ceil,
                tf.round,
                tf.expm1,
                tf.rint,
                tf.sign,
            )
        ],
        id="unary",
    ),
    pytest.param(
        lambda: [tf.asin(_x() / 4), tf.acos(_x() / 4), tf.atan(_x()), tf.log1p(tf.abs(_x()))],
        id="unary-domain",
    ),
    pytest.param(
        lambda: [tf.is_nan(_x() / 0.0), tf.is_finite(_x() / 0.0), tf.is_inf(_x() / 0.0)],
        id="is_nan",
    ),
    pytest.param(
        lambda: [tf.atan2(_x(), _x() + 1.0), tf.div_no_nan(_x(), _x() * 0.0)], id="binary"
    ),
    pytest.param(lambda: tf.logical_or(_x() > 1.0, _x() < -1.0), id="LogicalOr"),
    pytest.param(
        lambda: [
            tf.size(tf.placeholder_with_default(_x(), [None, 3, 4])),
            tf.rank(tf.placeholder_with_default(_x(), None)),
        ],
        id="Size-Rank",
    ),
    pytest.param(
        lambda: [tf.cumsum(_x(), axis=1, exclusive=True), tf.cumprod(_x(), axis=2, reverse=True)],
        id="Cumsum",
    ),
    pytest.param(lambda: tf.gather_nd(_x(), [[0, 1], [1, 2]]), id="GatherNd"),
    pytest.param(lambda: tf.one_hot([0, 2, 1], 4, 5.0, -1.0, axis=0), id="OneHot"),
    pytest.param(lambda: tf.broadcast_to(tf.constant([1.0, 2.0]), [3, 2]), id="BroadcastTo"),
    pytest.param(lambda: tf.reverse(_x(), [1, 2]), id="ReverseV2"),
    pytest.param(lambda: tf.pad(_x(), [[0, 0], [1, 0], [0, 2]], constant_values=3.0), id="PadV2"),
    pytest.param(lambda: tf.depth_to_space(tf.constant(_IMG), 2), id="DepthToSpace"),
    pytest.param(lambda: tf.space_to_depth(tf.constant(_IMG), 2), id="SpaceToDepth"),
    pytest.param(
        lambda: tf.nn.conv2d_transpose(
            tf.constant(_IMG),
            tf.constant(np.ones((3, 3, 2, 4), np.float32) / 9),
            [2, 8, 8, 2],
            [1, 2, 2, 1],
            "SAME",
        ),
        id="Conv2DBackpropInput",
    ),
    pytest.param(
        lambda: [
            tf.image.resize_bicubic(tf.constant(_IMG), [6, 5]),
            tf.image.resize_area(tf.constant(_IMG), [2, 3]),
        ],
        id="resize",
    ),
    pytest.param(lambda: tf.matrix_band_part(_x(), 1, 0), id="MatrixBandPart"),
    pytest.param(lambda: tf.unsorted_segment_sum(_x(), [1, 0], 3), id="UnsortedSegmentSum"),
    pytest.param(
        lambda: tf.shape_n(
            [
                tf.placeholder_with_default(_x(), [None, 3, 4]),
                tf.placeholder_with_default(_x()[0], [None, 4]),
            ]
        ),
        id="ShapeN",
    ),
    pytest.param(lambda: list(tf.unique(tf.constant([3, 1, 3, 2, 1]))), id="Unique"),
]


@pytest.mark.parametrize("build", CASES)
def test_export_import_round_trip(build: Any) -> None:
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
