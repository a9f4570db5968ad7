"""``tf.saved_model.signature_def_utils``: building and checking ``SignatureDef`` protos.

Error messages are TF 1.15's (``signature_def_utils_impl.py``).

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from typing import Any

from scopeflow.graph.tensor import Tensor
from scopeflow.saved_model import signature_constants as sc
from scopeflow.saved_model.tensor_info import build_tensor_info, build_tensor_info_from_op

_DT_STRING = 7
_DT_FLOAT = 1


def build_signature_def(
    inputs: dict[str, Any] | None = None,
    outputs: dict[str, Any] | None = None,
    method_name: str | None = None,
) -> Any:
    """A ``SignatureDef`` from maps of names to ``TensorInfo`` protos and a method name.

    >>> import scopeflow.compat.v1 as tf
    >>> x = tf.placeholder(tf.float32, [None], name="x")
    >>> sig = build_signature_def({"x": build_tensor_info(x)}, {}, "m")
    >>> print(sig.method_name, sig.inputs["x"].name)
    m x:0
    """
    from scopeflow.protos import meta_graph_pb2  # noqa: PLC0415  (protobuf is lazy)

    sig = meta_graph_pb2.SignatureDef()
    for key, info in (inputs or {}).items():
        sig.inputs[key].CopyFrom(info)
    for key, info in (outputs or {}).items():
        sig.outputs[key].CopyFrom(info)
    if method_name is not None:
        sig.method_name = method_name
    return sig


def regression_signature_def(examples: Any, predictions: Any) -> Any:
    """A ``tensorflow/serving/regress`` signature: string ``examples`` -> float ``predictions``.

    Raises:
        ValueError: TF's messages, for missing tensors or wrong dtypes.
    """
    if examples is None:
        raise ValueError("Regression examples cannot be None.")
    if not isinstance(examples, Tensor):
        raise ValueError("Regression examples must be a string Tensor.")
    if predictions is None:
        raise ValueError("Regression predictions cannot be None.")
    inp = build_tensor_info(examples)
    if inp.dtype != _DT_STRING:
        raise ValueError("Regression examples must be a string Tensor.")
    out = build_tensor_info(predictions)
    if out.dtype != _DT_FLOAT:
        raise ValueError("Regression output must be a float Tensor.")
    return build_signature_def(
        {sc.REGRESS_INPUTS: inp}, {sc.REGRESS_OUTPUTS: out}, sc.REGRESS_METHOD_NAME
    )


def classification_signature_def(examples: Any, classes: Any, scores: Any) -> Any:
    """A ``tensorflow/serving/classify`` signature: string ``examples`` -> classes and scores.

    Raises:
        ValueError: TF's messages, for missing tensors or wrong dtypes.
    """
    if examples is None:
        raise ValueError("Classification examples cannot be None.")
    if not isinstance(examples, Tensor):
        raise ValueError("Classification examples must be a string Tensor.")
    if classes is None and scores is None:
        raise ValueError("Classification classes and scores cannot both be None.")
    inp = build_tensor_info(examples)
    if inp.dtype != _DT_STRING:
        raise ValueError("Classification examples must be a string Tensor.")
    outputs = {}
    if classes is not None:
        info = build_tensor_info(classes)
        if info.dtype != _DT_STRING:
            raise ValueError("Classification classes must be a string Tensor.")
        outputs[sc.CLASSIFY_OUTPUT_CLASSES] = info
    if scores is not None:
        info = build_tensor_info(scores)
        if info.dtype != _DT_FLOAT:
            raise ValueError("Classification scores must be a float Tensor.")
        outputs[sc.CLASSIFY_OUTPUT_SCORES] = info
    return build_signature_def({sc.CLASSIFY_INPUTS: inp}, outputs, sc.CLASSIFY_METHOD_NAME)


def predict_signature_def(inputs: dict[str, Any], outputs: dict[str, Any]) -> Any:
    """A ``tensorflow/serving/predict`` signature over dicts of name -> Tensor.

    Raises:
        ValueError: ``inputs`` or ``outputs`` is None or empty (TF's message).

    >>> import scopeflow.compat.v1 as tf
    >>> x = tf.placeholder(tf.float32, [None, 2], name="x")
    >>> sig = predict_signature_def({"x": x}, {"y": tf.identity(x, name="y")})
    >>> print(sig.method_name, sig.inputs["x"].name, sig.outputs["y"].name)
    tensorflow/serving/predict x:0 y:0
    """
    if not inputs:
        raise ValueError("Prediction inputs cannot be None or empty.")
    if not outputs:
        raise ValueError("Prediction outputs cannot be None or empty.")
    return build_signature_def(
        {k: build_tensor_info(t) for k, t in inputs.items()},
        {k: build_tensor_info(t) for k, t in outputs.items()},
        sc.PREDICT_METHOD_NAME,
    )


def _valid_predict(sig: Any) -> bool:
    return sig.method_name == sc.PREDICT_METHOD_NAME and bool(sig.inputs) and bool(sig.outputs)


def _valid_regression(sig: Any) -> bool:
    return (
        sig.method_name == sc.REGRESS_METHOD_NAME
        and set(sig.inputs) == {sc.REGRESS_INPUTS}
        and sig.inputs[sc.REGRESS_INPUTS].dtype == _DT_STRING
        and set(sig.outputs) == {sc.REGRESS_OUTPUTS}
        and sig.outputs[sc.REGRESS_OUTPUTS].dtype == _DT_FLOAT
    )


def _valid_classification(sig: Any) -> bool:
    if sig.method_name != sc.CLASSIFY_METHOD_NAME:
        return False
    if set(sig.inputs) != {sc.CLASSIFY_INPUTS}:
        return False
    if sig.inputs[sc.CLASSIFY_INPUTS].dtype != _DT_STRING:
        return False
    outs = set(sig.outputs)
    if not outs or outs - {sc.CLASSIFY_OUTPUT_CLASSES, sc.CLASSIFY_OUTPUT_SCORES}:
        return False
    if (
        sc.CLASSIFY_OUTPUT_CLASSES in outs
        and sig.outputs[sc.CLASSIFY_OUTPUT_CLASSES].dtype != _DT_STRING
    ):
        return False
    return not (
        sc.CLASSIFY_OUTPUT_SCORES in outs
        and sig.outputs[sc.CLASSIFY_OUTPUT_SCORES].dtype != _DT_FLOAT
    )


def is_valid_signature(signature_def: Any) -> bool:
    """Whether TF Serving can serve ``signature_def`` (a valid classify, regress or predict)."""
    if signature_def is None:
        return False
    return (
        _valid_classification(signature_def)
        or _valid_regression(signature_def)
        or _valid_predict(signature_def)
    )


def op_signature_def(op: Any, key: str) -> Any:
    """A signature whose one output names ``op`` (how TF 2 builders record init/train ops)."""
    return build_signature_def(outputs={key: build_tensor_info_from_op(op)})


def _supervised_signature_def(
    method_name: str,
    inputs: dict[str, Any] | None,
    loss: dict[str, Any] | None = None,
    predictions: dict[str, Any] | None = None,
    metrics: dict[str, Any] | None = None,
) -> Any:
    if not inputs:
        raise ValueError(f"{method_name} inputs cannot be None or empty.")
    outputs: dict[str, Any] = {}
    for output_set in (loss, predictions, metrics):
        if output_set is not None:
            outputs.update({k: build_tensor_info(t) for k, t in output_set.items()})
    return build_signature_def(
        {k: build_tensor_info(t) for k, t in inputs.items()}, outputs, method_name
    )


def supervised_train_signature_def(
    inputs: dict[str, Any], loss: Any, predictions: Any = None, metrics: Any = None
) -> Any:
    """A ``tensorflow/supervised/training`` signature: the inputs, loss, predictions, metrics.

    Raises:
        ValueError: ``inputs`` is None or empty (TF's message).
    """
    return _supervised_signature_def(
        sc.SUPERVISED_TRAIN_METHOD_NAME, inputs, loss, predictions, metrics
    )


def supervised_eval_signature_def(
    inputs: dict[str, Any], loss: Any, predictions: Any = None, metrics: Any = None
) -> Any:
    """A ``tensorflow/supervised/eval`` signature: the inputs, loss, predictions, metrics.

    Raises:
        ValueError: ``inputs`` is None or empty (TF's message).
    """
    return _supervised_signature_def(
        sc.SUPERVISED_EVAL_METHOD_NAME, inputs, loss, predictions, metrics
    )


__all__ = [
    "build_signature_def",
    "classification_signature_def",
    "is_valid_signature",
    "op_signature_def",
    "predict_signature_def",
    "regression_signature_def",
    "supervised_eval_signature_def",
    "supervised_train_signature_def",
]
