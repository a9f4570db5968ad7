"""What a serving input receiver fn returns, and builders of the common ones (TF 1.15).

``ServingInputReceiver(features, receiver_tensors, receiver_tensors_alternatives)``: the
features handed to the ``model_fn`` and the tensors a server feeds (each a dict; a single
tensor is wrapped as ``{"feature": t}`` / ``{"input": t}``). ``TensorServingInputReceiver``
passes one feature tensor as is. ``build_parsing_serving_input_receiver_fn`` feeds serialized
``tf.Example``s into a string placeholder ``input_example_tensor`` (receiver key
``examples``) and parses them; ``build_raw_serving_input_receiver_fn`` feeds placeholders
shaped like the given feature tensors (batch dimension replaced) and named after their ops.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

import collections
from collections.abc import Callable
from typing import Any

from scopeflow._core import dtypes
from scopeflow._core.tensor_shape import TensorShape
from scopeflow.estimator._input_fn import parse_input_fn_result
from scopeflow.graph.graph import Graph
from scopeflow.graph.tensor import Tensor
from scopeflow.ops.array_ops import placeholder
from scopeflow.ops.parsing_ops import parse_example
from scopeflow.ops.sparse_ops import SparseTensor
from scopeflow.saved_model.model_utils.export_utils import (
    SINGLE_FEATURE_DEFAULT_NAME,
    SINGLE_LABEL_DEFAULT_NAME,
    SINGLE_RECEIVER_DEFAULT_NAME,
)

__all__ = [
    "ServingInputReceiver",
    "SupervisedInputReceiver",
    "TensorServingInputReceiver",
    "UnsupervisedInputReceiver",
    "build_parsing_serving_input_receiver_fn",
    "build_raw_serving_input_receiver_fn",
    "build_raw_supervised_input_receiver_fn",
    "build_supervised_input_receiver_fn_from_input_fn",
    "wrap_and_check_input_tensors",
]

_SINGLE_TENSOR_DEFAULT_NAMES = {
    "feature": SINGLE_FEATURE_DEFAULT_NAME,
    "label": SINGLE_LABEL_DEFAULT_NAME,
    "receiver_tensor": SINGLE_RECEIVER_DEFAULT_NAME,
    "receiver_tensors_alternative": SINGLE_RECEIVER_DEFAULT_NAME,
}


def wrap_and_check_input_tensors(
    tensors: Any, field_name: str, allow_int_keys: bool = False
) -> dict[Any, Any]:
    """``tensors`` as a dict (a single tensor under TF's default key), checked.

    Raises:
        ValueError: None, non-string (or non-int) keys, or values that are not tensors.
    """
    if tensors is None:
        raise ValueError(f"{field_name}s must be defined.")
    if not isinstance(tensors, dict):
        tensors = {_SINGLE_TENSOR_DEFAULT_NAMES[field_name]: tensors}
    for name, tensor in tensors.items():
        _check_tensor_key(name, field_name, allow_int_keys)
        _check_tensor(tensor, name, field_name)
    return tensors


def _check_tensor(tensor: Any, name: Any, error_label: str = "feature") -> None:
    if not isinstance(tensor, (Tensor, SparseTensor)):
        fmt_name = f" {name}" if name else ""
        raise ValueError(f"{error_label}{fmt_name} must be a Tensor or SparseTensor.")


def _check_tensor_key(name: Any, error_label: str = "feature", allow_ints: bool = False) -> None:
    if not isinstance(name, str):
        if not allow_ints:
            raise ValueError(f"{error_label} keys must be strings: {name}.")
        if not isinstance(name, int):
            raise ValueError(f"{error_label} keys must be strings or ints: {name}.")


_ReceiverFields = collections.namedtuple(  # type: ignore[name-match]
    "ServingInputReceiver", ["features", "receiver_tensors", "receiver_tensors_alternatives"]
)


class ServingInputReceiver(_ReceiverFields):
    """What a ``serving_input_receiver_fn`` returns (``tf.estimator.export.ServingInputReceiver``).

    ``features`` go to the ``model_fn`` (a single tensor becomes ``{"feature": t}``);
    ``receiver_tensors`` are what a server feeds (a single tensor becomes ``{"input": t}``);
    each ``receiver_tensors_alternatives`` entry adds signatures fed at another point.

    >>> import scopeflow.compat.v1 as tf
    >>> x = tf.placeholder(tf.float32, [None, 2], name="x")
    >>> r = ServingInputReceiver(x, {"x": x})
    >>> sorted(r.features), sorted(r.receiver_tensors)
    (['feature'], ['x'])
    """

    def __new__(  # noqa: D102
        cls, features: Any, receiver_tensors: Any, receiver_tensors_alternatives: Any = None
    ) -> ServingInputReceiver:
        features = wrap_and_check_input_tensors(features, "feature", allow_int_keys=True)
        receiver_tensors = wrap_and_check_input_tensors(receiver_tensors, "receiver_tensor")
        if receiver_tensors_alternatives is not None:
            if not isinstance(receiver_tensors_alternatives, dict):
                raise ValueError(
                    "receiver_tensors_alternatives must be a dict: "
                    f"{receiver_tensors_alternatives}."
                )
            for name, alt in receiver_tensors_alternatives.items():
                receiver_tensors_alternatives[name] = wrap_and_check_input_tensors(
                    alt, "receiver_tensors_alternative"
                )
        return super().__new__(cls, features, receiver_tensors, receiver_tensors_alternatives)


class TensorServingInputReceiver(_ReceiverFields):
    """A receiver whose one feature tensor reaches the ``model_fn`` unwrapped.

    >>> import scopeflow.compat.v1 as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.placeholder(tf.float32, [None, 2], name="x")
    ...     print(TensorServingInputReceiver(x, x).features.name)
    x:0
    """

    def __new__(  # noqa: D102
        cls, features: Any, receiver_tensors: Any, receiver_tensors_alternatives: Any = None
    ) -> TensorServingInputReceiver:
        if features is None:
            raise ValueError("features must be defined.")
        _check_tensor(features, None)
        receiver = ServingInputReceiver(features, receiver_tensors, receiver_tensors_alternatives)
        return super().__new__(
            cls,
            receiver.features[SINGLE_FEATURE_DEFAULT_NAME],
            receiver.receiver_tensors,
            receiver.receiver_tensors_alternatives,
        )


class UnsupervisedInputReceiver(ServingInputReceiver):
    """A training/eval receiver without labels."""

    def __new__(cls, features: Any, receiver_tensors: Any) -> UnsupervisedInputReceiver:  # noqa: D102
        return super().__new__(cls, features, receiver_tensors, None)  # type: ignore[return-value]


_SupervisedFields = collections.namedtuple(  # type: ignore[name-match]
    "SupervisedInputReceiver", ["features", "labels", "receiver_tensors"]
)


class SupervisedInputReceiver(_SupervisedFields):
    """A training/eval receiver: features, labels and the tensors fed (no alternatives)."""

    def __new__(  # noqa: D102
        cls, features: Any, labels: Any, receiver_tensors: Any
    ) -> SupervisedInputReceiver:
        wrap_and_check_input_tensors(features, "feature", allow_int_keys=True)
        wrap_and_check_input_tensors(labels, "label", allow_int_keys=True)
        receiver_tensors = wrap_and_check_input_tensors(receiver_tensors, "receiver_tensor")
        return super().__new__(cls, features, labels, receiver_tensors)


def build_parsing_serving_input_receiver_fn(
    feature_spec: dict[str, Any], default_batch_size: int | None = None
) -> Callable[[], ServingInputReceiver]:
    """A receiver fn parsing serialized ``tf.Example``s fed to ``input_example_tensor``.

    >>> import scopeflow.compat.v1 as tf
    >>> fn = build_parsing_serving_input_receiver_fn(
    ...     {"x": tf.FixedLenFeature([2], tf.float32)})
    >>> r = fn()
    >>> r.receiver_tensors["examples"].name, r.features["x"].shape.as_list()
    ('input_example_tensor:0', [None, 2])
    """

    def serving_input_receiver_fn() -> ServingInputReceiver:
        serialized = placeholder(
            dtype=dtypes.string, shape=[default_batch_size], name="input_example_tensor"
        )
        features = parse_example(serialized, feature_spec)
        return ServingInputReceiver(features, {"examples": serialized})

    return serving_input_receiver_fn


def _placeholder_from_tensor(t: Any, default_batch_size: int | None = None) -> Tensor:
    shape = TensorShape([default_batch_size]).concatenate(t.get_shape()[1:])
    return placeholder(dtype=t.dtype, shape=shape, name=t.op.name)


def _placeholders_from_receiver_tensors_dict(
    input_vals: dict[str, Any], default_batch_size: int | None = None
) -> dict[str, Tensor]:
    return {name: _placeholder_from_tensor(t, default_batch_size) for name, t in input_vals.items()}


def build_raw_serving_input_receiver_fn(
    features: dict[str, Any], default_batch_size: int | None = None
) -> Callable[[], ServingInputReceiver]:
    """A receiver fn feeding placeholders like ``features`` (named after their ops).

    >>> import scopeflow.compat.v1 as tf
    >>> with tf.Graph().as_default():
    ...     fn = build_raw_serving_input_receiver_fn({"x": tf.placeholder(tf.float32, [8, 3], "x")})
    >>> with tf.Graph().as_default():
    ...     r = fn()
    ...     print(r.receiver_tensors["x"].name, r.features["x"].shape.as_list())
    x:0 [None, 3]
    """

    def serving_input_receiver_fn() -> ServingInputReceiver:
        receiver_tensors = _placeholders_from_receiver_tensors_dict(features, default_batch_size)
        return ServingInputReceiver(receiver_tensors, receiver_tensors)

    return serving_input_receiver_fn


def build_raw_supervised_input_receiver_fn(
    features: Any, labels: Any, default_batch_size: int | None = None
) -> Callable[[], SupervisedInputReceiver]:
    """A receiver fn feeding placeholders like ``features`` and ``labels`` (train/eval export).

    Raises:
        ValueError: ``features`` and ``labels`` share a key (TF's message).
    """
    feat_keys = features.keys() if isinstance(features, dict) else [SINGLE_RECEIVER_DEFAULT_NAME]
    label_keys = labels.keys() if isinstance(labels, dict) else [SINGLE_LABEL_DEFAULT_NAME]
    overlap = set(feat_keys) & set(label_keys)
    if overlap:
        raise ValueError(
            f"Features and labels must have distinct keys. Found overlapping keys: {overlap}"
        )

    def supervised_input_receiver_fn() -> SupervisedInputReceiver:
        if not isinstance(features, dict):
            features_cp: Any = _placeholder_from_tensor(features, default_batch_size)
            receiver_features = {SINGLE_RECEIVER_DEFAULT_NAME: features_cp}
        else:
            receiver_features = _placeholders_from_receiver_tensors_dict(
                features, default_batch_size
            )
            features_cp = receiver_features
        if not isinstance(labels, dict):
            labels_cp: Any = _placeholder_from_tensor(labels, default_batch_size)
            receiver_labels = {SINGLE_LABEL_DEFAULT_NAME: labels_cp}
        else:
            receiver_labels = _placeholders_from_receiver_tensors_dict(labels, default_batch_size)
            labels_cp = receiver_labels
        return SupervisedInputReceiver(
            features_cp, labels_cp, {**receiver_features, **receiver_labels}
        )

    return supervised_input_receiver_fn


def build_supervised_input_receiver_fn_from_input_fn(
    input_fn: Callable[..., Any], **input_fn_args: Any
) -> Callable[[], SupervisedInputReceiver]:
    """A supervised receiver fn with placeholders like ``input_fn``'s features and labels."""
    with Graph().as_default():
        features, labels, _ = parse_input_fn_result(input_fn(**input_fn_args))
    return build_raw_supervised_input_receiver_fn(features, labels)
