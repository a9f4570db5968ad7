"""The ``tf.contrib.predictor`` factories: ``from_saved_model`` and ``from_estimator``.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scopeflow.contrib.predictor.core_estimator_predictor import CoreEstimatorPredictor
from scopeflow.contrib.predictor.saved_model_predictor import SavedModelPredictor
from scopeflow.errors import UnsupportedError
from scopeflow.estimator.estimator import Estimator

__all__ = ["from_contrib_estimator", "from_estimator", "from_saved_model"]


def from_contrib_estimator(
    estimator: Any,
    prediction_input_fn: Any,
    input_alternative_key: Any = None,
    output_alternative_key: Any = None,
    graph: Any = None,
    config: Any = None,
) -> Any:
    """A ``Predictor`` of a ``tf.contrib.learn.Estimator``, which scopeflow does not build.

    Raises:
        TypeError: ``estimator`` is a ``tf.estimator.Estimator`` (TF's message).
        UnsupportedError: otherwise (``tf.contrib.learn`` estimators are not built).
    """
    if isinstance(estimator, Estimator):
        raise TypeError(
            "Espected estimator to be of type tf.contrib.learn.Estimator, but got type "
            "tf.python.estimator.Estimator. You likely want to call from_estimator."
        )
    raise UnsupportedError(
        "tf.contrib.predictor.from_contrib_estimator",
        "tf.contrib.learn estimators are not built; use tf.estimator and from_estimator.",
    )


def from_estimator(
    estimator: Estimator,
    serving_input_receiver_fn: Callable[[], Any],
    output_key: str | None = None,
    graph: Any = None,
    config: Any = None,
) -> CoreEstimatorPredictor:
    """A ``Predictor`` of ``estimator``'s latest checkpoint fed by the receiver fn's tensors.

    ``output_key`` picks the export output served (default ``serving_default``).
    """
    return CoreEstimatorPredictor(
        estimator, serving_input_receiver_fn, output_key=output_key, graph=graph, config=config
    )


def from_saved_model(
    export_dir: str,
    signature_def_key: str | None = None,
    signature_def: Any = None,
    input_names: dict[str, str] | None = None,
    output_names: dict[str, str] | None = None,
    tags: str | None = None,
    graph: Any = None,
    config: Any = None,
) -> SavedModelPredictor:
    """A ``Predictor`` serving a signature of the SavedModel in ``export_dir``.

    Raises:
        ValueError: more than one of ``signature_def_key``, ``signature_def`` and
            ``input_names``/``output_names`` (TF's message).

    >>> import tempfile, scopeflow.compat.v1 as tf
    >>> d = tempfile.mkdtemp() + "/m"
    >>> with tf.Graph().as_default(), tf.Session() as sess:
    ...     x = tf.placeholder(tf.float32, [None], name="x")
    ...     tf.saved_model.simple_save(sess, d, {"x": x}, {"y": tf.multiply(x, 2.0, name="y")})
    >>> predict_fn = from_saved_model(d)
    >>> predict_fn({"x": [1.0, 2.0]})["y"].tolist()
    [2.0, 4.0]
    """
    return SavedModelPredictor(
        export_dir,
        signature_def_key=signature_def_key,
        signature_def=signature_def,
        input_names=input_names,
        output_names=output_names,
        tags=tags,
        graph=graph,
        config=config,
    )
