"""tf.estimator.export (TF 1.15): serving input receivers, their builders, export outputs'
signatures, EstimatorSpec's default export outputs and the Exporters' argument checks.

TF 2.21 no longer ships tf.estimator: the golden file is recorded by running TF 1.15's own
estimator source on TF 2.21 (``tools/tf_estimator_shim.py``, ``TF_ESTIMATOR_SRC``). The
``ExportOutput`` classes then come from TF 2.21's ``saved_model.model_utils``, whose error texts
differ from TF 1.15's, so their errors are shown by kind only.
"""

import re


def _error(show, fn):
    """The error's kind and message without object addresses and module paths."""
    try:
        fn()
    except Exception as exc:  # the message is what is compared
        text = re.sub(r" at 0x[0-9a-f]+", "", str(exc))
        show(type(exc).__name__, re.sub(r"<[\w.]+\.(\w+) object", r"<\1 object", text))


def _info(sig, side):
    items = sorted(getattr(sig, side).items())
    return [(k, v.name, v.dtype, [d.size for d in v.tensor_shape.dim]) for k, v in items]


def case_parsing_receiver(tf, show):
    spec = {
        "x": tf.FixedLenFeature([2], tf.float32),
        "w": tf.FixedLenFeature([], tf.string, default_value="z"),
        "v": tf.VarLenFeature(tf.int64),
    }
    r = tf.estimator.export.build_parsing_serving_input_receiver_fn(spec, default_batch_size=3)()
    show(sorted((k, t.name, str(t.shape)) for k, t in r.receiver_tensors.items()))
    show(sorted((k, t.name, str(t.shape)) for k, t in r.features.items() if k != "v"))
    v = r.features["v"]
    show(type(v).__name__, v.indices.name, v.values.name, v.dense_shape.name)
    show(r.receiver_tensors_alternatives)
    examples = []
    for x, w, v_values in ((1.0, b"a", [1, 2]), (3.0, None, [])):
        ex = tf.train.Example()
        ex.features.feature["x"].float_list.value.extend([x, -x])
        if w is not None:
            ex.features.feature["w"].bytes_list.value.append(w)
        ex.features.feature["v"].int64_list.value.extend(v_values)
        examples.append(ex.SerializeToString())
    with tf.Session() as sess:
        out = sess.run(
            {k: t for k, t in r.features.items() if k != "v"},
            {r.receiver_tensors["examples"]: examples + examples[:1]},
        )
    show(out["x"], out["w"])


def case_raw_receiver(tf, show):
    feats = {
        "a": tf.placeholder(tf.float32, [8, 3], name="a"),
        "ids": tf.placeholder(tf.int64, [8], name="some/ids"),
    }
    with tf.Graph().as_default():
        r = tf.estimator.export.build_raw_serving_input_receiver_fn(feats)()
        show(sorted((k, t.name, str(t.shape), t.dtype.name) for k, t in r.features.items()))
        show(r.features["a"] is r.receiver_tensors["a"])
    with tf.Graph().as_default():
        r = tf.estimator.export.build_raw_serving_input_receiver_fn(feats, default_batch_size=2)()
        show(sorted((k, str(t.shape)) for k, t in r.receiver_tensors.items()))


def case_receiver_wrapping_and_errors(tf, show, expect_error):
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    s = tf.placeholder(tf.string, [None], name="s")
    r = tf.estimator.export.ServingInputReceiver(x, s, {"raw": x})
    show(sorted(r.features), sorted(r.receiver_tensors), sorted(r.receiver_tensors_alternatives))
    show(sorted(r.receiver_tensors_alternatives["raw"]))
    r = tf.estimator.export.ServingInputReceiver({1: x}, {"s": s})
    show(sorted(r.features))
    t = tf.estimator.export.TensorServingInputReceiver(x, s)
    show(t.features.name, sorted(t.receiver_tensors), t.receiver_tensors_alternatives)
    expect_error(lambda: tf.estimator.export.ServingInputReceiver(None, s))
    expect_error(lambda: tf.estimator.export.ServingInputReceiver(x, None))
    expect_error(lambda: tf.estimator.export.ServingInputReceiver({"x": 1.0}, s))
    expect_error(lambda: tf.estimator.export.ServingInputReceiver(x, {3: s}))
    expect_error(lambda: tf.estimator.export.ServingInputReceiver({2.5: x}, s))
    expect_error(lambda: tf.estimator.export.ServingInputReceiver(x, s, [x]))
    expect_error(lambda: tf.estimator.export.ServingInputReceiver(x, s, {"alt": {"k": 2}}))
    expect_error(lambda: tf.estimator.export.TensorServingInputReceiver(None, s))
    expect_error(lambda: tf.estimator.export.TensorServingInputReceiver({"x": x}, s))


def case_export_output_signatures(tf, show, expect_error):
    s = tf.placeholder(tf.string, [None], name="examples")
    f = tf.placeholder(tf.float32, [None, 3], name="f")
    scores = tf.nn.softmax(f, name="scores")
    classes = tf.as_string(tf.argmax(f, 1), name="classes")
    value = tf.reduce_sum(f, 1, name="value")
    outs = {
        "cls": tf.estimator.export.ClassificationOutput(scores=scores, classes=classes),
        "cls_scores": tf.estimator.export.ClassificationOutput(scores=scores),
        "reg": tf.estimator.export.RegressionOutput(value),
        "pred": tf.estimator.export.PredictOutput({"s": scores, ("head", "v"): value}),
        "one": tf.estimator.export.PredictOutput(value),
    }
    for key, out in sorted(outs.items()):
        sig = out.as_signature_def({"inputs": s})
        show(key, type(out).__name__, sig.method_name, _info(sig, "inputs"), _info(sig, "outputs"))
    sig = outs["pred"].as_signature_def({"a": f, "b": s})
    show(_info(sig, "inputs"))
    expect_error(lambda: outs["cls"].as_signature_def({"f": f}), message=False)
    expect_error(lambda: outs["reg"].as_signature_def({"a": s, "b": s}), message=False)
    expect_error(tf.estimator.export.ClassificationOutput, message=False)
    expect_error(lambda: tf.estimator.export.ClassificationOutput(classes=f), message=False)
    expect_error(lambda: tf.estimator.export.RegressionOutput(classes), message=False)
    expect_error(lambda: tf.estimator.export.PredictOutput({1: value}), message=False)
    expect_error(lambda: tf.estimator.export.PredictOutput({"a": 1.0}), message=False)


def case_spec_export_outputs(tf, show, expect_error):
    pred = tf.constant([[1.0], [2.0]], name="pred")
    predict = tf.estimator.ModeKeys.PREDICT
    spec = tf.estimator.EstimatorSpec(predict, predictions={"p": pred})
    out = spec.export_outputs
    show(sorted(out), type(out["serving_default"]).__name__, sorted(out["serving_default"].outputs))
    spec = tf.estimator.EstimatorSpec(predict, predictions=pred)
    show(sorted(spec.export_outputs["serving_default"].outputs))
    reg = tf.estimator.export.RegressionOutput(pred)
    spec = tf.estimator.EstimatorSpec(predict, predictions=pred, export_outputs={"r": reg})
    show(sorted(spec.export_outputs), spec.export_outputs["serving_default"] is reg)
    train = tf.estimator.EstimatorSpec(
        tf.estimator.ModeKeys.EVAL, predictions=pred, loss=tf.reduce_sum(pred)
    )
    show(train.export_outputs)
    two = {"a": reg, "b": tf.estimator.export.PredictOutput(pred)}
    expect_error(
        lambda: tf.estimator.EstimatorSpec(predict, predictions=pred, export_outputs=two),
        message=False,
    )
    expect_error(
        lambda: tf.estimator.EstimatorSpec(predict, predictions=pred, export_outputs=[reg]),
        message=False,
    )
    expect_error(
        lambda: tf.estimator.EstimatorSpec(predict, predictions=pred, export_outputs={"a": 1}),
        message=False,
    )


def case_exporter_arguments(tf, show, expect_error):
    def fn():
        return None

    final = tf.estimator.FinalExporter("final", fn)
    latest = tf.estimator.LatestExporter("latest", fn, exports_to_keep=None)
    best = tf.estimator.BestExporter(serving_input_receiver_fn=fn)
    show(final.name, latest.name, best.name)
    show(isinstance(best, tf.estimator.Exporter))

    def input_fn():
        return {"x": tf.constant([[1.0]])}, tf.constant([[1.0]])

    spec = tf.estimator.EvalSpec(input_fn, exporters=final)
    show([e.name for e in spec.exporters])
    spec = tf.estimator.EvalSpec(input_fn, exporters=[final, latest, best])
    show([e.name for e in spec.exporters])
    expect_error(lambda: tf.estimator.EvalSpec(input_fn, exporters=[final, final]))
    _error(show, lambda: tf.estimator.EvalSpec(input_fn, exporters=[final, object()]))
    expect_error(
        lambda: tf.estimator.EvalSpec(input_fn, exporters=[tf.estimator.FinalExporter("", fn)])
    )
    expect_error(lambda: tf.estimator.LatestExporter("l", fn, exports_to_keep=0))
    expect_error(lambda: tf.estimator.BestExporter("b", fn, exports_to_keep=-1))
    expect_error(lambda: tf.estimator.BestExporter("b", fn, compare_fn=None))
    _error(show, lambda: tf.estimator.BestExporter("b", fn, compare_fn=lambda a, b: True))
    _error(
        show,
        lambda: tf.estimator.BestExporter(
            "b", fn, compare_fn=lambda best_eval_result, current_eval_result, x: True
        ),
    )
