"""Record frozen TF1 graphs with control flow v1 and their TF outputs (graph_import fixtures).

Run with the TensorFlow oracle virtualenv (TensorFlow is never a scopeflow dependency)::

    TF_USE_LEGACY_KERAS=1 .tf-oracle/bin/python tools/record_cf_graphs.py

Every graph is built with TF 2.21's ``tf.compat.v1`` in graph mode with control flow v1
(``disable_v2_behavior`` + ``disable_control_flow_v2``, so ``tf.while_loop``/``tf.cond`` write
``Enter``/``Merge``/``Switch``/``LoopCond``/``NextIteration``/``Exit`` nodes), frozen with
``convert_variables_to_constants`` where it has variables, and written to
``tests/graph_import/golden/<name>.pb``; ``<name>.npz`` holds the feeds (``in:<tensor>``) and
TF's fetches (``out:<tensor>``); a scalar string feed is stored as its bytes
(``bytes:<tensor>``, uint8), a vector of strings (feed or fetch) as ``strings:<tensor>`` (the
concatenated bytes) with ``lengths:<tensor>`` (and ``shape:<tensor>`` for fetches).
``cases.json`` lists, per graph, the feed and fetch names in order. ``cf_meta/`` holds a TF
``Saver`` checkpoint and ``.meta`` (not frozen) of a loop with a cond reading a variable, and its
output (``expected.npz``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
GOLDEN = REPO / "tests" / "graph_import" / "golden"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow.compat.v1 as tf  # noqa: E402

CASES: dict[str, dict[str, list[str]]] = {}


def _record(
    name: str,
    build: Callable[[], tuple[dict[Any, np.ndarray], list[Any]]],
) -> None:
    """Builds a graph, freezes it, runs the fetches and writes ``name``.pb/.npz."""
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(3)
        feeds, fetches = build()
        with tf.Session(graph=g) as sess:
            sess.run(tf.global_variables_initializer())
            values = sess.run(fetches, feeds)
            out_nodes = sorted({t.op.name for t in fetches})
            gd = g.as_graph_def()
            if tf.global_variables():
                gd = tf.graph_util.convert_variables_to_constants(sess, gd, out_nodes)
            else:
                gd = tf.graph_util.extract_sub_graph(gd, out_nodes)
    (GOLDEN / f"{name}.pb").write_bytes(gd.SerializeToString(deterministic=True))
    arrays = {}
    for t, v in feeds.items():
        if v.dtype == object and v.ndim == 0:  # a string feed: its bytes (no pickles)
            arrays[f"bytes:{t.name}"] = np.frombuffer(v.item(), np.uint8)
        elif v.dtype == object:  # a vector of strings: their bytes and lengths
            arrays[f"strings:{t.name}"] = np.frombuffer(b"".join(v), np.uint8)
            arrays[f"lengths:{t.name}"] = np.array([len(x) for x in v], np.int64)
        else:
            arrays[f"in:{t.name}"] = v
    for t, value in zip(fetches, values, strict=True):
        v = np.asarray(value)
        if v.dtype == object:
            flat = v.reshape(-1)
            arrays[f"strings:{t.name}"] = np.frombuffer(b"".join(flat), np.uint8)
            arrays[f"lengths:{t.name}"] = np.array([len(x) for x in flat], np.int64)
            arrays[f"shape:{t.name}"] = np.array(v.shape, np.int64)
        else:
            arrays[f"out:{t.name}"] = v
    np.savez(GOLDEN / f"{name}.npz", **arrays)
    CASES[name] = {"feeds": [t.name for t in feeds], "fetches": [t.name for t in fetches]}
    ops = sorted({n.op for n in gd.node})
    print(f"wrote {name}.pb ({len(gd.node)} nodes: {', '.join(ops)})")


def _while_counter() -> tuple[dict[Any, np.ndarray], list[Any]]:
    x = tf.placeholder(tf.float32, [3], name="x")
    n = tf.placeholder(tf.int32, [], name="n")
    w = tf.get_variable("w", initializer=tf.constant([0.5, -1.0, 2.0]))
    i, acc = tf.while_loop(
        lambda i, acc: i < n,
        lambda i, acc: (i + 1, acc * 0.9 + w * x * tf.cast(i, tf.float32)),
        [tf.constant(0), tf.zeros([3])],
        name="loop",
    )
    out = tf.identity(acc, name="acc")
    count = tf.identity(i, name="count")
    return {x: np.array([1.0, 2.0, 3.0], np.float32), n: np.array(7, np.int32)}, [out, count]


def _nested_loops() -> tuple[dict[Any, np.ndarray], list[Any]]:
    x = tf.placeholder(tf.float32, [2], name="x")

    def outer_body(i: Any, acc: Any) -> Any:
        def inner_body(j: Any, a: Any) -> Any:
            return j + 1, a + x * tf.cast(i * j + 1, tf.float32)

        _, acc2 = tf.while_loop(lambda j, a: j < i + 2, inner_body, [tf.constant(0), acc])
        return i + 1, acc2 * 0.5

    _, acc = tf.while_loop(lambda i, acc: i < 4, outer_body, [tf.constant(0), tf.zeros([2])])
    return {x: np.array([1.5, -0.5], np.float32)}, [tf.identity(acc, name="out")]


def _cond_in_loop() -> tuple[dict[Any, np.ndarray], list[Any]]:
    x = tf.placeholder(tf.float32, [3], name="x")
    p = tf.placeholder(tf.bool, [], name="p")
    v = tf.get_variable("v", initializer=tf.constant([1.0, 2.0, 3.0]))

    def body(i: Any, acc: Any) -> Any:
        acc = tf.cond(
            tf.equal(i % 2, 0),
            lambda: acc + x * v,
            lambda: tf.cond(i > 2, lambda: acc * 0.5, lambda: acc - 1.0),
        )
        return i + 1, acc

    _, acc = tf.while_loop(lambda i, acc: i < 6, body, [tf.constant(0), x])
    top = tf.cond(p, lambda: tf.reduce_sum(acc), lambda: tf.reduce_max(acc) * 10.0)
    sel = tf.cond(p, lambda: x, lambda: x * 2.0)
    return {x: np.array([1.0, -2.0, 0.5], np.float32), p: np.array(False)}, [
        tf.identity(acc, name="acc"),
        tf.identity(top, name="top"),
        tf.identity(sel, name="sel"),
    ]


def _cond_side_effects() -> tuple[dict[Any, np.ndarray], list[Any]]:
    """A cond whose untaken branch would fail: TF never runs it (dead tensors)."""
    x = tf.placeholder(tf.float32, [2], name="x")
    p = tf.placeholder(tf.bool, [], name="p")

    def failing() -> Any:
        check = tf.Assert(tf.reduce_all(x < -100.0), ["untaken branch ran"], name="check")
        with tf.control_dependencies([check]):
            return tf.identity(x * 0.0)

    out = tf.cond(p, lambda: x * 2.0, failing, name="guarded")
    return {x: np.array([1.0, 2.0], np.float32), p: np.array(True)}, [tf.identity(out, name="y")]


def _dynamic_rnn() -> tuple[dict[Any, np.ndarray], list[Any]]:
    x = tf.placeholder(tf.float32, [2, 5, 4], name="inputs")
    lengths = tf.placeholder(tf.int32, [2], name="lengths")
    cell = tf.nn.rnn_cell.LSTMCell(6, name="lstm")
    outputs, state = tf.nn.dynamic_rnn(cell, x, sequence_length=lengths, dtype=tf.float32)
    rng = np.random.default_rng(11)
    feeds = {x: rng.normal(size=(2, 5, 4)).astype(np.float32), lengths: np.array([5, 3], np.int32)}
    return feeds, [
        tf.identity(outputs, name="outputs"),
        tf.identity(state.c, name="c"),
        tf.identity(state.h, name="h"),
    ]


def _map_fn() -> tuple[dict[Any, np.ndarray], list[Any]]:
    x = tf.placeholder(tf.float32, [4, 3], name="x")
    y = tf.map_fn(lambda r: tf.reduce_sum(r * r) + r[0], x)
    z = tf.map_fn(lambda r: (r * 2.0, tf.reduce_max(r)), x, dtype=(tf.float32, tf.float32))
    rng = np.random.default_rng(2)
    return {x: rng.normal(size=(4, 3)).astype(np.float32)}, [
        tf.identity(y, name="y"),
        tf.identity(z[0], name="z0"),
        tf.identity(z[1], name="z1"),
    ]


def _ssd_postprocess() -> tuple[dict[Any, np.ndarray], list[Any]]:
    image = tf.placeholder(tf.float32, [1, 16, 16, 3], name="image")
    boxes = tf.placeholder(tf.float32, [10, 4], name="boxes")
    scores = tf.placeholder(tf.float32, [10], name="scores")
    sel3 = tf.image.non_max_suppression(boxes, scores, 5, 0.5, 0.2, name="nms_v3")
    sel2 = tf.raw_ops.NonMaxSuppressionV2(
        boxes=boxes, scores=scores, max_output_size=4, iou_threshold=0.3, name="nms_v2"
    )
    sel4, valid4 = tf.raw_ops.NonMaxSuppressionV4(
        boxes=boxes, scores=scores, max_output_size=6, iou_threshold=0.5,
        score_threshold=0.1, pad_to_max_output_size=True, name="nms_v4",
    )  # fmt: skip
    sel5, sc5 = tf.image.non_max_suppression_with_scores(
        boxes, scores, 6, 0.5, 0.05, soft_nms_sigma=0.5, name="nms_v5"
    )
    kept = tf.gather(boxes, sel3)
    crops = tf.image.crop_and_resize(
        image, kept, tf.zeros_like(sel3), [4, 4], method="bilinear", name="crops"
    )
    top_v, top_i = tf.nn.top_k(scores, k=3, name="topk")
    where = tf.where(scores > 0.5, name="where")
    nearest = tf.image.resize_nearest_neighbor(image, [7, 9], half_pixel_centers=True)
    bilinear = tf.image.resize_bilinear(image, [5, 6], align_corners=True)
    rng = np.random.default_rng(4)
    xy = rng.uniform(0, 0.6, size=(10, 2))
    wh = rng.uniform(0.1, 0.4, size=(10, 2))
    b = np.concatenate([xy, xy + wh], axis=1).astype(np.float32)
    s = rng.uniform(0, 1, size=10).astype(np.float32)
    img = rng.uniform(0, 1, size=(1, 16, 16, 3)).astype(np.float32)
    return {image: img, boxes: b, scores: s}, [
        tf.identity(sel3, name="sel3"),
        tf.identity(sel2, name="sel2"),
        tf.identity(sel4, name="sel4"),
        tf.identity(valid4, name="valid4"),
        tf.identity(sel5, name="sel5"),
        tf.identity(sc5, name="sc5"),
        tf.identity(crops, name="crops_out"),
        tf.identity(top_v, name="top_v"),
        tf.identity(top_i, name="top_i"),
        tf.identity(where, name="where_out"),
        tf.identity(nearest, name="nearest"),
        tf.identity(bilinear, name="bilinear"),
    ]


def _ssd_batched() -> tuple[dict[Any, np.ndarray], list[Any]]:
    """Per-image NMS inside ``tf.map_fn`` (a while loop with TensorArrays and a cond), as the
    TF1 Object Detection API's batched post-processing does."""
    boxes = tf.placeholder(tf.float32, [3, 10, 4], name="boxes")
    scores = tf.placeholder(tf.float32, [3, 10], name="scores")

    def per_image(args: Any) -> Any:
        b, s = args
        sel = tf.image.non_max_suppression(b, s, 5, 0.5, 0.45)
        n = tf.size(sel)
        kept = tf.reshape(tf.pad(tf.gather(b, sel), [[0, 5 - n], [0, 0]]), [5, 4])
        sc = tf.reshape(tf.pad(tf.gather(s, sel), [[0, 5 - n]]), [5])
        sc = tf.cond(n > 2, lambda: sc, lambda: sc - 1.0)
        return kept, sc, n

    kept, sc, n = tf.map_fn(per_image, (boxes, scores), dtype=(tf.float32, tf.float32, tf.int32))
    rng = np.random.default_rng(12)
    yx = rng.uniform(0, 0.6, size=(3, 10, 2))
    hw = rng.uniform(0.1, 0.4, size=(3, 10, 2))
    b = np.concatenate([yx, yx + hw], axis=2).astype(np.float32)
    s = rng.uniform(0, 1, size=(3, 10)).astype(np.float32)
    s[1] *= 0.5  # few boxes above the threshold in the second image
    return {boxes: b, scores: s}, [
        tf.identity(kept, name="kept"),
        tf.identity(sc, name="kept_scores"),
        tf.identity(n, name="num"),
    ]


def _image_signature() -> tuple[dict[Any, np.ndarray], list[Any]]:
    jpeg = tf.placeholder(tf.string, [], name="jpeg_bytes")
    png = tf.placeholder(tf.string, [], name="png_bytes")
    img = tf.image.decode_jpeg(jpeg, channels=3, dct_method="INTEGER_ACCURATE")
    fast = tf.image.decode_jpeg(jpeg, channels=3)  # TF's default: libjpeg's fast integer DCT
    img = tf.image.convert_image_dtype(img, tf.float32)
    img = tf.image.resize_bilinear(img[None], [6, 6])
    pimg = tf.image.decode_png(png, channels=3)
    anyimg = tf.image.decode_image(png, channels=3, expand_animations=False)
    enc = tf.image.encode_png(pimg)
    rng = np.random.default_rng(8)
    raw = rng.integers(0, 255, size=(8, 10, 3), dtype=np.uint8)
    with tf.Session(graph=tf.Graph()) as s:
        jbytes = s.run(tf.image.encode_jpeg(tf.constant(raw), quality=95))
        pbytes = s.run(tf.image.encode_png(tf.constant(raw)))
    return {jpeg: np.array(jbytes, dtype=object), png: np.array(pbytes, dtype=object)}, [
        tf.identity(img, name="image"),
        tf.identity(fast, name="default_dct"),
        tf.identity(pimg, name="png_image"),
        tf.identity(anyimg, name="any_image"),
        tf.identity(tf.strings.length(enc) > 0, name="encoded"),
    ]


def _example_signature() -> tuple[dict[Any, np.ndarray], list[Any]]:
    """A serving input signature: serialized tf.Examples parsed, plus string preprocessing."""
    serialized = tf.placeholder(tf.string, [None], name="tf_example")
    feats = tf.parse_example(
        serialized,
        {
            "x": tf.FixedLenFeature([3], tf.float32, default_value=[0.0, 1.0, 2.0]),
            "label": tf.FixedLenFeature([], tf.string),
            "ids": tf.VarLenFeature(tf.int64),
            "price": tf.FixedLenFeature([], tf.string, default_value="0"),
        },
    )
    v1 = tf.raw_ops.ParseExample(
        serialized=serialized, names=tf.constant([], tf.string),
        sparse_keys=[tf.constant("ids")], dense_keys=[tf.constant("x"), tf.constant("label")],
        dense_defaults=[tf.constant([0.0, 1.0, 2.0]), tf.constant([], tf.string)],
        sparse_types=[tf.int64], dense_shapes=[[3], []], name="parse_v1",
    )  # fmt: skip
    label = feats["label"]
    price = tf.strings.to_number(feats["price"], tf.float32)
    cleaned = tf.regex_replace(label, "[^a-z ]", "")
    words = tf.string_split(cleaned)
    text = tf.strings.join([tf.substr(label, 0, 3), tf.as_string(price, precision=1)], "|")
    lengths = tf.strings.length(label)
    b64 = tf.decode_base64(tf.encode_base64(label))

    def example(x: list[float] | None, label: bytes, ids: list[int], price: bytes | None) -> bytes:
        f = {"label": tf.train.Feature(bytes_list=tf.train.BytesList(value=[label])),
             "ids": tf.train.Feature(int64_list=tf.train.Int64List(value=ids))}  # fmt: skip
        if x is not None:
            f["x"] = tf.train.Feature(float_list=tf.train.FloatList(value=x))
        if price is not None:
            f["price"] = tf.train.Feature(bytes_list=tf.train.BytesList(value=[price]))
        ex = tf.train.Example(features=tf.train.Features(feature=f))
        return ex.SerializeToString(deterministic=True)

    batch = np.array(
        [example([1.5, 2.5, 3.5], b"Hello, World!", [3, 1, 4], b"12.25"),
         example(None, b"tf1 graphs", [], None),
         example([0.0, -1.0, 9.0], b"a b  c", [7], b"-3e1")],
        dtype=object,
    )  # fmt: skip
    return {serialized: batch}, [
        tf.identity(feats["x"], name="x"),
        tf.identity(label, name="label"),
        tf.identity(feats["ids"].indices, name="ids_indices"),
        tf.identity(feats["ids"].values, name="ids_values"),
        tf.identity(feats["ids"].dense_shape, name="ids_shape"),
        tf.identity(price, name="price"),
        tf.identity(words.indices, name="words_indices"),
        tf.identity(words.values, name="words_values"),
        tf.identity(text, name="text"),
        tf.identity(lengths, name="lengths"),
        tf.identity(b64, name="b64"),
        tf.identity(v1.dense_values[0], name="v1_x"),
        tf.identity(v1.sparse_values[0], name="v1_ids"),
        tf.identity(v1.sparse_indices[0], name="v1_ids_indices"),
    ]


def _meta_with_loop() -> None:
    """A ``.meta`` + checkpoint (not frozen) whose loop body reads a variable through a cond."""
    out = GOLDEN / "cf_meta"
    out.mkdir(exist_ok=True)
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float32, [3], name="x")
        w = tf.get_variable("w", initializer=tf.constant([1.0, 2.0, 3.0]))

        def body(i: Any, a: Any) -> Any:
            return i + 1, tf.cond(i > 1, lambda: a + w * x, lambda: a - 1.0)

        _, acc = tf.while_loop(lambda i, a: i < 4, body, [0, tf.zeros([3])])
        y = tf.identity(acc, name="out")
        with tf.Session(graph=g) as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(w.assign([0.5, -1.5, 2.0]))
            value = sess.run(y, {x: [1.0, 2.0, 3.0]})
            tf.train.Saver().save(sess, str(out / "model"), write_state=False)
    # Rewritten with a deterministic field order; the WhileContextDef bytes TF serializes into
    # the ``while_context`` collection still vary between recordings (map order), content equal.
    meta = tf.MetaGraphDef()
    meta.ParseFromString((out / "model.meta").read_bytes())
    (out / "model.meta").write_bytes(meta.SerializeToString(deterministic=True))
    np.savez(out / "expected.npz", x=np.array([1.0, 2.0, 3.0], np.float32), out=value)
    print("wrote cf_meta/model.{meta,index,data}")


def main() -> None:
    tf.disable_eager_execution()
    tf.disable_resource_variables()
    tf.disable_v2_behavior()
    tf.disable_control_flow_v2()
    GOLDEN.mkdir(parents=True, exist_ok=True)
    _record("while_counter", _while_counter)
    _record("nested_loops", _nested_loops)
    _record("cond_in_loop", _cond_in_loop)
    _record("cond_side_effects", _cond_side_effects)
    _record("dynamic_rnn_lstm", _dynamic_rnn)
    _record("map_fn", _map_fn)
    _record("ssd_postprocess", _ssd_postprocess)
    _record("ssd_batched", _ssd_batched)
    _record("image_signature", _image_signature)
    _record("example_signature", _example_signature)
    _meta_with_loop()
    (GOLDEN / "cases.json").write_text(json.dumps(CASES, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
