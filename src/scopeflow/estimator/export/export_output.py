"""TF 1.15's ``tensorflow_estimator/python/estimator/export/export_output.py`` path.

Re-exports SavedModel's ``ExportOutput`` classes (:mod:`scopeflow.saved_model.model_utils`).
"""

from scopeflow.saved_model.model_utils.export_output import (
    ClassificationOutput,
    EvalOutput,
    ExportOutput,
    PredictOutput,
    RegressionOutput,
    TrainOutput,
)

__all__ = [
    "ClassificationOutput",
    "EvalOutput",
    "ExportOutput",
    "PredictOutput",
    "RegressionOutput",
    "TrainOutput",
]
