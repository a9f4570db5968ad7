"""A ``Predictor`` running an Estimator's PREDICT graph on its latest checkpoint.

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scopeflow.contrib.predictor.predictor import Predictor
from scopeflow.estimator.mode_keys import ModeKeys
from scopeflow.graph.graph import Graph
from scopeflow.saved_model.signature_constants import DEFAULT_SERVING_SIGNATURE_DEF_KEY
from scopeflow.train.monitored_session import ChiefSessionCreator, MonitoredSession

__all__ = ["CoreEstimatorPredictor"]


def _get_signature_def(serving_input_receiver: Any, estimator: Any, output_key: Any) -> Any:
    if output_key is None:
        output_key = DEFAULT_SERVING_SIGNATURE_DEF_KEY
    spec = estimator.model_fn(
        serving_input_receiver.features, None, ModeKeys.PREDICT, estimator.config
    )
    export_outputs = spec.export_outputs
    export_output = export_outputs.get(output_key)
    if export_output is None:
        raise KeyError(f"output_key must be one of {export_outputs.keys()}; got {output_key}")
    return export_output.as_signature_def(serving_input_receiver.receiver_tensors)


class CoreEstimatorPredictor(Predictor):
    """Builds ``estimator``'s PREDICT graph on ``serving_input_receiver_fn``'s tensors.

    The session restores the latest checkpoint of ``estimator.model_dir``; the feeds and fetches
    are the inputs and outputs of the export output ``output_key`` (default
    ``serving_default``).

    Raises:
        KeyError: ``output_key`` is not an export output (TF's message).
    """

    def __init__(
        self,
        estimator: Any,
        serving_input_receiver_fn: Callable[[], Any],
        output_key: str | None = None,
        graph: Any = None,
        config: Any = None,
    ) -> None:
        self._graph = graph or Graph()
        with self._graph.as_default():
            receiver = serving_input_receiver_fn()
            signature_def = _get_signature_def(receiver, estimator, output_key)
            self._session = MonitoredSession(
                session_creator=ChiefSessionCreator(
                    checkpoint_dir=estimator.model_dir, config=config
                )
            )
        self._feed_tensors = {
            k: self._graph.get_tensor_by_name(v.name) for k, v in signature_def.inputs.items()
        }
        self._fetch_tensors = {
            k: self._graph.get_tensor_by_name(v.name) for k, v in signature_def.outputs.items()
        }
