"""The Estimator SavedModel-export program recorded from TF 1.15 and replayed by scopeflow.

``run(tf, est, workdir)`` trains a custom ``model_fn`` (a dense layer over a numeric feature
and a vocabulary-file feature, so the export has an asset) and the canned linear estimators,
exports them with ``export_saved_model`` / ``export_savedmodel`` /
``experimental_export_all_saved_models`` through raw and parsing receivers, runs
``train_and_evaluate`` with the three ``Exporter``s, and describes every export: signature
defs (keys, method names, input/output tensor names, dtypes, shapes), meta-graph tags and
collections, the file layout, the saved variables and what each serving signature returns when
the export is loaded back (``tf.saved_model.loader.load``) in the framework that wrote it.
``est`` is a namespace with TF 1.15's ``tf.estimator`` names (``export`` included).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import numpy as np

X = np.array([[1.0, 2.0], [2.0, 1.0], [3.0, 0.0], [0.0, 3.0]], np.float32)
W = np.array([["a"], ["b"], ["zz"], ["a"]])
Y = np.array([[1.0], [0.0], [1.0], [0.0]], np.float32)
Y3 = np.array([[2], [0], [1], [2]], np.int64)
SERVE_X = np.array([[0.5, 1.0], [2.0, -1.0], [1.0, 1.0]], np.float32)
SERVE_W = np.array([["b"], ["a"], ["q"]])
VOCAB = "a\nb\nc\n"
_DTYPES = {1: "float32", 3: "int32", 7: "string", 9: "int64", 10: "bool", 0: "invalid"}


def _round(v: Any) -> Any:
    a = np.asarray(v)
    if a.dtype.kind == "f":
        return np.round(a.astype(np.float64), 5).tolist()
    if a.dtype.kind in "SOU":
        return [x.decode() if isinstance(x, bytes) else str(x) for x in a.reshape(-1)]
    return a.tolist()


def _columns(tf: Any, vocab_path: str) -> list[Any]:
    fc = tf.feature_column
    w = fc.categorical_column_with_vocabulary_file("w", vocab_path, num_oov_buckets=1)
    return [fc.numeric_column("x", shape=2), fc.indicator_column(w)]


def _model_fn(tf: Any, est: Any, vocab_path: str) -> Any:
    def model_fn(features: Any, labels: Any, mode: str) -> Any:
        net = tf.feature_column.input_layer(features, _columns(tf, vocab_path))
        kernel = tf.get_variable(
            "dense/kernel",
            [6, 1],
            initializer=tf.constant_initializer([[0.5], [-0.25], [0.1], [0.2], [0.3], [0.4]]),
        )
        bias = tf.get_variable("dense/bias", [1], initializer=tf.zeros_initializer())
        y = tf.nn.bias_add(tf.matmul(net, kernel), bias, name="y")
        prob = tf.sigmoid(y, name="prob")
        predictions = {"y": y, "prob": prob}
        if mode == est.ModeKeys.PREDICT:
            scores = tf.concat([1.0 - prob, prob], axis=1, name="scores")
            export_outputs = {
                "serving_default": est.export.PredictOutput({"y": y, "prob": prob}),
                "reg": est.export.RegressionOutput(y),
                "cls": est.export.ClassificationOutput(scores=scores),
            }
            return est.EstimatorSpec(mode, predictions=predictions, export_outputs=export_outputs)
        loss = tf.losses.mean_squared_error(labels, y)
        train_op = tf.train.GradientDescentOptimizer(0.1).minimize(
            loss, global_step=tf.train.get_global_step()
        )
        metrics = {"mae": tf.metrics.mean_absolute_error(labels, y)}
        return est.EstimatorSpec(
            mode, predictions=predictions, loss=loss, train_op=train_op, eval_metric_ops=metrics
        )

    return model_fn


def _input_fn(tf: Any, labels: Any = Y) -> Any:
    def input_fn() -> Any:
        return {"x": tf.constant(X), "w": tf.constant(W)}, tf.constant(labels)

    return input_fn


def _examples(tf: Any) -> list[bytes]:
    out = []
    for x, w in zip(SERVE_X, SERVE_W, strict=True):
        ex = tf.train.Example()
        ex.features.feature["x"].float_list.value.extend(x.tolist())
        ex.features.feature["w"].bytes_list.value.append(w[0].encode())
        out.append(ex.SerializeToString())
    return out


def _tensor_info(info: Any) -> list[Any]:
    shape = None
    if not info.tensor_shape.unknown_rank:
        shape = [d.size for d in info.tensor_shape.dim]
    return [info.name, _DTYPES.get(info.dtype, str(info.dtype)), shape]


def _signature(sig: Any) -> dict[str, Any]:
    return {
        "method_name": sig.method_name,
        "inputs": {k: _tensor_info(v) for k, v in sorted(sig.inputs.items())},
        "outputs": {k: _tensor_info(v) for k, v in sorted(sig.outputs.items())},
    }


def _files(export_dir: str) -> list[str]:
    root = Path(export_dir)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def _serving_feeds(tf: Any, sig: Any) -> dict[str, Any] | None:
    """Inputs for a signature: serialized examples for one string input, else raw features."""
    names = sorted(sig.inputs)
    if len(names) == 1 and sig.inputs[names[0]].dtype == 7:
        return {names[0]: np.array(_examples(tf), dtype=object)}
    raw = {"x": SERVE_X, "w": SERVE_W.astype(object)}
    if set(names) <= set(raw):
        return {k: raw[k] for k in names}
    return None


def _serve(tf: Any, export_dir: str, tags: list[str], sigs: dict[str, Any]) -> dict[str, Any]:
    """Load the meta graph of ``tags`` in a fresh session; run every signature we can feed."""
    served: dict[str, Any] = {}
    with tf.Graph().as_default() as g, tf.Session(graph=g) as sess:
        tf.saved_model.loader.load(sess, tags, export_dir)
        for key, sig in sorted(sigs.items()):
            feeds = _serving_feeds(tf, sig)
            if feeds is None:
                continue
            fetch = {k: v.name for k, v in sig.outputs.items()}
            values = sess.run(fetch, {sig.inputs[k].name: v for k, v in feeds.items()})
            served[key] = {k: _round(v) for k, v in sorted(values.items())}
    return served


def describe_export(tf: Any, parse_saved_model: Any, export_dir: Any) -> dict[str, Any]:
    """Signatures, tags, collections, files and variables of a SavedModel, and its serving."""
    export_dir = os.fsdecode(export_dir)
    prefix = f"{export_dir}/variables/variables"
    out: dict[str, Any] = {
        "dir_name_is_timestamp": bool(re.fullmatch(r"\d{10}", Path(export_dir).name)),
        "files": _files(export_dir),
        "variables": {
            name: _round(tf.train.load_variable(prefix, name))
            for name, _ in tf.train.list_variables(prefix)
        },
        "meta_graphs": {},
    }
    for meta in parse_saved_model(export_dir).meta_graphs:
        tags = sorted(meta.meta_info_def.tags)
        collections = meta.collection_def
        main_op = (
            collections["saved_model_main_op"].node_list.value
            if ("saved_model_main_op" in collections)
            else []
        )
        train_op = (
            collections["saved_model_train_op"].node_list.value
            if ("saved_model_train_op" in collections)
            else []
        )
        out["meta_graphs"][",".join(tags)] = {
            "signatures": {k: _signature(v) for k, v in sorted(meta.signature_def.items())},
            "collections": sorted(collections),
            "main_op": list(main_op),
            "train_op": list(train_op),
            "asset_files": sorted(
                _asset_filename(a) for a in collections["saved_model_assets"].any_list.value
            )
            if "saved_model_assets" in collections
            else [],
            "serve": _serve(tf, export_dir, tags, dict(meta.signature_def)),
        }
    return out


def _asset_filename(packed: Any) -> str:
    # AssetFileDef: field 1 tensor_info (message), field 2 filename (string); decoded by hand so
    # that the program needs neither framework's proto module.
    data, i, name = packed.value, 0, ""
    while i < len(data):
        tag = data[i]
        i += 1
        length, shift = 0, 0
        while True:
            b = data[i]
            i += 1
            length |= (b & 0x7F) << shift
            shift += 7
            if b < 0x80:
                break
        if tag >> 3 == 2:
            name = data[i : i + length].decode()
        i += length
    return name


def run(tf: Any, est: Any, parse_saved_model: Any, workdir: str) -> dict[str, Any]:
    """Train, export and describe; the results keyed by case."""
    vocab_path = f"{workdir}/vocab.txt"
    Path(vocab_path).write_text(VOCAB)
    extra_path = f"{workdir}/extra.txt"
    Path(extra_path).write_text("extra asset\n")
    out: dict[str, Any] = {}

    def describe(path: Any) -> dict[str, Any]:
        return describe_export(tf, parse_saved_model, path)

    # A custom model_fn with an asset and three export outputs.
    custom = est.Estimator(_model_fn(tf, est, vocab_path), model_dir=f"{workdir}/custom")
    custom.train(_input_fn(tf), steps=3)
    spec = {"x": tf.FixedLenFeature([2], tf.float32), "w": tf.FixedLenFeature([1], tf.string)}
    parsing_fn = est.export.build_parsing_serving_input_receiver_fn(spec)

    def raw_fn() -> Any:
        x = tf.placeholder(tf.float32, [None, 2], name="x")
        w = tf.placeholder(tf.string, [None, 1], name="w")
        return est.export.ServingInputReceiver({"x": x, "w": w}, {"x": x, "w": w})

    def alternatives_fn() -> Any:
        receiver = parsing_fn()
        return est.export.ServingInputReceiver(
            receiver.features,
            receiver.receiver_tensors,
            {"raw": {"x": receiver.features["x"], "w": receiver.features["w"]}},
        )

    out["custom/parsing"] = describe(
        custom.export_saved_model(
            f"{workdir}/export_parsing",
            parsing_fn,
            assets_extra={"sub/extra.txt": extra_path},
        )
    )
    out["custom/raw"] = describe(custom.export_savedmodel(f"{workdir}/export_raw", raw_fn))
    out["custom/alternatives_as_text"] = describe(
        custom.export_saved_model(f"{workdir}/export_alt", alternatives_fn, as_text=True)
    )
    first = tf.train.get_checkpoint_state(f"{workdir}/custom").all_model_checkpoint_paths[0]
    out["custom/first_checkpoint"] = describe(
        custom.export_saved_model(f"{workdir}/export_ckpt", parsing_fn, checkpoint_path=first)
    )
    supervised_fn = est.experimental.build_raw_supervised_input_receiver_fn(
        {"x": tf.placeholder(tf.float32, [None, 2], name="x"),
         "w": tf.placeholder(tf.string, [None, 1], name="w")},
        tf.placeholder(tf.float32, [None, 1], name="label"),
    )  # fmt: skip
    out["custom/all_modes"] = describe(
        custom.experimental_export_all_saved_models(
            f"{workdir}/export_all",
            {
                est.ModeKeys.TRAIN: supervised_fn,
                est.ModeKeys.EVAL: supervised_fn,
                est.ModeKeys.PREDICT: parsing_fn,
            },
        )
    )

    # Canned estimators: the heads' export outputs through a tf.Example parsing receiver.
    columns = _columns(tf, vocab_path)
    canned_fn = est.export.build_parsing_serving_input_receiver_fn(
        tf.feature_column.make_parse_example_spec(columns)
    )
    for name, cls, kwargs, labels in (
        ("LinearRegressor", est.LinearRegressor, {}, Y),
        ("LinearClassifier", est.LinearClassifier, {}, Y),
        ("LinearClassifier3", est.LinearClassifier, {"n_classes": 3}, Y3),
    ):
        model = cls(columns, model_dir=f"{workdir}/{name}", optimizer="SGD", **kwargs)
        model.train(_input_fn(tf, labels), steps=3)
        out[f"canned/{name}"] = describe(
            model.export_saved_model(f"{workdir}/export_{name}", canned_fn)
        )

    # train_and_evaluate with the three exporters.
    config = est.RunConfig(save_checkpoints_steps=2, model_dir=f"{workdir}/exporters")
    trained = est.Estimator(_model_fn(tf, est, vocab_path), config=config)
    exporters = [
        est.FinalExporter("final", parsing_fn),
        est.LatestExporter("latest", parsing_fn, exports_to_keep=2),
        est.BestExporter("best", parsing_fn, exports_to_keep=1),
    ]
    _, results = est.train_and_evaluate(
        trained,
        est.TrainSpec(_input_fn(tf), max_steps=6),
        est.EvalSpec(_input_fn(tf), steps=1, exporters=exporters, throttle_secs=0),
    )
    base = Path(f"{workdir}/exporters/export")
    out["exporters"] = {
        # the export results of the last evaluation, one per exporter
        "results": [None if r is None else "export" for r in results],
        "kept": {p.name: len([c for c in p.iterdir() if c.name.isdigit()]) for p in base.iterdir()},
        "final": describe(results[0]) if results[0] is not None else None,
    }
    return out
