"""SavedModels exported by TF 1.15's Estimator load and serve in scopeflow; the predictor.

``fixtures/tf_export/`` holds two exports written by TF 1.15's Estimator
(``tools/record_estimator_export.py``): the custom model of ``export_model.py`` (parsing
receiver, export outputs ``serving_default``/``reg``/``cls``, a vocabulary asset) and the
canned binary ``LinearClassifier``. Loaded with ``tf.saved_model.loader.load`` or served with
``tf.contrib.predictor.from_saved_model``, they must return what TF served from them.
``from_estimator`` must serve what the export of the same checkpoint serves.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import scopeflow.compat.v1 as tf
from scopeflow.errors import UnsupportedError

HERE = Path(__file__).parent
TF_EXPORT = HERE / "fixtures" / "tf_export"
GOLDEN = json.loads((HERE / "fixtures" / "estimator_export.json").read_text(encoding="utf-8"))
sys.path.insert(0, str(HERE))
import export_model  # noqa: E402

CASES = [
    pytest.param("custom", "custom/parsing", id="custom"),
    pytest.param("linear_classifier", "canned/LinearClassifier", id="linear_classifier"),
]


def _tf_served(case: str) -> dict[str, Any]:
    return GOLDEN[case]["meta_graphs"]["serve"]["serve"]  # type: ignore[no-any-return]


def _check(tf_values: dict[str, Any], ours: dict[str, Any], what: str) -> None:
    assert sorted(ours) == sorted(tf_values), what
    for key, want in tf_values.items():
        got = np.asarray(ours[key])
        if got.dtype.kind in "SOU":
            assert export_model._round(got) == want, f"{what}/{key}"
        else:
            np.testing.assert_allclose(got, np.asarray(want), rtol=2e-4, atol=2e-5)


@pytest.mark.parametrize(("directory", "case"), CASES)
def test_tf_export_loads_and_serves(directory: str, case: str) -> None:
    export_dir = str(TF_EXPORT / directory)
    examples = np.array(export_model._examples(tf), dtype=object)
    with tf.Graph().as_default() as g, tf.Session(graph=g) as sess:
        meta = tf.saved_model.loader.load(sess, ["serve"], export_dir)
        for key, want in _tf_served(case).items():
            sig = meta.signature_def[key]
            (inp,) = sig.inputs.values()
            fetch = {k: v.name for k, v in sig.outputs.items()}
            _check(want, sess.run(fetch, {inp.name: examples}), f"{case}/{key}")


@pytest.mark.parametrize(("directory", "case"), CASES)
def test_tf_export_serves_through_contrib_predictor(directory: str, case: str) -> None:
    examples = np.array(export_model._examples(tf), dtype=object)
    for key, want in _tf_served(case).items():
        predict_fn = tf.contrib.predictor.from_saved_model(
            str(TF_EXPORT / directory), signature_def_key=key
        )
        (name,) = predict_fn.feed_tensors
        _check(want, predict_fn({name: examples}), f"{case}/{key}")


def test_predictor_input_names_and_errors() -> None:
    export_dir = str(TF_EXPORT / "custom")
    with pytest.raises(ValueError, match="must both be specified"):
        tf.contrib.predictor.from_saved_model(export_dir, input_names={"a": "b"})
    with pytest.raises(ValueError, match="at most one of signature_def_key"):
        tf.contrib.predictor.from_saved_model(
            export_dir, signature_def_key="cls", input_names={}, output_names={}
        )
    with pytest.raises(ValueError, match='Got signature_def_key "nope"'):
        tf.contrib.predictor.from_saved_model(export_dir, signature_def_key="nope")
    predict_fn = tf.contrib.predictor.from_saved_model(
        export_dir,
        input_names={"ex": "input_example_tensor:0"},
        output_names={"p": "prob:0"},
    )
    out = predict_fn({"ex": np.array(export_model._examples(tf), dtype=object)})
    want = _tf_served("custom/parsing")["serving_default"]["prob"]
    np.testing.assert_allclose(out["p"], want, rtol=2e-4, atol=2e-5)
    with pytest.raises(ValueError, match="unexpected keys"):
        predict_fn({"zz": 1})


def test_from_estimator_serves_like_the_export(tmp_path: Path) -> None:
    (tmp_path / "vocab.txt").write_text(export_model.VOCAB)
    est = tf.estimator.Estimator(
        export_model._model_fn(tf, tf.estimator, str(tmp_path / "vocab.txt")),
        model_dir=str(tmp_path / "m"),
    )
    est.train(export_model._input_fn(tf), steps=3)
    spec = {"x": tf.FixedLenFeature([2], tf.float32), "w": tf.FixedLenFeature([1], tf.string)}
    fn = tf.estimator.export.build_parsing_serving_input_receiver_fn(spec)
    examples = np.array(export_model._examples(tf), dtype=object)
    direct = tf.contrib.predictor.from_estimator(est, fn, output_key="reg")
    exported = tf.contrib.predictor.from_saved_model(
        est.export_saved_model(str(tmp_path / "export"), fn).decode(), signature_def_key="reg"
    )
    a, b = direct({"inputs": examples}), exported({"inputs": examples})
    np.testing.assert_allclose(a["outputs"], b["outputs"], rtol=1e-6)
    assert repr(direct).startswith("CoreEstimatorPredictor with feed tensors")
    with pytest.raises(KeyError, match="output_key must be one of"):
        tf.contrib.predictor.from_estimator(est, fn, output_key="nope")
    with pytest.raises(TypeError, match="You likely want to call from_estimator"):
        tf.contrib.predictor.from_contrib_estimator(est, fn)
    with pytest.raises(UnsupportedError, match="from_contrib_estimator"):
        tf.contrib.predictor.from_contrib_estimator(object(), fn)
