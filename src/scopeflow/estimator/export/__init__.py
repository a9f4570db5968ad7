"""``tf.estimator.export`` (TF 1.15): serving input receivers and export outputs.

The receivers and their builders are in :mod:`scopeflow.estimator.export.export`; the
``ExportOutput`` classes are SavedModel's (:mod:`scopeflow.saved_model.model_utils`).

Must not import ``scopeflow.compat`` or ``scopeflow.cli``.
"""

from scopeflow.estimator.export.export import (
    ServingInputReceiver,
    TensorServingInputReceiver,
    build_parsing_serving_input_receiver_fn,
    build_raw_serving_input_receiver_fn,
)
from scopeflow.saved_model.model_utils.export_output import (
    ClassificationOutput,
    ExportOutput,
    PredictOutput,
    RegressionOutput,
)

__all__ = [
    "ClassificationOutput",
    "ExportOutput",
    "PredictOutput",
    "RegressionOutput",
    "ServingInputReceiver",
    "TensorServingInputReceiver",
    "build_parsing_serving_input_receiver_fn",
    "build_raw_serving_input_receiver_fn",
]
