"""``tf.saved_model.signature_def_utils`` / ``utils``: TF 1.15's protos, checks and messages."""

from __future__ import annotations

import pytest

import scopeflow.compat.v1 as tf

sdu = tf.saved_model.signature_def_utils


def test_build_tensor_info_dense_and_sparse() -> None:
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    info = tf.saved_model.utils.build_tensor_info(x)
    assert (info.name, info.dtype) == ("x:0", tf.float32.as_datatype_enum)
    assert [d.size for d in info.tensor_shape.dim] == [-1, 3]
    unknown = tf.saved_model.build_tensor_info(tf.placeholder(tf.int64, name="u"))
    assert unknown.tensor_shape.unknown_rank
    sp = tf.sparse_placeholder(tf.float32, name="sp")
    sinfo = tf.saved_model.build_tensor_info(sp)
    assert sinfo.WhichOneof("encoding") == "coo_sparse"
    back = tf.saved_model.get_tensor_from_tensor_info(sinfo)
    assert back.values.name == sp.values.name
    assert tf.saved_model.get_tensor_from_tensor_info(info) is x


def test_get_tensor_errors() -> None:
    info = tf.saved_model.build_tensor_info(tf.placeholder(tf.float32, name="x"))
    with pytest.raises(KeyError):
        tf.saved_model.get_tensor_from_tensor_info(info, graph=tf.Graph())
    info.ClearField("name")
    with pytest.raises(ValueError, match=r"Invalid TensorInfo\.encoding: None"):
        tf.saved_model.get_tensor_from_tensor_info(info)


def test_classification_and_regression_signatures() -> None:
    examples = tf.placeholder(tf.string, [None], name="examples")
    scores = tf.placeholder(tf.float32, [None, 2], name="scores")
    classes = tf.placeholder(tf.string, [None, 2], name="classes")
    cls = sdu.classification_signature_def(examples, classes, scores)
    assert cls.method_name == "tensorflow/serving/classify"
    assert sorted(cls.outputs) == ["classes", "scores"]
    assert sdu.is_valid_signature(cls)
    reg = sdu.regression_signature_def(examples, tf.placeholder(tf.float32, [None]))
    assert (reg.method_name, list(reg.inputs), list(reg.outputs)) == (
        "tensorflow/serving/regress",
        ["inputs"],
        ["outputs"],
    )
    assert sdu.is_valid_signature(reg)
    pred = sdu.predict_signature_def({"a": scores}, {"b": scores})
    assert sdu.is_valid_signature(pred)
    assert not sdu.is_valid_signature(sdu.build_signature_def(method_name="other"))
    assert not sdu.is_valid_signature(None)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda e, f: sdu.regression_signature_def(None, f), "Regression examples cannot be None."),
        (lambda e, f: sdu.regression_signature_def(f, f), "Regression examples must be a string"),
        (lambda e, f: sdu.regression_signature_def(e, e), "Regression output must be a float"),
        (lambda e, f: sdu.regression_signature_def(e, None), "Regression predictions cannot be"),
        (
            lambda e, f: sdu.classification_signature_def(e, None, None),
            "Classification classes and scores cannot both be None.",
        ),
        (
            lambda e, f: sdu.classification_signature_def(e, f, None),
            "Classification classes must be a string Tensor.",
        ),
        (
            lambda e, f: sdu.classification_signature_def(e, None, e),
            "Classification scores must be a float Tensor.",
        ),
        (lambda e, f: sdu.predict_signature_def({}, {"y": f}), "Prediction inputs cannot be"),
        (lambda e, f: sdu.predict_signature_def({"x": f}, None), "Prediction outputs cannot be"),
    ],
)
def test_signature_errors(call, message: str) -> None:
    e = tf.placeholder(tf.string, [None], name="e")
    f = tf.placeholder(tf.float32, [None], name="f")
    with pytest.raises(ValueError, match=message.replace(".", r"\.")):
        call(e, f)


def test_constants_are_tf_values() -> None:
    sm = tf.saved_model
    assert (sm.SERVING, sm.TRAINING, sm.GPU, sm.TPU) == ("serve", "train", "gpu", "tpu")
    assert sm.DEFAULT_SERVING_SIGNATURE_DEF_KEY == "serving_default"
    assert (sm.ASSETS_KEY, sm.MAIN_OP_KEY, sm.LEGACY_INIT_OP_KEY) == (
        "saved_model_assets",
        "saved_model_main_op",
        "legacy_init_op",
    )
    assert (sm.VARIABLES_DIRECTORY, sm.VARIABLES_FILENAME, sm.ASSETS_DIRECTORY) == (
        "variables",
        "variables",
        "assets",
    )
